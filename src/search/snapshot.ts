import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { type FileHandle, mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import type { z } from "zod";
import { type FileRecord, MAX_FILES } from "../corpus/load.ts";
import { keyFile, openDataFile, writeAll } from "../data-file.ts";
import type { IndexSnapshot } from "./engine.ts";
import { FORMAT, headerOutline, headerSchema, snapshotSchema } from "./snapshot-format.ts";
import { engine } from "./snapshot-key.ts";

/**
 * The built index saved in DATA_DIR, so a start on an unchanged corpus skips cleaning and
 * indexing. The file is a header line (format, key, size, checksum), the header's HMAC under
 * DATA_DIR's snapshot key, a line of JSON with the snapshot but for the postings' numbers,
 * then those numbers as 32-bit integers in the machine's byte order (see snapshotKey).
 * Anything that does not match — another corpus, another engine (see engine), a damaged,
 * unsigned or foreign file — is reported and ignored, never trusted.
 */

export const SNAPSHOT_FILE = "index-snapshot.bin";
/** Where versions before the binary format kept their snapshot: removed once a new one is saved. */
const OLD_SNAPSHOT_FILE = "index-snapshot.json";
/** The key that signs snapshots, kept beside them in DATA_DIR. */
export const SNAPSHOT_KEY_FILE = "snapshot.key";
const SNAPSHOT_KEY_BYTES = 32;
// A header is mostly the corpus files' records, well under 1 kB each.
const MAX_HEADER_BYTES = 1024 * MAX_FILES;
const SIGNATURE_HEX_LENGTH = 64;
const NEWLINE = Buffer.from("\n");

/** Why a snapshot cannot be used; `suspect` when the file is damaged or not ours (worth a warning). */
export type SnapshotProblem = { reason: string; suspect?: boolean };

/** A usable snapshot, or why not. */
export type SnapshotResult = { snapshot: IndexSnapshot } | SnapshotProblem;

/** A snapshot file whose header was read; the index inside is parsed by `open`. */
export interface SavedSnapshot {
  /** The corpus files the snapshot was built from, and when they were read. */
  files: FileRecord[];
  readAt: number;
  /** The snapshot, when it was built from the corpus with this key and is intact. */
  open(key: string): Promise<SnapshotResult>;
}

/**
 * The snapshot's header and signature, checked before anything else is read: only a regular
 * file (see data-file.ts), a header line of bounded length, signed with DATA_DIR's snapshot
 * key, and exactly as long as the header says.
 */
export async function readSnapshot(dataDir: string): Promise<SavedSnapshot | SnapshotProblem> {
  const path = join(dataDir, SNAPSHOT_FILE);
  let signed: Signed | SnapshotProblem;
  try {
    signed = await readSigned(path, dataDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { reason: "no snapshot yet" };
    return { reason: `snapshot unreadable (${(error as Error).message})`, suspect: true };
  }
  if ("reason" in signed) return signed;
  const { header, lines } = signed;
  const open = async (key: string): Promise<SnapshotResult> => {
    if (header.key !== key) return { reason: "corpus or engine changed since the snapshot" };
    try {
      return readBody(await withDataFile(path, (file) => file.readFile()), lines, header);
    } catch (error) {
      return { reason: `snapshot unreadable (${(error as Error).message})`, suspect: true };
    }
  };
  return { files: header.files, readAt: header.readAt, open };
}

type Header = z.infer<typeof headerSchema>;

/** The header as read and checked, and its two lines (header, signature) as read. */
interface Signed {
  header: Header;
  lines: Buffer;
}

/** Runs `read` on the DATA_DIR file at `path` (see openDataFile), closing it whatever happens. */
async function withDataFile<T>(path: string, read: (file: FileHandle) => Promise<T>): Promise<T> {
  const file = await openDataFile(path, "read");
  try {
    return await read(file);
  } finally {
    await file.close();
  }
}

/** A file's first `limit` bytes (all of it when shorter), and its whole size. */
async function readHead(file: FileHandle, limit: number): Promise<{ head: Buffer; size: number }> {
  const { size } = await file.stat();
  const { buffer, bytesRead } = await file.read({ buffer: Buffer.alloc(Math.min(size, limit)) });
  return { head: buffer.subarray(0, bytesRead), size };
}

async function readSigned(path: string, dataDir: string): Promise<Signed | SnapshotProblem> {
  const foreign = {
    reason: "snapshot is not one of ours or is damaged (bad header)",
    suspect: true,
  };
  const { head, size } = await withDataFile(path, (file) =>
    readHead(file, MAX_HEADER_BYTES + SIGNATURE_HEX_LENGTH + 2),
  );
  const headerEnd = head.indexOf(NEWLINE);
  if (headerEnd < 0 || headerEnd > MAX_HEADER_BYTES) return foreign;
  const headerLine = head.subarray(0, headerEnd);
  const outline = headerOutline.safeParse(safeJson(headerLine.toString("utf8")));
  if (!outline.success) return foreign;
  // Saved by another version: expected after an upgrade, so not worth a warning.
  if (outline.data.engine !== engine()) {
    return { reason: "corpus or engine changed since the snapshot" };
  }
  const parsed = headerSchema.safeParse(outline.data);
  if (!parsed.success) return foreign;
  const signatureEnd = headerEnd + 1 + SIGNATURE_HEX_LENGTH;
  const signature = head.subarray(headerEnd + 1, signatureEnd);
  const expected = Buffer.from(sign(await snapshotSecret(dataDir), headerLine));
  const signedLines =
    signature.length === expected.length &&
    timingSafeEqual(signature, expected) &&
    head[signatureEnd] === NEWLINE[0];
  if (!signedLines) {
    return { reason: "snapshot is not signed with this DATA_DIR's snapshot key", suspect: true };
  }
  // A copy: the head may be megabytes, the lines are kept until the body is read.
  const lines = Buffer.from(head.subarray(0, signatureEnd + 1));
  if (size !== lines.length + parsed.data.size) {
    return { reason: "snapshot is damaged (not the size its header gives)", suspect: true };
  }
  return { header: parsed.data, lines };
}

/** The snapshot in the file's `bytes`, whose header and signature were read as `lines`. */
function readBody(bytes: Buffer, lines: Buffer, header: Header): SnapshotResult {
  // Saved again since its header was read (by another shard): the next start reads the new one.
  if (
    !bytes.subarray(0, lines.length).equals(lines) ||
    bytes.length !== lines.length + header.size
  ) {
    return { reason: "snapshot replaced while starting" };
  }
  const body = bytes.subarray(lines.length);
  if (createHash("sha256").update(body).digest("hex") !== header.sha256) {
    return { reason: "snapshot is damaged (checksum mismatch)", suspect: true };
  }
  const damaged = { reason: "snapshot is damaged (unexpected content)", suspect: true };
  const outlineEnd = body.indexOf(NEWLINE);
  if (outlineEnd < 0) return damaged;
  const parsed = snapshotSchema.safeParse(safeJson(body.toString("utf8", 0, outlineEnd)));
  if (!parsed.success) return damaged;
  const numbers = body.subarray(outlineEnd + 1);
  if (numbers.length % 4 !== 0) return damaged;
  // A copy: the numbers need an array of their own, aligned to 4 bytes.
  const postings = {
    terms: parsed.data.postings.terms,
    numbers: new Uint32Array(numbers.length / 4),
  };
  numbers.copy(Buffer.from(postings.numbers.buffer));
  const snapshot = { ...parsed.data, postings };
  return { snapshot: snapshot as IndexSnapshot };
}

/**
 * Writes beside the old snapshot, then renames: a crash never leaves half a snapshot. The
 * header is signed with DATA_DIR's snapshot key, so a snapshot written by anyone without it
 * is not trusted.
 */
export async function writeSnapshot(
  dataDir: string,
  key: string,
  snapshot: IndexSnapshot,
  corpus: { files: readonly FileRecord[]; readAt: number } = { files: [], readAt: 0 },
): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const secret = await snapshotSecret(dataDir);
  const { terms, numbers } = snapshot.postings;
  const body = [
    Buffer.from(`${JSON.stringify({ ...snapshot, postings: { terms } })}\n`),
    Buffer.from(numbers.buffer, numbers.byteOffset, numbers.byteLength),
  ];
  const checksum = createHash("sha256");
  for (const part of body) checksum.update(part);
  const header: Header = {
    format: FORMAT,
    engine: engine(),
    key,
    sha256: checksum.digest("hex"),
    size: body.reduce((sum, part) => sum + part.length, 0),
    // The records only: a parsed file would also write its front matter and whole text.
    files: corpus.files.map(({ file, hash, stamp, warnings }) => ({ file, hash, stamp, warnings })),
    readAt: corpus.readAt,
  };
  const headerLine = Buffer.from(JSON.stringify(header));
  const path = join(dataDir, SNAPSHOT_FILE);
  const temporary = `${path}.${process.pid}.tmp`;
  const lines = [headerLine, NEWLINE, Buffer.from(sign(secret, headerLine)), NEWLINE];
  await rm(temporary, { force: true });
  try {
    const file = await openDataFile(temporary, "create");
    try {
      await writeAll(file, Buffer.concat([...lines, ...body]));
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (error) {
    // A full disk must not keep the half-written copy.
    await rm(temporary, { force: true });
    throw error;
  }
  await rm(join(dataDir, OLD_SNAPSHOT_FILE), { force: true });
}

/** DATA_DIR's snapshot key (see keyFile: made on first use, a bad one refused). */
function snapshotSecret(dataDir: string): Promise<Buffer> {
  return keyFile(join(dataDir, SNAPSHOT_KEY_FILE), SNAPSHOT_KEY_BYTES);
}

function sign(secret: Buffer, headerLine: Buffer): string {
  return createHmac("sha256", secret).update(headerLine).digest("hex");
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
