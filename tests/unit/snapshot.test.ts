import { execFileSync } from "node:child_process";
import { createHash, createHmac } from "node:crypto";
import {
  access,
  appendFile,
  type FileHandle,
  open,
  readdir,
  readFile,
  rm,
  symlink,
  truncate,
  writeFile,
} from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, test, vi } from "vitest";
import { log } from "../../src/log.ts";
import type { IndexSnapshot } from "../../src/search/engine.ts";
import { Library } from "../../src/search/library.ts";
import type { SavedPostings } from "../../src/search/saved-postings.ts";
import {
  readSnapshot,
  SNAPSHOT_FILE,
  SNAPSHOT_KEY_FILE,
  writeSnapshot,
} from "../../src/search/snapshot.ts";
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
  vi.restoreAllMocks();
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
    const [before, after] = [built.snapshot(), loaded.snapshot()];
    // Passage ids (in buttons already sent) come back from the file, not a new hash of each.
    expect(after.passages).toEqual(before.passages);
    // Every text comes back whole, the ones with letters beyond ASCII too.
    const texts = (library: Library) => library.documents.map((doc) => doc.text);
    expect(texts(built).some((text) => /\P{ASCII}/u.test(text))).toBe(true);
    expect(texts(loaded)).toEqual(texts(built));
    // Acronyms come back from the file rather than from a new scan of every document.
    expect(before.acronyms.some(([, list]) => list.length > 0)).toBe(true);
    expect(after.acronyms).toEqual(before.acronyms);
    // Every posting comes back: same terms, fields, passages and frequencies.
    const byTerm = (snapshot: IndexSnapshot) => new Map(postingRows(snapshot.postings));
    expect(byTerm(before).size).toBeGreaterThan(100);
    expect(byTerm(after)).toEqual(byTerm(before));
  });

  test("a snapshot left by an older version in its old file is removed once a new one is saved", async () => {
    const { corpus, data } = await setup();
    const old = join(data, "index-snapshot.json");
    await writeFile(old, '{"format":"migration-answer-bot/index-snapshot","engine":"5"}\n{}');
    const library = await Library.open(corpus, { dataDir: data });
    expect(library.origin).toBe("built (no snapshot yet)");
    await expect(access(old)).rejects.toMatchObject({ code: "ENOENT" });
    expect((await readdir(data)).sort()).toEqual([SNAPSHOT_FILE, SNAPSHOT_KEY_FILE]);
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
    documents: { text: string }[];
    search: Record<string, Record<string, unknown>>;
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

  test("a snapshot whose checksum matches but whose numbers are not whole 32-bit numbers is not trusted", async () => {
    const { corpus, data } = await setup();
    const first = await Library.open(corpus, { dataDir: data });
    const path = join(data, SNAPSHOT_FILE);
    const { header, body } = await parts(path);
    await writeFile(path, await signed(data, header, Buffer.concat([body, Buffer.alloc(2)])));
    const reopened = await Library.open(corpus, { dataDir: data });
    expect(reopened.origin).toBe("built (snapshot is damaged (unexpected content))");
    expect(reopened.answer(QUESTION)).toEqual(first.answer(QUESTION));
  });

  test.each([
    [
      "a passage whose text no longer matches its id",
      (s: Forgeable) => {
        const doc = s.documents[0] as { text: string };
        doc.text = doc.text.replace(/[a-z]/u, (c) => (c === "x" ? "y" : "x"));
      },
    ],
  ])("a snapshot signed with the key but with %s is not trusted", async (_name, forge) => {
    const reopened = await forged(forge);
    expect(reopened.origin).toMatch(/^built \(snapshot does not hold together \(bad passage/u);
  });

  test.each([
    ["a passage without its field lengths", (s: Forgeable) => delete s.search.fieldLength?.["0"]],
    ["field lengths that are not numbers", (s: Forgeable) => (s.search.fieldLength = { 0: "x" })],
    ["no average field lengths", (s: Forgeable) => (s.search.averageFieldLength = {})],
    ["a field named differently", (s: Forgeable) => (s.search.fieldIds = { body: 0, title: 1 })],
    [
      "a passage key that is no passage",
      (s: Forgeable) => (s.search.documentIds = { ...s.search.documentIds, 0: 9_999_999 }),
    ],
    ["postings of a passage the index lacks", (s: Forgeable) => delete s.search.documentIds?.["0"]],
  ])(
    "a snapshot with a damaged index part (%s) is rejected at load, not on every question",
    async (_name, forge) => {
      const reopened = await forged(forge);
      expect(reopened.origin).toMatch(/^built \(snapshot does not hold together/u);
    },
  );
});

/** A snapshot file's header (parsed) and the bytes after its header and signature lines. */
async function parts(path: string): Promise<{ header: Record<string, unknown>; body: Buffer }> {
  const bytes = await readFile(path);
  const headerEnd = bytes.indexOf("\n");
  const signatureEnd = bytes.indexOf("\n", headerEnd + 1);
  return {
    header: JSON.parse(bytes.toString("utf8", 0, headerEnd)),
    body: bytes.subarray(signatureEnd + 1),
  };
}

/** A snapshot file of `header` and `body`, the checksum and size made to fit, signed with `keyDir`'s key. */
async function signed(keyDir: string, header: Record<string, unknown>, body: Buffer) {
  const line = JSON.stringify({
    ...header,
    sha256: createHash("sha256").update(body).digest("hex"),
    size: body.length,
  });
  const key = Buffer.from((await readFile(join(keyDir, SNAPSHOT_KEY_FILE), "utf8")).trim(), "hex");
  const signature = createHmac("sha256", key).update(line).digest("hex");
  return Buffer.concat([Buffer.from(`${line}\n${signature}\n`), body]);
}

describe("snapshot trust", () => {
  /** A corpus and DATA_DIR with a snapshot saved, and the answer the corpus gives. */
  async function saved() {
    const { corpus, data } = await setup();
    const first = await Library.open(corpus, { dataDir: data });
    return { corpus, data, path: join(data, SNAPSHOT_FILE), expected: first.answer(QUESTION) };
  }

  /** Opens the library again, expecting the snapshot refused with a warning and the index rebuilt. */
  async function rejected(corpus: string, data: string, expected: unknown, reason: RegExp) {
    const warn = vi.spyOn(log, "warn");
    const reopened = await Library.open(corpus, { dataDir: data });
    expect(reopened.origin).toMatch(reason);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^ignoring the index snapshot: /u));
    expect(reopened.answer(QUESTION)).toEqual(expected);
  }

  test("a snapshot whose text was changed and checksum recomputed without the key is rejected", async () => {
    const { corpus, data, path, expected } = await saved();
    const { header, body } = await parts(path);
    const quote = expected.results[0]?.quote as string;
    const index = body.indexOf(quote);
    expect(index).toBeGreaterThan(0);
    // Same length, so only the signature can tell: a sentence no document contains.
    const lie = "The Christian Post reports that nothing said here was ever true.".padEnd(
      Buffer.byteLength(quote),
      ".",
    );
    const forged = Buffer.concat([
      body.subarray(0, index),
      Buffer.from(lie).subarray(0, Buffer.byteLength(quote)),
      body.subarray(index + Buffer.byteLength(quote)),
    ]);
    const line = JSON.stringify({
      ...header,
      sha256: createHash("sha256").update(forged).digest("hex"),
    });
    const signature = (await readFile(path, "utf8")).split("\n")[1];
    await writeFile(path, Buffer.concat([Buffer.from(`${line}\n${signature}\n`), forged]));
    await rejected(corpus, data, expected, /^built \(snapshot is not signed with this DATA_DIR's/u);
  });

  test("a snapshot signed with another DATA_DIR's key is rejected", async () => {
    const { corpus, data, path, expected } = await saved();
    const other = await tempDir("answer-bot-other-");
    folders.push(other);
    await Library.open(corpus, { dataDir: other });
    const { header, body } = await parts(path);
    await writeFile(path, await signed(other, header, body));
    await rejected(corpus, data, expected, /^built \(snapshot is not signed with this DATA_DIR's/u);
  });

  test("a snapshot longer than its header says is rejected before its body is read", async () => {
    const { corpus, data, path, expected } = await saved();
    await appendFile(path, "more");
    await rejected(
      corpus,
      data,
      expected,
      /^built \(snapshot is damaged \(not the size its header/u,
    );
  });

  test("a snapshot cut short is rejected before its body is read", async () => {
    const { corpus, data, path, expected } = await saved();
    await truncate(path, (await readFile(path)).length - 4);
    await rejected(
      corpus,
      data,
      expected,
      /^built \(snapshot is damaged \(not the size its header/u,
    );
  });

  test("a named pipe at the snapshot path is refused at once; the start does not hang", async () => {
    const { corpus, data, path, expected } = await saved();
    await rm(path);
    execFileSync("mkfifo", [path]);
    await rejected(corpus, data, expected, /index-snapshot\.bin is not a regular file/u);
  });

  test("a symlink to /dev/zero at the snapshot path is refused, not read", async () => {
    const { corpus, data, path, expected } = await saved();
    await rm(path);
    await symlink("/dev/zero", path);
    await rejected(corpus, data, expected, /index-snapshot\.bin is a symbolic link/u);
  });

  test("a 256 MB snapshot without a line break is rejected after reading at most a few MB of it", async () => {
    const { corpus, data, path, expected } = await saved();
    await writeFile(path, "{");
    await truncate(path, 256 * 1024 * 1024);
    const probe = await open(path);
    const prototype = Object.getPrototypeOf(probe) as FileHandle;
    await probe.close();
    const read = vi.spyOn(prototype, "read");
    await rejected(corpus, data, expected, /^built \(snapshot is not one of ours/u);
    let bytes = 0;
    for (const result of read.mock.results) {
      bytes += ((await result.value) as { bytesRead: number }).bytesRead;
    }
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(16 * 1024 * 1024);
  });
});
