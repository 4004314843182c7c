import { afterEach, describe, expect, it, vi } from "vitest";
import {
  ask,
  closeHarnesses,
  EPHEMERAL,
  failedRequests,
  startHarness,
} from "../support/bot-harness.ts";
import type { JsonBody } from "../support/loopback-discord.ts";

afterEach(() => {
  vi.restoreAllMocks();
  return closeHarnesses();
});

const QUESTION = "Who pays for the deportation flights from Panama?";
const APOLOGY = /^Sorry, something went wrong/u;
const SLOW_DOWN = /faster than I can keep up with\. Please wait \d+ s/u;

describe("a command that throws", () => {
  it("gets a short private apology, and the next question is answered", async () => {
    const { server, bot } = await startHarness();
    const answer = vi.spyOn(bot.library, "answer").mockImplementationOnce(() => {
      throw new Error("injected failure");
    });

    const failed: JsonBody = await ask(server, { question: QUESTION }).reply();
    expect(failed.content).toMatch(APOLOGY);
    expect(failed.content).not.toContain("injected");
    expect(failed.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(failed.embeds ?? []).toEqual([]);

    const next: JsonBody = await ask(server, { question: QUESTION }).reply();
    expect(next.embeds.length).toBeGreaterThan(0);
    expect(answer).toHaveBeenCalledTimes(2);
    expect(failedRequests(server)).toEqual([]);
  });

  it("in a DM gets the apology too, and the next DM is answered", async () => {
    const { server, bot } = await startHarness();
    vi.spyOn(bot.library, "answer").mockImplementationOnce(() => {
      throw new Error("injected failure");
    });

    const [failed] = await server.message({ content: QUESTION, dm: true }).replies();
    expect(failed.content).toMatch(APOLOGY);
    const [next] = await server.message({ content: QUESTION, dm: true }).replies();
    expect(next.embeds.length).toBeGreaterThan(0);
    expect(failedRequests(server)).toEqual([]);
  });
});

describe("rate limit", () => {
  it("asks a user who goes too fast to slow down, and keeps answering others", async () => {
    const { server } = await startHarness({ env: { RATE_LIMIT_PER_MINUTE: "2" } });
    const hasty = server.addUser({ username: "hasty" });
    const other = server.addUser({ username: "other" });

    const replies: JsonBody[] = [];
    for (let i = 0; i < 3; i++) {
      replies.push(await ask(server, { question: QUESTION }, { user: hasty }).reply());
    }
    const [first, second, third] = replies;
    expect(first.embeds.length).toBeGreaterThan(0);
    // 2 per minute allows a burst of 1 (half the rate, as .env.example says): the rest wait.
    for (const refused of [second, third]) {
      expect(refused.content).toMatch(SLOW_DOWN);
      expect(refused.flags & EPHEMERAL).toBe(EPHEMERAL);
      expect(refused.embeds ?? []).toEqual([]);
    }
    // Button clicks count too.
    const click: JsonBody = await server.button({ customId: "ask:fb:up", user: hasty }).reply();
    expect(click.content).toMatch(SLOW_DOWN);

    const answered: JsonBody = await ask(server, { question: QUESTION }, { user: other }).reply();
    expect(answered.embeds.length).toBeGreaterThan(0);
    expect(failedRequests(server)).toEqual([]);
  });
});
