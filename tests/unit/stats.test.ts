import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { FeedbackLog } from "../../src/feedback.ts";
import { QUESTIONS_FILE, readQuestionLog } from "../../src/questions.ts";
import { messages } from "../../src/replies/messages.ts";
import { statsLines, windowTitle } from "../../src/replies/stats.ts";
import { summarize, type WindowStats } from "../../src/stats.ts";

/**
 * The figures of /stats and npm run stats, from the logs in tests/fixtures/logs: a question
 * log rotated once (questions.jsonl.1 holds the older lines; the newest line is torn) and a
 * feedback log. "Now" is 2026-03-01 12:00 UTC.
 */

const LOGS = join(import.meta.dirname, "..", "fixtures", "logs");
const NOW = Date.parse("2026-03-01T12:00:00.000Z");

async function windows(): Promise<WindowStats[]> {
  const questions = await readQuestionLog(join(LOGS, QUESTIONS_FILE));
  return summarize(questions, await new FeedbackLog(LOGS).read(), NOW);
}

describe("summarize", () => {
  test("reads the rotated log too, and skips a torn line", async () => {
    const questions = await readQuestionLog(join(LOGS, QUESTIONS_FILE));
    expect(questions).toHaveLength(9);
    expect(questions[0]?.question).toBe("Where is the ferry?");
  });

  test("the last 24 hours: questions, share answered, votes, unanswered, documents", async () => {
    const [day] = await windows();
    expect(day).toEqual({
      label: "Last 24 hours",
      questions: 5,
      answered: 1,
      up: 2,
      down: 1,
      unanswered: [
        { question: "What is the price of cheese?", count: 2 },
        { question: "Where is the ferry?", count: 1 },
      ],
      unansweredWithoutText: 1,
      // One vote counts once per document, however many of its passages the answer showed.
      liked: [{ id: "cbs-us-panama-deportation-agreement", up: 2, down: 0 }],
      disliked: [{ id: "christian-post-us-pays-panama-flights", up: 1, down: 1 }],
    });
  });

  test("the last 7 days take in older lines, and nothing older than 7 days", async () => {
    const [, week] = await windows();
    expect(week?.label).toBe("Last 7 days");
    expect(week?.questions).toBe(8);
    expect(week?.answered).toBe(2);
    expect([week?.up, week?.down]).toEqual([3, 3]);
    expect(week?.unanswered).toEqual([
      { question: "Where is the ferry?", count: 3 },
      { question: "What is the price of cheese?", count: 2 },
    ]);
    expect(week?.liked.map((d) => d.id)).toEqual(["cbs-us-panama-deportation-agreement"]);
    expect(week?.disliked[0]).toEqual({
      id: "state-dept-us-panama-removal-flights",
      up: 0,
      down: 2,
    });
    expect(
      week?.disliked
        .slice(1)
        .map((d) => d.id)
        .sort(),
    ).toEqual([
      "al-jazeera-us-delegation-panama-migration",
      "christian-post-us-pays-panama-flights",
    ]);
  });

  test("a document's votes count by document, whatever its passages' text hashes", () => {
    const vote = (time: string, passage: string) => ({
      time,
      vote: "up" as const,
      question: "q",
      results: [passage],
      user: "u",
    });
    const [day] = summarize(
      [],
      [
        vote("2026-03-01T10:00:00.000Z", "doc-a:0:aaaaaaaa"),
        vote("2026-03-01T11:00:00.000Z", "doc-a:4:bbbbbbbb"),
      ],
      NOW,
    );
    expect(day?.liked).toEqual([{ id: "doc-a", up: 2, down: 0 }]);
  });

  test("keeps the 10 most frequent unanswered questions", () => {
    const entries = Array.from({ length: 12 }, (_, i) =>
      Array.from({ length: i + 1 }, () => ({
        time: "2026-03-01T10:00:00.000Z",
        answered: false,
        results: [],
        user: "u",
        source: null,
        locale: null,
        question: `question ${i}`,
      })),
    ).flat();
    const [day] = summarize(entries, [], NOW);
    expect(day?.unanswered.map((u) => u.count)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
  });
});

describe("statsLines", () => {
  test("says each figure in words, and names documents and quotes text as told", async () => {
    const [day] = await windows();
    if (!day) throw new Error("no window");
    const lines = statsLines(day, {
      name: (id) => `Title of ${id}`,
      quote: (text) => `«${text}»`,
    });
    expect(lines).toEqual([
      "Questions: 5 (20 % answered)",
      "Feedback: 👍 2 · 👎 1",
      "Most frequent unanswered questions:",
      "1. «What is the price of cheese?» (2×)",
      "2. «Where is the ferry?» (1×)",
      "(1 more logged without their text)",
      "Most liked documents:",
      "1. «Title of cbs-us-panama-deportation-agreement»: 👍 2 · 👎 0",
      "Least liked documents:",
      "1. «Title of christian-post-us-pays-panama-flights»: 👍 1 · 👎 1",
    ]);
  });

  test("an empty log reads as none", () => {
    const [day] = summarize([], [], NOW);
    if (!day) throw new Error("no window");
    expect(statsLines(day)).toEqual([
      "Questions: 0",
      "Feedback: 👍 0 · 👎 0",
      "Most frequent unanswered questions:",
      "none",
      "Most liked documents:",
      "none",
      "Least liked documents:",
      "none",
    ]);
  });

  test("in Spanish: the window's name, each figure and the plural of a count", async () => {
    const [day, week] = await windows();
    if (!day || !week) throw new Error("no window");
    const t = messages("es");
    expect([windowTitle(day, t), windowTitle(week, t)]).toEqual([
      "Últimas 24 horas",
      "Últimos 7 días",
    ]);
    expect(statsLines(day, { t })).toEqual([
      "Preguntas: 5 (20 % respondidas)",
      "Valoraciones: 👍 2 · 👎 1",
      "Preguntas sin respuesta más frecuentes:",
      "1. What is the price of cheese? (2×)",
      "2. Where is the ferry? (1×)",
      "(1 más registrada sin su texto)",
      "Documentos más valorados:",
      "1. cbs-us-panama-deportation-agreement: 👍 2 · 👎 0",
      "Documentos menos valorados:",
      "1. christian-post-us-pays-panama-flights: 👍 1 · 👎 1",
    ]);
    const [empty] = summarize([], [], NOW);
    if (!empty) throw new Error("no window");
    expect(statsLines(empty, { t })).toEqual([
      "Preguntas: 0",
      "Valoraciones: 👍 0 · 👎 0",
      "Preguntas sin respuesta más frecuentes:",
      "ninguna",
      "Documentos más valorados:",
      "ninguno",
      "Documentos menos valorados:",
      "ninguno",
    ]);
  });
});
