import { fileURLToPath } from "node:url";
import {
  type Client,
  fetchRecommendedShardCount,
  REST,
  Routes,
  type Shard,
  ShardingManager,
} from "discord.js";
import { type BotConfig, isShard } from "../config.ts";
import { log } from "../log.ts";
import type { Library } from "../search/library.ts";
import type { ReloadReport } from "../search/reports.ts";
import type { Bot, BotOptions } from "./bot.ts";

/**
 * Running past one process with discord.js' ShardingManager. The manager side spawns
 * main once per shard; each shard holds its own copy of the corpus and index, so a
 * /reload on any shard reloads every shard (through broadcastEval) and reports each one.
 */

/** Whether this module runs from its TypeScript source (through tsx) rather than built to dist/. */
const FROM_SOURCE = import.meta.url.endsWith(".ts");
/** The script each shard runs: the same main as this process, source through tsx or built. */
export const SHARD_SCRIPT = fileURLToPath(
  new URL(FROM_SOURCE ? "../main.ts" : "../main.js", import.meta.url),
);
export const SHARD_EXEC_ARGV = FROM_SOURCE ? ["--import", "tsx"] : [];
/** Discord lets a bot identify about once per 5 s: the manager's default wait between shards. */
export const SPAWN_DELAY_MS = 5_500;
/** How long one shard may take to load its corpus and connect before spawning fails. */
export const SPAWN_TIMEOUT_MS = 10 * 60_000;
/** A reload that takes longer is reported as failed on that shard (the token lives 15 min). */
const RELOAD_TIMEOUT_MS = 10 * 60_000;
/** Where a shard keeps its reload for the others (a global symbol survives broadcastEval's serialisation). */
const RELOAD_KEY = "migration-answer-bot.reload";

// ---- shard side --------------------------------------------------------------------------------

let shardClient: Client | undefined;

/** Options for startBot: when this process is a shard, /reload reaches every shard. */
export function shardBotOptions(): BotOptions {
  return isShard() ? { reload: reloadEveryShard } : {};
}

/**
 * Lets the other shards reach this shard's library, and stops this shard when the manager
 * goes away (so no shard runs on unmanaged). Does nothing outside a sharded process.
 */
export function registerShard(bot: Pick<Bot, "client" | "library">): void {
  if (!bot.client.shard) return;
  shardClient = bot.client;
  Reflect.set(bot.client, Symbol.for(RELOAD_KEY), () => bot.library.reload());
  process.once("disconnect", () => {
    log.warn("the shard manager went away; stopping this shard");
    process.kill(process.pid, "SIGTERM");
  });
}

/** Runs inside each shard (serialised by broadcastEval, so it may use nothing from this module). */
const reloadHere = (client: Client, context: { key: string }): Promise<ReloadReport> => {
  const reload = Reflect.get(client, Symbol.for(context.key)) as
    | (() => Promise<ReloadReport>)
    | undefined;
  if (!reload) throw new Error("this shard is still starting");
  return reload();
};

/** Reloads the corpus on every shard; one report per shard, in shard order (index = shard id). */
export async function reloadEveryShard(library: Library): Promise<ReloadReport[]> {
  const util = shardClient?.shard;
  if (!util) return [await library.reload()];
  const ids = Array.from({ length: util.count }, (_, id) => id);
  const settled = await Promise.allSettled(
    ids.map((shard) =>
      withTimeout(
        util.broadcastEval(reloadHere, { shard, context: { key: RELOAD_KEY } }),
        RELOAD_TIMEOUT_MS,
      ),
    ),
  );
  return settled.map((result, shard) =>
    result.status === "fulfilled"
      ? (result.value as ReloadReport)
      : unreachable(shard, result.reason),
  );
}

function unreachable(shard: number, reason: unknown): ReloadReport {
  const message = reason instanceof Error ? reason.message : String(reason);
  log.warn(`reload on shard ${shard} failed: ${message}`);
  const none = { documents: 0, passages: 0 };
  return {
    ok: false,
    unreachable: true,
    error: `shard ${shard} did not reload: ${message}`,
    added: [],
    removed: [],
    changed: [],
    before: none,
    after: none,
    skipped: [],
    warnings: [],
    ms: 0,
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// ---- manager side ------------------------------------------------------------------------------

export type ShardingConfig = Pick<BotConfig, "DISCORD_TOKEN" | "DISCORD_API_URL" | "SHARD_COUNT">;

/**
 * SHARD_COUNT, or Discord's recommendation for "auto". discord.js asks discord.com for it;
 * with DISCORD_API_URL set, the same GET /gateway/bot goes to that API instead.
 */
export async function resolveShardCount(config: ShardingConfig): Promise<number> {
  if (config.SHARD_COUNT !== "auto") return config.SHARD_COUNT;
  if (!config.DISCORD_API_URL) return fetchRecommendedShardCount(config.DISCORD_TOKEN);
  const rest = new REST({ api: config.DISCORD_API_URL }).setToken(config.DISCORD_TOKEN);
  const { shards } = (await rest.get(Routes.gatewayBot())) as { shards?: unknown };
  return typeof shards === "number" && Number.isInteger(shards) && shards > 0 ? shards : 1;
}

export interface ShardManagerOptions {
  /** Extra environment for every shard (the manager's own environment is passed on as well). */
  env?: Readonly<Record<string, string>>;
  /** Respawn a shard whose process exits (default true). */
  respawn?: boolean;
}

/** A ShardingManager that runs main (SHARD_SCRIPT), `totalShards` times. */
export function createShardManager(
  config: ShardingConfig,
  totalShards: number,
  options: ShardManagerOptions = {},
): ShardingManager {
  const manager = new ShardingManager(SHARD_SCRIPT, {
    token: config.DISCORD_TOKEN,
    totalShards,
    execArgv: SHARD_EXEC_ARGV,
    respawn: options.respawn ?? true,
  });
  manager.on("shardCreate", (shard: Shard) => {
    if (options.env) Object.assign(shard.env as Record<string, string>, options.env);
    shard.on("death", () => {
      if (manager.respawn) log.warn(`shard ${shard.id} exited; starting it again`);
    });
    shard.on("error", (error) => log.error(`shard ${shard.id} failed`, error));
  });
  return manager;
}

/** Asks every shard to finish its replies and close (SIGTERM), then kills what is left. */
export async function stopShards(manager: ShardingManager, graceMs = 10_000): Promise<void> {
  manager.respawn = false;
  await Promise.all(
    [...manager.shards.values()].map(
      (shard) =>
        new Promise<void>((resolve) => {
          const child = shard.process;
          if (!child || child.exitCode !== null || child.signalCode !== null) {
            resolve();
            return;
          }
          const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
          child.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill("SIGTERM");
        }),
    ),
  );
}
