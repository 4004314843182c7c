import { coveredWeight, type WeightedTerm } from "./expansion.ts";
import type { RankingOptions } from "./ranking.ts";

/**
 * How close together a passage holds the question's words: side by side, as the question has
 * them ("Secretary of State", "deportation flights", "sexual assaults"), and within one
 * sentence. A passage holding the question's words as its phrases, or in the one sentence
 * that answers, says more of what was asked than one holding the same words apart.
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

/** What proximity reads of a passage, each part only when it is needed. */
export interface CloseWords {
  /** Whether the passage holds a term at all. */
  holds: (term: string) => boolean;
  /** Its sentences' terms, in order. */
  sentences: () => readonly { terms: readonly string[] }[];
}

/**
 * The ranked passages with each of the `candidates` best scored up for holding the question's
 * words close together (see RankingOptions.proximity), sorted again.
 */
export function byProximity<R extends { score: number }>(
  ranked: R[],
  query: readonly WeightedTerm[],
  options: RankingOptions["proximity"],
  words: (r: R) => CloseWords,
): R[] {
  if (!options.pairs && !options.sentence) return ranked;
  const pairs = options.pairs ? questionPairs(query) : [];
  const total = query.reduce((sum, q) => sum + q.weight, 0);
  for (const r of ranked.slice(0, options.candidates)) {
    const read = words(r);
    const terms = () => read.sentences().flatMap((s) => s.terms);
    const paired = pairs.length ? pairedWeight(pairs, read.holds, terms) : 0;
    const sentence = options.sentence ? bestSentenceWeight(query, read.sentences()) : 0;
    r.score *= (1 + (options.pairs * paired) / total) * (1 + (options.sentence * sentence) / total);
  }
  return ranked.sort((a, b) => b.score - a.score);
}

/** The most question weight one sentence holds. */
export function bestSentenceWeight(
  query: readonly WeightedTerm[],
  sentences: readonly { terms: readonly string[] }[],
): number {
  let best = 0;
  for (const s of sentences) best = Math.max(best, coveredWeight(query, s.terms));
  return best;
}
