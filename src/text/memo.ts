/**
 * A memo that forgets everything when it is full: its size stays bounded, and on the hot
 * paths it serves an LRU's bookkeeping would cost more than the misses it saves. Full is
 * `limit` values, or `limit` units of what `weigh` says each value holds.
 */
export class BoundedMemo<K, V> {
  readonly #values = new Map<K, V>();
  readonly #limit: number;
  readonly #weigh: ((value: V) => number) | undefined;
  #held = 0;

  constructor(limit: number, weigh?: (value: V) => number) {
    this.#limit = limit;
    this.#weigh = weigh;
  }

  /** The value remembered for `key`, else `compute(key)`, remembered. */
  get(key: K, compute: (key: K) => V): V {
    const known = this.#values.get(key);
    if (known !== undefined) return known;
    const value = compute(key);
    const weight = this.#weigh ? this.#weigh(value) : 1;
    if (this.#held + weight > this.#limit) this.clear();
    this.#values.set(key, value);
    this.#held += weight;
    return value;
  }

  clear(): void {
    this.#values.clear();
    this.#held = 0;
  }
}
