import { prepareCorpus } from "../corpus/documents.ts";
import {
  type CorpusDocument,
  type LoadedCorpus,
  readCorpus,
  recordedFile,
} from "../corpus/load.ts";
import { log } from "../log.ts";
import { Analyzer } from "../text/analyzer.ts";
import type { Answer, AnswerOptions, PassageContext } from "./answer.ts";
import { type CorpusChange, corpusChange } from "./corpus-change.ts";
import {
  type AskOptions,
  askAcross,
  type CrossLingualOptions,
  type LocalizedAnswer,
} from "./crosslingual.ts";
import { type IndexSnapshot, SearchIndex } from "./engine.ts";
import { DEFAULT_RANKING, type RankingOptions } from "./ranking.ts";
import type { CorpusStats, ReloadReport } from "./reports.ts";
import { readSnapshot, writeSnapshot } from "./snapshot.ts";
import { snapshotKey } from "./snapshot-key.ts";
import { closestIds, type SourceSummary, sourceList } from "./sources.ts";

export interface LibraryOptions extends CrossLingualOptions {
  /** Where to keep the index snapshot; none means always build. */
  dataDir?: string;
  /** How passages rank and when to abstain (default DEFAULT_RANKING). */
  ranking?: RankingOptions;
}

// Past this share of changed documents a fresh build is cheaper than removing and re-adding.
const INCREMENTAL_MAX_SHARE = 0.5;
const SNAPSHOT_DELAY_MS = 30_000;

/**
 * The live corpus and its index. Shells (Discord, CLI, playground) only talk to this.
 * A reload re-indexes only the documents that changed, in one synchronous step; when
 * most of the corpus changed it builds a new index beside the old one (yielding, so
 * questions keep being answered) and swaps it in. A failed reload changes nothing.
 */
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
    this.#sources = sourceList(index);
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

  /** The documents answered from, by file name. */
  get documents(): readonly CorpusDocument[] {
    return this.#index.documents;
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

  /** Titles of the documents closest to the question, else the first titles. */
  suggestions(question: string, limit?: number): string[] {
    return this.#index.suggestions(question, limit);
  }

  /** Every document's citation and passage count, newest first; shared, not to be changed. */
  sources(): readonly SourceSummary[] {
    return this.#sources;
  }

  /** The known document ids closest to `id` (fewest edits first), for "did you mean". */
  closestSourceIds(id: string): string[] {
    return closestIds(this.#sources, id);
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
      const change = corpusChange(this.#index.documents, corpus.documents);
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
  async #apply(change: CorpusChange, analyzer: Analyzer): Promise<"incremental" | "full"> {
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
      this.#sources = sourceList(this.#index);
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

  /** What the library saves in DATA_DIR: the index and the corpus reader's part. */
  snapshot(): IndexSnapshot {
    return {
      ...this.#index.snapshot(),
      common: [...this.#corpus.common],
      lineKeys: [...(this.#corpus.lineKeys ?? [])].map(([hash, keys]) => [hash, [...keys]]),
    };
  }

  async #save(): Promise<void> {
    if (!this.#dataDir) return;
    try {
      await writeSnapshot(this.#dataDir, snapshotKey(this.#corpus.key), this.snapshot(), {
        files: this.#corpus.files ?? [],
        readAt: this.#corpus.readAt ?? 0,
      });
    } catch (error) {
      log.warn(`could not save the index snapshot: ${(error as Error).message}`);
    }
  }
}
