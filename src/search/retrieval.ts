import type { QueryTerm } from "../text/analyzer.ts";
import type { SearchPlan } from "./scoring.ts";

// The most postings one answer's search scores (see retrieval).
const RETRIEVAL_POSTINGS = 3000;
/** Enough passages to score when every question term is common (see retrieval). */
export const GATED_PASSAGES = 1000;

/** What to search for a question, and among which passages. */
export interface Retrieval extends SearchPlan {
  /** Only passages holding the first of these terms, and enough of the next ones, are scored. */
  within: string[];
  /** True when every question term and synonym was searched. */
  complete: boolean;
}

/**
 * Each question term OR its synonyms; phrases among synonyms must match all their words.
 * Scoring postings is most of an answer's time on a large corpus, so terms and synonyms
 * are searched rarest first while their postings fit RETRIEVAL_POSTINGS: the commoner
 * ones tell few passages apart, and coverage still counts them. When even the rarest
 * question term is too common, it is searched only among the passages that also hold
 * the next rarest ones, up to GATED_PASSAGES of them: finding those skips the scoring,
 * which is most of the cost.
 */
export function retrieval(query: QueryTerm[], frequency: (term: string) => number): Retrieval {
  const units: { words: readonly string[]; own: boolean; cost: number }[] = [];
  const seen = new Set<string>();
  const consider = (words: readonly string[], own: boolean) => {
    // A synonym of several question words, or one that is a question word itself, is
    // searched once: it would otherwise score once per mention.
    const key = words.join(" ");
    if (seen.has(key)) return;
    seen.add(key);
    let cost = 0;
    for (const word of words) {
      const count = frequency(word);
      // A term in no passage matches nothing: searching it would only look found.
      if (count === 0) return;
      cost += count;
    }
    units.push({ words, own, cost });
  };
  for (const q of query) consider([q.term], true);
  for (const q of query) for (const words of q.alternatives) consider(words, false);
  units.sort((a, b) => a.cost - b.cost);
  const own: string[] = [];
  const synonyms: string[] = [];
  const phrases: (readonly string[])[] = [];
  let spent = 0;
  for (const { words, own: isOwn, cost } of units) {
    if (spent + cost > RETRIEVAL_POSTINGS) break;
    spent += cost;
    const [first] = words as [string];
    if (isOwn) own.push(first);
    else if (words.length === 1) synonyms.push(first);
    else phrases.push(words);
  }
  const complete = own.length + synonyms.length + phrases.length === units.length;
  if (own.length === 0) {
    const common = units.filter((u) => u.own).map((u) => u.words[0] as string);
    return {
      terms: common.slice(0, 1),
      synonyms: [],
      phrases: [],
      within: common.length > 1 ? common : [],
      complete: units.length === 1,
    };
  }
  return { terms: own, synonyms, phrases, within: [], complete };
}
