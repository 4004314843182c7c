import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { Library } from "../../src/search/library.ts";
import { SAMPLE_CORPUS } from "../fixtures/helpers.ts";
import { evaluate, readQuestionSet, type Scores } from "./evaluate.ts";

/** Acceptance thresholds on the development question set, against the bundled corpus. */

let scores: Scores;

beforeAll(async () => {
  const library = await Library.open(SAMPLE_CORPUS);
  const set = readQuestionSet(join(import.meta.dirname, "dev-questions.json"));
  scores = await evaluate(set, (q) => library.answer(q, { k: 3 }));
});

describe("retrieval quality on dev-questions.json", () => {
  test("the question set is not empty", () => {
    expect(scores.kinds.answerable?.questions).toBeGreaterThan(0);
    expect(scores.kinds.paraphrased?.questions).toBeGreaterThan(0);
    expect(scores.abstained.off_topic?.questions).toBe(5);
  });

  test("answerable questions: hit@1 = 1", () => {
    expect(scores.kinds.answerable?.hit1).toBe(1);
  });

  test("answerable questions: hit@3 = 1", () => {
    expect(scores.kinds.answerable?.misses).toEqual([]);
    expect(scores.kinds.answerable?.hit3).toBe(1);
  });

  test("paraphrased questions: hit@3 ≥ 0.8", () => {
    const paraphrased = scores.kinds.paraphrased;
    expect(paraphrased?.hit3, paraphrased?.misses.join("\n")).toBeGreaterThanOrEqual(0.8);
  });

  test("off-topic questions: 5 of 5 abstain", () => {
    expect(scores.abstained.off_topic?.leaks).toEqual([]);
    expect(scores.abstained.off_topic?.rate).toBe(1);
  });

  test("no quote contains a junk marker", () => {
    expect(scores.junkLeaks).toEqual([]);
  });
});
