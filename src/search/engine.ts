import MiniSearch, { type Options } from "minisearch";
import type { CorpusDocument } from "../corpus/load.ts";
import { type Analyzer, fold } from "../text/analyzer.ts";
import type { Language } from "../text/language.ts";
import { MAX_QUESTION_LENGTH } from "../text/limits.ts";
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
import { passageCoverage } from "./coverage.ts";
import { type Entry, entryText } from "./entries.ts";
import type { WeightedTerm } from "./expansion.ts";
import { type IndexedPassage, indexedPassage, indexOptions } from "./fields.ts";
import { Generation } from "./generation.ts";
import { entrySentences, keySentence } from "./highlight.ts";
import { diversify, entryShingles, type Merged, mergeDuplicates, type Ranked } from "./merge.ts";
import {
  holdersOf,
  loadPostings,
  postingCount,
  savePostings,
  wordHolder,
  wordsHeld,
} from "./postings.ts";
import { byProximity } from "./proximity.ts";
import { readQuestion } from "./question.ts";
import { DEFAULT_RANKING, type RankingOptions } from "./ranking.ts";
import { PassageRegistry, type SavedPassages } from "./registry.ts";
import { GATED_PASSAGES, retrieval } from "./retrieval.ts";
import type { SavedPostings } from "./saved-postings.ts";

const CANDIDATES = 40;

/** Everything needed to restore an index without re-reading or re-indexing the corpus. */
export interface IndexSnapshot extends SavedPassages {
  /** MiniSearch's serialization without its postings, which are in `postings`. */
  search: unknown;
  postings: SavedPostings;
  /** Boilerplate lines of the corpus, so the next reload can reuse cleaned documents. */
  common: string[];
  /** Each file's short-line keys by file hash, so the next reload need not read every page's lines. */
  lineKeys: [hash: string, keys: string[]][];
}

const BUILD_CHUNK = 2000;

/**
 * The search index over one corpus: passages in MiniSearch, ranking by BM25 re-weighted
 * by how much of the question a passage covers, an abstain gate, and merging of
 * near-duplicate passages (the same wire copy in several outlets).
 */
export class SearchIndex {
  #analyzer: Analyzer;
  readonly #ranking: RankingOptions;
  readonly #search: MiniSearch<IndexedPassage>;
  readonly #registry = new PassageRegistry();
  /** What is remembered about the corpus as it is now; replaced whole on every update. */
  #remembered: Generation;

  /** `open` makes the index from the engine's options: empty, or loaded from a snapshot. */
  private constructor(
    analyzer: Analyzer,
    ranking: RankingOptions,
    open: (options: Options<IndexedPassage>) => MiniSearch<IndexedPassage> = (options) =>
      new MiniSearch(options),
  ) {
    this.#analyzer = analyzer;
    this.#ranking = ranking;
    this.#search = open(indexOptions(ranking.bm25));
    this.#remembered = this.#generation();
  }

  /** Builds an index, yielding to the event loop between chunks so a live bot keeps answering. */
  static async build(
    documents: readonly CorpusDocument[],
    analyzer: Analyzer,
    ranking: RankingOptions = DEFAULT_RANKING,
  ): Promise<SearchIndex> {
    const index = new SearchIndex(analyzer, ranking);
    const rows = documents.flatMap((doc) => index.#registry.register(doc));
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
    index.#registry.restore(snapshot);
    return index;
  }

  /** What `restore` needs, less the corpus reader's part of a snapshot. */
  snapshot(): Omit<IndexSnapshot, "common" | "lineKeys"> {
    return {
      ...this.#registry.save(),
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
    for (const doc of change.removed) {
      for (const entry of this.#registry.remove(doc)) {
        // Removed, not discarded: a discarded passage's postings stay until MiniSearch cleans
        // them up, and the postings' sizes are the term counts the ranking reads.
        this.#search.remove(indexedPassage(entry.key, entryText(entry), doc));
      }
    }
    const rows = change.added.flatMap((doc) => this.#registry.register(doc));
    this.#search.addAll(rows);
    this.#analyzer = change.analyzer;
    this.#remembered = this.#generation();
  }

  #generation(): Generation {
    return new Generation(this.#search, this.#ranking, () => this.documents);
  }

  get documents(): readonly CorpusDocument[] {
    return this.#registry.documents;
  }

  /** Every passage, in document order; `doc` is the position in `documents`. */
  get passages(): Passage[] {
    return this.#registry.passages;
  }

  get size(): number {
    return this.#registry.size;
  }

  /** The languages the documents are written in. */
  get languages(): ReadonlySet<Language> {
    return this.#registry.languages;
  }

  text(passage: { doc: number; start: number; end: number }): string {
    return (this.documents[passage.doc] as CorpusDocument).text.slice(passage.start, passage.end);
  }

  /** The passages that answer a question, quoted and cited, or suggestions when none does. */
  answer(question: string, options: AnswerOptions = {}): Answer {
    const k = clampInt(options.k ?? DEFAULT_K, 1, MAX_K);
    const offset = clampInt(options.offset ?? 0, 0, CANDIDATES);
    const asked = question.slice(0, MAX_QUESTION_LENGTH);
    const shape = answerShape(asked);
    const query = readQuestion(asked, shape, options, {
      analyzer: this.#analyzer,
      ranking: this.#ranking,
      remembered: this.#remembered,
      passages: this.#registry,
      frequency: (term) => postingCount(this.#search, term, "text"),
    });
    const ranked = query.length
      ? this.#rank(query, options.language ?? "en", options.source, shape)
      : [];
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
      (entry) => this.#remembered.shingles.get(entry, entryShingles),
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
    return this.#registry.context(passageId, radius);
  }

  passageCount(docId: string): number {
    return this.#registry.passageCount(docId);
  }

  /** Titles of the documents closest to the question, else the first titles. */
  suggestions(question: string, limit = 3): string[] {
    const wanted = [...new Set(this.#analyzer.query(question).map((q) => q.term))];
    return this.#registry.closestTitles(wanted, limit);
  }

  /** How many postings searching a term scores: its passages and its titles' passages. */
  #postings(term: string): number {
    return this.#remembered.postingCounts.get(term, (t) => postingCount(this.#search, t));
  }

  /**
   * Whether a passage has the shape a question asks for; for a shape that is the same whatever
   * the question (a quantity, a time, a measure), worked out once per passage.
   */
  #hasShape(entry: Entry, shape: AnswerShape): boolean {
    const test = () => shape.passage.test(fold(entryText(entry)));
    return shape.kind ? this.#remembered.shapes.get(`${shape.kind}:${entry.key}`, test) : test();
  }

  /**
   * The passages that best answer the query. In a corpus of several languages, a question
   * read in one language searches the passages written in it.
   */
  #rank(
    query: WeightedTerm[],
    language: Language,
    source?: string,
    shape?: AnswerShape | null,
  ): Ranked[] {
    const doc = source === undefined ? undefined : this.#registry.document(source);
    if (source !== undefined && !doc) return [];
    const plan = retrieval(query, (t) => this.#postings(t));
    const { freshness, scorer, sentences } = this.#remembered;
    const holders = plan.within.length
      ? holdersOf(this.#search, plan.within, GATED_PASSAGES)
      : undefined;
    const only = this.#registry.languages.size > 1 ? language : undefined;
    const allowed =
      doc || holders || only
        ? (key: number) => (!holders || holders.has(key)) && this.#registry.admits(key, doc, only)
        : undefined;
    const results = scorer.score(plan, allowed, CANDIDATES);
    const words = query.flatMap((q) => [q.term, ...q.alternatives.flat()]);
    // Scoring reports which searched terms a passage holds; terms left out of the search
    // are looked up in their postings.
    const held = plan.complete ? undefined : wordsHeld(this.#search, words);
    const textHolds = wordHolder(this.#search, words, "text");
    const ranked: Ranked[] = [];
    for (const r of results) {
      const entry = this.#registry.entry(r.key);
      if (!entry) continue;
      const context = this.#registry.neighbours(entry, this.#ranking.context.radius);
      const coverage = passageCoverage(
        query,
        {
          own: { has: (word) => textHolds(word, r.key) },
          withTitle: held ? held(r.key) : r.terms,
          around: (word) => context.some((n) => textHolds(word, n.key)),
        },
        this.#ranking,
      );
      const shaped = shape && this.#hasShape(entry, shape) ? this.#ranking.shapeBoost : 1;
      const fresh = freshness.get(entry.doc) ?? 1;
      const score = r.score * coverage.ranking ** 2 * shaped * fresh;
      ranked.push({ entry, score, coverage: coverage.gate });
    }
    ranked.sort((a, b) => b.score - a.score);
    return byProximity(ranked, query, this.#ranking.proximity, (r) => ({
      holds: (term) => textHolds(term, r.entry.key),
      sentences: () => sentences.get(r.entry, entrySentences),
    }));
  }

  #result(r: Merged, query: WeightedTerm[], shape: AnswerShape | null): Result {
    const quote = entryText(r.entry);
    const sentences = this.#remembered.sentences.get(r.entry, entrySentences);
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
