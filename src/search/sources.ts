import { distance } from "fastest-levenshtein";
import type { Source } from "../corpus/load.ts";
import type { SearchIndex } from "./engine.ts";

/** A document's citation and how many passages it has: a line of the source list. */
export interface SourceSummary extends Source {
  passages: number;
}

const CLOSEST_IDS = 3;
// Longer than any document id (see documentId): comparing more of a typed id only costs time.
const MAX_ID_CHARS = 100;

/** Every document's citation and passage count, the newest first, undated ones last. */
export function sourceList(index: SearchIndex): SourceSummary[] {
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

/** The ids of `sources` closest to a typed `id` (fewest edits first), for "did you mean". */
export function closestIds(
  sources: readonly SourceSummary[],
  id: string,
  count = CLOSEST_IDS,
): string[] {
  const wanted = id.slice(0, MAX_ID_CHARS).toLowerCase();
  return sources
    .map((s) => ({ id: s.id, edits: distance(wanted, s.id) }))
    .sort((a, b) => a.edits - b.edits || (a.id < b.id ? -1 : 1))
    .slice(0, count)
    .map((s) => s.id);
}
