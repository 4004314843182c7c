import { botConfig, ConfigError } from "./config.ts";
import { CorpusError } from "./corpus/load.ts";
import { startBot } from "./discord/bot.ts";
import { log, setLogLevel } from "./log.ts";

/** npm start: config → corpus → Discord, with a graceful shutdown on SIGINT/SIGTERM. */

async function main(): Promise<void> {
  let config: ReturnType<typeof botConfig>;
  try {
    config = botConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`Cannot start: ${error.message}\n`);
    process.exitCode = 1;
    return;
  }
  setLogLevel(config.LOG_LEVEL);
  const bot = await startBot(config);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: finishing replies in flight, then closing`);
    await bot.stop();
    log.info("closed");
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
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
  if (typeof code === "string" && /^E[A-Z]+$/u.test(code)) {
    return `cannot reach Discord (${(error as Error).message}); check the network or DISCORD_API_URL`;
  }
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
