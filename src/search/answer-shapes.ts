import escapeStringRegexp from "escape-string-regexp";
import { fold, toTerm } from "../text/analyzer.ts";

/**
 * Some questions say what shape their answer takes, whatever their words:
 * - "What is X?" and "Who is X?" ask what X is. A passage that says it does so in one of a
 *   few shapes: "X, a …" (apposition), "X is a …", "X (…)", "… (X)", "known as X",
 *   "so-called X".
 * - "How long is X?" (far, wide, big, tall, old …) asks for a measure: a number with a unit
 *   ("a 60-mile stretch", "two days"). The measure's word ("long") is one no passage needs.
 * - "How many …?", "How much …?", "What percentage …?" ask for a quantity: a number, in
 *   digits or words ("520,000", "half a million", "dozens", "40%", "$1 billion").
 * - "When …?", "What year / date / day / month …?" ask for a time: a year, a month, a weekday
 *   or a date ("in 2023", "on June 1", "last week", "Tuesday").
 * Passages are matched in folded text, so "Darién" in a passage is "Darien" in a question.
 */

/** A test of folded passage text; a regular expression is one. */
export interface PassageTest {
  test(text: string): boolean;
}

export interface AnswerShape {
  /** What a passage answering the question holds, in folded text. */
  passage: PassageTest;
  /** The question's term naming the measure asked for, which passages need not hold. */
  measure?: string;
  /** Names `passage` when it is the same whatever the question (a passage's match can be remembered). */
  kind?: "quantity" | "time" | "measure";
}

// "What is X?", also inside a framing ("can someone explain what exactly is X?"), and its
// reported form ("explain what X is").
const EMPHASIS = String.raw`(?:\s+(?:exactly|really|actually|precisely))?`;
const DEFINITIONS = [
  new RegExp(
    String.raw`(?:^|[\s,:;])(?:what|who)${EMPHASIS}(?:\s+(?:is|are|was|were)\s+|['’]s\s+)(?:(?:the|an?)\s+)?(.+?)[\s?.!]*$`,
    "u",
  ),
  new RegExp(
    String.raw`(?:^|[\s,:;])(?:what|who)${EMPHASIS}\s+(?:(?:the|an?)\s+)?(.+?)\s+(?:is|are|was|were)[\s?.!]*$`,
    "u",
  ),
];
// A longer subject is a question about something else ("what is the US doing to stop …").
const MAX_SUBJECT_WORDS = 5;
const QUOTE = `["'“”‘’]?`;
// Word edges that hold for a subject beginning or ending in punctuation, unlike \b; the
// figures and dates below are matched in folded (mostly ASCII) text, where \b is enough and
// several times faster.
const START = "(?<![\\p{L}\\p{N}])";
const END = "(?![\\p{L}\\p{N}])";
// The same edges tested at a given place. A definition's subject is checked with these rather
// than inside its question's own expression: V8 compiles the Unicode classes into large code
// for every new expression, which took most of a definition question's time.
const STARTS = new RegExp(START, "uy");
const ENDS = new RegExp(END, "uy");

const MEASURE = /^\s*how\s+(long|far|wide|big|large|tall|high|deep|heavy|old)\b/u;
const AMOUNT =
  "(?:\\d[\\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundreds?|thousands?|dozens?|several|few)";
const UNIT =
  "(?:miles?|kilomet(?:er|re)s?|km|met(?:er|re)s?|feet|foot|acres?|hectares?|square|minutes?|hours?|days?|weeks?|months?|years?)";
const MEASURED = new RegExp(`${START}${AMOUNT}(?:-|\\s+)${UNIT}${END}`, "u");

const QUANTITY_QUESTION =
  /\b(?:how\s+(?:many|much)|what\s+(?:percentage|percent|share|proportion|number|amount|sum|figure)|(?:percentage|proportion)\s+of)\b/u;
// A number that is not a year, a number word, a share or an amount of money.
const QUANTITY =
  /\b(?:(?!(?:19|20)\d\d\b)\d|(?:half|hundreds?|thousands?|millions?|billions?|dozens?|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)\b|per\s?cent\b)|%|\$\s?\d/u;
const TIME_QUESTION =
  /^\s*(?:(?:and|so|but|ok|okay)[\s,]+)?when\b|\b(?:what|which)\s+(?:year|date|day|month|time|decade|century)\b|\bsince\s+when\b/u;
// "May" and "March" are months only beside a day or a year.
const MONTHS =
  "january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec";
const NAMED_TIMES =
  "january|february|april|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tomorrow";
const TIME = new RegExp(
  `\\b(?:(?:1[5-9]|20)\\d\\d\\b|\\d{1,2}(?:st|nd|rd|th)\\s+century|(?:${MONTHS})\\.?\\s+\\d|\\d{1,2}\\s+(?:${MONTHS})\\b|(?:${NAMED_TIMES})\\b|(?:last|next|this|that)\\s+(?:year|month|week|summer|spring|fall|autumn|winter)\\b|\\d{1,2}/\\d{1,2}/\\d{2,4})`,
  "u",
);

/** The shape of the answer the question asks for, or null when it asks for none in particular. */
export function answerShape(question: string): AnswerShape | null {
  const folded = fold(question);
  return definition(folded) ?? measure(folded) ?? asked(folded);
}

/** Questions asking for a quantity or a time, whatever else they ask. */
function asked(question: string): AnswerShape | null {
  if (QUANTITY_QUESTION.test(question)) return { passage: QUANTITY, kind: "quantity" };
  if (TIME_QUESTION.test(question)) return { passage: TIME, kind: "time" };
  return null;
}

function definition(question: string): AnswerShape | null {
  const subject = DEFINITIONS.map((d) => d.exec(question)?.[1])
    .find((found) => found !== undefined)
    ?.split(/\s+/u);
  if (!subject || subject.length > MAX_SUBJECT_WORDS) return null;
  const name = subject.map(escapeStringRegexp).join("\\s+");
  const enclosed = new RegExp(`\\(${name}\\)`, "u");
  // The subject where a definition introduces or follows it; whether it stands as a whole
  // word (START, END) is checked at each place found.
  const introduced = new RegExp(
    [
      `(?<=\\b(?:known as|so-called|called)\\s+${QUOTE})${name}`,
      `${name}(?=${QUOTE}(?:,\\s+(?:an?|the)\\s|\\s+(?:is|are|was|were)\\s+(?:an?|the)\\s|\\s+\\())`,
    ].join("|"),
    "gu",
  );
  return {
    passage: { test: (text) => enclosed.test(text) || standsAlone(introduced, text) },
  };
}

/**
 * Whether the global `pattern` matches somewhere in `text` with no letter or digit just
 * before or after its match. Every place it matches is tried (a subject's words are
 * literal, so a match's end is fixed by its start).
 */
function standsAlone(pattern: RegExp, text: string): boolean {
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const end = match.index + match[0].length;
    if (holdsAt(STARTS, text, match.index) && holdsAt(ENDS, text, end)) return true;
    // On by one character: a lastIndex inside a surrogate pair would find the same match again.
    pattern.lastIndex = match.index + ((match[0].codePointAt(0) ?? 0) > 0xffff ? 2 : 1);
  }
  return false;
}

/** Whether the sticky assertion `edge` holds at `index` of `text`. */
function holdsAt(edge: RegExp, text: string, index: number): boolean {
  edge.lastIndex = index;
  return edge.test(text);
}

function measure(question: string): AnswerShape | null {
  const word = MEASURE.exec(question)?.[1];
  const term = word === undefined ? null : toTerm(word);
  return term ? { passage: MEASURED, measure: term, kind: "measure" } : null;
}
