import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { publishedTime } from "../corpus/dates.ts";

/**
 * Every text the bot writes itself, in each language it speaks: one catalog per language
 * in `locales/` (`en.json`, `es.json`; adding a language is adding its file). A message is
 * a string with `{name}` placeholders, or plural forms by Intl.PluralRules category
 * (`{ "one": "…", "other": "…" }`, chosen by the `count` value). English is the fallback.
 */

type Entry = string | Readonly<Record<string, string>>;
type Catalog = Readonly<Record<string, Entry>>;
export type Values = Readonly<Record<string, string | number>>;

/** A language's messages: the text of `key` with `values` filled in. */
export type Messages = (key: string, values?: Values) => string;

export const DEFAULT_LANGUAGE = "en";
const LOCALES = join(import.meta.dirname, "locales");

export const catalogs: ReadonlyMap<string, Catalog> = new Map(
  readdirSync(LOCALES)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => [
      basename(file, ".json"),
      JSON.parse(readFileSync(join(LOCALES, file), "utf8")) as Catalog,
    ]),
);

/** The languages with a catalog, English first. */
export const languages: readonly string[] = [
  DEFAULT_LANGUAGE,
  ...[...catalogs.keys()].filter((language) => language !== DEFAULT_LANGUAGE),
];

/** The language of a Discord locale ("es-ES", "es-419" → "es"); English when none is kept. */
export function languageOfLocale(locale: string | undefined): string {
  const base = (locale ?? "").toLowerCase().split("-")[0] ?? "";
  return catalogs.has(base) ? base : DEFAULT_LANGUAGE;
}

/** The Discord locales a language's catalog serves (its `meta.discordLocales`). */
export function discordLocales(language: string): string[] {
  const entry = catalogs.get(language)?.["meta.discordLocales"];
  return typeof entry === "string" ? entry.split(/\s+/u).filter(Boolean) : [];
}

const made = new Map<string, Messages>();

export function messages(language: string): Messages {
  const known = made.get(language);
  if (known) return known;
  const own = catalogs.get(language) ?? {};
  const fallback = catalogs.get(DEFAULT_LANGUAGE) ?? {};
  const plurals = new Intl.PluralRules(language);
  const t: Messages = (key, values = {}) => {
    const entry = own[key] ?? fallback[key];
    if (entry === undefined) throw new Error(`no message "${key}"`);
    const text =
      typeof entry === "string"
        ? entry
        : (entry[plurals.select(Number(values.count ?? 0))] ?? entry.other ?? "");
    return text.replace(/\{(\w+)\}/gu, (whole, name: string) =>
      name in values ? String(values[name]) : whole,
    );
  };
  made.set(language, t);
  return t;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

const DATE_STYLES = {
  /** The numeric form of the catalog's `meta.dateLocale` (English en-CA: the ISO date itself). */
  numeric: { locale: "meta.dateLocale", day: { day: "2-digit", month: "2-digit" } },
  /** Words, in the catalog's `meta.longDateLocale` ("20 Apr 2022", "20 abr 2022"). */
  long: { locale: "meta.longDateLocale", day: { day: "numeric", month: "short" } },
} as const;

/**
 * An ISO date ("2024-07-01", or "2024-07" where the day is not known) in the catalog's
 * numeric or long form; anything else as it is. A month alone is shown as a month.
 */
export function formatDate(
  language: string,
  iso: string,
  style: keyof typeof DATE_STYLES = "numeric",
): string {
  const month = /^\d{4}-\d{2}$/u.test(iso);
  if (!month && !/^\d{4}-\d{2}-\d{2}/u.test(iso)) return iso;
  if (month && style === "numeric") return iso;
  const time = publishedTime(iso);
  if (time === undefined) return iso;
  const date = new Date(time);
  const key = `${language} ${style} ${month}`;
  let format = dateFormats.get(key);
  if (!format) {
    const { locale, day } = DATE_STYLES[style];
    const entry = catalogs.get(language)?.[locale];
    const parts = month ? { month: day.month } : day;
    format = new Intl.DateTimeFormat(typeof entry === "string" ? entry : "en-CA", {
      year: "numeric",
      ...parts,
      timeZone: "UTC",
    });
    dateFormats.set(key, format);
  }
  return format.format(date);
}

/**
 * `key`'s text in every language but English, by Discord locale: for the localized names
 * and descriptions of slash commands. The English names stay the commands' names.
 */
export function localizations(key: string, values?: Values): Record<string, string> {
  const out: Record<string, string> = {};
  for (const language of languages) {
    if (language === DEFAULT_LANGUAGE) continue;
    for (const locale of discordLocales(language)) out[locale] = messages(language)(key, values);
  }
  return out;
}
