import { afterEach, describe, expect, it } from "vitest";
import {
  closeHarnesses,
  customIds,
  failedRequests,
  limitProblems,
  sleep,
  startHarness,
} from "../support/bot-harness.ts";
import type { JsonBody, LoopbackDiscord } from "../support/loopback-discord.ts";

afterEach(closeHarnesses);

const QUESTION = "Who pays for the deportation flights from Panama?";
const NOISY = "Who pays for the flights @everyone <@&123> **x** _y_ ~~z~~ `code`";

function expectAnswer(body: JsonBody): void {
  expect(body.content).toMatch(/^\*\*Q:\*\* /u);
  expect(body.embeds.length).toBeGreaterThan(0);
  expect(body.embeds[0].footer.text).toBeTruthy();
  expect(customIds(body).some((id) => id.startsWith("ask:ctx:"))).toBe(true);
  expect(customIds(body)).toContain("ask:fb:up");
  expect(body.allowed_mentions?.parse).toEqual([]);
  expect(limitProblems(body)).toEqual([]);
}

/** Bot messages posted to a channel (not interaction replies). */
function channelPosts(server: LoopbackDiscord, channelId: string): JsonBody[] {
  return server.requests
    .filter((r) => r.method === "POST" && r.path === `/api/v10/channels/${channelId}/messages`)
    .map((r) => r.body);
}

describe("direct messages", () => {
  it("answers a question with embeds and buttons, as a reply to it", async () => {
    const { server } = await startHarness();
    const handle = server.message({ content: QUESTION, dm: true });
    const [reply] = await handle.replies();

    expectAnswer(reply);
    expect(reply.content).toContain(QUESTION);
    expect(reply.message_reference?.message_id).toBe(handle.messageId);
    expect(handle.channelId).not.toBe(server.channelId);
    expect(failedRequests(server)).toEqual([]);
  });

  it("repeats a question full of mentions and markdown escaped, with mentions off", async () => {
    const { server } = await startHarness();
    const [reply] = await server.message({ content: NOISY, dm: true }).replies();

    expect(reply.allowed_mentions?.parse).toEqual([]);
    const line = String(reply.content).split("\n")[0];
    expect(line).toMatch(/^\*\*Q:\*\* /u);
    expect(line).toContain("\\*\\*x\\*\\*");
    expect(line).toContain("\\_y\\_");
    expect(line).toContain("\\~\\~z\\~\\~");
    expect(line).toContain("\\`code\\`");
    expect(line).toContain("@everyone");
    expect(line).toContain("<@&123>");
    expect(failedRequests(server)).toEqual([]);
  });

  it("asks for a question when the message has no text", async () => {
    const { server } = await startHarness();
    const [reply] = await server.message({ content: "   ", dm: true }).replies();
    expect(reply.content).toMatch(/send me a question/iu);
    expect(reply.embeds ?? []).toEqual([]);
  });
});

describe("mentions", () => {
  it("with MENTIONS=on, answers a guild message that mentions the bot, in the channel", async () => {
    const { server } = await startHarness({ env: { MENTIONS: "on" } });
    server.message({ content: QUESTION });
    const mention = server.message({ content: QUESTION, mentionBot: true });
    expect(mention.channelId).toBe(server.channelId);
    const [reply] = await mention.replies();

    expectAnswer(reply);
    expect(reply.content).toBe(`**Q:** ${QUESTION}`);
    expect(reply.message_reference?.message_id).toBe(mention.messageId);
    // The message without a mention got no answer: the only post is the reply to the mention.
    await sleep(100);
    expect(channelPosts(server, server.channelId)).toHaveLength(1);
    expect(failedRequests(server)).toEqual([]);
  });

  it("with MENTIONS off, ignores mentions in guild channels but still answers DMs", async () => {
    const { server } = await startHarness({ env: { MENTIONS: "off" } });
    server.message({ content: QUESTION, mentionBot: true });
    const [dm] = await server.message({ content: QUESTION, dm: true }).replies();
    expectAnswer(dm);

    await sleep(200);
    expect(channelPosts(server, server.channelId)).toEqual([]);
    expect(failedRequests(server)).toEqual([]);
  });
});
