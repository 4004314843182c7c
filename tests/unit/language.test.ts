import { describe, expect, test } from "vitest";
import { detectLanguage } from "../../src/text/language.ts";

describe("detectLanguage()", () => {
  test.each([
    "¿Dónde está ubicado el paso fronterizo?",
    "qué pasa con los vuelos de deportación",
    "¿Cuántos migrantes cruzaron la selva el año pasado?",
    "Es verdad que el gobierno firmó un acuerdo?",
  ])("Spanish: %s", (question) => {
    expect(detectLanguage(question)).toBe("es");
  });

  test.each([
    "Who pays for the deportation flights?",
    "how many migrants crossed in 2023",
    "quick question: is the agreement still in force?",
    "deportation flights Panama",
    // One or two words, even Spanish-looking names, say too little: English.
    "Panamá",
    "Darien Gap",
    "asilo político",
  ])("English or too short to tell: %s", (question) => {
    expect(detectLanguage(question)).toBe("en");
  });
});
