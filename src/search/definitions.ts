import escapeStringRegexp from "escape-string-regexp";
import { fold } from "./analyzer.ts";

/**
 * "What is X?" and "Who is X?" ask for what X is. A passage that says it does so in one of
 * a few shapes: "X, a …" (apposition), "X is a …", "X (…)", "… (X)", "known as X",
 * "so-called X". Matched in folded text, so "Darién" in a passage is "Darien" in a question.
 */

const QUESTION =
  /^\s*(?:what|who)(?:\s+(?:is|are|was|were)\s+|['’]s\s+)(?:(?:the|an?)\s+)?(.+?)[\s?.!]*$/u;
// A longer subject is a question about something else ("what is the US doing to stop …").
const MAX_SUBJECT_WORDS = 5;
const QUOTE = `["'“”‘’]?`;
// Word edges that hold for a subject beginning or ending in punctuation, unlike \b.
const START = "(?<![\\p{L}\\p{N}])";
const END = "(?![\\p{L}\\p{N}])";

/** What a passage defining the question's subject holds (in folded text), or null when the question asks no definition. */
export function definitionOf(question: string): RegExp | null {
  const subject = QUESTION.exec(fold(question))?.[1]?.split(/\s+/u);
  if (!subject || subject.length > MAX_SUBJECT_WORDS) return null;
  const name = subject.map(escapeStringRegexp).join("\\s+");
  const named = `${QUOTE}${START}${name}${END}${QUOTE}`;
  return new RegExp(
    [
      `\\b(?:known as|so-called|called)\\s+${named}`,
      `\\(${name}\\)`,
      `${named}(?:,\\s+(?:an?|the)\\s|\\s+(?:is|are|was|were)\\s+(?:an?|the)\\s|\\s+\\()`,
    ].join("|"),
    "u",
  );
}
