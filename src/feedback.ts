import { createHmac, randomBytes } from "node:crypto";
import { appendFile, mkdir, open, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * The 👍/👎 log: one JSON object per line in DATA_DIR/feedback.jsonl. Writes are
 * queued so lines never interleave, each line goes out in one append, and the reader
 * skips a torn last line left by a crash mid-write.
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
const SALT_FILE = "feedback.salt";

export class FeedbackLog {
  readonly path: string;
  readonly #dir: string;
  #queue: Promise<void> = Promise.resolve();
  #salt: Promise<Buffer> | null = null;
  #checkedTail = false;

  constructor(dataDir: string) {
    this.#dir = dataDir;
    this.path = join(dataDir, FEEDBACK_FILE);
  }

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
      // One append call per line; a line torn by an earlier crash is closed first so it cannot swallow this one.
      const heal = this.#checkedTail ? "" : await this.#tornTail();
      this.#checkedTail = true;
      await appendFile(this.path, `${heal}${JSON.stringify(entry)}\n`, "utf8");
    });
    this.#queue = write.catch(() => undefined);
    return write;
  }

  /** The salted hash that stands for a user in DATA_DIR's logs (the same in each of them). */
  async userHash(userId: string): Promise<string> {
    return createHmac("sha256", await this.#saltOnce())
      .update(userId)
      .digest("hex")
      .slice(0, 16);
  }

  async read(): Promise<FeedbackEntry[]> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    return text.split("\n").flatMap((line) => {
      try {
        return line.trim() ? [JSON.parse(line) as FeedbackEntry] : [];
      } catch {
        return [];
      }
    });
  }

  /** "\n" when the log's last line has no line break (a crash mid-write), else "". */
  async #tornTail(): Promise<string> {
    let file: Awaited<ReturnType<typeof open>> | undefined;
    try {
      file = await open(this.path, "r");
      const { size } = await file.stat();
      if (size === 0) return "";
      const last = Buffer.alloc(1);
      await file.read(last, 0, 1, size - 1);
      return last[0] === 0x0a ? "" : "\n";
    } catch {
      return "";
    } finally {
      await file?.close();
    }
  }

  #saltOnce(): Promise<Buffer> {
    this.#salt ??= this.#loadSalt();
    return this.#salt;
  }

  async #loadSalt(): Promise<Buffer> {
    await mkdir(this.#dir, { recursive: true });
    const path = join(this.#dir, SALT_FILE);
    try {
      return Buffer.from((await readFile(path, "utf8")).trim(), "hex");
    } catch {
      const salt = randomBytes(16);
      await writeFile(path, salt.toString("hex"), { flag: "wx" }).catch(() => undefined);
      return Buffer.from((await readFile(path, "utf8")).trim(), "hex");
    }
  }
}
