/**
 * Starts the real bot (startBot → discord.js Client) against the loopback Discord server,
 * on a temp copy of a corpus and a temp data folder, and tears everything down again.
 * Also: small helpers to build slash options and to check replies against Discord's limits.
 */
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deployCommands } from "../../src/cli/deploy-commands.ts";
import { type BotConfig, botConfig } from "../../src/config.ts";
import { type Bot, startBot } from "../../src/discord/bot.ts";
import { setLogLevel } from "../../src/log.ts";
import { SAMPLE_CORPUS } from "../fixtures/helpers.ts";
import {
  type InteractionHandle,
  type JsonBody,
  type LoopbackDiscord,
  type SlashOptions,
  startLoopbackDiscord,
} from "./loopback-discord.ts";

/** Discord's message flag for "only the user who asked sees it". */
export const EPHEMERAL = 64;

export interface HarnessOptions {
  /** Extra or overriding bot environment, e.g. `{ MENTIONS: "on" }`. */
  env?: Readonly<Record<string, string>>;
  /** Files (name → text) for the corpus instead of a copy of the sample corpus. */
  corpus?: Readonly<Record<string, string>>;
}

export interface BotHarness {
  server: LoopbackDiscord;
  /** The bot started last. */
  bot: Bot;
  corpusDir: string;
  dataDir: string;
  config: BotConfig;
  /** Stops the current bot and starts a new one on the same server, corpus and data folder. */
  restart(): Promise<Bot>;
}

const cleanups: (() => Promise<void>)[] = [];

/** A temp folder removed by `closeHarnesses`. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A loopback server closed by `closeHarnesses`. */
export async function startServer(): Promise<LoopbackDiscord> {
  const server = await startLoopbackDiscord();
  cleanups.push(() => server.close());
  return server;
}

/** The bot's environment, as `.env` would give it, pointed at the loopback server. */
export function botEnv(
  server: LoopbackDiscord,
  dirs: { corpusDir: string; dataDir: string },
  env: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return {
    DISCORD_TOKEN: server.token,
    DISCORD_API_URL: server.apiUrl,
    DISCORD_APPLICATION_ID: server.applicationId,
    DISCORD_GUILD_ID: server.guildId,
    CORPUS_DIR: dirs.corpusDir,
    DATA_DIR: dirs.dataDir,
    LOG_LEVEL: "silent",
    RATE_LIMIT_PER_MINUTE: "0",
    MENTIONS: "off",
    // Not the developer's .env: admin checks read ADMIN_USER_IDS from this file when it exists.
    ENV_FILE: join(dirs.dataDir, ".env"),
    ...env,
  };
}

/** Server + commands deployed to its guild + a bot logged in on a temp corpus. */
export async function startHarness(options: HarnessOptions = {}): Promise<BotHarness> {
  setLogLevel("silent");
  const server = await startServer();
  const corpusDir = await tempDir("answer-bot-e2e-corpus-");
  if (options.corpus) {
    for (const [name, text] of Object.entries(options.corpus)) {
      await writeFile(join(corpusDir, name), text);
    }
  } else {
    await cp(SAMPLE_CORPUS, corpusDir, { recursive: true });
  }
  const dataDir = await tempDir("answer-bot-e2e-data-");
  const config = botConfig(botEnv(server, { corpusDir, dataDir }, options.env));
  await deployCommands(config);
  let bot = await launch(config);
  return {
    server,
    get bot() {
      return bot;
    },
    corpusDir,
    dataDir,
    config,
    async restart() {
      await bot.stop();
      bot = await launch(config);
      return bot;
    },
  };
}

async function launch(config: BotConfig): Promise<Bot> {
  const bot = await startBot(config);
  // Stopping twice is harmless: drain finds nothing and destroy is idempotent.
  cleanups.push(() => bot.stop());
  return bot;
}

/** Stops every bot, closes every server and removes every temp folder, newest first. */
export async function closeHarnesses(): Promise<void> {
  const errors: unknown[] = [];
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup().catch((error: unknown) => errors.push(error));
  }
  if (errors.length) throw new AggregateError(errors, "cleanup failed");
}

/** Requests the server answered with an error: a healthy bot makes none. */
export function failedRequests(server: LoopbackDiscord): string[] {
  return server.requests
    .filter((r) => r.status >= 400)
    .map((r) => `${r.method} ${r.path} → ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
}

// ---- slash options -----------------------------------------------------------------------------

export interface AskInput {
  question: string;
  source?: string;
  results?: number;
  private?: boolean;
}

/** The raw option array Discord sends for `/ask`. */
export function askOptions(input: AskInput): unknown[] {
  return [
    { name: "question", type: 3, value: input.question },
    ...(input.source === undefined ? [] : [{ name: "source", type: 3, value: input.source }]),
    ...(input.results === undefined ? [] : [{ name: "results", type: 4, value: input.results }]),
    ...(input.private === undefined ? [] : [{ name: "private", type: 5, value: input.private }]),
  ];
}

/** Sends `/ask` as a user would. */
export function ask(
  server: LoopbackDiscord,
  input: AskInput,
  actor: Omit<SlashOptions, "name" | "options"> = {},
): InteractionHandle {
  return server.slash({ ...actor, name: "ask", options: askOptions(input) });
}

// ---- reading what the bot sent -----------------------------------------------------------------

/** Every custom_id in a message body's components. */
export function customIds(body: JsonBody): string[] {
  return (body?.components ?? []).flatMap((row: JsonBody) =>
    (row.components ?? []).map((c: JsonBody) => String(c.custom_id ?? "")),
  );
}

/** The button whose label is `label`, or undefined. */
export function buttonLabelled(body: JsonBody, label: string): JsonBody | undefined {
  return (body?.components ?? [])
    .flatMap((row: JsonBody) => row.components ?? [])
    .find((c: JsonBody) => c.label === label);
}

/** Undoes discord.js `escapeMarkdown` and the block-quote/bold markup of a rendered quote. */
export function unmarkdown(text: string): string {
  return text
    .split("\n")
    .map((line) => line.replace(/^> ?/u, ""))
    .join("\n")
    .replace(/(?<!\\)\*\*/gu, "")
    .replace(/\\([\\*_`~|>#\-[\]().!:<@])/gu, "$1");
}

/** Every Discord message limit the body breaks (empty when it fits). */
export function limitProblems(body: JsonBody): string[] {
  const problems: string[] = [];
  const check = (what: string, length: number, max: number) => {
    if (length > max) problems.push(`${what} is ${length} > ${max}`);
  };
  check("content", String(body?.content ?? "").length, 2000);
  const embeds: JsonBody[] = body?.embeds ?? [];
  check("embed count", embeds.length, 10);
  let total = 0;
  embeds.forEach((embed, i) => {
    const title = embed.title?.length ?? 0;
    const description = embed.description?.length ?? 0;
    const footer = embed.footer?.text?.length ?? 0;
    const author = embed.author?.name?.length ?? 0;
    check(`embeds[${i}].title`, title, 256);
    check(`embeds[${i}].description`, description, 4096);
    check(`embeds[${i}].footer`, footer, 2048);
    check(`embeds[${i}].author`, author, 256);
    const fields: JsonBody[] = embed.fields ?? [];
    check(`embeds[${i}].fields`, fields.length, 25);
    total += title + description + footer + author;
    fields.forEach((field, j) => {
      check(`embeds[${i}].fields[${j}].name`, field.name.length, 256);
      check(`embeds[${i}].fields[${j}].value`, field.value.length, 1024);
      total += field.name.length + field.value.length;
    });
  });
  check("embed text in total", total, 6000);
  const rows: JsonBody[] = body?.components ?? [];
  check("component rows", rows.length, 5);
  rows.forEach((row, i) => {
    check(`components[${i}] buttons`, (row.components ?? []).length, 5);
    for (const component of row.components ?? []) {
      check(`custom_id ${component.custom_id}`, String(component.custom_id ?? "").length, 100);
      check(`label ${component.label}`, String(component.label ?? "").length, 80);
    }
  });
  return problems;
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
