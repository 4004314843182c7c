import { join } from "node:path";
import { commandLine } from "../../src/cli/command-line.ts";
import { engineConfig } from "../../src/config.ts";
import { crossLingual } from "../../src/search/crosslingual.ts";
import { Library } from "../../src/search/library.ts";
import { DEFAULT_RANKING, type RankingOptions } from "../../src/search/ranking.ts";
import { evaluate, type KindScore, readQuestionSet, type Scores } from "./evaluate.ts";

/**
 * Answer quality on question sets of any of the shapes evaluate.ts reads, each question asked
 * as the bot asks it (Library.ask: its language detected, Spanish through Apertium when it is
 * installed).
 */
const USAGE = `Usage: npm run eval [-- SET.json ...] [--corpus DIR] [--misses] [--sweep name=v1,v2 ...]

Scores each question set (default: tests/eval/dev-questions.json): hit@1, hit@3, MRR and the
share without an answer, per kind of question, and the share abstained per group.

  --corpus DIR     the corpus of sets without a corpus/ folder of their own
                   (default: CORPUS_DIR, else corpus)
  --misses         list the questions missed at 3 and the abstentions that answered
  --sweep name=v,… a RankingOptions field (dotted for nested ones, e.g. english.commonFloor)
                   and the values to try; every combination is scored on every set, one
                   summary line each
  -h, --help       show this help

Sets without junk markers of their own are checked with the development set's.`;

const { values, positionals, grid } = commandLine(
  "eval",
  USAGE,
  {
    allowPositionals: true,
    options: {
      corpus: { type: "string" },
      misses: { type: "boolean", default: false },
      sweep: { type: "string", multiple: true, default: [] },
    },
  },
  (parsed) => ({ ...parsed, grid: sweepGrid(parsed.values.sweep) }),
);
const devSet = join(import.meta.dirname, "dev-questions.json");
const devJunk = readQuestionSet(devSet).junkMarkers;
const sets = (positionals.length ? positionals : [devSet]).map((path) => {
  const set = readQuestionSet(path, devJunk);
  return { path, set, corpus: set.corpus ?? values.corpus ?? engineConfig().CORPUS_DIR };
});

const pct = (x: number) => x.toFixed(2);
const line = (name: string, s: KindScore) =>
  `${name.padEnd(18)} n=${String(s.questions).padStart(4)}  hit@1 ${pct(s.hit1)}  hit@3 ${pct(s.hit3)}  MRR ${pct(s.mrr)}  no answer ${pct(s.noAnswer)}`;

function report(s: Scores): void {
  if (s.overall.questions) console.log(line("all (English)", s.overall));
  for (const [kind, score] of Object.entries(s.kinds)) {
    console.log(line(`  ${kind}`, score));
    if (values.misses) for (const miss of score.misses) console.log(`      miss@3: ${miss}`);
  }
  for (const [group, a] of Object.entries(s.abstained)) {
    console.log(
      `${`abstain ${group}`.padEnd(18)} n=${String(a.questions).padStart(4)}  ${pct(a.rate)}`,
    );
    if (values.misses) for (const leak of a.leaks) console.log(`      answered: ${leak}`);
  }
  for (const leak of s.junkLeaks) console.log(`  junk: ${leak}`);
  console.log(`junk leaks ${s.junkLeaks.length}`);
}

function summary(s: Scores): string {
  const kinds = Object.entries(s.kinds)
    .filter(([kind]) => Object.keys(s.kinds).length > 1 || kind !== "answerable")
    .map(([kind, k]) => `${kind} ${pct(k.hit3)}`);
  const abstain = Object.entries(s.abstained).map(([g, a]) => `${g} ${pct(a.rate)}`);
  const o = s.overall;
  return [
    `hit@1 ${pct(o.hit1)} hit@3 ${pct(o.hit3)} no-answer ${pct(o.noAnswer)}`,
    ...kinds,
    ...abstain,
    `junk ${s.junkLeaks.length}`,
  ].join(" | ");
}

/** The options with `path` (e.g. "english.commonFloor") set to `value`. */
function withOption(options: RankingOptions, path: string, value: number): RankingOptions {
  const copy = structuredClone(options) as unknown as Record<string, unknown>;
  const keys = path.split(".");
  let at = copy;
  for (const key of keys.slice(0, -1)) at = at[key] as Record<string, unknown>;
  const last = keys.at(-1) as string;
  if (typeof at?.[last] !== "number") throw new Error(`--sweep: no numeric option ${path}`);
  at[last] = value;
  return copy as unknown as RankingOptions;
}

/** Every combination of the --sweep values, each with its label; one unlabelled default without. */
function sweepGrid(sweeps: string[]): { label: string; ranking: RankingOptions }[] {
  return sweeps.reduce<{ label: string; ranking: RankingOptions }[]>(
    (settings, spec) => {
      const [path, list] = spec.split("=") as [string, string | undefined];
      const numbers = (list ?? "").split(",").map(Number);
      if (list === undefined || numbers.some(Number.isNaN)) {
        throw new Error(`--sweep takes name=v1,v2 with numbers, got "${spec}"`);
      }
      return settings.flatMap((s) =>
        numbers.map((n) => ({
          label: `${s.label} ${path}=${n}`.trim(),
          ranking: withOption(s.ranking, path, n),
        })),
      );
    },
    [{ label: "", ranking: DEFAULT_RANKING }],
  );
}

const config = engineConfig();
// Translated quotes are not scored: only the verbatim quotes are.
const translation = { ...crossLingual(config, false), translateQuotes: false };
for (const { label, ranking } of grid) {
  if (values.sweep.length) console.log(`# ${label}`);
  for (const { path, set, corpus } of sets) {
    const library = await Library.open(corpus, { ranking, ...translation });
    const started = performance.now();
    const scores = await evaluate(set, (q) => library.ask(q, { k: 3 }));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    await library.close();
    if (values.sweep.length) {
      console.log(`  ${path.split("/").at(-1)}: ${summary(scores)}`);
    } else {
      console.log(`${path} on ${corpus} (${seconds} s)`);
      report(scores);
    }
  }
}
