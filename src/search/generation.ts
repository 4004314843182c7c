import type MiniSearch from "minisearch";
import type { CorpusDocument } from "../corpus/load.ts";
import { BoundedMemo } from "../text/memo.ts";
import type { Entry } from "./entries.ts";
import type { Correction, Expansion } from "./expansion.ts";
import type { IndexedPassage } from "./fields.ts";
import type { Sentence } from "./highlight.ts";
import { boosts, type RankingOptions } from "./ranking.ts";
import { freshnessFactors } from "./recency.ts";
import { Scorer } from "./scoring.ts";

// Passages whose 5-grams and sentences are remembered: all of a small corpus, the most
// asked-about of a large one (a few kB each).
const REMEMBERED_PASSAGES = 4096;
const REMEMBERED_TERMS = 50_000;

/**
 * What the index works out from one state of its corpus and remembers for the questions that
 * follow (the same terms and passages come up question after question). The index replaces it
 * whole whenever the corpus changes, so nothing remembered outlives the passages it came from.
 */
export class Generation {
  /** Per term: what the corpus adds to it (acronyms, demonyms) and its rarity. */
  readonly expansions = new BoundedMemo<string, Expansion>(REMEMBERED_TERMS);
  /** Per term: how many postings searching it scores. */
  readonly postingCounts = new BoundedMemo<string, number>(REMEMBERED_TERMS);
  /** Per question word: what it was meant as, if it is a slip. */
  readonly corrections = new BoundedMemo<string, Correction>(REMEMBERED_TERMS);
  /** Per answer shape and passage key: whether the passage has that shape. */
  readonly shapes = new BoundedMemo<string, boolean>(REMEMBERED_TERMS);
  /** Per passage: its 5-grams, for duplicate merging. */
  readonly shingles = new BoundedMemo<Entry, Set<number>>(REMEMBERED_PASSAGES);
  /** Per passage: its sentences, for proximity and highlighting. */
  readonly sentences = new BoundedMemo<Entry, Sentence[]>(REMEMBERED_PASSAGES);
  /** Scores the passages, remembering each term's scores. */
  readonly scorer: Scorer<IndexedPassage>;
  readonly #documents: () => readonly CorpusDocument[];
  readonly #recency: number;
  #freshness: Map<CorpusDocument, number> | undefined;

  constructor(
    search: MiniSearch<IndexedPassage>,
    ranking: RankingOptions,
    documents: () => readonly CorpusDocument[],
  ) {
    this.scorer = new Scorer(search, boosts(ranking));
    this.#documents = documents;
    this.#recency = ranking.recency;
  }

  /** Each dated document's freshness factor (see freshnessFactors), worked out on first use. */
  get freshness(): ReadonlyMap<CorpusDocument, number> {
    this.#freshness ??= freshnessFactors(this.#documents(), this.#recency);
    return this.#freshness;
  }
}
