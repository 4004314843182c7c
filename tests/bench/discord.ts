/**
 * /ask round trips through the loopback Discord server: our bot (startBot on a temp corpus)
 * against a bare discord.js client with the same options that answers "pong" to everything.
 * One at a time on the same server, since the server hands each interaction to every session.
 */
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Events } from "discord.js";
import { botConfig } from "../../src/config.ts";
import { createClient, startBot } from "../../src/discord/bot.ts";
import { askOptions } from "../support/bot-harness.ts";
import { type LoopbackDiscord, startLoopbackDiscord } from "../support/loopback-discord.ts";

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
  const times: number[] = [];
  let answered = 0;
  for (let i = 0; i < warmup + count; i++) {
    const question = questions[i % questions.length] as string;
    const started = performance.now();
    const reply = await server.slash({ name: "ask", options: askOptions({ question }) }).reply();
    const ms = performance.now() - started;
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
  /** Wraps each bot's timed interactions (e.g. to profile them one bot at a time). */
  around?: <T>(name: string, work: () => Promise<T>) => Promise<T>;
}): Promise<RoundTrips> {
  const around = options.around ?? (<T>(_name: string, work: () => Promise<T>) => work());
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

    const ping = createClient(config);
    ping.on(Events.InteractionCreate, (interaction) => {
      if (interaction.isRepliable()) void interaction.reply("pong");
    });
    const ready = new Promise<void>((resolve) => ping.once(Events.ClientReady, () => resolve()));
    await ping.login(config.DISCORD_TOKEN);
    await ready;
    const pingTrips = await around("discord: ping bot round trips", () =>
      trips(server, options.questions, options.count, options.warmup),
    );
    await ping.destroy();

    const bot = await startBot(config);
    const askTrips = await around("discord: /ask round trips (our bot)", () =>
      trips(server, options.questions, options.count, options.warmup),
    );
    const passages = bot.library.stats().passages;
    await bot.stop();
    return { ask: askTrips.times, ping: pingTrips.times, passages, answered: askTrips.answered };
  } finally {
    await server.close();
    await rm(corpusDir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  }
}
