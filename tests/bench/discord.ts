/**
 * /ask round trips through the loopback Discord server: our bot (startBot on a temp corpus)
 * against a bare discord.js client with the same options that answers "pong" to everything.
 * One bot at a time on the same server, since the server hands each interaction to every
 * session; the two take turns in blocks, so a change in the machine's load over the run
 * falls on both.
 */
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Events } from "discord.js";
import { botConfig } from "../../src/config.ts";
import { createClient, startBot } from "../../src/discord/bot.ts";
import { askOptions } from "../support/bot-harness.ts";
import { type LoopbackDiscord, startLoopbackDiscord } from "../support/loopback-discord.ts";
import { collect } from "./measure.ts";

export interface RoundTrips {
  /** Milliseconds from dispatching the interaction to receiving the bot's reply, per /ask. */
  ask: number[];
  ping: number[];
  passages: number;
  answered: number;
}

async function trips(
  server: LoopbackDiscord,
  questions: readonly string[],
  count: number,
  warmup: number,
): Promise<{ times: number[]; answered: number }> {
  // The garbage of starting the bot (loading the corpus, for ours) is collected now, as for
  // the answer latencies, not by a full collection in the middle of the timed trips: the
  // trips measure a running bot. The warm-up then covers the sweeping it leaves.
  collect();
  const times: number[] = [];
  let answered = 0;
  for (let i = 0; i < warmup + count; i++) {
    const question = questions[i % questions.length] as string;
    const started = performance.now();
    const reply = await server.slash({ name: "ask", options: askOptions({ question }) }).reply();
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

export async function measureRoundTrips(options: {
  corpusDir: string;
  questions: readonly string[];
  count: number;
  warmup: number;
  /** Turns each bot takes (default 5); each turn starts the bot afresh and warms it up. */
  blocks?: number;
  /** Wraps each bot's timed interactions (e.g. to profile them one bot at a time). */
  around?: <T>(name: string, work: () => Promise<T>) => Promise<T>;
}): Promise<RoundTrips> {
  const around = options.around ?? (<T>(_name: string, work: () => Promise<T>) => work());
  const blocks = Math.max(1, Math.min(options.blocks ?? 5, options.count));
  const server = await startLoopbackDiscord();
  const corpusDir = await mkdtemp(join(tmpdir(), "answer-bot-bench-rtt-corpus-"));
  const dataDir = await mkdtemp(join(tmpdir(), "answer-bot-bench-rtt-data-"));
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
    const pingTurn = async (count: number) => {
      const ping = createClient(config);
      ping.on(Events.InteractionCreate, (interaction) => {
        if (interaction.isRepliable()) void interaction.reply("pong");
      });
      const ready = new Promise<void>((resolve) => ping.once(Events.ClientReady, () => resolve()));
      await ping.login(config.DISCORD_TOKEN);
      await ready;
      try {
        return await around("discord: ping bot round trips", () =>
          trips(server, options.questions, count, options.warmup),
        );
      } finally {
        await ping.destroy();
      }
    };
    let passages = 0;
    const askTurn = async (count: number) => {
      const bot = await startBot(config);
      try {
        passages = bot.library.stats().passages;
        return await around("discord: /ask round trips (our bot)", () =>
          trips(server, options.questions, count, options.warmup),
        );
      } finally {
        await bot.stop();
      }
    };
    const ask: number[] = [];
    const ping: number[] = [];
    let answered = 0;
    for (let block = 0; block < blocks; block++) {
      const count =
        Math.floor((options.count * (block + 1)) / blocks) -
        Math.floor((options.count * block) / blocks);
      // Each bot goes first in every other block.
      const turns =
        block % 2 === 0 ? ([pingTurn, askTurn] as const) : ([askTurn, pingTurn] as const);
      for (const turn of turns) {
        const result = await turn(count);
        if (turn === askTurn) {
          ask.push(...result.times);
          answered += result.answered;
        } else ping.push(...result.times);
      }
    }
    return { ask, ping, passages, answered };
  } finally {
    await server.close();
    await rm(corpusDir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  }
}
