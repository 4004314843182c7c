/**
 * How a passage is cut: the clean text is split into sentences (Intl.Segmenter, then
 * re-joined after abbreviations such as "U.S." or "Mr."), and consecutive sentences of
 * one paragraph are grouped into passages of one to four sentences and at most
 * MAX_PASSAGE_CHARS characters. Fragments too small to stand alone join a neighbour.
 */

export const MAX_PASSAGE_CHARS = 600;
const TARGET_PASSAGE_CHARS = 320;
const MAX_SENTENCES = 4;
const MIN_PASSAGE_CHARS = 80;

export interface Span {
  /** Offset of the first character in the clean text. */
  start: number;
  /** Offset after the last character. */
  end: number;
}

export interface PassageCut extends Span {
  text: string;
}

const segmenter = new Intl.Segmenter("en", { granularity: "sentence" });
// A segment ending in one of these did not end a sentence: U.S., L.A., J., Mr., Gen., No.
const ABBREVIATION_END =
  /(?:\b\p{Lu}\.|\b(?:\p{L}\.){2,}|\b(?:Mr|Mrs|Ms|Dr|Sr|Jr|St|Gov|Sen|Rep|Gen|Lt|Col|Capt|Sgt|Prof|No|Vol|Inc|Corp|Co|Ltd|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|vs|etc|approx)\.)\s*$/u;

/** Sentence spans of one paragraph, offsets relative to `offset`. */
export function sentences(paragraph: string, offset = 0): Span[] {
  const spans: Span[] = [];
  let open: Span | null = null;
  for (const { segment, index } of segmenter.segment(paragraph)) {
    const start = offset + index + (segment.length - segment.trimStart().length);
    const end = offset + index + segment.trimEnd().length;
    if (end <= start) continue;
    if (open) open.end = end;
    else open = { start, end };
    if (!ABBREVIATION_END.test(segment)) {
      spans.push(open);
      open = null;
    }
  }
  if (open) spans.push(open);
  return spans;
}

// Characters that may end a sentence (or a line): ASCII terminators, line breaks, and any
// non-ASCII punctuation that is not a dash, quote, bracket or currency sign.
const POSSIBLE_END =
  /[.!?\n\r\u0085\u2028\u2029]|[^\p{ASCII}\p{L}\p{N}\p{M}\p{Zs}\p{Pd}\p{Pi}\p{Pf}\p{Ps}\p{Pe}\p{Sc}]/gu;

/**
 * Whether a paragraph is one passage without asking where its sentences end: short, and
 * with too few possible sentence ends to hold more than MAX_SENTENCES sentences. Most
 * paragraphs are; segmenting is most of the cost of cutting.
 */
export function fitsOnePassage(paragraph: string): boolean {
  if (paragraph.length > TARGET_PASSAGE_CHARS) return false;
  let ends = 0;
  for (const _ of paragraph.matchAll(POSSIBLE_END)) if (++ends >= MAX_SENTENCES) return false;
  return true;
}

/** Cuts clean text (paragraphs separated by blank lines) into passages. */
export function cutPassages(text: string): PassageCut[] {
  const cuts: Span[] = [];
  for (const paragraph of paragraphs(text)) {
    const raw = text.slice(paragraph.start, paragraph.end);
    if (fitsOnePassage(raw)) {
      const start = paragraph.start + raw.length - raw.trimStart().length;
      const end = paragraph.start + raw.trimEnd().length;
      if (end > start) cuts.push({ start, end });
      continue;
    }
    const units = sentences(raw, paragraph.start).flatMap((span) => splitLong(text, span));
    cuts.push(...group(units));
  }
  return mergeFragments(cuts).map((span) => ({ ...span, text: text.slice(span.start, span.end) }));
}

function paragraphs(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(/[^\n]+(?:\n(?!\n)[^\n]+)*/gu)) {
    spans.push({ start: match.index, end: match.index + match[0].length });
  }
  return spans;
}

function group(units: Span[]): Span[] {
  const out: Span[] = [];
  let current: Span | null = null;
  let count = 0;
  for (const unit of units) {
    const fits =
      current !== null &&
      count < MAX_SENTENCES &&
      current.end - current.start < TARGET_PASSAGE_CHARS &&
      unit.end - current.start <= MAX_PASSAGE_CHARS;
    if (current && fits) {
      current.end = unit.end;
      count++;
    } else {
      current = { ...unit };
      count = 1;
      out.push(current);
    }
  }
  return out;
}

/** A sentence longer than the limit is cut at clause boundaries, else at spaces. */
function splitLong(text: string, span: Span): Span[] {
  const out: Span[] = [];
  let start = span.start;
  while (span.end - start > MAX_PASSAGE_CHARS) {
    const window = text.slice(start, start + MAX_PASSAGE_CHARS);
    const cut = lastBreak(window, /[;:,–—]\s/gu) ?? lastBreak(window, /\s/gu) ?? MAX_PASSAGE_CHARS;
    out.push({ start, end: start + cut });
    start += cut;
    while (start < span.end && /\s/u.test(text[start] as string)) start++;
  }
  if (span.end > start) out.push({ start, end: span.end });
  return out;
}

function lastBreak(window: string, pattern: RegExp): number | null {
  let best: number | null = null;
  for (const match of window.matchAll(pattern)) {
    const at = match.index + match[0].trimEnd().length;
    if (at >= MIN_PASSAGE_CHARS) best = at;
  }
  return best;
}

/** Joins a passage shorter than MIN_PASSAGE_CHARS to its previous (or next) neighbour when it fits. */
function mergeFragments(spans: Span[]): Span[] {
  const out: Span[] = [];
  for (const span of spans) {
    const previous = out.at(-1);
    const small = span.end - span.start < MIN_PASSAGE_CHARS;
    const previousSmall =
      previous !== undefined && previous.end - previous.start < MIN_PASSAGE_CHARS;
    if (previous && (small || previousSmall) && span.end - previous.start <= MAX_PASSAGE_CHARS) {
      previous.end = span.end;
    } else {
      out.push({ ...span });
    }
  }
  return out;
}
