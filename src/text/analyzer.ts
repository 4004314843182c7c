import { stem } from "porter2";
import { eng } from "stopword";
import { BoundedMemo } from "./memo.ts";

/**
 * Turns text into search terms, the same way for passages and questions:
 * Unicode folding (Darién = Darien), dotted abbreviations joined (U.S. = US),
 * numbers kept whole (520,000 = 520000), possessives dropped, Porter2 stems,
 * stop words removed. Synonym groups expand question terms only.
 */

// Question words and auxiliaries that carry no topic, on top of the package's list.
const EXTRA_STOP_WORDS = [
  "why",
  "when",
  "whom",
  "whose",
  "its",
  "does",
  "done",
  "will",
  "also",
  "yet",
  "per",
  "tell",
  "according",
  // Words that frame a question about the text rather than its topic.
  "say",
  "says",
  "said",
  "describe",
  "described",
  "quote",
  "quoted",
  "mention",
  "mentioned",
  "explain",
];
// "us" is almost always the country in this corpus (U.S., US), never a stop word here.
const STOP_WORDS = new Set([...eng, ...EXTRA_STOP_WORDS].filter((w) => w !== "us"));

// A dotted abbreviation such as U.S., L.A. or U.N.H.C.R.
const DOTTED_ABBREVIATION = /\b(?:\p{L}\.){2,}/gu;
// Numbers with thousands separators or decimals stay one token; words may hold digits and apostrophes.
const TOKEN = /\p{N}+(?:[.,]\p{N}+)*|\p{L}[\p{L}\p{N}'’]*/gu;
// The same two patterns for lowercase ASCII text, which V8 matches two to three times faster
// than Unicode property classes: most of a corpus is plain ASCII, and indexing is tokenizing.
const ASCII_DOTTED_ABBREVIATION = /\b(?:[a-z]\.){2,}/g;
const ASCII_TOKEN = /[0-9]+(?:[.,][0-9]+)*|[a-z][a-z0-9'’]*/g;
// Typographic quotes, dashes and spaces are not letters or digits either way: text whose only
// non-ASCII characters are these still takes the ASCII patterns.
const NEEDS_UNICODE = /[^\p{ASCII}\u00a0‘’“”–—…]/u;

const NON_ASCII = /[\u0080-\u{10FFFF}]/u;

/** Lowercase and strip diacritics, so "Darién" and "darien" are one term. */
export function fold(text: string): string {
  // Plain ASCII has nothing to decompose: skipping normalize() is most of indexing English text.
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  return foldUnicode(text);
}

function foldUnicode(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase();
}

/** Splits raw text into folded tokens (before stemming and stop words). */
export function tokenize(text: string): string[] {
  const ascii = !NEEDS_UNICODE.test(text);
  const folded = ascii ? text.toLowerCase() : foldUnicode(text);
  const joined = folded.includes(".")
    ? folded.replace(ascii ? ASCII_DOTTED_ABBREVIATION : DOTTED_ABBREVIATION, (m) =>
        m.replaceAll(".", ""),
      )
    : folded;
  const tokens = joined.match(ascii ? ASCII_TOKEN : TOKEN) ?? [];
  for (let i = 0; i < tokens.length; i++) tokens[i] = normalizeToken(tokens[i] as string);
  return tokens;
}

// Tokenizing is the hot path of indexing: the checks below avoid regular expressions for plain words.
function normalizeToken(token: string): string {
  if (startsWithDigit(token))
    return token.includes(",") ? token.replaceAll(/,(?=\p{N}{3})/gu, "") : token;
  if (!token.includes("'") && !token.includes("’")) return token;
  return token.replace(/['’]s$/u, "").replaceAll(/['’]/gu, "");
}

function startsWithDigit(token: string): boolean {
  const first = token.charCodeAt(0);
  return first < 128 ? first >= 48 && first <= 57 : /^\p{N}/u.test(token);
}

// Irregular verb forms a suffix stemmer cannot join to their base form.
const IRREGULAR = new Map<string, string>(
  Object.entries({
    paid: "pay",
    sent: "send",
    left: "leave",
    fled: "flee",
    told: "tell",
    took: "take",
    taken: "take",
    gave: "give",
    given: "give",
    made: "make",
    met: "meet",
    led: "lead",
    sought: "seek",
    began: "begin",
    begun: "begin",
    held: "hold",
    kept: "keep",
    fell: "fall",
    fallen: "fall",
    rose: "rise",
    risen: "rise",
    brought: "bring",
    bought: "buy",
    sold: "sell",
    spent: "spend",
    built: "build",
    caught: "catch",
    fought: "fight",
    lost: "lose",
    won: "win",
    chose: "choose",
    chosen: "choose",
    drove: "drive",
    driven: "drive",
    flew: "fly",
    flown: "fly",
    ran: "run",
    saw: "see",
    seen: "see",
    went: "go",
    gone: "go",
    came: "come",
    grew: "grow",
    grown: "grow",
    knew: "know",
    known: "know",
    thought: "think",
    found: "find",
    wrote: "write",
    written: "write",
    struck: "strike",
    stood: "stand",
    children: "child",
    women: "woman",
    men: "man",
    people: "person",
  }),
);

/** One token to its index term, or null for a stop word. */
export function toTerm(token: string): string | null {
  if (token.length === 0) return null;
  // Numbers are many and stay as they are.
  if (startsWithDigit(token)) return token;
  return termOf.get(token, wordTerm);
}

// A vocabulary is far smaller than a corpus: remembering each word's term (a stem, or
// null for a stop word) saves most of the work.
const termOf = new BoundedMemo<string, string | null>(200_000);

function wordTerm(word: string): string | null {
  return STOP_WORDS.has(word) ? null : stem(IRREGULAR.get(word) ?? word);
}

/** Text to its distinct-or-repeated index terms, in order. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const token of tokenize(text)) {
    const term = toTerm(token);
    if (term !== null) out.push(term);
  }
  return out;
}

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

  constructor(groups: SynonymGroups = []) {
    let order = 0;
    for (const group of groups) {
      const entries = group.map((entry) => terms(entry)).filter((t) => t.length > 0);
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
    for (const token of tokenize(question)) {
      const term = toTerm(token);
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
export function acronymsIn(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [run] of text.matchAll(NAME_RUN)) {
    if (!run.includes(".") && !THREE_WORDS.test(run)) continue;
    for (const [initials, name] of runAcronyms.get(run, acronymsOfRun)) {
      if (!out.has(initials)) out.set(initials, name);
    }
  }
  return out;
}

// Names recur across a corpus ("U.S. Department of Homeland Security"): each run is worked out once.
const runAcronyms = new BoundedMemo<string, [string, string[]][]>(50_000);

function acronymsOfRun(run: string): [string, string[]][] {
  // "U.S. Citizenship and Immigration Services and Immigration and Customs Enforcement"
  // holds two names: every run of the parts between "and"s may be one.
  const parts = tokenize(run)
    .join(" ")
    .split(" and ")
    .map((p) => p.split(" "));
  const found: [string, string[]][] = [];
  for (let i = 0; i < parts.length; i++) {
    for (let j = i; j < parts.length; j++) {
      const acronym = acronymOf(parts.slice(i, j + 1).flat());
      if (acronym) found.push(acronym);
    }
  }
  return found;
}

function acronymOf(run: string[]): [string, string[]] | null {
  const words = run.filter((w) => !NAME_SMALL_WORDS.has(w));
  // Sentence-initial "The" and the like are not part of a name.
  while (words.length > 0 && STOP_WORDS.has(words[0] as string)) words.shift();
  if (words.length < 2) return null;
  const initials = words.map((w) => (w === "us" ? "us" : w[0])).join("");
  const name = words.map((w) => toTerm(w)).filter((t): t is string => t !== null);
  return initials.length >= 3 ? [initials, name] : null;
}
