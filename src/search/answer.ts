import type { Source } from "../corpus/load.ts";
import type { Language } from "../text/language.ts";

/** The answer contract: what the engine returns for a question, every shell reads. */

/** Where a passage is: its document's position and its span of the cleaned text. */
export interface Passage {
  /** Stable across reloads while the text is unchanged: `${documentId}:${index}:${textHash}`. */
  id: string;
  /** Position of the document in the index's document list. */
  doc: number;
  /** Position of the passage inside its document. */
  index: number;
  start: number;
  end: number;
}

/** One quoted passage of an answer, with its source. */
export interface Result {
  /** Verbatim excerpt of the cleaned document (at most MAX_PASSAGE_CHARS). */
  quote: string;
  /** Passage id, for "show context" and feedback. */
  passage: string;
  score: number;
  source: Source;
  /** Other sources that carry the same passage. */
  also?: Source[];
  /** The sentence of the quote that best matches the question (a substring of `quote`). */
  highlight?: string;
}

/** What a question gets: quoted results, or suggestions when the corpus does not answer it. */
export interface Answer {
  question: string;
  answered: boolean;
  results: Result[];
  /** When not answered: what the corpus can answer instead. */
  suggestions?: string[];
  /** True when asking for the next page (offset + k) would return more results. */
  more?: boolean;
  /** The best passage covers the question only in part: the quotes may not answer it. */
  uncertain?: true;
}

/** How to answer: how many results, from which source, which page. */
export interface AnswerOptions {
  /** How many results (default 3, 1 to 10). */
  k?: number;
  /** Only passages of this document id. */
  source?: string;
  /** Skip this many results (paging). */
  offset?: number;
  /**
   * More words that count as a question term, by term: for a translated question, the
   * other translations of the word each term translates.
   */
  alternatives?: ReadonlyMap<string, readonly (readonly string[])[]>;
  /** The question is a machine translation: its capitals are the translator's, not names. */
  translated?: boolean;
  /** Share of the question's weighted terms the best passage must hold (default: the ranking's minCoverage). */
  minCoverage?: number;
  /**
   * The language the question is read in (default English): its pipeline analyses the
   * question, and in a corpus of several languages only passages in it are searched.
   */
  language?: Language;
}

/** A passage with the passages around it in its document. */
export interface PassageContext {
  passage: Passage;
  source: Source;
  text: string;
  before: string[];
  after: string[];
}

/** How many results an answer holds unless asked for more or fewer. */
export const DEFAULT_K = 3;
/** The most results one answer holds. */
export const MAX_K = 10;
