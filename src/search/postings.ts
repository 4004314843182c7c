import MiniSearch, { type AsPlainObject, type Options } from "minisearch";
import type SearchableMap from "minisearch/SearchableMap";
import {
  ascending,
  badPostings,
  readTerm,
  SavedField,
  type SavedPostings,
} from "./saved-postings.ts";

/**
 * MiniSearch's postings, read and written directly where its public API is too slow.
 * MiniSearch has no public way to hand over postings, to ask which passages hold a term or
 * to score a term without building its search results, so this module, and only this one,
 * touches its protected `_index` (term → field id → passage short id → term frequency),
 * `_documentIds` (short id → passage key) and back (`_idToShortId`), `_fieldIds` (field
 * name → field id), the field lengths BM25 reads, and `_options`. minisearch is pinned for
 * that reason alone: tests/unit/postings.test.ts checks that state as this module reads it,
 * and fails on the first release that changes it.
 *
 * - The snapshot keeps the postings as one array of 32-bit numbers beside the list of terms.
 *   `MiniSearch.loadJS` would turn each posting's key back from a string (Object.keys, then
 *   parseInt), most of a start on a large corpus (figures in docs/PERFORMANCE.md). A loaded
 *   index keeps them there (see saved-postings.ts).
 * - How many passages hold a term is the size of its postings, which MiniSearch keeps
 *   exact as passages come and go (they are removed, not discarded).
 * - Which question words a candidate passage holds is a look-up in those words' postings,
 *   where reading the passage would mean tokenizing its text again.
 * - Finding the passages that hold several common terms walks the rarest term's postings and
 *   looks each passage up in the others', where a search walks every posting of each term.
 * - A term's score per passage is summed straight from its postings (see scoring.ts).
 */

/** A term's postings in one field (short id → frequency): a map, or as loaded from a snapshot. */
type FieldMap = Map<number, number> | SavedField;
type Postings = SearchableMap<Map<number, FieldMap>>;
/** The protected state of MiniSearch this module reads and writes (the guard test checks it). */
export type Internals = {
  _index: Postings;
  _documentIds: Map<number, number>;
  _idToShortId: Map<number, number>;
  _fieldIds: Record<string, number>;
  _fieldLength: Map<number, number[]>;
  _avgFieldLength: number[];
  _documentCount: number;
  _options: { fields: string[]; searchOptions: { bm25: { k: number; b: number; d: number } } };
};

export function internals<T>(search: MiniSearch<T>): Internals {
  return search as unknown as Internals;
}

/** MiniSearch's own serialization without the postings, and the postings. */
export function savePostings<T>(search: MiniSearch<T>): {
  search: AsPlainObject;
  postings: SavedPostings;
} {
  const index = internals(search)._index;
  let size = 0;
  for (const fields of index.values()) {
    size += 1;
    for (const frequencies of fields.values()) size += 2 + 2 * frequencies.size;
  }
  const terms: string[] = [];
  const numbers = new Uint32Array(size);
  let at = 0;
  for (const [term, fields] of index) {
    terms.push(term);
    numbers[at++] = fields.size;
    for (const [field, frequencies] of fields) {
      numbers[at++] = field;
      numbers[at++] = frequencies.size;
      // Postings still as loaded are copied as they are: reading them one by one is slower.
      const saved = frequencies instanceof SavedField ? frequencies.unchanged() : null;
      if (saved) {
        numbers.set(saved, at);
        at += saved.length;
        continue;
      }
      for (const id of frequencies.keys()) numbers[at++] = id;
      for (const frequency of frequencies.values()) numbers[at++] = frequency;
    }
  }
  // toJSON would also write every posting, as strings: shown a view of the index whose
  // `_index` is empty, it writes only the rest.
  const rest = search.toJSON.call(Object.assign(Object.create(search), { _index: [] }));
  return { search: rest, postings: { terms, numbers } };
}

/**
 * Rebuilds an index saved by `savePostings`, its postings kept in the saved numbers (see
 * saved-postings.ts); throws on an index that does not hold together: one a question would
 * trip over later (a passage without field lengths, a posting of no passage) is refused here.
 * `keys`: the keys of the snapshot's passages, which must be exactly the index's.
 */
export function loadPostings<T>(
  saved: { search: unknown; postings: SavedPostings },
  keys: ReadonlySet<number>,
  options: Options<T>,
): MiniSearch<T> {
  const search = MiniSearch.loadJS<T>({ ...(saved.search as AsPlainObject), index: [] }, options);
  const { fieldCount, known } = checkOutline(internals(search), keys);
  const index = internals(search)._index;
  const { terms, numbers } = saved.postings;
  let at = 0;
  for (const term of terms) {
    const fields = new Map<number, FieldMap>();
    at = readTerm(numbers, at, term, (field, ids, count) => {
      const known =
        field < fieldCount && ascending(numbers, ids, count) && everyKnown(numbers, ids, count);
      if (!known) throw badPostings(term);
      fields.set(field, new SavedField(numbers, ids, count));
    });
    index.set(term, fields);
  }
  if (at !== numbers.length) throw new Error("postings do not match their terms");
  return search;

  function everyKnown(numbers: Uint32Array, ids: number, count: number): boolean {
    for (let k = ids; k < ids + count; k++) if (known[numbers[k] as number] !== 1) return false;
    return true;
  }
}

/** MiniSearch numbers passages as they are added; past this, an id is damage, not growth. */
const MAX_SHORT_IDS = 2 ** 28;

/**
 * Checks what a loaded index holds beside its postings against what scoring reads: the
 * fields as configured, one short id per passage key, and each passage's field lengths.
 * Returns the number of fields, and the short ids in use as flags (a Map look-up per
 * posting would cost ten times more).
 */
function checkOutline(
  index: Internals,
  keys: ReadonlySet<number>,
): { fieldCount: number; known: Uint8Array } {
  const fields = index._options.fields;
  const fieldIds = Object.entries(index._fieldIds);
  const sameFields =
    fieldIds.length === fields.length && fields.every((f, i) => index._fieldIds[f] === i);
  const length = (value: unknown) => typeof value === "number" && value >= 0 && value < 2 ** 32;
  const lengths = (list: unknown) =>
    Array.isArray(list) && list.length === fields.length && list.every(length);
  if (!sameFields || !lengths(index._avgFieldLength)) throw new Error("index fields damaged");
  const ids = index._documentIds;
  if (ids.size !== keys.size || index._documentCount !== keys.size) {
    throw new Error("index and passages disagree");
  }
  let last = 0;
  for (const [short, key] of ids) {
    const fits = Number.isInteger(short) && short >= 0 && short < MAX_SHORT_IDS;
    if (!fits || !keys.has(key) || !lengths(index._fieldLength.get(short))) {
      throw new Error(`index entry ${short} damaged`);
    }
    last = Math.max(last, short);
  }
  const known = new Uint8Array(last + 1);
  for (const short of ids.keys()) known[short] = 1;
  return { fieldCount: fields.length, known };
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
    postings.forEach((_, short) => {
      held.add(short);
    });
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
  let count = 0;
  for (const postings of fieldsOf(search, term, field)) count += postings.size;
  return count;
}

/**
 * Which of `words` a passage holds, in the field named or in any field: each word's
 * postings are found once, then each passage asked about costs one look-up per word and field.
 */
export function wordsHeld<T>(
  search: MiniSearch<T>,
  words: Iterable<string>,
  field?: string,
): (key: number) => Set<string> {
  const holds = wordHolder(search, words, field);
  const unique = [...new Set(words)];
  return (key) => {
    const held = new Set<string>();
    for (const word of unique) if (holds(word, key)) held.add(word);
    return held;
  };
}

/**
 * Whether a passage holds one of `words` (false for any other word), in the field named or
 * in any field; each word's postings are found once.
 */
export function wordHolder<T>(
  search: MiniSearch<T>,
  words: Iterable<string>,
  field?: string,
): (word: string, key: number) => boolean {
  const shortIds = internals(search)._idToShortId;
  const postings = new Map<string, FieldMap[]>();
  for (const word of words) postings.set(word, fieldsOf(search, word, field));
  return (word, key) => {
    const fields = postings.get(word);
    const short = shortIds.get(key);
    return fields !== undefined && short !== undefined && holds(fields, short);
  };
}

/** A term's postings in the field named, or one per field holding it (short id → frequency). */
function fieldsOf<T>(search: MiniSearch<T>, term: string, field?: string): FieldMap[] {
  const all = internals(search)._index.get(term);
  if (field !== undefined) {
    const one = all?.get(internals(search)._fieldIds[field] as number);
    return one ? [one] : [];
  }
  return [...(all?.values() ?? [])];
}

/** Whether the passage with this short id is in any of a term's postings. */
function holds(fields: readonly FieldMap[], short: number): boolean {
  return fields.some((postings) => postings.has(short));
}

/**
 * One term's score in each passage holding it: passage keys (the index's whole-number ids)
 * and scores side by side, compact to keep.
 */
export interface TermScores {
  keys: Uint32Array;
  scores: Float64Array;
}

const NO_SCORES: TermScores = { keys: new Uint32Array(), scores: new Float64Array() };

/**
 * Each passage's score for one term, in the order MiniSearch's search meets them: BM25 per
 * field (MiniSearch's formula and parameters, in its order of operations), times the
 * field's boost, summed in the index's field order.
 */
export function termScores<T>(
  search: MiniSearch<T>,
  term: string,
  boost: Readonly<Record<string, number>>,
): TermScores {
  const index = internals(search);
  const fields = index._index.get(term);
  if (!fields) return NO_SCORES;
  const keys: number[] = [];
  const scores: number[] = [];
  // Where each passage's score is, for the fields after the first that hold it too.
  const at = new Map<number, number>();
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
    // forEach, not for-of: a loaded field iterates its saved numbers without making pairs.
    postings.forEach((frequency, short) => {
      const key = index._documentIds.get(short);
      if (key === undefined) return;
      const length = (index._fieldLength.get(short) as number[])[id] as number;
      const bm25 =
        idf * (d + (frequency * (k + 1)) / (frequency + k * (1 - b + (b * length) / average)));
      const score = fieldBoost * bm25;
      const before = at.get(key);
      if (before === undefined) {
        at.set(key, keys.length);
        keys.push(key);
        scores.push(score);
      } else scores[before] = (scores[before] as number) + score;
    });
  }
  return { keys: Uint32Array.from(keys), scores: Float64Array.from(scores) };
}
