import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  crossLingual,
  type LocalizedAnswer,
  type TranslatedResult,
} from "../../src/search/crosslingual.ts";
import { Library } from "../../src/search/library.ts";
import { openTranslators, Translator, type Translators } from "../../src/text/translate.ts";
import { fixtureCorpusCopy, removeDir, tempDir } from "../fixtures/helpers.ts";
import { writeFakeTranslators } from "../support/fake-apertium.ts";

/** Documents whose front matter says `language: es`, beside the English fixture corpus. */

const FILE = "diario-deportaciones-interior.txt";
const SPANISH = await readFile(
  join(import.meta.dirname, "..", "fixtures", "spanish", FILE),
  "utf8",
);
const FIGURES = "diario-deportaciones-interior:1:";
const ITALY = "How many people reached Italy by sea in the first six weeks?";

/** The answer's first result, which must be the passage of figures, quoted verbatim. */
function figures(asked: LocalizedAnswer): TranslatedResult | undefined {
  const first = asked.results[0];
  expect(first?.passage).toMatch(new RegExp(`^${FIGURES}`, "u"));
  expect(SPANISH).toContain(first?.quote);
  return first;
}

describe("a Spanish document with Apertium missing", () => {
  let dir: string;
  let library: Library;
  beforeAll(async () => {
    dir = await fixtureCorpusCopy({ [FILE]: SPANISH });
    const missing = crossLingual({ APERTIUM_PATH: "/nowhere/apertium", TRANSLATE_QUOTES: true });
    expect(missing.translators).toBeUndefined();
    library = await Library.open(dir, missing);
  });
  afterAll(() => removeDir(dir));

  test("is kept whole by the cleaner, its Spanish prose told from boilerplate", () => {
    expect(library.stats().skipped).toEqual([]);
    const doc = library.documents.find((d) => d.file === FILE);
    expect(doc?.text.split("\n\n")).toHaveLength(4);
  });

  test("a Spanish question finds it by its own words, quoted verbatim, with no translation", async () => {
    const asked = await library.ask("¿Cuántas personas fueron deportadas el año pasado?");
    expect(asked.language).toBe("es");
    const first = figures(asked);
    expect(first?.highlight).toBe(
      "Según el ministerio, las deportaciones aumentaron un 18 por ciento el año pasado, hasta 4.300 personas.",
    );
    expect(first?.translation).toBeUndefined();
  });

  test("stemming joins Spanish forms: 'deportación' in the question finds 'deportaciones'", async () => {
    const asked = await library.ask("¿Cuánto aumentó la deportación?");
    const quote = asked.results[0]?.quote ?? "";
    expect(quote).toContain("las deportaciones aumentaron");
    expect(quote).not.toContain("deportación");
  });

  test("Spanish stop words do not count toward coverage: padding a question with them changes nothing", async () => {
    const plain = await library.ask("deportaciones aumentaron año pasado", { lang: "es" });
    const padded = await library.ask(
      "¿Y qué es lo que hay de las deportaciones que aumentaron por el año pasado?",
      { lang: "es" },
    );
    expect(plain.answered).toBe(true);
    expect(padded.results).toEqual(plain.results);
  });

  test("an acronym is spelled out by the Spanish names of the document", async () => {
    const asked = await library.ask("¿Qué pasa en los CIE este semestre?");
    expect(asked.results[0]?.quote).toContain("Centros de Internamiento de Extranjeros");
    expect(asked.results[0]?.quote).not.toContain("CIE");
  });

  test("an English question is answered from the English documents as before", async () => {
    const asked = await library.ask(ITALY);
    expect(asked.language).toBe("en");
    expect(asked.results[0]?.quote).toContain("More than 12,000 people reached Italy by sea");
    expect(asked.results.every((r) => !r.passage.startsWith("diario-"))).toBe(true);
  });
});

describe("a Spanish document with Apertium (apertium eng-spa)", () => {
  let dir: string;
  let translators: Translators;
  let library: Library;
  beforeAll(async () => {
    dir = await fixtureCorpusCopy({ [FILE]: SPANISH });
    const opened = openTranslators("apertium");
    if (typeof opened === "string") throw new Error(opened);
    translators = opened;
    library = await Library.open(dir, { translators });
  });
  afterAll(async () => {
    for (const translator of Object.values(translators)) translator.close();
    await removeDir(dir);
  });

  test("an English question reaches it through its Spanish translation; the quote carries an English one", async () => {
    const asked = await library.ask("How many people were deported last year?");
    expect(asked.language).toBe("en");
    expect(figures(asked)?.translation).toMatch(/deportations/u);
  });

  test("a Spanish reader of the Spanish quote gets no machine translation", async () => {
    const asked = await library.ask("¿Cuántas personas fueron deportadas el año pasado?");
    figures(asked);
    expect(asked.results.every((r) => r.translation === undefined)).toBe(true);
  });

  test("with TRANSLATE_QUOTES off the quote stays untranslated", async () => {
    const off = await Library.open(dir, { translators, translateQuotes: false });
    const asked = await off.ask("How many people were deported last year?");
    expect(figures(asked)?.translation).toBeUndefined();
  });

  test("an English question about English documents still gets English quotes only", async () => {
    const asked = await library.ask(ITALY);
    expect(asked.results[0]?.quote).toContain("More than 12,000 people reached Italy by sea");
    expect(asked.results.every((r) => r.translation === undefined)).toBe(true);
  });
});

test.each(["crashing", "garbage", "slow"] as const)(
  "%s eng-spa translator: an English question still gets its English answer",
  async (name) => {
    const dir = await fixtureCorpusCopy({ [FILE]: SPANISH });
    const fakes = await tempDir("answer-bot-fake-apertium-");
    try {
      const fake = await writeFakeTranslators(fakes);
      const translator = () => new Translator(fake(name), { timeoutMs: 300 });
      const translators = { spaEng: translator(), engSpa: translator(), spaEngWords: translator() };
      const library = await Library.open(dir, { translators });
      const asked = await library.ask(ITALY);
      expect(asked.results[0]?.quote).toContain("More than 12,000 people reached Italy by sea");
      await library.close();
    } finally {
      await Promise.all([removeDir(dir), removeDir(fakes)]);
    }
  },
);

test("a snapshot of a corpus with Spanish documents answers as the built index did", async () => {
  const dir = await fixtureCorpusCopy({ [FILE]: SPANISH });
  const data = await tempDir("answer-bot-data-");
  try {
    const question = "¿Qué pasará con los menores no acompañados?";
    const built = await Library.open(dir, { dataDir: data });
    const loaded = await Library.open(dir, { dataDir: data });
    expect(loaded.origin).toBe("snapshot");
    const answer = await built.ask(question);
    expect(answer.results[0]?.quote).toContain("menores no acompañados");
    expect(await loaded.ask(question)).toEqual(answer);
  } finally {
    await Promise.all([removeDir(dir), removeDir(data)]);
  }
});
