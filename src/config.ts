import { readFileSync } from "node:fs";
import dotenv from "dotenv";
import { z } from "zod";
import { log } from "./log.ts";

/** The one place that reads process.env and .env files (via dotenv), validated. */

const USER_ID = /^\d{5,25}$/u;
const snowflake = z.string().regex(USER_ID, "must be a Discord id (digits only)");
// A bot token is base64url parts joined by dots.
const TOKEN = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/u;
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    schema.optional(),
  );

export const DEFAULT_STALE_AFTER_DAYS = 365;

const engineSchema = z.object({
  CORPUS_DIR: optional(z.string()).transform((v) => v ?? "corpus"),
  DATA_DIR: optional(z.string()).transform((v) => v ?? ".data"),
  LOG_LEVEL: optional(z.enum(["debug", "info", "warn", "error", "silent"])).transform(
    (v) => v ?? "info",
  ),
  /** off: the question log (DATA_DIR/questions.jsonl) leaves out what was asked. */
  LOG_QUESTIONS: optional(z.enum(["on", "off"])).transform((v) => v !== "off"),
  LOG_FORMAT: optional(z.enum(["text", "json"])).transform((v) => v ?? "text"),
  /** The Apertium executable that translates Spanish questions and English quotes. */
  APERTIUM_PATH: optional(z.string().trim()).transform((v) => v ?? "apertium"),
  /** off: Spanish replies show only the verbatim quote, without its machine translation. */
  TRANSLATE_QUOTES: optional(z.enum(["on", "off"])).transform((v) => v !== "off"),
  /** A quote whose source is older than this many days carries a note that policy may have changed. */
  STALE_AFTER_DAYS: optional(z.coerce.number().int().min(1).max(36_500)).transform(
    (v) => v ?? DEFAULT_STALE_AFTER_DAYS,
  ),
});

const PORT_RANGE = "must be a port number from 1 to 65535";
const port = z
  .string()
  .trim()
  .regex(/^\d+$/u, PORT_RANGE)
  .transform(Number)
  .pipe(z.number().int().min(1, PORT_RANGE).max(65535, PORT_RANGE));

const botSchema = engineSchema.extend({
  DISCORD_TOKEN: z
    .string({ error: "is required: the bot token from the Developer Portal" })
    .trim()
    // Pasted with the prefix the Authorization header puts before it.
    .transform((v) => v.replace(/^Bot\s+/iu, ""))
    .pipe(
      z
        .string()
        .min(1, "is empty")
        .regex(
          TOKEN,
          "has characters a bot token never has (quotes, spaces, line breaks or invisible characters); copy it again from the Developer Portal",
        ),
    ),
  DISCORD_APPLICATION_ID: optional(snowflake),
  DISCORD_GUILD_ID: optional(snowflake),
  DISCORD_API_URL: optional(z.url({ error: "must be a URL such as http://127.0.0.1:8080/api" })),
  ADMIN_USER_IDS: optional(z.string())
    .transform((v) =>
      (v ?? "")
        .split(",")
        .map((id) => id.trim())
        .filter(Boolean),
    )
    .pipe(z.array(snowflake)),
  MENTIONS: optional(z.enum(["on", "off"])).transform((v) => v === "on"),
  RATE_LIMIT_PER_MINUTE: optional(z.coerce.number().int().min(0).max(10_000)).transform(
    (v) => v ?? 20,
  ),
  /** The settings file; ADMIN_USER_IDS is re-read from it at each admin check. */
  ENV_FILE: optional(z.string()).transform((v) => v ?? ".env"),
  // npm run start:sharded: how many shards; "auto" asks Discord for its recommendation.
  SHARD_COUNT: optional(
    z
      .string()
      .trim()
      .regex(/^(?:auto|[1-9]\d{0,4})$/u, 'must be a positive whole number or "auto"'),
  ).transform((v): number | "auto" => (v === undefined || v === "auto" ? "auto" : Number(v))),
  /** Serve GET /healthz on 127.0.0.1 at this port; unset: no health endpoint. */
  HEALTH_PORT: optional(port),
});

const playgroundSchema = engineSchema.extend({
  PORT: optional(port).transform((v) => v ?? 8787),
});

export type EngineConfig = z.infer<typeof engineSchema>;
export type BotConfig = z.infer<typeof botSchema>;
export type PlaygroundConfig = z.infer<typeof playgroundSchema>;

export class ConfigError extends Error {}

let dotenvLoaded = false;

function environment(env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (env) return env;
  if (!dotenvLoaded) {
    dotenv.config({ quiet: true, path: process.env.ENV_FILE?.trim() || ".env" });
    dotenvLoaded = true;
  }
  return process.env;
}

function parse<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv): z.infer<T> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const name = String(issue?.path[0] ?? "environment");
  throw new ConfigError(
    `${name} ${issue?.message ?? "is invalid"} (set it in .env; see .env.example)`,
  );
}

/** What the offline engine needs (CLI, eval). */
export function engineConfig(env?: NodeJS.ProcessEnv): EngineConfig {
  return parse(engineSchema, environment(env));
}

/** What the Discord bot needs; throws ConfigError naming the first bad variable. */
export function botConfig(env?: NodeJS.ProcessEnv): BotConfig {
  const config = parse(botSchema, environment(env));
  // SHARD_COUNT is the shard manager's setting, kept in the config; discord.js' Client reads
  // it from the environment too ("auto" makes it refuse to start), so outside a shard it goes.
  if (!env && !isShard()) delete process.env.SHARD_COUNT;
  return config;
}

/** Whether this process is one shard spawned by discord.js' ShardingManager (which sets these). */
export function isShard(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.SHARDING_MANAGER === "true" && env.SHARDS !== undefined;
}

/**
 * The admin allowlist as the ENV_FILE says now: its ADMIN_USER_IDS (none when the file has no
 * such line; entries that are not user ids are ignored). When the file does not exist,
 * the ADMIN_USER_IDS the bot started with. A file that exists but cannot be read allows
 * nobody: a removal must never be undone by an unreadable file.
 */
export function readAdminIds(
  config: Pick<BotConfig, "ADMIN_USER_IDS" | "ENV_FILE">,
): readonly string[] {
  let text: string;
  try {
    text = readFileSync(config.ENV_FILE, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return config.ADMIN_USER_IDS;
    log.warn(`cannot read ${config.ENV_FILE} for ADMIN_USER_IDS; allowing no one`, error);
    return [];
  }
  return (dotenv.parse(text).ADMIN_USER_IDS ?? "")
    .split(",")
    .map((id) => id.trim())
    .filter((id) => USER_ID.test(id));
}

/** What the local playground needs (npm start without DISCORD_TOKEN). */
export function playgroundConfig(env?: NodeJS.ProcessEnv): PlaygroundConfig {
  return parse(playgroundSchema, environment(env));
}

/** Whether a bot token is set: npm start then runs the Discord bot, else the playground. */
export function hasDiscordToken(env?: NodeJS.ProcessEnv): boolean {
  return (environment(env).DISCORD_TOKEN ?? "").trim() !== "";
}
