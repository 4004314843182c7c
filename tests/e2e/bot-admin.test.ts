import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  ask,
  closeHarnesses,
  EPHEMERAL,
  failedRequests,
  startHarness,
} from "../support/bot-harness.ts";
import type { InteractionHandle, JsonBody, TestUser } from "../support/loopback-discord.ts";

afterEach(closeHarnesses);

const MANAGE_GUILD = "32";
const DEFERRED = 5;
const CHANNEL_MESSAGE = 4;
const ADMIN: TestUser = { id: "223344556677889900", username: "corpus-admin" };
const NEW_FILE = "zz-golfito-shelter.md";
const NEW_DOCUMENT = `---
title: "Costa Rica opens a temporary shelter for migrants in Golfito"
outlet: Loopback Wire
published: 2024-08-01
---
Costa Rica opens a temporary shelter for migrants in Golfito

Costa Rica opened a temporary shelter in the port town of Golfito on Thursday, where officials said up to four hundred migrants heading north could stay for three nights while they wait for buses to the Nicaraguan border.

The shelter in Golfito is run by the Costa Rican migration agency together with local volunteers, who said the town had never before received so many families in a single week.
`;
const NEW_QUESTION = "Where did Costa Rica open a shelter for migrants?";

async function startAdminHarness() {
  return startHarness({ env: { ADMIN_USER_IDS: ADMIN.id } });
}

async function expectRefused(handle: InteractionHandle): Promise<void> {
  expect((await handle.callback()).type).toBe(CHANNEL_MESSAGE);
  const reply: JsonBody = await handle.reply();
  expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
  expect(reply.content).toMatch(/^Sorry, only admins can reload/u);
}

async function expectReloaded(handle: InteractionHandle): Promise<JsonBody> {
  const callback = await handle.callback();
  // Reloading may be slow, so the bot defers at once, privately.
  expect(callback.type).toBe(DEFERRED);
  expect(callback.data?.flags & EPHEMERAL).toBe(EPHEMERAL);
  const reply: JsonBody = await handle.reply();
  expect(reply.content).toMatch(/^\*\*Reloaded\*\* in \d+ ms\./u);
  return reply;
}

describe("/reload", () => {
  it("reports what a member with Manage Server added, and answers from the new file", async () => {
    const { server, bot, corpusDir } = await startAdminHarness();
    const before = bot.library.stats();
    expect(before.documents).toBe(5);
    const unanswered: JsonBody = await ask(server, { question: NEW_QUESTION }).reply();
    expect(JSON.stringify(unanswered)).not.toContain("Golfito");

    await writeFile(join(corpusDir, NEW_FILE), NEW_DOCUMENT);
    const moderator = server.addUser({ username: "moderator" });
    const reply = await expectReloaded(
      server.slash({ name: "reload", user: moderator, permissions: MANAGE_GUILD }),
    );
    const after = bot.library.stats();
    expect(after.passages).toBeGreaterThan(before.passages);
    expect(reply.content).toContain(
      `Documents: 5 → 6 · Passages: ${before.passages} → ${after.passages}`,
    );
    expect(reply.content).toContain(`Added: ${NEW_FILE}`);
    expect(reply.content).toContain("Removed: none");
    expect(reply.content).toContain("Changed: none");

    const answer: JsonBody = await ask(server, { question: NEW_QUESTION }).reply();
    expect(answer.embeds.length).toBeGreaterThan(0);
    expect(answer.embeds[0].title).toBe(
      "Costa Rica opens a temporary shelter for migrants in Golfito",
    );
    expect(answer.embeds[0].description).toContain("Golfito");
    expect(failedRequests(server)).toEqual([]);
  });

  it("is kept by a restart soon after: the bot saves the reloaded index as it stops", async () => {
    const harness = await startAdminHarness();
    await writeFile(join(harness.corpusDir, NEW_FILE), NEW_DOCUMENT);
    await expectReloaded(
      harness.server.slash({ name: "reload", user: ADMIN, permissions: MANAGE_GUILD }),
    );
    const restarted = await harness.restart();
    expect(restarted.library.origin).toBe("snapshot");
    const answer: JsonBody = await ask(harness.server, { question: NEW_QUESTION }).reply();
    expect(answer.embeds[0].description).toContain("Golfito");
  });

  it("is refused, politely and privately, to a member without Manage Server", async () => {
    const { server, bot, corpusDir } = await startAdminHarness();
    await writeFile(join(corpusDir, NEW_FILE), NEW_DOCUMENT);

    const member = server.addUser({ username: "member" });
    await expectRefused(server.slash({ name: "reload", user: member, permissions: "0" }));
    // Other permissions do not count either.
    await expectRefused(server.slash({ name: "reload", user: member, permissions: "2048" }));
    expect(bot.library.stats().documents).toBe(5);
    expect(failedRequests(server)).toEqual([]);
  });

  it("in DMs is only for users on ADMIN_USER_IDS", async () => {
    const { server, bot, corpusDir } = await startAdminHarness();
    await writeFile(join(corpusDir, NEW_FILE), NEW_DOCUMENT);

    const stranger = server.addUser({ username: "stranger" });
    await expectRefused(server.slash({ name: "reload", user: stranger, inGuild: false }));
    expect(bot.library.stats().documents).toBe(5);

    const reply = await expectReloaded(
      server.slash({ name: "reload", user: ADMIN, inGuild: false }),
    );
    expect(reply.content).toContain(`Added: ${NEW_FILE}`);
    expect(bot.library.stats().documents).toBe(6);
    expect(failedRequests(server)).toEqual([]);
  });

  it("by DM text 'reload' works for an allowlisted admin and is refused to anyone else", async () => {
    const { server, bot, corpusDir } = await startAdminHarness();
    await writeFile(join(corpusDir, NEW_FILE), NEW_DOCUMENT);

    const stranger = server.addUser({ username: "stranger" });
    const refusedHandle = server.message({ content: "reload", dm: true, user: stranger });
    const [refused] = await refusedHandle.replies();
    expect(refused.content).toMatch(/^Sorry, only admins can reload/u);
    expect(refused.message_reference?.message_id).toBe(refusedHandle.messageId);
    expect(bot.library.stats().documents).toBe(5);

    const [reloaded] = await server.message({ content: "reload", dm: true, user: ADMIN }).replies();
    expect(reloaded.content).toMatch(/^\*\*Reloaded\*\*/u);
    expect(reloaded.content).toContain("Documents: 5 → 6");
    expect(reloaded.content).toContain(`Added: ${NEW_FILE}`);
    expect(reloaded.allowed_mentions?.parse).toEqual([]);
    expect(bot.library.stats().documents).toBe(6);
    expect(failedRequests(server)).toEqual([]);
  });
});
