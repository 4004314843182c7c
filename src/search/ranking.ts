import type { Boosts } from "./scoring.ts";

/**
 * The numbers that decide how passages rank and when the engine abstains, in one object so
 * that `npm run eval -- --sweep` can vary them. DEFAULT_RANKING is what the bot uses.
 */
export interface RankingOptions {
  /** Share of the question's weight the best passage must cover to count as an answer. */
  minCoverage: number;
  /** Below this share an answer is marked uncertain: it only partly matches the question. */
  confidentCoverage: number;
  /** Further results must score at least this share of the best one. */
  minRelativeScore: number;
  /** BM25 weight of a document title's words against a passage's own words (1). */
  titleBoost: number;
  /**
   * In ranking, how much a question word found only in the passage's document title counts
   * toward the passage's coverage: the title says what the document is about, not that this
   * passage says it. The gate counts the title in full.
   */
  titleCoverage: number;
  /**
   * A passage's context: the `radius` passages before and after it in its document. A
   * question word found not in the passage nor its title but in its context counts `coverage`
   * toward the passage's coverage, in ranking and in the gate: a paragraph goes on from its
   * neighbours ("the policy" is the one a paragraph before names).
   */
  context: { coverage: number; radius: number };
  /** Score factor for a passage of the shape the question asks for (see answer-shapes.ts). */
  shapeBoost: number;
  /**
   * How close together a passage holds the question's words, read for the `candidates`
   * best-scored passages, which it re-orders (reading a passage's words in order is the
   * costliest step of a question). Score factors: 1 + pairs × (weight of the question's word
   * pairs held side by side / weight of the question), and 1 + sentence × (weight the
   * passage's best sentence holds / weight of the question). See proximity.ts.
   */
  proximity: { pairs: number; sentence: number; candidates: number };
  /** BM25 weight of a synonym against the question's own word (1). */
  synonymBoost: number;
  /** MiniSearch's BM25+ parameters: term saturation k, length normalisation b, floor d. */
  bm25: { k: number; b: number; d: number };
  /**
   * A question word's weight is its rarity in the corpus times its specificity in general
   * English: 1 for a word English rarely uses (Zipf ≤ rareZipf), falling linearly to
   * `commonFloor` for one it uses all the time (Zipf ≥ commonZipf). A name the question
   * capitalises ("Project Mercury", "Doctor Who") is at least `name` specific, however common
   * the word is in English.
   */
  english: { rareZipf: number; commonZipf: number; commonFloor: number; name: number };
  /** Score factor for the newest dated document against the oldest (see recency.ts). */
  recency: number;
  /** Score factor per passage of the same document already shown above (see diversify). */
  sameDocument: number;
  /** Misspelt question words: the shortest corrected, and the shortest allowed two edits. */
  spelling: { minLength: number; twoEditsLength: number };
}

export const DEFAULT_RANKING: RankingOptions = {
  minCoverage: 0.4,
  confidentCoverage: 0.5,
  minRelativeScore: 0.1,
  titleBoost: 0.6,
  titleCoverage: 0.5,
  context: { coverage: 0.5, radius: 2 },
  shapeBoost: 2,
  proximity: { pairs: 1, sentence: 0.25, candidates: 6 },
  synonymBoost: 0.6,
  bm25: { k: 1.2, b: 0.7, d: 0.5 },
  english: { rareZipf: 3, commonZipf: 6, commonFloor: 0.1, name: 1 },
  recency: 0.05,
  sameDocument: 0.85,
  spelling: { minLength: 5, twoEditsLength: 8 },
};

/** How specific a word of the given Zipf frequency is in general English, in [commonFloor, 1]. */
export function specificity(zipf: number, english: RankingOptions["english"]): number {
  if (zipf <= english.rareZipf) return 1;
  if (zipf >= english.commonZipf) return english.commonFloor;
  const share = (english.commonZipf - zipf) / (english.commonZipf - english.rareZipf);
  return english.commonFloor + (1 - english.commonFloor) * share;
}

/** The scorer's weights of a title's words and of synonyms, from the ranking options. */
export function boosts(ranking: RankingOptions): Boosts {
  return {
    terms: { text: 1, title: ranking.titleBoost },
    synonyms: { text: ranking.synonymBoost, title: ranking.synonymBoost * ranking.titleBoost },
  };
}
