import { Analyzer, type QueryTerm, toTerm } from "../text/analyzer.ts";
import { spanish } from "../text/spanish.ts";
import { englishZipf } from "../text/word-weights.ts";
import type { AnswerOptions } from "./answer.ts";
import type { AnswerShape } from "./answer-shapes.ts";
import {
  type Correction,
  corpusForms,
  correction,
  namesIn,
  type WeightedTerm,
  weighted,
  withAlternatives,
} from "./expansion.ts";
import type { Generation } from "./generation.ts";
import type { RankingOptions } from "./ranking.ts";
import type { PassageRegistry } from "./registry.ts";

/** Questions read in Spanish: the synonym groups are English, so none apply to them. */
const SPANISH_QUESTIONS = new Analyzer([], spanish);

/** What reading a question needs to know of the corpus as the index holds it now. */
export interface QuestionCorpus {
  /** Reads English questions, with the corpus' synonym groups. */
  analyzer: Analyzer;
  ranking: RankingOptions;
  remembered: Generation;
  passages: Pick<PassageRegistry, "size" | "spelledOut">;
  /** How many passages hold a term in their own text. */
  frequency(term: string): number;
}

/**
 * A question read into weighted search terms: analysed in its language, slips of English
 * words corrected (names never), the word naming the measure asked for left out ("how
 * *long*"), each term given the more words `options.alternatives` and the corpus add, and
 * weighed by its rarity in the corpus and its specificity in English (a name the asker
 * capitalised is specific however common the word; see RankingOptions.english).
 */
export function readQuestion(
  asked: string,
  shape: AnswerShape | null,
  options: Pick<AnswerOptions, "language" | "alternatives" | "translated">,
  corpus: QuestionCorpus,
): WeightedTerm[] {
  // What misspelt question terms were meant as: term → its correction.
  const meant = new Map<string, Correction>();
  const names = namesIn(asked);
  // A translator's capitals are its own, not names the asker wrote.
  const nameTerms = new Set(options.translated ? [] : [...names].map(toTerm));
  const english = (options.language ?? "en") === "en";
  // Slips are found against English words: questions read in another language keep theirs.
  const spelling = english
    ? (token: string, term: string) => {
        if (names.has(token)) return [];
        const corrected = spellingOf(token, term, corpus);
        if (corrected.zipf) meant.set(term, corrected);
        return corrected.terms;
      }
    : undefined;
  const analyzer = english ? corpus.analyzer : SPANISH_QUESTIONS;
  return analyzer
    .query(asked, spelling)
    .filter((q) => q.term !== shape?.measure)
    .map((q) =>
      expand(
        withAlternatives(q, options.alternatives),
        meant.get(q.term),
        nameTerms.has(q.term),
        corpus,
      ),
    );
}

/** The correction of a misspelt question word (see `correction`), worked out once per word. */
function spellingOf(token: string, term: string, corpus: QuestionCorpus): Correction {
  return corpus.remembered.corrections.get(token, () =>
    correction(token, term, corpus.ranking.spelling, corpus.frequency),
  );
}

/** How rare a term is in the corpus: rarer terms matter more. */
function idf(term: string, corpus: QuestionCorpus): number {
  const df = corpus.frequency(term);
  return Math.log(1 + (corpus.passages.size + 1) / (df + 0.5));
}

/**
 * Adds what the corpus itself says a term also means: the name an acronym stands for
 * (NSC = National Security Council) and the demonym of a place (Panama = Panamanian).
 * The term's weight comes along, worked out once per term (see Generation), not per candidate.
 */
function expand(
  q: QueryTerm,
  meant: Correction | undefined,
  name: boolean,
  corpus: QuestionCorpus,
): WeightedTerm {
  const expansion = corpus.remembered.expansions.get(q.term, (term) => ({
    extra: corpusForms(term, corpus.passages.spelledOut(term), corpus.frequency),
    idf: idf(term, corpus),
  }));
  const { english } = corpus.ranking;
  if (!meant) return weighted(q, expansion, englishZipf(q.term), english, name);
  // A slip weighs as the word it was meant as: that word's rarity, in the corpus and in English.
  const corrected = meant.terms[0]?.[0];
  const idfOf = corrected === undefined ? expansion.idf : idf(corrected, corpus);
  return weighted(q, { ...expansion, idf: idfOf }, meant.zipf, english, name);
}
