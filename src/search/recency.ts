import type { CorpusDocument } from "../corpus/load.ts";

/** Publication times in ms since the epoch, the oldest and the newest. */
export interface DateRange {
  oldest: number;
  newest: number;
}

/** A publication date (YYYY-MM-DD, YYYY-MM or a timestamp) in ms since the epoch. */
function dateOf(published: string | undefined): number | undefined {
  if (published === undefined) return undefined;
  const time = Date.parse(published.length === 7 ? `${published}-01` : published);
  return Number.isNaN(time) ? undefined : time;
}

/** The publication times of the oldest and newest dated documents (ms). */
export function dateRange(documents: Iterable<CorpusDocument>): DateRange {
  let oldest = Number.POSITIVE_INFINITY;
  let newest = Number.NEGATIVE_INFINITY;
  for (const doc of documents) {
    const time = dateOf(doc.source.published);
    if (time === undefined) continue;
    oldest = Math.min(oldest, time);
    newest = Math.max(newest, time);
  }
  return { oldest, newest };
}

/**
 * 1 for an undated document or the oldest one, rising to 1 + `recency` for the newest: of
 * two passages that answer about equally, the newer ranks first.
 */
export function freshness(
  published: string | undefined,
  { oldest, newest }: DateRange,
  recency: number,
): number {
  const time = dateOf(published);
  if (time === undefined || newest <= oldest) return 1;
  return 1 + (recency * (time - oldest)) / (newest - oldest);
}
