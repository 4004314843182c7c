import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { documentId } from "../../src/corpus/documents.ts";
import { MAX_PASSAGE_CHARS } from "../../src/corpus/passages.ts";
import { type Answer, MAX_K } from "../../src/search/answer.ts";
import { Library } from "../../src/search/library.ts";
import {
  fixtureCorpusCopy,
  indexOf,
  libraryOf,
  markdown,
  removeDir,
  SAMPLE_CORPUS,
  tempDir,
} from "../fixtures/helpers.ts";

/** Ids of the fixture corpus documents (tests/fixtures/corpus). */
const WIRE = documentId("wire-italy-albania-centres.txt");
const DAILY = documentId("daily-albania-court-ruling.txt");
const MINISTRY = documentId("ministry-seasonal-workers.txt");
const UNHCR = documentId("unhcr-mediterranean-funding.txt");
/** The paragraph both the wire story and the daily paper carry, word for word. */
const WIRE_COPY = "can hold up to 3,000 men rescued at sea";

const OFF_TOPIC = [
  "What is the best recipe for banana bread?",
  "Who won the football World Cup in 2018?",
  "How tall is Mount Everest?",
];

let dir: string;
let library: Library;

beforeAll(async () => {
  dir = await fixtureCorpusCopy();
  library = await Library.open(dir);
});
afterAll(() => removeDir(dir));

function textOf(id: string): string {
  const doc = library.documents.find((d) => d.source.id === id);
  if (!doc) throw new Error(`no document ${id}`);
  return doc.text;
}

/** Checks that hold for every answer: verbatim quotes, real sources, coherent flags. */
function expectWellFormed(answer: Answer, lib: Library = library): void {
  expect(answer.answered).toBe(answer.results.length > 0);
  for (const result of answer.results) {
    const doc = lib.documents.find((d) => d.source.id === result.source.id);
    expect(doc?.source).toEqual(result.source);
    expect(doc?.text).toContain(result.quote);
    expect(result.quote.length).toBeLessThanOrEqual(MAX_PASSAGE_CHARS);
    if (result.highlight !== undefined) expect(result.quote).toContain(result.highlight);
    for (const other of result.also ?? []) expect(other.id).not.toBe(result.source.id);
  }
  const scores = answer.results.map((r) => r.score);
  expect(scores).toEqual([...scores].sort((a, b) => b - a));
}

describe("answer() on the fixture corpus", () => {
  test("quotes the document that answers, verbatim, and cites it", () => {
    const answer = library.answer("When must employers register seasonal workers?");
    expectWellFormed(answer);
    expect(answer.answered).toBe(true);
    const [top] = answer.results;
    expect(top?.source.id).toBe(MINISTRY);
    expect(top?.quote).toContain("employers must register each seasonal worker");
    expect(textOf(MINISTRY)).toContain(top?.quote);
  });

  test("the citation carries the front matter", () => {
    const answer = library.answer(
      "How much of the money it needs has the refugee agency received?",
    );
    expectWellFormed(answer);
    const [top] = answer.results;
    expect(top?.quote).toContain("less than a third of the money it needs");
    expect(top?.source).toEqual({
      id: UNHCR,
      title: "Refugee agency warns of funding gap as Mediterranean crossings rise",
      outlet: "Lakeside Post",
      published: "2025-02-14",
      language: "en",
    });
  });

  test("the question is echoed as asked", () => {
    const question = "  How many seasonal permits are available this year?  ";
    expect(library.answer(question).question).toBe(question);
  });

  test.each(OFF_TOPIC)("abstains on an off-topic question: %s", (question) => {
    const answer = library.answer(question);
    expect(answer.answered).toBe(false);
    expect(answer.results).toEqual([]);
    expect(answer.suggestions?.length).toBeGreaterThan(0);
  });

  test("suggestions are titles of the documents", () => {
    const titles = library.documents.map((d) => d.source.title);
    const suggestions = library.answer(OFF_TOPIC[0] as string).suggestions ?? [];
    expect(suggestions.length).toBeGreaterThan(0);
    for (const suggestion of suggestions) expect(titles).toContain(suggestion);
  });

  test("suggestions favour the documents whose titles share the question's words", () => {
    const suggestions = library.suggestions("refugee agency pineapple");
    expect(suggestions[0]).toBe(library.documents.find((d) => d.source.id === UNHCR)?.source.title);
  });

  test("a question of stop words, punctuation or nothing abstains", () => {
    for (const question of ["", "   ", "What is it?", "?!…", "the of and"]) {
      const answer = library.answer(question);
      expect(answer.answered).toBe(false);
      expect(answer.results).toEqual([]);
    }
  });

  test("a very long question is answered without error", () => {
    const question = `When must employers register seasonal workers? ${"x ".repeat(5000)}`;
    const answer = library.answer(question);
    expectWellFormed(answer);
    expect(answer.question).toBe(question);
  });

  test("the same paragraph in two documents (wire copy) is quoted once, the other source in `also`", () => {
    const answer = library.answer("How many men can the centres in Albania hold?", { k: MAX_K });
    expectWellFormed(answer);
    const copies = answer.results.filter((r) => r.quote.includes(WIRE_COPY));
    expect(copies).toHaveLength(1);
    const [copy] = copies;
    const cited = [copy?.source.id, ...(copy?.also ?? []).map((s) => s.id)].sort();
    expect(cited).toEqual([DAILY, WIRE].sort());
  });

  test("passages that are not shared carry no `also`", () => {
    const answer = library.answer("When must employers register seasonal workers?");
    expect(answer.results[0]?.also).toBeUndefined();
  });

  test("`source` restricts results to that document", () => {
    const question = "Italy Albania centres men";
    expect(new Set(library.answer(question).results.map((r) => r.source.id)).size).toBeGreaterThan(
      1,
    );
    for (const id of [WIRE, DAILY]) {
      const answer = library.answer(question, { source: id, k: MAX_K });
      expectWellFormed(answer);
      expect(answer.answered).toBe(true);
      expect(answer.results.every((r) => r.source.id === id)).toBe(true);
    }
  });

  test("`source` excludes the answer that another document holds", () => {
    const answer = library.answer("When must employers register seasonal workers?", {
      source: UNHCR,
    });
    expect(answer.results.filter((r) => r.source.id !== UNHCR)).toEqual([]);
    expect(answer.results.some((r) => r.quote.includes("employers must register"))).toBe(false);
  });

  test("an unknown `source` abstains with suggestions", () => {
    const answer = library.answer("When must employers register seasonal workers?", {
      source: "no-such-document",
    });
    expect(answer.answered).toBe(false);
    expect(answer.results).toEqual([]);
    expect(answer.suggestions?.length).toBeGreaterThan(0);
  });
});

describe("paging with k, offset and more", () => {
  const question = "Italy Albania centres men";

  test("k limits the results and `more` says when there are others", () => {
    const all = library.answer(question, { k: MAX_K });
    expect(all.results.length).toBeGreaterThanOrEqual(3);
    expect(all.more).toBe(false);
    const one = library.answer(question, { k: 1 });
    expect(one.results).toHaveLength(1);
    expect(one.results[0]?.passage).toBe(all.results[0]?.passage);
    expect(one.more).toBe(true);
  });

  test("pages of one walk through the full list in order, `more` false on the last", () => {
    const all = library.answer(question, { k: MAX_K }).results;
    all.forEach((result, offset) => {
      const page = library.answer(question, { k: 1, offset });
      expect(page.results.map((r) => r.passage)).toEqual([result.passage]);
      expect(page.more).toBe(offset < all.length - 1);
    });
    const pastTheEnd = library.answer(question, { k: 1, offset: all.length });
    expect(pastTheEnd.results).toEqual([]);
    expect(pastTheEnd.answered).toBe(false);
    expect(pastTheEnd.more).toBe(false);
  });

  test("a page of two from offset 1 is the second and third results", () => {
    const all = library.answer(question, { k: MAX_K }).results.map((r) => r.passage);
    const page = library.answer(question, { k: 2, offset: 1 }).results.map((r) => r.passage);
    expect(page).toEqual(all.slice(1, 3));
  });

  test("k out of range is clamped to 1…MAX_K", () => {
    expect(library.answer(question, { k: 0 }).results).toHaveLength(1);
    expect(library.answer(question, { k: -5 }).results).toHaveLength(1);
    expect(library.answer(question, { k: Number.NaN }).results).toHaveLength(1);
    expect(library.answer(question, { k: 2.7 }).results).toHaveLength(2);
    expect(library.answer(question, { k: 1000 }).results.length).toBeLessThanOrEqual(MAX_K);
  });

  test("the default k is 3", () => {
    expect(library.answer(question).results).toHaveLength(3);
  });
});

describe("context()", () => {
  test("returns the passage with its neighbours in the same document", async () => {
    const { passages, documents } = await indexOf(dir);
    const middle = passages.find(
      (p) => p.index > 0 && passages.some((q) => q.doc === p.doc && q.index === p.index + 1),
    );
    if (!middle) throw new Error("fixture corpus needs a document of three passages");
    const text = documents[middle.doc]?.text ?? "";
    const context = library.context(middle.id);
    expect(context?.text).toBe(text.slice(middle.start, middle.end));
    expect(context?.source).toEqual(documents[middle.doc]?.source);
    const [before] = context?.before ?? [];
    const [after] = context?.after ?? [];
    expect(context?.before).toHaveLength(1);
    expect(context?.after).toHaveLength(1);
    // The neighbours are the text right before and right after the passage.
    const beforeAt = text.lastIndexOf(before ?? "\u0000", middle.start);
    expect(beforeAt).toBeGreaterThanOrEqual(0);
    expect(text.slice(beforeAt + (before?.length ?? 0), middle.start).trim()).toBe("");
    expect(text.indexOf(after ?? "\u0000", middle.end)).toBeGreaterThanOrEqual(middle.end);
    expect(text.slice(middle.end, text.indexOf(after ?? "\u0000", middle.end)).trim()).toBe("");
  });

  test("the first passage of a document has nothing before it; a radius widens the view", async () => {
    const { passages } = await indexOf(dir);
    const first = passages.find((p) => p.index === 0);
    if (!first) throw new Error("no passages");
    const count = passages.filter((p) => p.doc === first.doc).length;
    const context = library.context(first.id, 2);
    expect(context?.before).toEqual([]);
    expect(context?.after).toHaveLength(Math.min(2, count - 1));
  });

  test("the context of an answer's passage is its quote", () => {
    const [top] = library.answer("When must employers register seasonal workers?").results;
    expect(library.context(top?.passage ?? "")?.text).toBe(top?.quote);
  });

  test("an unknown passage id gives null", () => {
    expect(library.context("no-such-passage:0:abcdef")).toBeNull();
  });
});

describe("answer() when a document's title matches the question", () => {
  const answering =
    "The removal flights are paid for by the interior ministry, whose spokesperson told the budget committee on Tuesday that each one costs about 40,000 euros.";
  const titled = libraryOf({
    "deal.md": markdown(
      { title: "Government agrees to pay for removal flights" },
      [
        "Officials from both countries met in the capital on Monday to discuss the plans for the coming months with their regional partners.",
        "The opposition called the first removal flights cruel and promised to challenge them in court.",
        "Aid groups said they had not been consulted about the plans, which they learned about from the newspapers last week.",
      ].join("\n\n"),
    ),
    "hearing.md": markdown(
      { title: "Budget committee hears ministry officials" },
      [
        answering,
        "Members of the committee asked for a breakdown of the costs by destination before the vote on next year's budget.",
      ].join("\n\n"),
    ),
  });

  // Every passage of deal.md holds the question's words through its title; one says some of
  // them itself, the others none.
  test("passages whose own text says nothing of the question are not quoted", () => {
    const answer = titled().answer("Who is paying for the flights?");
    expectWellFormed(answer, titled());
    expect(answer.results[0]?.quote).toBe(answering);
    for (const result of answer.results) expect(result.quote).toContain("flights");
  });
});

describe("answer() to a question asking what something is, or how long", () => {
  const defining =
    "The Darién Gap, a roadless stretch of jungle between Colombia and Panama, is crossed on foot over several days by families hoping to reach the north.";
  const measuring =
    "Guides charge families for the trek through the Darien Gap, which runs for about 97 kilometres of swamp and mountain.";
  const gap = libraryOf({
    "record.md": markdown(
      { title: "Crossings set a record" },
      "More migrants crossed the Darien Gap this year than ever, and Darien Gap crossings rose again in May.",
    ),
    "jungle.md": markdown({ title: "Families on the move" }, defining),
    "guides.md": markdown({ title: "The business of the trek" }, measuring),
  });

  test("the passage saying what it is comes before passages that name it more often", () => {
    const answer = gap().answer("What is the Darien Gap?");
    expectWellFormed(answer, gap());
    expect(answer.results[0]?.quote).toBe(defining);
  });

  // No document says "long": the question is about the Darien Gap, in a measure.
  test("a measure is answered by the passages giving one, before those that give none", () => {
    const answer = gap().answer("How long is the Darien Gap?");
    expectWellFormed(answer, gap());
    const first = answer.results.slice(0, 2).map((r) => r.quote);
    expect(first.sort()).toEqual([defining, measuring].sort());
  });
});

describe("answer() with synonyms and unusual words", () => {
  const crossing =
    "More than 400 migrants crossed the river near the town of Eagle Pass on Tuesday morning, the border agency said in a statement.";

  const synonymsLibrary = libraryOf({
    "river.md": markdown(
      { title: "Hundreds cross river at Eagle Pass" },
      [
        crossing,
        "Local officials said the shelter in the town was full and asked the state for more buses to take people to larger cities.",
      ].join("\n\n"),
    ),
    "wall.md": markdown(
      { title: "Border wall contract awarded" },
      "The contract was worth about 200 million dollars and covered forty kilometres of fencing along the river.",
    ),
    "budget.md": markdown(
      { title: "Shelter budget raised" },
      "The city council voted on Thursday to raise the budget of its shelters for families arriving from the border by a fifth.",
    ),
    "synonyms.yaml": "- [migrant, asylum seeker]\n- [shelter, refuge, haven]\n",
  });

  // Without the synonym group this question abstains: "refuge" is in no document.
  test("a single-word synonym finds its group mates", () => {
    const answer = synonymsLibrary().answer("Was the refuge full?");
    expectWellFormed(answer, synonymsLibrary());
    expect(answer.results[0]?.quote).toContain("the shelter in the town was full");
  });

  test("a synonym of two question words counts once", () => {
    const once = synonymsLibrary().answer("Was the refuge full?").results[0];
    const twice = synonymsLibrary().answer("Was the refuge, the haven, full?").results[0];
    expect(once?.quote).toContain("the shelter in the town was full");
    expect(twice?.passage).toBe(once?.passage);
    expect(twice?.score).toBe(once?.score);
  });

  test("a multi-word synonym in the question matches its single-word group mates", () => {
    const answer = synonymsLibrary().answer("Where did the asylum seekers cross?");
    expectWellFormed(answer, synonymsLibrary());
    expect(answer.answered).toBe(true);
    expect(answer.results[0]?.quote).toContain(crossing);
  });
});

/**
 * A library of `documents` generated files in a temp folder, `paragraphs(d)` the body of file
 * d: the corpora where the question's words are in thousands of passages.
 */
function generatedLibrary(documents: number, paragraphs: (d: number) => string[]): () => Library {
  const files: Record<string, string> = {};
  for (let d = 0; d < documents; d++) {
    files[`report-${d}.md`] = markdown({ title: `Daily report ${d}` }, paragraphs(d).join("\n\n"));
  }
  return libraryOf(files);
}

describe("answer() with copies that differ in case or accents", () => {
  const copy =
    "In Darién, officials of Panamá's migration service said the Darién Gap, from Colombia to Panamá, was crossed by 520,000 people in 2023; from Bajo Chiquito, Panamá moved most of them north, said José Raúl Mulino's government in Panamá.";
  // A headline-case copy and a copy without accents: each shares few word 5-grams with the
  // original unless words are folded. Longer than a line the cleaner could take for
  // boilerplate shared by pages.
  const versions = [copy, copy.toUpperCase(), copy.normalize("NFD").replace(/\p{M}/gu, "")];
  const copies = generatedLibrary(4, (d) => [
    versions[d] ?? "The ministry approved seasonal permits for orchard workers in spring.",
  ]);

  test("they are one passage, quoted once, the other sources in `also`", () => {
    const answer = copies().answer("How many people crossed the Darien Gap in 2023?");
    expectWellFormed(answer, copies());
    expect(answer.results).toHaveLength(1);
    expect(answer.results[0]?.also).toHaveLength(2);
  });
});

describe("answer() with a paragraph repeated within one document", () => {
  const paragraph =
    "Officials in Panama said 520,000 people crossed the Darien Gap in 2023, most of them on foot.";
  // An article that repeats its own paragraph, as an update at its end does: one outlet, so
  // not a copy by another source, and both passages stay quotable.
  const repeated = generatedLibrary(2, (d) =>
    d === 0
      ? [paragraph, `Update: ${paragraph} Officials confirmed the figure on Tuesday.`]
      : ["The ministry approved seasonal permits for orchard workers in spring."],
  );

  test("both passages are quoted, neither citing the other", () => {
    const answer = repeated().answer("How many people crossed the Darien Gap in 2023?");
    expectWellFormed(answer, repeated());
    expect(answer.results).toHaveLength(2);
    expect(new Set(answer.results.map((r) => r.source.id)).size).toBe(1);
    for (const result of answer.results) expect(result.also).toBeUndefined();
  });
});

describe("answer() with a copy ranked below other passages", () => {
  const original = "Officials in Panama said 520,000 people crossed the Darien Gap in 2023.";
  // The copy adds sentences, so it ranks below the other passages holding every word.
  const copy = `${original} The figures were repeated at a briefing attended by reporters from several countries, and the ministry published them on its website the same afternoon, with tables for each month, each nationality and each border post, and with notes on how the counts were made at the reception stations in the south of the province.`;
  const others = [
    "People crossed the Darien Gap in 2023 on foot, officials said, many with children.",
    "In 2023 the people who crossed the Darien Gap were counted at two stations.",
    "The Darien Gap was crossed in 2023 by people from Haiti, Ecuador and Venezuela.",
  ];
  const ranked = generatedLibrary(5, (d) => [[original, copy, ...others][d] as string]);
  const question = "How many people crossed the Darien Gap in 2023?";

  test("a passage cites the same copies on a page of one as on a full page", () => {
    const full = ranked().answer(question, { k: MAX_K });
    for (const [offset, result] of full.results.entries()) {
      expect(ranked().answer(question, { k: 1, offset }).results).toEqual([result]);
    }
    expect(full.results[0]?.quote).toBe(original);
    expect(full.results[0]?.also).toHaveLength(1);
  });
});

describe("answer() where the question's words are in most passages", () => {
  // More passages than RETRIEVAL_POSTINGS in retrieval.ts, each naming both "border" and
  // "migrants", so neither word is searched the ordinary way.
  const DOCUMENTS = 50;
  const PARAGRAPHS = 90;
  const rare =
    "At the river crossing near Tzotzil the border guards counted only twelve migrants on the night of the storm.";
  const big = generatedLibrary(DOCUMENTS, (d) => [
    ...Array.from(
      { length: PARAGRAPHS },
      (_, p) =>
        `On day ${d * PARAGRAPHS + p} of the count the border agency said that ${p + 3} migrants had reached post ${d}.`,
    ),
    ...(d === DOCUMENTS - 1 ? [rare] : []),
  ]);

  test("a question of common words only is answered with passages holding them all", () => {
    expect(big().stats().passages).toBeGreaterThan(DOCUMENTS * PARAGRAPHS);
    const answer = big().answer("What did the border agency say about migrants?");
    expectWellFormed(answer, big());
    expect(answer.answered).toBe(true);
    for (const result of answer.results) {
      expect(result.quote).toMatch(/border agency/u);
      expect(result.quote).toMatch(/migrants/u);
    }
  });

  test("a rare word among common ones finds its passage first", () => {
    const answer = big().answer("How many migrants did the border guards count at Tzotzil?");
    expectWellFormed(answer, big());
    expect(answer.results[0]?.quote).toBe(rare);
  });

  test("restored from its snapshot, the index answers the same", async () => {
    // These questions read common words' postings directly, which a restored index rebuilds
    // apart from MiniSearch's own loading.
    const dataDir = await tempDir();
    try {
      await Library.open(big().dir, { dataDir });
      const restored = await Library.open(big().dir, { dataDir });
      expect(restored.origin).toBe("snapshot");
      for (const question of [
        "What did the border agency say about migrants?",
        "daily report on border migrants",
      ]) {
        expect(restored.answer(question)).toEqual(big().answer(question));
      }
    } finally {
      await removeDir(dataDir);
    }
  });

  test("words of a document's title count as held by its passages", () => {
    // Every title is "Daily report N": no passage's text says "daily report", so the question
    // is covered only when its title words count.
    const answer = big().answer("daily report on border migrants");
    expectWellFormed(answer, big());
    expect(answer.answered).toBe(true);
  });
});

describe("answer() where each common word of the question is in thousands of passages", () => {
  // Each word of the question is in more passages than RETRIEVAL_POSTINGS (retrieval.ts), and
  // few passages hold them all. The short passages holding one of them would win on that
  // word alone; the answer must come from the passages that hold every one.
  const DOCUMENTS = 65;
  const PARAGRAPHS = 100;
  const bulletins = generatedLibrary(DOCUMENTS, (d) =>
    Array.from({ length: PARAGRAPHS }, (_, p) => {
      const n = d * PARAGRAPHS + p;
      if (p % 20 === 0) {
        return `On day ${n}, after a long review of the files sent by every farm in district ${n % 7}, the ministry approved seasonal work permits for ${(n % 50) + 3} workers who had waited since spring.`;
      }
      return p % 2
        ? `On day ${n} the ministry set new seasonal quotas for the orchard farm ${n % 97} in district ${n % 13}.`
        : `On day ${n} the ministry issued new harvest permits for the orchard farm ${n % 89} in district ${n % 11}.`;
    }),
  );

  test("the answer comes from the passages holding them all", () => {
    expect(bulletins().stats().passages).toBe(DOCUMENTS * PARAGRAPHS);
    const answer = bulletins().answer("seasonal permits from the ministry");
    expectWellFormed(answer, bulletins());
    expect(answer.answered).toBe(true);
    for (const result of answer.results) expect(result.quote).toMatch(/seasonal work permits/u);
  });
});

describe("words that name Object.prototype members", () => {
  let wallDir: string;
  afterAll(() => removeDir(wallDir));

  test("a corpus containing the word 'constructor' is indexed and searchable", async () => {
    wallDir = await fixtureCorpusCopy({
      "wall.md": markdown(
        { title: "Border wall contract awarded" },
        "The wall was built by a private constructor hired by the defence ministry last year, officials said on Monday.",
      ),
    });
    const wall = await Library.open(wallDir);
    expect(wall.stats().documents).toBe(5);
    const answer = wall.answer("Who was the constructor of the border wall?");
    expectWellFormed(answer, wall);
    expect(answer.results[0]?.quote).toContain("private constructor");
  });
});

describe("answer() on the real corpus", () => {
  let real: Library;
  beforeAll(async () => {
    real = await Library.open(SAMPLE_CORPUS);
  });

  test("loads every document without skipping any", () => {
    expect(real.stats().skipped).toEqual([]);
    expect(real.stats().documents).toBeGreaterThanOrEqual(5);
  });

  test("names the NSC spokesperson with a verbatim quote from the document that has it", () => {
    const answer = real.answer("Who is the NSC spokesperson quoted about the deal?");
    expectWellFormed(answer, real);
    const [top] = answer.results;
    expect(top?.quote).toContain("Adrienne Watson");
    expect(real.documents.find((d) => d.source.id === top?.source.id)?.text).toContain(
      "National Security Council spokesperson Adrienne Watson",
    );
  });

  // No document says "sworn", "kids" or "spend": the shipped synonym groups carry these questions.
  test("everyday words for an inauguration, children and paying find the passages that use the others", () => {
    const sworn = real.answer("When was Mulino sworn in?");
    expectWellFormed(sworn, real);
    expect(sworn.results[0]?.quote).toContain("inauguration");
    const kids = real.answer("How many kids crossed the Darien?");
    expectWellFormed(kids, real);
    expect(kids.results[0]?.quote).toContain("women and children");
    // "Officers" and "office" share a stem: an inauguration group holding "take office"
    // (whose "take" is a stop word) made every question about officers one about it.
    const officers = real.answer("What will DHS officers do in Panama?");
    expect(officers.results[0]?.quote).not.toContain("inauguration");
    const spend = real.answer("How much will the US spend?");
    expectWellFormed(spend, real);
    expect(spend.results[0]?.quote).toMatch(/\b(?:costs?|pay|funds?|subsidized)\b/u);
  });

  test("the Mayorkas statement carried by several outlets is quoted once, the others in `also`", () => {
    const shared =
      "we are grateful for our partnership with Panama to manage the historic levels of migration across the Western Hemisphere";
    const answer = real.answer(
      "What did Mayorkas say about the partnership with Panama to manage migration?",
      { k: MAX_K },
    );
    expectWellFormed(answer, real);
    const copies = answer.results.filter((r) => r.quote.includes(shared));
    expect(copies).toHaveLength(1);
    const carriers = real.documents.filter((d) => d.text.includes(shared)).map((d) => d.source.id);
    expect(carriers.length).toBeGreaterThan(1);
    const cited = [copies[0]?.source.id, ...(copies[0]?.also ?? []).map((s) => s.id)];
    expect(cited.sort()).toEqual(carriers.sort());
  });

  test.each([
    "How tall is Mount Everest?",
    "Best Black Friday deals at the Disney Store",
    "Who is Lady Gaga playing in Wednesday season 2?",
  ])("abstains on %s", (question) => {
    const answer = real.answer(question);
    expect(answer.answered).toBe(false);
    expect(answer.results).toEqual([]);
    expect(answer.suggestions?.length).toBeGreaterThan(0);
  });

  test("a question containing 'constructor' does not throw", () => {
    const answer = real.answer("Who is the constructor of the border wall in Panama?");
    expectWellFormed(answer, real);
  });
});
