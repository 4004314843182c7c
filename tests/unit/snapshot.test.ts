import { createHash } from "node:crypto";
import { access, appendFile, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import type { IndexSnapshot } from "../../src/search/engine.ts";
import { Library } from "../../src/search/library.ts";
import type { SavedPostings } from "../../src/search/saved-postings.ts";
import { readSnapshot, SNAPSHOT_FILE, writeSnapshot } from "../../src/search/snapshot.ts";
import { fixtureCorpusCopy, removeDir, tempDir } from "../fixtures/helpers.ts";
import { postingRows } from "../support/posting-rows.ts";

/** The index snapshot in DATA_DIR: used when it matches, rebuilt (and said why) when not. */

const QUESTION = "When must employers register seasonal workers?";
const folders: string[] = [];

async function setup(): Promise<{ corpus: string; data: string }> {
  const corpus = await fixtureCorpusCopy();
  const data = await tempDir("answer-bot-data-");
  folders.push(corpus, data);
  return { corpus, data };
}

afterEach(async () => {
  await Promise.all(folders.splice(0).map(removeDir));
});

describe("index snapshot", () => {
  test("a cold start builds and saves; the next start loads it and answers the same", async () => {
    const { corpus, data } = await setup();
    const built = await Library.open(corpus, { dataDir: data });
    expect(built.origin).toBe("built (no snapshot yet)");
    expect((await readFile(join(data, SNAPSHOT_FILE), "utf8")).length).toBeGreaterThan(100);
    const loaded = await Library.open(corpus, { dataDir: data });
    expect(loaded.origin).toBe("snapshot");
    expect(loaded.stats()).toEqual(built.stats());
    expect(loaded.answer(QUESTION)).toEqual(built.answer(QUESTION));
    expect(loaded.sources()).toEqual(built.sources());
    // Passage ids (in buttons already sent) come back from the file, not a new hash of each.
    expect(loaded.index.passages).toEqual(built.index.passages);
    // Every text comes back whole, the ones with letters beyond ASCII too.
    const texts = (library: Library) => library.index.documents.map((doc) => doc.text);
    expect(texts(built).some((text) => /\P{ASCII}/u.test(text))).toBe(true);
    expect(texts(loaded)).toEqual(texts(built));
    // Acronyms come back from the file rather than from a new scan of every document.
    const acronyms = built.index.snapshot().acronyms;
    expect(acronyms.some(([, list]) => list.length > 0)).toBe(true);
    expect(loaded.index.snapshot().acronyms).toEqual(acronyms);
    // Every posting comes back: same terms, fields, passages and frequencies.
    const byTerm = (index: typeof built.index) => new Map(postingRows(index.snapshot().postings));
    expect(byTerm(built.index).size).toBeGreaterThan(100);
    expect(byTerm(loaded.index)).toEqual(byTerm(built.index));
  });

  test("a snapshot left by an older version in its old file is removed once a new one is saved", async () => {
    const { corpus, data } = await setup();
    const old = join(data, "index-snapshot.json");
    await writeFile(old, '{"format":"migration-answer-bot/index-snapshot","engine":"5"}\n{}');
    const library = await Library.open(corpus, { dataDir: data });
    expect(library.origin).toBe("built (no snapshot yet)");
    await expect(access(old)).rejects.toMatchObject({ code: "ENOENT" });
    expect((await readdir(data)).sort()).toEqual([SNAPSHOT_FILE]);
  });

  test("a changed corpus is rebuilt, not served from the old snapshot", async () => {
    const { corpus, data } = await setup();
    await Library.open(corpus, { dataDir: data });
    await appendFile(
      join(corpus, "ministry-seasonal-workers.txt"),
      "\nInspectors will visit one farm in ten this season.\n",
    );
    const reopened = await Library.open(corpus, { dataDir: data });
    expect(reopened.origin).toBe("built (corpus or engine changed since the snapshot)");
    expect(
      reopened.answer("How many farms will inspectors visit this season?").results[0]?.quote,
    ).toContain("one farm in ten");
  });

  test.each([
    ["a damaged body", (text: string) => text.replace(/"title":"/u, '"title":"X')],
    ["a foreign file", () => '{"hello":"world"}\n{}'],
    ["a truncated file", (text: string) => text.slice(0, Math.floor(text.length / 2))],
    ["binary junk", () => "\u0000\u0001\u0002"],
  ])("%s is ignored and the index rebuilt", async (_name, corrupt) => {
    const { corpus, data } = await setup();
    const first = await Library.open(corpus, { dataDir: data });
    const path = join(data, SNAPSHOT_FILE);
    // Latin-1 keeps every byte as one character, the postings' binary numbers included.
    await writeFile(path, corrupt(await readFile(path, "latin1")), "latin1");
    const reopened = await Library.open(corpus, { dataDir: data });
    expect(reopened.origin).toMatch(/^built \(snapshot (is|does)/u);
    expect(reopened.answer(QUESTION)).toEqual(first.answer(QUESTION));
  });

  /** Reverses the first list of several passages holding a term, in place. */
  const outOfOrder = (postings: SavedPostings) => {
    for (const [, fields] of postingRows(postings)) {
      const field = fields.find((f) => f.ids.length > 1);
      if (field) return field.ids.reverse();
    }
    throw new Error("no term held by several passages");
  };
  // The snapshot as read, as loosely typed as what a forger may write.
  type Forgeable = {
    passages: [unknown[]];
    postings: { terms: unknown[]; numbers: Uint32Array };
    acronyms: [unknown, [unknown, unknown[]][]][];
    common: unknown[];
    lineKeys: [unknown, unknown[]][];
  };
  /** Forges the snapshot as read and writes it with the product's own writer, so the checksum matches. */
  async function forged(forge: (snapshot: Forgeable) => void): Promise<Library> {
    const { corpus, data } = await setup();
    const first = await Library.open(corpus, { dataDir: data });
    const path = join(data, SNAPSHOT_FILE);
    const { key } = JSON.parse((await readFile(path, "utf8")).split("\n")[0] as string);
    const saved = await readSnapshot(data);
    const opened = "open" in saved ? await saved.open(key) : saved;
    if (!("snapshot" in opened)) throw new Error(opened.reason);
    forge(opened.snapshot as unknown as Forgeable);
    await writeSnapshot(data, key, opened.snapshot as IndexSnapshot);
    const reopened = await Library.open(corpus, { dataDir: data });
    expect(reopened.answer(QUESTION)).toEqual(first.answer(QUESTION));
    return reopened;
  }
  /** A document's first acronym. */
  const acronymOf = (s: Forgeable) => {
    const found = s.acronyms.find(([, list]) => list.length > 0)?.[1][0];
    if (!found) throw new Error("no acronym in the corpus");
    return found;
  };
  test.each([
    ["passages that do not fit the text", (s: Forgeable) => (s.passages[0][4] = 10_000_000)],
    ["a passage id too long for a button", (s: Forgeable) => (s.passages[0][5] = "f".repeat(90))],
    ["a passage without its id", (s: Forgeable) => s.passages[0].pop()],
    ["postings that run past their end", (s: Forgeable) => (s.postings.numbers[2] = 10_000)],
    ["a term held in no field", (s: Forgeable) => (s.postings.numbers[0] = 0)],
    ["a field the index does not have", (s: Forgeable) => (s.postings.numbers[1] = 7)],
    ["more postings than terms", (s: Forgeable) => s.postings.terms.pop()],
    ["a term's passages out of order", (s: Forgeable) => outOfOrder(s.postings as SavedPostings)],
  ])("a snapshot whose checksum matches but with %s is not trusted", async (_name, forge) => {
    const reopened = await forged(forge);
    expect(reopened.origin).toMatch(/^built \(snapshot does not hold together/u);
  });

  test.each([
    ["an acronym's name that is not words", (s: Forgeable) => (acronymOf(s)[1] = [7])],
    ["an acronym without its name", (s: Forgeable) => acronymOf(s).pop()],
    ["a term that is not text", (s: Forgeable) => (s.postings.terms[0] = 1)],
    ["a boilerplate line that is not text", (s: Forgeable) => s.common.push({})],
    ["line keys that are not a list", (s: Forgeable) => s.lineKeys.push(["hash", "keys"] as never)],
    [
      "passages that are not a list",
      (s: Forgeable) => ((s as { passages: unknown }).passages = {}),
    ],
  ])(
    "a snapshot whose checksum matches but whose outline has %s is not trusted",
    async (_name, forge) => {
      const reopened = await forged(forge);
      expect(reopened.origin).toBe("built (snapshot is damaged (unexpected content))");
    },
  );

  test("a snapshot saved again between reading its header and its index is left for the next start", async () => {
    const { corpus, data } = await setup();
    await Library.open(corpus, { dataDir: data });
    const path = join(data, SNAPSHOT_FILE);
    const { key } = JSON.parse((await readFile(path, "utf8")).split("\n")[0] as string);
    const saved = await readSnapshot(data);
    if (!("open" in saved)) throw new Error(saved.reason);
    const opened = await saved.open(key);
    if (!("snapshot" in opened)) throw new Error(opened.reason);
    // Another shard sharing DATA_DIR saves it anew meanwhile: same index, other records.
    await writeSnapshot(data, key, opened.snapshot, { files: [], readAt: Date.now() });
    expect(await saved.open(key)).toEqual({ reason: "snapshot replaced while starting" });
    const again = await readSnapshot(data);
    expect("open" in again && "snapshot" in (await again.open(key))).toBe(true);
  });

  test("a snapshot whose checksum matches but whose texts run past its end is not trusted", async () => {
    const { corpus, data } = await setup();
    const first = await Library.open(corpus, { dataDir: data });
    const path = join(data, SNAPSHOT_FILE);
    const bytes = await readFile(path);
    const headerEnd = bytes.indexOf("\n");
    const header = JSON.parse(bytes.toString("utf8", 0, headerEnd));
    const body = bytes.subarray(headerEnd + 1);
    const outlineEnd = body.indexOf("\n");
    const outline = JSON.parse(body.toString("utf8", 0, outlineEnd));
    outline.texts[0] = body.length;
    const forged = Buffer.concat([Buffer.from(JSON.stringify(outline)), body.subarray(outlineEnd)]);
    header.sha256 = createHash("sha256").update(forged).digest("hex");
    await writeFile(path, Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), forged]));
    const reopened = await Library.open(corpus, { dataDir: data });
    expect(reopened.origin).toBe("built (snapshot is damaged (unexpected content))");
    expect(reopened.answer(QUESTION)).toEqual(first.answer(QUESTION));
  });
});
