import { english } from "./english.ts";
import { BoundedMemo } from "./memo.ts";
import type { Pipeline } from "./pipeline.ts";

/**
 * Questions to search terms through a pipeline (English unless told otherwise), with the
 * synonym groups that expand question terms only, and the acronyms a text's names spell.
 * The module-level `tokenize`, `toTerm` and `terms` are the English pipeline's.
 */

export { fold } from "./tokens.ts";
export const { tokenize, toTerm, terms } = english;

/**
 * Synonym groups as admins write them: each group a list of words or short phrases
 * that mean the same thing here ("deport", "remove", "repatriate").
 */
export type SynonymGroups = readonly (readonly string[])[];

/** The terms a question word may have been meant as, when it is misspelt (none if it is not). */
export type Spelling = (token: string, term: string) => readonly (readonly string[])[];

/** One question term and every alternative that also counts as that term. */
export interface QueryTerm {
  term: string;
  alternatives: readonly (readonly string[])[];
}

/** A multi-word synonym entry ("asylum seeker"), what may replace it, and its place among them. */
interface Phrase {
  words: readonly string[];
  others: readonly (readonly string[])[];
  order: number;
}

const NONE: readonly never[] = [];

export class Analyzer {
  readonly #synonyms = new Map<string, string[][]>();
  /** The multi-word entries by their first term: a question looks up only those its words begin. */
  readonly #phrases = new Map<string, Phrase[]>();
  readonly #pipeline: Pipeline;

  /** Synonym groups are analysed with the same pipeline as the questions. */
  constructor(groups: SynonymGroups = [], pipeline: Pipeline = english) {
    this.#pipeline = pipeline;
    let order = 0;
    for (const group of groups) {
      const entries = group.map((entry) => pipeline.terms(entry)).filter((t) => t.length > 0);
      for (const entry of entries) {
        const others = entries.filter((e) => e !== entry);
        if (entry.length > 1) {
          const first = entry[0] as string;
          const phrase = { words: entry, others, order: order++ };
          this.#phrases.set(first, [...(this.#phrases.get(first) ?? []), phrase]);
          continue;
        }
        const key = entry[0] as string;
        this.#synonyms.set(key, [...(this.#synonyms.get(key) ?? []), ...others]);
      }
    }
  }

  /**
   * The distinct meaningful terms of a question, each with its synonym alternatives.
   * Each word of a synonym phrase found in the question may be replaced by the phrase's
   * group mates, so "asylum seekers" also matches "migrants".
   */
  query(question: string, spelling?: Spelling): QueryTerm[] {
    const words: { token: string; term: string }[] = [];
    for (const token of this.#pipeline.tokenize(question)) {
      const term = this.#pipeline.toTerm(token);
      if (term !== null) words.push({ token, term });
    }
    const sequence = words.map((w) => w.term);
    const extra = new Map<string, (readonly string[])[]>();
    for (const { words, others } of this.#phrasesIn(sequence)) {
      for (const term of words) extra.set(term, [...(extra.get(term) ?? []), ...others]);
    }
    const seen = new Set<string>();
    const out: QueryTerm[] = [];
    for (const { token, term } of words) {
      if (seen.has(term)) continue;
      seen.add(term);
      const synonyms = this.#synonyms.get(term) ?? NONE;
      const more = [...(extra.get(term) ?? NONE), ...(spelling?.(token, term) ?? NONE)];
      // Most terms have no alternatives, or only their synonyms: those are shared, not copied.
      out.push({ term, alternatives: more.length ? [...synonyms, ...more] : synonyms });
    }
    return out;
  }

  /** The synonym phrases the terms contain, each once, in the order the groups give them. */
  #phrasesIn(sequence: readonly string[]): Phrase[] {
    const found: Phrase[] = [];
    for (let at = 0; at < sequence.length; at++) {
      for (const phrase of this.#phrases.get(sequence[at] as string) ?? NONE) {
        if (!found.includes(phrase) && runAt(sequence, at, phrase.words)) found.push(phrase);
      }
    }
    return found.sort((a, b) => a.order - b.order);
  }
}

/** Whether `run` is the terms of `sequence` starting at `at`. */
function runAt(sequence: readonly string[], at: number, run: readonly string[]): boolean {
  if (at + run.length > sequence.length) return false;
  for (let i = 0; i < run.length; i++) if (sequence[at + i] !== run[i]) return false;
  return true;
}

// The small words that sit inside names ("Department of State").
const NAME_SMALL_WORDS = new Set(["of", "and", "for", "the", "on", "de", "del", "la"]);
// A capitalised word or dotted initials ("U.S.").
const NAME_WORD = String.raw`(?:\p{Lu}\.){2,}|\p{Lu}[\p{L}’'-]*`;
// Space inside a name may wrap onto the next line but never crosses a blank line: a heading
// and the paragraph under it are not one name.
const NAME_GAP = String.raw`(?!\s*\n\s*\n)\s+`;
// Runs of name words, with the small words between them.
const NAME_RUN = new RegExp(
  `\\b(?:${NAME_WORD})(?:${NAME_GAP}(?:(?:${[...NAME_SMALL_WORDS].join("|")})${NAME_GAP})*(?:${NAME_WORD}))+`,
  "gu",
);
// Two undotted words spell two letters at most, too few for an acronym: most runs ("Border Patrol") stop here.
const THREE_WORDS = /\S\s+\S+\s+\S/u;

/**
 * Acronyms spelled by the names in a text: "National Security Council" gives nsc,
 * "U.S. Citizenship and Immigration Services" gives uscis. Each maps to the name's terms.
 */
export function acronymsIn(text: string, pipeline: Pipeline = english): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [run] of text.matchAll(NAME_RUN)) {
    if (!run.includes(".") && !THREE_WORDS.test(run)) continue;
    const acronyms = runAcronyms.get(`${pipeline.language}\0${run}`, () =>
      acronymsOfRun(run, pipeline),
    );
    for (const [initials, name] of acronyms) {
      if (!out.has(initials)) out.set(initials, name);
    }
  }
  return out;
}

// Names recur across a corpus ("U.S. Department of Homeland Security"): each run is worked out
// once per pipeline.
const runAcronyms = new BoundedMemo<string, [string, string[]][]>(50_000);

function acronymsOfRun(run: string, pipeline: Pipeline): [string, string[]][] {
  // "U.S. Citizenship and Immigration Services and Immigration and Customs Enforcement"
  // holds two names: every run of the parts between "and"s may be one.
  const parts = pipeline
    .tokenize(run)
    .join(" ")
    .split(" and ")
    .map((p) => p.split(" "));
  const found: [string, string[]][] = [];
  for (let i = 0; i < parts.length; i++) {
    for (let j = i; j < parts.length; j++) {
      const acronym = acronymOf(parts.slice(i, j + 1).flat(), pipeline);
      if (acronym) found.push(acronym);
    }
  }
  return found;
}

function acronymOf(run: string[], pipeline: Pipeline): [string, string[]] | null {
  const words = run.filter((w) => !NAME_SMALL_WORDS.has(w));
  // Sentence-initial "The" and the like are not part of a name: the pipeline drops them.
  while (words.length > 0 && pipeline.toTerm(words[0] as string) === null) words.shift();
  if (words.length < 2) return null;
  const initials = words.map((w) => (w === "us" ? "us" : w[0])).join("");
  const name = words.map((w) => pipeline.toTerm(w)).filter((t): t is string => t !== null);
  return initials.length >= 3 ? [initials, name] : null;
}
