import { publishedTime } from "../corpus/dates.ts";
import type { Source } from "../corpus/load.ts";
import { formatDate, messages } from "./messages.ts";

/**
 * Migration policy changes every year: a quote from an old source gets a note saying when it
 * was published and that policy may have changed since.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The note for a source published more than `staleAfterDays` days before `now`, in `language`;
 * none for a newer or undated one.
 */
export function staleNote(
  source: Source,
  language: string,
  staleAfterDays: number,
  now: Date = new Date(),
): string | undefined {
  const published = publishedTime(source.published);
  if (published === undefined || now.getTime() - published <= staleAfterDays * DAY_MS) {
    return undefined;
  }
  const date = formatDate(language, source.published as string, "long");
  return messages(language)("answer.stale", { date });
}
