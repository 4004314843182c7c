import { cp } from "node:fs/promises";
import { afterEach, describe, expect, test } from "vitest";
import { MAX_FILES } from "../../src/corpus/load.ts";
import { FIXTURE_CORPUS, SAMPLE_CORPUS } from "../fixtures/helpers.ts";
import {
  ask,
  botEnv,
  closeHarnesses,
  failedRequests,
  startServer,
  tempDir,
} from "../support/bot-harness.ts";
import { type BotProcess, startBotProcess } from "../support/bot-process.ts";
import { writeBulletins } from "../support/bulletins.ts";
import { BURST_QUESTIONS, fate, SLOW_DOWN } from "../support/burst.ts";
import type { InteractionHandle, JsonBody, LoopbackDiscord } from "../support/loopback-discord.ts";

/**
 * A burst of /ask from many users with a /reload in the middle and one user flooding:
 * every interaction is answered exactly once, within Discord's 3 s window or deferred
 * first, and the flood gets "slow down" replies without starving anyone else. The bot
 * runs in its own process, so the server's clock is not slowed by the bot's work.
 * (tests/stress/stress.ts runs the same with 1,000 interactions and prints the figures.)
 * Autocomplete too is answered in turn with everything else and capped per user, and what
 * it computes does not grow with the square of the corpus, so one user typing cannot make
 * another user's question expire.
 */

let bot: BotProcess | undefined;
afterEach(async () => {
  bot?.kill();
  bot = undefined;
  await closeHarnesses();
});

const WINDOW_MS = 3000;
const ADMIN = { id: "223344556677889900", username: "admin" };

interface Sent {
  handle: InteractionHandle;
  dispatchedAt: number;
}

describe("a burst of 200 /ask from 20 users, a /reload and a flood", () => {
  test("every interaction is answered exactly once, within 3 s or deferred; the flood starves no one", async () => {
    const server = await startServer();
    const corpusDir = await tempDir("answer-bot-load-corpus-");
    await cp(SAMPLE_CORPUS, corpusDir, { recursive: true });
    const dataDir = await tempDir("answer-bot-load-data-");
    bot = startBotProcess({
      env: botEnv(
        server,
        { corpusDir, dataDir },
        {
          // The default limit: 20 a minute, bursts of 10. Each user asks 10 times: all within it.
          RATE_LIMIT_PER_MINUTE: "20",
          ADMIN_USER_IDS: ADMIN.id,
          // Answers as costly as on a corpus of a few thousand documents: 200 of them are
          // 3 s of CPU, so answering each event as it arrives would miss the window.
          TEST_ANSWER_COST_MS: "15",
        },
      ),
    });
    await bot.ready;
    const users = Array.from({ length: 20 }, (_, i) => server.addUser({ username: `user${i}` }));
    const flooder = server.addUser({ username: "flooder" });
    const sent: Sent[] = [];
    const flood: Sent[] = [];
    let reload: InteractionHandle | undefined;
    for (let i = 0; i < 200; i++) {
      const user = users[i % users.length];
      sent.push({
        dispatchedAt: Date.now(),
        handle: ask(
          server,
          { question: BURST_QUESTIONS[i % BURST_QUESTIONS.length] as string },
          { user },
        ),
      });
      // The flooder sends one of every three interactions of the burst (100 in all).
      if (i % 2 === 0) {
        flood.push({
          dispatchedAt: Date.now(),
          handle: ask(server, { question: BURST_QUESTIONS[0] as string }, { user: flooder }),
        });
      }
      if (i === 100) reload = server.slash({ name: "reload", user: ADMIN, inGuild: false });
    }

    const results = await Promise.all(
      sent.map((s) => fate(server, s.handle, s.dispatchedAt, 30_000)),
    );
    const flooded = await Promise.all(
      flood.map((s) => fate(server, s.handle, s.dispatchedAt, 30_000)),
    );
    for (const result of [...results, ...flooded]) {
      expect(result.replies).toBe(1);
      expect(result.edits).toBe(result.deferred ? 1 : 0);
      if (!result.deferred) expect(result.ms).toBeLessThanOrEqual(WINDOW_MS);
    }
    // Everyone else got a real answer, not a "slow down".
    for (const { reply } of results) {
      expect(String(reply.content)).not.toMatch(SLOW_DOWN);
      expect(String(reply.content)).toMatch(/^\*\*Q:\*\* /u);
    }
    expect(results.filter((r) => (r.reply.embeds?.length ?? 0) > 0)).toHaveLength(150);
    // The flooder got the burst allowance answered and was asked to slow down for the rest.
    const slowed = flooded.filter((r) => SLOW_DOWN.test(String(r.reply.content)));
    expect(slowed).toHaveLength(90);
    expect(flooded.length - slowed.length).toBe(10);

    const reloaded: JsonBody = await reload?.reply(30_000);
    expect(reloaded.content).toMatch(/^\*\*Reloaded\*\*/u);
    expect(await bot.stop()).toEqual([]);
    expect(failedRequests(server)).toEqual([]);
  });
});

const QUESTION = "Who pays for the deportation flights?";
/** A question the fixture corpus answers. */
const SEASONAL = "When must employers register seasonal workers?";

async function startBot(
  corpus: (dir: string) => Promise<void>,
  env: Record<string, string>,
): Promise<LoopbackDiscord> {
  const server = await startServer();
  const corpusDir = await tempDir("answer-bot-autocomplete-corpus-");
  await corpus(corpusDir);
  const dataDir = await tempDir("answer-bot-autocomplete-data-");
  bot = startBotProcess({ env: botEnv(server, { corpusDir, dataDir }, env) });
  await bot.ready;
  return server;
}

const fixtureCorpus = (dir: string) => cp(FIXTURE_CORPUS, dir, { recursive: true });

function send(handle: () => InteractionHandle): Sent {
  return { dispatchedAt: Date.now(), handle: handle() };
}

function suggest(
  server: LoopbackDiscord,
  user: ReturnType<LoopbackDiscord["addUser"]>,
  focused: { name: "question" | "source"; value: string },
): InteractionHandle {
  const others = focused.name === "source" ? [{ name: "question", type: 3, value: QUESTION }] : [];
  return server.autocomplete({
    name: "ask",
    user,
    options: [...others, { name: focused.name, type: 3, value: focused.value, focused: true }],
  });
}

describe("sources at the corpus limit", () => {
  test(`another user's /ask is answered while one user types into source: on ${MAX_FILES} documents`, async () => {
    const server = await startBot((dir) => writeBulletins(dir, 0, MAX_FILES), {
      RATE_LIMIT_PER_MINUTE: "0",
    });
    const typist = server.addUser({ username: "typist" });
    const asker = server.addUser({ username: "asker" });
    const wanted = "bulletin-4321";
    const keystrokes: Sent[] = [];
    let question: Sent | undefined;
    for (let i = 1; i <= wanted.length; i++) {
      keystrokes.push(
        send(() => suggest(server, typist, { name: "source", value: wanted.slice(0, i) })),
      );
      if (i === 3) question = send(() => ask(server, { question: QUESTION }, { user: asker }));
    }
    // Then the typist asks about the document picked, and lists the documents.
    const chosen = send(() =>
      ask(server, { question: QUESTION, source: wanted }, { user: typist }),
    );
    const listed = send(() => server.slash({ name: "sources", user: typist }));

    const { handle, dispatchedAt } = question as Sent;
    const answered = await fate(server, handle, dispatchedAt, 30_000);
    expect(answered.deferred).toBe(false);
    expect(answered.ms).toBeLessThanOrEqual(WINDOW_MS);
    expect(answered.reply.embeds.length).toBeGreaterThan(0);
    for (const { handle, dispatchedAt } of [...keystrokes, chosen, listed]) {
      const { ms, deferred } = await fate(server, handle, dispatchedAt, 30_000);
      expect(deferred).toBe(false);
      expect(ms).toBeLessThanOrEqual(WINDOW_MS);
    }
    const first: JsonBody = await keystrokes[0]?.handle.reply();
    expect(first.choices).toHaveLength(25);
    const last: JsonBody = await keystrokes.at(-1)?.handle.reply();
    expect(last.choices.map((c: JsonBody) => c.value)).toEqual([wanted]);
    const about: JsonBody = await chosen.handle.reply();
    expect(about.embeds.length).toBeGreaterThan(0);
    for (const embed of about.embeds) expect(embed.title).toMatch(/^Bulletin 4321: /u);
    const list: JsonBody = await listed.handle.reply();
    expect(list.embeds[0].title).toBe(`Documents (${MAX_FILES})`);
    expect(failedRequests(server)).toEqual([]);
  }, 180_000);
});

describe("autocomplete under load", () => {
  test("takes its turn: during a burst of 100 autocompletes from one user, another user's /ask is answered in time", async () => {
    // Each suggestion costs 40 ms: the burst is 4 s of work, past Discord's 3 s window.
    const server = await startBot(fixtureCorpus, {
      RATE_LIMIT_PER_MINUTE: "0",
      TEST_SUGGESTION_COST_MS: "40",
    });
    const flooder = server.addUser({ username: "flooder" });
    const asker = server.addUser({ username: "asker" });
    const flood = Array.from({ length: 100 }, (_, i) =>
      send(() => suggest(server, flooder, { name: "question", value: `albania ${i}` })),
    );
    const question = send(() => ask(server, { question: SEASONAL }, { user: asker }));

    const answered = await fate(server, question.handle, question.dispatchedAt, 30_000);
    expect(answered.deferred).toBe(false);
    expect(answered.ms).toBeLessThanOrEqual(WINDOW_MS);
    expect(answered.reply.embeds.length).toBeGreaterThan(0);
    for (const { handle } of flood) {
      const suggested: JsonBody = await handle.reply(30_000);
      expect(suggested.choices.length).toBeGreaterThan(0);
    }
    expect(failedRequests(server)).toEqual([]);
  }, 120_000);

  test("is rate-limited: over the allowance a user gets an empty list, and can still ask", async () => {
    // 2 questions a minute: suggestions get ten times that, in bursts of 10.
    const server = await startBot(fixtureCorpus, { RATE_LIMIT_PER_MINUTE: "2" });
    const flooder = server.addUser({ username: "flooder" });
    const other = server.addUser({ username: "other" });
    const flood = Array.from({ length: 100 }, (_, i) =>
      suggest(server, flooder, { name: "question", value: `albania ${i}` }),
    );
    const lists: JsonBody[] = await Promise.all(flood.map((handle) => handle.reply(30_000)));
    const empty = lists.filter((list) => list.choices.length === 0).length;
    // The burst allowance, and the one a refill may add while the burst arrives.
    expect(100 - empty).toBeGreaterThanOrEqual(10);
    expect(100 - empty).toBeLessThanOrEqual(12);
    const theirs: JsonBody = await suggest(server, other, {
      name: "question",
      value: "albania",
    }).reply();
    expect(theirs.choices.length).toBeGreaterThan(0);
    const asked: JsonBody = await ask(server, { question: SEASONAL }, { user: flooder }).reply();
    expect(asked.embeds.length).toBeGreaterThan(0);
    expect(failedRequests(server)).toEqual([]);
  }, 60_000);
});
