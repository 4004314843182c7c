import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_QUESTION_LENGTH } from "../../src/text/limits.ts";
import { SAMPLE_CORPUS } from "../fixtures/helpers.ts";
import {
  ask,
  closeHarnesses,
  customIds,
  EPHEMERAL,
  failedRequests,
  limitProblems,
  startHarness,
  unmarkdown,
} from "../support/bot-harness.ts";
import type { JsonBody } from "../support/loopback-discord.ts";

afterEach(closeHarnesses);

const QUESTION = "Who pays for the deportation flights from Panama?";
const CHRISTIAN_POST = {
  file: "christian-post-us-pays-panama-flights.md",
  title:
    "US agrees to pay for flights, help Panama deport migrants to stop illegal border crossings",
  outlet: "The Christian Post",
};
const STATE_DEPT = {
  id: "state-dept-us-panama-removal-flights",
  title: "U.S., Panama agree on new program addressing irregular migration",
};
const DOCUMENT_IDS = [
  "al-jazeera-us-delegation-panama-migration",
  "cbs-biden-immigration-officers-to-panama",
  "cbs-us-panama-deportation-agreement",
  "christian-post-us-pays-panama-flights",
  "state-dept-us-panama-removal-flights",
];

const squash = (text: string) => text.replace(/\s+/gu, " ");

/** The text of every corpus file, whitespace folded: quotes must be verbatim excerpts of one. */
async function corpusTexts(): Promise<string[]> {
  return Promise.all(
    DOCUMENT_IDS.map(async (id) => squash(await readFile(join(SAMPLE_CORPUS, `${id}.md`), "utf8"))),
  );
}

describe("/ask", () => {
  it("answers with verbatim quotes, their citations, buttons and no mentions", async () => {
    const { server } = await startHarness();
    const reply: JsonBody = await ask(server, { question: QUESTION }).reply();

    expect(reply.content).toMatch(/^\*\*Q:\*\* /u);
    expect(reply.content).toContain(QUESTION);
    expect(reply.allowed_mentions?.parse).toEqual([]);
    expect((reply.flags ?? 0) & EPHEMERAL).toBe(0);
    const embeds: JsonBody[] = reply.embeds;
    expect(embeds.length).toBe(3);
    const quotes = embeds.map((embed) => unmarkdown(embed.description));
    expect(quotes.some((quote) => /\b(pay|paid|fund|funds|funding|cover)\b/iu.test(quote))).toBe(
      true,
    );
    expect(quotes.join(" ")).toMatch(/pay for flights|provide the funds|cover repatriation costs/u);
    const texts = await corpusTexts();
    for (const quote of quotes) {
      expect(texts.some((text) => text.includes(squash(quote)))).toBe(true);
    }
    const [first] = embeds;
    expect(first.title).toBe(CHRISTIAN_POST.title);
    expect(first.footer.text).toContain(CHRISTIAN_POST.outlet);
    expect(first.author.name).toBe("Result 1");
    const ids = customIds(reply);
    expect(ids.filter((id) => id.startsWith("ask:ctx:"))).toHaveLength(3);
    expect(ids.some((id) => id.startsWith("ask:more:"))).toBe(true);
    expect(ids).toEqual(expect.arrayContaining(["ask:fb:up", "ask:fb:down"]));
    expect(limitProblems(reply)).toEqual([]);
    expect(failedRequests(server)).toEqual([]);
  });

  it("gives one quote for results:1, privately for private:true, from one document for source:", async () => {
    const { server } = await startHarness();

    const one: JsonBody = await ask(server, { question: QUESTION, results: 1 }).reply();
    expect(one.embeds).toHaveLength(1);
    expect(customIds(one).filter((id) => id.startsWith("ask:ctx:"))).toHaveLength(1);
    expect((one.flags ?? 0) & EPHEMERAL).toBe(0);

    const mine: JsonBody = await ask(server, { question: QUESTION, private: true }).reply();
    expect(mine.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(mine.embeds.length).toBeGreaterThan(0);

    const only: JsonBody = await ask(server, { question: QUESTION, source: STATE_DEPT.id }).reply();
    expect(only.embeds.length).toBeGreaterThan(0);
    for (const embed of only.embeds) expect(embed.title).toBe(STATE_DEPT.title);

    const unknown: JsonBody = await ask(server, { question: QUESTION, source: "nope" }).reply();
    expect(unknown.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(unknown.content).toMatch(/don't know that document/u);
    expect(failedRequests(server)).toEqual([]);
  });

  it("refuses an unknown source: naming the known ids closest to it", async () => {
    const { server } = await startHarness();
    const typo = "cbs-us-panama-deportation-agrement";
    const reply: JsonBody = await ask(server, { question: QUESTION, source: typo }).reply();
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(reply.embeds ?? []).toEqual([]);
    const named = [...String(reply.content).matchAll(/`([^`]+)`/gu)].map((m) => m[1]);
    expect(named).toHaveLength(3);
    expect(named[0]).toBe("cbs-us-panama-deportation-agreement");
    for (const id of named) expect(DOCUMENT_IDS).toContain(id);
    expect(failedRequests(server)).toEqual([]);
  });

  it("escapes markdown and turns mentions off in the question it repeats", async () => {
    const { server } = await startHarness();
    const question = "Who pays for the flights @everyone <@&123> **x** _y_ ~~z~~ `code`";
    const reply: JsonBody = await ask(server, { question }).reply();

    expect(reply.allowed_mentions?.parse).toEqual([]);
    const line = String(reply.content).split("\n")[0];
    expect(line).toContain("\\*\\*x\\*\\*");
    expect(line).toContain("\\_y\\_");
    expect(line).toContain("\\~\\~z\\~\\~");
    expect(line).toContain("\\`code\\`");
    expect(line).not.toMatch(/(?<!\\)\*\*x/u);
    expect(failedRequests(server)).toEqual([]);
  });

  it("suggests the typed text first and document ids for source:", async () => {
    const { server } = await startHarness();

    const typed = "deportation flights";
    const question: JsonBody = await server
      .autocomplete({
        name: "ask",
        options: [{ name: "question", type: 3, value: typed, focused: true }],
      })
      .reply();
    expect(question.choices.length).toBeGreaterThan(1);
    expect(question.choices.length).toBeLessThanOrEqual(25);
    expect(question.choices[0]).toEqual({ name: typed, value: typed });

    const long = `Who pays for the flights ${"and who decides about them ".repeat(8)}?`;
    const cut: JsonBody = await server
      .autocomplete({
        name: "ask",
        options: [{ name: "question", type: 3, value: long, focused: true }],
      })
      .reply();
    expect(cut.choices.length).toBeGreaterThan(0);
    expect(cut.choices.length).toBeLessThanOrEqual(25);
    expect(cut.choices[0].name).toBe(`${long.slice(0, 99).trimEnd()}…`);
    for (const choice of [...question.choices, ...cut.choices]) {
      expect(choice.name.length).toBeLessThanOrEqual(100);
      expect(choice.value.length).toBeLessThanOrEqual(100);
    }

    const sources: JsonBody = await server
      .autocomplete({
        name: "ask",
        options: [
          { name: "question", type: 3, value: QUESTION },
          { name: "source", type: 3, value: "", focused: true },
        ],
      })
      .reply();
    expect(sources.choices.map((c: JsonBody) => c.value).sort()).toEqual(DOCUMENT_IDS);
    for (const choice of sources.choices) expect(choice.name.length).toBeLessThanOrEqual(100);

    const cbs: JsonBody = await server
      .autocomplete({
        name: "ask",
        options: [{ name: "source", type: 3, value: "cbs", focused: true }],
      })
      .reply();
    expect(cbs.choices.map((c: JsonBody) => c.value).sort()).toEqual(
      DOCUMENT_IDS.filter((id) => id.startsWith("cbs-")),
    );
    expect(failedRequests(server)).toEqual([]);
  });

  it("reads no more of a typed value than of a question", async () => {
    const { server } = await startHarness();
    // What follows the first MAX_QUESTION_LENGTH characters does not narrow the list.
    const value = `${" ".repeat(MAX_QUESTION_LENGTH)}cbs`;
    const sources: JsonBody = await server
      .autocomplete({ name: "ask", options: [{ name: "source", type: 3, value, focused: true }] })
      .reply();
    expect(sources.choices.map((c: JsonBody) => c.value).sort()).toEqual(DOCUMENT_IDS);
    expect(failedRequests(server)).toEqual([]);
  });
});

describe("/sources and /help", () => {
  it("lists the five documents with their passage counts", async () => {
    const { server, bot } = await startHarness();
    const reply: JsonBody = await server.slash({ name: "sources" }).reply();

    const [embed] = reply.embeds;
    expect(embed.title).toBe("Documents (5)");
    expect(embed.fields).toHaveLength(5);
    const counts = embed.fields.map((field: JsonBody) => {
      const match = /(\d+) passages/u.exec(field.value);
      return Number(match?.[1]);
    });
    for (const n of counts) expect(n).toBeGreaterThan(0);
    expect(counts.reduce((a: number, b: number) => a + b, 0)).toBe(bot.library.stats().passages);
    const listed = embed.fields.map((field: JsonBody) => /id: `([^`]+)`/u.exec(field.value)?.[1]);
    expect(listed.sort()).toEqual(DOCUMENT_IDS);
    expect(embed.fields.map((field: JsonBody) => field.name)).toContain(CHRISTIAN_POST.title);
    expect(limitProblems(reply)).toEqual([]);
    expect(failedRequests(server)).toEqual([]);
  });

  it("explains how to ask", async () => {
    const { server } = await startHarness();
    const reply: JsonBody = await server.slash({ name: "help" }).reply();

    expect(reply.content).toContain("/ask");
    expect(reply.content).toContain("5 documents");
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(reply.allowed_mentions?.parse).toEqual([]);
    expect(failedRequests(server)).toEqual([]);
  });
});

// ---- an answer far over Discord's limits -------------------------------------------------------

const TOPICS = ["charter aircraft", "fuel and crews", "airport security", "medical escorts"];

/** One paragraph, one passage of about 590 characters, with markdown characters to escape. */
function longParagraph(n: number): string {
  const topic = TOPICS[n % TOPICS.length];
  return `In clause ${n + 1} of the agreement, which officials described as the *flight_fund* arrangement, the United States will pay for the deportation flights from Panama, covering ${topic} for every removal flight, and the funding is meant to last until the end of the fiscal year while the government of Panama screens the migrants who crossed the Darién Gap, decides who may ask for asylum, and returns all the others to their home countries under the memorandum that both governments signed in Panama City with witnesses from ${n + 2} partner nations in the room.`;
}

function longName(label: string, length: number): string {
  return `${label} ${"with a name that keeps going and going ".repeat(12)}`.slice(0, length).trim();
}

/** Documents with ~600-character passages, 300+ character citations and file names past the id limit. */
function oversizedCorpus(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let d = 0; d < 4; d++) {
    const front = [
      "---",
      `title: ${JSON.stringify(longName(`Document ${d} about the deportation flights from Panama`, 340))}`,
      `outlet: ${JSON.stringify(longName(`Outlet ${d}`, 320))}`,
      `author: ${JSON.stringify(longName(`Author ${d}`, 310))}`,
      "published: 2024-07-01",
      `url: "https://example.org/${"section/".repeat(30)}${d}"`,
      "---",
    ].join("\n");
    const first = d < 2 ? 0 : 7 * d;
    const body = Array.from({ length: 7 }, (_, i) => longParagraph(first + i)).join("\n\n");
    const name = `${"a-very-long-file-name-about-who-pays-for-deportation-flights-".repeat(2)}${d}.md`;
    files[name] = `${front}\n${body}\n`;
  }
  return files;
}

describe("an answer over Discord's limits", () => {
  it("is cut to fit every limit, delivered, and moves what did not fit to the next page", async () => {
    const { server, bot } = await startHarness({ corpus: oversizedCorpus() });
    // A question past the 2000-character message limit (Discord itself caps the option at 6000).
    const question = `${QUESTION} `.repeat(45).trim();
    const reply: JsonBody = await ask(server, { question, results: 5 }).reply();

    expect(limitProblems(reply)).toEqual([]);
    expect(failedRequests(server)).toEqual([]);
    expect(reply.content.length).toBeLessThanOrEqual(2000);
    const embeds: JsonBody[] = reply.embeds;
    expect(embeds.length).toBeGreaterThan(0);
    // Every citation was longer than Discord allows, so every one was cut.
    for (const embed of embeds) {
      expect(embed.title).toMatch(/…$/u);
      expect(embed.title.length).toBeLessThanOrEqual(256);
      expect(embed.footer.text).toContain("2024-07-01");
    }
    // One Context button per quote shown, numbered alike; what did not fit comes with More.
    const shown = embeds.length;
    const contexts = customIds(reply).filter((id) => id.startsWith("ask:ctx:"));
    expect(embeds.map((e) => e.author.name)).toEqual(
      Array.from({ length: shown }, (_, i) => `Result ${i + 1}`),
    );
    expect(contexts).toHaveLength(shown);
    const more = customIds(reply).find((id) => id.startsWith("ask:more:"));
    expect(more).toBe(`ask:more:${shown}:5:`);

    const next: JsonBody = await server.button({ customId: more as string }).reply();
    expect(limitProblems(next)).toEqual([]);
    expect(next.embeds[0].author.name).toBe(`Result ${shown + 1}`);
    const nextContexts = customIds(next).filter((id) => id.startsWith("ask:ctx:"));
    // The five best passages all reach the user, none skipped between the pages.
    const best = bot.library.answer(question, { k: 5 }).results.map((r) => `ask:ctx:${r.passage}`);
    expect([...contexts, ...nextContexts].slice(0, 5)).toEqual(best);
    expect(failedRequests(server)).toEqual([]);
  });
});
