import { botConfig, ConfigError, hasDiscordToken, isShard, playgroundConfig } from "./config.ts";
import { CorpusError } from "./corpus/file-errors.ts";
import { BAD_TOKEN, networkProblem } from "./discord/application.ts";
import { type Bot, startBot } from "./discord/bot.ts";
import { registerShard, shardBotOptions } from "./discord/shards.ts";
import { FeedbackLog } from "./feedback.ts";
import { type HealthServer, STARTING, startHealthServer } from "./health.ts";
import { log, setLogFormat, setLogLevel } from "./log.ts";
import { startPlayground } from "./playground/server.ts";
import { openQuestionLog } from "./questions.ts";
import { crossLingual } from "./search/crosslingual.ts";
import { Library } from "./search/library.ts";
import { fileNotes } from "./search/reports.ts";

/**
 * npm start: config → corpus → Discord, with a graceful shutdown on SIGINT/SIGTERM.
 * Without DISCORD_TOKEN it serves the local playground instead.
 */

/** How long a shutdown may take before the process exits anyway (container runtimes wait 10 s). */
const SHUTDOWN_LIMIT_MS = 9_000;

async function main(): Promise<void> {
  const stop = hasDiscordToken() ? await runBot() : await runPlayground();
  if (!stop) return;
  let stopping = false;
  const shutdown = async (signal: string) => {
    // A second signal (systemd and npm may both pass one on) does not cut the first short.
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: finishing replies in flight, then closing`);
    setTimeout(() => {
      log.error(`not closed within ${SHUTDOWN_LIMIT_MS / 1000} s; exiting anyway`);
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS).unref();
    await stop();
    log.info("closed");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

/** The config, or null after printing the one-line reason it is unusable. */
function readConfig<T>(read: () => T): T | null {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`Cannot start: ${error.message}\n`);
    process.exitCode = 1;
    return null;
  }
}

async function runBot(): Promise<(() => Promise<void>) | null> {
  const config = readConfig(botConfig);
  if (!config) return null;
  setLogLevel(config.LOG_LEVEL);
  setLogFormat(config.LOG_FORMAT);
  let bot: Bot | undefined;
  let health: HealthServer | undefined;
  // Shards share the machine, so only a bot in one process serves HEALTH_PORT.
  if (config.HEALTH_PORT !== undefined && !isShard()) {
    health = await startHealthServer(config.HEALTH_PORT, () => bot?.health() ?? STARTING);
    log.info(`health at ${health.url}`);
  }
  try {
    bot = await startBot(config, shardBotOptions());
  } catch (error) {
    await health?.close();
    throw error;
  }
  registerShard(bot);
  const running = bot;
  return async () => {
    await running.stop();
    await health?.close();
  };
}

async function runPlayground(): Promise<(() => Promise<void>) | null> {
  const config = readConfig(playgroundConfig);
  if (!config) return null;
  setLogLevel(config.LOG_LEVEL);
  setLogFormat(config.LOG_FORMAT);
  const library = await Library.open(config.CORPUS_DIR, crossLingual(config));
  for (const line of fileNotes(library.stats())) log.warn(line);
  const feedback = new FeedbackLog(config.DATA_DIR);
  const playground = await startPlayground({
    library,
    feedback,
    questions: openQuestionLog(config, feedback),
    staleAfterDays: config.STALE_AFTER_DAYS,
    port: config.PORT,
    host: "127.0.0.1",
  });
  process.stdout.write(
    `No DISCORD_TOKEN set: starting the local playground at ${playground.url} (set DISCORD_TOKEN in .env to run the Discord bot)\n`,
  );
  return async () => {
    await playground.close();
    await library.close();
  };
}

process.on("unhandledRejection", (error) => log.error("unhandled rejection", error));
main().catch((error: unknown) => {
  process.stderr.write(`Cannot start: ${startupProblem(error)}\n`);
  process.exitCode = 1;
});

/** One line a person can act on; the stack only for surprises. */
function startupProblem(error: unknown): string {
  if (error instanceof CorpusError) return `${error.message} (set CORPUS_DIR in .env)`;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "TokenInvalid") return BAD_TOKEN;
  if (code === "DisallowedIntents") {
    return "Discord refused the Message Content intent; enable it for the bot in the Developer Portal or set MENTIONS=off";
  }
  if ((error as { syscall?: unknown } | null)?.syscall === "listen") {
    return `the playground cannot listen (${(error as Error).message}); set PORT in .env to a free port`;
  }
  return (
    networkProblem(error) ??
    (error instanceof Error ? (error.stack ?? error.message) : String(error))
  );
}
