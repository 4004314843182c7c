import { describe, expect, test } from "vitest";
import type { CorpusDocument } from "../../src/corpus/load.ts";
import type { Entry } from "../../src/search/entries.ts";
import { entrySentences } from "../../src/search/highlight.ts";
import { bestSentenceWeight, pairedWeight, questionPairs } from "../../src/search/proximity.ts";

const term = (t: string, weight: number) => ({ term: t, alternatives: [], weight });

function entryOf(text: string, language?: string): Entry {
  const doc = { text, source: { id: "d", language } } as unknown as CorpusDocument;
  return { key: 0, id: "d:0:x", doc, index: 0, start: 0, end: text.length };
}

describe("question pairs", () => {
  test("pair each term with the next, weighing as the lighter", () => {
    const pairs = questionPairs([term("night", 2), term("shelter", 3), term("run", 1)]);
    expect(pairs).toEqual([
      { first: "night", second: "shelter", weight: 2 },
      { first: "shelter", second: "run", weight: 1 },
    ]);
  });

  test("a one-term question has none", () => {
    expect(questionPairs([term("shelter", 1)])).toEqual([]);
  });
});

/** A passage's terms in order, as proximity reads them: its sentences' terms one after another. */
const termsOf = (text: string, language?: string) =>
  entrySentences(entryOf(text, language)).flatMap((s) => s.terms);

/** The question's pairs a passage holds, weighed, with every term of it counted as held. */
function weightIn(text: string, query: ReturnType<typeof term>[], language?: string): number {
  const terms = termsOf(text, language);
  return pairedWeight(
    questionPairs(query),
    (t) => terms.includes(t),
    () => terms,
  );
}

describe("a passage's pairs", () => {
  test("are its terms side by side, stop words aside, in their order", () => {
    const text = "The Secretary of State met the press.";
    expect(weightIn(text, [term("secretari", 1), term("state", 1)])).toBe(1);
    expect(weightIn(text, [term("state", 1), term("secretari", 1)])).toBe(0);
  });

  test("of a Spanish document are read by the Spanish pipeline", () => {
    const text = "Los vuelos de deportación salen de Panamá.";
    const [flights, deportation] = termsOf(text, "es");
    expect(flights).toMatch(/^vuel/u);
    expect(weightIn(text, [term(flights as string, 1), term(deportation as string, 1)], "es")).toBe(
      1,
    );
  });

  test("count toward the question by the weight of the pairs held", () => {
    const text = "Volunteers run the night shelter.";
    expect(weightIn(text, [term("night", 2), term("shelter", 3), term("open", 1)])).toBe(2);
  });

  test("are not read when the passage lacks a term of every pair", () => {
    let read = false;
    const weight = pairedWeight(
      questionPairs([term("night", 2), term("shelter", 3)]),
      (t) => t === "night",
      () => {
        read = true;
        return ["night", "shelter"];
      },
    );
    expect(weight).toBe(0);
    expect(read).toBe(false);
  });
});

describe("a passage's best sentence", () => {
  test("is the one holding the most question weight", () => {
    const query = [term("night", 2), term("shelter", 3), term("open", 1)];
    const sentences = [{ terms: ["night", "open"] }, { terms: ["shelter", "open"] }];
    expect(bestSentenceWeight(query, sentences)).toBe(4);
  });
});
