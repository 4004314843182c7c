import { cp } from "node:fs/promises";
import { afterEach, describe, expect, test } from "vitest";
import { SAMPLE_CORPUS } from "../fixtures/helpers.ts";
import {
  ask,
  botEnv,
  closeHarnesses,
  failedRequests,
  startServer,
  tempDir,
} from "../support/bot-harness.ts";
import { type BotProcess, startBotProcess } from "../support/bot-process.ts";
import { BURST_QUESTIONS, fate, SLOW_DOWN } from "../support/burst.ts";
import type { InteractionHandle, JsonBody } from "../support/loopback-discord.ts";

/**
 * A burst of /ask from many users with a /reload in the middle and one user flooding:
 * every interaction is answered exactly once, within Discord's 3 s window or deferred
 * first, and the flood gets "slow down" replies without starving anyone else. The bot
 * runs in its own process, so the server's clock is not slowed by the bot's work.
 * (tests/stress/stress.ts runs the same with 1,000 interactions and prints the figures.)
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
