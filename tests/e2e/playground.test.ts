import { existsSync } from "node:fs";
import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FeedbackLog } from "../../src/feedback.ts";
import { type Playground, startPlayground } from "../../src/playground/server.ts";
import { openQuestionLog, type QuestionLog } from "../../src/questions.ts";
import { crossLingual } from "../../src/search/crosslingual.ts";
import { Library } from "../../src/search/library.ts";
import {
  FIXTURE_CORPUS,
  markdown,
  REPO_ROOT,
  removeDir,
  SAMPLE_CORPUS,
  tempDir,
} from "../fixtures/helpers.ts";
import { findChromium } from "../support/chromium.ts";

/** The local playground in a real browser (Chromium, found by findChromium), against a temp copy of the sample documents. */

const QUESTION = "Who pays for the deportation flights from Panama?";
const XSS = `<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2"> @everyone **bold**`;
const SCREENSHOT = join(REPO_ROOT, "tests", "artifacts", "playground.png");

let corpusDir: string;
let dataDir: string;
let library: Library;
let playground: Playground;
let questions: QuestionLog;
let browser: Browser;
let page: Page;
const dialogs: string[] = [];

beforeAll(async () => {
  const chromiumPath = findChromium();
  corpusDir = await tempDir("playground-corpus-");
  dataDir = await tempDir("playground-data-");
  await cp(SAMPLE_CORPUS, corpusDir, { recursive: true });
  // The same article under another outlet: answers then carry an "Also in" field.
  const original = await readFile(
    join(corpusDir, "christian-post-us-pays-panama-flights.md"),
    "utf8",
  );
  await writeFile(
    join(corpusDir, "wire-copy-panama-flights.md"),
    markdown(
      {
        title: "Wire copy: US to pay for Panama deportation flights",
        outlet: "Example Wire",
        url: "https://example.org/wire/panama-flights",
        published: "2025-02-20",
      },
      original.replace(/^---\n[\s\S]*?\n---\n/u, ""),
    ),
  );
  library = await Library.open(
    corpusDir,
    crossLingual({ APERTIUM_PATH: "apertium", TRANSLATE_QUOTES: true }),
  );
  const feedback = new FeedbackLog(dataDir);
  questions = openQuestionLog({ DATA_DIR: dataDir, LOG_QUESTIONS: true }, feedback);
  playground = await startPlayground({
    library,
    feedback,
    questions,
    port: 0,
    host: "127.0.0.1",
  });
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(playground.url);
});

afterAll(async () => {
  await browser?.close();
  await playground?.close();
  await library?.close();
  await removeDir(corpusDir);
  await removeDir(dataDir);
});

const botMessages = () => page.locator(".msg.bot");

/** Evaluates a JavaScript expression in the page (as text: these tests compile without the DOM types). */
const inPage = <T>(expression: string) => page.evaluate(expression) as Promise<T>;

/** Types a line with the keyboard, presses Enter, and returns the bot's reply. */
async function send(text: string): Promise<Locator> {
  const before = await botMessages().count();
  // By id: the label is in the language the switch is set to.
  const input = page.locator("#text");
  await input.fill(text);
  await input.press("Enter");
  const reply = botMessages().nth(before);
  await reply.waitFor();
  return reply;
}

/** Clicks a button under a message and returns the new message it answers with. */
async function click(message: Locator, name: string): Promise<Locator> {
  const before = await botMessages().count();
  await message.getByRole("button", { name, exact: true }).click();
  const reply = botMessages().nth(before);
  await reply.waitFor();
  return reply;
}

/** A new tab on the playground at `url`. */
async function openPage(url: string): Promise<Page> {
  const tab = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  await tab.goto(url);
  return tab;
}

describe("the first screen", () => {
  it("shows the documents with their dates and examples from the corpus; a click asks one", async () => {
    const tab = await openPage(playground.url);
    try {
      const welcome = tab.locator("#welcome");
      await welcome.getByRole("heading", { name: "Try asking" }).waitFor({ timeout: 10_000 });
      const sources = library.sources();
      expect(await welcome.textContent()).toContain(
        `I answer with exact quotes from ${sources.length} documents:`,
      );
      // Every document, newest first, with its outlet and date ("no date" without one).
      const listed = await welcome.locator(".documents li").allTextContents();
      expect(listed).toHaveLength(sources.length);
      const dates = listed.map((item) => {
        const source = sources.find((s) => item.startsWith(`${s.title} `));
        expect(source, item).toBeDefined();
        expect(item).toBe(`${source?.title} ${source?.outlet} · ${source?.published ?? "no date"}`);
        return source?.published ?? "";
      });
      expect(dates.filter(Boolean)).toEqual(dates.filter(Boolean).sort().reverse());
      expect(dates.filter(Boolean).length).toBeGreaterThan(0);

      // Examples: titles of documents, each one the bot answers.
      const examples = await welcome.locator("button.example").allTextContents();
      expect(examples).toHaveLength(5);
      for (const example of examples) {
        expect(sources.map((s) => s.title)).toContain(example);
        expect(library.answer(example).answered).toBe(true);
      }

      const example = examples[1] ?? "";
      await welcome.getByRole("button", { name: example }).click();
      const reply = tab.locator(".msg.bot").first();
      await reply.waitFor();
      expect(await tab.locator(".msg.user .content").first().textContent()).toBe(example);
      expect(await reply.locator(".embed").count()).toBe(3);
      expect(await welcome.isHidden()).toBe(true);

      // The question log has it, as from the playground's one user, with no locale.
      // (Read once the line queued with the answer is written.)
      expect((await questions.read()).at(-1)).toMatchObject({
        answered: true,
        question: example,
        locale: "en-US",
        source: null,
        user: await new FeedbackLog(dataDir).userHash("playground"),
      });
    } finally {
      await tab.close();
    }
  });

  it("is made from whatever corpus is loaded, and a stopped server is named in a sentence", async () => {
    const other = await Library.open(FIXTURE_CORPUS);
    const otherData = await tempDir("playground-other-data-");
    const feedback = new FeedbackLog(otherData);
    const second = await startPlayground({
      library: other,
      feedback,
      questions: openQuestionLog({ DATA_DIR: otherData, LOG_QUESTIONS: true }, feedback),
      port: 0,
      host: "127.0.0.1",
    });
    const tab = await openPage(second.url);
    try {
      const examples = tab.locator("#welcome button.example");
      await examples.first().waitFor({ timeout: 10_000 });
      const titles = other.sources().map((s) => s.title);
      const shown = await examples.allTextContents();
      expect(shown.length).toBeGreaterThanOrEqual(4);
      for (const title of shown) expect(titles).toContain(title);

      await second.close();
      const input = tab.getByLabel("Message the bot");
      await input.fill("Who runs the centres in Albania?");
      await input.press("Enter");
      const status = tab.locator("#status");
      await status.getByText("not answering").waitFor({ timeout: 10_000 });
      expect(await status.textContent()).toBe(
        "The bot is not answering — is `npm start` still running?",
      );
      // What was typed is kept, to send again.
      expect(await input.inputValue()).toBe("Who runs the centres in Albania?");
    } finally {
      await tab.close();
      await second.close();
      await removeDir(otherData);
    }
  });
});

describe("local playground", () => {
  it("answers a question with quotes, citations, Also in and the bot's buttons", async () => {
    // The page opens ready to type.
    expect(await inPage<string>("document.activeElement?.id")).toBe("text");
    const expected = library.answer(QUESTION, { k: 3 });
    const first = expected.results[0];
    expect(first).toBeDefined();
    if (!first) return;
    const reply = await send(QUESTION);

    const text = (await reply.textContent()) ?? "";
    expect(text).toContain(`Q: ${QUESTION}`);
    expect(text).toContain((first.quote.split("\n")[0] ?? "").slice(0, 80));
    expect(text).toContain(first.source.title);
    expect(text).toContain(first.source.outlet ?? "missing outlet");
    expect(await reply.locator(".embed").count()).toBe(expected.results.length);
    expect(await reply.locator(".embed blockquote").count()).toBe(expected.results.length);
    const title = reply.locator(".embed-title a").first();
    expect(await title.getAttribute("href")).toBe(first.source.url);
    expect(await title.getAttribute("rel")).toBe("noopener noreferrer");
    expect(await title.getAttribute("target")).toBe("_blank");
    const also = first.also?.[0];
    expect(also).toBeDefined();
    expect(await reply.locator(".embed dt").first().textContent()).toBe("Also in");
    expect(await reply.locator(".embed dd").first().textContent()).toContain(also?.title);

    for (const name of ["Context 1", "More results", "Helpful", "Not helpful"]) {
      expect(await reply.getByRole("button", { name, exact: true }).count()).toBe(1);
    }
  });

  it("shows the context of a quote", async () => {
    const answer = botMessages().last();
    const passage = library.answer(QUESTION, { k: 3 }).results[0]?.passage ?? "";
    const context = library.context(passage);
    expect(context).not.toBeNull();
    const reply = await click(answer, "Context 1");
    const text = (await reply.textContent()) ?? "";
    expect(text).toContain(context?.text.slice(0, 80));
    expect(text).toContain(context?.before[0]?.slice(0, 40) ?? "");
    expect(text).toContain("Only you can see this");
    expect(await reply.locator(".embed-description strong").count()).toBe(1);
  });

  it("stores 👍 in the feedback log", async () => {
    const answer = botMessages().nth(0);
    const reply = await click(answer, "Helpful");
    expect(await reply.textContent()).toContain("Thanks! Glad it helped.");
    const lines = (await readFile(join(dataDir, "feedback.jsonl"), "utf8")).trim().split("\n");
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] ?? "") as Record<string, unknown>;
    expect(entry).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/u),
      vote: "up",
      question: QUESTION,
      results: library.answer(QUESTION, { k: 3 }).results.map((r) => r.passage),
      user: expect.stringMatching(/^[0-9a-f]{16}$/u),
    });
  });

  it("pages with More results, editing the answer in place", async () => {
    const answer = botMessages().nth(0);
    const id = await answer.getAttribute("data-message-id");
    const count = await botMessages().count();
    await answer.getByRole("button", { name: "More results", exact: true }).click();
    const edited = page.locator(`.msg.bot[data-message-id="${id}"]`);
    await edited.getByText("Result 4").waitFor();
    expect(await botMessages().count()).toBe(count);
    // Focus stays on the button in the same place, as after a click in Discord.
    expect(await inPage<string>("document.activeElement?.tagName")).toBe("BUTTON");
  });

  it("runs /ask options, /sources, /stats, /help and a no-answer reply", async () => {
    const one = await send("/ask who pays for the flights results:1 private:true");
    expect(await one.locator(".embed").count()).toBe(1);
    expect(await one.textContent()).toContain("Only you can see this");

    const bad = await send("/ask who pays results:9");
    expect(await bad.textContent()).toContain('"results" must be at most 5.');

    const sources = await send("/sources");
    expect(await sources.locator(".embed-title").textContent()).toBe(
      `Documents (${library.sources().length})`,
    );

    // The playground's user is its admin: /stats shows this playground's questions.
    const stats = await send("/stats");
    expect(await stats.locator(".embed-title").allTextContents()).toEqual([
      "Last 24 hours",
      "Last 7 days",
    ]);
    expect(await stats.locator(".embed-description").first().textContent()).toMatch(
      /^Questions: \d+ \(\d+ % answered\)/u,
    );

    const help = await send("/help");
    expect(await help.locator("strong").first().textContent()).toBe("exact quotes");

    const none = await send("What is the price of cheese on Mars?");
    expect(await none.textContent()).toContain("I couldn't find an answer to that");

    const unknown = await send("/nope");
    expect(await unknown.textContent()).toContain("I don't know that command.");
  });

  it("suggests commands and sources from the commands' own autocomplete", async () => {
    const input = page.getByLabel("Message the bot");
    const option = (value: string) => page.locator(`#suggestions option[value="${value}"]`);
    await input.fill("/so");
    await option("/sources ").waitFor({ state: "attached" });
    await input.fill("/ask who pays source:christian");
    await option("/ask who pays source:christian-post-us-pays-panama-flights").waitFor({
      state: "attached",
    });
    await input.fill("");
  });

  it("reloads the corpus with /reload and answers from the new document", async () => {
    await writeFile(
      join(corpusDir, "harbour-ferry-memo.md"),
      markdown(
        { title: "Harbour ferry memo", outlet: "Playground Test Outlet" },
        "The zorblat ferry programme moves forty passengers a week between the two harbours, according to the harbour authority.\n\nOfficials said the zorblat ferry would keep running through the winter months.",
      ),
    );
    const report = await send("/reload");
    const text = (await report.textContent()) ?? "";
    expect(text).toContain("Reloaded");
    expect(text).toContain("Added: harbour-ferry-memo.md");
    const answer = await send("How many passengers does the zorblat ferry move?");
    expect(await answer.textContent()).toContain("Harbour ferry memo");
  });

  it("shows markup in a question as text and runs none of it", async () => {
    const reply = await send(XSS);
    const user = page.locator(".msg.user").last();
    expect(await user.locator(".content").textContent()).toBe(XSS);
    expect(await reply.locator(".content").textContent()).toContain(`Q: ${XSS}`);
    expect(await reply.locator(".content strong").allTextContents()).toEqual(["Q:"]);
    expect(await page.locator("#log script, #log img").count()).toBe(0);
    expect(await page.locator("script").count()).toBe(1);
    expect(await inPage<unknown>("window.__xss")).toBeUndefined();
    expect(dialogs).toEqual([]);
  });

  it("is usable with the keyboard alone, with a visible focus", async () => {
    const input = page.getByLabel("Message the bot");
    await input.focus();
    await page.keyboard.type("/help");
    await page.keyboard.press("Enter");
    const help = botMessages().last();
    await help.getByText("exact quotes").waitFor();
    expect(await inPage<string>("document.activeElement?.id")).toBe("text");
    // Tab from the box reaches the Send button, and focus shows.
    await page.keyboard.press("Tab");
    const focused = await inPage<{ text: string; outline: string }>(
      "({ text: document.activeElement.textContent, outline: getComputedStyle(document.activeElement).outlineStyle })",
    );
    expect(focused).toEqual({ text: "Send", outline: "solid" });
    // Shift+Tab back through the messages reaches the last answer's buttons; Enter clicks.
    await send("Who pays for the flights?");
    const count = await botMessages().count();
    await page.keyboard.press("Shift+Tab");
    expect(await inPage<string>("document.activeElement?.textContent")).toBe("👎 Not helpful");
    await page.keyboard.press("Enter");
    await botMessages().nth(count).getByText("Thanks, noted.").waitFor();
    expect(await new FeedbackLog(dataDir).read()).toHaveLength(2);
  });

  it("fits a phone screen and keeps a screenshot", async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    const overflow = await inPage<number>(
      "document.documentElement.scrollWidth - document.documentElement.clientWidth",
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1000, height: 900 });
    // The first question and its answer, with the message box below.
    await inPage("window.scrollTo(0, 0)");
    await mkdir(join(REPO_ROOT, "tests", "artifacts"), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    expect(existsSync(SCREENSHOT)).toBe(true);
  });

  it("answers bad requests with a 4xx JSON error and keeps serving", async () => {
    const post = (body: string, type = "application/json") =>
      fetch(`${playground.url}/api/message`, {
        method: "POST",
        headers: { "Content-Type": type },
        body,
      });
    const cases = [
      [await post("{"), 400],
      [await post('{"text": 42}'), 400],
      [await post('{"text": "hi"}', "text/plain"), 415],
      [await post(JSON.stringify({ text: "x".repeat(20_000) })), 413],
      [
        await fetch(`${playground.url}/api/button`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ messageId: "x", customId: 7 }),
        }),
        400,
      ],
    ] as const;
    for (const [response, status] of cases) {
      expect(response.status).toBe(status);
      expect(await response.json()).toEqual({ error: expect.any(String) });
    }
    const ok = await post(JSON.stringify({ text: "/help" }));
    expect(ok.status).toBe(200);
  });

  it("notes a source's age under its citation, and an answer that only partly matches", async () => {
    const old = await send("Who is Panama's foreign minister?");
    await expect(old.locator(".embed-footer").first().textContent()).resolves.toContain(
      "Published 15 Apr 2022 — policy may have changed since",
    );
    const partly = await send("Did Blinken also visit Costa Rica during the ministerial?");
    await expect(partly.textContent()).resolves.toMatch(/only partly match your question/u);
  });

  it("speaks Spanish with the Español switch: labels, the verbatim quote, its translation", async () => {
    const question = "¿Quién paga los vuelos de deportación desde Panamá?";
    const english = await library.ask(question, { k: 3, replyIn: "en" });
    const first = english.results[0];
    expect(first).toBeDefined();
    const language = page.locator("#locale");
    await language.selectOption({ label: "Español" });
    try {
      const reply = await send(question);
      const text = (await reply.textContent()) ?? "";
      expect(text).toContain((first?.quote.split("\n")[0] ?? "missing").slice(0, 80));
      expect(await reply.locator(".embed-author").first().textContent()).toBe("Resultado 1");
      expect(await reply.locator(".embed dt").first().textContent()).toBe("Traducción automática");
      for (const name of ["Contexto 1", "Útil", "No útil"]) {
        expect(await reply.getByRole("button", { name, exact: true }).count()).toBe(1);
      }
      const help = await send("/help");
      expect(await help.textContent()).toContain("citas exactas");
    } finally {
      await language.selectOption({ label: "English" });
    }
    const help = await send("/help");
    expect(await help.textContent()).toContain("exact quotes");
  });

  it("in Español, the page's own words, typed-option errors, /stats and the private note are Spanish", async () => {
    const language = page.locator("#locale");
    await language.selectOption({ label: "Español" });
    try {
      expect(await page.getByLabel("Tu idioma de Discord").count()).toBe(1);
      expect(await page.getByLabel("Escríbele al bot").getAttribute("placeholder")).toBe(
        "Haz una pregunta o escribe /help",
      );
      expect(await page.getByRole("button", { name: "Enviar", exact: true }).count()).toBe(1);
      expect(await inPage<string>("document.documentElement.lang")).toBe("es");

      const bad = await send("/ask quién paga results:9");
      expect(await bad.textContent()).toContain('"results" debe ser como máximo 5.');
      const mine = await send("/ask quién paga los vuelos results:1 private:true");
      expect(await mine.locator(".ephemeral-note").textContent()).toBe("Solo tú puedes ver esto");
      const stats = await send("/stats");
      expect(await stats.locator(".embed-title").allTextContents()).toEqual([
        "Últimas 24 horas",
        "Últimos 7 días",
      ]);
      expect(await stats.textContent()).toContain("Preguntas sin respuesta más frecuentes:");
      expect(await page.locator(".msg.user .author").last().textContent()).toBe("Tú");
    } finally {
      await language.selectOption({ label: "English" });
    }
    expect(await page.getByLabel("Your Discord language").count()).toBe(1);
    expect(await page.getByRole("button", { name: "Send", exact: true }).count()).toBe(1);
  });

  it("in Español, the first screen is Spanish, and the API's errors follow Accept-Language", async () => {
    const tab = await openPage(playground.url);
    try {
      const welcome = tab.locator("#welcome");
      await welcome.getByRole("heading", { name: "Try asking" }).waitFor({ timeout: 10_000 });
      await tab.locator("#locale").selectOption({ label: "Español" });
      await welcome
        .getByRole("heading", { name: "Prueba con estas preguntas" })
        .waitFor({ timeout: 10_000 });
      expect(await welcome.textContent()).toContain(
        `Respondo con citas exactas de ${library.sources().length} documentos:`,
      );
      const dated = library.sources().find((s) => /^\d{4}-\d{2}-\d{2}$/u.test(s.published ?? ""));
      const [year, month, day] = (dated?.published ?? "").split("-");
      expect(await welcome.textContent()).toContain(`${day}/${month}/${year}`);
    } finally {
      await tab.close();
    }
    const post = (body: string, locale: string) =>
      fetch(`${playground.url}/api/message`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Accept-Language": locale },
        body,
      });
    expect(await (await post("{", "es-419,es;q=0.9")).json()).toEqual({
      error: "El cuerpo no es JSON válido.",
    });
    expect(await (await post('{"text": 42}', "es-ES")).json()).toEqual({
      error: '"text" debe ser una cadena de texto.',
    });
    expect(await (await post("{", "en-US")).json()).toEqual({
      error: "The body is not valid JSON.",
    });
    const suggested = await fetch(
      `${playground.url}/api/autocomplete?text=${encodeURIComponent("/he")}&locale=es-ES`,
    );
    expect(await suggested.json()).toEqual({
      choices: [{ name: "/help: Cómo hacerme preguntas", value: "/help " }],
    });
    // A locale that is no language's is English, whatever its name.
    const odd = await fetch(
      `${playground.url}/api/autocomplete?text=${encodeURIComponent("/he")}&locale=__proto__`,
    );
    expect(await odd.json()).toEqual({
      choices: [{ name: "/help: How to ask me questions", value: "/help " }],
    });
  });
});
