import { pipelineFor } from "../text/pipelines.ts";
import { type Entry, entryText } from "./entries.ts";
import type { WeightedTerm } from "./expansion.ts";

/**
 * Question words a passage holds side by side, as the question has them: "Secretary of
 * State", "deportation flights", "sexual assaults". A passage holding the question's words
 * as its phrases says more of what was asked than one holding the same words apart.
 */

/** Two question terms that follow each other (stop words aside), and what the pair weighs. */
export interface TermPair {
  /** The two terms, first and second, joined by a space. */
  pair: string;
  weight: number;
}

/** Each question term with the next one, weighing as the lighter of the two. */
export function questionPairs(query: readonly WeightedTerm[]): TermPair[] {
  const pairs: TermPair[] = [];
  for (let i = 1; i < query.length; i++) {
    const [first, second] = [query[i - 1], query[i]] as [WeightedTerm, WeightedTerm];
    pairs.push({
      pair: `${first.term} ${second.term}`,
      weight: Math.min(first.weight, second.weight),
    });
  }
  return pairs;
}

/** The pairs of terms a passage holds side by side, read by its document's pipeline. */
export function entryPairs(entry: Entry): Set<string> {
  const terms = pipelineFor(entry.doc.source.language).terms(entryText(entry));
  const pairs = new Set<string>();
  for (let i = 1; i < terms.length; i++) pairs.add(`${terms[i - 1]} ${terms[i]}`);
  return pairs;
}

/** The summed weight of the question's pairs that a passage holds side by side. */
export function pairedWeight(pairs: readonly TermPair[], held: ReadonlySet<string>): number {
  let weight = 0;
  for (const { pair, weight: w } of pairs) if (held.has(pair)) weight += w;
  return weight;
}
