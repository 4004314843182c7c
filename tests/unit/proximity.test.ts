import { describe, expect, test } from "vitest";
import type { CorpusDocument } from "../../src/corpus/load.ts";
import type { Entry } from "../../src/search/entries.ts";
import { entryPairs, pairedWeight, questionPairs } from "../../src/search/proximity.ts";

const term = (t: string, weight: number) => ({ term: t, alternatives: [], weight });

function entryOf(text: string, language?: string): Entry {
  const doc = { text, source: { id: "d", language } } as unknown as CorpusDocument;
  return { key: 0, id: "d:0:x", doc, index: 0, start: 0, end: text.length };
}

describe("question pairs", () => {
  test("pair each term with the next, weighing as the lighter", () => {
    const pairs = questionPairs([term("night", 2), term("shelter", 3), term("run", 1)]);
    expect(pairs).toEqual([
      { pair: "night shelter", weight: 2 },
      { pair: "shelter run", weight: 1 },
    ]);
  });

  test("a one-term question has none", () => {
    expect(questionPairs([term("shelter", 1)])).toEqual([]);
  });
});

describe("a passage's pairs", () => {
  test("are its terms side by side, stop words aside, in their order", () => {
    const held = entryPairs(entryOf("The Secretary of State met the press."));
    expect(held.has("secretari state")).toBe(true);
    expect(held.has("state secretari")).toBe(false);
  });

  test("of a Spanish document are read by the Spanish pipeline", () => {
    const held = entryPairs(entryOf("Los vuelos de deportación salen de Panamá.", "es"));
    expect([...held].some((pair) => pair.startsWith("vuel"))).toBe(true);
  });

  test("count toward the question by the weight of the pairs held", () => {
    const held = entryPairs(entryOf("Volunteers run the night shelter."));
    const pairs = questionPairs([term("night", 2), term("shelter", 3), term("open", 1)]);
    expect(pairedWeight(pairs, held)).toBe(2);
  });
});
