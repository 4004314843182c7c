/**
 * npm run bench: speed and memory figures (USAGE below says which and how to choose them).
 * Figures are printed, never asserted. Run through `node --expose-gc` (the npm script does).
 */
import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { cpus, loadavg, platform, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import MiniSearch from "minisearch";
import { commandLine } from "../../src/cli/command-line.ts";
import { loadCorpus, MAX_FILES } from "../../src/corpus/load.ts";
import { setLogLevel } from "../../src/log.ts";
import { SearchIndex } from "../../src/search/engine.ts";
import { Library } from "../../src/search/library.ts";
import { SNAPSHOT_FILE, writeSnapshot } from "../../src/search/snapshot.ts";
import { Analyzer } from "../../src/text/analyzer.ts";
import {
  extraParagraph,
  questions as makeQuestions,
  readVocabulary,
  type Vocabulary,
  writeCorpus,
} from "./corpus.ts";
import { measureRoundTrips } from "./discord.ts";
import { canMeasureHeap, collect, heapUsed, MB, now, percentile, timed } from "./measure.ts";
import { type PhaseProfile, Profiler } from "./profile.ts";
import { type Figure, type Run, renderMarkdown, renderTable } from "./report.ts";
import { measureSources } from "./sources.ts";
import { measureSpanish } from "./spanish.ts";

const ROOT = new URL("../../", import.meta.url);
const SAMPLE_CORPUS = new URL("tests/fixtures/sample-corpus/", ROOT).pathname;
const DEFAULT_SIZES = [1_000, 10_000, 100_000];
const QUESTION_COUNT = 1_000;
const WARMUP_QUESTIONS = 20;
const BUILD_REPEATS = 3;
// Above 10k passages a build takes seconds: two, so one disturbed build does not decide the ratio.
const LARGE_BUILD_REPEATS = 2;
const PROFILED_ROUND_TRIPS = 300;

const USAGE = `Usage: npm run bench [-- --sizes 1000,10000] [--json] [--write [--out FILE]] [--profile]
                     [--questions N] [--discord N] [--sources N] [--spanish on|off]

Our engine beside raw MiniSearch (default options) on generated corpora of 1k, 10k and 100k
passages, plus /ask round trips through the loopback Discord server beside a ping bot and a bot
that only answers with our engine, the requests that list or name documents (/sources, source:
autocomplete, /ask source:) on a corpus of N documents, and Spanish questions answered from the
sample documents through Apertium (skipped, with a note, when Apertium is not installed).

  --sizes A,B,…   passage counts of the generated corpora (default 1000,10000,100000)
  --json          one JSON figure per line instead of the table
  --write         regenerate BENCHMARKS.md (or --out FILE)
  --profile       repeat the largest size and the round trips under the CPU sampler and
                  summarise self time (the figures come from the unprofiled pass)
  --questions N   questions per size (default 1000, 100 above 10,000 passages)
  --discord N     /ask round trips per bot (default 5000; 0 skips them)
  --sources N     documents for the listing requests (default ${MAX_FILES}; 0 skips them)
  --spanish on|off  the Spanish figures (default on)
  -h, --help      show this help`;

/** A whole number of at least `min` from option `name`. */
function count(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.trim().replace(/_/gu, ""));
  if (!Number.isInteger(n) || n < min) {
    throw new Error(`--${name} takes a whole number of at least ${min}, got "${value}"`);
  }
  return n;
}

const { values, sizes, discordCount, sourcesCount, questionCount } = commandLine(
  "bench",
  USAGE,
  {
    options: {
      sizes: { type: "string" },
      json: { type: "boolean", default: false },
      write: { type: "boolean", default: false },
      profile: { type: "boolean", default: false },
      questions: { type: "string" },
      discord: { type: "string", default: "5000" },
      sources: { type: "string", default: String(MAX_FILES) },
      spanish: { type: "string", default: "on" },
      out: { type: "string", default: "BENCHMARKS.md" },
    },
  },
  ({ values }) => {
    if (values.spanish !== "on" && values.spanish !== "off") {
      throw new Error(`--spanish takes on or off, got "${values.spanish}"`);
    }
    const sizes = values.sizes
      ? values.sizes.split(",").map((s) => count("sizes", s, 10) as number)
      : DEFAULT_SIZES;
    return {
      values,
      sizes: sizes.sort((a, b) => a - b),
      discordCount: count("discord", values.discord, 0) as number,
      sourcesCount: count("sources", values.sources, 0) as number,
      questionCount: count("questions", values.questions, 1),
    };
  },
);
const largest = sizes.at(-1) as number;

/**
 * Questions timed per side and size. Raw MiniSearch takes most of a second per question at
 * 100k passages (every "the" and "in" matches nearly every passage), so big corpora get an
 * evenly spread subset of the 1,000 questions unless --questions says otherwise.
 */
function questionBudget(passages: number): number {
  if (questionCount) return Math.min(QUESTION_COUNT, questionCount);
  return passages <= 10_000 ? QUESTION_COUNT : 100;
}

const figures: Figure[] = [];
const profiles: PhaseProfile[] = [];
const notes: string[] = [];
const profiler = values.profile ? new Profiler() : null;

function emit(figure: Figure): void {
  figures.push(figure);
  if (values.json) {
    const { name, size, value, unit, ratio_to_raw } = figure;
    process.stdout.write(
      `${JSON.stringify({ name, size, value: round(value), unit, ratio_to_raw: ratio_to_raw === null ? null : round(ratio_to_raw) })}\n`,
    );
  }
}

function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

function round(n: number): number {
  return Number.isFinite(n) ? Math.round(n * 1000) / 1000 : n;
}

/**
 * True during the repeats that --profile adds (the round trips, then the largest size):
 * figures come from the first, unprofiled pass (the sampler slows some phases, such as
 * thousands of small file reads, far more than others), profiles from the repeats.
 */
let profiling = false;

/** Runs a phase, under the profiler during the profiling pass. */
async function phase<T>(name: string, work: () => Promise<T> | T): Promise<T> {
  if (!profiler || !profiling) return await work();
  const { result, profile } = await profiler.run(name, async () => await work());
  profiles.push(profile);
  return result;
}

function every<T>(items: readonly T[], count: number): T[] {
  if (count >= items.length) return items.slice();
  const step = items.length / count;
  return Array.from({ length: count }, (_, i) => items[Math.floor(i * step)] as T);
}

/** Milliseconds per question, after a warm-up; `ask` returns whether the question was answered. */
async function latencies(
  ask: (q: string) => boolean,
  questions: readonly string[],
  warmup = WARMUP_QUESTIONS,
) {
  // Collected before the warm-up, not after: the first questions after a forced full
  // collection pay for the sweeping it leaves (10 to 20 ms at 100k passages), a cost of the
  // benchmark's own gc() that a running bot never meets.
  collect();
  for (const q of questions.slice(0, warmup)) ask(q);
  const times: number[] = [];
  let answered = 0;
  for (const q of questions) {
    const started = now();
    const ok = ask(q);
    times.push(now() - started);
    if (ok) answered++;
  }
  return { times, answered };
}

/** Captures the library's own log lines while `work` runs (to tell a snapshot load from a build). */
async function withLogLines<T>(work: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  setLogLevel("info");
  try {
    return { result: await work(), lines };
  } finally {
    setLogLevel("silent");
    process.stderr.write = write;
  }
}

async function waitForNewerFile(path: string, after: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const info = await stat(path).catch(() => null);
    if (info && info.mtimeMs > after) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** After the reload: wait for the library's delayed snapshot save, leave it, or skip the reload. */
type AfterReload = "wait" | "leave" | "skip";

type Emit = (name: string, value: number, unit: string, ratio_to_raw?: number | null) => void;

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

type Row = { id: number; text: string; title: string };

/** Ours then raw MiniSearch, each measured while only its own index is alive. */
async function engineVsRaw(
  size: number,
  dir: string,
  allQuestions: readonly string[],
  f: Emit,
): Promise<string[]> {
  const ours = await oursSide(size, dir, allQuestions);
  collect();
  const raw = await rawSide(size, ours.rows, ours.questions);
  f("passages", ours.passages, "passages");
  f("documents", ours.documents, "files");
  f("read_clean", ours.readMs, "ms");
  f("build", ours.buildMs, "ms", ratio(ours.buildMs, raw.buildMs));
  f("raw_build", raw.buildMs, "ms");
  f("heap", ours.heap / MB, "MB", ratio(ours.heap, raw.heap));
  f("raw_heap", raw.heap / MB, "MB");
  f("questions", ours.questions.length, "questions");
  f("answered", (100 * ours.answered) / ours.questions.length, "%");
  latencyFigures(f, { name: "raw_search", times: raw.times }, [
    { name: "answer", times: ours.times },
  ]);
  return ours.questions;
}

/** p50 and p99 of each of ours (with its ratio to the baseline's), then of the baseline. */
function latencyFigures(f: Emit, base: Side, ours: Side[]): void {
  for (const side of ours) {
    for (const p of [50, 99]) {
      const value = percentile(side.times, p);
      f(`${side.name}_p${p}`, value, "ms", ratio(value, percentile(base.times, p)));
    }
  }
  for (const p of [50, 99]) f(`${base.name}_p${p}`, percentile(base.times, p), "ms");
}

type Side = { name: string; times: readonly number[] };

/**
 * Builds BUILD_REPEATS times up to 10k passages (LARGE_BUILD_REPEATS above) and keeps the
 * fastest time, which other work on a shared machine disturbs least; the heap is read around
 * the last build, which is the one profiled and kept.
 */
async function repeatedBuild<T>(
  size: number,
  name: string,
  build: () => Promise<T> | T,
): Promise<{ result: T; ms: number; heap: number }> {
  const repeats = Math.abs(size) <= 10_000 ? BUILD_REPEATS : LARGE_BUILD_REPEATS;
  let fastest = Number.POSITIVE_INFINITY;
  for (let i = 1; i < repeats; i++) {
    collect();
    fastest = Math.min(fastest, (await timed(build)).ms);
  }
  const before = await heapUsed();
  const last = await timed(() => phase(name, build));
  const heap = (await heapUsed()) - before;
  return { result: last.result, ms: Math.min(fastest, last.ms), heap };
}

/** SearchIndex.build on the loaded documents, then index.answer() per question. */
async function oursSide(size: number, dir: string, allQuestions: readonly string[]) {
  progress(`${size}: reading and cleaning the files (loadCorpus)`);
  const loaded = await timed(() => phase("read + clean (loadCorpus)", () => loadCorpus(dir)));
  const analyzer = new Analyzer(loaded.result.synonyms);
  progress(`${size}: SearchIndex.build`);
  const built = await repeatedBuild(size, "build (SearchIndex.build)", () =>
    SearchIndex.build(loaded.result.documents, analyzer),
  );
  const heap = built.heap;
  const index = built.result;
  const questions = every(allQuestions, questionBudget(index.size));
  progress(`${size}: ${index.size} passages; index.answer() on ${questions.length} questions`);
  const { times, answered } = await phase("answer (index.answer)", () =>
    latencies((q) => index.answer(q).answered, questions),
  );
  const titles = index.documents.map((doc) => doc.source.title);
  const rows: Row[] = index.passages.map((p, id) => ({
    id,
    text: index.text(p),
    title: titles[p.doc] as string,
  }));
  return {
    passages: index.size,
    documents: index.documents.length,
    readMs: loaded.ms,
    buildMs: built.ms,
    heap,
    questions,
    answered,
    times,
    rows,
  };
}

/** Raw MiniSearch with default options on the same passages and questions. */
async function rawSide(size: number, rows: readonly Row[], questions: readonly string[]) {
  progress(`${size}: raw MiniSearch addAll`);
  const built = await repeatedBuild(size, "raw build (MiniSearch addAll)", () => {
    const raw = new MiniSearch<Row>({ fields: ["text", "title"] });
    raw.addAll(rows);
    return raw;
  });
  const heap = built.heap;
  const raw = built.result;
  progress(`${size}: raw search() on ${questions.length} questions`);
  const { times } = await phase("raw search (MiniSearch search)", () =>
    latencies((q) => raw.search(q).length > 0, questions),
  );
  return { buildMs: built.ms, heap, times };
}

/** The whole Library: cold start and snapshot save, then the load path and a one-document reload. */
async function libraryPaths(
  size: number,
  dir: string,
  files: readonly string[],
  root: string,
  vocabulary: Vocabulary,
  questions: readonly string[],
  f: Emit,
  afterReload: AfterReload,
): Promise<void> {
  const dataDir = join(root, `data-${size}`);
  const heapBefore = await heapUsed();
  await coldStart(size, dir, dataDir, join(root, `scratch-${size}`), f);
  // The cold library is unreachable now: the heap reading after the load path counts one library.
  await warmPaths(size, dir, dataDir, files, vocabulary, questions, heapBefore, f, afterReload);
  await rm(dataDir, { recursive: true, force: true });
}

async function coldStart(size: number, dir: string, dataDir: string, scratch: string, f: Emit) {
  progress(`${size}: Library.open without a snapshot (read, clean, build, save)`);
  const cold = await timed(() => phase("Library.open cold", () => Library.open(dir, { dataDir })));
  const snapshotBytes = (await stat(join(dataDir, SNAPSHOT_FILE))).size;
  progress(`${size}: snapshot save`);
  const library = cold.result;
  const saved = await timed(() =>
    phase("snapshot save", () => writeSnapshot(scratch, "bench", library.snapshot())),
  );
  await rm(scratch, { recursive: true, force: true });
  f("open_cold", cold.ms, "ms");
  f("snapshot_size", snapshotBytes / MB, "MB");
  f("snapshot_save", saved.ms, "ms");
}

async function warmPaths(
  size: number,
  dir: string,
  dataDir: string,
  files: readonly string[],
  vocabulary: Vocabulary,
  questions: readonly string[],
  heapBefore: number,
  f: Emit,
  afterReload: AfterReload,
): Promise<void> {
  collect();
  progress(`${size}: Library.open with the snapshot (load path)`);
  const warm = await timed(() =>
    phase("snapshot load (Library.open warm)", () =>
      withLogLines(() => Library.open(dir, { dataDir })),
    ),
  );
  const library = warm.result.result;
  const origin = (library as { origin?: unknown }).origin;
  const logged = warm.result.lines.some((l) => l.includes("index loaded from snapshot"));
  if (origin !== "snapshot" && !logged) {
    const why = typeof origin === "string" ? origin : warm.result.lines.join(" ").trim();
    notes.push(`${size}: the load path did not load the snapshot: ${why}`);
  }
  const heapLibrary = (await heapUsed()) - heapBefore;
  f("snapshot_load", warm.ms, "ms");
  f("library_heap", heapLibrary / MB, "MB");
  // A loaded index reads its postings in the snapshot's numbers: its first answers, without a
  // warm-up, show what that costs before the memos fill, and the heap after them what they hold.
  progress(`${size}: the loaded library's first answers`);
  const first = await phase("first answers after the snapshot load", () =>
    latencies((q) => library.answer(q).answered, questions, 0),
  );
  f("loaded_answer_p50", percentile(first.times, 50), "ms");
  f("loaded_answer_p99", percentile(first.times, 99), "ms");
  f("library_heap_answered", ((await heapUsed()) - heapBefore) / MB, "MB");
  if (afterReload === "skip") return;

  progress(`${size}: one-document reload`);
  const snapshotPath = join(dataDir, SNAPSHOT_FILE);
  const target = join(dir, files[Math.floor(files.length / 2)] as string);
  const original = await readFile(target, "utf8");
  await appendFile(target, `${extraParagraph(vocabulary, size)}\n`);
  const snapshotTime = (await stat(snapshotPath)).mtimeMs;
  collect();
  const reloaded = await timed(() => phase("reload one document", () => library.reload()));
  const report = reloaded.result;
  if (!report.ok || report.mode !== "incremental" || report.changed.length !== 1) {
    notes.push(
      `${size}: the reload was ${report.ok ? report.mode : `a failure (${report.error})`} with ${report.changed.length} changed file(s)`,
    );
  }
  // The library saves the new snapshot a while after a reload, in this process: before the
  // next size, let that happen so it does not land in the middle of another measurement.
  if (afterReload === "wait" && !(await waitForNewerFile(snapshotPath, snapshotTime, 120_000))) {
    notes.push(`${size}: the snapshot was not saved again within 2 minutes of the reload`);
  }
  await writeFile(target, original);
  f("reload_one", reloaded.ms, "ms");
}

/**
 * Runs every phase once on a small corpus and throws the figures away, so the first measured
 * size does not pay for compiling the code paths (JIT) or first-use set-up on either side.
 */
async function warmUp(vocabulary: Vocabulary, root: string): Promise<void> {
  const size = 300;
  progress("warming up on a small corpus (figures discarded)");
  const dir = join(root, "corpus-warm-up");
  const generated = await writeCorpus(dir, size, vocabulary, 99);
  const warmQuestions = makeQuestions(200, vocabulary, 99);
  const discard: Emit = () => undefined;
  const asked = await engineVsRaw(-size, dir, warmQuestions, discard);
  await libraryPaths(-size, dir, generated.files, root, vocabulary, asked, discard, "skip");
  await rm(dir, { recursive: true, force: true });
}

async function benchSize(
  size: number,
  vocabulary: Vocabulary,
  allQuestions: readonly string[],
  root: string,
  record: (figure: Figure) => void,
  afterReload: AfterReload,
): Promise<void> {
  const dir = join(root, `corpus-${size}`);
  progress(`${size}: generating the corpus`);
  const generated = await writeCorpus(dir, size, vocabulary);
  const f: Emit = (name, value, unit, ratio_to_raw = null) =>
    record({ name, size, value, unit, ratio_to_raw });
  f("corpus_bytes", generated.bytes / MB, "MB");
  const asked = await engineVsRaw(size, dir, allQuestions, f);
  collect();
  await libraryPaths(size, dir, generated.files, root, vocabulary, asked, f, afterReload);
  await rm(dir, { recursive: true, force: true });
  collect();
}

/**
 * Questions about the sample documents for the round trips: the eval set's questions (answerable,
 * paraphrased and off-topic, as people mix them), else the generated ones.
 */
async function corpusQuestions(fallback: readonly string[]): Promise<string[]> {
  try {
    const set = JSON.parse(await readFile(new URL("tests/eval/dev-questions.json", ROOT), "utf8"));
    const groups = ["answerable", "paraphrased", "off_topic"].map((k) => set[k] ?? []);
    const found = groups
      .flat()
      .map((entry: unknown) => (typeof entry === "string" ? entry : (entry as { q?: unknown }).q))
      .filter((q: unknown): q is string => typeof q === "string" && q.length > 0);
    if (found.length > 0) return found;
  } catch {
    // No eval set: the generated questions will do.
  }
  return fallback.slice();
}

async function benchDiscord(allQuestions: readonly string[]): Promise<void> {
  progress(`loopback Discord: ${discordCount} /ask round trips per bot`);
  const questions = await corpusQuestions(allQuestions);
  const options = { corpusDir: SAMPLE_CORPUS, questions, warmup: 30 };
  const result = await measureRoundTrips({ ...options, count: discordCount });
  if (profiler) {
    progress("loopback Discord: again, under the profiler (figures discarded)");
    profiling = true;
    await measureRoundTrips({
      ...options,
      count: Math.min(discordCount, PROFILED_ROUND_TRIPS),
      // One turn each: a profile per bot.
      blocks: 1,
      around: phase,
    });
    profiling = false;
  }
  const size = result.passages;
  const f: Emit = (name, value, unit, ratio_to_raw = null) =>
    emit({ name, size, value, unit, ratio_to_raw });
  latencyFigures(f, { name: "ping_rtt", times: result.ping }, [
    { name: "ask_rtt", times: result.ask },
    { name: "engine_rtt", times: result.engine },
  ]);
  f("ask_rtt_answered", (100 * result.answered) / result.ask.length, "%");
}

async function benchSources(root: string, vocabulary: Vocabulary): Promise<void> {
  progress(`${sourcesCount} documents: /sources, source: autocomplete and /ask source:`);
  const result = await measureSources(root, sourcesCount, vocabulary);
  const f: Emit = (name, value, unit) =>
    emit({ name, size: result.passages, value, unit, ratio_to_raw: null });
  f("sources_documents", result.documents, "files");
  f("sources_after_reload", percentile(result.afterReload, 50), "ms");
  const sides = [
    { name: "sources", times: result.sources },
    { name: "source_autocomplete", times: result.autocomplete },
    { name: "ask_source", times: result.askSource },
  ];
  for (const side of sides) {
    for (const p of [50, 99]) f(`${side.name}_p${p}`, percentile(side.times, p), "ms");
  }
}

async function benchSpanish(allQuestions: readonly string[]): Promise<void> {
  const questions = await corpusQuestions(allQuestions);
  progress(`Spanish: ${questions.length} questions translated, then answered with translation`);
  let times: Awaited<ReturnType<typeof measureSpanish>>;
  try {
    times = await measureSpanish(SAMPLE_CORPUS, questions, WARMUP_QUESTIONS);
  } catch (error) {
    notes.push(`no Spanish figures: ${(error as Error).message}`);
    return;
  }
  const f: Emit = (name, value, unit, ratio_to_raw = null) =>
    emit({ name, size: times.passages, value, unit, ratio_to_raw });
  latencyFigures(f, { name: "english_answer", times: times.englishAnswer }, [
    { name: "spanish_answer", times: times.spanish },
    { name: "english_ask", times: times.englishAsk },
  ]);
  f("spanish_answered", 100 * times.answered, "%");
}

async function main(): Promise<void> {
  setLogLevel("silent");
  const started = now();
  const loadAtStart = loadavg()[0] ?? 0;
  if (!canMeasureHeap) {
    notes.push("heap figures are missing: run with node --expose-gc (npm run bench does)");
  }
  const vocabulary = await readVocabulary(SAMPLE_CORPUS);
  const allQuestions = makeQuestions(QUESTION_COUNT, vocabulary);
  const root = await mkdtemp(join(tmpdir(), "answer-bot-bench-"));
  try {
    if (discordCount > 0) await benchDiscord(allQuestions);
    if (sourcesCount > 0) await benchSources(root, vocabulary);
    if (values.spanish !== "off") await benchSpanish(allQuestions);
    await warmUp(vocabulary, root);
    for (const size of sizes) {
      // After the last pass the process ends, and the library's pending save with it.
      const last = size === largest && !profiler;
      await benchSize(size, vocabulary, allQuestions, root, emit, last ? "leave" : "wait");
    }
    if (profiler) {
      progress(`${largest}: again, under the profiler (figures discarded)`);
      profiling = true;
      await benchSize(largest, vocabulary, allQuestions, root, () => undefined, "leave");
    }
  } finally {
    profiler?.close();
    await rm(root, { recursive: true, force: true });
  }
  const run: Run = {
    date: new Date().toISOString(),
    seconds: (now() - started) / 1000,
    command: `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim(),
    machine: {
      cpu: cpus()[0]?.model ?? "unknown",
      cores: cpus().length,
      memoryGb: totalmem() / 1024 ** 3,
      node: process.version,
      os: `${platform()} ${release()}`,
      load: [loadAtStart, loadavg()[0] ?? 0],
    },
    sizes,
    figures,
    profiles,
    profiledSize: profiler ? largest : null,
    notes,
  };
  if (!values.json) process.stdout.write(`${renderTable(run)}\n`);
  for (const note of notes) progress(`note: ${note}`);
  if (values.write) {
    await writeFile(new URL(values.out, ROOT), renderMarkdown(run));
    progress(`wrote ${values.out}`);
  }
  progress(`done in ${run.seconds.toFixed(0)} s`);
}

await main();
