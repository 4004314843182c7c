import type MiniSearch from "minisearch";
import { BoundedMemo } from "../text/memo.ts";
import { Sums } from "./plan-sums.ts";
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

/** Scores search plans on one state of an index with fixed boosts: a changed index needs a new one. */
export class Scorer<T> {
  readonly #terms: Remembered;
  readonly #synonyms: Remembered;
  // Kept from plan to plan: a plan sums scores for hundreds of passages, and a map entry, an
  // object and a list of words per passage were most of an answer's garbage.
  readonly #sums = new Sums();

  constructor(search: MiniSearch<T>, boosts: Boosts) {
    this.#terms = remembered(search, boosts.terms);
    this.#synonyms = remembered(search, boosts.synonyms);
  }

  /**
   * Each side's term scores summed, then the two sides, times the number of searched words
   * the passage holds; best first, ties in the order the passages were met, the first
   * `limit` of them. A passage `allowed` turns down is not scored.
   */
  score(plan: SearchPlan, allowed?: (key: number) => boolean, limit = Infinity): Scored[] {
    const sums = this.#sums;
    sums.reset();
    for (const term of plan.terms) {
      sums.add(sums.own, this.#scores(this.#terms, term), [term], allowed);
    }
    for (const word of plan.synonyms) {
      sums.add(sums.other, this.#scores(this.#synonyms, word), [word], allowed);
    }
    for (const phrase of plan.phrases) {
      // Remembered beside the words, under the words joined by spaces, which no word holds.
      const scores = this.#synonyms.memo.get(phrase.join(" "), () =>
        allOf(phrase.map((word) => this.#scores(this.#synonyms, word))),
      );
      sums.add(sums.other, scores, phrase, allowed);
    }
    return sums.best(limit);
  }

  #scores(side: Remembered, term: string): TermScores {
    return side.memo.get(term, side.read);
  }
}

interface Remembered {
  memo: BoundedMemo<string, TermScores>;
  /** A term's scores as the index gives them, for the memo to remember. */
  read: (term: string) => TermScores;
}

function remembered<T>(search: MiniSearch<T>, boost: Readonly<Record<string, number>>): Remembered {
  return {
    // A term in no passage weighs one too, so a flood of unknown words still fills the memo.
    memo: new BoundedMemo(REMEMBERED_POSTINGS, (scores) => scores.keys.length + 1),
    read: (term) => termScores(search, term, boost),
  };
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
