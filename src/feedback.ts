import { createHmac } from "node:crypto";
import { join } from "node:path";
import { appendLine, keyFile, readDataFile } from "./data-file.ts";

/**
 * The 👍/👎 log: one JSON object per line in DATA_DIR/feedback.jsonl. Writes are
 * queued so lines never interleave, each line goes out in one append, and the reader
 * skips a torn line left by a crash or a full disk mid-write.
 */

export interface FeedbackEntry {
  time: string;
  vote: "up" | "down";
  question: string;
  results: string[];
  /** HMAC of the user id with a per-deployment salt: counts repeat voters without storing who. */
  user: string;
}

export const FEEDBACK_FILE = "feedback.jsonl";
export const SALT_FILE = "feedback.salt";
/** The salt's length: too long to guess, so no one can hash a public user id to find its votes. */
const SALT_BYTES = 16;

export class FeedbackLog {
  readonly path: string;
  readonly #saltPath: string;
  #queue: Promise<void> = Promise.resolve();
  /** Kept once read or made; a failure to get it is tried again at the next vote. */
  #salt: Buffer | null = null;

  constructor(dataDir: string) {
    this.path = join(dataDir, FEEDBACK_FILE);
    this.#saltPath = join(dataDir, SALT_FILE);
  }

  /**
   * Appends one vote. Rejects, writing nothing, when the salt cannot be read or made, or
   * when the log cannot be written (a symbolic link at its path, a full disk, …).
   */
  record(
    vote: FeedbackEntry["vote"],
    question: string,
    results: string[],
    userId: string,
  ): Promise<void> {
    const write = this.#queue.then(async () => {
      const entry: FeedbackEntry = {
        time: new Date().toISOString(),
        vote,
        question,
        results,
        user: await this.userHash(userId),
      };
      await appendLine(this.path, `${JSON.stringify(entry)}\n`);
    });
    this.#queue = write.catch(() => undefined);
    return write;
  }

  /**
   * The salted hash that stands for a user in DATA_DIR's logs (the same in each of them);
   * rejects when the salt cannot be read or made.
   */
  async userHash(userId: string): Promise<string> {
    this.#salt ??= await keyFile(this.#saltPath, SALT_BYTES);
    return createHmac("sha256", this.#salt).update(userId).digest("hex").slice(0, 16);
  }

  async read(): Promise<FeedbackEntry[]> {
    const text = await readDataFile(this.path);
    return text.split("\n").flatMap((line) => {
      try {
        return line.trim() ? [JSON.parse(line) as FeedbackEntry] : [];
      } catch {
        return [];
      }
    });
  }
}
