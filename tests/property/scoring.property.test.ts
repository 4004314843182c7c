import fc from "fast-check";
import MiniSearch, { type Query } from "minisearch";
import { beforeAll, expect, test } from "vitest";
import { type Boosts, Scorer, type SearchPlan } from "../../src/search/scoring.ts";
import { corpusRows, ROW_OPTIONS, type Row } from "../support/corpus-rows.ts";

let search: MiniSearch<Row>;
let vocabulary: string[];

beforeAll(async () => {
  const corpus = await corpusRows();
  search = new MiniSearch<Row>(ROW_OPTIONS);
  search.addAll(corpus.rows);
  vocabulary = corpus.vocabulary;
});

/** The plan as one MiniSearch query: terms OR (synonyms OR phrases), the latter boosted. */
function asQuery(plan: SearchPlan, boosts: Boosts): Query {
  return {
    combineWith: "OR",
    queries: [
      plan.terms.join(" "),
      {
        combineWith: "OR",
        queries: [
          plan.synonyms.join(" "),
          ...plan.phrases.map((words) => ({ combineWith: "AND" as const, queries: [...words] })),
        ],
        boost: boosts.synonyms,
      },
    ],
  };
}

const word = () =>
  fc.oneof(
    fc.nat().map((i) => vocabulary[i % vocabulary.length] as string),
    fc.constant("notaword"),
  );
const boost = fc.double({ min: 0.05, max: 3, noNaN: true });

const plans = () =>
  fc.record({
    terms: fc.uniqueArray(word(), { maxLength: 6 }),
    synonyms: fc.uniqueArray(word(), { maxLength: 4 }),
    phrases: fc.array(fc.array(word(), { minLength: 2, maxLength: 3 }), { maxLength: 2 }),
  });

test("scoring plans one after another ranks and scores passages exactly as MiniSearch's search of each, from remembered term scores too, the first `limit` when asked", () => {
  fc.assert(
    fc.property(
      fc.array(plans(), { minLength: 1, maxLength: 3 }),
      fc.record({
        terms: fc.record({ text: boost, title: boost }),
        synonyms: fc.record({ text: boost, title: boost }),
      }),
      fc.option(fc.integer({ min: 2, max: 5 })),
      fc.integer({ min: 1, max: 12 }),
      (sequence, boosts, every, limit) => {
        const allowed = every === null ? undefined : (key: number) => key % every !== 0;
        // One scorer for every plan: what one plan sums must not leak into the next.
        const scorer = new Scorer(search, boosts);
        const score = (plan: SearchPlan, top?: number) =>
          scorer.score(plan, allowed, top).map((r) => ({ ...r, terms: [...r.terms].sort() }));
        for (const plan of sequence) {
          const expected = search
            .search(asQuery(plan, boosts), {
              boost: boosts.terms,
              ...(allowed ? { boostDocument: (id: number) => (allowed(id) ? 1 : 0) } : {}),
            })
            .map((r) => ({ key: r.id as number, score: r.score, terms: [...r.terms].sort() }));
          expect(score(plan)).toEqual(expected);
          // Again, with every term's scores remembered from the first time.
          expect(score(plan)).toEqual(expected);
          expect(score(plan, limit)).toEqual(expected.slice(0, limit));
        }
      },
    ),
    { numRuns: 300 },
  );
});
