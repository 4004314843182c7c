import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { WindowStats } from "../../src/stats.ts";
import { removeDir, tempDir, writeFiles } from "../fixtures/helpers.ts";
import { runCli } from "../support/cli.ts";

/** npm run stats: the figures of /stats, printed from a DATA_DIR's logs. */

let dataDir: string;
let env: Record<string, string>;

const ago = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
const line = (entry: object) => `${JSON.stringify(entry)}\n`;

beforeAll(async () => {
  dataDir = await tempDir();
  env = { DATA_DIR: dataDir, ENV_FILE: join(dataDir, "no.env") };
  const question = (hours: number, answered: boolean, text: string) =>
    line({
      time: ago(hours),
      answered,
      results: answered ? ["doc-a:0:aaaaaaaa"] : [],
      user: "0123456789abcdef",
      source: null,
      locale: null,
      question: text,
    });
  await writeFiles(dataDir, {
    "questions.jsonl.1": question(72, false, "Where is the ferry?"),
    "questions.jsonl":
      question(2, true, "Who pays?") +
      question(1, false, "Where is the ferry?") +
      question(1, false, "Is it raining?"),
    "feedback.jsonl":
      line({
        time: ago(1),
        vote: "up",
        question: "Who pays?",
        results: ["doc-a:0:aaaaaaaa"],
        user: "0123456789abcdef",
      }) +
      line({
        time: ago(50),
        vote: "down",
        question: "Who?",
        results: ["doc-b:1:bbbbbbbb"],
        user: "0123456789abcdef",
      }),
  });
});
afterAll(() => removeDir(dataDir));

describe("npm run stats", () => {
  test("prints the last 24 hours and 7 days from DATA_DIR", async () => {
    const { code, stdout, stderr } = await runCli("src/cli/stats.ts", [], env);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        "Last 24 hours",
        "  Questions: 3 (33 % answered)",
        "  Feedback: 👍 1 · 👎 0",
        "  Most frequent unanswered questions:",
        "  1. Is it raining? (1×)",
        "  2. Where is the ferry? (1×)",
        "  Most liked documents:",
        "  1. doc-a: 👍 1 · 👎 0",
        "  Least liked documents:",
        "  none",
        "",
        "Last 7 days",
        "  Questions: 4 (25 % answered)",
        "  Feedback: 👍 1 · 👎 1",
        "  Most frequent unanswered questions:",
        "  1. Where is the ferry? (2×)",
        "  2. Is it raining? (1×)",
        "  Most liked documents:",
        "  1. doc-a: 👍 1 · 👎 0",
        "  Least liked documents:",
        "  1. doc-b: 👍 0 · 👎 1",
        "",
      ].join("\n"),
    );
  });

  test("--lang es prints the same figures in Spanish; a language without a catalog is a usage error", async () => {
    const { code, stdout, stderr } = await runCli("src/cli/stats.ts", ["--lang", "es"], env);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout.split("\n").slice(0, 10)).toEqual([
      "Últimas 24 horas",
      "  Preguntas: 3 (33 % respondidas)",
      "  Valoraciones: 👍 1 · 👎 0",
      "  Preguntas sin respuesta más frecuentes:",
      "  1. Is it raining? (1×)",
      "  2. Where is the ferry? (1×)",
      "  Documentos más valorados:",
      "  1. doc-a: 👍 1 · 👎 0",
      "  Documentos menos valorados:",
      "  ninguno",
    ]);
    expect(stdout).toContain("\n\nÚltimos 7 días\n  Preguntas: 4 (25 % respondidas)\n");
    const bad = await runCli("src/cli/stats.ts", ["--lang", "fr"], env);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe("");
    expect(bad.stderr.split("\n")[0]).toBe('stats: --lang must be en or es, got "fr"');
  });

  test("--json prints the same figures as JSON", async () => {
    const { code, stdout } = await runCli("src/cli/stats.ts", ["--json"], env);
    expect(code).toBe(0);
    const windows = JSON.parse(stdout) as WindowStats[];
    expect(windows.map((w) => [w.label, w.questions, w.answered, w.up, w.down])).toEqual([
      ["Last 24 hours", 3, 1, 1, 0],
      ["Last 7 days", 4, 1, 1, 1],
    ]);
  });

  test("an empty DATA_DIR gives zeros; an unknown flag is a one-line usage error", async () => {
    const empty = await tempDir();
    try {
      const { code, stdout } = await runCli("src/cli/stats.ts", [], {
        ...env,
        DATA_DIR: join(empty, "none"),
      });
      expect(code).toBe(0);
      expect(stdout).toContain("Questions: 0\n");
    } finally {
      await removeDir(empty);
    }
    const bad = await runCli("src/cli/stats.ts", ["--nope"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr.split("\n")[0]).toMatch(/^stats: Unknown option '--nope'/u);
  });
});
