import { publishedTime } from "../corpus/dates.ts";
import type { CorpusDocument } from "../corpus/load.ts";

/**
 * Each dated document's freshness factor: 1 for the oldest, rising to 1 + `recency` for the
 * newest, so of two passages that answer about equally the newer ranks first. Undated
 * documents are left out (their factor is 1).
 */
export function freshnessFactors(
  documents: readonly CorpusDocument[],
  recency: number,
): Map<CorpusDocument, number> {
  const times = new Map<CorpusDocument, number>();
  for (const doc of documents) {
    const time = publishedTime(doc.source.published);
    if (time !== undefined) times.set(doc, time);
  }
  const oldest = Math.min(...times.values());
  const newest = Math.max(...times.values());
  const factors = new Map<CorpusDocument, number>();
  if (!(newest > oldest)) return factors;
  for (const [doc, time] of times) {
    factors.set(doc, 1 + (recency * (time - oldest)) / (newest - oldest));
  }
  return factors;
}
