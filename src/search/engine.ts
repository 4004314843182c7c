import { hash } from "node:crypto";
import MiniSearch, { type Options } from "minisearch";
import type { CorpusDocument, Source } from "../corpus/load.ts";
import { cutPassages, sentences } from "../corpus/passages.ts";
import { type Analyzer, acronymsIn, fold, type QueryTerm, terms } from "./analyzer.ts";
import { type AnswerShape, answerShape } from "./answer-shapes.ts";
import { BoundedMemo } from "./memo.ts";
import { holdersOf, loadPostings, postingCount, savePostings, wordsHeld } from "./postings.ts";
import type { SavedPostings } from "./saved-postings.ts";
import { type Boosts, Scorer, type SearchPlan } from "./scoring.ts";

/**
 * The search index over one corpus: passages in MiniSearch, ranking by BM25 re-weighted
 * by how much of the question a passage covers, an abstain gate, and merging of
 * near-duplicate passages (the same wire copy in several outlets).
 */

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

export interface Answer {
  question: string;
  answered: boolean;
  results: Result[];
  /** When not answered: what the corpus can answer instead. */
  suggestions?: string[];
  /** True when asking for the next page (offset + k) would return more results. */
  more?: boolean;
}

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
  /** Share of the question's weighted terms the best passage must hold (default MIN_COVERAGE). */
  minCoverage?: number;
}

export interface PassageContext {
  passage: Passage;
  source: Source;
  text: string;
  before: string[];
  after: string[];
}

export const DEFAULT_K = 3;
export const MAX_K = 10;
const MAX_QUESTION_CHARS = 1000;
// Share of the question's weighted terms the best passage must contain to count as an answer.
const MIN_COVERAGE = 0.5;
// Further results must be at least this share as good as the best one.
const MIN_RELATIVE_SCORE = 0.2;
const CANDIDATES = 40;
const RETRIEVAL_POSTINGS = 3000;
// Enough passages to score when every question term is common (see retrieval).
const GATED_PASSAGES = 1000;
const TITLE_BOOST = 0.6;
// In ranking, a question term found only in the title of a passage's document counts this
// much toward the passage's coverage: the title says what the document is about, not that
// this passage says it. At full weight, a title matching the question lifted every passage
// of its document, however little each said, above the passages of other documents that
// answer it. Whether the question is answered at all still counts the title in full.
const TITLE_COVERAGE = 0.5;
// A passage of the shape a question asks for (see answer-shapes.ts) ranks as if it matched
// twice as well: one only mentioning the question's subject, however often, does not answer it.
const SHAPE_BOOST = 2;
const SYNONYM_BOOST = 0.6;
const SHINGLE = 5;
const SPACE = /\s/u;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const MIN_SHARED_SHINGLES = 3;
const DUPLICATE_CONTAINMENT = 0.5;
const BOOSTS: Boosts = {
  terms: { text: 1, title: TITLE_BOOST },
  synonyms: { text: SYNONYM_BOOST, title: SYNONYM_BOOST * TITLE_BOOST },
};
// Passages whose 5-grams and sentences are remembered: all of a small corpus, the most
// asked-about of a large one (a few kB each).
const REMEMBERED_PASSAGES = 4096;
const REMEMBERED_TERMS = 50_000;

interface IndexedPassage {
  id: number;
  text: string;
  title: string;
}

/** A passage as the index keeps it: its MiniSearch key and its document. */
interface Entry {
  key: number;
  id: string;
  doc: CorpusDocument;
  index: number;
  start: number;
  end: number;
}

/** Everything needed to restore an index without re-reading or re-indexing the corpus. */
export interface IndexSnapshot {
  documents: CorpusDocument[];
  /** `hash` is the text's part of the passage id: a start need not hash every passage again. */
  passages: [key: number, file: string, index: number, start: number, end: number, hash: string][];
  nextKey: number;
  /** MiniSearch's serialization without its postings, which are in `postings`. */
  search: unknown;
  postings: SavedPostings;
  /** Each document's acronyms (file → [acronym, name terms]): finding them is a costly scan. */
  acronyms: [file: string, acronyms: [acronym: string, name: string[]][]][];
  /** Boilerplate lines of the corpus, so the next reload can reuse cleaned documents. */
  common: string[];
  /** Each file's short-line keys by file hash, so the next reload need not read every page's lines. */
  lineKeys: [hash: string, keys: string[]][];
}

const BUILD_CHUNK = 2000;

export class SearchIndex {
  #analyzer: Analyzer;
  readonly #search: MiniSearch<IndexedPassage>;
  readonly #scorer: Scorer<IndexedPassage>;
  readonly #documents = new Map<string, CorpusDocument>();
  readonly #entries = new Map<number, Entry>();
  readonly #byId = new Map<string, Entry>();
  readonly #byDocument = new Map<CorpusDocument, Entry[]>();
  /** Acronym → the documents spelling it out, and the name each spells. */
  readonly #acronyms = new Map<string, Map<CorpusDocument, string[]>>();
  readonly #titleTerms = new Map<CorpusDocument, Set<string>>();
  #nextKey = 0;
  // What the corpus adds to a term, and what is read off a passage, are worked out once:
  // the same terms and passages come up question after question. Cleared on every update.
  readonly #expansions = new BoundedMemo<string, Expansion>(REMEMBERED_TERMS);
  readonly #postingCounts = new BoundedMemo<string, number>(REMEMBERED_TERMS);
  readonly #shingles = new BoundedMemo<Entry, Set<number>>(REMEMBERED_PASSAGES);
  readonly #sentences = new BoundedMemo<Entry, Sentence[]>(REMEMBERED_PASSAGES);
  #lastTitle: { text: string; terms: string[] } | undefined;
  #sortedDocuments: CorpusDocument[] | null = null;

  /** `open` makes the index from the engine's options: empty, or loaded from a snapshot. */
  private constructor(
    analyzer: Analyzer,
    open: (options: Options<IndexedPassage>) => MiniSearch<IndexedPassage> = (options) =>
      new MiniSearch(options),
  ) {
    this.#analyzer = analyzer;
    this.#search = open(this.#options());
    this.#scorer = new Scorer(this.#search, BOOSTS);
  }

  /** Builds an index, yielding to the event loop between chunks so a live bot keeps answering. */
  static async build(
    documents: readonly CorpusDocument[],
    analyzer: Analyzer,
  ): Promise<SearchIndex> {
    const index = new SearchIndex(analyzer);
    const rows = documents.flatMap((doc) => index.#register(doc));
    await index.#search.addAllAsync(rows, { chunkSize: BUILD_CHUNK });
    return index;
  }

  /** Restores a saved index; throws if the snapshot does not hold together. */
  static restore(snapshot: IndexSnapshot, analyzer: Analyzer): SearchIndex {
    const index = new SearchIndex(analyzer, (options) => loadPostings(snapshot, options));
    const byFile = new Map(snapshot.documents.map((doc) => [doc.file, doc]));
    const acronyms = new Map(snapshot.acronyms.map(([file, list]) => [file, new Map(list)]));
    for (const doc of snapshot.documents) index.#addDocument(doc, acronyms.get(doc.file));
    for (const row of snapshot.passages) {
      const [key, file, position, start, end, hash] = row;
      const doc = byFile.get(file);
      const numbers = [key, position, start, end].every(Number.isInteger);
      const fits =
        doc !== undefined && numbers && start >= 0 && start < end && end <= doc.text.length;
      // The id goes into buttons' custom_ids, whose length Discord limits.
      if (!fits || typeof hash !== "string" || !SHORT_HASH.test(hash)) {
        throw new Error(`bad passage ${JSON.stringify(row).slice(0, 80)}`);
      }
      index.#addEntry({
        key,
        id: passageId(doc, position, hash),
        doc,
        index: position,
        start,
        end,
      });
    }
    if (index.#search.documentCount !== index.#entries.size) {
      throw new Error("index and passages disagree");
    }
    index.#nextKey = snapshot.nextKey;
    return index;
  }

  snapshot(): Omit<IndexSnapshot, "common" | "lineKeys"> {
    return {
      documents: this.documents.slice(),
      passages: [...this.#entries.values()].map((e) => [
        e.key,
        e.doc.file,
        e.index,
        e.start,
        e.end,
        hashOf(e.id),
      ]),
      acronyms: this.#acronymsByDocument(),
      nextKey: this.#nextKey,
      ...savePostings(this.#search),
    };
  }

  /**
   * Re-indexes only what changed, in one synchronous step: no question is answered
   * half-way through it.
   */
  update(change: {
    added: readonly CorpusDocument[];
    removed: readonly CorpusDocument[];
    analyzer: Analyzer;
  }): void {
    const remembered = [
      this.#expansions,
      this.#postingCounts,
      this.#shingles,
      this.#sentences,
      this.#scorer,
    ];
    for (const memo of remembered) memo.clear();
    for (const doc of change.removed) this.#removeDocument(doc);
    const rows = change.added.flatMap((doc) => this.#register(doc));
    this.#search.addAll(rows);
    this.#analyzer = change.analyzer;
  }

  get documents(): readonly CorpusDocument[] {
    this.#sortedDocuments ??= [...this.#documents.values()].sort((a, b) =>
      a.file < b.file ? -1 : 1,
    );
    return this.#sortedDocuments;
  }

  /** Every passage, in document order; `doc` is the position in `documents`. */
  get passages(): Passage[] {
    return this.documents.flatMap((doc, d) =>
      (this.#byDocument.get(doc) ?? []).map((e) => ({
        id: e.id,
        doc: d,
        index: e.index,
        start: e.start,
        end: e.end,
      })),
    );
  }

  get size(): number {
    return this.#entries.size;
  }

  text(passage: { doc: number; start: number; end: number }): string {
    return (this.documents[passage.doc] as CorpusDocument).text.slice(passage.start, passage.end);
  }

  answer(question: string, options: AnswerOptions = {}): Answer {
    const k = clampInt(options.k ?? DEFAULT_K, 1, MAX_K);
    const offset = clampInt(options.offset ?? 0, 0, CANDIDATES);
    const asked = question.slice(0, MAX_QUESTION_CHARS);
    const shape = answerShape(asked);
    const query = this.#analyzer
      .query(asked)
      .filter((q) => q.term !== shape?.measure)
      .map((q) => this.#expand(withAlternatives(q, options.alternatives)));
    const ranked = query.length ? this.#rank(query, options.source, shape) : [];
    const best = ranked[0];
    if (!best || best.coverage < (options.minCoverage ?? MIN_COVERAGE)) {
      return { question, answered: false, results: [], suggestions: this.suggestions(asked) };
    }
    // One passage past the page tells whether there is more.
    const merged = mergeDuplicates(
      ranked.filter((r) => r.score >= best.score * MIN_RELATIVE_SCORE),
      (entry) => this.#shingles.get(entry, entryShingles),
      offset + k + 1,
    );
    const page = merged.slice(offset, offset + k);
    return {
      question,
      answered: page.length > 0,
      results: page.map((r) => this.#result(r, query)),
      ...(page.length === 0 ? { suggestions: this.suggestions(asked) } : {}),
      more: merged.length > offset + k,
    };
  }

  /** A passage with its neighbours in the same document. */
  context(passageId: string, radius = 1): PassageContext | null {
    const entry = this.#byId.get(passageId);
    if (!entry) return null;
    const siblings = this.#byDocument.get(entry.doc) ?? [];
    const neighbour = (offset: number) => {
      const e = siblings[entry.index + offset];
      return e ? [entryText(e)] : [];
    };
    const before: string[] = [];
    const after: string[] = [];
    for (let r = radius; r >= 1; r--) before.push(...neighbour(-r));
    for (let r = 1; r <= radius; r++) after.push(...neighbour(r));
    const passage = {
      id: entry.id,
      doc: this.documents.indexOf(entry.doc),
      index: entry.index,
      start: entry.start,
      end: entry.end,
    };
    return { passage, source: entry.doc.source, text: entryText(entry), before, after };
  }

  passageCount(docId: string): number {
    const doc = this.documents.find((d) => d.source.id === docId);
    return doc ? (this.#byDocument.get(doc)?.length ?? 0) : 0;
  }

  /** Titles of the documents closest to the question, else the first titles. */
  suggestions(question: string, limit = 3): string[] {
    const wanted = [...new Set(this.#analyzer.query(question).map((q) => q.term))];
    const titled = (doc: CorpusDocument) => {
      const title = this.#titleTerms.get(doc);
      return wanted.reduce((n, t) => (title?.has(t) ? n + 1 : n), 0);
    };
    // Only titles sharing a word need sorting; the first titles fill the rest.
    const matching = this.documents
      .map((doc) => ({ doc, score: titled(doc) }))
      .filter((s) => s.score > 0)
      .sort((a, b) => b.score - a.score)
      .map((s) => s.doc);
    const rest = this.documents.slice(0, limit).filter((doc) => !matching.includes(doc));
    return [...matching, ...rest].slice(0, limit).map((doc) => doc.source.title);
  }

  #options() {
    return {
      fields: ["text", "title"],
      tokenize: (text: string, field?: string) => this.#indexTerms(text, field),
      processTerm: (term: string) => term,
    };
  }

  /** Cuts a document into passages and records them; returns the rows to index. */
  #register(doc: CorpusDocument): IndexedPassage[] {
    this.#addDocument(doc);
    return cutPassages(doc.text).map((cut, index) => {
      const entry = {
        key: this.#nextKey++,
        id: passageId(doc, index, shortHash(cut.text)),
        doc,
        index,
        start: cut.start,
        end: cut.end,
      };
      this.#addEntry(entry);
      return { id: entry.key, text: cut.text, title: doc.source.title };
    });
  }

  /** How many postings searching a term scores: its passages and its titles' passages. */
  #postings(term: string): number {
    return this.#postingCounts.get(term, (t) => postingCount(this.#search, t));
  }

  /** How many passages hold a term in their own text. */
  #frequency(term: string): number {
    return postingCount(this.#search, term, "text");
  }

  #addDocument(doc: CorpusDocument, known?: Map<string, string[]>): void {
    this.#documents.set(doc.file, doc);
    this.#byDocument.set(doc, []);
    for (const [acronym, name] of known ?? acronymsIn(doc.text)) {
      const spelled = this.#acronyms.get(acronym) ?? new Map<CorpusDocument, string[]>();
      spelled.set(doc, name);
      this.#acronyms.set(acronym, spelled);
    }
    this.#titleTerms.set(doc, new Set(terms(doc.source.title)));
    this.#sortedDocuments = null;
  }

  #acronymsByDocument(): IndexSnapshot["acronyms"] {
    const byDocument = new Map<CorpusDocument, [string, string[]][]>();
    for (const [acronym, spelled] of this.#acronyms) {
      for (const [doc, name] of spelled) {
        const list = byDocument.get(doc) ?? [];
        list.push([acronym, name]);
        byDocument.set(doc, list);
      }
    }
    return this.documents.map((doc) => [doc.file, byDocument.get(doc) ?? []]);
  }

  #addEntry(entry: Entry): void {
    this.#entries.set(entry.key, entry);
    this.#byId.set(entry.id, entry);
    this.#byDocument.get(entry.doc)?.push(entry);
  }

  #removeDocument(doc: CorpusDocument): void {
    for (const entry of this.#byDocument.get(doc) ?? []) {
      // Removed, not discarded: a discarded passage's postings stay until MiniSearch cleans
      // them up, and the postings' sizes are the term counts the ranking reads.
      this.#search.remove({ id: entry.key, text: entryText(entry), title: doc.source.title });
      this.#entries.delete(entry.key);
      this.#byId.delete(entry.id);
    }
    this.#byDocument.delete(doc);
    for (const [acronym, spelled] of this.#acronyms) {
      if (spelled.delete(doc) && spelled.size === 0) this.#acronyms.delete(acronym);
    }
    this.#titleTerms.delete(doc);
    if (this.#documents.get(doc.file) === doc) this.#documents.delete(doc.file);
    this.#sortedDocuments = null;
  }

  #indexTerms(text: string, field?: string): string[] {
    if (field === "title") {
      // Every passage of a document carries its title, and they are indexed one after another.
      if (this.#lastTitle?.text !== text) this.#lastTitle = { text, terms: terms(text) };
      return this.#lastTitle.terms;
    }
    return terms(text);
  }

  /** Rarer terms matter more when judging whether a passage answers the question. */
  #weight(term: string): number {
    const df = this.#frequency(term);
    return Math.log(1 + (this.#entries.size + 1) / (df + 0.5));
  }

  /**
   * Adds what the corpus itself says a term also means: the name an acronym stands for
   * (NSC = National Security Council) and the demonym of a place (Panama = Panamanian).
   * The term's weight comes along, worked out once per term (see #expansions), not per candidate.
   */
  #expand(q: QueryTerm): WeightedTerm {
    const { extra, weight } = this.#expansions.get(q.term, (term) => {
      const found: string[][] = [];
      const name = this.#acronyms.get(term)?.values().next().value;
      if (name) found.push(name);
      for (const form of relatedForms(term)) {
        if (this.#frequency(form) > 0) found.push([form]);
      }
      return { extra: found, weight: this.#weight(term) };
    });
    const alternatives = extra.length ? [...q.alternatives, ...extra] : q.alternatives;
    return { term: q.term, alternatives, weight };
  }

  #rank(query: WeightedTerm[], source?: string, shape?: AnswerShape | null): Ranked[] {
    const doc =
      source === undefined ? undefined : this.documents.find((d) => d.source.id === source);
    if (source !== undefined && !doc) return [];
    const plan = retrieval(query, (t) => this.#postings(t));
    const holders = plan.within.length
      ? holdersOf(this.#search, plan.within, GATED_PASSAGES)
      : undefined;
    const allowed =
      doc || holders
        ? (key: number) =>
            (!doc || this.#entries.get(key)?.doc === doc) && (!holders || holders.has(key))
        : undefined;
    const results = this.#scorer.score(plan, allowed, CANDIDATES);
    const total = query.reduce((sum, q) => sum + q.weight, 0);
    const words = query.flatMap((q) => [q.term, ...q.alternatives.flat()]);
    // Scoring reports which searched terms a passage holds; terms left out of the search
    // are looked up in their postings.
    const held = plan.complete ? undefined : wordsHeld(this.#search, words);
    const inText = wordsHeld(this.#search, words, "text");
    const ranked: Ranked[] = [];
    for (const r of results) {
      const entry = this.#entries.get(r.key);
      if (!entry) continue;
      const own = coveredWeight(query, inText(r.key));
      const any = coveredWeight(query, held ? held(r.key) : r.terms);
      const ranking = (own + TITLE_COVERAGE * (any - own)) / total;
      const shaped = shape?.passage.test(fold(entryText(entry))) ? SHAPE_BOOST : 1;
      ranked.push({ entry, score: r.score * ranking ** 2 * shaped, coverage: any / total });
    }
    return ranked.sort((a, b) => b.score - a.score);
  }

  #result(r: Merged, query: WeightedTerm[]): Result {
    const quote = entryText(r.entry);
    const highlight = keySentence(this.#sentences.get(r.entry, entrySentences), query);
    return {
      quote,
      passage: r.entry.id,
      score: round(r.score),
      source: r.entry.doc.source,
      ...(r.also.length ? { also: r.also } : {}),
      ...(highlight ? { highlight } : {}),
    };
  }
}

function entryText(entry: Entry): string {
  return entry.doc.text.slice(entry.start, entry.end);
}

function passageId(doc: CorpusDocument, index: number, hash: string): string {
  return `${doc.source.id}:${index}:${hash}`;
}

/** The text's hash a passage id ends with (see passageId). */
function hashOf(id: string): string {
  return id.slice(id.lastIndexOf(":") + 1);
}

/** A question term with its alternatives, including what the corpus adds, and its weight. */
interface WeightedTerm extends QueryTerm {
  weight: number;
}

/** What the corpus adds to a question term: what it also means, and its weight. */
interface Expansion {
  extra: string[][];
  weight: number;
}

interface Ranked {
  entry: Entry;
  score: number;
  coverage: number;
}

interface Merged extends Ranked {
  also: Source[];
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

/** Words found in a passage: a set, or the few a search found, which are not worth a set. */
type Found = ReadonlySet<string> | readonly string[];

function has(found: Found, term: string): boolean {
  return "has" in found ? found.has(term) : found.includes(term);
}

// Loops, not some() and every(): this runs for every candidate and question term, and
// their callbacks were a closure per call.
function covers(q: QueryTerm, matched: Found): boolean {
  if (has(matched, q.term)) return true;
  for (const alternative of q.alternatives) if (hasAll(matched, alternative)) return true;
  return false;
}

function hasAll(matched: Found, words: readonly string[]): boolean {
  for (const word of words) if (!has(matched, word)) return false;
  return true;
}

/** The summed weight of the question terms that `matched` covers: how much of the question it answers. */
function coveredWeight(query: readonly WeightedTerm[], matched: Found): number {
  let weight = 0;
  for (const q of query) if (covers(q, matched)) weight += q.weight;
  return weight;
}

interface Retrieval extends SearchPlan {
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
function retrieval(query: QueryTerm[], frequency: (term: string) => number): Retrieval {
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

interface Sentence {
  text: string;
  terms: Set<string>;
}

function entrySentences(entry: Entry): Sentence[] {
  const quote = entryText(entry);
  return sentences(quote).map((span) => {
    const text = quote.slice(span.start, span.end);
    return { text, terms: new Set(terms(text)) };
  });
}

/** The sentence carrying the most question weight; none when the quote is one sentence. */
function keySentence(sentences: readonly Sentence[], query: WeightedTerm[]): string | undefined {
  if (sentences.length < 2) return undefined;
  let best: string | undefined;
  let bestScore = 0;
  for (const sentence of sentences) {
    const score = coveredWeight(query, sentence.terms);
    if (score > bestScore) {
      best = sentence.text;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Passages of different documents that share most of their word 5-grams are the same
 * wire copy or statement quoted by several outlets: the best-ranked one stays and cites
 * the others. Duplicates rank next to each other, so comparing the candidates suffices.
 * Only the first `keep` distinct passages are kept; the rest are compared with them, for
 * the sources they cite. Each comparison reads the passages' remembered 5-gram sets and
 * stops as soon as too few can be shared: an answer makes no index of 5-grams, which was
 * most of its garbage.
 */
function mergeDuplicates(
  ranked: readonly Ranked[],
  shinglesOf: (entry: Entry) => Set<number>,
  keep: number,
): Merged[] {
  const out: (Merged & { shingles: Set<number> })[] = [];
  for (const r of ranked) {
    const shingles = shinglesOf(r.entry);
    // The best-ranked copy keeps the passage.
    const twin = out.find(
      (kept) => kept.entry.doc !== r.entry.doc && copies(kept.shingles, shingles),
    );
    if (!twin) {
      if (out.length < keep) out.push({ ...r, also: [], shingles });
    } else if (
      r.entry.doc.source !== twin.entry.doc.source &&
      !twin.also.includes(r.entry.doc.source)
    ) {
      twin.also.push(r.entry.doc.source);
    }
  }
  return out;
}

/** Whether two passages' 5-grams make them copies of one text (see `duplicate`). */
function copies(a: Set<number>, b: Set<number>): boolean {
  const small = a.size <= b.size ? a : b;
  const large = small === a ? b : a;
  let shared = small.size;
  for (const shingle of small) {
    // Fewer shared 5-grams never make a copy: no need to read the rest.
    if (!large.has(shingle) && !duplicate(--shared, a.size, b.size)) return false;
  }
  return duplicate(shared, a.size, b.size);
}

/** Whether two passages sharing `shared` 5-grams are copies of one text. */
function duplicate(shared: number, sizeA: number, sizeB: number): boolean {
  const small = Math.min(sizeA, sizeB);
  if (small === 0) return false;
  return shared >= Math.min(MIN_SHARED_SHINGLES, small) && shared / small >= DUPLICATE_CONTAINMENT;
}

/**
 * Word 5-grams of a passage, words split at white space and control characters (copies
 * differ in little but the odd word, so that compares well enough) and folded (see
 * `fold`), each 5-gram a 32-bit hash of its words' hashes. Words are folded and hashed
 * (FNV-1a) as they are read, not cut out as strings: this runs on candidates of answers.
 * Two distinct 5-grams of one answer's candidates sharing a hash is too rare to tip the
 * shared-share test.
 */
function entryShingles({ doc: { text }, start, end }: Entry): Set<number> {
  const words: number[] = [];
  let word = FNV_OFFSET;
  let letters = 0;
  for (let i = start; i <= end; i++) {
    const c = i < end ? text.charCodeAt(i) : 32;
    if (c < 128 && c > 32) {
      word = Math.imul(word ^ (c >= 65 && c <= 90 ? c + 32 : c), FNV_PRIME);
      letters++;
    } else if (c >= 128 && !SPACE.test(text.charAt(i))) {
      const folded = fold(text.charAt(i));
      for (let j = 0; j < folded.length; j++) {
        word = Math.imul(word ^ folded.charCodeAt(j), FNV_PRIME);
        letters++;
      }
    } else if (letters > 0) {
      words.push(word);
      word = FNV_OFFSET;
      letters = 0;
    }
  }
  const out = new Set<number>();
  for (let i = 0; i + SHINGLE <= words.length; i++) {
    let hash = 0;
    for (let j = i; j < i + SHINGLE; j++) hash = Math.imul(hash ^ (words[j] as number), FNV_PRIME);
    out.add(hash);
  }
  return out;
}

/** What `shortHash` makes. */
const SHORT_HASH = /^[0-9a-f]{6}$/u;

function shortHash(text: string): string {
  // One call per passage: the one-shot hash() costs half of a createHash() object's.
  return hash("sha1", text, "hex").slice(0, 6);
}

function clampInt(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.trunc(value))) : min;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function withAlternatives(q: QueryTerm, more: AnswerOptions["alternatives"]): QueryTerm {
  const extra = more?.get(q.term);
  return extra ? { term: q.term, alternatives: [...q.alternatives, ...extra] } : q;
}
