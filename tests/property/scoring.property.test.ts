import fc from "fast-check";
import MiniSearch, { type Query } from "minisearch";
import { beforeAll, expect, test } from "vitest";
import { terms } from "../../src/search/analyzer.ts";
import { Library } from "../../src/search/library.ts";
import { type Boosts, Scorer, type SearchPlan } from "../../src/search/scoring.ts";
import { REAL_CORPUS } from "../fixtures/helpers.ts";

interface Row {
  id: number;
  text: string;
  title: string;
}

let search: MiniSearch<Row>;
let vocabulary: string[];

beforeAll(async () => {
  const library = await Library.open(REAL_CORPUS);
  const { index } = library;
  const rows = index.passages.map((p, id) => ({
    id,
    text: index.text(p),
    title: index.documents[p.doc]?.source.title ?? "",
  }));
  // Indexed as the engine indexes passages: analyzer terms, searched as given.
  search = new MiniSearch<Row>({
    fields: ["text", "title"],
    tokenize: (text) => terms(text),
    processTerm: (term) => term,
    searchOptions: { tokenize: (text) => text.split(" "), processTerm: (term) => term },
  });
  search.addAll(rows);
  vocabulary = [...new Set(rows.flatMap((r) => [...terms(r.text), ...terms(r.title)]))].sort();
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

test("scoring a plan ranks and scores passages exactly as MiniSearch's search of it, from remembered term scores too", () => {
  fc.assert(
    fc.property(
      fc.record({
        terms: fc.uniqueArray(word(), { maxLength: 6 }),
        synonyms: fc.uniqueArray(word(), { maxLength: 4 }),
        phrases: fc.array(fc.array(word(), { minLength: 2, maxLength: 3 }), { maxLength: 2 }),
      }),
      fc.record({
        terms: fc.record({ text: boost, title: boost }),
        synonyms: fc.record({ text: boost, title: boost }),
      }),
      fc.option(fc.integer({ min: 2, max: 5 })),
      (plan, boosts, every) => {
        const allowed = every === null ? undefined : (key: number) => key % every !== 0;
        const expected = search
          .search(asQuery(plan, boosts), {
            boost: boosts.terms,
            ...(allowed ? { boostDocument: (id: number) => (allowed(id) ? 1 : 0) } : {}),
          })
          .map((r) => ({ key: r.id as number, score: r.score, terms: [...r.terms].sort() }));
        const scorer = new Scorer(search, boosts);
        const score = () =>
          scorer.score(plan, allowed).map((r) => ({ ...r, terms: [...r.terms].sort() }));
        expect(score()).toEqual(expected);
        // Again, with every term's scores remembered from the first time.
        expect(score()).toEqual(expected);
      },
    ),
    { numRuns: 300 },
  );
});
