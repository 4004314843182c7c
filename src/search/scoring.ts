import type MiniSearch from "minisearch";
import { termScores } from "./postings.ts";

/**
 * How a question's searched terms score the passages: as MiniSearch's search scores the
 * query "terms OR (synonyms OR phrases)", with the same sums in the same order, so the
 * ranking is the one its search gives. Its search builds a result with a match object per
 * term and passage and merges them term by term: on a small corpus that was most of an
 * answer's time, and reading the postings straight takes a third of it.
 */

export interface SearchPlan {
  /** Question terms. */
  terms: readonly string[];
  /** Synonyms of one word, and phrases (all of whose words must match). */
  synonyms: readonly string[];
  phrases: readonly (readonly string[])[];
}

export interface Boosts {
  /** Field boosts for question terms. */
  terms: Readonly<Record<string, number>>;
  /** Field boosts for synonyms and phrases. */
  synonyms: Readonly<Record<string, number>>;
}

export interface Scored {
  key: number;
  score: number;
  /** The searched words the passage holds. */
  terms: string[];
}

interface Sum {
  score: number;
  terms: string[];
}

/**
 * Each side's term scores summed, then the two sides, times the number of searched words
 * the passage holds; best first, ties in the order the passages were met. A passage
 * `allowed` turns down is not scored.
 */
export function scorePlan<T>(
  search: MiniSearch<T>,
  plan: SearchPlan,
  boosts: Boosts,
  allowed?: (key: number) => boolean,
): Scored[] {
  const own = new Map<number, Sum>();
  for (const term of plan.terms) add(own, termScores(search, term, boosts.terms, allowed), [term]);
  const synonyms = new Map<number, Sum>();
  for (const word of plan.synonyms) {
    add(synonyms, termScores(search, word, boosts.synonyms, allowed), [word]);
  }
  for (const phrase of plan.phrases) {
    const words = phrase.map((word) => termScores(search, word, boosts.synonyms, allowed));
    add(synonyms, allOf(words), [...new Set(phrase)]);
  }
  for (const [key, sum] of synonyms) {
    const before = own.get(key);
    if (before) merge(before, sum.score, sum.terms);
    else own.set(key, sum);
  }
  const out: Scored[] = [];
  for (const [key, { score, terms }] of own) {
    out.push({ key, score: score * (terms.length || 1), terms });
  }
  return out.sort((a, b) => b.score - a.score);
}

/** Passages holding every word, their scores summed, in the last word's order (MiniSearch's AND). */
function allOf(words: readonly Map<number, number>[]): Map<number, number> {
  const out = new Map<number, number>();
  const last = words[words.length - 1];
  for (const key of last?.keys() ?? []) {
    let sum = 0;
    let held = true;
    for (const scores of words) {
      const score = scores.get(key);
      if (score === undefined) {
        held = false;
        break;
      }
      sum += score;
    }
    if (held) out.set(key, sum);
  }
  return out;
}

function add(into: Map<number, Sum>, scores: Map<number, number>, terms: readonly string[]): void {
  for (const [key, score] of scores) {
    const before = into.get(key);
    if (before) merge(before, score, terms);
    else into.set(key, { score, terms: terms.slice() });
  }
}

function merge(sum: Sum, score: number, terms: readonly string[]): void {
  sum.score = sum.score + score;
  for (const term of terms) if (!sum.terms.includes(term)) sum.terms.push(term);
}
