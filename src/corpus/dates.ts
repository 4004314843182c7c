/**
 * The publication date a scraped page states near its top, for pages whose front matter gives
 * none: a labelled line ("Published July 1, 2024", "Updated 3:00 PM EDT, Mon July 1, 2024"),
 * a dateline ("WASHINGTON, July 1, 2024 —") or a line holding only a date under the headline
 * ("November 20, 2023 / 8:00 AM EST"). A wrong date is worse than none, so a page gets none
 * when in doubt: dates under another label ("View Date:", "Date:", which mirrors print for
 * their own copy), two different unlabelled dates, a date in the future.
 */

/** Lines read from the top of the page; a publication date sits above the article. */
const TOP_LINES = 12;

const MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split(" ");
const MONTH = String.raw`(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`;
const DAY = String.raw`(\d{1,2})(?:st|nd|rd|th)?`;
const YEAR = String.raw`((?:19|20)\d\d)`;
const WEEKDAY = String.raw`(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?`;
const TIME = String.raw`(?:\s*(?:[,/|·•-]|at)?\s*\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*[a-z]{2,5})?)?`;
// "July 1, 2024", "1 July 2024", "2024-07-01" (each a capture set: month-day-year, day-month-year, ISO).
const DATE = String.raw`${WEEKDAY}(?:${MONTH}\s+${DAY},?\s+${YEAR}|${DAY}\s+${MONTH},?\s+${YEAR}|${YEAR}-(\d\d)-(\d\d)(?:t[\d:.]+(?:z|[+-]\d\d:?\d\d)?)?)`;

const LABEL_TIME = String.raw`(?:\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?(?:\s*[a-z]{2,5})?\s*,?\s*)?`;
const LABELLED = new RegExp(
  String.raw`^(?:by\s.{1,80}?[|·•,]\s*)?(first\s+published|published|posted|updated|last\s+updated)(?:\s+on)?\s*:?\s*${LABEL_TIME}${DATE}`,
  "iu",
);
const DATE_LINE = new RegExp(String.raw`^${DATE}${TIME}\s*$`, "iu");
const DATELINE = new RegExp(
  String.raw`^[a-z][a-z .'-]{1,40},\s*${DATE}\s*(?:\(\w+\)\s*)?[—–-]`,
  "iu",
);

/** The page's publication date as YYYY-MM-DD, or undefined when it is not clear. */
export function publishedDate(body: string, today: Date = new Date()): string | undefined {
  const lines = body
    .split(/\r?\n/u)
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(0, TOP_LINES);
  const labelled: Record<string, string> = {};
  const plain = new Set<string>();
  for (const line of lines) {
    const label = LABELLED.exec(line);
    if (label) {
      const date = isoOf(label.slice(2));
      const kind = (label[1] as string).toLowerCase().includes("updated") ? "updated" : "published";
      if (date) labelled[kind] ??= date;
      continue;
    }
    const match = DATE_LINE.exec(line) ?? DATELINE.exec(line);
    const date = match ? isoOf(match.slice(1)) : undefined;
    if (date) plain.add(date);
  }
  const found = labelled.published ?? (plain.size === 1 ? [...plain][0] : labelled.updated);
  return found !== undefined && found <= today.toISOString().slice(0, 10) ? found : undefined;
}

/** The date the DATE pattern's groups hold, checked to exist on the calendar. */
function isoOf(groups: (string | undefined)[]): string | undefined {
  const [m1, d1, y1, d2, m2, y2, y3, m3, d3] = groups;
  const year = y1 ?? y2 ?? y3;
  const month = m3 !== undefined ? Number(m3) : monthNumber(m1 ?? m2);
  const day = Number(d1 ?? d2 ?? d3);
  if (year === undefined || !month || !day) return undefined;
  const date = new Date(Date.UTC(Number(year), month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}

function monthNumber(name: string | undefined): number {
  const prefix = name?.slice(0, 3).toLowerCase();
  return prefix === undefined ? 0 : MONTHS.indexOf(prefix) + 1;
}

/**
 * A publication date as a citation gives it (YYYY-MM-DD, YYYY-MM for a month, or a timestamp)
 * in ms since the epoch, a date or month counted from its start in UTC; undefined for none.
 */
export function publishedTime(published: string | undefined): number | undefined {
  if (published === undefined) return undefined;
  const time = Date.parse(published);
  return Number.isNaN(time) ? undefined : time;
}
