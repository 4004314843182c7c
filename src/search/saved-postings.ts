/**
 * The postings as the snapshot keeps them, and a loaded index's postings kept that way.
 *
 * Turning 3.75 million saved postings (100k passages) back into maps, and collecting them as
 * they moved up the heap, was half of a start from the snapshot, when a question reads a
 * few dozen terms and a reload changes a few hundred. So each field's postings of a term
 * stay in the saved numbers (see SavedField) and only what changes is kept apart.
 */

/**
 * The postings of `terms`, in order: for each term, how many fields hold it, then for each
 * of those the field id, a count n, n short ids and n frequencies.
 */
export interface SavedPostings {
  terms: string[];
  numbers: Uint32Array;
}

/**
 * Reads the postings of the term starting at `at`, handing `each` every field with where its
 * `count` short ids start (the frequencies follow them); returns where the next term starts.
 * Throws where they run short or over, or hold the term in no field or a field no passage.
 */
export function readTerm(
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

/** Whether the `count` short ids from `ids` ascend, as every field's postings must. */
export function ascending(numbers: Uint32Array, ids: number, count: number): boolean {
  for (let k = ids + 1; k < ids + count; k++) {
    if ((numbers[k] as number) <= (numbers[k - 1] as number)) return false;
  }
  return true;
}

export function badPostings(term: string): Error {
  return new Error(`bad postings for ${JSON.stringify(term).slice(0, 80)}`);
}

/**
 * One field's postings of a term (short id → frequency) as MiniSearch keeps them, with
 * Map's methods, read from the saved numbers in place: a passage is found by binary search,
 * as short ids ascend (MiniSearch numbers passages as they are added and appends each to
 * the postings). What MiniSearch changes later is kept apart: passages removed, frequencies
 * changed, passages added (with higher ids than any saved, so the order holds).
 */
export class SavedField {
  readonly #numbers: Uint32Array;
  readonly #ids: number;
  #count: number;
  #removed: Set<number> | null = null;
  #changed: Map<number, number> | null = null;
  #added: Map<number, number> | null = null;

  /** The postings whose `count` short ids start at `ids` in `numbers`, their frequencies after them. */
  constructor(numbers: Uint32Array, ids: number, count: number) {
    this.#numbers = numbers;
    this.#ids = ids;
    this.#count = count;
  }

  /** The saved ids then frequencies, while nothing was changed. */
  unchanged(): Uint32Array | null {
    if (this.#removed || this.#changed || this.#added) return null;
    return this.#numbers.subarray(this.#ids, this.#ids + 2 * this.#count);
  }

  get size(): number {
    return this.#count - (this.#removed?.size ?? 0) + (this.#added?.size ?? 0);
  }

  get(short: number): number | undefined {
    const at = this.#saved(short);
    return at < 0 ? this.#added?.get(short) : this.#frequencyAt(at);
  }

  has(short: number): boolean {
    return this.get(short) !== undefined;
  }

  set(short: number, frequency: number): this {
    if (this.#saved(short) < 0) {
      this.#added ??= new Map();
      this.#added.set(short, frequency);
    } else {
      this.#changed ??= new Map();
      this.#changed.set(short, frequency);
    }
    return this;
  }

  delete(short: number): boolean {
    if (this.#saved(short) < 0) return this.#added?.delete(short) ?? false;
    this.#removed ??= new Set();
    this.#removed.add(short);
    this.#changed?.delete(short);
    return true;
  }

  clear(): void {
    this.#count = 0;
    this.#removed = this.#changed = this.#added = null;
  }

  *entries(): Generator<[number, number]> {
    const end = this.#ids + this.#count;
    for (let k = this.#ids; k < end; k++) {
      const frequency = this.#frequencyAt(k);
      if (frequency !== undefined) yield [this.#numbers[k] as number, frequency];
    }
    if (this.#added) yield* this.#added;
  }

  *keys(): Generator<number> {
    for (const [short] of this.entries()) yield short;
  }

  *values(): Generator<number> {
    for (const [, frequency] of this.entries()) yield frequency;
  }

  /** As Map's; the way to read many postings, as it makes no pair per posting. */
  forEach(each: (frequency: number, short: number, map: this) => void, self?: unknown): void {
    const end = this.#ids + this.#count;
    for (let k = this.#ids; k < end; k++) {
      const frequency = this.#frequencyAt(k);
      if (frequency !== undefined) each.call(self, frequency, this.#numbers[k] as number, this);
    }
    this.#added?.forEach((frequency, short) => {
      each.call(self, frequency, short, this);
    });
  }

  [Symbol.iterator](): Generator<[number, number]> {
    return this.entries();
  }

  /** The frequency of the saved posting at `k` as it stands now; undefined once removed. */
  #frequencyAt(k: number): number | undefined {
    const short = this.#numbers[k] as number;
    if (this.#removed?.has(short)) return undefined;
    return this.#changed?.get(short) ?? (this.#numbers[k + this.#count] as number);
  }

  /** Where `short` is among the saved ids; -1 if it is not, or was removed. */
  #saved(short: number): number {
    let low = this.#ids;
    let high = this.#ids + this.#count - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const id = this.#numbers[middle] as number;
      if (id === short) return this.#removed?.has(short) ? -1 : middle;
      if (id < short) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }
}
