import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, expect, test, vi } from "vitest";
import { fixtureCorpusCopy, removeDir, tempDir } from "../fixtures/helpers.ts";

/**
 * The snapshot's engine key is derived from the pipelines: a changed stage's data (here one
 * more English stop word) makes the next start rebuild, with no version bumped by hand.
 */

const extra = vi.hoisted(() => ({ stopWords: [] as string[] }));
vi.mock("stopword", async (importOriginal) => {
  const original = await importOriginal<typeof import("stopword")>();
  // Read when english.ts is imported: a fresh import (see `fresh`) sees the list as it is then.
  return {
    ...original,
    get eng() {
      return [...original.eng, ...extra.stopWords];
    },
  };
});

const folders: string[] = [];

afterEach(async () => {
  extra.stopWords = [];
  await Promise.all(folders.splice(0).map(removeDir));
});

/** A fresh copy of the modules, so the pipelines are built from the stop list as it is now. */
async function fresh() {
  vi.resetModules();
  const { Library } = await import("../../src/search/library.ts");
  const { engine } = await import("../../src/search/snapshot-key.ts");
  return { Library, ENGINE: engine() };
}

test("one more stop word gives another engine key, and the old snapshot is rebuilt, not loaded", async () => {
  const corpus = await fixtureCorpusCopy();
  const data = await tempDir("answer-bot-data-");
  folders.push(corpus, data);

  const before = await fresh();
  expect((await before.Library.open(corpus, { dataDir: data })).origin).toBe(
    "built (no snapshot yet)",
  );
  const same = await fresh();
  expect(same.ENGINE).toBe(before.ENGINE);
  expect((await same.Library.open(corpus, { dataDir: data })).origin).toBe("snapshot");

  extra.stopWords = ["seasonal"];
  const changed = await fresh();
  expect(changed.ENGINE).not.toBe(before.ENGINE);
  const rebuilt = await changed.Library.open(corpus, { dataDir: data });
  expect(rebuilt.origin).toBe("built (corpus or engine changed since the snapshot)");
  // The rebuilt index is analysed with the new stop list: the word no longer counts.
  const { terms } = await import("../../src/text/analyzer.ts");
  expect(terms("seasonal workers")).toEqual(terms("workers"));
});

test("the engine key follows each pipeline's signature", async () => {
  const { engineKey } = await import("../../src/search/snapshot-key.ts");
  const { english } = await import("../../src/text/english.ts");
  const { spanish } = await import("../../src/text/spanish.ts");
  expect(engineKey([english, spanish])).not.toBe(engineKey([english]));
  expect(engineKey([english, spanish])).not.toBe(engineKey([spanish, english]));
  expect(engineKey([english, spanish])).toBe(engineKey([english, spanish]));
});

test("the engine key follows the code that makes a snapshot: one changed byte in a cleaning module gives another", async () => {
  const { codeKey, engineKey, SNAPSHOT_CODE } = await import("../../src/search/snapshot-key.ts");
  const { english } = await import("../../src/text/english.ts");
  const cleaner = fileURLToPath(new URL("../../src/corpus/clean.ts", import.meta.url));
  expect(SNAPSHOT_CODE.some((path) => cleaner.startsWith(path))).toBe(true);

  const dir = await tempDir("answer-bot-code-");
  folders.push(dir);
  await writeFile(join(dir, "clean.ts"), "export const MIN_WORDS = 6;\n");
  await writeFile(join(dir, "notes.md"), "not code");
  const before = codeKey([dir]);
  expect(codeKey([dir])).toBe(before);
  await writeFile(join(dir, "notes.md"), "still not code");
  expect(codeKey([dir])).toBe(before);
  await writeFile(join(dir, "clean.ts"), "export const MIN_WORDS = 7;\n");
  const after = codeKey([dir]);
  expect(after).not.toBe(before);
  expect(engineKey([english], after)).not.toBe(engineKey([english], before));
});
