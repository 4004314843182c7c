import { fork } from "node:child_process";
import { once } from "node:events";
import { statSync } from "node:fs";
import {
  appendFile,
  type FileHandle,
  mkdir,
  open,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, test, vi } from "vitest";
import { z } from "zod";
import { FEEDBACK_FILE, FeedbackLog, SALT_FILE } from "../../src/feedback.ts";
import {
  ask,
  closeHarnesses,
  EPHEMERAL,
  failedRequests,
  startHarness,
  tempDir,
} from "../support/bot-harness.ts";
import type { JsonBody } from "../support/loopback-discord.ts";

/**
 * The feedback log loses no vote: under 500 concurrent clicks (1,000 in tests/stress/stress.ts),
 * and across a crash mid-write.
 */

afterEach(async () => {
  vi.restoreAllMocks();
  await closeHarnesses();
});

const entrySchema = z.strictObject({
  time: z.iso.datetime(),
  vote: z.enum(["up", "down"]),
  question: z.string().min(1),
  results: z.array(z.string().min(1)),
  user: z.string().regex(/^[0-9a-f]{16}$/u),
});

const QUESTION = "Who pays for the deportation flights from Panama?";

describe("500 concurrent 👍/👎 clicks", () => {
  test("give 500 well-formed lines, none lost, none interleaved", async () => {
    const { server, bot, dataDir } = await startHarness();
    const answer: JsonBody = await ask(server, { question: QUESTION }).reply();
    const results = (answer.components ?? [])
      .flatMap((row: JsonBody) => row.components)
      .map((c: JsonBody) => String(c.custom_id))
      .filter((id: string) => id.startsWith("ask:ctx:"))
      .map((id: string) => id.slice("ask:ctx:".length));
    expect(results).toHaveLength(3);
    const users = Array.from({ length: 50 }, (_, i) => server.addUser({ username: `voter${i}` }));
    // All dispatched at once, on the answer just given, by 50 users voting 10 times each.
    const clicks = Array.from({ length: 500 }, (_, i) => {
      const vote = i % 3 === 0 ? "down" : "up";
      return server.button({ customId: `ask:fb:${vote}`, user: users[i % users.length] });
    });
    for (const click of clicks) {
      const reply: JsonBody = await click.reply(30_000);
      expect(reply.content).toMatch(/^Thanks/u);
      // Private: the reply itself, or the deferral it edits when the burst made it wait.
      const callback = await click.callback();
      expect((callback.type === 5 ? callback.data?.flags : reply.flags) & EPHEMERAL).toBe(
        EPHEMERAL,
      );
      expect(click.followUps).toEqual([]);
    }
    await bot.router.drain();

    const text = await readFile(join(dataDir, FEEDBACK_FILE), "utf8");
    expect(text.endsWith("\n")).toBe(true);
    const lines = text.slice(0, -1).split("\n");
    expect(lines).toHaveLength(500);
    const entries = lines.map((line) => entrySchema.parse(JSON.parse(line)));
    for (const entry of entries) {
      expect(entry.question).toBe(QUESTION);
      expect(entry.results).toEqual(results);
    }
    expect(entries.filter((e) => e.vote === "down")).toHaveLength(167);
    expect(entries.filter((e) => e.vote === "up")).toHaveLength(333);
    // 50 voters, 10 votes each, told apart by their salted hashes.
    const perUser = new Map<string, number>();
    for (const e of entries) perUser.set(e.user, (perUser.get(e.user) ?? 0) + 1);
    expect([...perUser.values()]).toEqual(Array(50).fill(10));
    expect(await new FeedbackLog(dataDir).read()).toHaveLength(500);
    expect(failedRequests(server)).toEqual([]);
  });
});

const LINE_BYTES = 8_000_000;

/**
 * Runs tests/support/feedback-writer.ts until it has written `lines` lines, then kills it
 * with SIGKILL as soon as the file shows part of the next one: each 8 MB line goes out in
 * 16 writes, so the kill usually lands mid-line. On a busy machine the writer can finish
 * the line between our look and the signal, so a kill that tore nothing is tried again
 * with a fresh writer on the same log, up to five times.
 */
async function killWriterMidWrite(dataDir: string, lines: number): Promise<void> {
  const path = join(dataDir, FEEDBACK_FILE);
  for (let attempt = 0; attempt < 5; attempt++) {
    await killOneWriter(path, dataDir, lines);
    const raw = await readFile(path);
    if (raw.at(-1) !== 0x0a) return;
  }
}

async function killOneWriter(path: string, dataDir: string, lines: number): Promise<void> {
  const child = fork(join(import.meta.dirname, "..", "support", "feedback-writer.ts"), [], {
    env: { ...process.env, DATA_DIR: dataDir, QUESTION_BYTES: String(LINE_BYTES) },
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  const exited = once(child, "exit");
  let written = 0;
  child.on("message", (n) => {
    written = Number(n);
  });
  const deadline = Date.now() + 10_000;
  let base = -1;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setImmediate(resolve));
    if (written < lines) continue;
    const size = statSync(path).size;
    if (base < 0 || size - base >= LINE_BYTES) base = size;
    else if (size > base) break;
  }
  child.kill("SIGKILL");
  await exited;
}

describe("a crash mid-write", () => {
  test("a writer killed while appending loses no well-formed line; the log heals and goes on", async () => {
    const dataDir = await tempDir("answer-bot-feedback-");
    await killWriterMidWrite(dataDir, 2);
    const path = join(dataDir, FEEDBACK_FILE);
    const raw = await readFile(path, "utf8");
    const complete = raw.split("\n").slice(0, -1);
    // Every line the writer finished is intact; at most the last one is torn.
    expect(complete.length).toBeGreaterThanOrEqual(2);
    for (const line of complete) entrySchema.parse(JSON.parse(line));
    const torn = raw.endsWith("\n") ? "" : (raw.split("\n").at(-1) ?? "");
    expect(() => JSON.parse(torn)).toThrow();
    // The kill came in the middle of a line's 16 writes: the crash tore it for real.
    expect(torn.length).toBeGreaterThan(0);

    // Torn mid-character too, as a crash can leave it.
    await appendFile(
      path,
      Buffer.concat([Buffer.from('{"time":"2024-07-01T00:00'), Buffer.from([0xe2, 0x82])]),
    );
    const { size } = await stat(path);

    const log = new FeedbackLog(dataDir);
    const before = await log.read();
    expect(before).toHaveLength(complete.length);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        log.record(i % 2 ? "up" : "down", `after the crash ${i}`, ["p:1"], `user-${i}`),
      ),
    );
    const after = await log.read();
    expect(after).toHaveLength(complete.length + 20);
    expect(after.slice(0, complete.length)).toEqual(before);
    expect(
      after
        .slice(complete.length)
        .map((e) => e.question)
        .sort(),
    ).toEqual(Array.from({ length: 20 }, (_, i) => `after the crash ${i}`).sort());
    for (const entry of after) entrySchema.parse(entry);
    // The torn bytes stay where they were, closed by a line break; nothing after them is glued on.
    const healed = await readFile(path);
    expect(healed.subarray(size, size + 1).toString()).toBe("\n");
    const text = healed.toString("utf8");
    expect(text.endsWith("\n")).toBe(true);
    const unreadable = text
      .slice(0, -1)
      .split("\n")
      .filter((line) => {
        try {
          JSON.parse(line);
          return false;
        } catch {
          return true;
        }
      });
    expect(unreadable).toHaveLength(1);

    // A second restart finds a clean tail and adds no blank line.
    await new FeedbackLog(dataDir).record("up", "second restart", [], "user-x");
    expect((await readFile(path, "utf8")).endsWith('"}\n')).toBe(true);
    expect(await new FeedbackLog(dataDir).read()).toHaveLength(complete.length + 21);
  });
});

/**
 * Makes the next file writes fail as on a full disk: the first one faulted writes half its
 * bytes for real and reports them (a short write), every later one until `heal` throws ENOSPC.
 */
async function fullDisk(dir: string): Promise<{ heal: () => void }> {
  const probe = await open(join(dir, ".probe"), "w");
  const prototype = Object.getPrototypeOf(probe) as FileHandle;
  await probe.close();
  await rm(join(dir, ".probe"));
  const real = prototype.write as (
    buffer: Uint8Array,
    offset: number,
    length: number,
  ) => Promise<{ bytesWritten: number }>;
  let short = true;
  const spy = vi.spyOn(prototype, "write").mockImplementation(async function (
    this: FileHandle,
    buffer: Uint8Array,
    offset?: number | null,
    length?: number | null,
  ) {
    if (!short)
      throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
    short = false;
    const from = offset ?? 0;
    const half = Math.max(1, Math.floor((length ?? buffer.length - from) / 2));
    return real.call(this, buffer, from, half);
  } as never);
  return { heal: () => spy.mockRestore() };
}

describe("a full disk", () => {
  test("a vote cut short by a full disk leaves no glued line: every vote after the fault is read back", async () => {
    const dataDir = await tempDir("answer-bot-feedback-");
    const log = new FeedbackLog(dataDir);
    await log.record("up", "before the fault", ["p:1"], "user-1");
    const disk = await fullDisk(dataDir);
    await expect(log.record("down", "during the fault", ["p:1"], "user-2")).rejects.toThrow(
      /ENOSPC/u,
    );
    disk.heal();
    const torn = await readFile(join(dataDir, FEEDBACK_FILE), "utf8");
    // The fault left a partial line, as a full disk does.
    expect(torn.endsWith("\n")).toBe(false);
    for (let i = 0; i < 3; i++) await log.record("up", `after the fault ${i}`, ["p:2"], "user-3");
    expect((await log.read()).map((e) => e.question)).toEqual([
      "before the fault",
      "after the fault 0",
      "after the fault 1",
      "after the fault 2",
    ]);
  });

  test("a salt the full disk kept from being written leaves no salt file, and the next vote makes one", async () => {
    const dataDir = await tempDir("answer-bot-feedback-");
    const log = new FeedbackLog(dataDir);
    const disk = await fullDisk(dataDir);
    await expect(log.record("up", "first vote", [], "user-1")).rejects.toThrow(/ENOSPC/u);
    disk.heal();
    // Neither an empty or half salt nor a temporary file is left behind.
    expect(await readdir(dataDir)).toEqual([]);
    await log.record("up", "second vote", [], "user-1");
    await log.record("down", "third vote", [], "user-1");
    expect((await log.read()).map((e) => e.question)).toEqual(["second vote", "third vote"]);
    const salt = (await readFile(join(dataDir, SALT_FILE), "utf8")).trim();
    expect(salt).toMatch(/^[0-9a-f]{32,}$/u);
    expect(await readdir(dataDir)).toEqual(expect.arrayContaining([SALT_FILE, FEEDBACK_FILE]));
    expect(await readdir(dataDir)).toHaveLength(2);
  });

  test("a salt file that cannot be read is tried again at the next vote, not remembered as failed", async () => {
    const dataDir = await tempDir("answer-bot-feedback-");
    await mkdir(join(dataDir, SALT_FILE));
    const log = new FeedbackLog(dataDir);
    await expect(log.record("up", "first vote", [], "user-1")).rejects.toThrow(
      /feedback\.salt is not a regular file/u,
    );
    await rm(join(dataDir, SALT_FILE), { recursive: true });
    await log.record("up", "second vote", [], "user-1");
    expect((await log.read()).map((e) => e.question)).toEqual(["second vote"]);
  });
});

describe("a bad salt", () => {
  test.each([
    ["empty", ""],
    ["not hex", "not a salt at all, just words"],
    ["too short", "00ff00ff"],
  ])(
    "a salt file that is %s is refused with a one-line error; the vote is not written",
    async (_name, salt) => {
      const dataDir = await tempDir("answer-bot-feedback-");
      await writeFile(join(dataDir, SALT_FILE), salt);
      const log = new FeedbackLog(dataDir);
      const refused = log.record("up", "a vote", [], "user-1");
      await expect(refused).rejects.toThrow(
        /feedback\.salt .*refusing to use it; delete feedback\.salt/u,
      );
      await refused.catch((error: Error) => expect(error.message).not.toContain("\n"));
      expect(await log.read()).toEqual([]);
      // Refused, not replaced: the file is left for the admin to look at.
      expect(await readFile(join(dataDir, SALT_FILE), "utf8")).toBe(salt);
    },
  );
});

describe("symlinks in DATA_DIR", () => {
  test("feedback.jsonl symlinked to another file receives nothing", async () => {
    const dataDir = await tempDir("answer-bot-feedback-");
    const target = join(await tempDir("answer-bot-elsewhere-"), "shell-rc");
    await writeFile(target, "alias ll='ls -l'\n");
    await symlink(target, join(dataDir, FEEDBACK_FILE));
    const log = new FeedbackLog(dataDir);
    await expect(log.record("up", "$(touch /tmp/owned)", [], "user-1")).rejects.toThrow(
      /feedback\.jsonl is a symbolic link: refusing to follow it/u,
    );
    expect(await readFile(target, "utf8")).toBe("alias ll='ls -l'\n");
  });

  test("feedback.salt symlinked to another file is refused, not read as the salt", async () => {
    const dataDir = await tempDir("answer-bot-feedback-");
    const target = join(await tempDir("answer-bot-elsewhere-"), "known");
    await writeFile(target, "ab".repeat(32));
    await symlink(target, join(dataDir, SALT_FILE));
    await expect(new FeedbackLog(dataDir).record("up", "a vote", [], "user-1")).rejects.toThrow(
      /feedback\.salt is a symbolic link/u,
    );
    await expect(readFile(join(dataDir, FEEDBACK_FILE))).rejects.toMatchObject({ code: "ENOENT" });
  });
});
