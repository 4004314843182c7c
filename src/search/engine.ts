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

export class SearchIndex {
  readonly documents: readonly CorpusDocument[];
  readonly passages: readonly Passage[];
  readonly #analyzer: Analyzer;
  readonly #search: MiniSearch<IndexedPassage>;
  readonly #documentFrequency = new Map<string, number>();
  readonly #byId = new Map<string, number>();
  readonly #byDocument: number[][];
  readonly #duplicates: Map<number, number[]>;
  readonly #acronyms = new Map<string, string[]>();

  constructor(documents: readonly CorpusDocument[], analyzer: Analyzer) {
    this.documents = documents;
    this.#analyzer = analyzer;
    this.passages = documents.flatMap((doc, d) =>
      cutPassages(doc.text).map((cut, index) => ({
        id: `${doc.source.id}:${index}:${shortHash(cut.text)}`,
        doc: d,
        index,
        start: cut.start,
        end: cut.end,
      })),
    );
    this.#byDocument = documents.map(() => []);
    this.passages.forEach((p, i) => {
      this.#byId.set(p.id, i);
      this.#byDocument[p.doc]?.push(i);
    });
    this.#search = new MiniSearch<IndexedPassage>({
      fields: ["text", "title"],
      tokenize: (text, field) => this.#indexTerms(text, field),
      processTerm: (term) => term,
      searchOptions: {
        tokenize: (text) => text.split(" "),
        processTerm: (term) => term,
        boost: { title: TITLE_BOOST },
      },
    });
    this.#search.addAll(
      this.passages.map((p, id) => ({ id, text: this.text(p), title: this.#source(p).title })),
    );
    this.#duplicates = findDuplicates(
      this.passages.map((p) => this.text(p)),
      this.passages,
    );
    for (const doc of documents) {
      for (const [acronym, name] of acronymsIn(doc.text)) {
        if (!this.#acronyms.has(acronym)) this.#acronyms.set(acronym, name);
      }
    }
  }

  get size(): number {
    return this.passages.length;
  }

  text(passage: Passage): string {
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
    const merged = this.#merge(ranked.filter((r) => r.score >= best.score * MIN_RELATIVE_SCORE));
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
    const at = this.#byId.get(passageId);
    if (at === undefined) return null;
    const passage = this.passages[at] as Passage;
    const siblings = this.#byDocument[passage.doc] ?? [];
    const neighbour = (offset: number) => {
      const i = siblings[passage.index + offset];
      return i === undefined ? [] : [this.text(this.passages[i] as Passage)];
    };
    const before: string[] = [];
    const after: string[] = [];
    for (let r = radius; r >= 1; r--) before.push(...neighbour(-r));
    for (let r = 1; r <= radius; r++) after.push(...neighbour(r));
    return { passage, source: this.#source(passage), text: this.text(passage), before, after };
  }

  passageCount(docId: string): number {
    const d = this.documents.findIndex((doc) => doc.source.id === docId);
    return d < 0 ? 0 : (this.#byDocument[d]?.length ?? 0);
  }

  /** Titles of the documents closest to the question, else the first titles. */
  suggestions(question: string, limit = 3): string[] {
    const scores = new Map<number, number>();
    for (const { term } of this.#analyzer.query(question)) {
      this.documents.forEach((doc, d) => {
        if (terms(doc.source.title).includes(term)) scores.set(d, (scores.get(d) ?? 0) + 1);
      });
    }
    const order = this.documents
      .map((_, d) => d)
      .sort((a, b) => (scores.get(b) ?? 0) - (scores.get(a) ?? 0));
    return order.slice(0, limit).map((d) => (this.documents[d] as CorpusDocument).source.title);
  }

  #source(p: Passage): Source {
    return (this.documents[p.doc] as CorpusDocument).source;
  }

  #indexTerms(text: string, field?: string): string[] {
    const out = terms(text);
    if (field === "text") for (const term of new Set(out)) this.#count(term);
    return out;
  }

  #count(term: string): void {
    this.#documentFrequency.set(term, (this.#documentFrequency.get(term) ?? 0) + 1);
  }

  /** Rarer terms matter more when judging whether a passage answers the question. */
  #weight(term: string): number {
    const df = this.#documentFrequency.get(term) ?? 0;
    return Math.log(1 + (this.passages.length + 1) / (df + 0.5));
  }

  /**
   * Adds what the corpus itself says a term also means: the name an acronym stands for
   * (NSC = National Security Council) and the demonym of a place (Panama = Panamanian).
   */
  #expand(q: QueryTerm): QueryTerm {
    const extra: string[][] = [];
    const name = this.#acronyms.get(q.term);
    if (name) extra.push(name);
    for (const form of relatedForms(q.term)) {
      if (this.#documentFrequency.has(form)) extra.push([form]);
    }
    return extra.length ? { term: q.term, alternatives: [...q.alternatives, ...extra] } : q;
  }

  #rank(query: QueryTerm[], source?: string): Ranked[] {
    const doc = source === undefined ? -1 : this.documents.findIndex((d) => d.source.id === source);
    if (source !== undefined && doc < 0) return [];
    const filter = doc < 0 ? undefined : (r: SearchResult) => this.passages[r.id]?.doc === doc;
    const results = this.#search.search(toMiniSearchQuery(query), filter ? { filter } : {});
    const total = query.reduce((sum, q) => sum + this.#weight(q.term), 0);
    return results
      .slice(0, CANDIDATES)
      .map((r) => {
        const matched = new Set(r.queryTerms);
        const covered = query.filter((q) => covers(q, matched));
        const coverage = covered.reduce((sum, q) => sum + this.#weight(q.term), 0) / total;
        return { at: r.id as number, score: r.score * coverage ** 2, coverage };
      })
      .sort((a, b) => b.score - a.score);
  }

  #merge(ranked: Ranked[]): Merged[] {
    const out: Merged[] = [];
    const taken = new Map<number, Merged>();
    for (const r of ranked) {
      const holder = taken.get(r.at);
      if (holder) continue;
      const merged: Merged = { ...r, also: [] };
      out.push(merged);
      taken.set(r.at, merged);
      for (const dup of this.#duplicates.get(r.at) ?? []) {
        if (taken.has(dup)) continue;
        taken.set(dup, merged);
        const source = this.#source(this.passages[dup] as Passage);
        const own = this.#source(this.passages[r.at] as Passage);
        if (source !== own && !merged.also.includes(source)) merged.also.push(source);
      }
    }
    return out;
  }

  #result(r: Merged, query: QueryTerm[]): Result {
    const passage = this.passages[r.at] as Passage;
    const quote = this.text(passage);
    const highlight = keySentence(quote, query, (t) => this.#weight(t));
    return {
      quote,
      passage: passage.id,
      score: round(r.score),
      source: this.#source(passage),
      ...(r.also.length ? { also: r.also } : {}),
      ...(highlight ? { highlight } : {}),
    };
  }
}

interface Ranked {
  at: number;
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

/** Each question term OR its synonyms; phrases among synonyms must match all their words. */
function toMiniSearchQuery(query: QueryTerm[]): Query {
  const synonyms: Query[] = query.flatMap((q) =>
    q.alternatives.map((alt) =>
      alt.length === 1 ? (alt[0] as string) : { combineWith: "AND", queries: alt },
    ),
  );
  const own: Query = { combineWith: "OR", queries: query.map((q) => q.term) };
  if (synonyms.length === 0) return own;
  return {
    combineWith: "OR",
    queries: [
      own,
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
 * Passages of different documents that share most of their word 5-grams: the same wire
 * copy or statement quoted by several outlets. Sampled shingles keep memory small.
 */
function findDuplicates(
  texts: readonly string[],
  passages: readonly Passage[],
): Map<number, number[]> {
  const byShingle = new Map<string, number[]>();
  const shingleCounts = texts.map((text, i) => {
    const shingles = sampledShingles(text);
    for (const s of shingles) {
      const list = byShingle.get(s);
      if (list) list.push(i);
      else byShingle.set(s, [i]);
    }
    return shingles.size;
  });
  const duplicates = new Map<number, number[]>();
  texts.forEach((_, i) => {
    const shared = new Map<number, number>();
    for (const s of sampledShingles(texts[i] as string)) {
      for (const j of byShingle.get(s) ?? []) {
        if (passages[j]?.doc !== passages[i]?.doc) shared.set(j, (shared.get(j) ?? 0) + 1);
      }
    }
    for (const [j, n] of shared) {
      const smaller = Math.min(shingleCounts[i] as number, shingleCounts[j] as number);
      if (n >= Math.min(MIN_SHARED_SHINGLES, smaller) && n / smaller >= DUPLICATE_CONTAINMENT) {
        duplicates.set(i, [...(duplicates.get(i) ?? []), j]);
      }
    }
  });
  return duplicates;
}

function sampledShingles(text: string): Set<string> {
  const words = tokenize(text);
  const out = new Set<string>();
  for (let i = 0; i + SHINGLE <= words.length; i++) {
    const shingle = words.slice(i, i + SHINGLE).join(" ");
    if (shortHash(shingle).charCodeAt(0) % 2 === 0) out.add(shingle);
  }
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
