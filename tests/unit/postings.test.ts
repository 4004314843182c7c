import MiniSearch from "minisearch";
import { beforeAll, expect, test } from "vitest";
import {
  holdersOf,
  internals,
  loadPostings,
  postingCount,
  savePostings,
  termScores,
  wordsHeld,
} from "../../src/search/postings.ts";
import { terms } from "../../src/text/analyzer.ts";
import { corpusRows, ROW_OPTIONS, type Row } from "../support/corpus-rows.ts";
import { postingRows } from "../support/posting-rows.ts";

/** Postings saved and loaded again: a loaded index reads and changes them in the saved numbers. */

let rows: Row[];
let vocabulary: string[];

beforeAll(async () => {
  ({ rows, vocabulary } = await corpusRows());
});

function built(): MiniSearch<Row> {
  const search = new MiniSearch<Row>(ROW_OPTIONS);
  search.addAll(rows);
  return search;
}

function reloaded(search: MiniSearch<Row>): MiniSearch<Row> {
  return loadPostings<Row>(savePostings(search), new Set(rows.map((r) => r.id)), ROW_OPTIONS);
}

test("a loaded index scores every term in every passage and field as the one saved", () => {
  const original = built();
  const loaded = reloaded(original);
  // Scores read each posting's field, passage and frequency; some words occur twice or more.
  expect(rows.some((r) => terms(r.text).length > new Set(terms(r.text)).size)).toBe(true);
  for (const term of vocabulary) expect(loaded.search(term)).toEqual(original.search(term));
});

test("read in the saved numbers, a loaded index's postings give the counts, scores, holders and words held of the one saved", () => {
  const original = built();
  const loaded = reloaded(original);
  const boost = { text: 1, title: 2.5 };
  const keys = rows.map((r) => r.id);
  for (const [i, term] of vocabulary.entries()) {
    for (const field of [undefined, "text", "title"]) {
      expect(postingCount(loaded, term, field)).toBe(postingCount(original, term, field));
    }
    expect(termScores(loaded, term, boost)).toEqual(termScores(original, term, boost));
    const next = [term, vocabulary[(i * 7 + 3) % vocabulary.length] as string];
    expect(holdersOf(loaded, next, 0)).toEqual(holdersOf(original, next, 0));
  }
  const words = vocabulary.filter((_, i) => i % 4 === 0);
  for (const field of [undefined, "text", "title"]) {
    const [heldLoaded, heldOriginal] = [loaded, original].map((search) =>
      wordsHeld(search, words, field),
    );
    for (const key of keys) expect(heldLoaded?.(key)).toEqual(heldOriginal?.(key));
  }
  expect(holdersOf(loaded, ["notaword"], 0).size).toBe(0);
});

test("changed as a reload changes it, then saved again, a loaded index's postings are the original's", () => {
  const original = built();
  const loaded = reloaded(original);
  // Passages removed, then some added back under new short ids; most terms never touched.
  const changed = rows.filter((r) => r.id % 5 === 0);
  for (const search of [original, loaded]) {
    for (const row of changed) search.remove(row);
    search.addAll(changed.filter((r) => r.id % 2 === 0));
  }
  const before = savePostings(original);
  const after = savePostings(loaded);
  // Term by term: the order terms are saved in is the index tree's, which is not part of them.
  const byTerm = (saved: typeof before) => new Map(postingRows(saved.postings));
  expect(byTerm(after)).toEqual(byTerm(before));
  expect(after.search).toEqual(before.search);
});

test("words held in one field are the ones that field holds", () => {
  const search = new MiniSearch<Row>(ROW_OPTIONS);
  search.addAll([{ id: 7, text: "flights were delayed", title: "ministry pays for flights" }]);
  const words = terms("ministry pays flights delayed");
  const sorted = (held: Set<string>) => [...held].sort();
  expect(sorted(wordsHeld(search, words)(7))).toEqual(sorted(new Set(words)));
  expect(sorted(wordsHeld(search, words, "text")(7))).toEqual(terms("delayed flights").sort());
  expect(sorted(wordsHeld(search, words, "title")(7))).toEqual(
    terms("flights ministry pays").sort(),
  );
});

test("MiniSearch's protected state is what postings.ts reads: a release that changes it fails here", () => {
  // Two passages whose postings are known: term → field id → short id → term frequency.
  const search = new MiniSearch<{ id: number; text: string; title: string }>({
    fields: ["text", "title"],
  });
  search.addAll([
    { id: 70, text: "border border crossing", title: "rules" },
    { id: 71, text: "crossing", title: "border" },
  ]);
  const state = internals(search);
  const { text, title } = state._fieldIds;
  expect([text, title]).toEqual([0, 1]);
  const [first, second] = [70, 71].map((id) => state._idToShortId.get(id) as number);
  expect([first, second].map((short) => state._documentIds.get(short as number))).toEqual([70, 71]);
  const border = state._index.get("border");
  expect(border?.get(text as number)).toEqual(new Map([[first, 2]]));
  expect(border?.get(title as number)).toEqual(new Map([[second, 1]]));
  // A field's length is its number of distinct terms.
  expect(state._fieldLength.get(first as number)).toEqual([2, 1]);
  expect(state._avgFieldLength).toEqual([1.5, 1]);
  expect(state._documentCount).toBe(2);
  expect(state._options.fields).toEqual(["text", "title"]);
  expect(Object.keys(state._options.searchOptions.bm25).sort()).toEqual(["b", "d", "k"]);
});
