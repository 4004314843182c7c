import { tokenize } from "../text/analyzer.ts";
import type { Language } from "../text/language.ts";

/**
 * Boilerplate removal for scraped pages, by general signals only: sentence shape,
 * stop-word density, link-list runs, timestamps, share counters, breadcrumbs,
 * headline duplicates and lines repeated across documents. No site's strings.
 */

export interface CleanOptions {
  /** The document's real title, when known: its duplicates are dropped and text glued to them is spam. */
  title?: string;
  /** Folded lines seen in several documents of the corpus (see `commonLines`). */
  common?: ReadonlySet<string>;
  /** The language the page is written in (default English): prose is told by its function words. */
  language?: Language;
}

export interface CleanText {
  /** The article: kept paragraphs joined by blank lines. Quotes are substrings of this. */
  text: string;
  /** The headline, as found in the page (for files without a title of their own). */
  headline?: string;
}

type Kind = "good" | "neutral" | "bad";

interface Line {
  text: string;
  kind: Kind;
}

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
const LIST_MARKER = /^[-–—*•·]\s*/u;
const TIMESTAMP = /\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}/u;
const COUNTER = /\(\d[\d,.]*\)\s*$/u;
const SEPARATORS = /\s[|>»]\s|[|>»]\s|\s[|>»]/u;
const IMAGE_FILE = /\.(?:jpe?g|png|gif|webp|svg|avif)\b/iu;
const LONG_TOKEN = /\b[a-z\d]{16,}\b/giu;
const MIN_SENTENCE_WORDS = 6;
const MIN_PROSE_FUNCTION_RATIO = 0.18;
const MIN_CAPTION_WORDS = 12;
const CONTEXT = 2;
const COMMON_LINE_MAX = 120;
const HEAD_LINES = 12;
const MIN_SHORT_SENTENCE_WORDS = 3;
// A line of this many sentences and words is a paragraph of an article, however it ends (a
// formula or a figure cut from it leaves it ending in "is" or ":") and whatever its share of
// function words (a paragraph listing names has few).
const PARAGRAPH_SENTENCES = 3;
const PARAGRAPH_WORDS = 20;

/** Folded form of a line, for comparing lines across documents. */
export function lineKey(line: string): string {
  return shape(line).key;
}

// Each line's shape is asked for many times while one page is cleaned; the
// caches live for one call of clean() or commonLines() and are emptied after it,
// and so does the page's language's list of function words.
const lineShapes = new Map<string, Shape>();
let functionWords = FUNCTION_WORDS.en;

function forgetLines(): void {
  lineShapes.clear();
  functionWords = FUNCTION_WORDS.en;
}

/** The keys of a page's short lines, the ones that may be boilerplate shared with other pages. */
export function shortLineKeys(text: string): Set<string> {
  // Long lines are prose or headlines, which repetition never removes: skipping them saves most of the work.
  const keys = new Set(
    splitLines(text)
      .filter((line) => line.length <= COMMON_LINE_MAX)
      .map(lineKey)
      .filter(Boolean),
  );
  forgetLines();
  return keys;
}

/** Lines that stand in at least `minDocuments` of the given raw texts: menus, footers, widgets. */
export function commonLines(texts: readonly string[], minDocuments = 2): Set<string> {
  return commonKeys(texts.map(shortLineKeys), minDocuments);
}

/** The same, from each page's shortLineKeys (which a reload keeps for unchanged files). */
export function commonKeys(pages: Iterable<ReadonlySet<string>>, minDocuments = 2): Set<string> {
  const counts = new Map<string, number>();
  for (const keys of pages) for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return new Set([...counts].filter(([, n]) => n >= minDocuments).map(([key]) => key));
}

export function clean(raw: string, options: CleanOptions = {}): CleanText {
  functionWords = FUNCTION_WORDS[options.language ?? "en"];
  try {
    return cleanLines(splitLines(raw), options);
  } finally {
    forgetLines();
  }
}

function cleanLines(rawLines: string[], options: CleanOptions): CleanText {
  const headline = options.title ?? findHeadline(rawLines);
  const spam = headline ? gluedFragments(rawLines, headline) : [];
  const lines: Line[] = rawLines.map((text) => {
    const stripped = removeFragments(text, spam);
    return { text: stripped, kind: classify(stripped, headline, options.common) };
  });
  demoteLinkListSentences(lines);
  keepCaptionsNextToProse(lines);
  const text = lines
    .filter((line) => line.kind === "good")
    .map((line) => line.text)
    .join("\n\n");
  return headline === undefined ? { text } : { text, headline };
}

function splitLines(raw: string): string[] {
  return raw
    .replace(/^\uFEFF/u, "")
    .split(/\r\n|\r|\n|\u2028|\u2029/u)
    .map((line) => line.replace(/\s+/gu, " ").trim())
    .filter((line) => line.length > 0);
}

interface Shape {
  /** Folded tokens joined by spaces: equal keys are the same line. */
  key: string;
  words: string[];
  functionRatio: number;
  /** Whether it ends as a sentence does, references after the end aside, or leads into a formula or list. */
  sentence: boolean;
  /** How many sentences it holds. */
  sentences: number;
}

function shape(text: string): Shape {
  const known = lineShapes.get(text);
  if (known) return known;
  const tokens = tokenize(text);
  const words = tokens.filter((t) => /\p{L}/u.test(t));
  const functional = words.filter((w) => functionWords.has(w)).length;
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
  lineShapes.set(text, found);
  return found;
}

function isProse(s: Shape): boolean {
  if (s.sentences >= PARAGRAPH_SENTENCES && s.words.length >= PARAGRAPH_WORDS) return true;
  return (
    s.sentence &&
    s.words.length >= MIN_SENTENCE_WORDS &&
    s.functionRatio >= MIN_PROSE_FUNCTION_RATIO
  );
}

function classify(text: string, headline: string | undefined, common?: ReadonlySet<string>): Kind {
  if (text.length === 0) return "bad";
  const s = shape(text);
  if (headline && containsFolded(text, headline) && !isProse(s)) return "bad";
  if (TIMESTAMP.test(text) || COUNTER.test(text) || hasFileName(text)) return "bad";
  if (isProse(s)) return "good";
  if (common?.has(lineKey(text))) return "bad";
  if (LIST_MARKER.test(text) || SEPARATORS.test(text) || isShouting(text)) return "bad";
  if (s.words.length < (s.sentence ? MIN_SHORT_SENTENCE_WORDS : 4)) return "bad";
  return "neutral";
}

/** An image file name, or a long random-looking token of letters and digits ("8jsnall1gbh4ec6l1w"). */
function hasFileName(text: string): boolean {
  if (IMAGE_FILE.test(text)) return true;
  return (text.match(LONG_TOKEN) ?? []).some((token) => /\d/u.test(token) && /[a-z]/iu.test(token));
}

function isShouting(text: string): boolean {
  const letters = text.replace(/[^\p{L}]/gu, "");
  return letters.length >= 6 && letters === letters.toUpperCase();
}

/**
 * Prose inside a run of headlines (a "related stories" list) belongs to the list, and so
 * does prose that follows such a run to the end of the page.
 */
function demoteLinkListSentences(lines: Line[]): void {
  const original = lines.map((line) => line.kind);
  lines.forEach((line, i) => {
    if (line.kind !== "good") return;
    const before = original.slice(Math.max(0, i - CONTEXT), i);
    const after = original.slice(i + 1, i + 1 + CONTEXT);
    // At the page's end only a headline-like question or exclamation is taken for the list's.
    const atPageEnd = i + CONTEXT >= original.length && !line.text.endsWith(".");
    if (
      before.length === CONTEXT &&
      (after.length === CONTEXT || atPageEnd) &&
      ![...before, ...after].includes("good")
    ) {
      line.kind = "bad";
    }
  });
}

/**
 * A long unpunctuated line beside prose is a caption or standfirst, and a short sentence
 * between two paragraphs is part of the article; elsewhere such lines are headlines.
 */
function keepCaptionsNextToProse(lines: Line[]): void {
  lines.forEach((line, i) => {
    if (line.kind !== "neutral") return;
    const s = shape(line.text);
    const previousGood = lines[i - 1]?.kind === "good";
    const nextGood = lines[i + 1]?.kind === "good";
    const captionLike =
      s.words.length >= MIN_CAPTION_WORDS && s.functionRatio >= MIN_PROSE_FUNCTION_RATIO;
    const shortSentence = s.sentence && previousGood && nextGood;
    line.kind = ((previousGood || nextGood) && captionLike) || shortSentence ? "good" : "bad";
  });
}

function containsFolded(haystack: string, needle: string): boolean {
  const n = lineKey(needle);
  return n.length > 0 && lineKey(haystack).includes(n);
}

/**
 * The page's headline, among the headline-shaped lines above the first paragraph: the
 * longest one that a menu or title line repeats, else the longest (menus and bylines are short).
 */
function findHeadline(lines: readonly string[]): string | undefined {
  const firstProse = lines.findIndex((line) => isProse(shape(line)));
  const top = lines.slice(0, firstProse < 0 ? HEAD_LINES : Math.min(firstProse, HEAD_LINES));
  const candidates = top.filter(
    (line) =>
      !TIMESTAMP.test(line) &&
      !hasFileName(line) &&
      !isShouting(line) &&
      !LIST_MARKER.test(line) &&
      shape(line).words.length >= 3,
  );
  // A headline repeated in a menu or title line is the surest sign; repeats inside prose prove nothing.
  const repeated = candidates
    .filter((line) => top.filter((other) => containsFolded(other, line)).length > 1)
    .sort((a, b) => b.length - a.length)[0];
  const longest = candidates
    .filter((line) => !SEPARATORS.test(line))
    .sort((a, b) => shape(b).words.length - shape(a).words.length)[0];
  const found = repeated ?? longest;
  return found === undefined ? undefined : stripGluedLabel(found);
}

// "Brand:Headline": a label glued to the headline with no space after the colon.
const GLUED_LABEL = /^([^:]{3,40}):(?=\p{Lu})/u;

function stripGluedLabel(headline: string): string {
  return headline.replace(GLUED_LABEL, "").trim();
}

/**
 * Spam brands glued to the headline in menus and title lines ("Brand:Headline",
 * "Headline-Brand"): text touching the headline with no space around the joint. The
 * same brands are often glued into the dateline too, so they are cut from every line.
 * A headline followed by " | Outlet" is a normal title line, not spam.
 */
function gluedFragments(lines: readonly string[], headline: string): string[] {
  const fragments = new Set<string>();
  for (const line of lines) {
    const at = line.toLowerCase().indexOf(headline.toLowerCase());
    if (at < 0 || line.length === headline.length || isProse(shape(line))) continue;
    const before = line.slice(0, at);
    const after = line.slice(at + headline.length);
    const gluedBefore = /\S$/u.test(before) ? /[^|>»]*$/u.exec(before)?.[0] : undefined;
    const gluedAfter = /^\s?[-–—:|]\S/u.test(after) ? /^[^|>»]*/u.exec(after)?.[0] : undefined;
    for (const part of [gluedBefore, gluedAfter]) {
      const fragment = (part ?? "").replace(/^[\s:\-–—|]+|[\s:\-–—|]+$/gu, "");
      if (fragment.split(/\s+/u).length >= 2) fragments.add(fragment);
    }
  }
  return [...fragments];
}

function removeFragments(line: string, fragments: readonly string[]): string {
  const hit = fragments.filter((fragment) => line.includes(fragment));
  if (hit.length === 0) return line;
  const out = hit.reduce((text, fragment) => text.split(fragment).join(" "), line);
  return out
    .replace(/\s+([,.;:])/gu, "$1")
    .replace(/([,;])(?=\p{L})/gu, "$1 ")
    .replace(/\s{2,}/gu, " ")
    .trim();
}
