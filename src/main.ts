import { botConfig, ConfigError, hasDiscordToken, playgroundConfig } from "./config.ts";
import { CorpusError } from "./corpus/load.ts";
import { startBot } from "./discord/bot.ts";
import { registerShard, shardBotOptions } from "./discord/shards.ts";
import { FeedbackLog } from "./feedback.ts";
import { log, setLogLevel } from "./log.ts";
import { startPlayground } from "./playground/server.ts";
import { crossLingual } from "./search/crosslingual.ts";
import { Library } from "./search/library.ts";

/**
 * npm start: config → corpus → Discord, with a graceful shutdown on SIGINT/SIGTERM.
 * Without DISCORD_TOKEN it serves the local playground instead.
 */

async function main(): Promise<void> {
  const stop = hasDiscordToken() ? await runBot() : await runPlayground();
  if (!stop) return;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: finishing replies in flight, then closing`);
    await stop();
    log.info("closed");
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
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
  const bot = await startBot(config, shardBotOptions());
  registerShard(bot);
  return () => bot.stop();
}

async function runPlayground(): Promise<(() => Promise<void>) | null> {
  const config = readConfig(playgroundConfig);
  if (!config) return null;
  setLogLevel(config.LOG_LEVEL);
  const library = await Library.open(config.CORPUS_DIR, crossLingual(config));
  for (const skip of library.stats().skipped) log.warn(`skipped ${skip.file}: ${skip.reason}`);
  const playground = await startPlayground({
    library,
    feedback: new FeedbackLog(config.DATA_DIR),
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
  if (code === "TokenInvalid")
    return "Discord rejected DISCORD_TOKEN; copy the bot token again from the Developer Portal";
  if (code === "DisallowedIntents") {
    return "Discord refused the Message Content intent; enable it for the bot in the Developer Portal or set MENTIONS=off";
  }
  if ((error as { syscall?: unknown } | null)?.syscall === "listen") {
    return `the playground cannot listen (${(error as Error).message}); set PORT in .env to a free port`;
  }
  if (typeof code === "string" && /^E[A-Z]+$/u.test(code)) {
    return `cannot reach Discord (${(error as Error).message}); check the network or DISCORD_API_URL`;
  }
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
