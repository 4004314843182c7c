import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { setLogLevel } from "../../src/log.ts";
import { alternativeTerms, crossLingual, searchText } from "../../src/search/crosslingual.ts";
import { Library } from "../../src/search/library.ts";
import { openTranslators, Translator, type Translators } from "../../src/text/translate.ts";
import { fixtureCorpusCopy, removeDir, tempDir } from "../fixtures/helpers.ts";
import { writeFakeTranslators } from "../support/fake-apertium.ts";

describe("searchText()", () => {
  test("adds the names and numbers the translation lost, not those it kept", () => {
    expect(
      searchText(
        "¿Dónde está el Tapón del Darién en 2023?",
        "Where is the Cap of the Darién in 2023?",
      ),
    ).toBe("Where is the Cap of the Darién in 2023? Tapón");
  });
});

describe("alternativeTerms()", () => {
  test("each translation's terms count the word's other translations as alternatives", () => {
    const alternatives = alternativeTerms([["half", "middle", "means"], ["plan"]]);
    expect(alternatives.get("half")).toEqual([["middl"], ["mean"]]);
    expect(alternatives.has("plan")).toBe(false);
  });
});

describe("Library.ask() across languages", () => {
  let dir: string;
  let library: Library;
  let translators: Translators;
  beforeAll(async () => {
    dir = await fixtureCorpusCopy();
    const opened = openTranslators("apertium");
    if (typeof opened === "string") throw new Error(opened);
    translators = opened;
    library = await Library.open(dir, { translators });
  });
  afterAll(async () => {
    translators.spaEng.close();
    translators.engSpa.close();
    translators.spaEngWords.close();
    await removeDir(dir);
  });

  test("an English question takes the plain path: same answer, no translation", async () => {
    const question = "How many people reached Italy by sea in the first six weeks?";
    const asked = await library.ask(question);
    expect(asked.language).toBe("en");
    expect(asked.results.map((r) => r.passage)).toEqual(
      library.answer(question).results.map((r) => r.passage),
    );
    expect(asked.results.every((r) => r.translation === undefined)).toBe(true);
  });

  test("a Spanish question finds the English passage, quoted verbatim with a translation", async () => {
    const asked = await library.ask(
      "¿Cuántas personas llegaron a Italia por mar en las primeras seis semanas?",
    );
    expect(asked.language).toBe("es");
    expect(asked.question).toBe(
      "¿Cuántas personas llegaron a Italia por mar en las primeras seis semanas?",
    );
    const first = asked.results[0];
    expect(first?.quote).toContain("More than 12,000 people reached Italy by sea");
    expect(first?.translation).toMatch(/Italia/u);
  });

  test("an off-topic Spanish question gets no answer", async () => {
    const asked = await library.ask("¿Cuál es la receta tradicional de la paella valenciana?");
    expect(asked.answered).toBe(false);
  });
});

describe("crossLingual()", () => {
  test("without Apertium, says in one line that cross-lingual search is off and how to turn it on", () => {
    const lines: string[] = [];
    const write = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    setLogLevel("info");
    try {
      const options = crossLingual({ APERTIUM_PATH: "/nowhere/apertium", TRANSLATE_QUOTES: true });
      expect(options.translators).toBeUndefined();
    } finally {
      write.mockRestore();
      setLogLevel("silent");
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/cross-lingual search is off .*apt-get install apertium-eng-spa/u);
    expect(lines[0]?.trimEnd()).not.toContain("\n");
  });
});

describe("Library.ask() with a failing translator", () => {
  let dir: string;
  let fakes: string;
  let fake: Awaited<ReturnType<typeof writeFakeTranslators>>;
  const ENGLISH = "How many people reached Italy by sea in the first six weeks?";
  const SPANISH = "¿Cuántas personas llegaron a Italia por mar en las primeras seis semanas?";
  const translatorsOf = (name: Parameters<typeof fake>[0]): Translators => ({
    spaEng: new Translator(fake(name), { timeoutMs: 300 }),
    engSpa: new Translator(fake(name), { timeoutMs: 300 }),
    spaEngWords: new Translator(fake(name), { timeoutMs: 300 }),
  });
  const starts = (name: string) => readFile(join(fakes, `${name}.starts`), "utf8").catch(() => "");

  beforeAll(async () => {
    dir = await fixtureCorpusCopy();
    fakes = await tempDir("answer-bot-fake-apertium-");
    fake = await writeFakeTranslators(fakes);
  });
  afterAll(async () => {
    await removeDir(dir);
    await removeDir(fakes);
  });

  test.each(["slow", "crashing", "garbage"] as const)(
    "%s: an English answer never waits for it; a Spanish question gets an honest no-answer",
    async (name) => {
      const library = await Library.open(dir, { translators: translatorsOf(name) });
      const english = await library.ask(ENGLISH);
      expect(english.answered).toBe(true);
      expect(english.results[0]?.quote).toContain("More than 12,000 people reached Italy");
      expect(await starts(name)).toBe("");

      const spanish = await library.ask(SPANISH);
      expect(spanish).toMatchObject({ question: SPANISH, answered: false, language: "es" });
      expect(await starts(name)).not.toBe("");
      await library.close();
    },
  );

  test("a Spanish reply to an English question keeps its quotes when their translation fails", async () => {
    const library = await Library.open(dir, { translators: translatorsOf("crashing") });
    const asked = await library.ask(ENGLISH, { replyIn: "es" });
    expect(asked.results[0]?.quote).toContain("More than 12,000 people reached Italy");
    expect(asked.results.every((r) => r.translation === undefined)).toBe(true);
    await library.close();
  });
});
