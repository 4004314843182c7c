import { type QueryTerm, tokenize, toTerm } from "../text/analyzer.ts";
import { englishZipf, isEnglishWord, wordsNear } from "../text/word-weights.ts";
import type { AnswerOptions } from "./answer.ts";
import { type RankingOptions, specificity } from "./ranking.ts";

/**
 * What a question term also means and how much it weighs: corrections of misspelt words,
 * forms the corpus adds, and how much of a question a passage's words cover.
 */

// Corrections kept for a misspelt question word.
const MAX_SPELLINGS = 2;

/** A question term with its alternatives, including what the corpus adds, and its weight. */
export interface WeightedTerm extends QueryTerm {
  weight: number;
}

/** What the corpus adds to a question term: what it also means, and its rarity. */
export interface Expansion {
  extra: string[][];
  idf: number;
}

/** What a misspelt question word was meant as: terms the corpus holds, and its English Zipf. */
export interface Correction {
  terms: string[][];
  zipf: number;
}

const DEMONYM_SUFFIXES = ["n", "an", "ian", "nian", "ean", "ese"];
const LETTERS_ONLY = /^\p{L}{4,}$/u;

/** Place name and demonym of each other: venezuela/venezuelan, mexico/mexican, panama/panamanian. */
function relatedForms(term: string): string[] {
  if (!LETTERS_ONLY.test(term)) return [];
  // Plain loops and pushes: this runs for every question term, and flatMap and filter
  // cost more than the few forms they would build.
  const forms: string[] = [];
  for (const suffix of DEMONYM_SUFFIXES) {
    forms.push(term + suffix);
    // venezuelan less its n, plus "n", is venezuelan itself: not a form of it.
    const respelled = term.slice(0, -1) + suffix;
    if (respelled !== term) forms.push(respelled);
    const base = term.slice(0, -suffix.length);
    if (term.endsWith(suffix) && base.length >= 4) forms.push(base, `${base}o`, `${base}a`);
  }
  return forms;
}

/**
 * Words found in a passage: a set (or anything that answers `has`), or the few a search
 * found, which are not worth a set.
 */
export type Found = Pick<ReadonlySet<string>, "has"> | readonly string[];

/** Whether the words found include `term`. */
export function hasWord(found: Found, term: string): boolean {
  return "has" in found ? found.has(term) : found.includes(term);
}

/** Whether the words found hold a question term or all the words of one of its alternatives. */
function covers(q: QueryTerm, matched: Found): boolean {
  // Loops, not some() and every(): this runs for every candidate and question term, and
  // their callbacks were a closure per call.
  if (hasWord(matched, q.term)) return true;
  for (const alternative of q.alternatives) if (hasAll(matched, alternative)) return true;
  return false;
}

/** Whether the words found include every one of `words`. */
function hasAll(matched: Found, words: readonly string[]): boolean {
  for (const word of words) if (!hasWord(matched, word)) return false;
  return true;
}

/** The summed weight of the question terms that `matched` covers: how much of the question it answers. */
export function coveredWeight(query: readonly WeightedTerm[], matched: Found): number {
  let weight = 0;
  for (const q of query) if (covers(q, matched)) weight += q.weight;
  return weight;
}

/**
 * What the corpus itself says a term also means: the name an acronym stands for
 * (`spelledOut`, e.g. NSC = National Security Council) and the demonyms or place names
 * (see relatedForms) that some passage holds.
 */
export function corpusForms(
  term: string,
  spelledOut: string[] | undefined,
  frequency: (term: string) => number,
): string[][] {
  const found: string[][] = [];
  if (spelledOut) found.push(spelledOut);
  for (const form of relatedForms(term)) {
    if (frequency(form) > 0) found.push([form]);
  }
  return found;
}

/** A question term with what the corpus adds to it, and its weight. */
export function weighted(
  q: QueryTerm,
  { extra, idf }: Expansion,
  zipf: number,
  english: RankingOptions["english"],
  name = false,
): WeightedTerm {
  const alternatives = extra.length ? [...q.alternatives, ...extra] : q.alternatives;
  // How much the term matters when judging whether a passage answers the question: its
  // rarity in the corpus times its specificity in general English (see RankingOptions).
  const specific = specificity(zipf, english);
  const weight = idf * (name ? Math.max(specific, english.name) : specific);
  return { term: q.term, alternatives, weight };
}

/**
 * A question word that neither the corpus nor English knows is taken for a slip, meant as
 * the nearest English words: one edit away, two for long words ("crossin" → crossing,
 * "homland" → homeland, "acually" → actually). Those the corpus holds become the word's
 * alternatives, and the commonest gives the word its English specificity, so a misspelt
 * filler word weighs as little as the filler word. Short words are left alone: too many
 * words lie one edit from them ("daca" is one from "data").
 */
export function correction(
  token: string,
  term: string,
  spelling: RankingOptions["spelling"],
  frequency: (term: string) => number,
): Correction {
  const { minLength, twoEditsLength } = spelling;
  const none = { terms: [], zipf: 0 };
  if (token.length < minLength || !LETTERS_ONLY.test(token)) return none;
  if (frequency(term) > 0 || isEnglishWord(token)) return none;
  const forms = wordsNear(token, token.length >= twoEditsLength ? 2 : 1).map((word) =>
    toTerm(word),
  );
  // A form of an English word ("expulsions" beside "expulsion") is no slip, only rarer.
  if (forms.includes(term)) return none;
  const near = forms.filter((t): t is string => t !== null);
  const terms = near.filter((t) => frequency(t) > 0).slice(0, MAX_SPELLINGS);
  return {
    terms: terms.map((t) => [t]),
    zipf: near.length ? englishZipf(near[0] as string) : 0,
  };
}

// A capitalised word that does not begin the question.
const NAME = /(?<=\S\s+)\p{Lu}[\p{L}\p{N}'’]*/gu;

/**
 * The words a question capitalises after its first: names ("Kissinger", "Temüjin"), which
 * are not slips of ordinary words and are never corrected. Folded as the analyzer folds them.
 */
export function namesIn(question: string): Set<string> {
  const names = [...question.matchAll(NAME)];
  // A question in Title Case capitalises every word: its capitals tell no names apart.
  const words = question.trim().split(/\s+/u).length - 1;
  if (names.length > 2 && names.length * 2 > words) return new Set();
  return new Set(names.flatMap(([word]) => tokenize(word)));
}

/** A question term with the more words `more` gives it (see AnswerOptions.alternatives). */
export function withAlternatives(q: QueryTerm, more: AnswerOptions["alternatives"]): QueryTerm {
  const extra = more?.get(q.term);
  return extra ? { term: q.term, alternatives: [...q.alternatives, ...extra] } : q;
}
