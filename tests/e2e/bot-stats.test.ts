import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { refusal } from "../../commands/stats.ts";
import { FeedbackLog } from "../../src/feedback.ts";
import { messages } from "../../src/replies/messages.ts";
import {
  ask,
  closeHarnesses,
  customIds,
  EPHEMERAL,
  failedRequests,
  startHarness,
  unmarkdown,
} from "../support/bot-harness.ts";
import type { JsonBody, TestUser } from "../support/loopback-discord.ts";

/** The question log and /stats, on the real bot against the loopback Discord. */

afterEach(closeHarnesses);

const ADMIN: TestUser = { id: "223344556677889900", username: "stats-admin" };
const ANSWERED = "Who pays for the deportation flights from Panama?";
const UNANSWERED = "What is the price of cheese on Mars?";
const DEFERRED = 5;

async function questionLines(dataDir: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(join(dataDir, "questions.jsonl"), "utf8");
  return text
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("the question log and /stats", () => {
  it("logs each question once (slash command, DM) with its locale and hashed user; a further page is no new question", async () => {
    const { server, dataDir, bot } = await startHarness({ env: { ADMIN_USER_IDS: ADMIN.id } });
    const asker = server.addUser({ username: "asker" });

    const answer: JsonBody = await ask(
      server,
      { question: ANSWERED },
      { user: asker, locale: "fr" },
    ).reply();
    await ask(server, { question: UNANSWERED }, { user: asker }).reply();
    await server
      .message({ content: `  ${UNANSWERED.toUpperCase()} `, dm: true, user: asker })
      .replies();
    // A further page of an answer is not a new question.
    await server
      .button({
        customId: customIds(answer).find((id) => id.startsWith("ask:more:")) ?? "",
        user: asker,
      })
      .reply();
    await server.button({ customId: "ask:fb:up", user: asker }).reply();

    await bot.stop();
    const lines = await questionLines(dataDir);
    const shown = customIds(answer)
      .filter((id) => id.startsWith("ask:ctx:"))
      .map((id) => id.slice("ask:ctx:".length));
    const user = await new FeedbackLog(dataDir).userHash(asker.id);
    expect(lines).toEqual([
      {
        time: expect.any(String),
        answered: true,
        results: shown,
        user,
        source: null,
        locale: "fr",
        question: ANSWERED,
      },
      expect.objectContaining({
        answered: false,
        results: [],
        user,
        locale: "en-US",
        question: UNANSWERED,
      }),
      // A DM carries no locale.
      expect.objectContaining({
        answered: false,
        locale: null,
        question: `  ${UNANSWERED.toUpperCase()} `,
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain(asker.id);
  });

  it("a question log that cannot be written never keeps an answer from going out", async () => {
    const { server, dataDir } = await startHarness();
    // A folder where the log file should be: every append fails.
    await mkdir(join(dataDir, "questions.jsonl"));
    for (const question of [ANSWERED, UNANSWERED, ANSWERED]) {
      const reply: JsonBody = await ask(server, { question }).reply();
      expect(unmarkdown(String(reply.content))).toContain(question);
    }
    const [dm] = await server.message({ content: ANSWERED, dm: true }).replies();
    expect(dm.embeds.length).toBeGreaterThan(0);
    expect(failedRequests(server)).toEqual([]);
  });

  it("is refused to a member who is not an admin, privately", async () => {
    const { server } = await startHarness({ env: { ADMIN_USER_IDS: ADMIN.id } });
    const member = server.addUser({ username: "member" });
    const handle = server.slash({ name: "stats", user: member, permissions: "0" });
    const reply: JsonBody = await handle.reply();
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(reply.content).toBe(messages("en")(refusal));
    expect(reply.embeds ?? []).toEqual([]);
  });

  it("shows an admin the last 24 hours and 7 days; a document keeps its votes over a reload", async () => {
    const harness = await startHarness({ env: { ADMIN_USER_IDS: ADMIN.id } });
    const { server, bot } = harness;
    const asker = server.addUser({ username: "asker" });
    const answer: JsonBody = await ask(server, { question: ANSWERED }, { user: asker }).reply();
    await ask(server, { question: UNANSWERED }, { user: asker }).reply();
    await ask(server, { question: UNANSWERED.toLowerCase() }, { user: asker }).reply();
    await server.button({ customId: "ask:fb:up", user: asker }).reply();
    const firstSource = String(answer.embeds[0].title);

    const stats = async () => {
      const handle = server.slash({ name: "stats", user: ADMIN, inGuild: false });
      const callback = await handle.callback();
      expect(callback.type).toBe(DEFERRED);
      expect(callback.data?.flags & EPHEMERAL).toBe(EPHEMERAL);
      return (await handle.reply()) as JsonBody;
    };
    const before = await stats();
    expect(before.embeds.map((e: JsonBody) => e.title)).toEqual(["Last 24 hours", "Last 7 days"]);
    for (const embed of before.embeds) {
      const text = unmarkdown(String(embed.description));
      expect(text).toContain("Questions: 3 (33 % answered)");
      expect(text).toContain("Feedback: 👍 1 · 👎 0");
      expect(text).toContain(`1. ${UNANSWERED} (2×)`);
      expect(text).toMatch(/Most liked documents:\n1\. .+: 👍 1 · 👎 0/u);
      expect(text).toContain("Least liked documents:\nnone");
    }
    const liked = unmarkdown(String(before.embeds[0].description)).match(
      /Most liked documents:\n1\. (.+): 👍/u,
    )?.[1];
    expect(firstSource).toContain(liked);

    const reload: JsonBody = await server
      .slash({ name: "reload", user: ADMIN, inGuild: false })
      .reply(30_000);
    expect(reload.content).toContain("Changed: none");
    const after = await stats();
    expect(after.embeds).toEqual(before.embeds);
    expect(bot.library.stats().documents).toBe(5);
    expect(failedRequests(server)).toEqual([]);
  });

  it("speaks Spanish to an admin whose Discord is in Spanish (es-419)", async () => {
    const { server } = await startHarness({ env: { ADMIN_USER_IDS: ADMIN.id } });
    await ask(server, { question: UNANSWERED }).reply();
    const reply: JsonBody = await server
      .slash({ name: "stats", user: ADMIN, inGuild: false, locale: "es-419" })
      .reply();
    expect(reply.embeds.map((e: JsonBody) => e.title)).toEqual([
      "Últimas 24 horas",
      "Últimos 7 días",
    ]);
    const text = unmarkdown(String(reply.embeds[0].description));
    expect(text).toBe(
      [
        "Preguntas: 1 (0 % respondidas)",
        "Valoraciones: 👍 0 · 👎 0",
        "Preguntas sin respuesta más frecuentes:",
        `1. ${UNANSWERED} (1×)`,
        "Documentos más valorados:",
        "ninguno",
        "Documentos menos valorados:",
        "ninguno",
      ].join("\n"),
    );
    expect(failedRequests(server)).toEqual([]);
  });
});
