import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  cutPassages,
  fitsOnePassage,
  MAX_PASSAGE_CHARS,
  type PassageCut,
  sentences,
} from "../../src/corpus/passages.ts";

const sentenceTexts = (paragraph: string) =>
  sentences(paragraph).map((s) => paragraph.slice(s.start, s.end));

describe("sentences()", () => {
  test("splits an ordinary paragraph at each sentence end", () => {
    expect(
      sentenceTexts("The flight left on Monday. It landed in Bogotá. Was anyone hurt?"),
    ).toEqual(["The flight left on Monday.", "It landed in Bogotá.", "Was anyone hurt?"]);
  });

  test('does not split after "U.S." before a capitalised word', () => {
    expect(
      sentenceTexts(
        "Agents of the U.S. Border Patrol met them. Officials in the U.S. Congress objected.",
      ),
    ).toEqual([
      "Agents of the U.S. Border Patrol met them.",
      "Officials in the U.S. Congress objected.",
    ]);
  });

  test('does not split after "Mr." or other titles', () => {
    expect(
      sentenceTexts("Mr. Biden spoke on Monday. Gen. Laura Richardson agreed. Dr. Ortiz did not."),
    ).toEqual([
      "Mr. Biden spoke on Monday.",
      "Gen. Laura Richardson agreed.",
      "Dr. Ortiz did not.",
    ]);
  });

  test('does not split after an initial such as "J."', () => {
    expect(
      sentenceTexts("Secretary of State Antony J. Blinken visited Panama. He met the president."),
    ).toEqual(["Secretary of State Antony J. Blinken visited Panama.", "He met the president."]);
  });

  test("spans are offsets into the text, shifted by `offset`, and trimmed", () => {
    const paragraph = "  First sentence here.   Second one follows.  ";
    for (const offset of [0, 17]) {
      const spans = sentences(paragraph, offset);
      expect(spans.map((s) => paragraph.slice(s.start - offset, s.end - offset))).toEqual([
        "First sentence here.",
        "Second one follows.",
      ]);
    }
  });

  test("empty and whitespace-only paragraphs have no sentences", () => {
    expect(sentences("")).toEqual([]);
    expect(sentences("  \n ")).toEqual([]);
  });
});

// ---- cutPassages -------------------------------------------------------------------------

const words = (n: number, seed = 0) =>
  Array.from(
    { length: n },
    (_, i) =>
      [
        "migrants",
        "crossed",
        "the",
        "border",
        "near",
        "Darién",
        "U.S.",
        "3,000",
        "officials",
        "said",
      ][(i + seed) % 10],
  ).join(" ");

/** A sentence of about `chars` characters ending in a full stop. */
function sentenceOf(chars: number, seed = 0): string {
  let text = "";
  for (let n = 1; text.length < chars - 1; n++) text = words(n, seed);
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** What is wrong with a cut of `text`: the invariants every cut must keep, whatever the text. */
function cutProblems(text: string, cuts: readonly PassageCut[]): string[] {
  const problems: string[] = [];
  let previousEnd = 0;
  let outside = "";
  cuts.forEach((cut, i) => {
    if (cut.text !== text.slice(cut.start, cut.end)) problems.push(`#${i} is not text[start, end)`);
    if (cut.text.length === 0) problems.push(`#${i} is empty`);
    if (cut.text.length > MAX_PASSAGE_CHARS) problems.push(`#${i} has ${cut.text.length} chars`);
    if (cut.text !== cut.text.trim()) problems.push(`#${i} starts or ends with whitespace`);
    if (cut.start < previousEnd) problems.push(`#${i} overlaps or precedes #${i - 1}`);
    outside += text.slice(previousEnd, cut.start);
    previousEnd = Math.max(previousEnd, cut.end);
  });
  outside += text.slice(previousEnd);
  // Nothing is lost: outside the passages there is only whitespace.
  if (outside.trim() !== "")
    problems.push(`text outside every passage: ${JSON.stringify(outside)}`);
  return problems;
}

function expectValidCuts(text: string, cuts: readonly PassageCut[]): void {
  expect(cutProblems(text, cuts)).toEqual([]);
}

describe("cutPassages()", () => {
  test("passages are slices [start, end) of the text, in order, within the limit, losing nothing", () => {
    const text = [
      [sentenceOf(150), sentenceOf(220, 3), sentenceOf(90, 5)].join(" "),
      [sentenceOf(400, 1), sentenceOf(300, 2)].join(" "),
      sentenceOf(120, 4),
    ].join("\n\n");
    const cuts = cutPassages(text);
    expect(cuts.length).toBeGreaterThan(2);
    expectValidCuts(text, cuts);
  });

  test("passages of full-size paragraphs never cross a blank line", () => {
    const paragraphs = [
      sentenceOf(250),
      sentenceOf(180, 1),
      sentenceOf(300, 2),
      sentenceOf(140, 3),
    ];
    const text = paragraphs.join("\n\n");
    const cuts = cutPassages(text);
    expect(cuts.map((c) => c.text)).toEqual(paragraphs);
  });

  test("a fragment too small to stand alone is merged into a neighbour", () => {
    const fragment = "He declined to comment.";
    const text = [sentenceOf(250), fragment, sentenceOf(250, 1)].join("\n\n");
    const cuts = cutPassages(text);
    expectValidCuts(text, cuts);
    expect(cuts).toHaveLength(2);
    const holder = cuts.find((c) => c.text.includes(fragment));
    expect(holder?.text).not.toBe(fragment);
    expect(holder?.text).toContain("\n\n");
  });

  test("a 3,000-character sentence without punctuation is cut at spaces within the limit", () => {
    const text = words(500).replaceAll(/[.,]/gu, "");
    expect(text.length).toBeGreaterThan(3000);
    const cuts = cutPassages(text);
    expectValidCuts(text, cuts);
    expect(cuts.length).toBeGreaterThanOrEqual(Math.ceil(text.length / MAX_PASSAGE_CHARS));
    for (const cut of cuts) {
      expect(cut.start === 0 || text[cut.start - 1] === " ").toBe(true);
      expect(cut.end === text.length || text[cut.end] === " ").toBe(true);
    }
  });

  test("a long sentence is cut after a clause when it can be", () => {
    const clause = words(14).replaceAll(/[.,]/gu, "");
    const text = `${Array.from({ length: 20 }, () => clause).join(", ")}.`;
    const cuts = cutPassages(text);
    expectValidCuts(text, cuts);
    for (const cut of cuts.slice(0, -1)) expect(cut.text.endsWith(",")).toBe(true);
  });

  test("3,000 characters without any space are still cut within the limit", () => {
    const text = "x".repeat(3000);
    const cuts = cutPassages(text);
    expectValidCuts(text, cuts);
  });

  test("empty text has no passages", () => {
    expect(cutPassages("")).toEqual([]);
    expect(cutPassages("\n\n  \n")).toEqual([]);
  });
});

// ---- properties --------------------------------------------------------------------------

const word = fc.constantFrom(
  "migrants",
  "the",
  "U.S.",
  "Mr.",
  "J.",
  "Darién",
  "520,000",
  "2023",
  "deportation",
  "flights",
  "“quoted”",
  "—",
  "Panama's",
  "officials",
  "a",
  "extraordinarily-long-hyphenated-compound-word-from-a-scrape",
);
const sentenceArb = fc
  .tuple(fc.array(word, { minLength: 1, maxLength: 40 }), fc.constantFrom(".", "?", "!", "", ","))
  .map(([ws, end]) => `${ws.join(" ")}${end}`);
const paragraphArb = fc
  .tuple(fc.array(sentenceArb, { minLength: 1, maxLength: 12 }), fc.constantFrom(" ", "\n"))
  .map(([ss, sep]) => ss.join(sep));
const documentArb = fc
  .array(paragraphArb, { minLength: 0, maxLength: 8 })
  .map((ps) => ps.join("\n\n"));

/**
 * Capitalised sentences of 100 to 250 characters without abbreviations: no piece of them is
 * too small to stand alone, so nothing needs merging across paragraphs.
 */
const fullSentenceArb = fc
  .array(fc.constantFrom("migrants", "the", "Darién", "520,000", "flights", "officials", "a"), {
    minLength: 12,
    maxLength: 40,
  })
  .map((ws) => {
    let s = ws.join(" ");
    while (s.length < 100) s += " and more migrants";
    return `The ${s.slice(0, 245).trimEnd()}.`;
  });

describe("cutPassages() properties", () => {
  test("article-like text: valid, ordered, non-overlapping, complete cuts", () => {
    fc.assert(
      fc.property(documentArb, (text) => cutProblems(text, cutPassages(text)).length === 0),
      { numRuns: 300 },
    );
  });

  test("any string: valid, ordered, non-overlapping, complete cuts", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: "binary", maxLength: 500 }),
          fc.string({ unit: "grapheme", maxLength: 150 }),
          fc.string({ unit: fc.constantFrom("a", " ", ".", "\n", "U", ",", "é"), maxLength: 1500 }),
        ),
        (text) => cutProblems(text, cutPassages(text)).length === 0,
      ),
      { numRuns: 200 },
    );
  });

  test("paragraphs of full-size sentences: no passage crosses a blank line", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fullSentenceArb, { minLength: 1, maxLength: 6 }), {
          minLength: 1,
          maxLength: 6,
        }),
        (paragraphs) => {
          const text = paragraphs.map((p) => p.join(" ")).join("\n\n");
          return cutPassages(text).every((cut) => !cut.text.includes("\n\n"));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("fitsOnePassage()", () => {
  // Sentence pieces with every kind of ending the segmenter knows, and none.
  const piece = fc.constantFrom(
    "The flight left",
    "on Monday",
    "U.S.",
    "Mr.",
    "It landed.",
    "Was anyone hurt?",
    "No!",
    "“Yes,” she said.",
    "(in 2024)",
    "520,000 people",
    "3.5 million",
    "Darién —",
    "…",
    "。",
    "؟",
    "end",
  );
  const paragraph = fc.array(piece, { maxLength: 30 }).map((parts) => parts.join(" "));

  test("a paragraph it accepts is one passage: short, and at most four sentences", () => {
    fc.assert(
      fc.property(paragraph, (text) => {
        if (!fitsOnePassage(text)) return;
        expect(text.length).toBeLessThanOrEqual(320);
        expect(sentences(text).length).toBeLessThanOrEqual(4);
        const cuts = cutPassages(text);
        expect(cuts.length).toBeLessThanOrEqual(1);
        if (text.trim()) expect(cuts[0]?.text).toBe(text.trim());
      }),
      { numRuns: 3000 },
    );
  });

  test("a long paragraph or one of many sentences is cut by its sentences", () => {
    expect(fitsOnePassage("It landed. It left. It landed. It left. It landed.")).toBe(false);
    expect(fitsOnePassage(`${"word ".repeat(70)}end.`)).toBe(false);
    expect(fitsOnePassage("The flight left on Monday. It landed in Bogotá.")).toBe(true);
  });
});
