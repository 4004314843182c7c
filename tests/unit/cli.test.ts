import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { documentId } from "../../src/corpus/documents.ts";
import { type LoadedCorpus, loadCorpus } from "../../src/corpus/load.ts";
import type { Answer } from "../../src/search/answer.ts";
import { fixtureCorpusCopy, removeDir, tempDir } from "../fixtures/helpers.ts";
import { runAsk } from "../support/cli.ts";

const ask = runAsk;

const WIRE = documentId("wire-italy-albania-centres.txt");
const SEASONAL_QUESTION = "When must employers register seasonal workers?";
const ALBANIA_QUESTION = "Italy Albania centres men";

let corpusDir: string;
let dataDir: string;
let env: Record<string, string>;
let corpus: LoadedCorpus;

beforeAll(async () => {
  corpusDir = await fixtureCorpusCopy();
  dataDir = await tempDir();
  env = { CORPUS_DIR: corpusDir, DATA_DIR: dataDir };
  corpus = await loadCorpus(corpusDir);
});
afterAll(() => Promise.all([removeDir(corpusDir), removeDir(dataDir)]));

function expectVerbatim(answer: Answer): void {
  for (const result of answer.results) {
    const doc = corpus.documents.find((d) => d.source.id === result.source.id);
    expect(doc?.text).toContain(result.quote);
  }
}

describe.concurrent("ask CLI", () => {
  test("--json prints one Answer as JSON", async () => {
    const { code, stdout } = await ask(["--json", SEASONAL_QUESTION], env);
    expect(code).toBe(0);
    const answer = JSON.parse(stdout) as Answer;
    expect(answer.question).toBe(SEASONAL_QUESTION);
    expect(answer.answered).toBe(true);
    expect(answer.results.length).toBeGreaterThan(0);
    expect(answer.results.length).toBeLessThanOrEqual(3);
    expect(answer.results[0]?.quote).toContain("employers must register each seasonal worker");
    expectVerbatim(answer);
  });

  test("--batch prints exactly one JSON line per input line, in order", async () => {
    const absurd = `${'☃︎ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ⁂ {}[]"\\ '.repeat(300)}?`;
    const questions = [
      SEASONAL_QUESTION,
      "",
      absurd,
      "   ",
      "How tall is Mount Everest?",
      ALBANIA_QUESTION,
    ];
    const input = `${questions.slice(0, 3).join("\n")}\r\n${questions.slice(3).join("\n")}`;
    const { code, stdout } = await ask(["--batch"], env, input);
    expect(code).toBe(0);
    expect(stdout.endsWith("\n")).toBe(true);
    const lines = stdout.slice(0, -1).split("\n");
    expect(lines).toHaveLength(questions.length);
    const answers = lines.map((line) => JSON.parse(line) as Answer);
    expect(answers.map((a) => a.question)).toEqual(questions);
    expect(answers.map((a) => a.answered)).toEqual([true, false, false, false, false, true]);
    for (const answer of answers) expectVerbatim(answer);
  });

  test("--k 2 limits the results", async () => {
    const { code, stdout } = await ask(["--json", "--k", "2", ALBANIA_QUESTION], env);
    expect(code).toBe(0);
    const answer = JSON.parse(stdout) as Answer;
    expect(answer.results).toHaveLength(2);
    expect(answer.more).toBe(true);
  });

  test("--source ID limits the sources", async () => {
    const { code, stdout } = await ask(
      ["--json", "--k", "10", "--source", WIRE, ALBANIA_QUESTION],
      env,
    );
    expect(code).toBe(0);
    const answer = JSON.parse(stdout) as Answer;
    expect(answer.results.length).toBeGreaterThan(0);
    expect(answer.results.every((r) => r.source.id === WIRE)).toBe(true);
  });

  test("--source with an unknown id exits 2, naming the known ids closest to it", async () => {
    const typo = "wire-italy-albania-centers";
    for (const args of [
      ["--source", typo, ALBANIA_QUESTION],
      ["--batch", "--source", typo],
    ]) {
      const { code, stdout, stderr } = await ask(args, env, `${ALBANIA_QUESTION}\n`);
      expect(code).toBe(2);
      expect(stdout).toBe("");
      expect(stderr.trim().split("\n")).toHaveLength(1);
      expect(stderr).toContain(`"${typo}"`);
      expect(stderr).toMatch(new RegExp(`closest ids: ${WIRE}, `, "u"));
    }
  });

  test("notices follow --lang, or else the question's language", async () => {
    const typo = "wire-italy-albania-centers";
    const spanish = "¿Cuántos hombres hay en los centros de Albania?";
    for (const args of [
      ["--lang", "es", "--source", typo, ALBANIA_QUESTION],
      ["--source", typo, spanish],
    ]) {
      const { code, stderr } = await ask(args, env);
      expect(code).toBe(2);
      expect(stderr).toMatch(
        new RegExp(
          `^ask: ningún documento tiene el id "${typo}"; los ids más cercanos: ${WIRE}, .+ \\(ver --sources\\)\n$`,
          "u",
        ),
      );
    }
    const listed = await ask(["--sources", "--lang", "es"], env);
    expect(listed.code).toBe(0);
    const lines = listed.stdout.trim().split("\n");
    expect(lines).toHaveLength(corpus.documents.length);
    for (const line of lines) expect(line).toMatch(/^\S+ {2}\(\d+ pasajes?\) {2}\S/u);
  });

  test("without --json the answer is printed for people, quote and citation", async () => {
    const { code, stdout } = await ask(
      ["How much of the money it needs has the refugee agency received?"],
      env,
    );
    expect(code).toBe(0);
    expect(stdout).toContain("less than a third of the money it needs");
    expect(stdout).toContain("Lakeside Post");
    expect(() => JSON.parse(stdout)).toThrow();
  });

  test("an unknown flag exits 2 with a usage message on stderr", async () => {
    const { code, stdout, stderr } = await ask(["--no-such-flag", "question"], env);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("no-such-flag");
    expect(stderr).toMatch(/Usage:/u);
  });

  test("--k 0 exits 2 with a usage message on stderr", async () => {
    const { code, stdout, stderr } = await ask(["--k", "0", "question"], env);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("--k");
    expect(stderr).toMatch(/Usage:/u);
  });

  test("a missing corpus folder exits 1 with a message naming it", async () => {
    const missing = join(dataDir, "no-such-corpus");
    const { code, stdout, stderr } = await ask(["--json", SEASONAL_QUESTION], {
      ...env,
      CORPUS_DIR: missing,
    });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^ask: .+\n$/u);
    expect(stderr).toContain(missing);
    expect(stderr).toMatch(/not found/u);
  });
});
