import { once } from "node:events";
import { Events } from "discord.js";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { DEFER_AFTER_MS } from "../../src/discord/respond.ts";
import { FeedbackLog } from "../../src/feedback.ts";
import { setLogLevel } from "../../src/log.ts";
import { ask, closeHarnesses, EPHEMERAL, sleep, startHarness } from "../support/bot-harness.ts";
import type { InteractionHandle, JsonBody, LoopbackDiscord } from "../support/loopback-discord.ts";

/**
 * Network faults between the bot and Discord, on the loopback server: dropped gateway
 * connections, rate-limited and failing REST calls, interactions that can no longer be
 * answered. The bot resumes or reconnects, retries or gives up with a log line, and
 * answers the next command.
 */

const QUESTION = "Who pays for the deportation flights from Panama?";
const DEFERRED = 5;
const CHANNEL_MESSAGE = 4;

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
let logged: string[] = [];

beforeAll(() => {
  process.on("unhandledRejection", onUnhandled);
});
afterAll(() => {
  process.off("unhandledRejection", onUnhandled);
});
beforeEach(() => {
  logged = [];
  unhandled.length = 0;
});
afterEach(async () => {
  setLogLevel("silent");
  vi.restoreAllMocks();
  await closeHarnesses();
  expect(unhandled).toEqual([]);
});

/** Starts the bot and records its log (warn and up) from then on. */
async function start(env: Record<string, string> = {}) {
  const harness = await startHarness({ env });
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    logged.push(String(chunk));
    return true;
  });
  setLogLevel("warn");
  return harness;
}

async function expectAnswered(handle: InteractionHandle): Promise<JsonBody> {
  const reply: JsonBody = await handle.reply(10_000);
  expect(reply.embeds?.length ?? 0).toBeGreaterThan(0);
  expect(handle.followUps).toEqual([]);
  return reply;
}

/** Resolves once `probe` holds (checked every 20 ms), or fails after `timeoutMs`. */
async function until(probe: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function callbacksOf(server: LoopbackDiscord, handle: InteractionHandle) {
  return server.requests.filter((r) => r.path.includes(`/interactions/${handle.id}/`));
}

describe("gateway connection dropped mid-session", () => {
  for (const [code, how] of [
    [4000, "an error close"],
    [1006, "a cut TCP connection"],
  ] as const) {
    test(`after ${how} (${code}) the bot resumes: answers in flight, missed and next arrive`, async () => {
      const { server, bot } = await start();
      const resumed = once(bot.client, Events.ShardResume);
      const inFlight = ask(server, { question: QUESTION });
      server.dropGatewayConnections(code);
      // Dispatched while the bot is disconnected: only a RESUME replays it.
      const missed = ask(server, { question: QUESTION });
      await resumed;
      await expectAnswered(inFlight);
      await expectAnswered(missed);
      await expectAnswered(ask(server, { question: QUESTION }));
      expect(server.gatewayResumes).toBe(1);
      expect(server.gatewayIdentifies).toBe(1);
    });
  }
});

describe("REST faults on interaction callbacks", () => {
  test("429 with retry_after: discord.js waits, retries and the answer arrives once", async () => {
    const { server } = await start();
    server.failNext(
      { method: "POST", pathIncludes: "/callback" },
      { status: 429, retryAfter: 0.5 },
    );
    const handle = ask(server, { question: QUESTION });
    await expectAnswered(handle);
    const attempts = callbacksOf(server, handle);
    expect(attempts.map((a) => a.status)).toEqual([429, 204]);
    expect((attempts[1]?.at ?? 0) - (attempts[0]?.at ?? 0)).toBeGreaterThanOrEqual(500);
  });

  test("429 on a DM reply: retried, and the DM is answered once", async () => {
    const { server } = await start();
    server.failNext(
      { method: "POST", pathIncludes: "/messages" },
      { status: 429, retryAfter: 0.3 },
    );
    const sent = server.message({ content: QUESTION, dm: true });
    const [reply] = await sent.replies(1, 10_000);
    expect(reply.embeds.length).toBeGreaterThan(0);
    await sleep(300);
    const posts = server.requests.filter(
      (r) => r.method === "POST" && r.path.includes("/messages"),
    );
    expect(posts.map((p) => p.status)).toEqual([429, 200]);
  });

  test("a few 500s: retried by discord.js, answered once", async () => {
    const { server } = await start();
    server.failNext({ method: "POST", pathIncludes: "/callback" }, { status: 500, times: 3 });
    const handle = ask(server, { question: QUESTION });
    await expectAnswered(handle);
    expect(callbacksOf(server, handle).map((a) => a.status)).toEqual([500, 500, 500, 204]);
  });

  test("a callback that keeps failing with 500 is logged and given up; the next works", async () => {
    const { server, bot } = await start();
    const doomed = ask(server, { question: QUESTION });
    server.failNext({ pathIncludes: `/interactions/${doomed.id}/` }, { status: 500, times: 1000 });
    // The reply and then the apology, each tried 4 times by discord.js (3 retries).
    await until(() => callbacksOf(server, doomed).length === 8, "8 attempts");
    await bot.router.drain();
    expect(callbacksOf(server, doomed).every((a) => a.status === 500)).toBe(true);
    expect(logged.some((line) => line.includes("error interaction /ask failed"))).toBe(true);
    expect(logged.some((line) => line.includes("could not send an apology"))).toBe(true);
    await expectAnswered(ask(server, { question: QUESTION }));
  });

  test("an unknown interaction (404 10062, answered too late) is logged; the next works", async () => {
    const { server, bot } = await start();
    const expired = ask(server, { question: QUESTION });
    server.failNext(
      { pathIncludes: `/interactions/${expired.id}/` },
      { status: 404, body: { message: "Unknown interaction", code: 10062 }, times: 1000 },
    );
    // The reply, then the apology; a 4xx is not retried.
    await until(() => callbacksOf(server, expired).length === 2, "2 attempts");
    await bot.router.drain();
    expect(callbacksOf(server, expired).map((a) => a.status)).toEqual([404, 404]);
    expect(logged.some((line) => line.includes("Unknown interaction"))).toBe(true);
    await expectAnswered(ask(server, { question: QUESTION }));
  });

  test("a deferral that fails is logged, and the slow reply is still delivered", async () => {
    const { server, bot } = await start({ ADMIN_USER_IDS: "223344556677889900" });
    const admin = { id: "223344556677889900", username: "admin" };
    // /reload defers at once; its callback fails (after discord.js's retries), then works.
    server.failNext({ method: "POST", pathIncludes: "/callback" }, { status: 500, times: 4 });
    const handle = server.slash({ name: "reload", user: admin, inGuild: false });
    const reply: JsonBody = await handle.reply(10_000);
    expect(reply.content).toMatch(/^\*\*Reloaded\*\*/u);
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(callbacksOf(server, handle).map((a) => a.status)).toEqual([500, 500, 500, 500, 204]);
    expect((await handle.callback()).type).toBe(CHANNEL_MESSAGE);
    expect(logged.some((line) => line.includes("could not defer an interaction"))).toBe(true);
    await bot.router.drain();
  });

  test("work that outlasts the window is deferred by the timer, then delivered by an edit", async () => {
    const { server } = await start();
    await ask(server, { question: QUESTION }).reply();
    // The 👍 click's write stalls (a slow disk) past DEFER_AFTER_MS.
    const record = vi
      .spyOn(FeedbackLog.prototype, "record")
      .mockImplementation(() => sleep(DEFER_AFTER_MS + 500));
    const click = server.button({ customId: "ask:fb:up" });
    const callback = await click.callback();
    expect(callback.type).toBe(DEFERRED);
    expect(callback.data?.flags & EPHEMERAL).toBe(EPHEMERAL);
    const reply: JsonBody = await click.reply(10_000);
    expect(reply.content).toMatch(/thanks/iu);
    expect(click.edits).toHaveLength(1);
    expect(record).toHaveBeenCalledTimes(1);
  });
});
