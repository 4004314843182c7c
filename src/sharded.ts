import { botConfig, ConfigError } from "./config.ts";
import {
  createShardManager,
  resolveShardCount,
  SPAWN_DELAY_MS,
  SPAWN_TIMEOUT_MS,
  stopShards,
} from "./discord/shards.ts";
import { log, redact, setLogLevel } from "./log.ts";

/**
 * npm run start:sharded: the bot in SHARD_COUNT processes (default: Discord's recommendation)
 * under discord.js' ShardingManager, each running src/main.ts with its own copy of the index.
 * SIGINT/SIGTERM stop every shard gracefully.
 */

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
  redact(config.DISCORD_TOKEN);
  const count = await resolveShardCount(config);
  const manager = createShardManager(config, count);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping ${manager.shards.size} shard(s)`);
    await stopShards(manager);
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  log.info(`starting ${count} shard(s)`);
  try {
    await manager.spawn({ amount: count, delay: SPAWN_DELAY_MS, timeout: SPAWN_TIMEOUT_MS });
  } catch (error) {
    if (stopping) return;
    log.error("a shard could not start; stopping the others", error);
    await stopShards(manager);
    process.exit(1);
  }
  log.info(`all ${count} shard(s) ready`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Cannot start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
