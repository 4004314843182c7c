import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  apertiumCommand,
  openTranslators,
  Translator,
  wordTranslations,
} from "../../src/text/translate.ts";
import { removeDir, tempDir } from "../fixtures/helpers.ts";
import { writeFakeTranslators } from "../support/fake-apertium.ts";

let dir: string;
let fake: Awaited<ReturnType<typeof writeFakeTranslators>>;

beforeAll(async () => {
  dir = await tempDir("answer-bot-translators-");
  fake = await writeFakeTranslators(dir);
});
afterAll(() => removeDir(dir));

describe("Translator", () => {
  test("sends each text and strips the unknown-word marks from its translation", async () => {
    const translator = new Translator(fake("upper"));
    const [a, b] = await Promise.all([
      translator.translate("darien gap"),
      translator.translate("second  text\nhere"),
    ]);
    expect(a).toBe("DARIEN GAP");
    expect(b).toBe("SECOND TEXT HERE");
    translator.close();
  });

  test("caches translations, and forgets the oldest past its size", async () => {
    const translator = new Translator(fake("upper"), { cacheSize: 1 });
    const starts = async () =>
      (await readFile(join(dir, "upper.starts"), "utf8")).split("\n").length - 1;
    expect(await translator.translate("one")).toBe("ONE");
    const before = await starts();
    // Closed, the translator restarts on demand; a cached text does not need it at all.
    translator.close();
    expect(await translator.translate("one")).toBe("ONE");
    expect(await starts()).toBe(before);
    expect(await translator.translate("two")).toBe("TWO");
    expect(await starts()).toBe(before + 1);
    // "two" pushed "one" out of a cache of one.
    expect(await translator.translate("one")).toBe("ONE");
    translator.close();
    expect(await translator.translate("one")).toBe("ONE");
    expect(await starts()).toBe(before + 1);
  });

  test("a missing executable gives undefined, not an error", async () => {
    const translator = new Translator({ command: join(dir, "no-such-program"), args: [] });
    expect(await translator.translate("hola")).toBeUndefined();
    translator.close();
  });

  test("a slow translator times out and is restarted for the next text", async () => {
    const translator = new Translator(fake("slow"), { timeoutMs: 200 });
    const started = performance.now();
    expect(await translator.translate("hola")).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(4000);
    translator.close();
  });

  test("a crashing translator gives undefined, and the next request starts it again", async () => {
    const crashing = new Translator(fake("crashing"));
    expect(await crashing.translate("hola")).toBeUndefined();
    crashing.close();
    const once = new Translator(fake("crash-once"));
    expect(await once.translate("hola")).toBeUndefined();
    expect(await once.translate("hola")).toBe("ok hola");
    once.close();
  });

  test("garbage output is not taken for a translation", async () => {
    const garbage = new Translator(fake("garbage"));
    expect(await garbage.translate("hola")).toBeUndefined();
    garbage.close();
  });

  test("output out of step with the requests fails them rather than mismatching texts", async () => {
    const chatty = new Translator(fake("chatty"));
    const first = await chatty.translate("uno");
    const second = await chatty.translate("dos");
    expect(first).toBe("one");
    // "two" answered nobody's request: the process was stopped and a new one answers "dos".
    expect(second).toBe("one");
    chatty.close();
  });
});

describe("openTranslators()", () => {
  test("an executable that does not exist is reported in one line", () => {
    expect(openTranslators(join(dir, "nowhere", "apertium"))).toMatch(/not found$/u);
  });

  test("the installed Apertium translates both ways, keeping unknown words as written", async () => {
    const translators = openTranslators("apertium");
    if (typeof translators === "string") throw new Error(translators);
    const english = await translators.spaEng.translate("¿Dónde está el Tapón del Darién?");
    expect(english).toMatch(/^Where .*\bDarién\?$/u);
    const spanish = await translators.engSpa.translate("The flights to Panama, Mouynes said.");
    expect(spanish).toMatch(/vuelos .*Panamá.*Mouynes dijo\.$/u);
    translators.spaEng.close();
    translators.engSpa.close();
  });

  test("a direction whose language pair is missing is reported", () => {
    expect(apertiumCommand("apertium", "xxx-yyy" as "spa-eng")).toMatch(/not installed$/u);
  });
});

describe("wordTranslations()", () => {
  test("reads each word's translations from a dictionary lookup, unknown words as written", () => {
    const lookup =
      "^¿<lquest>/$^medio<adj><m><sg>/half<adj><m><sg>/middle<adj><m><sg>$ ^según<pr>/according to<pr>$ ^Buscar<vblex>/Look# for<vblex>$ ^*Darién/*Darién$";
    expect(wordTranslations(lookup)).toEqual([
      ["half", "middle"],
      ["according to"],
      ["Look for"],
      ["Darién"],
    ]);
  });
});
