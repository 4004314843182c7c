import fc from "fast-check";
import { beforeAll, describe, expect, test } from "vitest";
import { MAX_PASSAGE_CHARS } from "../../src/corpus/passages.ts";
import { type Answer, type AnswerOptions, DEFAULT_K, MAX_K } from "../../src/search/answer.ts";
import { Library } from "../../src/search/library.ts";
import { tokenize } from "../../src/text/analyzer.ts";
import { SAMPLE_CORPUS } from "../fixtures/helpers.ts";
import { answerSchema } from "../support/answer-contract.ts";

let library: Library;
let ids: string[];
let words: string[];

beforeAll(async () => {
  library = await Library.open(SAMPLE_CORPUS);
  ids = library.documents.map((d) => d.source.id);
  // Words of the corpus, as written (case, punctuation and diacritics kept), plus question words.
  const corpusWords = new Set(library.documents.flatMap((d) => d.text.split(/\s+/u)));
  words = [...corpusWords, "U.S.", "Darién", "520,000", "NSC", "what", "who", "the", "?"];
});

/** What answer() promises for any question and options. */
function check(question: string, options: AnswerOptions = {}): Answer {
  const answer = library.answer(question, options);
  const parsed = answerSchema.safeParse(answer);
  if (!parsed.success) throw new Error(`invalid Answer: ${parsed.error.message}`);
  expect(answer.question).toBe(question);
  const k = Math.min(MAX_K, Math.max(1, Math.trunc(options.k ?? DEFAULT_K) || 1));
  expect(answer.results.length).toBeLessThanOrEqual(k);
  const passages = new Set<string>();
  for (const result of answer.results) {
    const doc = library.documents.find((d) => d.source.id === result.source.id);
    expect(doc, `source ${result.source.id} is a document`).toBeDefined();
    expect(doc?.text.includes(result.quote), "quote is a substring of its document").toBe(true);
    expect(result.quote.length).toBeLessThanOrEqual(MAX_PASSAGE_CHARS);
    if (result.highlight !== undefined) expect(result.quote).toContain(result.highlight);
    if (options.source !== undefined) expect(result.source.id).toBe(options.source);
    expect(passages.has(result.passage), "a passage is quoted once").toBe(false);
    passages.add(result.passage);
  }
  return answer;
}

const corpusQuestion = () =>
  fc.array(fc.constantFrom(...words), { minLength: 0, maxLength: 12 }).map((ws) => ws.join(" "));

const anyQuestion = () =>
  fc.oneof(
    fc.string({ unit: "binary", maxLength: 200 }),
    fc.string({ unit: "grapheme", maxLength: 100 }),
    fc.string({ unit: "binary-ascii", maxLength: 200 }),
    corpusQuestion(),
    fc
      .tuple(corpusQuestion(), fc.string({ unit: "grapheme", maxLength: 20 }))
      .map(([a, b]) => `${a} ${b}`),
  );

/** Words that are also names of Object.prototype members: a classic trap for lookup tables. */
const JS_WORDS = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "prototype"];

const options = (): fc.Arbitrary<AnswerOptions> =>
  fc.record(
    {
      k: fc.oneof(fc.integer({ min: 1, max: MAX_K }), fc.integer({ min: -3, max: 50 })),
      offset: fc.integer({ min: 0, max: 6 }),
      source: fc.oneof(fc.constantFrom(...ids), fc.constant("no-such-document")),
    },
    { requiredKeys: [] },
  );

describe("answer() on the real corpus, for any question", () => {
  test("arbitrary strings give a valid Answer without throwing", () => {
    fc.assert(
      fc.property(anyQuestion(), (question) => {
        check(question);
      }),
      { numRuns: 300 },
    );
  });

  test("mixes of corpus words give a valid Answer with verbatim quotes", () => {
    fc.assert(
      fc.property(corpusQuestion(), (question) => {
        check(question);
      }),
      { numRuns: 300 },
    );
  });

  test("questions with words such as 'constructor' give a valid Answer without throwing", () => {
    fc.assert(
      fc.property(
        corpusQuestion(),
        fc.constantFrom(...JS_WORDS),
        corpusQuestion(),
        (before, word, after) => {
          check(`${before} ${word} ${after}`);
        },
      ),
      { numRuns: 200 },
    );
  });

  test("any options keep the contract: k, offset and source", () => {
    fc.assert(
      fc.property(anyQuestion(), options(), (question, opts) => {
        check(question, opts);
      }),
      { numRuns: 300 },
    );
  });

  test("a sentence taken from a document is answered from that document's text", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (d, s) => {
          const doc = library.documents[d % library.documents.length];
          const sentences = (doc?.text ?? "")
            .split(/(?<=[.!?])\s+/u)
            .filter((x) => tokenize(x).length >= 8);
          const sentence = sentences[s % sentences.length];
          if (!doc || sentence === undefined) return;
          const answer = check(sentence, { k: MAX_K });
          expect(answer.answered).toBe(true);
          // The sentence itself (or a near-duplicate of it) is among the quotes.
          const found = answer.results.some(
            (r) =>
              r.quote.includes(sentence.slice(0, 40)) ||
              (r.also ?? []).some((a) => a.id === doc.source.id),
          );
          expect(found, sentence).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

test("tokenize gives plain text the same tokens whether or not the text needs Unicode patterns", () => {
  const asciiText = fc
    .array(
      fc.constantFrom(
        "U.S.",
        "u.n.",
        "520,000",
        "3.5",
        "it's",
        "Mr.",
        "ICE's",
        "x1",
        "a",
        ".",
        ",",
        "’",
        "-",
        " ",
      ),
      { maxLength: 20 },
    )
    .map((parts) => parts.join(""));
  fc.assert(
    fc.property(asciiText, (text) => {
      // "é" sends the whole text through the Unicode patterns; it is one more token, "e".
      expect(tokenize(`${text} é`)).toEqual([...tokenize(text), "e"]);
    }),
    { numRuns: 2000 },
  );
});
