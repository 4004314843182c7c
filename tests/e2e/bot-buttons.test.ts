import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  ask,
  buttonLabelled,
  closeHarnesses,
  customIds,
  EPHEMERAL,
  failedRequests,
  limitProblems,
  startHarness,
  unmarkdown,
} from "../support/bot-harness.ts";
import type { JsonBody, LoopbackDiscord } from "../support/loopback-discord.ts";

afterEach(closeHarnesses);

const QUESTION = "Who pays for the deportation flights from Panama?";
const CHRISTIAN_POST_FILE = "christian-post-us-pays-panama-flights.md";
const UPDATE_MESSAGE = 7;
const CHANNEL_MESSAGE = 4;
const MANAGE_GUILD = "32";

function contextIds(body: JsonBody): string[] {
  return customIds(body).filter((id) => id.startsWith("ask:ctx:"));
}

function moreId(body: JsonBody): string {
  const id = customIds(body).find((custom) => custom.startsWith("ask:more:"));
  if (!id) throw new Error("the answer has no More results button");
  return id;
}

function labelled(body: JsonBody, label: string): string {
  const button = buttonLabelled(body, label);
  if (!button) throw new Error(`the answer has no "${label}" button`);
  return button.custom_id;
}

async function askQuestion(server: LoopbackDiscord): Promise<JsonBody> {
  const reply: JsonBody = await ask(server, { question: QUESTION }).reply();
  expect(reply.embeds).toHaveLength(3);
  return reply;
}

async function feedbackLines(dataDir: string): Promise<string[]> {
  const text = await readFile(join(dataDir, "feedback.jsonl"), "utf8");
  expect(text.endsWith("\n")).toBe(true);
  return text.split("\n").slice(0, -1);
}

describe("answer buttons", () => {
  it("More results rewrites the message with the next page, numbering on", async () => {
    const { server } = await startHarness();
    const first = await askQuestion(server);
    expect(moreId(first)).toBe("ask:more:3:3:");

    const click = server.button({ customId: moreId(first) });
    expect((await click.callback()).type).toBe(UPDATE_MESSAGE);
    const next: JsonBody = await click.reply();
    expect(next.content).toBe(first.content);
    expect(next.embeds.length).toBeGreaterThan(0);
    expect(next.embeds[0].author.name).toBe("Result 4");
    expect(buttonLabelled(next, "Context 4")).toBeDefined();
    expect(buttonLabelled(next, "Context 1")).toBeUndefined();
    const seen = new Set(contextIds(first));
    for (const id of contextIds(next)) expect(seen.has(id)).toBe(false);
    expect(next.allowed_mentions?.parse).toEqual([]);
    expect(limitProblems(next)).toEqual([]);
    expect(failedRequests(server)).toEqual([]);
  });

  it("More results privacy: a page for anyone but the asker is theirs alone; the asker's replaces the answer", async () => {
    const { server } = await startHarness();
    const asker = server.addUser({ username: "asker" });
    const other = server.addUser({ username: "other" });
    const first: JsonBody = await ask(server, { question: QUESTION }, { user: asker }).reply();
    expect(first.embeds).toHaveLength(3);

    const theirs = server.button({ customId: moreId(first), user: other });
    expect((await theirs.callback()).type).toBe(CHANNEL_MESSAGE);
    const page: JsonBody = await theirs.reply();
    expect(page.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(page.content).toBe(first.content);
    expect(page.embeds[0].author.name).toBe("Result 4");

    // The answer everyone sees still shows its first page, and its asker pages it in place.
    const mine = server.button({ customId: moreId(first), user: asker });
    expect((await mine.callback()).type).toBe(UPDATE_MESSAGE);
    const next: JsonBody = await mine.reply();
    expect(next.embeds[0].author.name).toBe("Result 4");
    expect((next.flags ?? 0) & EPHEMERAL).toBe(0);

    // An answer to a message is its author's to page in place too.
    const [dm] = await server.message({ content: QUESTION, dm: true, user: other }).replies();
    const inDm = server.button({ customId: moreId(dm), user: other, inGuild: false });
    expect((await inDm.callback()).type).toBe(UPDATE_MESSAGE);
    expect(failedRequests(server)).toEqual([]);
  });

  it("Context shows the passage in bold between its neighbours, privately", async () => {
    const { server } = await startHarness();
    const first = await askQuestion(server);

    const click = server.button({ customId: labelled(first, "Context 1") });
    expect((await click.callback()).type).toBe(CHANNEL_MESSAGE);
    const reply: JsonBody = await click.reply();
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    const [embed] = reply.embeds;
    expect(embed.title).toBe(first.embeds[0].title);
    const parts: string[] = embed.description.split("\n\n");
    const bold = parts.findIndex((part) => part.startsWith("**") && part.endsWith("**"));
    expect(bold).toBeGreaterThan(0);
    expect(bold).toBeLessThan(parts.length - 1);
    expect(unmarkdown(parts[bold] as string)).toBe(unmarkdown(first.embeds[0].description));
    expect(failedRequests(server)).toEqual([]);
  });

  it("👍 thanks privately and appends one JSON line with a hashed user", async () => {
    const { server, dataDir } = await startHarness();
    const user = server.addUser({ username: "voter" });
    const first = await askQuestion(server);

    const before = Date.now();
    const click = server.button({ customId: "ask:fb:up", user });
    const reply: JsonBody = await click.reply();
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(reply.content).toMatch(/thanks/iu);

    const lines = await feedbackLines(dataDir);
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] as string);
    expect(entry).toMatchObject({ vote: "up", question: QUESTION });
    expect(entry.results).toEqual(contextIds(first).map((id) => id.slice("ask:ctx:".length)));
    expect(entry.user).toMatch(/^[0-9a-f]{16}$/u);
    expect(lines[0]).not.toContain(user.id);
    const time = Date.parse(entry.time);
    expect(time).toBeGreaterThanOrEqual(before - 1000);
    expect(time).toBeLessThanOrEqual(Date.now());
    expect(failedRequests(server)).toEqual([]);
  });

  it("keep working after a restart, on messages of the previous bot", async () => {
    const harness = await startHarness();
    const { server, dataDir } = harness;
    const first = await askQuestion(server);
    const old = harness.bot;
    const restarted = await harness.restart();
    expect(restarted).not.toBe(old);
    expect(old.client.isReady()).toBe(false);

    const more: JsonBody = await server.button({ customId: moreId(first) }).reply();
    expect(more.embeds[0].author.name).toBe("Result 4");
    expect(more.content).toBe(first.content);

    const context: JsonBody = await server
      .button({ customId: labelled(first, "Context 2") })
      .reply();
    expect(context.embeds[0].description).toContain("**");

    const thanks: JsonBody = await server.button({ customId: "ask:fb:down" }).reply();
    expect(thanks.flags & EPHEMERAL).toBe(EPHEMERAL);
    const lines = await feedbackLines(dataDir);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ vote: "down", question: QUESTION });
    expect(failedRequests(server)).toEqual([]);
  });

  it("Context on a passage whose document changed since asks politely to ask again", async () => {
    const { server, corpusDir } = await startHarness();
    const first = await askQuestion(server);
    // Result 1 quotes "... a 60-mile stretch of wilderness ..."; result 2 is another passage of the same file.
    expect(first.embeds[0].description).toContain("60-mile");
    expect(first.embeds[1].description).not.toContain("60-mile");
    const path = join(corpusDir, CHRISTIAN_POST_FILE);
    await writeFile(path, (await readFile(path, "utf8")).replace("60-mile", "97-kilometre"));
    const reload: JsonBody = await server
      .slash({ name: "reload", permissions: MANAGE_GUILD })
      .reply();
    expect(reload.content).toContain(`Changed: ${CHRISTIAN_POST_FILE}`);

    const stale: JsonBody = await server.button({ customId: labelled(first, "Context 1") }).reply();
    expect(stale.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(stale.content).toMatch(/updated.*ask again/isu);
    expect(stale.embeds ?? []).toEqual([]);

    const unchanged: JsonBody = await server
      .button({ customId: labelled(first, "Context 2") })
      .reply();
    expect(unmarkdown(unchanged.embeds[0].description)).toContain(
      unmarkdown(first.embeds[1].description),
    );
    expect(failedRequests(server)).toEqual([]);
  });
});
