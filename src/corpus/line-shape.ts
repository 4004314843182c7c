import { tokenize } from "../text/analyzer.ts";
import type { Language } from "../text/language.ts";

/**
 * What one line of a scraped page looks like: its words, its share of function words, whether
 * it ends as a sentence does, and the marks of page furniture (timestamps, file names, list
 * markers, separators, capitals).
 */

// Function words that make up a third or more of running prose and little of headlines or
// menus, folded as tokenize folds them.
const FUNCTION_WORDS: Readonly<Record<Language, ReadonlySet<string>>> = {
  en: new Set(
    "a an the of to in on at by for from with and or but as is are was were be been has have had that this it its which who will would not than into over after about their there they he she his her we our".split(
      " ",
    ),
  ),
  es: new Set(
    "el la los las lo un una unos unas de del al a en por para con sin sobre entre y e o u pero que como es son fue fueron era ha han habia se su sus le les este esta estos estas no mas muy ya tambien cuando donde".split(
      " ",
    ),
  ),
};
const SENTENCE_END = /[.!?…]["'”’»)\]]*$/u;
// A sentence end followed by the next sentence's first letter.
const SENTENCE_BREAK = /[.!?…]["'”’»)\]]*\s+(?=["'“‘(]?\p{Lu})/gu;
// What reference works print after a sentence: "[citation needed]", "[Note 4]", ".:19-1", "(Exodus 1: 15-19)".
const TRAILING_REFERENCES = /(?:\s*\[[^\]]{1,40}\]|:\s?\d[\d\s,:–-]*|\s+\([^()]{1,40}\))+$/u;
const IMAGE_FILE = /\.(?:jpe?g|png|gif|webp|svg|avif)\b/iu;
const LONG_TOKEN = /\b[a-z\d]{16,}\b/giu;
const MIN_SENTENCE_WORDS = 6;
// A line of this many sentences and words is a paragraph of an article, however it ends (a
// formula or a figure cut from it leaves it ending in "is" or ":") and whatever its share of
// function words (a paragraph listing names has few).
const PARAGRAPH_SENTENCES = 3;
const PARAGRAPH_WORDS = 20;

export const LIST_MARKER = /^[-–—*•·]\s*/u;
export const TIMESTAMP = /\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}/u;
export const SEPARATORS = /\s[|>»]\s|[|>»]\s|\s[|>»]/u;
export const MIN_PROSE_FUNCTION_RATIO = 0.18;
export const MIN_CAPTION_WORDS = 12;

export interface Shape {
  /** Folded tokens joined by spaces: equal keys are the same line. */
  key: string;
  words: string[];
  functionRatio: number;
  /** Whether it ends as a sentence does, references after the end aside, or leads into a formula or list. */
  sentence: boolean;
  /** How many sentences it holds. */
  sentences: number;
}

/** A page's raw text as trimmed lines with their white space folded, empty lines left out. */
export function splitLines(raw: string): string[] {
  return raw
    .replace(/^\uFEFF/u, "")
    .split(/\r\n|\r|\n|\u2028|\u2029/u)
    .map((line) => line.replace(/\s+/gu, " ").trim())
    .filter((line) => line.length > 0);
}

/** Folded form of a line, for comparing lines across documents. */
export function lineKey(line: string): string {
  return tokenize(line).join(" ");
}

/**
 * The shapes of one page's lines, read by the function words of its language. Cleaning a
 * page asks for each line's shape many times; it is worked out once.
 */
export class LineShapes {
  readonly #shapes = new Map<string, Shape>();
  readonly #functionWords: ReadonlySet<string>;

  constructor(language: Language = "en") {
    this.#functionWords = FUNCTION_WORDS[language];
  }

  shape(text: string): Shape {
    const known = this.#shapes.get(text);
    if (known) return known;
    const tokens = tokenize(text);
    const words = tokens.filter((t) => /\p{L}/u.test(t));
    const functional = words.filter((w) => this.#functionWords.has(w)).length;
    const end = text.replace(TRAILING_REFERENCES, "");
    const sentence =
      SENTENCE_END.test(end) || (end.endsWith(":") && words.length >= MIN_CAPTION_WORDS);
    const found = {
      key: tokens.join(" "),
      words,
      functionRatio: words.length ? functional / words.length : 0,
      sentence,
      sentences: (text.match(SENTENCE_BREAK)?.length ?? 0) + (sentence ? 1 : 0),
    };
    this.#shapes.set(text, found);
    return found;
  }

  /** Folded form of a line (see lineKey). */
  key(text: string): string {
    return this.shape(text).key;
  }

  /** Whether a line is running prose: a paragraph, or a sentence with its share of function words. */
  isProse(text: string): boolean {
    const s = this.shape(text);
    if (s.sentences >= PARAGRAPH_SENTENCES && s.words.length >= PARAGRAPH_WORDS) return true;
    return (
      s.sentence &&
      s.words.length >= MIN_SENTENCE_WORDS &&
      s.functionRatio >= MIN_PROSE_FUNCTION_RATIO
    );
  }

  /** Whether `haystack` holds `needle`, both folded. */
  containsFolded(haystack: string, needle: string): boolean {
    const n = this.key(needle);
    return n.length > 0 && this.key(haystack).includes(n);
  }
}

/** An image file name, or a long random-looking token of letters and digits ("8jsnall1gbh4ec6l1w"). */
export function hasFileName(text: string): boolean {
  if (IMAGE_FILE.test(text)) return true;
  return (text.match(LONG_TOKEN) ?? []).some((token) => /\d/u.test(token) && /[a-z]/iu.test(token));
}

/** A line in capitals only. */
export function isShouting(text: string): boolean {
  const letters = text.replace(/[^\p{L}]/gu, "");
  return letters.length >= 6 && letters === letters.toUpperCase();
}
