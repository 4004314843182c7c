import { readTerm, type SavedPostings } from "../../src/search/saved-postings.ts";

/** Saved postings decoded term by term, for tests to compare them whole. */

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
