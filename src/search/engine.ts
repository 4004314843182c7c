import { createHash } from "node:crypto";
import MiniSearch, { type Query, type SearchResult } from "minisearch";
import type { CorpusDocument, Source } from "../corpus/load.ts";
import { cutPassages, sentences } from "../corpus/passages.ts";
import { type Analyzer, acronymsIn, type QueryTerm, terms, tokenize } from "./analyzer.ts";

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
const MAX_RETRIEVAL_POSTINGS = 3000;
const TITLE_BOOST = 0.6;
const SYNONYM_BOOST = 0.6;
const SHINGLE = 5;
const MIN_SHARED_SHINGLES = 3;
const DUPLICATE_CONTAINMENT = 0.5;

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
  passages: [key: number, file: string, index: number, start: number, end: number][];
  frequencies: [term: string, count: number][];
  nextKey: number;
  search: unknown;
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
  #search: MiniSearch<IndexedPassage>;
  readonly #documents = new Map<string, CorpusDocument>();
  readonly #entries = new Map<number, Entry>();
  readonly #byId = new Map<string, Entry>();
  readonly #byDocument = new Map<CorpusDocument, Entry[]>();
  readonly #documentFrequency = new Map<string, number>();
  /** Acronym → the documents spelling it out, and the name each spells. */
  readonly #acronyms = new Map<string, Map<CorpusDocument, string[]>>();
  readonly #titleTerms = new Map<CorpusDocument, Set<string>>();
  #nextKey = 0;
  #sortedDocuments: CorpusDocument[] | null = null;

  private constructor(analyzer: Analyzer) {
    this.#analyzer = analyzer;
    this.#search = new MiniSearch<IndexedPassage>(this.#options());
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
    const index = new SearchIndex(analyzer);
    const search = MiniSearch.loadJS<IndexedPassage>(snapshot.search as never, index.#options());
    index.#search = search;
    const byFile = new Map(snapshot.documents.map((doc) => [doc.file, doc]));
    const acronyms = new Map(snapshot.acronyms.map(([file, list]) => [file, new Map(list)]));
    for (const doc of snapshot.documents) index.#addDocument(doc, acronyms.get(doc.file));
    for (const row of snapshot.passages) {
      const [key, file, position, start, end] = row;
      const doc = byFile.get(file);
      const numbers = [key, position, start, end].every(Number.isInteger);
      if (!doc || !numbers || end > doc.text.length || start < 0 || start >= end) {
        throw new Error(`bad passage ${JSON.stringify(row).slice(0, 80)}`);
      }
      const id = passageId(doc, position, doc.text.slice(start, end));
      index.#addEntry({ key, id, doc, index: position, start, end });
    }
    if (search.documentCount !== index.#entries.size) {
      throw new Error("index and passages disagree");
    }
    for (const [term, count] of snapshot.frequencies) {
      if (typeof term !== "string" || !Number.isInteger(count))
        throw new Error("bad term frequency");
      index.#documentFrequency.set(term, count);
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
      ]),
      frequencies: [...this.#documentFrequency],
      acronyms: this.#acronymsByDocument(),
      nextKey: this.#nextKey,
      search: this.#search.toJSON(),
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
    const query = this.#analyzer.query(asked).map((q) => this.#expand(q));
    const ranked = query.length ? this.#rank(query, options.source) : [];
    const best = ranked[0];
    if (!best || best.coverage < MIN_COVERAGE) {
      return { question, answered: false, results: [], suggestions: this.suggestions(asked) };
    }
    const merged = mergeDuplicates(
      ranked.filter((r) => r.score >= best.score * MIN_RELATIVE_SCORE),
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
    const wanted = new Set(this.#analyzer.query(question).map((q) => q.term));
    const scored = this.documents.map((doc) => ({
      title: doc.source.title,
      score: [...(this.#titleTerms.get(doc) ?? [])].filter((t) => wanted.has(t)).length,
    }));
    return scored
      .sort((a, b) => b.score - a.score)
      .slice(0, limit)
      .map((s) => s.title);
  }

  #options() {
    return {
      fields: ["text", "title"],
      tokenize: (text: string, field?: string) => this.#indexTerms(text, field),
      processTerm: (term: string) => term,
      searchOptions: {
        tokenize: (text: string) => text.split(" "),
        processTerm: (term: string) => term,
        boost: { title: TITLE_BOOST },
      },
    };
  }

  /** Cuts a document into passages and records them; returns the rows to index. */
  #register(doc: CorpusDocument): IndexedPassage[] {
    this.#addDocument(doc);
    return cutPassages(doc.text).map((cut, index) => {
      const entry = {
        key: this.#nextKey++,
        id: passageId(doc, index, cut.text),
        doc,
        index,
        start: cut.start,
        end: cut.end,
      };
      this.#addEntry(entry);
      return { id: entry.key, text: cut.text, title: doc.source.title };
    });
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
      this.#search.discard(entry.key);
      this.#entries.delete(entry.key);
      this.#byId.delete(entry.id);
      for (const term of new Set(terms(entryText(entry)))) {
        const n = (this.#documentFrequency.get(term) ?? 1) - 1;
        if (n > 0) this.#documentFrequency.set(term, n);
        else this.#documentFrequency.delete(term);
      }
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
    const out = terms(text);
    if (field === "text") {
      for (const term of new Set(out))
        this.#documentFrequency.set(term, (this.#documentFrequency.get(term) ?? 0) + 1);
    }
    return out;
  }

  /** Rarer terms matter more when judging whether a passage answers the question. */
  #weight(term: string): number {
    const df = this.#documentFrequency.get(term) ?? 0;
    return Math.log(1 + (this.#entries.size + 1) / (df + 0.5));
  }

  /**
   * Adds what the corpus itself says a term also means: the name an acronym stands for
   * (NSC = National Security Council) and the demonym of a place (Panama = Panamanian).
   */
  #expand(q: QueryTerm): QueryTerm {
    const extra: string[][] = [];
    const name = this.#acronyms.get(q.term)?.values().next().value;
    if (name) extra.push(name);
    for (const form of relatedForms(q.term)) {
      if (this.#documentFrequency.has(form)) extra.push([form]);
    }
    return extra.length ? { term: q.term, alternatives: [...q.alternatives, ...extra] } : q;
  }

  #rank(query: QueryTerm[], source?: string): Ranked[] {
    const doc =
      source === undefined ? undefined : this.documents.find((d) => d.source.id === source);
    if (source !== undefined && !doc) return [];
    const filter = doc ? (r: SearchResult) => this.#entries.get(r.id)?.doc === doc : undefined;
    const results = this.#search.search(
      toMiniSearchQuery(query, (t) => this.#documentFrequency.get(t) ?? 0),
      filter ? { filter } : {},
    );
    const total = query.reduce((sum, q) => sum + this.#weight(q.term), 0);
    return results
      .slice(0, CANDIDATES)
      .flatMap((r) => {
        const entry = this.#entries.get(r.id);
        if (!entry) return [];
        const found = new Set(terms(entryText(entry)));
        for (const term of this.#titleTerms.get(entry.doc) ?? []) found.add(term);
        const covered = query.filter((q) => covers(q, found));
        const coverage = covered.reduce((sum, q) => sum + this.#weight(q.term), 0) / total;
        return [{ entry, score: r.score * coverage ** 2, coverage }];
      })
      .sort((a, b) => b.score - a.score);
  }

  #result(r: Merged, query: QueryTerm[]): Result {
    const quote = entryText(r.entry);
    const highlight = keySentence(quote, query, (t) => this.#weight(t));
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

function passageId(doc: CorpusDocument, index: number, text: string): string {
  return `${doc.source.id}:${index}:${shortHash(text)}`;
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

/** Place name and demonym of each other: venezuela/venezuelan, mexico/mexican, panama/panamanian. */
function relatedForms(term: string): string[] {
  if (!/^\p{L}{4,}$/u.test(term)) return [];
  const forms = DEMONYM_SUFFIXES.flatMap((suffix) => [term + suffix, term.slice(0, -1) + suffix]);
  for (const suffix of DEMONYM_SUFFIXES) {
    const base = term.slice(0, -suffix.length);
    if (term.endsWith(suffix) && base.length >= 4) forms.push(base, `${base}o`, `${base}a`);
  }
  return forms.filter((f) => f !== term);
}

function covers(q: QueryTerm, matched: Set<string>): boolean {
  return matched.has(q.term) || q.alternatives.some((alt) => alt.every((t) => matched.has(t)));
}

/**
 * Each question term OR its synonyms; phrases among synonyms must match all their words.
 * On a large corpus, terms in more than MAX_RETRIEVAL_POSTINGS passages are left out of
 * the search (scoring their postings is most of the time and they tell little apart);
 * coverage still counts them. If that would leave nothing, the two rarest terms stay.
 */
function toMiniSearchQuery(query: QueryTerm[], frequency: (term: string) => number): Query {
  const rare = (words: string[]) => words.every((t) => frequency(t) <= MAX_RETRIEVAL_POSTINGS);
  let own = query.map((q) => q.term).filter((t) => rare([t]));
  if (own.length === 0) {
    own = query
      .map((q) => q.term)
      .sort((a, b) => frequency(a) - frequency(b))
      .slice(0, 2);
  }
  const synonyms: Query[] = query.flatMap((q) =>
    q.alternatives
      .filter(rare)
      .map((alt) => (alt.length === 1 ? (alt[0] as string) : { combineWith: "AND", queries: alt })),
  );
  const terms: Query = { combineWith: "OR", queries: own };
  if (synonyms.length === 0) return terms;
  return {
    combineWith: "OR",
    queries: [
      terms,
      {
        combineWith: "OR",
        queries: synonyms,
        boost: { text: SYNONYM_BOOST, title: SYNONYM_BOOST * TITLE_BOOST },
      },
    ],
  };
}

/** The sentence carrying the most question weight; none when the quote is one sentence. */
function keySentence(
  quote: string,
  query: QueryTerm[],
  weight: (t: string) => number,
): string | undefined {
  const spans = sentences(quote);
  if (spans.length < 2) return undefined;
  let best: string | undefined;
  let bestScore = 0;
  for (const span of spans) {
    const sentence = quote.slice(span.start, span.end);
    const found = new Set(terms(sentence));
    const score = query.filter((q) => covers(q, found)).reduce((s, q) => s + weight(q.term), 0);
    if (score > bestScore) {
      best = sentence;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Passages of different documents that share most of their word 5-grams are the same
 * wire copy or statement quoted by several outlets: the best-ranked one stays and cites
 * the others. Duplicates rank next to each other, so comparing the candidates suffices.
 */
function mergeDuplicates(ranked: readonly Ranked[]): Merged[] {
  const out: (Merged & { shingles: Set<string> })[] = [];
  for (const r of ranked) {
    const shingles = shinglesOf(entryText(r.entry));
    const twin = out.find((m) => m.entry.doc !== r.entry.doc && overlaps(m.shingles, shingles));
    if (!twin) {
      out.push({ ...r, also: [], shingles });
    } else if (
      r.entry.doc.source !== twin.entry.doc.source &&
      !twin.also.includes(r.entry.doc.source)
    ) {
      twin.also.push(r.entry.doc.source);
    }
  }
  return out;
}

function overlaps(a: Set<string>, b: Set<string>): boolean {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  if (small.size === 0) return false;
  let shared = 0;
  for (const s of small) if (large.has(s)) shared++;
  return (
    shared >= Math.min(MIN_SHARED_SHINGLES, small.size) &&
    shared / small.size >= DUPLICATE_CONTAINMENT
  );
}

function shinglesOf(text: string): Set<string> {
  const words = tokenize(text);
  const out = new Set<string>();
  for (let i = 0; i + SHINGLE <= words.length; i++) out.add(words.slice(i, i + SHINGLE).join(" "));
  return out;
}

function shortHash(text: string): string {
  return createHash("sha1").update(text).digest("hex").slice(0, 6);
}

function clampInt(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.trunc(value))) : min;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
