import type { CorpusDocument } from "../corpus/load.ts";

/** What a reload changes, in documents for the index and in file names for the report. */
export interface CorpusChange {
  /** The documents after the reload; unchanged ones are the objects the live index holds. */
  documents: CorpusDocument[];
  /** Documents to index: new files, and new versions of changed ones. */
  added: CorpusDocument[];
  /** Documents to drop from the index: removed files, and old versions of changed ones. */
  removed: CorpusDocument[];
  addedFiles: string[];
  removedFiles: string[];
  changedFiles: string[];
}

/** How the documents `after` a reload differ from those `before` it. */
export function corpusChange(
  before: readonly CorpusDocument[],
  after: readonly CorpusDocument[],
): CorpusChange {
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

function sameDocument(a: CorpusDocument, b: CorpusDocument): boolean {
  return (
    a.hash === b.hash && a.text === b.text && JSON.stringify(a.source) === JSON.stringify(b.source)
  );
}
