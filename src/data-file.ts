import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { type FileHandle, link, mkdir, open, rm } from "node:fs/promises";
import { basename, dirname } from "node:path";

/**
 * Files in DATA_DIR (feedback log, salt, snapshot, snapshot key). They are opened only as
 * regular files and never through a symbolic link at their own path: a link there could
 * point the feedback log at a shell rc file, or the snapshot at /dev/zero or a named pipe.
 */

/** A DATA_DIR file refused as it stands: the message is one line naming the file and why. */
export class DataFileError extends Error {}

const { O_RDONLY, O_RDWR, O_APPEND, O_CREAT, O_EXCL, O_NOFOLLOW, O_NONBLOCK } = constants;

const FLAGS = {
  read: O_RDONLY,
  append: O_RDWR | O_APPEND | O_CREAT,
  create: O_RDWR | O_CREAT | O_EXCL,
} as const;

/**
 * Opens a DATA_DIR file without following a symbolic link at its path (O_NOFOLLOW) and
 * without waiting for a writer on a named pipe (O_NONBLOCK); anything but a regular file is
 * refused with a DataFileError. Other errors (ENOENT, ENOSPC, …) are thrown as they are.
 */
export async function openDataFile(
  path: string,
  mode: keyof typeof FLAGS,
  permissions = 0o666,
): Promise<FileHandle> {
  let file: FileHandle;
  try {
    file = await open(path, FLAGS[mode] | O_NOFOLLOW | O_NONBLOCK, permissions);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ELOOP") {
      throw new DataFileError(`${path} is a symbolic link: refusing to follow it`);
    }
    throw error;
  }
  if (!(await file.stat()).isFile()) {
    await file.close();
    throw new DataFileError(`${path} is not a regular file: refusing to use it`);
  }
  return file;
}

/** Writes all of `bytes` at the file's position; throws (ENOSPC, …) when the disk takes fewer. */
export async function writeAll(file: FileHandle, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length; ) {
    const { bytesWritten } = await file.write(bytes, at, bytes.length - at);
    if (bytesWritten === 0) throw new Error(`${bytes.length - at} bytes could not be written`);
    at += bytesWritten;
  }
}

/** A DATA_DIR file's text, "" when there is none (opened as openDataFile opens it). */
export async function readDataFile(path: string): Promise<string> {
  try {
    const file = await openDataFile(path, "read");
    try {
      return await file.readFile("utf8");
    } finally {
      await file.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "";
    throw error;
  }
}

/**
 * Appends one line (ending in a line break) to a DATA_DIR log, made with its folder if need
 * be. A last line torn by a crash or cut short by a full disk (here or in another process
 * sharing DATA_DIR) is closed first, so it cannot swallow this one.
 */
export async function appendLine(path: string, line: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const file = await openDataFile(path, "append");
  try {
    await writeAll(file, Buffer.from(`${(await endsLine(file)) ? "" : "\n"}${line}`));
  } finally {
    await file.close();
  }
}

/** Whether the file is empty or its last byte is a line break. */
async function endsLine(file: FileHandle): Promise<boolean> {
  const { size } = await file.stat();
  if (size === 0) return true;
  const last = Buffer.alloc(1);
  await file.read(last, 0, 1, size - 1);
  return last[0] === 0x0a;
}

// A key file is a few dozen hex digits and a line break; more is not a key.
const MAX_KEY_FILE_BYTES = 1024;

/**
 * The secret kept in the DATA_DIR file `path` as hex, made on first use from `bytes` random
 * bytes: written to a temporary file, synced, then linked into place, so no reader ever sees a
 * partial key, and two processes making it at once both end up with the one linked first.
 * A failed attempt leaves no key file, and the next call tries again.
 *
 * An existing key that is empty, not hex or shorter than `bytes` is refused (DataFileError),
 * never used and never replaced: this code cannot leave such a file, so it was put there by
 * hand or by an older version, and replacing it would silently change every hash or
 * signature made with it. The error says to delete it, which makes a new one.
 */
export async function keyFile(path: string, bytes: number): Promise<Buffer> {
  const existing = await readKey(path, bytes);
  if (existing) return existing;
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    const file = await openDataFile(temporary, "create", 0o600);
    try {
      await writeAll(file, Buffer.from(`${randomBytes(bytes).toString("hex")}\n`));
      await file.sync();
    } finally {
      await file.close();
    }
    await link(temporary, path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error;
    });
  } finally {
    await rm(temporary, { force: true });
  }
  const made = await readKey(path, bytes);
  if (!made) throw new DataFileError(`${path} disappeared as it was made`);
  return made;
}

/** The key in `path`; null when there is no such file. */
async function readKey(path: string, bytes: number): Promise<Buffer | null> {
  let file: FileHandle;
  try {
    file = await openDataFile(path, "read");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  let text: string;
  try {
    const buffer = Buffer.alloc(MAX_KEY_FILE_BYTES + 1);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    text = buffer.toString("latin1", 0, bytesRead).trim();
  } finally {
    await file.close();
  }
  const problem =
    text === ""
      ? "is empty"
      : !/^(?:[0-9a-f]{2})+$/iu.test(text)
        ? "is not a hex key"
        : text.length < 2 * bytes
          ? `holds fewer than ${bytes} bytes`
          : null;
  if (problem) {
    throw new DataFileError(
      `${path} ${problem}: refusing to use it; delete ${basename(path)} to make a new one`,
    );
  }
  return Buffer.from(text, "hex");
}
