import type { CorpusDocument, Source } from "../corpus/load.ts";
import { fold } from "../text/analyzer.ts";
import type { Entry } from "./entries.ts";

/**
 * Ordering and merging ranked passages: other documents' passages come forward, and
 * copies of one text in several outlets become one result citing them all.
 */

const SHINGLE = 5;
const SPACE = /\s/u;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const MIN_SHARED_SHINGLES = 3;
const DUPLICATE_CONTAINMENT = 0.5;

/** A candidate passage with its adjusted score and the share of the question it covers. */
export interface Ranked {
  entry: Entry;
  score: number;
  coverage: number;
}

/** A ranked passage with the other sources that carry a copy of it. */
export interface Merged extends Ranked {
  also: Source[];
}

/**
 * Each next result is the candidate scoring best once every passage already chosen from its
 * document has multiplied its score by `sameDocument`: a second passage of one document
 * must be clearly better than another document's best to come before it, so an answer
 * cites more than one source where the corpus allows. Scores are the adjusted ones.
 */
export function diversify(ranked: Ranked[], sameDocument: number): Ranked[] {
  const left = [...ranked];
  // Each document's factor so far: sameDocument to the power of its passages chosen.
  const factor = new Map<CorpusDocument, number>();
  const out: Ranked[] = [];
  while (left.length > 0) {
    let at = 0;
    let best = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < left.length; i++) {
      const r = left[i] as Ranked;
      const score = r.score * (factor.get(r.entry.doc) ?? 1);
      if (score > best) {
        best = score;
        at = i;
      }
    }
    const [pick] = left.splice(at, 1) as [Ranked];
    factor.set(pick.entry.doc, (factor.get(pick.entry.doc) ?? 1) * sameDocument);
    // The ranked passages are this question's own: their scores become the adjusted ones.
    pick.score = best;
    out.push(pick);
  }
  return out;
}

/**
 * Passages of different documents that share most of their word 5-grams are the same
 * wire copy or statement quoted by several outlets: the best-ranked one stays and cites
 * the others. Duplicates rank next to each other, so comparing the candidates suffices.
 * Only the first `keep` distinct passages are kept; the rest are compared with them, for
 * the sources they cite. Each comparison reads the passages' remembered 5-gram sets and
 * stops as soon as too few can be shared: an answer makes no index of 5-grams, which was
 * most of its garbage.
 */
export function mergeDuplicates(
  ranked: readonly Ranked[],
  shinglesOf: (entry: Entry) => Set<number>,
  keep: number,
): Merged[] {
  const out: (Merged & { shingles: Set<number> })[] = [];
  for (const r of ranked) {
    const shingles = shinglesOf(r.entry);
    // The best-ranked copy keeps the passage.
    const twin = out.find(
      (kept) => kept.entry.doc !== r.entry.doc && copies(kept.shingles, shingles),
    );
    if (!twin) {
      if (out.length < keep) out.push({ ...r, also: [], shingles });
    } else if (
      r.entry.doc.source !== twin.entry.doc.source &&
      !twin.also.includes(r.entry.doc.source)
    ) {
      twin.also.push(r.entry.doc.source);
    }
  }
  return out;
}

/** Whether two passages' 5-grams make them copies of one text (see `duplicate`). */
function copies(a: Set<number>, b: Set<number>): boolean {
  const small = a.size <= b.size ? a : b;
  const large = small === a ? b : a;
  let shared = small.size;
  for (const shingle of small) {
    // Fewer shared 5-grams never make a copy: no need to read the rest.
    if (!large.has(shingle) && !duplicate(--shared, a.size, b.size)) return false;
  }
  return duplicate(shared, a.size, b.size);
}

/** Whether two passages sharing `shared` 5-grams are copies of one text. */
function duplicate(shared: number, sizeA: number, sizeB: number): boolean {
  const small = Math.min(sizeA, sizeB);
  if (small === 0) return false;
  return shared >= Math.min(MIN_SHARED_SHINGLES, small) && shared / small >= DUPLICATE_CONTAINMENT;
}

/**
 * Word 5-grams of a passage, words split at white space and control characters (copies
 * differ in little but the odd word, so that compares well enough) and folded (see
 * `fold`), each 5-gram a 32-bit hash of its words' hashes. Words are folded and hashed
 * (FNV-1a) as they are read, not cut out as strings: this runs on candidates of answers.
 * Two distinct 5-grams of one answer's candidates sharing a hash is too rare to tip the
 * shared-share test.
 */
export function entryShingles({ doc: { text }, start, end }: Entry): Set<number> {
  const words: number[] = [];
  let word = FNV_OFFSET;
  let letters = 0;
  for (let i = start; i <= end; i++) {
    const c = i < end ? text.charCodeAt(i) : 32;
    if (c < 128 && c > 32) {
      word = Math.imul(word ^ (c >= 65 && c <= 90 ? c + 32 : c), FNV_PRIME);
      letters++;
    } else if (c >= 128 && !SPACE.test(text.charAt(i))) {
      const folded = fold(text.charAt(i));
      for (let j = 0; j < folded.length; j++) {
        word = Math.imul(word ^ folded.charCodeAt(j), FNV_PRIME);
        letters++;
      }
    } else if (letters > 0) {
      words.push(word);
      word = FNV_OFFSET;
      letters = 0;
    }
  }
  const out = new Set<number>();
  for (let i = 0; i + SHINGLE <= words.length; i++) {
    let hash = 0;
    for (let j = i; j < i + SHINGLE; j++) hash = Math.imul(hash ^ (words[j] as number), FNV_PRIME);
    out.add(hash);
  }
  return out;
}
