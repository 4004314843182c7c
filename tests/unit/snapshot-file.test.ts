import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { SnapshotFile } from "../../src/search/snapshot-file.ts";
import { removeDir, tempDir } from "../fixtures/helpers.ts";

/** A snapshot file read front to back through a small buffer: lines, byte runs, then numbers. */

const folders: string[] = [];

afterEach(async () => {
  await Promise.all(folders.splice(0).map(removeDir));
});

async function fileOf(...parts: (string | Buffer)[]): Promise<string> {
  const dir = await tempDir("answer-bot-snapshot-file-");
  folders.push(dir);
  const path = join(dir, "file.bin");
  await writeFile(
    path,
    Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : p))),
  );
  return path;
}

const HEADER = "header line";
const OUTLINE = `{"outline":"${"long line ".repeat(30)}"}`;
const RUNS = ["short", "a run of bytes longer than the buffer", "", "é—ü"];
// More than the buffer holds, whatever its size, so most are read straight into their array.
const NUMBERS = Uint32Array.from({ length: 5000 }, (_, i) => Math.imul(i, 2654435761) >>> 0);

describe("SnapshotFile", () => {
  // Buffers smaller than a line, a run and a number, and one larger than the whole file.
  test.each([1, 3, 8, 64, 1 << 20])(
    "with a %i-byte buffer, it reads back what was written",
    async (chunk) => {
      const numbers = Buffer.from(NUMBERS.buffer);
      const body = [`${OUTLINE}\n`, ...RUNS, numbers];
      const path = await fileOf(`${HEADER}\n`, ...body);
      await SnapshotFile.read(
        path,
        async (file) => {
          expect((await file.line(1000))?.toString()).toBe(HEADER);
          file.hashFromHere();
          expect((await file.line(1000))?.toString()).toBe(OUTLINE);
          for (const run of RUNS) {
            expect((await file.bytes(Buffer.byteLength(run)))?.toString()).toBe(run);
          }
          expect(await file.numbers()).toEqual(NUMBERS);
          const expected = createHash("sha256");
          for (const part of body) expected.update(part);
          expect(file.digest()).toBe(expected.digest("hex"));
        },
        chunk,
      );
    },
  );

  test("a line the file ends before finishing is null", async () => {
    await SnapshotFile.read(
      await fileOf("no newline at all"),
      async (file) => {
        expect(await file.line(1000)).toBeNull();
      },
      4,
    );
  });

  test("a line longer than its limit is null, the same line within its limit is read", async () => {
    const path = await fileOf(`${"x".repeat(100)}\nnext\n`);
    await SnapshotFile.read(path, async (file) => expect(await file.line(99)).toBeNull(), 8);
    await SnapshotFile.read(
      path,
      async (file) => expect((await file.line(100))?.toString()).toBe("x".repeat(100)),
      8,
    );
  });

  test("more bytes than the file has left are null, however many are asked for", async () => {
    await SnapshotFile.read(
      await fileOf("line\nsix by"),
      async (file) => {
        await file.line(1000);
        expect(await file.bytes(7)).toBeNull();
        expect(await file.bytes(2 ** 40)).toBeNull();
        expect((await file.bytes(6))?.toString()).toBe("six by");
      },
      4,
    );
  });

  test("a rest that is not whole 32-bit numbers is null", async () => {
    await SnapshotFile.read(
      await fileOf("line\n", Buffer.alloc(6)),
      async (file) => {
        await file.line(1000);
        expect(await file.numbers()).toBeNull();
      },
      4,
    );
  });
});
