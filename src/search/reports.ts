import type { FileNote } from "../corpus/load.ts";

/** The library's figures: what it answers from, and which files it left out or trimmed. */
export interface CorpusStats {
  documents: number;
  passages: number;
  skipped: FileNote[];
  warnings: FileNote[];
}

/** What a reload did, for the admin who asked for it; a failed reload changed nothing. */
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
