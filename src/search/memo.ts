/**
 * A memo that forgets everything when it is full: its size stays bounded, and on the hot
 * paths it serves an LRU's bookkeeping would cost more than the misses it saves.
 */
export class BoundedMemo<K, V> {
  readonly #values = new Map<K, V>();
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** The value remembered for `key`, else `compute(key)`, remembered. */
  get(key: K, compute: (key: K) => V): V {
    const known = this.#values.get(key);
    if (known !== undefined) return known;
    const value = compute(key);
    if (this.#values.size >= this.#limit) this.#values.clear();
    this.#values.set(key, value);
    return value;
  }

  clear(): void {
    this.#values.clear();
  }
}
