import { appendFile, cp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { documentId } from "../../src/corpus/documents.ts";
import { CorpusError } from "../../src/corpus/file-errors.ts";
import { Library } from "../../src/search/library.ts";
import { FIXTURE_CORPUS, fixtureCorpusCopy, markdown, removeDir } from "../fixtures/helpers.ts";

const NEW_FILE = "greece-pushbacks-report.md";
const NEW_DOC = markdown(
  { title: "Report documents pushbacks on Greek islands", outlet: "Island Observer" },
  [
    "Investigators documented more than 150 pushbacks of boats near the island of Lesbos between March and September, according to a report published on Tuesday.",
    "The coast guard denied the allegations and said its officers had rescued thousands of people at sea during the same months.",
  ].join("\n\n"),
);
const NEW_QUESTION = "How many pushbacks did investigators document near Lesbos?";
const SEASONAL = "ministry-seasonal-workers.txt";
const UNHCR = "unhcr-mediterranean-funding.txt";

let dir: string;
let library: Library;

beforeEach(async () => {
  dir = await fixtureCorpusCopy();
  library = await Library.open(dir);
});
afterEach(() => removeDir(dir));

/** How many passages the library holds of a document, as its source list says. */
function passagesOf(id: string): number {
  const source = library.sources().find((s) => s.id === id);
  if (!source) throw new Error(`no source ${id}`);
  return source.passages;
}

describe("Library.open()", () => {
  test("loads the folder and reports every source with its passage count", () => {
    const stats = library.stats();
    expect(stats.documents).toBe(4);
    expect(stats.skipped).toEqual([]);
    const sources = library.sources();
    expect(sources.map((s) => s.id).sort()).toEqual(
      library.documents.map((d) => d.source.id).sort(),
    );
    for (const source of sources) expect(source.passages).toBeGreaterThan(0);
    expect(sources.reduce((sum, s) => sum + s.passages, 0)).toBe(stats.passages);
  });

  test("a temp corpus with a broken file still answers", async () => {
    const broken = await fixtureCorpusCopy({
      "broken.md": Buffer.from([0x00, 0x01, 0x02, 0xff]),
      "bad-front-matter.md": "---\ntitle: [oops\n---\nSome body text that never loads.\n",
    });
    try {
      const lib = await Library.open(broken);
      expect(
        lib
          .stats()
          .skipped.map((s) => s.file)
          .sort(),
      ).toEqual(["bad-front-matter.md", "broken.md"]);
      expect(lib.stats().documents).toBe(4);
      const answer = lib.answer("When must employers register seasonal workers?");
      expect(answer.answered).toBe(true);
      expect(answer.results[0]?.quote).toContain("employers must register");
    } finally {
      await removeDir(broken);
    }
  });

  test("a missing folder is a CorpusError", async () => {
    await expect(Library.open(join(dir, "missing"))).rejects.toBeInstanceOf(CorpusError);
  });
});

describe("Library.reload()", () => {
  test("an added file is reported in `added`, with passage counts before and after", async () => {
    const before = library.stats();
    expect(library.answer(NEW_QUESTION).answered).toBe(false);
    await writeFile(join(dir, NEW_FILE), NEW_DOC);
    const report = await library.reload();
    expect(report.ok).toBe(true);
    expect(report.error).toBeUndefined();
    expect(report).toMatchObject({ added: [NEW_FILE], removed: [], changed: [], skipped: [] });
    const added = passagesOf(documentId(NEW_FILE));
    expect(added).toBeGreaterThan(0);
    expect(report.before).toEqual({ documents: before.documents, passages: before.passages });
    expect(report.after).toEqual({
      documents: before.documents + 1,
      passages: before.passages + added,
    });
    expect(report.ms).toBeGreaterThanOrEqual(0);
    const answer = library.answer(NEW_QUESTION);
    expect(answer.results[0]?.source.id).toBe(documentId(NEW_FILE));
  });

  test("an edited file is reported in `changed` and its new text is answered", async () => {
    const sentence =
      "Inspectors will visit at least one farm in ten during the first harvest season under the new rules.";
    await appendFile(join(dir, SEASONAL), `\n${sentence}\n`);
    const report = await library.reload();
    expect(report).toMatchObject({ ok: true, added: [], removed: [], changed: [SEASONAL] });
    const answer = library.answer(
      "How many farms will inspectors visit during the harvest season?",
    );
    expect(answer.results[0]?.quote).toContain(sentence);
  });

  test("a file rewritten with the same bytes is not `changed`", async () => {
    const path = join(dir, UNHCR);
    await writeFile(path, await readFile(path));
    const report = await library.reload();
    expect(report).toMatchObject({ ok: true, added: [], removed: [], changed: [] });
    expect(report.after).toEqual(report.before);
  });

  test("a removed file is reported in `removed` and no longer cited", async () => {
    const question = "How much of the money it needs has the refugee agency received?";
    const id = documentId(UNHCR);
    expect(library.answer(question).results[0]?.source.id).toBe(id);
    const before = library.stats();
    const removedPassages = passagesOf(id);
    await rm(join(dir, UNHCR));
    const report = await library.reload();
    expect(report).toMatchObject({ ok: true, added: [], removed: [UNHCR], changed: [] });
    expect(report.after).toEqual({
      documents: before.documents - 1,
      passages: before.passages - removedPassages,
    });
    expect(library.answer(question).results.some((r) => r.source.id === id)).toBe(false);
    expect(library.sources().some((s) => s.id === id)).toBe(false);
  });

  test("a file that turns bad is reported in `skipped` and no longer cited", async () => {
    await writeFile(join(dir, UNHCR), Buffer.from([0x00, 0x00, 0x00]));
    const report = await library.reload();
    expect(report.ok).toBe(true);
    expect(report.removed).toEqual([UNHCR]);
    expect(report.skipped.map((s) => s.file)).toEqual([UNHCR]);
    expect(library.stats().skipped.map((s) => s.file)).toEqual([UNHCR]);
  });

  test("a reload whose folder was deleted fails, and the old index still answers", async () => {
    const question = "When must employers register seasonal workers?";
    const answerBefore = library.answer(question);
    const statsBefore = library.stats();
    await removeDir(dir);
    const report = await library.reload();
    expect(report.ok).toBe(false);
    expect(report.error).toContain(dir);
    expect(report).toMatchObject({ added: [], removed: [], changed: [] });
    expect(report.after).toEqual(report.before);
    expect(library.stats()).toEqual(statsBefore);
    expect(library.answer(question)).toEqual(answerBefore);
  });

  test("a failed reload does not block the next one", async () => {
    await removeDir(dir);
    expect((await library.reload()).ok).toBe(false);
    // The folder comes back, with one more document.
    await cp(FIXTURE_CORPUS, dir, { recursive: true });
    await writeFile(join(dir, NEW_FILE), NEW_DOC);
    const report = await library.reload();
    expect(report).toMatchObject({ ok: true, added: [NEW_FILE], removed: [], changed: [] });
  });

  test("after each reload, answers match a fresh open of the same folder", async () => {
    const questions = [
      "How many men can the centres in Albania hold?",
      "When must employers register seasonal workers?",
      "How much of the money it needs has the refugee agency received?",
      NEW_QUESTION,
      "How many expulsions on Lesbos?",
      "How many farms will inspectors visit during the harvest season?",
      "Why did the Rome court release the men?",
      // A slip is corrected to a word of the corpus as it is now.
      "What did the coast guard say about the alegations?",
    ];
    // What a person sees: the quotes, in order, and every outlet cited for each; and the
    // scores, which only match if the term statistics are exact after removals.
    const seen = (lib: Library) =>
      questions.map((q) =>
        lib.answer(q, { k: 5 }).results.map((r) => ({
          quote: r.quote,
          score: r.score,
          cited: [r.source, ...(r.also ?? [])].map((s) => s.id).sort(),
        })),
      );
    const steps: [string, () => Promise<void>][] = [
      ["add", () => writeFile(join(dir, NEW_FILE), NEW_DOC)],
      ["remove", () => rm(join(dir, UNHCR))],
      [
        "change",
        () =>
          appendFile(
            join(dir, SEASONAL),
            "\nInspectors will visit at least one farm in ten during the first harvest season under the new rules.\n",
          ),
      ],
      ["synonyms", () => appendFile(join(dir, "synonyms.yaml"), "- [pushback, expulsion]\n")],
    ];
    const synonymQuestion = "How many expulsions on Lesbos?";
    const confident = () => {
      const answer = library.answer(synonymQuestion);
      return answer.answered && !answer.uncertain;
    };
    // Asked before every change, so what the library remembers from one corpus is put to
    // the test against the next.
    seen(library);
    for (const [step, edit] of steps) {
      // Without the synonym group added last, nothing says "expulsion" about Lesbos: at
      // most a passage about Lesbos is offered as uncertain.
      if (step === "synonyms") expect(confident()).toBe(false);
      await edit();
      expect((await library.reload()).ok, step).toBe(true);
      const fresh = await Library.open(dir);
      expect(seen(library), step).toEqual(seen(fresh));
    }
    expect(confident()).toBe(true);
  });

  test("two concurrent reloads both resolve, one after the other", async () => {
    const before = library.stats();
    await writeFile(join(dir, NEW_FILE), NEW_DOC);
    const first = library.reload();
    const second = library.reload();
    const [a, b] = await Promise.all([first, second]);
    expect(a.ok && b.ok).toBe(true);
    // The first reload sees the new file; the second starts from the state the first left.
    expect(a.added).toEqual([NEW_FILE]);
    expect(a.before.documents).toBe(before.documents);
    expect(b.before).toEqual(a.after);
    expect(b).toMatchObject({ added: [], removed: [], changed: [] });
    expect(library.stats().documents).toBe(before.documents + 1);
  });
});
