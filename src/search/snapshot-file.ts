import { createHash, type Hash } from "node:crypto";
import type { FileHandle } from "node:fs/promises";
import { openDataFile } from "../data-file.ts";

/** Bytes read at a time; the buffer grows only for a longer line (the outline). */
const CHUNK = 1 << 20;

/**
 * A snapshot file read front to back through one reused buffer, the postings' numbers
 * straight into their own array. Read whole into a buffer of its own, the file took a
 * sixth of a start at 100k passages: 80 MB of fresh memory is slow to fill here, while
 * the same bytes through a reused 1 MB buffer take about 12 ms.
 */
export class SnapshotFile {
  readonly #file: FileHandle;
  readonly #size: number;
  #buffer: Buffer;
  /** The buffer's unread bytes. */
  #start = 0;
  #end = 0;
  /** Where in the file the next read starts. */
  #position = 0;
  #hash: Hash | null = null;

  private constructor(file: FileHandle, size: number, chunk: number) {
    this.#file = file;
    this.#size = size;
    this.#buffer = Buffer.allocUnsafe(chunk);
  }

  /**
   * Opens the file for `read`, and closes it when `read` is done, whatever happens. Only a
   * regular file is opened, never through a symbolic link (see data-file.ts).
   * `chunk`: bytes read at a time (tests make it small to cross its edges).
   */
  static async read<T>(
    path: string,
    read: (file: SnapshotFile) => Promise<T>,
    chunk = CHUNK,
  ): Promise<T> {
    const file = await openDataFile(path, "read");
    try {
      return await read(new SnapshotFile(file, (await file.stat()).size, chunk));
    } finally {
      await file.close();
    }
  }

  /** The file's size when opened, in bytes. */
  get size(): number {
    return this.#size;
  }

  /** Hashes every byte read from here on. */
  hashFromHere(): void {
    this.#hash = createHash("sha256");
  }

  digest(): string | undefined {
    return this.#hash?.digest("hex");
  }

  /**
   * The next line without its newline, or null when the file ends first or the line is
   * longer than `limit` bytes; valid until the next read.
   */
  async line(limit: number): Promise<Buffer | null> {
    let searched = 0;
    for (;;) {
      const at = this.#buffer.subarray(this.#start + searched, this.#end).indexOf(10);
      if (at >= 0) {
        return searched + at <= limit ? this.#take(searched + at + 1).subarray(0, -1) : null;
      }
      searched = this.#end - this.#start;
      if (searched > limit || !(await this.#fill())) return null;
    }
  }

  /** The next `count` bytes, or null when the file ends first; valid until the next read. */
  async bytes(count: number): Promise<Buffer | null> {
    while (this.#end - this.#start < count) if (!(await this.#fill())) return null;
    return this.#take(count);
  }

  /** The rest of the file as 32-bit numbers, or null when it does not divide into them. */
  async numbers(): Promise<Uint32Array | null> {
    const buffered = this.#end - this.#start;
    const length = buffered + this.#size - this.#position;
    if (length % 4 !== 0) return null;
    const numbers = new Uint32Array(length / 4);
    const bytes = Buffer.from(numbers.buffer);
    this.#take(buffered).copy(bytes);
    for (let at = buffered; at < length; ) {
      const { bytesRead } = await this.#file.read(bytes, at, length - at, this.#position);
      if (bytesRead === 0) return null;
      this.#hash?.update(bytes.subarray(at, at + bytesRead));
      at += bytesRead;
      this.#position += bytesRead;
    }
    return numbers;
  }

  #take(count: number): Buffer {
    const taken = this.#buffer.subarray(this.#start, this.#start + count);
    this.#hash?.update(taken);
    this.#start += count;
    return taken;
  }

  /** Reads on after the unread bytes, which move to the front of the buffer (doubled when they fill it). */
  async #fill(): Promise<boolean> {
    const unread = this.#end - this.#start;
    const target =
      unread === this.#buffer.length ? Buffer.allocUnsafe(2 * this.#buffer.length) : this.#buffer;
    this.#buffer.copy(target, 0, this.#start, this.#end);
    this.#buffer = target;
    const { bytesRead } = await this.#file.read(
      target,
      unread,
      target.length - unread,
      this.#position,
    );
    this.#start = 0;
    this.#end = unread + bytesRead;
    this.#position += bytesRead;
    return bytesRead > 0;
  }
}
