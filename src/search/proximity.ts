import { pipelineFor } from "../text/pipelines.ts";
import { type Entry, entryText } from "./entries.ts";
import type { WeightedTerm } from "./expansion.ts";
import type { RankingOptions } from "./ranking.ts";

/**
 * Question words a passage holds side by side, as the question has them: "Secretary of
 * State", "deportation flights", "sexual assaults". A passage holding the question's words
 * as its phrases says more of what was asked than one holding the same words apart.
 */

/** Two question terms that follow each other (stop words aside), and what the pair weighs. */
export interface TermPair {
  first: string;
  second: string;
  weight: number;
}

/** Each question term with the next one, weighing as the lighter of the two. */
export function questionPairs(query: readonly WeightedTerm[]): TermPair[] {
  const pairs: TermPair[] = [];
  for (let i = 1; i < query.length; i++) {
    const [first, second] = [query[i - 1], query[i]] as [WeightedTerm, WeightedTerm];
    pairs.push({
      first: first.term,
      second: second.term,
      weight: Math.min(first.weight, second.weight),
    });
  }
  return pairs;
}

/** A passage's terms in order, read by its document's pipeline. */
export function entryTerms(entry: Entry): string[] {
  return pipelineFor(entry.doc.source.language).terms(entryText(entry));
}

/**
 * The summed weight of the question's pairs that a passage's terms hold side by side; `holds`
 * tells which terms the passage holds at all, so a passage that cannot hold a pair is not read.
 */
export function pairedWeight(
  pairs: readonly TermPair[],
  holds: (term: string) => boolean,
  terms: () => readonly string[],
): number {
  const possible = pairs.filter((p) => holds(p.first) && holds(p.second));
  if (possible.length === 0) return 0;
  const sideBySide = new Set<string>();
  const firsts = new Set(possible.map((p) => p.first));
  const read = terms();
  for (let i = 1; i < read.length; i++) {
    const first = read[i - 1] as string;
    if (firsts.has(first)) sideBySide.add(`${first} ${read[i]}`);
  }
  let weight = 0;
  for (const p of possible) if (sideBySide.has(`${p.first} ${p.second}`)) weight += p.weight;
  return weight;
}

/**
 * The ranked passages with each of the `candidates` best scoring 1 + `weight` × (the weight of
 * the question's pairs it holds side by side ÷ the question's weight) times as much, sorted
 * again. `words` tells which terms a passage holds and reads its terms in order.
 */
export function byProximity<R extends { score: number }>(
  ranked: R[],
  query: readonly WeightedTerm[],
  { weight, candidates }: RankingOptions["proximity"],
  words: (r: R) => { holds: (term: string) => boolean; terms: () => readonly string[] },
): R[] {
  const pairs = weight ? questionPairs(query) : [];
  if (pairs.length === 0) return ranked;
  const total = query.reduce((sum, q) => sum + q.weight, 0);
  for (const r of ranked.slice(0, candidates)) {
    const { holds, terms } = words(r);
    r.score *= 1 + (weight * pairedWeight(pairs, holds, terms)) / total;
  }
  return ranked.sort((a, b) => b.score - a.score);
}
