import escapeStringRegexp from "escape-string-regexp";
import fc from "fast-check";
import { expect, test } from "vitest";
import { answerShape } from "../../src/search/answer-shapes.ts";

// Subject words as a folded question holds them: names, abbreviations, regular-expression
// characters, letters and digits outside ASCII (one outside the 16-bit range).
const WORDS = ["darien", "gap", "dhs", "u.s.c", "1225(b)", "łodz", "大阪", "𐐨x", "co-op", "c++"];
// What passage text is made of around a subject: separators, the words that introduce or
// follow a definition, quotes, and letters or digits that may touch the subject.
const PIECES = [
  " ",
  "  ",
  "\u00a0",
  ",",
  ", ",
  " a ",
  " the ",
  " is ",
  " is a ",
  " were the ",
  ", the ",
  " (",
  "(",
  ")",
  "known as ",
  "so-called ",
  "called ",
  '"',
  "“",
  "’",
  "x",
  "é",
  "ł",
  "3",
  "٣",
  "𐐨",
  "-",
  ".",
];

/** The definition shape as one regular expression: the plain statement of what it matches. */
function oneExpression(words: readonly string[]): RegExp {
  const name = words.map(escapeStringRegexp).join("\\s+");
  const quote = `["'“”‘’]?`;
  const named = `${quote}(?<![\\p{L}\\p{N}])${name}(?![\\p{L}\\p{N}])${quote}`;
  return new RegExp(
    [
      `\\b(?:known as|so-called|called)\\s+${named}`,
      `\\(${name}\\)`,
      `${named}(?:,\\s+(?:an?|the)\\s|\\s+(?:is|are|was|were)\\s+(?:an?|the)\\s|\\s+\\()`,
    ].join("|"),
    "u",
  );
}

test("a definition's shape matches the passages its one-expression statement matches", () => {
  const subject = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 });
  const around = fc.array(fc.constantFrom(...PIECES), { maxLength: 4 }).map((p) => p.join(""));
  const passage = (words: string[]) =>
    fc
      .tuple(
        around,
        fc.constantFrom("", "known as ", "so-called ", "called ", "("),
        fc.constantFrom("", '"', "“"),
        fc.constantFrom(" ", "  ", "\u00a0", "", "-").map((gap) => words.join(gap)),
        fc.constantFrom("", '"', "’", "x", "é", "٣", "𐐨"),
        fc.constantFrom("", ")", ", a ", " is the ", " were an ", " (", ",", " is"),
        around,
      )
      .map((parts) => parts.join(""));
  let matched = 0;
  fc.assert(
    fc.property(
      subject.chain((words) => fc.tuple(fc.constant(words), passage(words))),
      ([words, text]) => {
        const shape = answerShape(`What is ${words.join(" ")}?`);
        const expected = oneExpression(words).test(text);
        if (expected) matched++;
        expect(shape?.passage.test(text)).toBe(expected);
      },
    ),
    { numRuns: 2000 },
  );
  // The passages generated must include definitions, or the comparison says little.
  expect(matched).toBeGreaterThan(200);
});
