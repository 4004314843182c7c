import { readFileSync } from "node:fs";
import { appendFile, readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { SYNONYMS_FILE } from "../../src/corpus/load.ts";
import { Library } from "../../src/search/library.ts";
import { SNAPSHOT_FILE } from "../../src/search/snapshot.ts";
import { fixtureCorpusCopy, markdown, removeDir, tempDir } from "../fixtures/helpers.ts";

// Wrapped, not replaced: files are really read; the test counts which ones.
vi.mock("node:fs/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs/promises")>();
  return { ...actual, readFile: vi.fn(actual.readFile) };
});
vi.mock("node:fs", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs")>();
  return { ...actual, readFileSync: vi.fn(actual.readFileSync) };
});

const CHANGED = "ministry-seasonal-workers.txt";
const PERMITS = "\n\nThe ministry said the permits would be issued within ten days.\n";
// Files changed less than this long before a read are read again next time (RACY_MS in load.ts).
const SETTLE_MS = 2100;

let dir: string;
let dataDir: string;
beforeEach(async () => {
  dir = await fixtureCorpusCopy();
  dataDir = await tempDir();
  forgetReads();
});
afterEach(async () => {
  await removeDir(dir);
  await removeDir(dataDir);
});

const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

function forgetReads(): void {
  vi.mocked(readFile).mockClear();
  vi.mocked(readFileSync).mockClear();
}

/** A library started from a snapshot of the settled corpus. */
async function startFromSnapshot(): Promise<Library> {
  await settle();
  await Library.open(dir, { dataDir });
  forgetReads();
  const library = await Library.open(dir, { dataDir });
  expect(library.origin).toBe("snapshot");
  return library;
}

/** The document files read since the mocks were last cleared (the small synonyms file is always read). */
function filesRead(): string[] {
  return [...vi.mocked(readFile).mock.calls, ...vi.mocked(readFileSync).mock.calls]
    .map(([path]) => String(path))
    .filter((path) => path.startsWith(dir))
    .map((path) => path.slice(dir.length + 1))
    .filter((file) => file !== SYNONYMS_FILE)
    .sort();
}

test("a reload reads only the files whose size or times changed", async () => {
  await settle();
  const library = await Library.open(dir);
  await appendFile(join(dir, CHANGED), PERMITS);
  forgetReads();
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
  forgetReads();
  const report = await library.reload();
  expect(report.changed).toEqual([]);
  expect(filesRead()).toEqual(opened);
});

test("a start from the snapshot reads no document file that is unchanged since it was made", async () => {
  const library = await startFromSnapshot();
  expect(filesRead()).toEqual([]);
  expect(library.answer("How many men can the centres hold?").answered).toBe(true);
});

test("after a start from the snapshot, a reload that cleans every document again reads them then", async () => {
  const library = await startFromSnapshot();
  // A second page with the same breadcrumb makes it boilerplate: every document is cleaned again.
  await writeFile(
    join(dir, "harbour-daily-shelters.txt"),
    markdown(
      { title: "Shelters fill up in the port city", outlet: "The Harbour Daily" },
      "Home > World > Europe\n\nVolunteers said the three shelters near the port were full for the fourth night in a row.",
    ),
  );
  forgetReads();
  const report = await library.reload();
  expect(report.ok).toBe(true);
  expect(report.added).toEqual(["harbour-daily-shelters.txt"]);
  expect(filesRead()).toEqual([...new Set(filesRead())]);
  expect(filesRead().length).toBe(5);
  expect(library.answer("How many men can the centres hold?").answered).toBe(true);
  expect(library.answer("Were the shelters near the port full?").results[0]?.quote).toContain(
    "three shelters near the port",
  );
});

test("after a start from the snapshot, a renamed file is found under its new name", async () => {
  const library = await startFromSnapshot();
  await rename(join(dir, CHANGED), join(dir, "seasonal-workers-renamed.txt"));
  const report = await library.reload();
  expect(report.ok).toBe(true);
  expect(report.skipped).toEqual([]);
  expect(report.removed).toEqual([CHANGED]);
  expect(report.added).toEqual(["seasonal-workers-renamed.txt"]);
  expect(library.stats().documents).toBe(4);
});

test("a file known from the snapshot that vanishes while the corpus is cleaned again is read afresh", async () => {
  await settle();
  await Library.open(dir, { dataDir });
  // A changed file makes the snapshot stale, so every document is cleaned again from its text.
  await appendFile(join(dir, CHANGED), PERMITS);
  // The race cannot be timed for real: the first lazy read fails as a vanished file would.
  vi.mocked(readFileSync).mockImplementationOnce(() => {
    throw Object.assign(new Error("ENOENT: no such file or directory"), { code: "ENOENT" });
  });
  const library = await Library.open(dir, { dataDir });
  expect(library.origin).toMatch(/^built/u);
  expect(library.stats().documents).toBe(4);
  expect(library.answer("How soon will the permits be issued?").results[0]?.quote).toContain(
    "within ten days",
  );
});

test("a start that read files again to match the snapshot saves it again on close, and the next start reads none", async () => {
  // Made right after the files were written: the snapshot's stamps cannot vouch for them.
  await Library.open(dir, { dataDir });
  await settle();
  forgetReads();
  const second = await Library.open(dir, { dataDir });
  expect(second.origin).toBe("snapshot");
  expect(filesRead().length).toBe(4);
  await second.close();
  forgetReads();
  const third = await Library.open(dir, { dataDir });
  expect(third.origin).toBe("snapshot");
  expect(filesRead()).toEqual([]);
});

test("a snapshot a reload is still waiting to save is saved on close: the next start loads it", async () => {
  const library = await startFromSnapshot();
  await appendFile(join(dir, CHANGED), PERMITS);
  expect((await library.reload()).changed).toEqual([CHANGED]);
  await library.close();
  const next = await Library.open(dir, { dataDir });
  expect(next.origin).toBe("snapshot");
  expect(next.answer("How soon will the permits be issued?").results[0]?.quote).toContain(
    "within ten days",
  );
});

test("closing a library with nothing waiting to save writes nothing", async () => {
  const library = await startFromSnapshot();
  const before = await stat(join(dataDir, SNAPSHOT_FILE));
  await library.close();
  expect((await stat(join(dataDir, SNAPSHOT_FILE))).mtimeMs).toBe(before.mtimeMs);
});
