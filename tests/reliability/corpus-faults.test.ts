import { execFileSync } from "node:child_process";
import {
  chmod,
  cp,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  symlink,
  truncate,
  unlink,
  writeFile,
} from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, test, vi } from "vitest";
import { botConfig } from "../../src/config.ts";
import { CorpusError } from "../../src/corpus/file-errors.ts";
import { MAX_FILE_BYTES, MAX_FILES } from "../../src/corpus/load.ts";
import { startBot } from "../../src/discord/bot.ts";
import { setLogLevel } from "../../src/log.ts";
import { Library } from "../../src/search/library.ts";
import type { ReloadReport } from "../../src/search/reports.ts";
import { SAMPLE_CORPUS } from "../fixtures/helpers.ts";
import { codeRootForNobody, giveToNobody, NOBODY, nobodyCannotRead } from "../support/as-nobody.ts";
import {
  ask,
  botEnv,
  closeHarnesses,
  failedRequests,
  startHarness,
  startServer,
  tempDir,
  unmarkdown,
} from "../support/bot-harness.ts";
import { startBotProcess } from "../support/bot-process.ts";
import { runAsk } from "../support/cli.ts";
import type { JsonBody, LoopbackDiscord, TestUser } from "../support/loopback-discord.ts";

/**
 * Corpus faults at start and on /reload: every bad file is named with its reason, the
 * other documents load, a failed reload keeps the previous index serving, the bot stays up.
 */

afterEach(closeHarnesses);

const QUESTION = "Who pays for the deportation flights from Panama?";
const ADMIN: TestUser = { id: "223344556677889900", username: "corpus-admin" };
const FIFTY_MB = 50 * 1024 * 1024;

/** The bad files and the reason each must be skipped with. */
const BAD: Record<string, string | RegExp> = {
  "bad-yaml.md": /^bad YAML front matter: /u,
  "binary.md": "binary file (contains NUL bytes), not UTF-8 text",
  "latin1.txt": "not valid UTF-8 text",
  "empty.md": "file is empty",
  "huge.md": "file is 50.0 MB, over the 2.0 MB limit",
};

async function writeBadFiles(dir: string): Promise<void> {
  await writeFile(join(dir, "bad-yaml.md"), "---\ntitle: [unclosed\n---\nSome text.\n");
  await writeFile(join(dir, "binary.md"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]));
  await writeFile(join(dir, "latin1.txt"), Buffer.from("Migraci\xf3n en Panam\xe1\n", "latin1"));
  await writeFile(join(dir, "empty.md"), "");
  // 50 MB in an instant: a sparse file (the size check must come before any read).
  const huge = await open(join(dir, "huge.md"), "w");
  await huge.truncate(FIFTY_MB);
  await huge.close();
}

function expectSkipped(skipped: readonly { file: string; reason: string }[]): void {
  expect(skipped.map((s) => s.file).sort()).toEqual(Object.keys(BAD).sort());
  for (const { file, reason } of skipped) {
    const expected = BAD[file];
    if (expected instanceof RegExp) expect(reason, file).toMatch(expected);
    else expect(reason, file).toBe(expected);
  }
}

/** What `run` writes to stderr at LOG_LEVEL warn, chunk by chunk. */
async function warnings(run: () => Promise<unknown>): Promise<string[]> {
  const logged: string[] = [];
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    logged.push(String(chunk));
    return true;
  });
  setLogLevel("warn");
  try {
    await run();
  } finally {
    setLogLevel("silent");
    vi.restoreAllMocks();
  }
  return logged;
}

async function copyOfCorpus(): Promise<string> {
  const dir = await tempDir("answer-bot-faults-");
  await cp(SAMPLE_CORPUS, dir, { recursive: true });
  return dir;
}

async function expectAnswered(server: LoopbackDiscord): Promise<void> {
  const reply: JsonBody = await ask(server, { question: QUESTION }).reply();
  expect(reply.embeds?.length ?? 0).toBeGreaterThan(0);
}

async function reload(server: LoopbackDiscord): Promise<string> {
  const reply: JsonBody = await server
    .slash({ name: "reload", user: ADMIN, inGuild: false })
    .reply(30_000);
  return unmarkdown(String(reply.content));
}

/** A report is consistent: its counts are the library's, its file lists add up. */
function expectConsistent(report: ReloadReport, library: Library, before: string[]): void {
  expect(report.ok, report.error).toBe(true);
  const after = library.documents.map((d) => d.file).sort();
  expect(report.after).toEqual({ documents: after.length, passages: library.stats().passages });
  expect(library.stats().documents).toBe(after.length);
  const expected = before
    .filter((f) => !report.removed.includes(f))
    .concat(report.added)
    .sort();
  expect(after).toEqual(expected);
  for (const file of report.changed) expect(after).toContain(file);
  for (const { file } of report.skipped) expect(after).not.toContain(file);
}

describe("corpus faults at start", () => {
  test("bad YAML, binary, non-UTF-8, empty and 50 MB files are skipped by name; the rest load", async () => {
    const dir = await copyOfCorpus();
    await writeBadFiles(dir);
    const library = await Library.open(dir);
    expect(library.stats().documents).toBe(5);
    expectSkipped(library.stats().skipped);
    expect(library.answer(QUESTION).answered).toBe(true);
    expect(MAX_FILE_BYTES).toBe(2 * 1024 * 1024);
  });

  test("the bot starts on such a folder, logs each skipped file, and answers", async () => {
    const harness = await startHarness();
    await writeBadFiles(harness.corpusDir);
    const logged = await warnings(async () => {
      const bot = await harness.restart();
      expect(bot.library.stats().documents).toBe(5);
      expectSkipped(bot.library.stats().skipped);
    });
    for (const file of Object.keys(BAD)) {
      expect(logged.some((line) => line.includes(`warn skipped ${file}: `))).toBe(true);
    }
    await expectAnswered(harness.server);
    expect(failedRequests(harness.server)).toEqual([]);
  });

  test("a missing folder stops start-up with a CorpusError naming it", async () => {
    const missing = join(await tempDir("answer-bot-faults-"), "no-such-corpus");
    await expect(Library.open(missing)).rejects.toThrow(
      new CorpusError(`corpus folder not found: ${missing}`),
    );
    const server = await startServer();
    const dataDir = await tempDir("answer-bot-faults-data-");
    const config = botConfig(botEnv(server, { corpusDir: missing, dataDir }));
    await expect(startBot(config)).rejects.toThrow(
      new CorpusError(`corpus folder not found: ${missing}`),
    );
    // It never got as far as logging in.
    expect(server.gatewayIdentifies).toBe(0);
  });

  test(`a folder of more than ${MAX_FILES} files is refused by name; ${MAX_FILES} load`, async () => {
    const dir = await tempDir("answer-bot-faults-many-");
    const note = (n: number) =>
      `Note ${n}\n\nOfficials said on day ${n} that ${n % 97} migrants reached shelter ${n} and were given food and water.\n`;
    for (let n = 0; n < MAX_FILES; n += 500) {
      await Promise.all(
        Array.from({ length: 500 }, (_, i) =>
          writeFile(join(dir, `note-${n + i}.txt`), note(n + i)),
        ),
      );
    }
    const library = await Library.open(dir);
    expect(library.stats().documents).toBe(MAX_FILES);
    await writeFile(join(dir, "one-too-many.txt"), note(MAX_FILES));
    await expect(Library.open(dir)).rejects.toThrow(
      new CorpusError(
        `corpus folder ${dir} has ${MAX_FILES + 1} document files, over the limit of ${MAX_FILES}`,
      ),
    );
    // On reload the same folder fails as a whole, and the loaded documents keep serving.
    const report = await library.reload();
    expect(report).toMatchObject({ ok: false, added: [], removed: [], changed: [] });
    expect(report.error).toContain(`over the limit of ${MAX_FILES}`);
    expect(library.stats().documents).toBe(MAX_FILES);
  });
});

describe("corpus faults on /reload", () => {
  test("bad files added later are named in the reply; the documents and the bot carry on", async () => {
    const { server, bot, corpusDir } = await startHarness({ env: { ADMIN_USER_IDS: ADMIN.id } });
    const before = bot.library.stats();
    await writeBadFiles(corpusDir);
    const reply = await reload(server);
    expect(reply).toMatch(/^Reloaded in \d+ ms\./u);
    expect(reply).toContain(`Documents: 5 → 5 · Passages: ${before.passages} → ${before.passages}`);
    for (const file of Object.keys(BAD)) expect(reply).toContain(`${file} (`);
    expect(reply).toContain("huge.md (file is 50.0 MB, over the 2.0 MB limit)");
    expectSkipped(bot.library.stats().skipped);
    await expectAnswered(server);
    expect(failedRequests(server)).toEqual([]);
  });

  test("a folder gone missing fails the reload by name; the previous index keeps answering", async () => {
    const { server, bot, corpusDir } = await startHarness({ env: { ADMIN_USER_IDS: ADMIN.id } });
    const before = bot.library.stats();
    await rename(corpusDir, `${corpusDir}-away`);
    const failed = await reload(server);
    expect(failed).toContain(`Reload failed: corpus folder not found: ${corpusDir}`);
    expect(failed).toContain(
      `Still serving the previous documents (5 documents, ${before.passages} passages)`,
    );
    expect(bot.library.stats()).toEqual(before);
    await expectAnswered(server);
    await rename(`${corpusDir}-away`, corpusDir);
    expect(await reload(server)).toMatch(/^Reloaded in \d+ ms\./u);
  });

  test(`a folder grown past ${MAX_FILES} files fails the reload by name; the bot keeps answering`, async () => {
    const { server, bot, corpusDir } = await startHarness({ env: { ADMIN_USER_IDS: ADMIN.id } });
    const before = bot.library.stats();
    for (let n = 0; n < 10_000; n += 1000) {
      await Promise.all(
        Array.from({ length: 1000 }, (_, i) =>
          writeFile(join(corpusDir, `tiny-${n + i}.txt`), `Tiny ${n + i}\n`),
        ),
      );
    }
    const failed = await reload(server);
    expect(failed).toContain(
      `Reload failed: corpus folder ${corpusDir} has 10005 document files, over the limit of ${MAX_FILES}`,
    );
    expect(bot.library.stats()).toEqual(before);
    await expectAnswered(server);
  });

  test("a file deleted or rewritten while a reload runs gives a consistent report, never a throw", async () => {
    const dir = await copyOfCorpus();
    // Enough files that a reload takes a while to read them all.
    const filler = (n: number) =>
      `Filler ${n}\n\nThe regional office said on day ${n} that ${n} families had registered for the bus to the border.\n`;
    await Promise.all(
      Array.from({ length: 200 }, (_, n) => writeFile(join(dir, `filler-${n}.txt`), filler(n))),
    );
    const library = await Library.open(dir);
    const target = join(dir, "christian-post-us-pays-panama-flights.md");
    const original = await readFile(target);
    const lateFiller = join(dir, "filler-199.txt");
    const outcomes = new Set<string>();
    for (let round = 0; round < 12; round++) {
      const before = library.documents.map((d) => d.file).sort();
      const reloading = library.reload();
      // Race the reload: same tick, next turn of the event loop, or a little later.
      if (round % 3 === 1) await new Promise((resolve) => setImmediate(resolve));
      if (round % 3 === 2) await new Promise((resolve) => setTimeout(resolve, round));
      if (round % 2 === 0) {
        await unlink(round % 4 === 0 ? target : lateFiller);
      } else {
        await writeFile(target, Buffer.concat([original, Buffer.from(`\nRound ${round}.\n`)]));
      }
      const report = await reloading;
      expectConsistent(report, library, before);
      outcomes.add(
        `${report.removed.length ? "removed" : ""}${report.changed.length ? "changed" : ""}${report.skipped.length ? "skipped" : ""}` ||
          "unchanged",
      );
      // Put things back and settle, so every round starts from the same corpus.
      await writeFile(target, original);
      await writeFile(lateFiller, filler(199));
      const settled = await library.reload();
      expect(settled.ok).toBe(true);
      expect(library.stats().documents).toBe(205);
    }
    expect(library.answer(QUESTION).answered).toBe(true);
    // The race went more than one way over the rounds.
    expect(outcomes.size).toBeGreaterThan(1);
  });
});

describe("an unreadable file (checked for real: as root, the bot runs as nobody)", () => {
  test("is skipped as 'permission denied' at start and on /reload; the bot answers", async (context) => {
    const server = await startServer();
    const corpusDir = await tempDir("answer-bot-faults-locked-");
    const dataDir = await tempDir("answer-bot-faults-data-");
    await cp(SAMPLE_CORPUS, corpusDir, { recursive: true });
    await writeFile(join(corpusDir, "locked.md"), "---\ntitle: Locked\n---\nSecret text.\n");
    await chmod(join(corpusDir, "locked.md"), 0o000);
    const asRoot = process.getuid?.() === 0;
    let root: string | undefined;
    if (asRoot) {
      // Root reads anything: the bot runs as nobody, who owns the folders but may not read locked.md.
      await mkdir(join(dataDir, "bot"));
      await giveToNobody(corpusDir);
      await giveToNobody(dataDir);
      const code = await codeRootForNobody();
      const reason = "reason" in code ? code.reason : nobodyCannotRead(corpusDir);
      if (reason) {
        console.warn(`skipped: the bot cannot run as nobody here: ${reason}`);
        context.skip(reason);
      }
      if ("root" in code) root = code.root;
    }
    const bot = startBotProcess({
      env: {
        DISCORD_TOKEN: server.token,
        DISCORD_API_URL: server.apiUrl,
        CORPUS_DIR: corpusDir,
        DATA_DIR: join(dataDir, "bot"),
        ADMIN_USER_IDS: ADMIN.id,
        ENV_FILE: join(dataDir, "no.env"),
        LOG_LEVEL: "warn",
        RATE_LIMIT_PER_MINUTE: "0",
      },
      ...(asRoot ? { user: NOBODY, root } : {}),
    });
    try {
      const ready = await bot.ready;
      expect(ready.documents).toBe(5);
      expect(ready.skipped).toEqual([{ file: "locked.md", reason: "permission denied" }]);
      expect(bot.stderr()).toContain("skipped locked.md: permission denied");
      await expectAnswered(server);

      // A document that becomes unreadable, and a new unreadable one, on /reload.
      const flights = "christian-post-us-pays-panama-flights.md";
      await chmod(join(corpusDir, flights), 0o000);
      await writeFile(join(corpusDir, "locked-too.md"), "Also secret.\n");
      await chmod(join(corpusDir, "locked-too.md"), 0o000);
      const reply = await reload(server);
      expect(reply).toMatch(/^Reloaded in \d+ ms\./u);
      expect(reply).toContain("Documents: 5 → 4");
      expect(reply).toContain(`Removed: ${flights}`);
      expect(reply).toContain(`${flights} (permission denied)`);
      expect(reply).toContain("locked.md (permission denied)");
      expect(reply).toContain("locked-too.md (permission denied)");
      await expectAnswered(server);
      expect(await bot.stop()).toEqual([]);
      expect(bot.child.exitCode).toBe(0);
    } finally {
      bot.kill();
      await rm(corpusDir, { recursive: true, force: true });
    }
  });
});

describe("entries that are not regular files, and sizes at the limit", () => {
  test("symlinks, named pipes and folders in the corpus are named as skipped in the /reload reply, with the reason", async () => {
    const { server, corpusDir } = await startHarness({ env: { ADMIN_USER_IDS: ADMIN.id } });
    await symlink("/etc/passwd", join(corpusDir, "link.md"));
    execFileSync("mkfifo", [join(corpusDir, "pipe.md")]);
    await mkdir(join(corpusDir, "archive"));
    await writeFile(join(corpusDir, "one-byte-over.md"), "");
    await truncate(join(corpusDir, "one-byte-over.md"), MAX_FILE_BYTES + 1);
    const reply = await reload(server);
    expect(reply).toContain("link.md (symbolic link, not followed)");
    expect(reply).toContain("pipe.md (named pipe, not a regular file)");
    expect(reply).toContain(
      "archive (folder, not read (documents go directly in the corpus folder))",
    );
    expect(reply).toContain(
      "one-byte-over.md (file is 2,097,153 bytes, over the 2,097,152-byte limit)",
    );
    await expectAnswered(server);
  });
});

describe("control characters in file names and document text", () => {
  // A name that would recolour a terminal and forge a log line of its own.
  const NAME = "red\u001b[31m\n2024-01-01T00:00:00.000Z warn forged.md";
  const ESCAPED = "red\\x1b[31m\\n2024-01-01T00:00:00.000Z warn forged.md";
  const TITLE = "Cleared \u001b[2J screen \u009b31m and \u0007 bell";
  const TITLE_ESCAPED = "Cleared \\x1b[2J screen \\x9b31m and \\x07 bell";
  // Any control character but the line breaks between lines.
  const CONTROL = /(?!\n)\p{Cc}/u;

  async function writeHostileNames(dir: string): Promise<void> {
    await writeFile(join(dir, NAME), "");
    const body = await readFile(join(dir, (await readdirDocuments(dir))[0] as string), "utf8");
    await writeFile(
      join(dir, "control.md"),
      `---\ntitle: ${JSON.stringify(TITLE)}\noutlet: "Wire"\n---\n${body.replace(/^---[\s\S]*?---\n/u, "")}`,
    );
  }

  test("are escaped in the start-up log: every line stays one line, with no escape sequence", async () => {
    const harness = await startHarness();
    await writeHostileNames(harness.corpusDir);
    const logged = await warnings(() => harness.restart());
    expect(logged.some((line) => line.includes(`warn skipped ${ESCAPED}: file is empty`))).toBe(
      true,
    );
    for (const line of logged) {
      expect(line).toMatch(/^\d{4}-\d\d-\d\dT[^\n]*\n$/u);
      expect(line).not.toMatch(CONTROL);
    }
  });

  test("are escaped in the /reload reply", async () => {
    const { server, corpusDir } = await startHarness({ env: { ADMIN_USER_IDS: ADMIN.id } });
    await writeHostileNames(corpusDir);
    const reply: JsonBody = await server
      .slash({ name: "reload", user: ADMIN, inGuild: false })
      .reply(30_000);
    const content = String(reply.content);
    expect(content).not.toMatch(CONTROL);
    expect(unmarkdown(content)).toContain(`${ESCAPED} (file is empty)`);
    expect(unmarkdown(content)).toContain("Added: control.md");
  });

  test("are escaped in ask's output: skipped-file lines and --sources", async () => {
    const dir = await copyOfCorpus();
    await writeHostileNames(dir);
    const { code, stdout, stderr } = await runAsk(["--sources"], { CORPUS_DIR: dir });
    expect(code).toBe(0);
    expect(stderr).toContain(`ask: skipped ${ESCAPED}: file is empty\n`);
    expect(stdout).toContain(`control  (`);
    expect(stdout).toContain(TITLE_ESCAPED);
    expect(stdout).not.toMatch(CONTROL);
    expect(stderr).not.toMatch(CONTROL);
  });
});

async function readdirDocuments(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.endsWith(".md")).sort();
}
