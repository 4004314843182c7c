import type { TermScores } from "./postings.ts";
import type { Scored } from "./scoring.ts";

// The sums' arrays start small and double when a key or count outgrows them: they end as
// large as the index needs, once.
const FIRST_SIZE = 16;

/**
 * One side of a plan's sums: the question's own terms, or their synonyms and phrases. The
 * two are summed apart, then added, as MiniSearch's search adds its two subqueries.
 */
class Side {
  /** Per passage key: the sum, and whether the side met the passage (1) or not (0). */
  sums: Float64Array = new Float64Array(FIRST_SIZE);
  seen: Uint8Array = new Uint8Array(FIRST_SIZE);
  /** Keys in the order met. */
  met: Uint32Array = new Uint32Array(FIRST_SIZE);
  count = 0;

  has(key: number): boolean {
    return this.seen[key] === 1;
  }

  meet(key: number): void {
    if (this.count >= this.met.length) this.met = grown(this.met, this.count);
    this.met[this.count++] = key;
    this.seen[key] = 1;
  }

  /** Forgets the passages met, their sums back to zero. */
  reset(): void {
    for (let i = 0; i < this.count; i++) {
      const key = this.met[i] as number;
      this.sums[key] = 0;
      this.seen[key] = 0;
    }
    this.count = 0;
  }

  fit(top: number): void {
    this.sums = grown(this.sums, top);
    this.seen = grown(this.seen, top);
  }
}

/**
 * One plan's sums per passage, in arrays indexed by passage key that serve plan after
 * plan; the words each passage holds are lists of word numbers in a shared pool.
 */
export class Sums {
  readonly own = new Side();
  readonly other = new Side();
  /** Per key: the first node of its words in the pool (-1 for none), and how many. */
  #firstWord: Int32Array = new Int32Array(FIRST_SIZE).fill(-1);
  #wordCount: Uint32Array = new Uint32Array(FIRST_SIZE);
  /** Per key: the final score, for the passages `best` ranks. */
  #final: Float64Array = new Float64Array(FIRST_SIZE);
  /** The pool: each node's word number and the next node (-1 ends the list). */
  #nodeWord: Uint32Array = new Uint32Array(FIRST_SIZE);
  #nodeNext: Int32Array = new Int32Array(FIRST_SIZE);
  #nodes = 0;
  /** The plan's words; a word's number is its place here. */
  readonly #words: string[] = [];
  /** The best keys of the plan so far, best first. */
  readonly #top: number[] = [];

  reset(): void {
    for (const side of [this.own, this.other]) {
      for (let i = 0; i < side.count; i++) {
        const key = side.met[i] as number;
        this.#firstWord[key] = -1;
        this.#wordCount[key] = 0;
      }
      // A side's sums stay zero for passages it did not meet: only what it met is reset.
      side.reset();
    }
    this.#nodes = 0;
    this.#words.length = 0;
  }

  /** Adds a term's (or phrase's) scores to one side's sums, and its words to the passages'. */
  add(
    side: Side,
    { keys, scores }: TermScores,
    words: readonly string[],
    allowed?: (key: number) => boolean,
  ): void {
    const numbers = words.map((word) => this.#number(word));
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as number;
      if (allowed && !allowed(key)) continue;
      if (key >= this.#wordCount.length) this.#fit(key);
      if (!side.has(key)) side.meet(key);
      side.sums[key] = (side.sums[key] as number) + (scores[i] as number);
      for (const number of numbers) this.#hold(key, number);
    }
  }

  /**
   * The two sides' sums added, times the number of words held, best first, ties in the
   * order met (the own side's first); only the first `limit` become results.
   */
  best(limit: number): Scored[] {
    const own = this.own.sums;
    const other = this.other.sums;
    const final = this.#final;
    // Each passage goes into the best `limit` so far, after those scoring as well: ties keep
    // the order met, and the thousands of passages a plan meets on a large corpus are not
    // all sorted for the few kept.
    const top = this.#top;
    top.length = 0;
    for (const side of [this.own, this.other]) {
      for (let i = 0; i < side.count; i++) {
        const key = side.met[i] as number;
        // A passage both sides met is in the own side's order.
        if (side === this.other && this.own.has(key)) continue;
        const score =
          ((own[key] as number) + (other[key] as number)) * (this.#wordCount[key] as number);
        final[key] = score;
        if (top.length >= limit && score <= (final[top[top.length - 1] as number] as number)) {
          continue;
        }
        let at = top.length < limit ? top.push(key) - 1 : top.length - 1;
        for (; at > 0 && (final[top[at - 1] as number] as number) < score; at--) {
          top[at] = top[at - 1] as number;
        }
        top[at] = key;
      }
    }
    return top.map((key) => ({ key, score: final[key] as number, terms: this.#wordsOf(key) }));
  }

  #number(word: string): number {
    // A plan holds few words (the question's and their synonyms): searching them costs
    // less than keeping a map.
    const number = this.#words.indexOf(word);
    return number === -1 ? this.#words.push(word) - 1 : number;
  }

  /** Grows the arrays indexed by key to hold `top`. */
  #fit(top: number): void {
    this.own.fit(top);
    this.other.fit(top);
    this.#final = grown(this.#final, top);
    const first = grown(this.#firstWord, top);
    first.fill(-1, this.#firstWord.length);
    this.#firstWord = first;
    this.#wordCount = grown(this.#wordCount, top);
  }

  /** Records that the passage holds the word, unless it is recorded already. */
  #hold(key: number, word: number): void {
    let node = this.#firstWord[key] as number;
    for (; node !== -1; node = this.#nodeNext[node] as number) {
      if (this.#nodeWord[node] === word) return;
    }
    if (this.#nodes >= this.#nodeWord.length) {
      this.#nodeWord = grown(this.#nodeWord, this.#nodes);
      this.#nodeNext = grown(this.#nodeNext, this.#nodes);
    }
    node = this.#nodes++;
    this.#nodeWord[node] = word;
    this.#nodeNext[node] = this.#firstWord[key] as number;
    this.#firstWord[key] = node;
    this.#wordCount[key] = (this.#wordCount[key] as number) + 1;
  }

  #wordsOf(key: number): string[] {
    // Sized once: an array grown by pushes reserves room for 17 words.
    const words = new Array<string>(this.#wordCount[key] as number);
    let node = this.#firstWord[key] as number;
    for (let i = 0; node !== -1; node = this.#nodeNext[node] as number) {
      words[i++] = this.#words[this.#nodeWord[node] as number] as string;
    }
    return words;
  }
}

function grown<A extends Float64Array | Uint32Array | Int32Array | Uint8Array>(
  array: A,
  index: number,
): A {
  const bigger = new (array.constructor as new (length: number) => A)(
    Math.max(index + 1, array.length * 2),
  );
  bigger.set(array);
  return bigger;
}
