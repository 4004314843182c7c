import fc from "fast-check";
import { expect, test } from "vitest";
import { SavedField } from "../../src/search/saved-postings.ts";

/** A field's saved postings behave as the Map MiniSearch would have, under its changes. */

type Change = { kind: "set"; short: number; frequency: number } | { kind: "delete"; short: number };

const saved = fc
  .uniqueArray(fc.integer({ min: 1, max: 50 }), { maxLength: 20 })
  .map((ids) => ids.sort((a, b) => a - b))
  .chain((ids) =>
    fc.record({
      ids: fc.constant(ids),
      frequencies: fc.array(fc.integer({ min: 1, max: 9 }), {
        minLength: ids.length,
        maxLength: ids.length,
      }),
      before: fc.array(fc.nat(), { maxLength: 3 }),
    }),
  );

// Ids up to 60: saved ones, ones never saved, and ones above every saved id, as MiniSearch adds.
const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({
    kind: fc.constant("set" as const),
    short: fc.integer({ min: 0, max: 60 }),
    frequency: fc.integer({ min: 1, max: 9 }),
  }),
  fc.record({ kind: fc.constant("delete" as const), short: fc.integer({ min: 0, max: 60 }) }),
);

const SHORTS = Array.from({ length: 61 }, (_, short) => short);

/** Every read MiniSearch and the readers make, of a field's postings. */
function view(postings: Map<number, number> | SavedField) {
  const each: [number, number][] = [];
  postings.forEach((frequency, short) => {
    each.push([short, frequency]);
  });
  return {
    size: postings.size,
    iterated: [...postings],
    entries: [...postings.entries()],
    keys: [...postings.keys()],
    values: [...postings.values()],
    each,
    got: SHORTS.map((short) => postings.get(short)),
    has: SHORTS.map((short) => postings.has(short)),
  };
}

test("a saved field answers every read as a Map given the same changes would", () => {
  fc.assert(
    fc.property(
      saved,
      fc.array(change, { maxLength: 40 }),
      ({ ids, frequencies, before }, changes) => {
        // Other numbers around the field's, as in a snapshot.
        const numbers = Uint32Array.from([...before, ...ids, ...frequencies, 7, 7]);
        const field = new SavedField(numbers, before.length, ids.length);
        const map = new Map(ids.map((id, i) => [id, frequencies[i] as number]));
        const agree = () => expect(view(field)).toEqual(view(map));
        agree();
        for (const c of changes) {
          if (c.kind === "set") {
            expect(field.set(c.short, c.frequency)).toBe(field);
            map.set(c.short, c.frequency);
          } else {
            expect(field.delete(c.short)).toBe(map.delete(c.short));
          }
          agree();
        }
        // The saved numbers are handed over as they are only while they still hold.
        const unchanged = field.unchanged();
        const now = [...map.keys(), ...map.values()];
        if (unchanged) expect([...unchanged]).toEqual(now);
        if (changes.length === 0) expect(unchanged).not.toBeNull();
        field.clear();
        map.clear();
        agree();
      },
    ),
    { numRuns: 300 },
  );
});
