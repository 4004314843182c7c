import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { FIXTURE_CORPUS } from "../fixtures/helpers.ts";
import {
  ask,
  buttonLabelled,
  closeHarnesses,
  failedRequests,
  startHarness,
  unmarkdown,
} from "../support/bot-harness.ts";
import type { JsonBody } from "../support/loopback-discord.ts";

afterEach(closeHarnesses);

// Spanish questions over the English fixture corpus.
const QUESTION = "¿Cuántas personas llegaron a Italia por mar en las primeras seis semanas?";
const VERBATIM = "More than 12,000 people reached Italy by sea in the first six weeks of the year";
const OFF_TOPIC = "¿Cuál es la receta tradicional de la paella valenciana?";

let corpus: Record<string, string>;
beforeAll(async () => {
  corpus = {};
  for (const name of await readdir(FIXTURE_CORPUS)) {
    corpus[name] = await readFile(join(FIXTURE_CORPUS, name), "utf8");
  }
});

/** The first result's quote (markup removed) and its labelled translation, if any. */
function firstResult(body: JsonBody): { quote: string; translation?: string } {
  const embed = body.embeds?.[0];
  const field = (embed?.fields ?? []).find((f: JsonBody) => f.name === "Traducción automática");
  return { quote: unmarkdown(String(embed?.description ?? "")), translation: field?.value };
}

describe("a Spanish-speaking user", () => {
  it("/ask in es-ES: Spanish labels, the verbatim English quote, a labelled translation", async () => {
    const { server } = await startHarness({ corpus });
    const reply: JsonBody = await ask(server, { question: QUESTION }, { locale: "es-ES" }).reply();

    const { quote, translation } = firstResult(reply);
    expect(quote).toContain(VERBATIM);
    expect(translation).toMatch(/Italia/u);
    expect(reply.embeds[0].author.name).toBe("Resultado 1");
    expect(buttonLabelled(reply, "Contexto 1")).toBeDefined();
    expect(buttonLabelled(reply, "Útil")).toBeDefined();
    expect(failedRequests(server)).toEqual([]);
  });

  it("a DM in Spanish gets the same Spanish reply", async () => {
    const { server } = await startHarness({ corpus });
    const [reply] = await server.message({ content: QUESTION, dm: true }).replies();

    const { quote, translation } = firstResult(reply);
    expect(quote).toContain(VERBATIM);
    expect(translation).toMatch(/Italia/u);
    expect(buttonLabelled(reply, "Contexto 1")).toBeDefined();
  });

  it("an English question from an es-419 user is answered in Spanish too", async () => {
    const { server } = await startHarness({ corpus });
    const question = "How many people reached Italy by sea in the first six weeks?";
    const reply: JsonBody = await ask(server, { question }, { locale: "es-419" }).reply();
    expect(firstResult(reply).quote).toContain(VERBATIM);
    expect(reply.embeds[0].author.name).toBe("Resultado 1");
  });

  it("/help in es-ES is in Spanish, with Spanish plurals", async () => {
    const { server } = await startHarness({ corpus });
    const reply: JsonBody = await server.slash({ name: "help", locale: "es-ES" }).reply();
    expect(reply.content).toContain("citas exactas");
    expect(reply.content).toContain("4 documentos");
  });

  it("an off-topic Spanish question gets a Spanish no-answer", async () => {
    const { server } = await startHarness({ corpus });
    const reply: JsonBody = await ask(server, { question: OFF_TOPIC }, { locale: "es-ES" }).reply();
    expect(reply.content).toContain("No encontré una respuesta");
    expect(reply.embeds ?? []).toEqual([]);
  });

  it("with TRANSLATE_QUOTES=off, the quote comes without a translation", async () => {
    const { server } = await startHarness({ corpus, env: { TRANSLATE_QUOTES: "off" } });
    const reply: JsonBody = await ask(server, { question: QUESTION }, { locale: "es-ES" }).reply();
    const { quote, translation } = firstResult(reply);
    expect(quote).toContain(VERBATIM);
    expect(translation).toBeUndefined();
  });

  it("with Apertium missing, a Spanish question gets an honest Spanish no-answer", async () => {
    const { server } = await startHarness({
      corpus,
      env: { APERTIUM_PATH: "/nowhere/apertium" },
    });
    const reply: JsonBody = await ask(server, { question: QUESTION }, { locale: "es-ES" }).reply();
    expect(reply.content).toContain("No encontré una respuesta");
    // English questions are answered as ever.
    const english: JsonBody = await ask(server, {
      question: "How many people reached Italy by sea in the first six weeks?",
    }).reply();
    expect(firstResult(english).quote).toContain(VERBATIM);
    expect(english.embeds[0].author.name).toBe("Result 1");
  });
});
