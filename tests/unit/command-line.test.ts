import { describe, expect, test } from "vitest";
import { runCli } from "../support/cli.ts";

/**
 * Every tool reads its command line the same way: --help prints the usage and exits 0; an
 * unknown option or a refused value is one line naming the tool, then the usage, exit 2,
 * before any work starts.
 */

const env = { ENV_FILE: "/nonexistent/.env" };
const tools = [
  { name: "ask", script: "src/cli/ask.ts" },
  { name: "stats", script: "src/cli/stats.ts" },
  { name: "eval", script: "tests/eval/run-eval.ts" },
  { name: "bench", script: "tests/bench/bench.ts" },
  { name: "stress", script: "tests/stress/stress.ts" },
];

describe.concurrent.each(tools)("$name", ({ name, script }) => {
  test("--help prints the usage on stdout and exits 0", async () => {
    const { code, stdout, stderr } = await runCli(script, ["--help"], env);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^Usage: npm run (--silent )?${name}\\b`, "u"));
    expect(stdout).toMatch(/-h, --help/u);
    expect(stderr).toBe("");
  });

  test("an unknown option is one line naming the tool, then the usage, exit 2", async () => {
    const { code, stdout, stderr } = await runCli(script, ["--no-such-option"], env);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    const [first, blank, usage] = stderr.split("\n");
    expect(first).toMatch(new RegExp(`^${name}: .*--no-such-option`, "u"));
    expect(blank).toBe("");
    expect(usage).toMatch(/^Usage: /u);
  });
});

describe.concurrent("refused values", () => {
  const cases = [
    {
      script: "tests/eval/run-eval.ts",
      args: ["--sweep", "proximity"],
      error: /^eval: --sweep takes name=v1,v2/u,
    },
    {
      script: "tests/eval/run-eval.ts",
      args: ["--sweep", "nothing=1"],
      error: /^eval: --sweep: no numeric option nothing/u,
    },
    {
      script: "tests/bench/bench.ts",
      args: ["--sizes", "5"],
      error: /^bench: --sizes takes a whole number of at least 10, got "5"/u,
    },
    {
      script: "tests/bench/bench.ts",
      args: ["--spanish", "maybe"],
      error: /^bench: --spanish takes on or off/u,
    },
    { script: "tests/stress/stress.ts", args: ["Z"], error: /^stress: no section Z/u },
    {
      script: "tests/stress/stress.ts",
      args: ["--documents", "0"],
      error: /^stress: --documents takes a whole number/u,
    },
  ];
  test.each(cases)("$script $args", async ({ script, args, error }) => {
    const { code, stderr } = await runCli(script, args, env);
    expect(code).toBe(2);
    expect(stderr).toMatch(error);
    expect(stderr).toMatch(/\nUsage: /u);
  });
});
