/**
 * /ask round trips through the loopback Discord server: our bot (startBot on a temp corpus)
 * against a bare discord.js client with the same options that answers "pong" to everything,
 * and a third that answers with our bot's engine and reply but nothing else (no router,
 * rate limit, turns or deferral): the least any bot giving this answer can take. The three
 * run side by side as the three shards of one application, each with a guild of its own:
 * the server routes a guild's interactions to its shard, so each bot gets only its own.
 * All stay up for the whole run, as a running bot does, and take turns in blocks, so a
 * change in the machine's load over the run falls on each.
 */
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Client, Events, type Interaction } from "discord.js";
import { answerReply, DEFAULT_RESULTS } from "../../commands/ask.ts";
import { type BotConfig, botConfig } from "../../src/config.ts";
import { createClient, startBot } from "../../src/discord/bot.ts";
import { messagePayload } from "../../src/discord/respond.ts";
import type { Library } from "../../src/search/library.ts";
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
  /** The same, for the bot that only answers with the engine. */
  engine: number[];
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

const BOTS = ["ask", "ping", "engine"] as const;
type Bot = (typeof BOTS)[number];

/** Runs `start` as shard `shard` of three, as the ShardingManager would (discord.js reads these). */
async function asShard<T>(shard: number, start: () => Promise<T>): Promise<T> {
  process.env.SHARDS = JSON.stringify([shard]);
  process.env.SHARD_COUNT = String(BOTS.length);
  try {
    return await start();
  } finally {
    delete process.env.SHARDS;
    delete process.env.SHARD_COUNT;
  }
}

async function startBareBot(
  config: BotConfig,
  onInteraction: (interaction: Interaction) => void,
): Promise<Client> {
  const client = createClient(config);
  client.on(Events.InteractionCreate, onInteraction);
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(config.DISCORD_TOKEN);
  await ready;
  return client;
}

function pong(interaction: Interaction): void {
  if (interaction.isRepliable()) void interaction.reply("pong");
}

/** Answers /ask as our bot does, with its library, but with none of its router. */
function engineOnly(library: Library): (interaction: Interaction) => void {
  return async (interaction) => {
    if (!interaction.isChatInputCommand()) return;
    const question = interaction.options.getString("question") ?? "";
    const view = { k: DEFAULT_RESULTS, offset: 0 };
    const reply = await answerReply({ library, language: "en" }, question, view);
    void interaction.reply(messagePayload(reply));
  };
}

/** The profiler's name for each bot's round trips. */
export const PHASES: Record<Bot, string> = {
  ask: "discord: /ask round trips (our bot)",
  ping: "discord: ping bot round trips",
  engine: "discord: engine-only bot round trips",
};

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
  // Guild ids are consecutive snowflakes, so each guild belongs to a different shard.
  const server = await startLoopbackDiscord({ guilds: BOTS.length });
  const corpusDir = await mkdtemp(join(tmpdir(), "answer-bot-bench-rtt-corpus-"));
  const dataDir = await mkdtemp(join(tmpdir(), "answer-bot-bench-rtt-data-"));
  const bare: Client[] = [];
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
    const library = bot.library;
    bare.push(await asShard(1, () => startBareBot(config, pong)));
    bare.push(await asShard(2, () => startBareBot(config, engineOnly(library))));
    const guilds = BOTS.map((_, shard) => {
      const guild = server.guilds.find((g) => shardOf(g.id, BOTS.length) === shard);
      if (!guild) throw new Error(`no guild for shard ${shard}`);
      return guild.id;
    });
    const turn = (which: Bot, count: number, warmup: number) =>
      trips(server, guilds[BOTS.indexOf(which)] as string, options.questions, count, warmup);
    const settle = options.settle ?? SETTLE_INTERACTIONS;
    for (const which of BOTS) await turn(which, 0, settle);
    const times: Record<Bot, number[]> = { ask: [], ping: [], engine: [] };
    let answered = 0;
    for (let block = 0; block < blocks; block++) {
      const count =
        Math.floor((options.count * (block + 1)) / blocks) -
        Math.floor((options.count * block) / blocks);
      // Each bot goes first in turn.
      const order = BOTS.map((_, i) => BOTS[(block + i) % BOTS.length] as Bot);
      for (const which of order) {
        const result = await around(PHASES[which], () => turn(which, count, options.warmup));
        times[which].push(...result.times);
        if (which === "ask") answered += result.answered;
      }
    }
    return { ...times, passages: library.stats().passages, answered };
  } finally {
    for (const client of bare) await client.destroy();
    await bot?.stop();
    await server.close();
    await rm(corpusDir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  }
}
