import { type CorpusDocument, loadCorpus, type SkippedFile, type Source } from "../corpus/load.ts";
import { Analyzer } from "./analyzer.ts";
import { type Answer, type AnswerOptions, type PassageContext, SearchIndex } from "./engine.ts";

/**
 * The live corpus and its index. Shells (Discord, CLI, playground) only talk to this.
 * A reload builds a whole new index beside the old one and swaps it in at the end, so
 * questions keep being answered during a rebuild and a failed reload changes nothing.
 */

export interface SourceSummary extends Source {
  passages: number;
}

export interface CorpusStats {
  documents: number;
  passages: number;
  skipped: SkippedFile[];
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
  skipped: SkippedFile[];
  ms: number;
}

interface Built {
  index: SearchIndex;
  skipped: SkippedFile[];
}

export class Library {
  readonly dir: string;
  #current: Built;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(dir: string, built: Built) {
    this.dir = dir;
    this.#current = built;
  }

  /** Loads the corpus folder; throws a CorpusError only when the folder itself is unusable. */
  static async open(dir: string): Promise<Library> {
    return new Library(dir, await build(dir));
  }

  get index(): SearchIndex {
    return this.#current.index;
  }

  stats(): CorpusStats {
    const { index, skipped } = this.#current;
    return { documents: index.documents.length, passages: index.size, skipped };
  }

  answer(question: string, options?: AnswerOptions): Answer {
    return this.#current.index.answer(question, options);
  }

  context(passageId: string, radius?: number): PassageContext | null {
    return this.#current.index.context(passageId, radius);
  }

  sources(): SourceSummary[] {
    const index = this.#current.index;
    return index.documents.map((doc) => ({
      ...doc.source,
      passages: index.passageCount(doc.source.id),
    }));
  }

  /**
   * Rebuilds from disk and swaps atomically. Reloads never interleave: a reload asked
   * for while one runs waits for it, then reads the folder again.
   */
  reload(): Promise<ReloadReport> {
    const next = this.#queue.then(() => this.#reloadNow());
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #reloadNow(): Promise<ReloadReport> {
    const started = performance.now();
    const old = this.#current.index;
    const before = { documents: old.documents.length, passages: old.size };
    try {
      const built = await build(this.dir);
      this.#current = built;
      const diff = diffDocuments(old.documents, built.index.documents);
      return {
        ok: true,
        ...diff,
        before,
        after: { documents: built.index.documents.length, passages: built.index.size },
        skipped: built.skipped,
        ms: Math.round(performance.now() - started),
      };
    } catch (error) {
      return {
        ok: false,
        error: error instanceof Error ? error.message : String(error),
        added: [],
        removed: [],
        changed: [],
        before,
        after: before,
        skipped: this.#current.skipped,
        ms: Math.round(performance.now() - started),
      };
    }
  }
}

async function build(dir: string): Promise<Built> {
  const corpus = await loadCorpus(dir);
  const index = new SearchIndex(corpus.documents, new Analyzer(corpus.synonyms));
  return { index, skipped: corpus.skipped };
}

function diffDocuments(
  before: readonly CorpusDocument[],
  after: readonly CorpusDocument[],
): { added: string[]; removed: string[]; changed: string[] } {
  const old = new Map(before.map((d) => [d.file, d.hash]));
  const now = new Map(after.map((d) => [d.file, d.hash]));
  return {
    added: [...now.keys()].filter((f) => !old.has(f)),
    removed: [...old.keys()].filter((f) => !now.has(f)),
    changed: [...now].filter(([f, h]) => old.has(f) && old.get(f) !== h).map(([f]) => f),
  };
}
