import type { Language } from "../text/language.ts";
import { findHeadline, gluedFragments, removeFragments } from "./headline.ts";
import {
  hasFileName,
  isShouting,
  LIST_MARKER,
  LineShapes,
  lineKey,
  MIN_CAPTION_WORDS,
  MIN_PROSE_FUNCTION_RATIO,
  SEPARATORS,
  splitLines,
  TIMESTAMP,
} from "./line-shape.ts";

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

const COUNTER = /\(\d[\d,.]*\)\s*$/u;
const CONTEXT = 2;
const COMMON_LINE_MAX = 120;
const MIN_SHORT_SENTENCE_WORDS = 3;

/** The keys of a page's short lines, the ones that may be boilerplate shared with other pages. */
export function shortLineKeys(text: string): Set<string> {
  // Long lines are prose or headlines, which repetition never removes: skipping them saves most of the work.
  return new Set(
    splitLines(text)
      .filter((line) => line.length <= COMMON_LINE_MAX)
      .map(lineKey)
      .filter(Boolean),
  );
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

/** A scraped page's article and headline, its boilerplate removed. */
export function clean(raw: string, options: CleanOptions = {}): CleanText {
  const rawLines = splitLines(raw);
  const shapes = new LineShapes(options.language);
  const headline = options.title ?? findHeadline(rawLines, shapes);
  const spam = headline ? gluedFragments(rawLines, headline, shapes) : [];
  const lines: Line[] = rawLines.map((text) => {
    const stripped = removeFragments(text, spam);
    return { text: stripped, kind: classify(stripped, headline, shapes, options.common) };
  });
  demoteLinkListSentences(lines);
  keepCaptionsNextToProse(lines, shapes);
  const text = lines
    .filter((line) => line.kind === "good")
    .map((line) => line.text)
    .join("\n\n");
  return headline === undefined ? { text } : { text, headline };
}

function classify(
  text: string,
  headline: string | undefined,
  shapes: LineShapes,
  common?: ReadonlySet<string>,
): Kind {
  if (text.length === 0) return "bad";
  const s = shapes.shape(text);
  const prose = shapes.isProse(text);
  if (headline && shapes.containsFolded(text, headline) && !prose) return "bad";
  if (TIMESTAMP.test(text) || COUNTER.test(text) || hasFileName(text)) return "bad";
  if (prose) return "good";
  if (common?.has(s.key)) return "bad";
  if (LIST_MARKER.test(text) || SEPARATORS.test(text) || isShouting(text)) return "bad";
  if (s.words.length < (s.sentence ? MIN_SHORT_SENTENCE_WORDS : 4)) return "bad";
  return "neutral";
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
function keepCaptionsNextToProse(lines: Line[], shapes: LineShapes): void {
  lines.forEach((line, i) => {
    if (line.kind !== "neutral") return;
    const s = shapes.shape(line.text);
    const previousGood = lines[i - 1]?.kind === "good";
    const nextGood = lines[i + 1]?.kind === "good";
    const captionLike =
      s.words.length >= MIN_CAPTION_WORDS && s.functionRatio >= MIN_PROSE_FUNCTION_RATIO;
    const shortSentence = s.sentence && previousGood && nextGood;
    line.kind = ((previousGood || nextGood) && captionLike) || shortSentence ? "good" : "bad";
  });
}
