import { readFileSync } from "node:fs";
import { z } from "zod";
import type { Answer } from "../../src/search/engine.ts";

/** Scores answers against a question set: hit@k, MRR, off-topic abstain rate, junk leaks. */

const setSchema = z.object({
  answerable: z.array(z.object({ q: z.string(), gold: z.array(z.string()) })),
  paraphrased: z.array(z.object({ q: z.string(), gold: z.array(z.string()) })),
  off_topic: z.array(z.string()),
  junk_markers: z.array(z.string()),
});

export type QuestionSet = z.infer<typeof setSchema>;

export function readQuestionSet(path: string): QuestionSet {
  return setSchema.parse(JSON.parse(readFileSync(path, "utf8")));
}

/** Lowercase, fold diacritics, straighten curly quotes, collapse whitespace. */
export function normalize(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[‘’‚‛]/gu, "'")
    .replace(/[“”„‟]/gu, '"')
    .replace(/\s+/gu, " ")
    .trim();
}

export interface GroupScore {
  questions: number;
  hit1: number;
  hit3: number;
  mrr: number;
  misses: string[];
}

export interface Scores {
  answerable: GroupScore;
  paraphrased: GroupScore;
  offTopicAbstained: number;
  offTopic: number;
  offTopicLeaks: string[];
  junkLeaks: string[];
}

function rankOf(answer: Answer, gold: readonly string[]): number {
  const golds = gold.map(normalize);
  const i = answer.results.findIndex((r) => golds.some((g) => normalize(r.quote).includes(g)));
  return i < 0 ? Number.POSITIVE_INFINITY : i + 1;
}

function scoreGroup(items: QuestionSet["answerable"], ask: (q: string) => Answer): GroupScore {
  const ranks = items.map((item) => ({ q: item.q, rank: rankOf(ask(item.q), item.gold) }));
  const n = ranks.length || 1;
  return {
    questions: ranks.length,
    hit1: ranks.filter((r) => r.rank <= 1).length / n,
    hit3: ranks.filter((r) => r.rank <= 3).length / n,
    mrr: ranks.reduce((sum, r) => sum + (Number.isFinite(r.rank) ? 1 / r.rank : 0), 0) / n,
    misses: ranks.filter((r) => r.rank > 3).map((r) => r.q),
  };
}

export function evaluate(set: QuestionSet, ask: (q: string) => Answer): Scores {
  const offTopic = set.off_topic.map((q) => ({ q, answer: ask(q) }));
  const markers = set.junk_markers.map(normalize);
  const everything = [...set.answerable, ...set.paraphrased].map((i) => i.q).concat(set.off_topic);
  const junkLeaks = everything.flatMap((q) =>
    ask(q)
      .results.filter((r) => markers.some((m) => normalize(r.quote).includes(m)))
      .map((r) => `${q} -> ${r.quote.slice(0, 80)}`),
  );
  return {
    answerable: scoreGroup(set.answerable, ask),
    paraphrased: scoreGroup(set.paraphrased, ask),
    offTopicAbstained: offTopic.filter((o) => !o.answer.answered && o.answer.results.length === 0)
      .length,
    offTopic: offTopic.length,
    offTopicLeaks: offTopic.filter((o) => o.answer.answered).map((o) => o.q),
    junkLeaks,
  };
}
