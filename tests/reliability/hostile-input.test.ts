import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { questionFrom, questionLine } from "../../src/replies/render.ts";
import { LIMITS } from "../../src/replies/reply.ts";
import { Library } from "../../src/search/library.ts";
import { MAX_QUESTION_LENGTH } from "../../src/text/limits.ts";
import { SAMPLE_CORPUS } from "../fixtures/helpers.ts";
import { answerSchema } from "../support/answer-contract.ts";
import {
  ask,
  closeHarnesses,
  failedRequests,
  limitProblems,
  startHarness,
} from "../support/bot-harness.ts";
import { runAsk } from "../support/cli.ts";
import { hostileQuestions, illFormedStrings, LONG_QUESTION_CHARS } from "../support/hostile.ts";
import type { JsonBody } from "../support/loopback-discord.ts";

/** Hostile questions: through the engine, through Discord (/ask and DMs), through the CLI. */

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => {
  process.on("unhandledRejection", onUnhandled);
});
afterAll(() => {
  process.off("unhandledRejection", onUnhandled);
});
afterEach(closeHarnesses);

/** What every reply must be, whatever the question: sendable, within limits, no pings. */
function expectValidReply(body: JsonBody, question: string): void {
  const what = JSON.stringify(question.slice(0, 80));
  expect(limitProblems(body), what).toEqual([]);
  expect(illFormedStrings(body), what).toEqual([]);
  expect(body.allowed_mentions?.parse, what).toEqual([]);
  expect(Boolean(body.content) || (body.embeds?.length ?? 0) > 0, what).toBe(true);
}

describe("hostile questions", () => {
  test("the question line shows at most MAX_QUESTION_LENGTH characters of any question", () => {
    // Escaping markdown costs time quadratic in a line's length: a whole 6,000-character
    // question took half a second, a blocked event loop for everyone else.
    for (const question of hostileQuestions(500, 3)) {
      const line = questionLine(question);
      expect(line.length).toBeLessThanOrEqual(LIMITS.content);
      const shown = questionFrom(line) ?? "";
      expect(shown.length).toBeLessThanOrEqual(MAX_QUESTION_LENGTH);
      expect(
        question
          .replace(/\s+/gu, " ")
          .trim()
          .replace(/\p{Cs}/gu, "\ufffd"),
      ).toContain(shown);
    }
  });

  test("10,000 through the engine: no throw, a valid Answer quoting the documents verbatim", async () => {
    const library = await Library.open(SAMPLE_CORPUS);
    const texts = new Map(library.documents.map((d) => [d.source.id, d.text]));
    const questions = hostileQuestions(10_000);
    // The generator covers what the issue lists.
    expect(questions.filter((q) => q === "").length).toBeGreaterThan(50);
    expect(questions.filter((q) => q.length === LONG_QUESTION_CHARS).length).toBeGreaterThan(100);
    expect(questions.some((q) => /\p{Cs}/u.test(q))).toBe(true);
    expect(questions.some((q) => q.includes("@everyone"))).toBe(true);
    expect(questions.some((q) => q.includes("```"))).toBe(true);
    let answered = 0;
    for (const question of questions) {
      const answer = library.answer(question);
      const parsed = answerSchema.safeParse(answer);
      if (!parsed.success) throw new Error(`${JSON.stringify(question)}: ${parsed.error.message}`);
      expect(answer.question).toBe(question);
      for (const result of answer.results) {
        if (!texts.get(result.source.id)?.includes(result.quote)) {
          throw new Error(`${JSON.stringify(question)}: quote not verbatim: ${result.quote}`);
        }
      }
      if (answer.answered) answered += 1;
    }
    // Corpus words mixed into the noise do find answers: the engine is not just abstaining.
    expect(answered).toBeGreaterThan(50);
  });

  test("200 through /ask and DMs: each answered once, within Discord's limits, no mentions", async () => {
    const { server, bot } = await startHarness();
    const questions = hostileQuestions(200, 7);
    // One user per question of a wave, so each DM channel has one question in flight.
    const users = Array.from({ length: 50 }, (_, i) => server.addUser({ username: `hostile${i}` }));
    const library = bot.library;
    const originalAnswer = library.answer.bind(library);
    const thrown: unknown[] = [];
    library.answer = (question, options) => {
      try {
        return originalAnswer(question, options);
      } catch (error) {
        thrown.push(error);
        throw error;
      }
    };
    // In waves of 50, as a busy server would send them.
    for (let start = 0; start < questions.length; start += 50) {
      const wave = questions.slice(start, start + 50);
      await Promise.all(
        wave.map(async (question, i) => {
          const user = users[i];
          if ((start + i) % 2 === 0) {
            const handle = ask(server, { question }, { user });
            expectValidReply(await handle.reply(20_000), question);
            expect(handle.followUps).toEqual([]);
          } else {
            const sent = server.message({ content: question, dm: true, user });
            const [reply] = await sent.replies(1, 20_000);
            expectValidReply(reply, question);
            expect(reply.message_reference?.message_id).toBe(sent.messageId);
          }
        }),
      );
    }
    await bot.router.drain();
    expect(thrown).toEqual([]);
    expect(unhandled).toEqual([]);
    expect(failedRequests(server)).toEqual([]);
    // Exactly one reply each: one callback per interaction, one message per DM.
    const callbacks = server.requests.filter((r) => /\/callback(?:\?|$)/u.test(r.path));
    const dmReplies = server.requests.filter(
      (r) => r.method === "POST" && /\/channels\/\d+\/messages/u.test(r.path),
    );
    expect(callbacks).toHaveLength(100);
    expect(dmReplies).toHaveLength(100);
  });
});

/** Runs `npm run ask -- --batch` on raw stdin bytes. */
function batch(input: Buffer): ReturnType<typeof runAsk> {
  return runAsk(["--batch"], { CORPUS_DIR: SAMPLE_CORPUS }, input);
}

describe("ask --batch on hostile lines", () => {
  test("prints exactly one JSON Answer per input line, in order, whatever the line holds", async () => {
    const lines = [
      ...hostileQuestions(400, 11).map((q) => q.replaceAll("\n", " ")),
      "carriage\rreturn inside",
      "\r",
      "crlf line\r",
      "lone \ud800 surrogate",
      "\udfff",
      "paragraph\u2028separator\u2029and\u0085next line",
      "",
    ];
    const bytes = Buffer.concat([
      Buffer.from(lines.join("\n"), "utf8"),
      // Bytes that are not UTF-8 at all, on a line of their own, and no final newline.
      Buffer.from([0x0a, 0xff, 0xfe, 0x80, 0x41]),
    ]);
    const { code, stdout, stderr } = await batch(bytes);
    expect(code, stderr).toBe(0);
    expect(stdout.endsWith("\n")).toBe(true);
    const out = stdout.slice(0, -1).split("\n");
    expect(out).toHaveLength(lines.length + 1);
    // What the CLI reads back: UTF-8 (a lone surrogate or a bad byte is U+FFFD), a CRLF's "\r" dropped.
    const expected = [...lines, "\ufffd\ufffd\ufffdA"].map((line) =>
      Buffer.from(line, "utf8").toString("utf8").replace(/\r$/u, ""),
    );
    out.forEach((line, i) => {
      const answer = answerSchema.parse(JSON.parse(line));
      expect(answer.question, `line ${i + 1}`).toBe(expected[i]);
    });
  });
});
