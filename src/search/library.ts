import { distance } from "fastest-levenshtein";
import {
  type CorpusDocument,
  type FileNote,
  type LoadedCorpus,
  prepareCorpus,
  readCorpus,
  recordedFile,
  type Source,
} from "../corpus/load.ts";
import { log } from "../log.ts";
import { Analyzer } from "../text/analyzer.ts";
import type { Answer, AnswerOptions, PassageContext } from "./answer.ts";
import {
  type AskOptions,
  askAcross,
  type CrossLingualOptions,
  type LocalizedAnswer,
} from "./crosslingual.ts";
import { SearchIndex } from "./engine.ts";
import { DEFAULT_RANKING, type RankingOptions } from "./ranking.ts";
import { readSnapshot, snapshotKey, writeSnapshot } from "./snapshot.ts";

/**
 * The live corpus and its index. Shells (Discord, CLI, playground) only talk to this.
 * A reload re-indexes only the documents that changed, in one synchronous step; when
 * most of the corpus changed it builds a new index beside the old one (yielding, so
 * questions keep being answered) and swaps it in. A failed reload changes nothing.
 */

export interface SourceSummary extends Source {
  passages: number;
}

export interface CorpusStats {
  documents: number;
  passages: number;
  skipped: FileNote[];
  warnings: FileNote[];
}

export interface ReloadReport {
  ok: boolean;
  /** Why the reload failed; the previous index is still serving. */
  error?: string;
  added: string[];
  removed: string[];
  changed: string[];
  before: { documents: number; passages: number };
  after: { documents: number; passages: number };
  skipped: FileNote[];
  warnings: FileNote[];
  /** No answer from that shard (still starting, or too slow): what it serves is unknown. */
  unreachable?: true;
  /** "incremental" when only changed documents were re-indexed. */
  mode?: "incremental" | "full";
  ms: number;
}

/** A load's skipped files and warnings, one line each, for a log or a terminal. */
export function fileNotes(stats: Pick<CorpusStats, "skipped" | "warnings">): string[] {
  return [
    ...stats.skipped.map((s) => `skipped ${s.file}: ${s.reason}`),
    ...stats.warnings.map((w) => `${w.file}: ${w.reason}`),
  ];
}

export interface LibraryOptions extends CrossLingualOptions {
  /** Where to keep the index snapshot; none means always build. */
  dataDir?: string;
  /** How passages rank and when to abstain (default DEFAULT_RANKING). */
  ranking?: RankingOptions;
}

// Past this share of changed documents a fresh build is cheaper than removing and re-adding.
const INCREMENTAL_MAX_SHARE = 0.5;
const SNAPSHOT_DELAY_MS = 30_000;
const CLOSEST_IDS = 3;
// Longer than any document id (see documentId): comparing more of a typed id only costs time.
const MAX_ID_CHARS = 100;

export class Library {
  readonly dir: string;
  /** Where the index came from at start: "snapshot", or "built (why)". */
  readonly origin: string;
  readonly #dataDir: string | undefined;
  readonly #ranking: RankingOptions | undefined;
  readonly #cross: CrossLingualOptions;
  #corpus: LoadedCorpus;
  #index: SearchIndex;
  #queue: Promise<unknown> = Promise.resolve();
  #saveTimer: NodeJS.Timeout | undefined;
  /** The source list of the current index, made when the index changes, not per request. */
  #sources: readonly SourceSummary[];

  private constructor(
    dir: string,
    options: LibraryOptions,
    corpus: LoadedCorpus,
    index: SearchIndex,
    origin: string,
  ) {
    this.dir = dir;
    this.origin = origin;
    this.#dataDir = options.dataDir;
    this.#ranking = options.ranking;
    this.#cross = { translateQuotes: true, ...options };
    this.#corpus = corpus;
    this.#index = index;
    this.#sources = summaries(index);
  }

  /**
   * Loads the corpus folder, from the snapshot in `dataDir` when it matches the files;
   * throws a CorpusError only when the folder itself is unusable.
   */
  static async open(dir: string, options: LibraryOptions = {}): Promise<Library> {
    const saved = options.dataDir
      ? await readSnapshot(options.dataDir)
      : { reason: "no DATA_DIR for a snapshot" };
    // Files unchanged since the snapshot was made are not read again to match it.
    const recorded =
      "open" in saved
        ? { files: saved.files.map((f) => recordedFile(dir, f)), readAt: saved.readAt }
        : undefined;
    const read = await readCorpus(dir, recorded);
    const analyzer = new Analyzer(read.synonyms);
    let problem = "open" in saved ? await saved.open(snapshotKey(read.key)) : saved;
    if ("snapshot" in problem) {
      try {
        const { snapshot } = problem;
        const index = SearchIndex.restore(snapshot, analyzer, options.ranking);
        const hashes = new Map(read.files.map((file) => [file.file, file.hash]));
        if (index.documents.some((doc) => hashes.get(doc.file) !== doc.hash)) {
          throw new Error("its documents are not the corpus files");
        }
        const common = new Set(snapshot.common);
        const lineKeys = new Map(snapshot.lineKeys.map(([hash, keys]) => [hash, new Set(keys)]));
        const corpus = { ...read, documents: [...index.documents], common, lineKeys };
        const library = new Library(dir, options, corpus, index, "snapshot");
        // Files whose stamps the snapshot could not vouch for (changed just before it was
        // made, or touched since) were read again and matched it. Saved with their stamps
        // now, the next start trusts them instead of reading them all again.
        const vouched = new Set(recorded?.files);
        if (read.files.some((file) => !vouched.has(file))) library.#saveSoon();
        return library;
      } catch (error) {
        problem = {
          reason: `snapshot does not hold together (${(error as Error).message})`,
          suspect: true,
        };
      }
    }
    const reason = problem.reason;
    if (problem.suspect) log.warn(`ignoring the index snapshot: ${reason}`);
    let corpus: LoadedCorpus;
    try {
      corpus = prepareCorpus(read);
    } catch (error) {
      // A file known from the snapshot went away or changed while being read: read them all.
      log.warn(`re-reading the corpus: ${(error as Error).message}`);
      corpus = prepareCorpus(await readCorpus(dir));
    }
    const index = await SearchIndex.build(corpus.documents, analyzer, options.ranking);
    const library = new Library(dir, options, corpus, index, `built (${reason})`);
    await library.#save();
    return library;
  }

  get index(): SearchIndex {
    return this.#index;
  }

  stats(): CorpusStats {
    return {
      documents: this.#index.documents.length,
      passages: this.#index.size,
      skipped: this.#corpus.skipped,
      warnings: this.#corpus.warnings,
    };
  }

  answer(question: string, options?: AnswerOptions): Answer {
    return this.#index.answer(question, options);
  }

  /**
   * The answer to a question in any of the bot's languages, in the reply's language (see
   * askAcross): quotes in another language than the reply's carry their translation.
   * A translator that fails leaves the quotes untranslated, never an error.
   */
  ask(question: string, options: AskOptions = {}): Promise<LocalizedAnswer> {
    const searched = {
      answer: (text: string, search: AnswerOptions) => this.answer(text, search),
      languages: this.#index.languages,
      minRelativeScore: (this.#ranking ?? DEFAULT_RANKING).minRelativeScore,
    };
    return askAcross(searched, question, options, this.#cross);
  }

  context(passageId: string, radius?: number): PassageContext | null {
    return this.#index.context(passageId, radius);
  }

  /** Every document's citation and passage count, newest first; shared, not to be changed. */
  sources(): readonly SourceSummary[] {
    return this.#sources;
  }

  /** The known document ids closest to `id` (fewest edits first), for "did you mean". */
  closestSourceIds(id: string, count = CLOSEST_IDS): string[] {
    const wanted = id.slice(0, MAX_ID_CHARS).toLowerCase();
    return this.sources()
      .map((s) => ({ id: s.id, edits: distance(wanted, s.id) }))
      .sort((a, b) => a.edits - b.edits || (a.id < b.id ? -1 : 1))
      .slice(0, count)
      .map((s) => s.id);
  }

  /**
   * Re-reads the folder and applies what changed. Reloads never interleave: one asked
   * for while another runs waits for it, then reads the folder again.
   */
  reload(): Promise<ReloadReport> {
    const next = this.#queue.then(() => this.#reloadNow());
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #reloadNow(): Promise<ReloadReport> {
    const started = performance.now();
    const before = { documents: this.#index.documents.length, passages: this.#index.size };
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const corpus = prepareCorpus(await readCorpus(this.dir, this.#corpus), this.#corpus);
      const change = compare(this.#index.documents, corpus.documents);
      const mode = await this.#apply(change, new Analyzer(corpus.synonyms));
      this.#corpus = { ...corpus, documents: change.documents };
      if (change.added.length + change.removed.length > 0) this.#saveSoon();
      return {
        ok: true,
        added: change.addedFiles,
        removed: change.removedFiles,
        changed: change.changedFiles,
        before,
        after: { documents: this.#index.documents.length, passages: this.#index.size },
        skipped: corpus.skipped,
        warnings: corpus.warnings,
        mode,
        ms: elapsed(),
      };
    } catch (error) {
      const failed = { added: [], removed: [], changed: [], before, after: before };
      return {
        ok: false,
        error: (error as Error).message,
        ...failed,
        skipped: this.#corpus.skipped,
        warnings: this.#corpus.warnings,
        ms: elapsed(),
      };
    }
  }

  /** Re-indexes the changed documents in place, or builds a new index when most changed. */
  async #apply(change: Change, analyzer: Analyzer): Promise<"incremental" | "full"> {
    try {
      const changed = change.added.length + change.removed.length;
      if (changed <= Math.max(1, this.#index.documents.length * INCREMENTAL_MAX_SHARE)) {
        try {
          this.#index.update({ added: change.added, removed: change.removed, analyzer });
          return "incremental";
        } catch (error) {
          log.warn(`incremental reload failed, rebuilding: ${(error as Error).message}`);
        }
      }
      this.#index = await SearchIndex.build(change.documents, analyzer, this.#ranking);
      return "full";
    } finally {
      this.#sources = summaries(this.#index);
    }
  }

  /**
   * Saving a large index takes seconds of CPU, so it waits until reloads have been quiet
   * for a while instead of running after each one.
   */
  #saveSoon(): void {
    clearTimeout(this.#saveTimer);
    this.#saveTimer = setTimeout(() => {
      this.#saveTimer = undefined;
      void this.#save();
    }, SNAPSHOT_DELAY_MS);
    this.#saveTimer.unref();
  }

  /**
   * Stops the translators, and saves the snapshot a change is still waiting to save, so the
   * next start need not rebuild.
   */
  async close(): Promise<void> {
    for (const translator of Object.values(this.#cross.translators ?? {})) translator.close();
    if (this.#saveTimer === undefined) return;
    clearTimeout(this.#saveTimer);
    this.#saveTimer = undefined;
    await this.#save();
  }

  async #save(): Promise<void> {
    if (!this.#dataDir) return;
    try {
      await writeSnapshot(
        this.#dataDir,
        snapshotKey(this.#corpus.key),
        {
          ...this.#index.snapshot(),
          common: [...this.#corpus.common],
          lineKeys: [...(this.#corpus.lineKeys ?? [])].map(([hash, keys]) => [hash, [...keys]]),
        },
        { files: this.#corpus.files ?? [], readAt: this.#corpus.readAt ?? 0 },
      );
    } catch (error) {
      log.warn(`could not save the index snapshot: ${(error as Error).message}`);
    }
  }
}

/** Every document's citation and passage count, the newest first, undated ones last. */
function summaries(index: SearchIndex): SourceSummary[] {
  return index.documents
    .map((doc) => ({ ...doc.source, passages: index.passageCount(doc.source.id) }))
    .sort(newestFirst);
}

function newestFirst(a: Source, b: Source): number {
  if (a.published === b.published) return a.title.localeCompare(b.title);
  if (a.published === undefined) return 1;
  if (b.published === undefined) return -1;
  return a.published < b.published ? 1 : -1;
}

function sameDocument(a: CorpusDocument, b: CorpusDocument): boolean {
  return (
    a.hash === b.hash && a.text === b.text && JSON.stringify(a.source) === JSON.stringify(b.source)
  );
}

type Change = ReturnType<typeof compare>;

/** What a reload changes; unchanged documents keep the objects the live index holds. */
function compare(before: readonly CorpusDocument[], after: readonly CorpusDocument[]) {
  const old = new Map(before.map((d) => [d.file, d]));
  const now = new Map(after.map((d) => [d.file, d]));
  const documents = after.map((doc) => {
    const kept = old.get(doc.file);
    return kept && sameDocument(kept, doc) ? kept : doc;
  });
  const kept = new Set(documents);
  const live = new Set(before);
  return {
    documents,
    added: documents.filter((d) => !live.has(d)),
    removed: before.filter((d) => !kept.has(d)),
    addedFiles: [...now.keys()].filter((f) => !old.has(f)),
    removedFiles: [...old.keys()].filter((f) => !now.has(f)),
    changedFiles: after
      .filter((d) => old.has(d.file) && !kept.has(old.get(d.file) as CorpusDocument))
      .map((d) => d.file),
  };
}
