import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import {
  catalogs,
  DEFAULT_LANGUAGE,
  formatDate,
  languageOfLocale,
  languages,
  localizations,
  messages,
} from "../../src/replies/messages.ts";
import { REPO_ROOT } from "../fixtures/helpers.ts";

const placeholders = (entry: unknown): string[] =>
  [...new Set(JSON.stringify(entry).match(/\{\w+\}/gu) ?? [])].sort();

describe("message catalogs", () => {
  const english = catalogs.get(DEFAULT_LANGUAGE) ?? {};

  test("English and Spanish are there", () => {
    expect(languages).toEqual(expect.arrayContaining(["en", "es"]));
  });

  test.each(languages)(
    "%s has every key, with the same placeholders, and no other key",
    (language) => {
      const catalog = catalogs.get(language) ?? {};
      expect(Object.keys(catalog).sort()).toEqual(Object.keys(english).sort());
      for (const [key, entry] of Object.entries(english)) {
        expect(placeholders(catalog[key]), `${language} ${key}`).toEqual(placeholders(entry));
        if (typeof entry !== "string") expect(catalog[key], key).toHaveProperty("other");
      }
    },
  );
});

describe("messages()", () => {
  test("fills placeholders and picks the plural form by the count", () => {
    const es = messages("es");
    expect(es("sources.passages", { count: 1 })).toBe("1 pasaje");
    expect(es("sources.passages", { count: 7 })).toBe("7 pasajes");
    expect(messages("en")("sources.page", { n: 2, pages: 5 })).toBe("Page 2 of 5");
  });

  test("a language without a catalog speaks English; an unknown key is an error", () => {
    expect(messages("xx")("answer.more")).toBe("More results");
    expect(() => messages("en")("no.such.key")).toThrow(/no\.such\.key/u);
  });
});

describe("languageOfLocale()", () => {
  test.each([
    ["es-ES", "es"],
    ["es-419", "es"],
    ["en-US", "en"],
    ["fr", "en"],
    [undefined, "en"],
  ] as const)("%s → %s", (locale, language) => {
    expect(languageOfLocale(locale)).toBe(language);
  });
});

describe("formatDate()", () => {
  test("writes an ISO date as the language does, and leaves other text alone", () => {
    expect(formatDate("es", "2024-07-01")).toBe("01/07/2024");
    expect(formatDate("en", "2024-07-01")).toBe("2024-07-01");
    expect(formatDate("es", "summer 2024")).toBe("summer 2024");
  });
});

describe("localizations()", () => {
  test("gives each Spanish Discord locale the Spanish text", () => {
    expect(localizations("command.help")).toEqual({
      "es-ES": "Cómo hacerme preguntas",
      "es-419": "Cómo hacerme preguntas",
    });
  });
});

describe("the code's messages", () => {
  test("every key the code asks for is in the catalogs", async () => {
    const files = [
      ...(await readdir(join(REPO_ROOT, "src"), { recursive: true })).map((f) => join("src", f)),
      ...(await readdir(join(REPO_ROOT, "commands"))).map((f) => join("commands", f)),
    ].filter((f) => f.endsWith(".ts"));
    const used = new Set<string>();
    for (const file of files) {
      const code = await readFile(join(REPO_ROOT, file), "utf8");
      for (const [, key] of code.matchAll(/(?:\bt|\)|localizations)\("([a-z]+\.[\w.]+)"/gu)) {
        used.add(key as string);
      }
    }
    expect(used.size).toBeGreaterThan(40);
    const english = catalogs.get(DEFAULT_LANGUAGE) ?? {};
    expect([...used].filter((key) => !(key in english))).toEqual([]);
  });
});
