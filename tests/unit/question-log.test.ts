import { appendFile, readFile, stat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { ConfigError, engineConfig } from "../../src/config.ts";
import { FeedbackLog } from "../../src/feedback.ts";
import { setLogLevel } from "../../src/log.ts";
import { openQuestionLog, QUESTIONS_FILE, QuestionLog } from "../../src/questions.ts";
import { removeDir, tempDir } from "../fixtures/helpers.ts";

/** DATA_DIR/questions.jsonl: one line per question, bounded, never in the way of an answer. */

let dataDir: string;
beforeEach(async () => {
  dataDir = await tempDir();
});
afterEach(async () => {
  vi.restoreAllMocks();
  setLogLevel("silent");
  await removeDir(dataDir);
});

const USER = "123456789012345678";
const asked = (question: string, answered = true) => ({
  question,
  answered,
  results: answered ? ["doc-a:0:aaaaaaaa", "doc-b:2:bbbbbbbb"] : [],
  userId: USER,
  source: "doc-a",
  locale: "en-GB",
});

async function lines(path: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(path, "utf8");
  return text
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function logFor(env: Record<string, string>): { log: QuestionLog; feedback: FeedbackLog } {
  const feedback = new FeedbackLog(dataDir);
  return { log: openQuestionLog(engineConfig({ DATA_DIR: dataDir, ...env }), feedback), feedback };
}

describe("the question log", () => {
  test("writes one line per question: time, outcome, passages, hashed user, source, locale, text", async () => {
    const { log, feedback } = logFor({});
    const before = Date.now();
    log.record(asked("Who pays for the flights?"));
    log.record(asked("What is the price of cheese?", false));
    await log.flush();
    const [first, second] = await lines(join(dataDir, QUESTIONS_FILE));
    expect(first).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/u),
      answered: true,
      results: ["doc-a:0:aaaaaaaa", "doc-b:2:bbbbbbbb"],
      user: await feedback.userHash(USER),
      source: "doc-a",
      locale: "en-GB",
      question: "Who pays for the flights?",
    });
    expect(Date.parse(String(first?.time))).toBeGreaterThanOrEqual(before);
    expect(second).toMatchObject({
      answered: false,
      results: [],
      question: "What is the price of cheese?",
    });
    expect(await readFile(join(dataDir, QUESTIONS_FILE), "utf8")).not.toContain(USER);
    // The user hash is the feedback log's, so the two logs can be read together.
    await feedback.record("up", "Who pays for the flights?", [], USER);
    expect((await feedback.read())[0]?.user).toBe(first?.user);
  });

  test("LOG_QUESTIONS=off leaves out the question text and keeps the rest", async () => {
    const { log } = logFor({ LOG_QUESTIONS: "off" });
    log.record(asked("A question nobody should read"));
    await log.flush();
    const text = await readFile(join(dataDir, QUESTIONS_FILE), "utf8");
    expect(text).not.toContain("nobody should read");
    const [entry] = await lines(join(dataDir, QUESTIONS_FILE));
    expect(Object.keys(entry ?? {}).sort()).toEqual(
      ["answered", "locale", "results", "source", "time", "user"].sort(),
    );
  });

  test("LOG_QUESTIONS takes on or off, and names itself when wrong", () => {
    expect(engineConfig({}).LOG_QUESTIONS).toBe(true);
    expect(engineConfig({ LOG_QUESTIONS: "on" }).LOG_QUESTIONS).toBe(true);
    expect(() => engineConfig({ LOG_QUESTIONS: "no" })).toThrow(ConfigError);
    expect(() => engineConfig({ LOG_QUESTIONS: "no" })).toThrow(/^LOG_QUESTIONS /u);
  });

  test("is rotated to questions.jsonl.1 at its size cap; the reader reads both", async () => {
    const cap = 1000;
    const log = new QuestionLog(dataDir, {
      hashUser: async () => "0123456789abcdef",
      maxBytes: cap,
    });
    const path = join(dataDir, QUESTIONS_FILE);
    const questions = Array.from(
      { length: 30 },
      (_, i) => `question number ${i} ${"x".repeat(40)}`,
    );
    for (const question of questions) log.record(asked(question));
    await log.flush();
    expect((await stat(path)).size).toBeLessThanOrEqual(cap);
    expect((await stat(`${path}.1`)).size).toBeLessThanOrEqual(cap);
    const kept = (await log.read()).map((e) => e.question);
    // The newest lines, in order, with nothing older than what .1 holds.
    expect(kept.length).toBeGreaterThan(4);
    expect(kept).toEqual(questions.slice(-kept.length));
    const rotated = await lines(`${path}.1`);
    expect(rotated.at(-1)?.question).toBe(questions.at(-kept.length + rotated.length - 1));
  });

  test("queued records never interleave and keep their order", async () => {
    const { log } = logFor({});
    const questions = Array.from({ length: 300 }, (_, i) => `q${i} ${"é".repeat(i % 50)}`);
    for (const question of questions) log.record(asked(question));
    await log.flush();
    expect((await log.read()).map((e) => e.question)).toEqual(questions);
  });

  test("a line torn by a crash does not swallow the next one", async () => {
    const { log } = logFor({});
    log.record(asked("before the crash"));
    await log.flush();
    await appendFile(log.path, '{"time":"2024-07-01T00:00');
    log.record(asked("after the crash"));
    expect((await log.read()).map((e) => e.question)).toEqual([
      "before the crash",
      "after the crash",
    ]);
  });

  test("a symbolic link at the log's path is neither written through nor read", async () => {
    const target = join(dataDir, "elsewhere.txt");
    await writeFile(target, "");
    await symlink(target, join(dataDir, QUESTIONS_FILE));
    setLogLevel("warn");
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const { log } = logFor({});
    log.record(asked("through the link"));
    await log.flush();
    expect(await readFile(target, "utf8")).toBe("");
    expect(String(stderr.mock.calls[0]?.[0])).toMatch(/symbolic link: refusing to follow it/u);
    await expect(log.read()).rejects.toThrow(/symbolic link/u);
  });

  test("a failing write is logged once and never thrown", async () => {
    // DATA_DIR is a file: no folder can be made there.
    const blocked = join(dataDir, "not-a-folder");
    await writeFile(blocked, "");
    setLogLevel("warn");
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const log = new QuestionLog(join(blocked, "data"), {
      hashUser: async () => "0123456789abcdef",
    });
    expect(() => {
      log.record(asked("one"));
      log.record(asked("two"));
      log.record(asked("three"));
    }).not.toThrow();
    await log.flush();
    const warnings = stderr.mock.calls.map(([text]) => String(text));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /warn cannot write the question log .*not-a-folder\/data\/questions\.jsonl/u,
    );

    // A salt that cannot be made fails the same quiet way.
    const noSalt = new QuestionLog(dataDir, {
      hashUser: () => Promise.reject(new Error("no salt")),
    });
    noSalt.record(asked("four"));
    await noSalt.flush();
    expect(stderr.mock.calls).toHaveLength(2);
  });
});
