import { appendFile, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { SYNONYMS_FILE } from "../../src/corpus/load.ts";
import { Library } from "../../src/search/library.ts";
import { fixtureCorpusCopy, removeDir } from "../fixtures/helpers.ts";

// Wrapped, not replaced: files are really read; the test counts which ones.
vi.mock("node:fs/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs/promises")>();
  return { ...actual, readFile: vi.fn(actual.readFile) };
});

const CHANGED = "ministry-seasonal-workers.txt";
// Files changed less than this long before a read are read again next time (RACY_MS in load.ts).
const SETTLE_MS = 2100;

let dir: string;
beforeEach(async () => {
  dir = await fixtureCorpusCopy();
});
afterEach(() => removeDir(dir));

/** The document files read since the mock was last cleared (the small synonyms file is always read). */
function filesRead(): string[] {
  return vi
    .mocked(readFile)
    .mock.calls.map(([path]) => String(path))
    .filter((path) => path.startsWith(dir))
    .map((path) => path.slice(dir.length + 1))
    .filter((file) => file !== SYNONYMS_FILE)
    .sort();
}

test("a reload reads only the files whose size or times changed", async () => {
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const library = await Library.open(dir);
  await appendFile(
    join(dir, CHANGED),
    "\n\nThe ministry said the permits would be issued within ten days.\n",
  );
  vi.mocked(readFile).mockClear();
  const report = await library.reload();
  expect(report.changed).toEqual([CHANGED]);
  expect(filesRead()).toEqual([CHANGED]);
  expect(library.answer("How soon will the permits be issued?").results[0]?.quote).toContain(
    "within ten days",
  );
});

test("files changed just before the last read are read again, whatever their stamp", async () => {
  const library = await Library.open(dir);
  const opened = filesRead();
  expect(opened.length).toBe(4);
  vi.mocked(readFile).mockClear();
  const report = await library.reload();
  expect(report.changed).toEqual([]);
  expect(filesRead()).toEqual(opened);
});
