/**
 * npm run stress (USAGE below lists the sections). The bot runs in a child process (its own
 * event loop and heap) against the loopback Discord server in this one, which measures
 * dispatch → callback. Exits 1 if any check failed.
 */
import { cp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { commandLine } from "../../src/cli/command-line.ts";
import { CorpusError } from "../../src/corpus/file-errors.ts";
import { MAX_FILES } from "../../src/corpus/load.ts";
import { setLogLevel } from "../../src/log.ts";
import { Library } from "../../src/search/library.ts";
import { SAMPLE_CORPUS } from "../fixtures/helpers.ts";
import { answerSchema } from "../support/answer-contract.ts";
import {
  askOptions,
  botEnv,
  closeHarnesses,
  limitProblems,
  sleep,
  startServer,
  tempDir,
} from "../support/bot-harness.ts";
import { type BotProcess, startBotProcess } from "../support/bot-process.ts";
import { bulletin, writeBulletins } from "../support/bulletins.ts";
import { BURST_QUESTIONS, fate, SLOW_DOWN } from "../support/burst.ts";
import { hostileQuestions, illFormedStrings } from "../support/hostile.ts";
import type {
  InteractionHandle,
  JsonBody,
  LoopbackDiscord,
  TestUser,
} from "../support/loopback-discord.ts";

const SECTIONS = ["A", "B", "C", "D", "E", "F", "G"];
const USAGE = `Usage: npm run stress [-- [A B …] [--documents N]]

The heavy figures the reliability tests leave out, bounded in count and time, on 127.0.0.1
only; prints them and exits 1 if any check failed. Sections (default: all):

  A. 10,000 hostile questions through the engine
  B. 10,000 hostile questions through Discord (/ask and DMs)
  C. a burst of 1,000 /ask from 100 users, a /reload in the middle and a flooder; memory
     before and after; again with answers as costly as on a corpus of thousands of documents
  D. 1,000 concurrent 👍/👎 clicks into the feedback log
  E. big corpus folders: 2,000 files (the limit) and 10,000 (refused)
  F. gateway connections dropped: resume and reconnect times
  G. one user floods autocomplete and /ask source: on 5,000 documents (the limit) while
     20 others ask: how many of the others were answered within 3 s

  --documents N   G's corpus size, 1 to ${MAX_FILES} (default ${MAX_FILES})
  -h, --help      show this help`;

const WINDOW_MS = 3000;
const ADMIN: TestUser = { id: "223344556677889900", username: "stress-admin" };

// ---- reporting -----------------------------------------------------------------------------

const failures: string[] = [];

function check(ok: boolean, what: string): void {
  process.stdout.write(`  ${ok ? "ok  " : "FAIL"} ${what}\n`);
  if (!ok) failures.push(what);
}

function figure(name: string, value: string | number): void {
  process.stdout.write(`  ${name.padEnd(46)} ${value}\n`);
}

function section(title: string): void {
  process.stdout.write(`\n${title}\n`);
}

function percentiles(values: number[]): string {
  if (values.length === 0) return "n/a";
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
  const f = (n: number | undefined) => (n === undefined ? "?" : n.toFixed(n < 10 ? 1 : 0));
  return `p50 ${f(at(0.5))} · p95 ${f(at(0.95))} · p99 ${f(at(0.99))} · max ${f(sorted.at(-1))} ms`;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Why a reply body could not go to Discord as is (empty when it could). */
function replyProblems(body: JsonBody): string[] {
  const problems = [...limitProblems(body), ...illFormedStrings(body)];
  if (JSON.stringify(body?.allowed_mentions?.parse) !== "[]") problems.push("mentions not off");
  if (!body?.content && !body?.embeds?.length) problems.push("empty reply");
  return problems;
}

// ---- the bot in its own process ------------------------------------------------------------

interface Running {
  server: LoopbackDiscord;
  bot: BotProcess;
  dataDir: string;
}

async function startBot(
  env: Record<string, string>,
  corpus = (dir: string) => cp(SAMPLE_CORPUS, dir, { recursive: true }),
): Promise<Running> {
  const server = await startServer();
  const corpusDir = await tempDir("answer-bot-stress-corpus-");
  await corpus(corpusDir);
  const dataDir = await tempDir("answer-bot-stress-data-");
  const bot = startBotProcess({
    env: botEnv(server, { corpusDir, dataDir }, { ADMIN_USER_IDS: ADMIN.id, ...env }),
    gc: true,
  });
  await bot.ready;
  return { server, bot, dataDir };
}

async function stopBot({ bot }: Running): Promise<void> {
  const unhandled = await bot.stop();
  check(unhandled.length === 0, `no unhandled rejection in the bot (${unhandled.length})`);
  const errors = bot.stderr().match(/ error /gu)?.length ?? 0;
  figure("error lines in the bot's log", errors);
}

/** Runs `tasks` with at most `width` in flight. */
async function windowed<T>(count: number, width: number, task: (i: number) => Promise<T>) {
  const results: T[] = new Array(count);
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
  return results;
}

/** One callback or follow-up, and at most the one edit a deferral needs. */
function answeredOnce(result: { replies: number; edits: number }): boolean {
  return result.replies === 1 && result.edits <= 1;
}

// ---- A: engine -----------------------------------------------------------------------------

async function engine(): Promise<void> {
  section("A. 10,000 hostile questions through the engine (library.answer)");
  const library = await Library.open(SAMPLE_CORPUS);
  const texts = new Map(library.documents.map((d) => [d.source.id, d.text]));
  const questions = hostileQuestions(10_000);
  const times: number[] = [];
  let invalid = 0;
  let answered = 0;
  let thrown = 0;
  const started = performance.now();
  for (const question of questions) {
    const t = performance.now();
    try {
      const answer = library.answer(question);
      times.push(performance.now() - t);
      const verbatim = answer.results.every((r) => texts.get(r.source.id)?.includes(r.quote));
      if (!answerSchema.safeParse(answer).success || !verbatim || answer.question !== question)
        invalid++;
      if (answer.answered) answered++;
    } catch {
      thrown++;
    }
  }
  figure("total", `${Math.round(performance.now() - started)} ms`);
  figure("per question", percentiles(times));
  figure("answered (corpus words in the noise)", answered);
  check(thrown === 0, `no question throws (${thrown})`);
  check(invalid === 0, `every Answer valid and verbatim (${invalid} invalid)`);
}

// ---- B: hostile questions through Discord --------------------------------------------------

async function hostileDiscord(): Promise<void> {
  section("B. 10,000 hostile questions through Discord: 8,000 /ask, 2,000 DMs, 100 in flight");
  const running = await startBot({ RATE_LIMIT_PER_MINUTE: "0", LOG_LEVEL: "warn" });
  const { server, bot } = running;
  const before = await bot.heap();
  const questions = hostileQuestions(10_000, 42);
  const users = Array.from({ length: 300 }, (_, i) => server.addUser({ username: `h${i}` }));
  const busy = new Set<string>();
  const bad: string[] = [];
  let notOnce = 0;
  let late = 0;
  let deferred = 0;
  const started = Date.now();
  await windowed(questions.length, 100, async (i) => {
    const question = questions[i] as string;
    if (i % 5 === 4) {
      // One DM in flight per user, so each reply is matched to its message.
      const user = users.find((u) => !busy.has(u.id)) as TestUser;
      busy.add(user.id);
      const sent = server.message({ content: question, dm: true, user });
      const [reply] = await sent.replies(1, 120_000);
      busy.delete(user.id);
      if (reply.message_reference?.message_id !== sent.messageId) notOnce++;
      const problems = replyProblems(reply);
      if (problems.length) bad.push(`${JSON.stringify(question.slice(0, 40))}: ${problems}`);
      return;
    }
    const user = users[i % users.length];
    const dispatchedAt = Date.now();
    const handle = server.slash({ name: "ask", options: askOptions({ question }), user });
    const result = await fate(server, handle, dispatchedAt, 120_000);
    if (!answeredOnce(result)) notOnce++;
    if (result.deferred) deferred++;
    else if (result.ms > WINDOW_MS) late++;
    const problems = replyProblems(result.reply);
    if (problems.length) bad.push(`${JSON.stringify(question.slice(0, 40))}: ${problems}`);
  });
  const seconds = (Date.now() - started) / 1000;
  figure("total", `${seconds.toFixed(1)} s (${Math.round(questions.length / seconds)} per s)`);
  figure("/ask deferred", deferred);
  const failed = server.requests.filter((r) => r.status >= 400).length;
  check(
    bad.length === 0,
    `every reply within Discord's limits, well-formed, no mentions (${bad.length} not)`,
  );
  for (const problem of bad.slice(0, 5)) process.stdout.write(`       ${problem}\n`);
  check(notOnce === 0, `every question answered exactly once (${notOnce} not)`);
  check(late === 0, `no /ask answered after ${WINDOW_MS} ms without a deferral (${late})`);
  check(failed === 0, `no request refused by the server (${failed})`);
  const after = await bot.heap();
  figure("bot heap after gc: before → after", `${mb(before.heapUsed)} → ${mb(after.heapUsed)}`);
  await stopBot(running);
}

// ---- C: load -------------------------------------------------------------------------------

async function burst(running: Running, count: number, users: TestUser[], flooder?: TestUser) {
  const { server } = running;
  const sent: { handle: InteractionHandle; at: number; flood: boolean }[] = [];
  let reload: InteractionHandle | undefined;
  for (let i = 0; i < count; i++) {
    const question = BURST_QUESTIONS[i % BURST_QUESTIONS.length] as string;
    const user = users[i % users.length];
    sent.push({
      at: Date.now(),
      flood: false,
      handle: server.slash({ name: "ask", options: askOptions({ question }), user }),
    });
    if (flooder && i % 2 === 0) {
      sent.push({
        at: Date.now(),
        flood: true,
        handle: server.slash({ name: "ask", options: askOptions({ question }), user: flooder }),
      });
    }
    if (flooder && i === Math.floor(count / 2)) {
      reload = server.slash({ name: "reload", user: ADMIN, inGuild: false });
    }
  }
  const results = await Promise.all(
    sent.map(async (s) => ({ ...(await fate(server, s.handle, s.at, 120_000)), flood: s.flood })),
  );
  const reloaded: JsonBody | undefined = await reload?.reply(120_000);
  return { results, reloaded };
}

async function load(
  title: string,
  env: Record<string, string>,
  options: { memory: boolean },
): Promise<void> {
  section(title);
  // The default limit (20 a minute, bursts of 10): each of the 100 users asks 10 times.
  const running = await startBot({ RATE_LIMIT_PER_MINUTE: "20", LOG_LEVEL: "warn", ...env });
  const { server, bot } = running;
  const users = Array.from({ length: 100 }, (_, i) => server.addUser({ username: `u${i}` }));
  const warmUsers = Array.from({ length: 100 }, (_, i) => server.addUser({ username: `w${i}` }));
  const flooder = server.addUser({ username: "flooder" });
  // Warm up (JIT, caches, sockets), then the baseline.
  await burst(running, 100, warmUsers);
  const baseline = await bot.heap();

  const started = Date.now();
  const { results, reloaded } = await burst(running, 1000, users, flooder);
  const seconds = (Date.now() - started) / 1000;
  const others = results.filter((r) => !r.flood);
  const flood = results.filter((r) => r.flood);
  const direct = results.filter((r) => !r.deferred);
  figure("1,000 /ask + 500 from one flooder, answered in", `${seconds.toFixed(1)} s`);
  figure("dispatch → callback, answered directly", percentiles(direct.map((r) => r.ms)));
  figure("deferred first (then edited)", `${results.length - direct.length} of ${results.length}`);
  figure(
    "dispatch → final answer, deferred ones",
    percentiles(results.filter((r) => r.deferred).map((r) => r.doneMs)),
  );
  figure(
    "flooder: answered · asked to slow down",
    `${flood.filter((r) => !SLOW_DOWN.test(String(r.reply.content))).length} · ${flood.filter((r) => SLOW_DOWN.test(String(r.reply.content))).length}`,
  );
  figure(
    "others: dispatch → callback",
    percentiles(others.filter((r) => !r.deferred).map((r) => r.ms)),
  );
  check(results.every(answeredOnce), "every interaction answered exactly once");
  check(
    direct.every((r) => r.ms <= WINDOW_MS),
    `none answered after ${WINDOW_MS} ms without a deferral (${direct.filter((r) => r.ms > WINDOW_MS).length})`,
  );
  check(
    others.every((r) => /^\*\*Q:\*\* /u.test(String(r.reply.content))),
    "the 1,000 others all got answers, none a slow-down",
  );
  check(
    flood.filter((r) => SLOW_DOWN.test(String(r.reply.content))).length === 490,
    "the flooder got 10 answers and 490 slow-downs",
  );
  check(/^\*\*Reloaded\*\*/u.test(String(reloaded?.content)), "the /reload in the middle reloaded");
  check(
    server.requests.every((r) => r.status < 400),
    "no request refused by the server",
  );

  if (options.memory) await memory(running, baseline.heapUsed);
  await stopBot(running);
}

/** The bot's heap goes back to the baseline after the burst, and no higher after a second one. */
async function memory(running: Running, baseline: number): Promise<void> {
  const { server, bot } = running;
  await sleep(500);
  const after = await bot.heap();
  const fresh = Array.from({ length: 100 }, (_, i) => server.addUser({ username: `x${i}` }));
  await burst(running, 1000, fresh);
  await sleep(500);
  const again = await bot.heap();
  const margin = Math.max(10 * 1024 * 1024, baseline * 0.25);
  figure(
    "bot heap after gc: baseline → burst → 2nd burst",
    `${mb(baseline)} → ${mb(after.heapUsed)} → ${mb(again.heapUsed)} (rss ${mb(again.rss)})`,
  );
  check(
    after.heapUsed <= baseline + margin && again.heapUsed <= baseline + margin,
    `heap back within ${mb(margin)} of the baseline`,
  );
}

// ---- D: feedback ---------------------------------------------------------------------------

async function feedback(): Promise<void> {
  section("D. 1,000 concurrent 👍/👎 clicks");
  const running = await startBot({ RATE_LIMIT_PER_MINUTE: "0", LOG_LEVEL: "warn" });
  const { server, dataDir } = running;
  const answer: JsonBody = await server
    .slash({ name: "ask", options: askOptions({ question: BURST_QUESTIONS[0] as string }) })
    .reply();
  check((answer.embeds?.length ?? 0) > 0, "an answer to click on");
  const users = Array.from({ length: 100 }, (_, i) => server.addUser({ username: `v${i}` }));
  const started = Date.now();
  const clicks = Array.from({ length: 1000 }, (_, i) =>
    server.button({ customId: `ask:fb:${i % 3 ? "up" : "down"}`, user: users[i % 100] }),
  );
  const replies: JsonBody[] = await Promise.all(clicks.map((c) => c.reply(120_000)));
  figure("all thanked in", `${Date.now() - started} ms`);
  await sleep(200);
  const text = await readFile(join(dataDir, "feedback.jsonl"), "utf8").catch(() => "");
  const lines = text.split("\n").slice(0, -1);
  const wellFormed = lines.filter((line) => {
    try {
      const e = JSON.parse(line);
      return (e.vote === "up" || e.vote === "down") && e.question === BURST_QUESTIONS[0];
    } catch {
      return false;
    }
  });
  figure("lines in feedback.jsonl", lines.length);
  check(
    replies.every((r) => /^Thanks/u.test(String(r.content))),
    "every click thanked",
  );
  check(
    wellFormed.length === 1000 && lines.length === 1000,
    "1,000 well-formed lines, none lost or interleaved",
  );
  await stopBot(running);
}

// ---- E: corpus folders ---------------------------------------------------------------------

async function folders(): Promise<void> {
  section(`E. Corpus folders: ${MAX_FILES} files (the limit) and 10,000 (refused)`);
  const dir = await tempDir("answer-bot-stress-many-");
  await cp(SAMPLE_CORPUS, dir, { recursive: true });
  await writeBulletins(dir, 0, MAX_FILES - 5);
  let t = performance.now();
  const library = await Library.open(dir);
  figure(
    `open ${MAX_FILES} files`,
    `${Math.round(performance.now() - t)} ms, ${library.stats().passages} passages`,
  );
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  t = performance.now();
  const same = await library.reload();
  figure("reload, nothing changed", `${Math.round(performance.now() - t)} ms (${same.mode})`);
  await writeFile(join(dir, "bulletin-7.txt"), `${bulletin(7)}\nA late correction.\n`);
  t = performance.now();
  const one = await library.reload();
  figure("reload, one file changed", `${Math.round(performance.now() - t)} ms (${one.mode})`);
  delay.disable();
  figure("longest event-loop stall during the reloads", `${Math.round(delay.max / 1e6)} ms`);
  const times = BURST_QUESTIONS.flatMap((q) =>
    Array.from({ length: 5 }, () => {
      const s = performance.now();
      library.answer(q);
      return performance.now() - s;
    }),
  );
  figure(`answer on ${MAX_FILES} documents`, percentiles(times));
  check(same.ok && one.ok && one.changed.length === 1, "reloads at the limit succeed");

  await writeBulletins(dir, MAX_FILES - 5, 10_000);
  t = performance.now();
  const refused = await Library.open(dir).then(
    () => null,
    (e: unknown) => e,
  );
  figure("open 10,005 files: refused in", `${Math.round(performance.now() - t)} ms`);
  check(
    refused instanceof CorpusError && /over the limit/u.test(refused.message),
    `a folder over ${MAX_FILES} files is refused by name`,
  );
  t = performance.now();
  const failed = await library.reload();
  figure("reload onto 10,005 files: failed in", `${Math.round(performance.now() - t)} ms`);
  check(
    !failed.ok && library.stats().documents === MAX_FILES,
    "that reload fails and the previous documents keep serving",
  );
  figure("its error", String(failed.error).replace(dir, "<dir>"));
}

// ---- F: gateway ----------------------------------------------------------------------------

async function gateway(): Promise<void> {
  section("F. Gateway connections dropped");
  const running = await startBot({ RATE_LIMIT_PER_MINUTE: "0", LOG_LEVEL: "warn" });
  const { server } = running;
  const answered = async () => {
    const t = Date.now();
    const reply: JsonBody = await server
      .slash({ name: "ask", options: askOptions({ question: BURST_QUESTIONS[0] as string }) })
      .reply(30_000);
    return { ok: (reply.embeds?.length ?? 0) > 0, ms: Date.now() - t };
  };
  for (const code of [4000, 1006]) {
    const resumes = server.gatewayResumes;
    server.dropGatewayConnections(code);
    const result = await answered();
    figure(
      `close ${code}: a command sent at once answered in`,
      `${result.ms} ms (resumed: ${server.gatewayResumes - resumes})`,
    );
    check(
      result.ok && server.gatewayResumes === resumes + 1,
      `after close ${code} the bot resumes and answers`,
    );
  }
  const identifies = server.gatewayIdentifies;
  const t = Date.now();
  server.dropGatewayConnections(1000);
  while (server.gatewayIdentifies === identifies && Date.now() - t < 30_000) await sleep(50);
  figure("close 1000 (session ended): identified again in", `${Date.now() - t} ms`);
  const result = await answered();
  check(
    result.ok && server.gatewayIdentifies === identifies + 1,
    "after close 1000 the bot identifies again and answers",
  );
  await stopBot(running);
}

// ---- G: autocomplete flood on a large corpus -----------------------------------------------

async function autocompleteFlood(documents: number): Promise<void> {
  section(
    `G. One user floods autocomplete and /ask source: on ${documents.toLocaleString("en-US")} documents while 20 others ask`,
  );
  // The default limit (20 a minute): each of the others asks 5 times, within it.
  const running = await startBot({ RATE_LIMIT_PER_MINUTE: "20", LOG_LEVEL: "warn" }, (dir) =>
    writeBulletins(dir, 0, documents),
  );
  const { server } = running;
  const users = Array.from({ length: 20 }, (_, i) => server.addUser({ username: `g${i}` }));
  const flooder = server.addUser({ username: "typist" });
  const question = BURST_QUESTIONS[0] as string;
  const others: { handle: InteractionHandle; at: number }[] = [];
  const flood: { handle: InteractionHandle; at: number }[] = [];
  const started = Date.now();
  for (let i = 0; i < 300; i++) {
    // The flooder types document ids into source:, and asks about one every tenth keystroke.
    const id = `bulletin-${(i * 37) % documents}`;
    const typed = id.slice(0, 1 + (i % id.length));
    flood.push({
      at: Date.now(),
      handle: server.autocomplete({
        name: "ask",
        user: flooder,
        options: [
          { name: "question", type: 3, value: question },
          { name: "source", type: 3, value: typed, focused: true },
        ],
      }),
    });
    if (i % 10 === 0) {
      flood.push({
        at: Date.now(),
        handle: server.slash({
          name: "ask",
          options: askOptions({ question, source: id }),
          user: flooder,
        }),
      });
    }
    if (i % 3 === 0) {
      others.push({
        at: Date.now(),
        handle: server.slash({
          name: "ask",
          options: askOptions({ question }),
          user: users[others.length % users.length],
        }),
      });
    }
  }
  const asked = await Promise.all(others.map((s) => fate(server, s.handle, s.at, 120_000)));
  const flooded = await Promise.all(flood.map((s) => fate(server, s.handle, s.at, 120_000)));
  // Answered in time: replied to, or deferred, within Discord's window, and then answered.
  const inTime = asked.filter(
    (r) => r.ms <= WINDOW_MS && /^\*\*Q:\*\* /u.test(String(r.reply.content)),
  );
  const lists = flooded.filter((r) => Array.isArray(r.reply.choices));
  figure("all answered in", `${((Date.now() - started) / 1000).toFixed(1)} s`);
  figure(
    "others answered within 3 s (or deferred first)",
    `${inTime.length} of ${asked.length} (${percentiles(asked.map((r) => r.ms))})`,
  );
  figure(
    "others: deferred first · final answer within 3 s",
    `${asked.filter((r) => r.deferred).length} · ${asked.filter((r) => r.doneMs <= WINDOW_MS).length}`,
  );
  figure(
    "flooder: suggestion lists · empty (over the allowance)",
    `${lists.length} · ${lists.filter((r) => r.reply.choices.length === 0).length}`,
  );
  figure("flooder: dispatch → callback", percentiles(flooded.map((r) => r.ms)));
  check(inTime.length === asked.length, "every other user's /ask answered within 3 s, or deferred");
  check([...asked, ...flooded].every(answeredOnce), "every interaction answered exactly once");
  check(
    server.requests.every((r) => r.status < 400),
    "no request refused by the server",
  );
  await stopBot(running);
}

// ---- main ----------------------------------------------------------------------------------

async function main(): Promise<void> {
  const { documents, positionals } = commandLine(
    "stress",
    USAGE,
    {
      allowPositionals: true,
      options: { documents: { type: "string", default: String(MAX_FILES) } },
    },
    ({ values, positionals }) => {
      const documents = Number(values.documents);
      if (!Number.isInteger(documents) || documents < 1 || documents > MAX_FILES) {
        throw new Error(`--documents takes a whole number from 1 to ${MAX_FILES}`);
      }
      const unknown = positionals.filter((a) => !SECTIONS.includes(a.toUpperCase()));
      if (unknown.length)
        throw new Error(`no section ${unknown.join(", ")}: sections are ${SECTIONS.join(" ")}`);
      return { documents, positionals };
    },
  );
  setLogLevel("silent");
  const started = Date.now();
  process.stdout.write(
    `Stress run: Node ${process.version}, loopback Discord on 127.0.0.1, bot in a child process\n`,
  );
  const only = new Set(positionals.map((a) => a.toUpperCase()));
  const run = (name: string) => only.size === 0 || only.has(name);
  try {
    if (run("A")) await engine();
    if (run("B")) await hostileDiscord();
    if (run("C"))
      await load(
        "C. Burst: 1,000 /ask from 100 users + a /reload + a flooder (rate limit 20/min)",
        {},
        { memory: true },
      );
    if (run("C"))
      await load(
        "C'. The same burst, answers costing 15 ms each (a corpus of thousands of documents)",
        { TEST_ANSWER_COST_MS: "15" },
        { memory: false },
      );
    if (run("D")) await feedback();
    if (run("E")) await folders();
    if (run("F")) await gateway();
    if (run("G")) await autocompleteFlood(documents);
  } finally {
    await closeHarnesses();
  }
  process.stdout.write(
    `\n${failures.length ? `FAILED: ${failures.length} check(s)` : "All checks passed"} in ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
  );
  process.exitCode = failures.length ? 1 : 0;
}

main().catch((error: unknown) => {
  process.stderr.write(`stress: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
