import { describe, expect, test } from "vitest";
import { english } from "../../src/text/english.ts";
import { Pipeline, stopWords } from "../../src/text/pipeline.ts";
import { documentLanguage, pipelineFor } from "../../src/text/pipelines.ts";
import { spanish } from "../../src/text/spanish.ts";
import { lowercaseText, tokenize } from "../../src/text/tokens.ts";

describe("a pipeline of named stages", () => {
  test("describes itself by its stages' names, in the order they run", () => {
    expect(english.describe()).toEqual([
      "fold",
      "tokenize",
      "stop-words",
      "irregular-forms",
      "stem",
    ]);
    expect(spanish.describe()).toEqual(["lowercase", "tokenize", "stop-words", "stem", "fold"]);
  });

  test("its signature changes with a stage's data, and only then", () => {
    const build = (stop: string[]) =>
      new Pipeline("xx", {
        text: [{ name: "lowercase", run: lowercaseText }],
        tokenize: { name: "tokenize", run: tokenize },
        words: [stopWords(stop)],
      });
    const base = build(["a", "the"]);
    expect(build(["the", "a"]).signature).toBe(base.signature);
    expect(build(["a", "the", "of"]).signature).not.toBe(base.signature);
    expect(build(["a", "the", "of"]).terms("the rule of law")).toEqual(["rule", "law"]);
  });

  test("its signature changes with a stage's name or order", () => {
    const stages = { text: [], tokenize: { name: "tokenize", run: tokenize } };
    const upper = { name: "upper", run: (w: string) => w.toUpperCase() };
    const drop = stopWords(["x"]);
    const one = new Pipeline("xx", { ...stages, words: [upper, drop] });
    const other = new Pipeline("xx", { ...stages, words: [drop, upper] });
    expect(one.signature).not.toBe(other.signature);
  });

  test("the stemmer's package and version are part of its stage's data", () => {
    expect(english.signature).not.toBe(spanish.signature);
  });
});

describe("the Spanish pipeline", () => {
  test("stems join Spanish forms: deportaciones = deportación = deportados", () => {
    const [deport] = spanish.terms("deportación");
    expect(deport).toBeDefined();
    for (const word of ["deportaciones", "Deportaciones", "deportados", "deportar"]) {
      expect(spanish.terms(word), word).toEqual([deport]);
    }
    expect(spanish.terms("solicitudes")).toEqual(spanish.terms("solicitud"));
  });

  test("Spanish stop words are dropped, accents or not in the text", () => {
    expect(spanish.terms("¿Qué dijo el gobierno de Panamá sobre las fronteras?")).toEqual(
      spanish.terms("dijo gobierno Panamá fronteras"),
    );
    expect(spanish.terms("que de la los para")).toEqual([]);
    // Question words and auxiliaries carry no topic, typed with their accents or without.
    expect(spanish.terms("¿Cuántas fueron? cuantas estan")).toEqual([]);
  });

  test("terms are folded after stemming (Panamá = Panama), numbers kept whole (4.300 = 4,300)", () => {
    expect(spanish.terms("Panamá")).toEqual(spanish.terms("PANAMA"));
    expect(spanish.terms("520.000 migrantes, 3,5 %")).toEqual(["520000", "migrant", "3,5"]);
    // Thousands written with dots are the number English writes with commas.
    expect(spanish.terms("4.300")).toEqual(english.terms("4,300"));
  });
});

test("a document's language picks its pipeline: es and es-MX are Spanish, the rest English", () => {
  expect(pipelineFor("es")).toBe(spanish);
  expect(pipelineFor("ES-mx")).toBe(spanish);
  expect(pipelineFor("en")).toBe(english);
  expect(pipelineFor(undefined)).toBe(english);
  expect(documentLanguage("estonian")).toBe("en");
});
