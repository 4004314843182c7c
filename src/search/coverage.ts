import { coveredWeight, type Found, hasWord, type WeightedTerm } from "./expansion.ts";
import type { RankingOptions } from "./ranking.ts";

/**
 * How much of a question a passage covers: the summed weight of the question words it holds
 * over the question's weight. A word held only by the passage's document title, or only by
 * its context (the passages around it), counts in part: the title says what the document is
 * about, the context what the passage goes on from, not what the passage itself says.
 */

/** Where a passage's question words were found. */
export interface PassageWords {
  /** In the passage's own text. */
  own: Found;
  /** In its text or its document's title. */
  withTitle: Found;
  /** Whether its context holds a word; asked only of words the rest leaves out. */
  around: (word: string) => boolean;
}

export interface Coverage {
  /** The share that ranks the passage: title and context words in part. */
  ranking: number;
  /** The share the abstain gate judges: title words in full, context words in part. */
  gate: number;
}

export function passageCoverage(
  query: readonly WeightedTerm[],
  words: PassageWords,
  options: Pick<RankingOptions, "titleCoverage" | "context">,
): Coverage {
  const total = query.reduce((sum, q) => sum + q.weight, 0);
  const own = coveredWeight(query, words.own);
  const withTitle = coveredWeight(query, words.withTitle);
  let aroundOnly = 0;
  if (withTitle < total && options.context.coverage) {
    const { withTitle: found, around } = words;
    aroundOnly = coveredWeight(query, { has: (w) => hasWord(found, w) || around(w) }) - withTitle;
  }
  const context = options.context.coverage * aroundOnly;
  return {
    ranking: (own + options.titleCoverage * (withTitle - own) + context) / total,
    gate: (withTitle + context) / total,
  };
}
