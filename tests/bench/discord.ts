/**
 * /ask round trips through the loopback Discord server: our bot (startBot on a temp corpus)
 * against a bare discord.js client with the same options that answers "pong" to everything.
 * The two run side by side as the two shards of one application, each with a guild of its
 * own: the server routes a guild's interactions to its shard, so each bot gets only its
 * own. Both stay up for the whole run, as a running bot does, and take turns in blocks,
 * so a change in the machine's load over the run falls on both.
 */
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Client, Events } from "discord.js";
import { type BotConfig, botConfig } from "../../src/config.ts";
import { createClient, startBot } from "../../src/discord/bot.ts";
import { askOptions } from "../support/bot-harness.ts";
import {
  type LoopbackDiscord,
  shardOf,
  startLoopbackDiscord,
} from "../support/loopback-discord.ts";

/**
 * Untimed interactions each bot answers before the turns: V8 optimises the hundreds of
 * functions an interaction runs over a bot's first thousand or two interactions, one by
 * one, competing for the CPU meanwhile; a running bot is past that.
 */
export const SETTLE_INTERACTIONS = 2000;

export interface RoundTrips {
  /** Milliseconds from dispatching the interaction to receiving the bot's reply, per /ask. */
  ask: number[];
  ping: number[];
  passages: number;
  answered: number;
}

async function trips(
  server: LoopbackDiscord,
  guildId: string,
  questions: readonly string[],
  count: number,
  warmup: number,
): Promise<{ times: number[]; answered: number }> {
  const times: number[] = [];
  let answered = 0;
  for (let i = 0; i < warmup + count; i++) {
    const question = questions[i % questions.length] as string;
    const started = performance.now();
    const slash = { name: "ask", guildId, options: askOptions({ question }) };
    const reply = await server.slash(slash).reply();
    const ms = performance.now() - started;
    // What the server keeps for the tests would otherwise fill the heap the bots share with it.
    server.forget();
    if (i >= warmup) {
      times.push(ms);
      if ((reply?.embeds?.length ?? 0) > 0) answered++;
    }
  }
  return { times, answered };
}

/** Runs `start` as shard `shard` of two, as the ShardingManager would (discord.js reads these). */
async function asShard<T>(shard: number, start: () => Promise<T>): Promise<T> {
  process.env.SHARDS = JSON.stringify([shard]);
  process.env.SHARD_COUNT = "2";
  try {
    return await start();
  } finally {
    delete process.env.SHARDS;
    delete process.env.SHARD_COUNT;
  }
}

async function startPingBot(config: BotConfig): Promise<Client> {
  const ping = createClient(config);
  ping.on(Events.InteractionCreate, (interaction) => {
    if (interaction.isRepliable()) void interaction.reply("pong");
  });
  const ready = new Promise<void>((resolve) => ping.once(Events.ClientReady, () => resolve()));
  await ping.login(config.DISCORD_TOKEN);
  await ready;
  return ping;
}

export async function measureRoundTrips(options: {
  corpusDir: string;
  questions: readonly string[];
  count: number;
  /** Untimed interactions at the start of each turn. */
  warmup: number;
  /** Untimed interactions each bot answers before the turns (default SETTLE_INTERACTIONS). */
  settle?: number;
  /** Turns each bot takes (default 5). */
  blocks?: number;
  /** Wraps each bot's timed interactions (e.g. to profile them one bot at a time). */
  around?: <T>(name: string, work: () => Promise<T>) => Promise<T>;
}): Promise<RoundTrips> {
  const around = options.around ?? (<T>(_name: string, work: () => Promise<T>) => work());
  const blocks = Math.max(1, Math.min(options.blocks ?? 5, options.count));
  // Guild ids are consecutive snowflakes, so the two guilds belong to different shards.
  const server = await startLoopbackDiscord({ guilds: 2 });
  const corpusDir = await mkdtemp(join(tmpdir(), "answer-bot-bench-rtt-corpus-"));
  const dataDir = await mkdtemp(join(tmpdir(), "answer-bot-bench-rtt-data-"));
  let ping: Client | undefined;
  let bot: Awaited<ReturnType<typeof startBot>> | undefined;
  try {
    await cp(options.corpusDir, corpusDir, { recursive: true });
    const config = botConfig({
      DISCORD_TOKEN: server.token,
      DISCORD_API_URL: server.apiUrl,
      DISCORD_APPLICATION_ID: server.applicationId,
      CORPUS_DIR: corpusDir,
      DATA_DIR: dataDir,
      LOG_LEVEL: "silent",
      RATE_LIMIT_PER_MINUTE: "0",
      MENTIONS: "off",
    });
    bot = await asShard(0, () => startBot(config));
    const passages = bot.library.stats().passages;
    ping = await asShard(1, () => startPingBot(config));
    const guildOf = (shard: number) => server.guilds.find((g) => shardOf(g.id, 2) === shard)?.id;
    const ours = guildOf(0);
    const theirs = guildOf(1);
    if (ours === undefined || theirs === undefined) throw new Error("no guild for each shard");
    const turns = {
      ask: (count: number, warmup: number) => trips(server, ours, options.questions, count, warmup),
      ping: (count: number, warmup: number) =>
        trips(server, theirs, options.questions, count, warmup),
    };
    const names = {
      ask: "discord: /ask round trips (our bot)",
      ping: "discord: ping bot round trips",
    };
    const settle = options.settle ?? SETTLE_INTERACTIONS;
    for (const turn of [turns.ping, turns.ask]) await turn(0, settle);
    const times = { ask: [] as number[], ping: [] as number[] };
    let answered = 0;
    for (let block = 0; block < blocks; block++) {
      const count =
        Math.floor((options.count * (block + 1)) / blocks) -
        Math.floor((options.count * block) / blocks);
      // Each bot goes first in every other block.
      const order = block % 2 === 0 ? (["ping", "ask"] as const) : (["ask", "ping"] as const);
      for (const which of order) {
        const result = await around(names[which], () => turns[which](count, options.warmup));
        times[which].push(...result.times);
        if (which === "ask") answered += result.answered;
      }
    }
    return { ...times, passages, answered };
  } finally {
    await ping?.destroy();
    await bot?.stop();
    await server.close();
    await rm(corpusDir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  }
}
