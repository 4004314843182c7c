import MiniSearch, { type Options } from "minisearch";
import type { CorpusDocument } from "../corpus/load.ts";
import { cutPassages } from "../corpus/passages.ts";
import { type Analyzer, acronymsIn, fold, type QueryTerm, terms } from "../text/analyzer.ts";
import { MAX_QUESTION_LENGTH } from "../text/limits.ts";
import { BoundedMemo } from "../text/memo.ts";
import { englishZipf } from "../text/word-weights.ts";
import {
  type Answer,
  type AnswerOptions,
  DEFAULT_K,
  MAX_K,
  type Passage,
  type PassageContext,
  type Result,
} from "./answer.ts";
import { type AnswerShape, answerShape } from "./answer-shapes.ts";
import { type Entry, entryText, hashOf, passageId, shortHash } from "./entries.ts";
import {
  type Correction,
  corpusForms,
  correction,
  coveredWeight,
  type Expansion,
  type WeightedTerm,
  weighted,
  withAlternatives,
} from "./expansion.ts";
import { entrySentences, keySentence, type Sentence } from "./highlight.ts";
import { diversify, entryShingles, type Merged, mergeDuplicates, type Ranked } from "./merge.ts";
import { holdersOf, loadPostings, postingCount, savePostings, wordsHeld } from "./postings.ts";
import { DEFAULT_RANKING, type RankingOptions } from "./ranking.ts";
import { type DateRange, dateRange, freshness } from "./recency.ts";
import { GATED_PASSAGES, retrieval } from "./retrieval.ts";
import type { SavedPostings } from "./saved-postings.ts";
import { type Boosts, Scorer } from "./scoring.ts";

/**
 * The search index over one corpus: passages in MiniSearch, ranking by BM25 re-weighted
 * by how much of the question a passage covers, an abstain gate, and merging of
 * near-duplicate passages (the same wire copy in several outlets).
 */

const CANDIDATES = 40;
function boosts(ranking: RankingOptions): Boosts {
  return {
    terms: { text: 1, title: ranking.titleBoost },
    synonyms: { text: ranking.synonymBoost, title: ranking.synonymBoost * ranking.titleBoost },
  };
}
// Passages whose 5-grams and sentences are remembered: all of a small corpus, the most
// asked-about of a large one (a few kB each).
const REMEMBERED_PASSAGES = 4096;
const REMEMBERED_TERMS = 50_000;

interface IndexedPassage {
  id: number;
  text: string;
  title: string;
}

/** Everything needed to restore an index without re-reading or re-indexing the corpus. */
export interface IndexSnapshot {
  documents: CorpusDocument[];
  /** `hash` is the text's part of the passage id, checked against the text when restored. */
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
  readonly #ranking: RankingOptions;
  readonly #search: MiniSearch<IndexedPassage>;
  readonly #scorer: Scorer<IndexedPassage>;
  readonly #documents = new Map<string, CorpusDocument>();
  /** Documents by source id, so a request naming one finds it without scanning the corpus. */
  readonly #bySource = new Map<string, CorpusDocument>();
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
  readonly #corrections = new BoundedMemo<string, Correction>(REMEMBERED_TERMS);
  readonly #shingles = new BoundedMemo<Entry, Set<number>>(REMEMBERED_PASSAGES);
  readonly #sentences = new BoundedMemo<Entry, Sentence[]>(REMEMBERED_PASSAGES);
  #lastTitle: { text: string; terms: string[] } | undefined;
  #sortedDocuments: CorpusDocument[] | null = null;
  /** The publication times of the oldest and newest dated documents (ms), worked out once. */
  #dateRange: DateRange | undefined;

  /** `open` makes the index from the engine's options: empty, or loaded from a snapshot. */
  private constructor(
    analyzer: Analyzer,
    ranking: RankingOptions,
    open: (options: Options<IndexedPassage>) => MiniSearch<IndexedPassage> = (options) =>
      new MiniSearch(options),
  ) {
    this.#analyzer = analyzer;
    this.#ranking = ranking;
    this.#search = open(this.#options());
    this.#scorer = new Scorer(this.#search, boosts(ranking));
  }

  /** Builds an index, yielding to the event loop between chunks so a live bot keeps answering. */
  static async build(
    documents: readonly CorpusDocument[],
    analyzer: Analyzer,
    ranking: RankingOptions = DEFAULT_RANKING,
  ): Promise<SearchIndex> {
    const index = new SearchIndex(analyzer, ranking);
    const rows = documents.flatMap((doc) => index.#register(doc));
    await index.#search.addAllAsync(rows, { chunkSize: BUILD_CHUNK });
    return index;
  }

  /** Restores a saved index; throws if the snapshot does not hold together. */
  static restore(
    snapshot: IndexSnapshot,
    analyzer: Analyzer,
    ranking: RankingOptions = DEFAULT_RANKING,
  ): SearchIndex {
    const keys = new Set(snapshot.passages.map((row) => row[0]));
    const index = new SearchIndex(analyzer, ranking, (options) =>
      loadPostings(snapshot, keys, options),
    );
    const byFile = new Map(snapshot.documents.map((doc) => [doc.file, doc]));
    const acronyms = new Map(snapshot.acronyms.map(([file, list]) => [file, new Map(list)]));
    for (const doc of snapshot.documents) index.#addDocument(doc, acronyms.get(doc.file));
    for (const row of snapshot.passages) {
      const [key, file, position, start, end, hash] = row;
      const doc = byFile.get(file);
      const numbers = [key, position, start, end].every(Number.isInteger);
      const fits =
        doc !== undefined && numbers && start >= 0 && start < end && end <= doc.text.length;
      // The id carries the hash of the passage's text: a passage is the text its id names.
      if (!fits || hash !== shortHash(doc.text.slice(start, end))) {
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
    if (index.#entries.size !== snapshot.passages.length) {
      throw new Error("two passages share a key");
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
      this.#corrections,
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
    const asked = question.slice(0, MAX_QUESTION_LENGTH);
    const shape = answerShape(asked);
    // The English words misspelt question terms were meant as: term → its Zipf frequency.
    const meant = new Map<string, number>();
    const query = this.#analyzer
      .query(asked, (token, term) => {
        const corrected = this.#spelling(token, term);
        if (corrected.zipf) meant.set(term, corrected.zipf);
        return corrected.terms;
      })
      .filter((q) => q.term !== shape?.measure)
      .map((q) =>
        this.#expand(
          withAlternatives(q, options.alternatives),
          englishZipf(q.term) || (meant.get(q.term) ?? 0),
        ),
      );
    const ranked = query.length ? this.#rank(query, options.source, shape) : [];
    const best = ranked[0];
    if (!best || best.coverage < (options.minCoverage ?? this.#ranking.minCoverage)) {
      return { question, answered: false, results: [], suggestions: this.suggestions(asked) };
    }
    // One passage past the page tells whether there is more.
    const merged = mergeDuplicates(
      diversify(
        ranked.filter((r) => r.score >= best.score * this.#ranking.minRelativeScore),
        this.#ranking.sameDocument,
      ),
      (entry) => this.#shingles.get(entry, entryShingles),
      offset + k + 1,
    );
    const page = merged.slice(offset, offset + k);
    return {
      question,
      answered: page.length > 0,
      results: page.map((r) => this.#result(r, query, shape)),
      ...(page.length === 0 ? { suggestions: this.suggestions(asked) } : {}),
      more: merged.length > offset + k,
      ...(page.length > 0 && best.coverage < this.#ranking.confidentCoverage
        ? { uncertain: true as const }
        : {}),
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
    const doc = this.#bySource.get(docId);
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
    this.#bySource.set(doc.source.id, doc);
    this.#byDocument.set(doc, []);
    for (const [acronym, name] of known ?? acronymsIn(doc.text)) {
      const spelled = this.#acronyms.get(acronym) ?? new Map<CorpusDocument, string[]>();
      spelled.set(doc, name);
      this.#acronyms.set(acronym, spelled);
    }
    this.#titleTerms.set(doc, new Set(terms(doc.source.title)));
    this.#sortedDocuments = null;
    this.#dateRange = undefined;
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
    if (this.#bySource.get(doc.source.id) === doc) this.#bySource.delete(doc.source.id);
    this.#sortedDocuments = null;
    this.#dateRange = undefined;
  }

  #indexTerms(text: string, field?: string): string[] {
    if (field === "title") {
      // Every passage of a document carries its title, and they are indexed one after another.
      if (this.#lastTitle?.text !== text) this.#lastTitle = { text, terms: terms(text) };
      return this.#lastTitle.terms;
    }
    return terms(text);
  }

  /** The correction of a misspelt question word (see `correction`), worked out once per word. */
  #spelling(token: string, term: string): Correction {
    return this.#corrections.get(token, () =>
      correction(token, term, this.#ranking.spelling, (t) => this.#frequency(t)),
    );
  }

  /** How rare a term is in the corpus: rarer terms matter more. */
  #idf(term: string): number {
    const df = this.#frequency(term);
    return Math.log(1 + (this.#entries.size + 1) / (df + 0.5));
  }

  /**
   * Adds what the corpus itself says a term also means: the name an acronym stands for
   * (NSC = National Security Council) and the demonym of a place (Panama = Panamanian).
   * The term's weight comes along, worked out once per term (see #expansions), not per candidate.
   */
  #expand(q: QueryTerm, zipf: number): WeightedTerm {
    const expansion = this.#expansions.get(q.term, (term) => ({
      extra: corpusForms(term, this.#acronyms.get(term)?.values().next().value, (t) =>
        this.#frequency(t),
      ),
      idf: this.#idf(term),
    }));
    return weighted(q, expansion, zipf, this.#ranking.english);
  }

  #rank(query: WeightedTerm[], source?: string, shape?: AnswerShape | null): Ranked[] {
    const doc = source === undefined ? undefined : this.#bySource.get(source);
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
      const covered = (own + this.#ranking.titleCoverage * (any - own)) / total;
      const shaped = shape?.passage.test(fold(entryText(entry))) ? this.#ranking.shapeBoost : 1;
      const score = r.score * covered ** 2 * shaped * this.#freshness(entry.doc);
      ranked.push({ entry, score, coverage: any / total });
    }
    return ranked.sort((a, b) => b.score - a.score);
  }

  /** A document's freshness factor (see `freshness`), against the corpus's dates. */
  #freshness(doc: CorpusDocument): number {
    this.#dateRange ??= dateRange(this.#documents.values());
    return freshness(doc.source.published, this.#dateRange, this.#ranking.recency);
  }

  #result(r: Merged, query: WeightedTerm[], shape: AnswerShape | null): Result {
    const quote = entryText(r.entry);
    const sentences = this.#sentences.get(r.entry, entrySentences);
    const highlight = keySentence(sentences, query, shape, this.#ranking.shapeBoost);
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

function clampInt(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.trunc(value))) : min;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
