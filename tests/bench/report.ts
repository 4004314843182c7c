/** The benchmark's table, targets and BENCHMARKS.md, all generated from one run's figures. */

import { PHASES, SETTLE_INTERACTIONS } from "./discord.ts";
import type { PhaseProfile } from "./profile.ts";

export interface Figure {
  name: string;
  /** Passages in the corpus the figure was measured on. */
  size: number;
  value: number;
  unit: string;
  /** Ours divided by the raw MiniSearch (or ping bot) counterpart; null when there is none. */
  ratio_to_raw: number | null;
}

export interface Run {
  date: string;
  seconds: number;
  command: string;
  machine: {
    cpu: string;
    cores: number;
    memoryGb: number;
    node: string;
    os: string;
    /** 1-minute load average at the start and the end: other work on the machine adds noise. */
    load: [number, number];
  };
  sizes: number[];
  figures: Figure[];
  profiles: PhaseProfile[];
  profiledSize: number | null;
  notes: string[];
}

const ROWS: [name: string, label: string][] = [
  ["documents", "documents (files)"],
  ["passages", "passages indexed"],
  ["corpus_bytes", "corpus size on disk"],
  ["read_clean", "read + clean the files (loadCorpus)"],
  ["build", "build: SearchIndex.build"],
  ["raw_build", "build: raw MiniSearch addAll"],
  ["open_cold", "Library.open, no snapshot (read, clean, build, save)"],
  ["heap", "heap after build: ours"],
  ["raw_heap", "heap after build: raw MiniSearch"],
  ["library_heap", "heap of a loaded Library (one shard's corpus + index)"],
  ["library_heap_answered", "heap of that Library after the questions below"],
  ["questions", "questions timed"],
  ["answered", "questions answered (not abstained)"],
  ["answer_p50", "answer p50: index.answer()"],
  ["answer_p99", "answer p99: index.answer()"],
  ["raw_search_p50", "search p50: raw MiniSearch search()"],
  ["raw_search_p99", "search p99: raw MiniSearch search()"],
  ["snapshot_size", "snapshot file size"],
  ["snapshot_save", "snapshot save (snapshot() + write)"],
  ["snapshot_load", "snapshot load (Library.open, unchanged corpus)"],
  ["loaded_answer_p50", "first answers after the load: p50"],
  ["loaded_answer_p99", "first answers after the load: p99"],
  ["reload_one", "reload after one document changed"],
];

const DISCORD_ROWS: [name: string, label: string][] = [
  ["ask_rtt_p50", "/ask round trip p50: our bot"],
  ["ask_rtt_p99", "/ask round trip p99: our bot"],
  ["engine_rtt_p50", "round trip p50: engine-only bot"],
  ["engine_rtt_p99", "round trip p99: engine-only bot"],
  ["ping_rtt_p50", "round trip p50: ping bot"],
  ["ping_rtt_p99", "round trip p99: ping bot"],
  ["ask_rtt_answered", "/ask replies with quotes"],
];

const SOURCES_ROWS: [name: string, label: string][] = [
  ["sources_documents", "documents"],
  ["sources_after_reload", "/sources, first after a reload: median of 5"],
  ["sources_p50", "/sources p50"],
  ["sources_p99", "/sources p99"],
  ["source_autocomplete_p50", "source: autocomplete p50 (typing document ids)"],
  ["source_autocomplete_p99", "source: autocomplete p99"],
  ["ask_source_p50", "/ask source: p50"],
  ["ask_source_p99", "/ask source: p99"],
];

/** What one request that lists or names documents may take at the corpus limit. */
const SOURCES_TARGET_MS = 20;

const SPANISH_ROWS: [name: string, label: string][] = [
  ["spanish_answer_p50", "Spanish answer p50: Library.ask, translations included, caches off"],
  ["spanish_answer_p99", "Spanish answer p99: Library.ask, translations included, caches off"],
  ["spanish_answered", "Spanish questions answered"],
  ["english_ask_p50", "English answer p50: Library.ask, translators on"],
  ["english_ask_p99", "English answer p99: Library.ask, translators on"],
  ["english_answer_p50", "English answer p50: Library.answer"],
  ["english_answer_p99", "English answer p99: Library.answer"],
];

/** The figures measured once, whatever the sizes: they are not in a size's column. */
const ONCE = new Set([...DISCORD_ROWS, ...SOURCES_ROWS, ...SPANISH_ROWS].map(([name]) => name));

export function formatValue(value: number, unit: string): string {
  if (!Number.isFinite(value)) return "n/a";
  if (unit === "ms") {
    if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
    if (value >= 100) return `${Math.round(value).toLocaleString("en-US")} ms`;
    if (value >= 10) return `${value.toFixed(1)} ms`;
    return `${value.toFixed(2)} ms`;
  }
  if (unit === "MB") return `${value.toFixed(1)} MB`;
  if (unit === "%") return `${value.toFixed(0)} %`;
  return Math.round(value).toLocaleString("en-US");
}

function cell(figure: Figure | undefined): string {
  if (!figure) return "";
  const value = formatValue(figure.value, figure.unit);
  return figure.ratio_to_raw === null || !Number.isFinite(figure.ratio_to_raw)
    ? value
    : `${value} (${figure.ratio_to_raw.toFixed(2)}×)`;
}

function find(run: Run, name: string, size?: number): Figure | undefined {
  return run.figures.find((f) => f.name === name && (size === undefined || f.size === size));
}

function sizeHeader(size: number): string {
  return size >= 1000 && size % 1000 === 0 ? `${size / 1000}k passages` : `${size} passages`;
}

/** Rows of [label, cells...] for the corpus sizes, then the Discord round trips, the listings and Spanish. */
function tables(run: Run): {
  corpus: string[][];
  discord: string[][];
  sources: string[][];
  spanish: string[][];
} {
  const corpus = ROWS.filter(([name]) => run.figures.some((f) => f.name === name)).map(
    ([name, label]) => [label, ...run.sizes.map((size) => cell(find(run, name, size)))],
  );
  const once = (rows: [string, string][]) =>
    rows.filter(([name]) => find(run, name)).map(([name, label]) => [label, cell(find(run, name))]);
  return {
    corpus,
    discord: once(DISCORD_ROWS),
    sources: once(SOURCES_ROWS),
    spanish: once(SPANISH_ROWS),
  };
}

function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** A Markdown table laid out the way the repository's formatter (Biome) lays it out. */
function markdownTable(header: string[], rows: string[][]): string {
  const escapePipes = (cell: string) => cell.replaceAll("|", "\\|");
  const all = [header, ...rows].map((row) => row.map(escapePipes));
  const widths = header.map((_, i) => Math.max(3, ...all.map((row) => (row[i] ?? "").length)));
  const pad = (cell: string, i: number) =>
    i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0);
  const line = (cells: string[]) => `| ${cells.map(pad).join(" | ")} |`;
  const rule = `| ${widths.map((w, i) => (i === 0 ? "-".repeat(w) : `${"-".repeat(w - 1)}:`)).join(" | ")} |`;
  const [head, ...body] = all;
  return [line(head ?? []), rule, ...body.map(line)].join("\n");
}

export interface Target {
  label: string;
  measured: string;
  met: boolean | null;
  /** Profiled phases that explain the figure. */
  phases: string[];
  /** Other figures of the run that bear on this one. */
  context?: string;
}

/** The issue's targets, judged at the largest size of the run. */
export function targets(run: Run): Target[] {
  const size = run.sizes.at(-1) as number;
  // The Discord figures are measured once, on the sample documents, whatever the sizes.
  const get = (name: string) => find(run, name, ONCE.has(name) ? undefined : size);
  const out: Target[] = [];
  const ratioTarget = (
    label: string,
    name: string,
    limit: number,
    what: string,
    phases: string[],
    context?: string,
  ) => {
    const figure = get(name);
    const r = figure?.ratio_to_raw ?? null;
    out.push({
      label,
      measured:
        figure && r !== null
          ? `${formatValue(figure.value, figure.unit)} = ${r.toFixed(2)}× ${what}`
          : "not measured",
      met: r === null ? null : r <= limit,
      phases,
      ...(context ? { context } : {}),
    });
  };
  ratioTarget("answer p50 ≤ 0.5× raw MiniSearch search", "answer_p50", 0.5, "raw", [
    "answer (index.answer)",
    "raw search (MiniSearch search)",
  ]);
  const p99 = get("answer_p99");
  out.push({
    label: "answer p99 ≤ 25 ms",
    measured: p99 ? formatValue(p99.value, "ms") : "not measured",
    met: p99 ? p99.value <= 25 : null,
    phases: ["answer (index.answer)"],
  });
  ratioTarget("build ≤ 1.2× raw addAll", "build", 1.2, "raw addAll", [
    "build (SearchIndex.build)",
    "raw build (MiniSearch addAll)",
  ]);
  ratioTarget("heap ≤ 1.5× raw", "heap", 1.5, "raw", []);
  const build = get("build");
  const cold = get("open_cold");
  const share = (name: string, label: string, limit: number, phases: string[]) => {
    const figure = get(name);
    if (!figure || !build) {
      out.push({ label, measured: "not measured", met: null, phases });
      return;
    }
    const ofBuild = figure.value / build.value;
    const ofCold = cold
      ? ` (${((100 * figure.value) / cold.value).toFixed(0)} % of a cold Library.open)`
      : "";
    out.push({
      label,
      measured: `${formatValue(figure.value, "ms")} = ${(100 * ofBuild).toFixed(0)} % of SearchIndex.build${ofCold}`,
      met: ofBuild <= limit,
      phases,
    });
  };
  share("snapshot_load", "snapshot load ≤ 25 % of build time", 0.25, [
    "snapshot load (Library.open warm)",
  ]);
  share("reload_one", "one-document reload ≤ 5 % of a full build", 0.05, ["reload one document"]);
  for (const [name, what] of [
    ["sources_after_reload", "/sources, first after a reload"],
    ["sources_p99", "/sources p99"],
    ["source_autocomplete_p99", "source: autocomplete p99"],
    ["ask_source_p99", "/ask source: p99"],
  ]) {
    const figure = get(name as string);
    const documents = get("sources_documents");
    out.push({
      label: `${what} ≤ ${SOURCES_TARGET_MS} ms at ${documents ? formatValue(documents.value, "files") : "the limit of"} documents`,
      measured: figure ? formatValue(figure.value, "ms") : "not measured",
      met: figure ? figure.value <= SOURCES_TARGET_MS : null,
      phases: [],
    });
  }
  const discordPhases = [PHASES.ask, PHASES.ping, PHASES.engine];
  // The engine-only bot sends the same answer and does nothing else: the floor for this answer.
  for (const p of [50, 99]) {
    const ours = get(`ask_rtt_p${p}`);
    const engine = get(`engine_rtt_p${p}`);
    const r = ours && engine ? ours.value / engine.value : null;
    const context = engineFloor(run, p);
    out.push({
      label: `/ask round trip p${p} ≤ 1.1× engine-only bot`,
      measured:
        ours && r !== null
          ? `${formatValue(ours.value, "ms")} = ${r.toFixed(2)}× engine-only bot`
          : "not measured",
      met: r === null ? null : r <= 1.1,
      phases: discordPhases,
      ...(context ? { context } : {}),
    });
  }
  return out;
}

/** How the engine-only bot compares: what any bot giving our answer takes, and what ours adds. */
function engineFloor(run: Run, p: number): string | undefined {
  const engine = find(run, `engine_rtt_p${p}`);
  const ours = find(run, `ask_rtt_p${p}`);
  if (!engine || !ours || engine.ratio_to_raw === null) return undefined;
  const extra = ours.value - engine.value;
  const more = `${formatValue(Math.abs(extra), "ms")} ${extra >= 0 ? "more" : "less"}`;
  return `The engine-only bot, which sends the same answer in the same reply and does nothing else, took ${formatValue(engine.value, "ms")} (${engine.ratio_to_raw.toFixed(2)}× ping bot) at p${p}: about the least any bot giving this answer can take here. Ours took ${more} than it.`;
}

const verdict = (met: boolean | null) => (met === null ? "n/a" : met ? "met" : "MISSED");

export function renderTable(run: Run): string {
  const { corpus, discord, sources, spanish } = tables(run);
  const parts = [textTable(["figure (ours: ratio to raw)", ...run.sizes.map(sizeHeader)], corpus)];
  if (discord.length) parts.push(textTable(["loopback Discord", "value (ratio to ping)"], discord));
  if (sources.length) parts.push(textTable(["at the corpus limit", "value"], sources));
  if (spanish.length) {
    parts.push(
      textTable(
        ["Spanish questions (sample documents)", "value (ratio to Library.answer)"],
        spanish,
      ),
    );
  }
  const size = run.sizes.at(-1) as number;
  parts.push(
    textTable(
      [`target at ${sizeHeader(size)}`, "measured", "verdict"],
      targets(run).map((t) => [t.label, t.measured, verdict(t.met)]),
    ),
  );
  for (const profile of run.profiles) parts.push(profileText(profile));
  return parts.join("\n\n");
}

function profileText(p: PhaseProfile): string {
  const modules = p.modules
    .slice(0, 6)
    .map((m) => `${m.name} ${(100 * m.share).toFixed(0)}%`)
    .join(", ");
  const functions = p.functions
    .slice(0, 6)
    .map((fn) => `  ${(100 * fn.share).toFixed(1).padStart(5)}%  ${fn.name}`)
    .join("\n");
  return `profile: ${p.phase} (${(p.totalMs / 1000).toFixed(1)} s sampled)\n  by module: ${modules}\n${functions}`;
}

function pct(share: number): string {
  return `${(100 * share).toFixed(1)} %`;
}

function profileMarkdown(p: PhaseProfile): string {
  const modules = p.modules
    .slice(0, 8)
    .map((m) => `${m.name} ${pct(m.share)}`)
    .join(" · ");
  const rows = p.functions.map((fn) => [
    pct(fn.share),
    `${Math.round(fn.ms)} ms`,
    `\`${fn.name}\``,
  ]);
  return [
    `#### ${p.phase} — ${(p.totalMs / 1000).toFixed(1)} s of samples`,
    "",
    `Self time by module: ${modules}`,
    "",
    markdownTable(["self time", "ms", "function (file:line)"], rows),
  ].join("\n");
}

/**
 * Where the extra CPU of one side over the other goes, by module: for the round trips, where
 * both sides share the server and discord.js, the difference is what our bot adds.
 */
function extraCpu(ours: PhaseProfile, base: PhaseProfile): string {
  const baseMs = new Map(base.modules.map((m) => [m.name, m.ms]));
  const extra = ours.modules
    .map((m) => ({ name: m.name, ms: m.ms - (baseMs.get(m.name) ?? 0) }))
    .filter((m) => m.ms > 0)
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 5);
  const total = ours.totalMs - base.totalMs;
  const parts = extra.map((m) => `${m.name} +${Math.round(m.ms)} ms`).join(", ");
  return `Our bot used ${Math.round(ours.totalMs)} ms of CPU against the ping bot's ${Math.round(base.totalMs)} ms for the same interactions (+${Math.round(total)} ms); the extra by module: ${parts}`;
}

/** Why a target is missed, in the profile's own numbers: the functions that dominate its phase. */
function missReason(target: Target, run: Run): string {
  const found = target.phases
    .map((phase) => run.profiles.find((p) => p.phase === phase))
    .filter((p): p is PhaseProfile => p !== undefined);
  if (target.phases.length === 0) {
    return "no CPU profile applies (memory); see the heap figures of ours against raw";
  }
  if (found.length === 0) return "not profiled in this run (add --profile)";
  const [ours, base] = found;
  const compared =
    ours && base && ours.phase.startsWith("discord") ? `${extraCpu(ours, base)}. ` : "";
  return (
    compared +
    found
      .map((p) => {
        const fns = p.functions
          .slice(0, 4)
          .map((fn) => `\`${fn.name}\` ${pct(fn.share)}`)
          .join(", ");
        const mods = p.modules
          .slice(0, 3)
          .map((m) => `${m.name} ${pct(m.share)}`)
          .join(", ");
        return `${p.phase}: ${(p.totalMs / 1000).toFixed(1)} s sampled; modules ${mods}; top functions ${fns}`;
      })
      .join(". ")
  );
}

export function renderMarkdown(run: Run): string {
  const { corpus, discord, sources, spanish } = tables(run);
  const size = run.sizes.at(-1) as number;
  const list = targets(run);
  const m = run.machine;
  const out: string[] = [
    "# Benchmarks",
    "",
    "<!-- Generated by `npm run bench -- --write` (tests/bench/bench.ts). Do not edit by hand: run it again. -->",
    "",
    `Generated ${run.date} by \`${run.command}\` in ${Math.round(run.seconds)} s.`,
    "",
    `Machine: ${m.cpu} × ${m.cores} cores, ${m.memoryGb.toFixed(1)} GB memory, Node ${m.node}, ${m.os}. Load average (1 min) ${m.load[0].toFixed(2)} at the start, ${m.load[1].toFixed(2)} at the end (the benchmark itself keeps about one core busy; more than that means other work shared the cores and the figures are noisier).`,
    "",
    "## Method",
    "",
    "- Corpora are generated per run from a fixed seed: `.md` files with YAML front matter (title, outlet, author, published) of 3–15 paragraphs (longer documents when that many files would pass the loader’s `MAX_FILES` limit: see the documents row), each paragraph 1–3 sentences (about 30 % real sentences from the sample documents in `tests/fixtures/sample-corpus/`, read through `loadCorpus`, the rest templates with names, places, numbers, the corpus vocabulary and invented words whose number grows with the corpus), so each paragraph becomes one passage. 1,000 questions come from templates and the same vocabulary.",
    '- **Ours** is `SearchIndex.build` on the documents `loadCorpus` returns, and the whole `index.answer()` path (analysis, search, coverage re-ranking, abstain gate, duplicate merging, highlight). **Raw** is `new MiniSearch({ fields: ["text", "title"] })` with default options, `addAll` of the same passages (from `index.passages` and `index.text(p)`, with their document titles) and `raw.search(q)` on the same questions.',
    "- Build times are the fastest of 3 builds up to 10k passages (of 2 at 100k), which other work on a shared machine disturbs least. Each side is built and measured while the other's index is unreachable (`global.gc` between them). Heap is `heapUsed` after full collections minus the reading just before the build, so the documents' text, which both sides have in memory, is not counted on either side. The loaded-Library heap counts everything one bot process holds for the corpus (documents and index).",
    `- Latencies are per question after a full collection and then ${"20"} warm-up questions (which also let the collection's sweeping finish); at 100k passages an evenly spread subset of the questions is timed on both sides (raw MiniSearch needs most of a second per question there), see "questions timed".`,
    "- Snapshot figures use `Library.open(dir, { dataDir })`: first on an empty data folder (cold: read, clean, build, save), then again on the unchanged corpus (load path). Save is `library.snapshot()` plus `writeSnapshot` on its own. The loaded library then answers the size's questions without a warm-up (its first answers), and its heap is read again. Reload appends a paragraph to one file and times `library.reload()` (its report must say `incremental`).",
    `- Loopback Discord: the real discord.js client against tests/support/loopback-discord.ts in the same process; each figure is a slash command dispatched by the server until the bot's reply callback arrives, one at a time. Three bots run side by side for the whole run as the three shards of one application, each answering the guild the server routes to it. Each first answers ${SETTLE_INTERACTIONS.toLocaleString("en-US")} untimed interactions (V8 optimises the functions an interaction runs over its first thousand or two); then they take turns in five blocks, each going first in turn and warmed up by 30 interactions per turn, so a change in the machine's load falls on all three. Ours is \`startBot\` on a copy of the sample documents; the ping bot is a client built by the same \`createClient\` that replies "pong"; the engine-only bot is another such client that answers /ask with our bot's library, \`answerReply\` and \`messagePayload\`, and nothing else (no router, rate limit, turns or deferral). After each round trip the server forgets its record of it (kept for the tests, not by Discord), which would otherwise grow in the heap the bots share with it.`,
    "- Listing and naming documents: a corpus of as many documents as the loader allows (5 paragraphs each), loaded by `Library.open`; each figure is the command's own code as the bot runs it (`commands/sources.ts` `execute`, `commands/ask.ts` `autocomplete` on `source:` with every prefix of document ids as a user types them, and `execute` with `source:` and a generated question), 300 times after 30 untimed. The first /sources after each of 5 reloads of the unchanged folder is timed apart (their median): a reload makes the list again, and the first request after it must not pay for that.",
    "",
    "## Results",
    "",
    "Ratios in parentheses: ours ÷ raw MiniSearch (or ÷ the ping bot).",
    "",
    markdownTable(["figure", ...run.sizes.map(sizeHeader)], corpus),
    "",
  ];
  if (discord.length) {
    out.push(markdownTable(["loopback Discord (samples)", "value"], discord), "");
  }
  if (sources.length) {
    out.push(
      markdownTable(["listing and naming documents at the corpus limit", "value"], sources),
      "",
    );
  }
  if (spanish.length) {
    out.push(markdownTable(["Spanish questions (sample documents)", "value"], spanish), "");
  }
  out.push(
    `## Targets at ${sizeHeader(size)}`,
    "",
    markdownTable(
      ["target", "measured", "verdict"],
      list.map((t) => [t.label, t.measured, verdict(t.met)]),
    ),
    "",
  );
  const missed = list.filter((t) => t.met === false);
  if (missed.length) {
    out.push(
      "### Why the missed targets are missed",
      "",
      "Generated from the CPU profiles below (self time of the phase that produces the figure):",
      "",
      ...missed.map(
        (t) =>
          `- **${t.label}** (${t.measured}). ${t.context ? `${t.context} ` : ""}${missReason(t, run)}.`,
      ),
      "",
    );
  }
  out.push("## Where the time goes", "");
  if (run.profiles.length === 0) {
    out.push("Not profiled in this run: run `npm run bench -- --write --profile`.", "");
  } else {
    out.push(
      `Generated by the script from V8 CPU profiles (node:inspector, the same sampler as \`--cpu-prof\`, 0.5 ms interval) of every phase at ${sizeHeader(run.profiledSize ?? size)} and of the Discord round trips, taken in a second pass after the measured one: the figures above were measured without the profiler, which slows some phases far more than others (thousands of small file reads, for one). Self time: time in the function itself, not in what it calls.`,
      "",
      ...run.profiles.flatMap((p) => [profileMarkdown(p), ""]),
    );
  }
  if (run.notes.length) out.push("## Notes", "", ...run.notes.map((n) => `- ${n}`), "");
  return `${out.join("\n").trimEnd()}\n`;
}
