import type MiniSearch from "minisearch";
import { BoundedMemo } from "./memo.ts";
import { type TermScores, termScores } from "./postings.ts";

/**
 * How a question's searched terms score the passages: as MiniSearch's search scores the
 * query "terms OR (synonyms OR phrases)", with the same sums in the same order, so the
 * ranking is the one its search gives. Its search builds a result with a match object per
 * term and passage and merges them term by term: on a small corpus that was most of an
 * answer's time, and reading the postings straight takes a third of it.
 *
 * Each term's scores are remembered: the same terms come up question after question, and
 * reading a term's postings (MiniSearch's radix tree, then a map per field) touches more
 * memory than a live bot, busy with Discord between questions, finds in its caches.
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
  terms: readonly string[];
}

// Postings whose scores are remembered per boost, at 12 bytes each: 6 MB per boost at most.
const REMEMBERED_POSTINGS = 500_000;

/** Scores search plans on one index with fixed boosts; `clear` whenever the index changes. */
export class Scorer<T> {
  readonly #search: MiniSearch<T>;
  readonly #terms: Remembered;
  readonly #synonyms: Remembered;

  constructor(search: MiniSearch<T>, boosts: Boosts) {
    this.#search = search;
    this.#terms = { boost: boosts.terms, memo: scoreMemo() };
    this.#synonyms = { boost: boosts.synonyms, memo: scoreMemo() };
  }

  /**
   * Each side's term scores summed, then the two sides, times the number of searched words
   * the passage holds; best first, ties in the order the passages were met. A passage
   * `allowed` turns down is not scored.
   */
  score(plan: SearchPlan, allowed?: (key: number) => boolean): Scored[] {
    const own = new Map<number, Scored>();
    for (const term of plan.terms) add(own, this.#scores(this.#terms, term), [term], allowed);
    const synonyms = new Map<number, Scored>();
    for (const word of plan.synonyms) {
      add(synonyms, this.#scores(this.#synonyms, word), [word], allowed);
    }
    for (const phrase of plan.phrases) {
      // Remembered beside the words, under the words joined by spaces, which no word holds.
      const scores = this.#synonyms.memo.get(phrase.join(" "), () =>
        allOf(phrase.map((word) => this.#scores(this.#synonyms, word))),
      );
      add(synonyms, scores, [...new Set(phrase)], allowed);
    }
    for (const [key, sum] of synonyms) {
      const before = own.get(key);
      if (before) merge(before, sum.score, sum.terms);
      else own.set(key, sum);
    }
    // The sums become the results: one object per passage, not two.
    const out = [...own.values()];
    for (const result of out) result.score *= result.terms.length || 1;
    return out.sort((a, b) => b.score - a.score);
  }

  clear(): void {
    this.#terms.memo.clear();
    this.#synonyms.memo.clear();
  }

  #scores(side: Remembered, term: string): TermScores {
    return side.memo.get(term, (t) => termScores(this.#search, t, side.boost));
  }
}

interface Remembered {
  boost: Readonly<Record<string, number>>;
  memo: BoundedMemo<string, TermScores>;
}

function scoreMemo(): BoundedMemo<string, TermScores> {
  // A term in no passage weighs one too, so a flood of unknown words still fills the memo.
  return new BoundedMemo(REMEMBERED_POSTINGS, (scores) => scores.keys.length + 1);
}

/**
 * Passages holding every word, their scores summed, in the last word's order (MiniSearch's
 * AND); as term scores, so they add like one.
 */
function allOf(words: readonly TermScores[]): TermScores {
  const byKey = words.map(({ keys, scores }) => {
    const scoreOf = new Map<number, number>();
    for (let i = 0; i < keys.length; i++) scoreOf.set(keys[i] as number, scores[i] as number);
    return scoreOf;
  });
  const keys: number[] = [];
  const sums: number[] = [];
  for (const key of words[words.length - 1]?.keys ?? []) {
    let sum = 0;
    let held = true;
    for (const scores of byKey) {
      const score = scores.get(key);
      if (score === undefined) {
        held = false;
        break;
      }
      sum += score;
    }
    if (held) {
      keys.push(key);
      sums.push(sum);
    }
  }
  return { keys: Uint32Array.from(keys), scores: Float64Array.from(sums) };
}

function add(
  into: Map<number, Scored>,
  { keys, scores }: TermScores,
  terms: readonly string[],
  allowed?: (key: number) => boolean,
): void {
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as number;
    if (allowed && !allowed(key)) continue;
    const score = scores[i] as number;
    const before = into.get(key);
    if (before) merge(before, score, terms);
    // Passages holding one searched word share its list: most hold no other.
    else into.set(key, { key, score, terms });
  }
}

/** Adds a score and words to a sum; its words are a new list, as the old may be shared. */
function merge(sum: Scored, score: number, terms: readonly string[]): void {
  sum.score = sum.score + score;
  for (const term of terms) if (!sum.terms.includes(term)) sum.terms = [...sum.terms, term];
}
