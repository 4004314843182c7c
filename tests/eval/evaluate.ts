import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { z } from "zod";
import type { Answer } from "../../src/search/answer.ts";

/**
 * Scores answers against a question set. Three shapes are read into one model: the
 * development set (answerable, paraphrased, off_topic, junk_markers), the chat-style public
 * set (answerable with a `kind`, near_topic, off_topic, spanish) and the external benchmark
 * (answerable with `answers` and the `article` a quote must come from, off_corpus, impossible).
 */

const gold = z.object({ q: z.string(), gold: z.array(z.string()), kind: z.string().optional() });
const external = z.object({
  question: z.string(),
  answers: z.array(z.string()).optional(),
  article: z.string(),
});
const setSchema = z.object({
  answerable: z.array(z.union([gold, external])).default([]),
  paraphrased: z.array(gold).optional(),
  spanish: z.array(gold).optional(),
  off_topic: z.array(z.string()).optional(),
  near_topic: z.array(z.string()).optional(),
  off_corpus: z.array(external).optional(),
  impossible: z.array(external).optional(),
  junk_markers: z.array(z.string()).optional(),
});

/** A question whose answer is known: a hit is a quote holding a gold string (from `article`). */
export interface Answerable {
  q: string;
  gold: string[];
  /** How it is asked (plain, chatty, …); the section name where the set gives none. */
  kind: string;
  article?: string;
}

export interface QuestionSet {
  answerable: Answerable[];
  /** Questions the corpus cannot answer, by group (near_topic, off_topic, off_corpus, …). */
  abstain: Record<string, string[]>;
  junkMarkers: string[];
  /** The corpus folder the set ships with, if any (the external benchmark's `corpus/`). */
  corpus?: string;
}

/** Reads a set of any of the three shapes; `junkMarkers` fills in when the set has none. */
export function readQuestionSet(path: string, junkMarkers: string[] = []): QuestionSet {
  const raw = setSchema.parse(JSON.parse(readFileSync(path, "utf8")));
  const section = (items: z.infer<typeof gold>[] | undefined, kind: string) =>
    (items ?? []).map((i) => ({ q: i.q, gold: i.gold, kind: i.kind ?? kind }));
  const answerable = raw.answerable.map((i) =>
    "q" in i
      ? { q: i.q, gold: i.gold, kind: i.kind ?? "answerable" }
      : { q: i.question, gold: i.answers ?? [], kind: "answerable", article: i.article },
  );
  const abstain: Record<string, string[]> = {};
  for (const [name, list] of [
    ["near_topic", raw.near_topic],
    ["off_topic", raw.off_topic],
    ["off_corpus", raw.off_corpus?.map((i) => i.question)],
    ["impossible", raw.impossible?.map((i) => i.question)],
  ] as const) {
    if (list?.length) abstain[name] = [...list];
  }
  const corpus = join(dirname(path), "corpus");
  return {
    answerable: [
      ...answerable,
      ...section(raw.paraphrased, "paraphrased"),
      ...section(raw.spanish, "spanish"),
    ],
    abstain,
    // A set with a corpus of its own has its own boilerplate, or none.
    junkMarkers: raw.junk_markers ?? (existsSync(corpus) ? [] : junkMarkers),
    ...(existsSync(corpus) ? { corpus } : {}),
  };
}

/** NFKD with marks removed, curly quotes and dashes straightened, lower case, spaces collapsed. */
export function normalize(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[‘’‚‛]/gu, "'")
    .replace(/[“”„‟]/gu, '"')
    .replace(/[‐‑‒–—―]/gu, "-")
    .replace(/\s+/gu, " ")
    .trim();
}

export interface KindScore {
  questions: number;
  hit1: number;
  hit3: number;
  mrr: number;
  /** Share answered `answered: false`. */
  noAnswer: number;
  misses: string[];
}

export interface Scores {
  /** Every answerable question, then each kind of them. */
  overall: KindScore;
  kinds: Record<string, KindScore>;
  /** Share of each abstain group answered `answered: false`, and those answered. */
  abstained: Record<string, { questions: number; rate: number; leaks: string[] }>;
  junkLeaks: string[];
}

function rankOf(answer: Answer, item: Answerable): number {
  const golds = item.gold.map(normalize);
  const i = answer.results.findIndex(
    (r) =>
      (item.article === undefined || r.source.id === item.article) &&
      golds.some((g) => normalize(r.quote).includes(g)),
  );
  return i < 0 ? Number.POSITIVE_INFINITY : i + 1;
}

function scoreKind(rows: { item: Answerable; answer: Answer; rank: number }[]): KindScore {
  const n = rows.length || 1;
  return {
    questions: rows.length,
    hit1: rows.filter((r) => r.rank <= 1).length / n,
    hit3: rows.filter((r) => r.rank <= 3).length / n,
    mrr: rows.reduce((sum, r) => sum + (Number.isFinite(r.rank) ? 1 / r.rank : 0), 0) / n,
    noAnswer: rows.filter((r) => !r.answer.answered).length / n,
    misses: rows.filter((r) => r.rank > 3).map((r) => r.item.q),
  };
}

/** Scores `ask`'s answers to every question of the set, one question at a time. */
export async function evaluate(
  set: QuestionSet,
  ask: (q: string) => Answer | Promise<Answer>,
): Promise<Scores> {
  const rows: { item: Answerable; answer: Answer; rank: number }[] = [];
  for (const item of set.answerable) {
    const answer = await ask(item.q);
    rows.push({ item, answer, rank: rankOf(answer, item) });
  }
  const kinds: Record<string, KindScore> = {};
  for (const kind of new Set(rows.map((r) => r.item.kind))) {
    kinds[kind] = scoreKind(rows.filter((r) => r.item.kind === kind));
  }
  const abstained: Scores["abstained"] = {};
  const abstainAnswers: Answer[] = [];
  for (const [name, questions] of Object.entries(set.abstain)) {
    const answers: Answer[] = [];
    for (const q of questions) answers.push(await ask(q));
    abstainAnswers.push(...answers);
    const leaks = answers.filter((a) => a.answered || a.results.length > 0).map((a) => a.question);
    abstained[name] = {
      questions: questions.length,
      rate: questions.length ? 1 - leaks.length / questions.length : 1,
      leaks,
    };
  }
  const markers = set.junkMarkers.map(normalize);
  const junkLeaks = [...rows.map((r) => r.answer), ...abstainAnswers].flatMap((a) =>
    a.results
      .filter((r) => markers.some((m) => normalize(r.quote).includes(m)))
      .map((r) => `${a.question} -> ${r.quote.slice(0, 80)}`),
  );
  return {
    overall: scoreKind(rows.filter((r) => r.item.kind !== "spanish")),
    kinds,
    abstained,
    junkLeaks,
  };
}
