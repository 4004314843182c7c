import MiniSearch, { type AsPlainObject, type Options } from "minisearch";
import type SearchableMap from "minisearch/SearchableMap";

/**
 * MiniSearch's postings, read and written directly where its public API is too slow.
 * MiniSearch has no public way to hand over postings, to ask which passages hold a term or
 * to score a term without building its search results, so this module, and only this one,
 * touches its protected `_index` (term → field id → passage short id → term frequency),
 * `_documentIds` (short id → passage key) and back (`_idToShortId`), `_fieldIds` (field
 * name → field id), the field lengths BM25 reads, and `_options`; minisearch is pinned,
 * and the snapshot, scoring and engine tests cover these uses.
 *
 * - The snapshot keeps one flat row of numbers per term. `MiniSearch.loadJS` turns each
 *   posting's key back from a string (Object.keys, then parseInt): at 100k passages that was
 *   2.2 s of a 4.6 s start, against 0.5 s for these rows.
 * - How many passages hold a term is the size of its postings, which MiniSearch keeps
 *   exact as passages come and go (they are removed, not discarded).
 * - Which question words a candidate passage holds is a look-up in those words' postings,
 *   where reading the passage would mean tokenizing its text again.
 * - Finding the passages that hold several common terms walks the rarest term's postings and
 *   looks each passage up in the others', where a search walks every posting of each term.
 * - A term's score per passage is summed straight from its postings (see scoring.ts).
 */

/** A term, then for each field holding it: field id, count n, n short ids, n frequencies. */
export type PostingRow = [term: string, ...numbers: number[]];

type Postings = SearchableMap<Map<number, Map<number, number>>>;
type Internals = {
  _index: Postings;
  _documentIds: Map<number, number>;
  _idToShortId: Map<number, number>;
  _fieldIds: Record<string, number>;
  _fieldLength: Map<number, number[]>;
  _avgFieldLength: number[];
  _documentCount: number;
  _options: { fields: string[]; searchOptions: { bm25: { k: number; b: number; d: number } } };
};

function internals<T>(search: MiniSearch<T>): Internals {
  return search as unknown as Internals;
}

/** MiniSearch's own serialization without the postings, and the postings as rows. */
export function savePostings<T>(search: MiniSearch<T>): {
  search: AsPlainObject;
  postings: PostingRow[];
} {
  const postings: PostingRow[] = [];
  for (const [term, fields] of internals(search)._index) {
    const row: PostingRow = [term];
    for (const [field, frequencies] of fields) {
      // Loops, not spread arguments: a common term has more postings than a call takes arguments.
      row.push(field, frequencies.size);
      for (const id of frequencies.keys()) row.push(id);
      for (const frequency of frequencies.values()) row.push(frequency);
    }
    postings.push(row);
  }
  // toJSON would also write every posting the slow way (1.9 s at 100k passages): shown a view
  // of the index whose `_index` is empty, it writes only the rest.
  const rest = search.toJSON.call(Object.assign(Object.create(search), { _index: [] }));
  return { search: rest, postings };
}

/** Rebuilds an index saved by `savePostings`; throws on a row that does not hold together. */
export function loadPostings<T>(
  saved: { search: unknown; postings: unknown[] },
  options: Options<T>,
): MiniSearch<T> {
  const search = MiniSearch.loadJS<T>({ ...(saved.search as AsPlainObject), index: [] }, options);
  const index = internals(search)._index;
  for (const row of saved.postings) {
    if (!Array.isArray(row) || typeof row[0] !== "string") throw badRow(row);
    const fields = new Map<number, Map<number, number>>();
    let i = 1;
    while (i < row.length) {
      const [field, count] = [row[i], row[i + 1]];
      // A row that runs short fails below, on its missing numbers.
      if (!isCount(field) || !isCount(count) || count === 0) throw badRow(row);
      const frequencies = new Map<number, number>();
      for (let k = i + 2; k < i + 2 + count; k++) {
        const [id, frequency] = [row[k], row[k + count]];
        if (!isCount(id) || !isCount(frequency)) throw badRow(row);
        frequencies.set(id, frequency);
      }
      fields.set(field, frequencies);
      i += 2 + 2 * count;
    }
    index.set(row[0], fields);
  }
  return search;
}

function isCount(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0;
}

function badRow(row: unknown): Error {
  return new Error(`bad postings ${JSON.stringify(row).slice(0, 80)}`);
}

/**
 * The keys of the passages holding `terms[0]` and, while more than `enough` remain, each
 * next term too; a term none of them holds is passed over.
 */
export function holdersOf<T>(
  search: MiniSearch<T>,
  terms: readonly string[],
  enough: number,
): Set<number> {
  const [first, ...rest] = terms;
  let held = new Set<number>();
  for (const postings of first === undefined ? [] : fieldsOf(search, first)) {
    for (const short of postings.keys()) held.add(short);
  }
  for (const term of rest) {
    if (held.size <= enough) break;
    const fields = fieldsOf(search, term);
    const next = new Set<number>();
    for (const short of held) if (holds(fields, short)) next.add(short);
    if (next.size > 0) held = next;
  }
  const { _documentIds: documentIds } = internals(search);
  const keys = new Set<number>();
  for (const short of held) keys.add(documentIds.get(short) as number);
  return keys;
}

/** How many passages hold a term in the field named, or its postings in all fields. */
export function postingCount<T>(search: MiniSearch<T>, term: string, field?: string): number {
  const fields = internals(search)._index.get(term);
  if (!fields) return 0;
  if (field !== undefined) {
    const id = internals(search)._fieldIds[field];
    return id === undefined ? 0 : (fields.get(id)?.size ?? 0);
  }
  let count = 0;
  for (const postings of fields.values()) count += postings.size;
  return count;
}

/**
 * Which of `words` a passage holds, in any field: each word's postings are found once,
 * then each passage asked about costs one look-up per word and field.
 */
export function wordsHeld<T>(
  search: MiniSearch<T>,
  words: Iterable<string>,
): (key: number) => Set<string> {
  const shortIds = internals(search)._idToShortId;
  const postings = [...new Set(words)].map((word) => ({ word, fields: fieldsOf(search, word) }));
  return (key) => {
    const held = new Set<string>();
    const short = shortIds.get(key);
    if (short === undefined) return held;
    for (const { word, fields } of postings) if (holds(fields, short)) held.add(word);
    return held;
  };
}

/** A term's postings, one map (short id → frequency) per field holding it. */
function fieldsOf<T>(search: MiniSearch<T>, term: string): Map<number, number>[] {
  return [...(internals(search)._index.get(term)?.values() ?? [])];
}

/** Whether the passage with this short id is in any of a term's postings. */
function holds(fields: readonly Map<number, number>[], short: number): boolean {
  return fields.some((postings) => postings.has(short));
}

/**
 * Each passage's score for one term, keyed by passage key, in the order MiniSearch's search
 * meets them: BM25 per field (MiniSearch's formula and parameters, in its order of
 * operations), times the field's boost, summed in the index's field order. A passage
 * `allowed` turns down is skipped.
 */
export function termScores<T>(
  search: MiniSearch<T>,
  term: string,
  boost: Readonly<Record<string, number>>,
  allowed?: (key: number) => boolean,
): Map<number, number> {
  const scores = new Map<number, number>();
  const index = internals(search);
  const fields = index._index.get(term);
  if (!fields) return scores;
  const { k, b, d } = index._options.searchOptions.bm25;
  const total = index._documentCount;
  for (const field of index._options.fields) {
    const id = index._fieldIds[field] as number;
    const postings = fields.get(id);
    if (!postings) continue;
    const fieldBoost = boost[field] || 1;
    const average = index._avgFieldLength[id] as number;
    const matching = postings.size;
    const idf = Math.log(1 + (total - matching + 0.5) / (matching + 0.5));
    for (const [short, frequency] of postings) {
      const key = index._documentIds.get(short);
      if (key === undefined || (allowed && !allowed(key))) continue;
      const length = (index._fieldLength.get(short) as number[])[id] as number;
      const bm25 =
        idf * (d + (frequency * (k + 1)) / (frequency + k * (1 - b + (b * length) / average)));
      const score = fieldBoost * bm25;
      const before = scores.get(key);
      scores.set(key, before === undefined ? score : before + score);
    }
  }
  return scores;
}
