import { rename, stat } from "node:fs/promises";
import { join } from "node:path";
import type { EngineConfig } from "./config.ts";
import { appendLine, readDataFile } from "./data-file.ts";
import type { FeedbackLog } from "./feedback.ts";
import { log } from "./log.ts";

/**
 * The question log: one JSON object per question asked (slash command, DM, mention,
 * playground) in DATA_DIR/questions.jsonl, for admins to see what people ask and what goes
 * unanswered. Bounded: a write that would take the file past its cap first renames it to
 * questions.jsonl.1 (replacing the one before). Writes are queued so lines never
 * interleave; a failed write is logged (once until a write succeeds again) and never
 * reaches the person asking.
 */

export interface QuestionEntry {
  time: string;
  answered: boolean;
  /** The ids of the passages shown. */
  results: string[];
  /** The salted user hash of the feedback log (FeedbackLog.userHash). */
  user: string;
  /** The document the question was limited to, or null. */
  source: string | null;
  /** The asker's Discord locale (e.g. "en-US"), or null where none is known (DMs, mentions). */
  locale: string | null;
  /** What was asked; absent when LOG_QUESTIONS=off. */
  question?: string;
}

/** What a shell knows about one question and its answer. */
export interface AskedQuestion {
  question: string;
  answered: boolean;
  results: string[];
  userId: string;
  source?: string | undefined;
  locale?: string | undefined;
}

export const QUESTIONS_FILE = "questions.jsonl";
export const QUESTION_LOG_MAX_BYTES = 10 * 1024 * 1024;

export interface QuestionLogOptions {
  /** Turns the user id into the salted hash stored in the log. */
  hashUser(userId: string): Promise<string>;
  /** Keep the question text (LOG_QUESTIONS); default true. */
  keepText?: boolean;
  /** The size at which the file is rotated; default 10 MB. */
  maxBytes?: number;
}

export class QuestionLog {
  readonly path: string;
  readonly #options: QuestionLogOptions;
  #queue: Promise<void> = Promise.resolve();
  #failing = false;

  constructor(dataDir: string, options: QuestionLogOptions) {
    this.path = join(dataDir, QUESTIONS_FILE);
    this.#options = options;
  }

  /** Queues one line; returns at once. `flush` resolves when it is written (or has failed). */
  record(asked: AskedQuestion): void {
    const time = new Date().toISOString();
    this.#queue = this.#queue.then(() =>
      this.#write(asked, time).then(
        () => {
          this.#failing = false;
        },
        (error: unknown) => {
          if (!this.#failing) log.warn(`cannot write the question log ${this.path}`, error);
          this.#failing = true;
        },
      ),
    );
  }

  /** Resolves once every line recorded so far is written or has failed. */
  flush(): Promise<void> {
    return this.#queue;
  }

  /** Every entry of this log and its rotated predecessor, oldest first, once queued lines are written. */
  async read(): Promise<QuestionEntry[]> {
    await this.#queue;
    return readQuestionLog(this.path);
  }

  async #write(asked: AskedQuestion, time: string): Promise<void> {
    const entry: QuestionEntry = {
      time,
      answered: asked.answered,
      results: asked.results,
      user: await this.#options.hashUser(asked.userId),
      source: asked.source ?? null,
      locale: asked.locale ?? null,
      ...(this.#options.keepText === false ? {} : { question: asked.question }),
    };
    const line = `${JSON.stringify(entry)}\n`;
    const size = await stat(this.path).then(
      (s) => s.size,
      () => 0,
    );
    const cap = this.#options.maxBytes ?? QUESTION_LOG_MAX_BYTES;
    if (size > 0 && size + Buffer.byteLength(line) > cap) {
      await rename(this.path, `${this.path}.1`);
    }
    await appendLine(this.path, line);
  }
}

/** The question log of DATA_DIR, with users hashed as in the feedback log. */
export function openQuestionLog(
  config: Pick<EngineConfig, "DATA_DIR" | "LOG_QUESTIONS">,
  feedback: FeedbackLog,
): QuestionLog {
  return new QuestionLog(config.DATA_DIR, {
    hashUser: (userId) => feedback.userHash(userId),
    keepText: config.LOG_QUESTIONS,
  });
}

/** Every entry of the log at `path` and of `path`.1, oldest first; torn or foreign lines are skipped. */
export async function readQuestionLog(path: string): Promise<QuestionEntry[]> {
  const texts = await Promise.all([`${path}.1`, path].map(readDataFile));
  return texts.flatMap((text) => text.split("\n").flatMap(parseEntry));
}

function parseEntry(line: string): QuestionEntry[] {
  if (!line.trim()) return [];
  try {
    const entry = JSON.parse(line) as Partial<QuestionEntry>;
    if (typeof entry.time !== "string" || typeof entry.answered !== "boolean") return [];
    return [
      { ...entry, results: Array.isArray(entry.results) ? entry.results : [] } as QuestionEntry,
    ];
  } catch {
    return [];
  }
}
