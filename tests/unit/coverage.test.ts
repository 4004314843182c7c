import { describe, expect, test } from "vitest";
import { passageCoverage } from "../../src/search/coverage.ts";
import { DEFAULT_RANKING } from "../../src/search/ranking.ts";

const term = (t: string, weight = 1) => ({ term: t, alternatives: [], weight });
// Four question words of weight 1: plan, beds, night, open.
const query = [term("plan"), term("beds"), term("night"), term("open")];
const options = { titleCoverage: 0.5, context: { coverage: 0.25, radius: 1 } };

describe("a passage's coverage of a question", () => {
  test("counts its own words in full", () => {
    const words = { own: ["beds", "night"], withTitle: ["beds", "night"], around: () => false };
    expect(passageCoverage(query, words, options)).toEqual({ ranking: 0.5, gate: 0.5 });
  });

  test("counts a title word in part in ranking, in full at the gate", () => {
    const words = { own: ["beds"], withTitle: ["beds", "plan"], around: () => false };
    expect(passageCoverage(query, words, options)).toEqual({
      ranking: (1 + 0.5) / 4,
      gate: 2 / 4,
    });
  });

  test("counts a word only its context holds at the context's share, in both", () => {
    const words = {
      own: ["beds"],
      withTitle: ["beds"],
      around: (w: string) => ["plan", "beds", "tree"].includes(w),
    };
    expect(passageCoverage(query, words, options)).toEqual({
      ranking: (1 + 0.25) / 4,
      gate: (1 + 0.25) / 4,
    });
  });

  test("does not read the context when the passage and title cover the question", () => {
    const all = ["plan", "beds", "night", "open"];
    const words = {
      own: all,
      withTitle: all,
      around: () => {
        throw new Error("context read");
      },
    };
    expect(passageCoverage(query, words, DEFAULT_RANKING)).toEqual({ ranking: 1, gate: 1 });
  });
});
