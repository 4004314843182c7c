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
 * - The snapshot keeps the postings as one array of 32-bit numbers beside the list of terms.
 *   `MiniSearch.loadJS` turns each posting's key back from a string (Object.keys, then
 *   parseInt): at 100k passages that was 2.2 s of a 4.6 s start, against 0.5 s for rows of
 *   numbers; reading the numbers as binary rather than as JSON saves parsing and collecting
 *   another 7 million of them. A loaded index keeps them there: a term becomes maps only
 *   when MiniSearch itself reads or changes it (see SavedTerm).
 * - How many passages hold a term is the size of its postings, which MiniSearch keeps
 *   exact as passages come and go (they are removed, not discarded).
 * - Which question words a candidate passage holds is a look-up in those words' postings,
 *   where reading the passage would mean tokenizing its text again.
 * - Finding the passages that hold several common terms walks the rarest term's postings and
 *   looks each passage up in the others', where a search walks every posting of each term.
 * - A term's score per passage is summed straight from its postings (see scoring.ts).
 */

/**
 * The postings of `terms`, in order: for each term, how many fields hold it, then for each
 * of those the field id, a count n, n short ids and n frequencies.
 */
export interface SavedPostings {
  terms: string[];
  numbers: Uint32Array;
}

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

/** MiniSearch's own serialization without the postings, and the postings. */
export function savePostings<T>(search: MiniSearch<T>): {
  search: AsPlainObject;
  postings: SavedPostings;
} {
  const index = internals(search)._index;
  // Terms still as loaded are copied as they are, which leaves them unfilled.
  const asSaved = (fields: Map<number, Map<number, number>>) =>
    fields instanceof SavedTerm ? fields.unfilled() : null;
  let size = 0;
  for (const fields of index.values()) {
    const saved = asSaved(fields);
    if (saved) size += saved.length;
    else {
      size += 1;
      for (const frequencies of fields.values()) size += 2 + 2 * frequencies.size;
    }
  }
  const terms: string[] = [];
  const numbers = new Uint32Array(size);
  let at = 0;
  for (const [term, fields] of index) {
    terms.push(term);
    const saved = asSaved(fields);
    if (saved) {
      numbers.set(saved, at);
      at += saved.length;
      continue;
    }
    numbers[at++] = fields.size;
    for (const [field, frequencies] of fields) {
      numbers[at++] = field;
      numbers[at++] = frequencies.size;
      for (const id of frequencies.keys()) numbers[at++] = id;
      for (const frequency of frequencies.values()) numbers[at++] = frequency;
    }
  }
  // toJSON would also write every posting the slow way (1.9 s at 100k passages): shown a view
  // of the index whose `_index` is empty, it writes only the rest.
  const rest = search.toJSON.call(Object.assign(Object.create(search), { _index: [] }));
  return { search: rest, postings: { terms, numbers } };
}

/**
 * Rebuilds an index saved by `savePostings`; throws on postings that do not hold together.
 * Each term's maps are filled from the numbers the first time they are asked for (see
 * SavedTerm): filling all 3.75 million postings of 100k passages, and collecting them as
 * they moved up the heap, was half of a start, when a question reads a few dozen terms.
 */
export function loadPostings<T>(
  saved: { search: unknown; postings: SavedPostings },
  options: Options<T>,
): MiniSearch<T> {
  const search = MiniSearch.loadJS<T>({ ...(saved.search as AsPlainObject), index: [] }, options);
  const index = internals(search)._index;
  const fieldCount = Object.keys(internals(search)._fieldIds).length;
  const { terms, numbers } = saved.postings;
  let at = 0;
  for (const term of terms) {
    const start = at;
    at = readTerm(numbers, at, term, (field, ids, count) => {
      if (field >= fieldCount) throw badPostings(term);
      // Short ids ascend in each field's postings: MiniSearch numbers passages as they are
      // added and appends each to the postings; a SavedField finds one by binary search.
      for (let k = ids + 1; k < ids + count; k++) {
        if ((numbers[k] as number) <= (numbers[k - 1] as number)) throw badPostings(term);
      }
    });
    index.set(term, new SavedTerm(numbers, start, at));
  }
  if (at !== numbers.length) throw new Error("postings do not match their terms");
  return search;
}

/**
 * A term's postings in MiniSearch's shape, filled from the saved numbers on first use.
 * MiniSearch reads and changes them only through Map's methods, each of which fills first;
 * this module's readers read the saved numbers as they are (see `reader`).
 */
class SavedTerm extends Map<number, Map<number, number>> {
  /** All the saved numbers until this term's are filled in; its own (checked by loadPostings) are from `start` to `end`. */
  #numbers: Uint32Array | null;
  readonly #start: number;
  readonly #end: number;

  // Offsets rather than a view of its own: 84k views made a start at 100k passages 0.3 s slower.
  constructor(numbers: Uint32Array, start: number, end: number) {
    super();
    this.#numbers = numbers;
    this.#start = start;
    this.#end = end;
  }

  /**
   * The postings per field, to read: the maps once filled, else views of the saved numbers.
   * Answers read only these, so a question's common words, with tens of thousands of
   * postings, are not filled in a loaded index (the first answers after a start at 100k
   * passages had a p99 of 37 ms when they were), and memory holds only what changed.
   */
  reader(): ReadonlyMap<number, FieldReader> {
    const numbers = this.#numbers;
    if (numbers === null) return this;
    const fields = new Map<number, FieldReader>();
    readTerm(numbers, this.#start, "", (field, ids, count) => {
      fields.set(field, new SavedField(numbers, ids, count));
    });
    return fields;
  }

  /** The term's saved numbers, unless the maps were filled from them. */
  unfilled(): Uint32Array | null {
    return this.#numbers?.subarray(this.#start, this.#end) ?? null;
  }

  #fill(): void {
    const numbers = this.#numbers;
    if (numbers === null) return;
    this.#numbers = null;
    readTerm(numbers, this.#start, "", (field, ids, count) => {
      const postings = new Map<number, number>();
      for (let k = ids; k < ids + count; k++)
        postings.set(numbers[k] as number, numbers[k + count] as number);
      super.set(field, postings);
    });
  }

  override get size(): number {
    this.#fill();
    return super.size;
  }
  override get(field: number): Map<number, number> | undefined {
    this.#fill();
    return super.get(field);
  }
  override has(field: number): boolean {
    this.#fill();
    return super.has(field);
  }
  override set(field: number, postings: Map<number, number>): this {
    this.#fill();
    return super.set(field, postings);
  }
  override delete(field: number): boolean {
    this.#fill();
    return super.delete(field);
  }
  override clear(): void {
    this.#numbers = null;
    super.clear();
  }
  override forEach(
    each: (
      postings: Map<number, number>,
      field: number,
      map: Map<number, Map<number, number>>,
    ) => void,
    self?: unknown,
  ): void {
    this.#fill();
    super.forEach(each, self);
  }
  override keys(): MapIterator<number> {
    this.#fill();
    return super.keys();
  }
  override values(): MapIterator<Map<number, number>> {
    this.#fill();
    return super.values();
  }
  override entries(): MapIterator<[number, Map<number, number>]> {
    this.#fill();
    return super.entries();
  }
  override [Symbol.iterator](): MapIterator<[number, Map<number, number>]> {
    return this.entries();
  }
}

/** What this module's readers ask of a term's postings in one field (short id → frequency). */
interface FieldReader {
  readonly size: number;
  has(short: number): boolean;
  keys(): Iterable<number>;
  [Symbol.iterator](): Iterator<[number, number]>;
}

/** A term's saved postings in one field, read where they are: ids ascend (see loadPostings). */
class SavedField implements FieldReader {
  readonly #numbers: Uint32Array;
  readonly #ids: number;
  readonly size: number;

  constructor(numbers: Uint32Array, ids: number, count: number) {
    this.#numbers = numbers;
    this.#ids = ids;
    this.size = count;
  }

  has(short: number): boolean {
    let low = this.#ids;
    let high = this.#ids + this.size - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const id = this.#numbers[middle] as number;
      if (id === short) return true;
      if (id < short) low = middle + 1;
      else high = middle - 1;
    }
    return false;
  }

  keys(): Iterable<number> {
    return this.#numbers.subarray(this.#ids, this.#ids + this.size);
  }

  *[Symbol.iterator](): Iterator<[number, number]> {
    const end = this.#ids + this.size;
    for (let k = this.#ids; k < end; k++) {
      yield [this.#numbers[k] as number, this.#numbers[k + this.size] as number];
    }
  }
}

/** One field's postings of a term: passage short ids, and their frequencies in the same order. */
export interface FieldPostings {
  field: number;
  ids: Uint32Array;
  frequencies: Uint32Array;
}

/** Each term with its postings per field, read from the saved numbers; throws as `readTerm`. */
export function* postingRows(postings: SavedPostings): Generator<[string, FieldPostings[]]> {
  const { terms, numbers } = postings;
  let at = 0;
  for (const term of terms) {
    const fields: FieldPostings[] = [];
    at = readTerm(numbers, at, term, (field, ids, count) => {
      fields.push({
        field,
        ids: numbers.subarray(ids, ids + count),
        frequencies: numbers.subarray(ids + count, ids + 2 * count),
      });
    });
    yield [term, fields];
  }
  if (at !== numbers.length) throw new Error("postings do not match their terms");
}

/**
 * Reads the postings of the term starting at `at`, handing `each` every field with where its
 * `count` short ids start (the frequencies follow them); returns where the next term starts.
 * Throws where they run short or over, or hold the term in no field or a field no passage.
 */
function readTerm(
  numbers: Uint32Array,
  at: number,
  term: string,
  each: (field: number, ids: number, count: number) => void,
): number {
  // Past the end, a number reads as 0, so postings that run short fail the checks.
  const held = numbers[at++] ?? 0;
  if (held === 0) throw badPostings(term);
  for (let f = 0; f < held; f++) {
    const field = numbers[at] ?? 0;
    const count = numbers[at + 1] ?? 0;
    const ids = at + 2;
    at = ids + 2 * count;
    if (count === 0 || at > numbers.length) throw badPostings(term);
    each(field, ids, count);
  }
  return at;
}

function badPostings(term: string): Error {
  return new Error(`bad postings for ${JSON.stringify(term).slice(0, 80)}`);
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
  const fields = readerOf(search, term);
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

/** A term's postings per field, to read (see SavedTerm.reader). */
function readerOf<T>(
  search: MiniSearch<T>,
  term: string,
): ReadonlyMap<number, FieldReader> | undefined {
  const fields = internals(search)._index.get(term);
  return fields instanceof SavedTerm ? fields.reader() : fields;
}

/** A term's postings, one reader (short id → frequency) per field holding it. */
function fieldsOf<T>(search: MiniSearch<T>, term: string): FieldReader[] {
  return [...(readerOf(search, term)?.values() ?? [])];
}

/** Whether the passage with this short id is in any of a term's postings. */
function holds(fields: readonly FieldReader[], short: number): boolean {
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
  const fields = readerOf(search, term);
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
    for (const [short, frequency] of postings) {
      const key = index._documentIds.get(short);
      if (key === undefined) continue;
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
    }
  }
  return { keys: Uint32Array.from(keys), scores: Float64Array.from(scores) };
}
