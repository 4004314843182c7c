import type { FeedbackEntry } from "./feedback.ts";
import type { QuestionEntry } from "./questions.ts";
import { documentOf } from "./search/entries.ts";

/**
 * What admins see of how the bot is doing (/stats, npm run stats), from the question log
 * and the feedback log, for the last 24 hours and the last 7 days. Votes count per
 * document (a passage id starts with its document's id), so a document keeps its votes
 * over reloads that leave it as it was.
 */

export interface DocumentVotes {
  id: string;
  up: number;
  down: number;
}

export interface WindowStats {
  /** The window in English (the JSON field); src/replies/stats.ts says it in a reader's language. */
  label: string;
  questions: number;
  answered: number;
  up: number;
  down: number;
  /**
   * The most frequent unanswered questions (the same up to case and spaces; shown as first
   * logged), most asked first, then most recently asked.
   */
  unanswered: { question: string; count: number }[];
  /** Unanswered questions logged without their text (LOG_QUESTIONS=off). */
  unansweredWithoutText: number;
  /** Documents with more 👍 than 👎, best first. */
  liked: DocumentVotes[];
  /** Documents with at least as many 👎 as 👍 (and one or more 👎), worst first. */
  disliked: DocumentVotes[];
}

const HOUR = 60 * 60 * 1000;
/** `title` is the window's catalog key (src/replies/locales). */
export const WINDOWS = [
  { label: "Last 24 hours", title: "stats.day", ms: 24 * HOUR },
  { label: "Last 7 days", title: "stats.week", ms: 7 * 24 * HOUR },
] as const;
export const TOP_UNANSWERED = 10;
export const TOP_DOCUMENTS = 5;

/** The stats of each window in WINDOWS, ending at `now`. */
export function summarize(
  questions: readonly QuestionEntry[],
  feedback: readonly FeedbackEntry[],
  now: number = Date.now(),
): WindowStats[] {
  return WINDOWS.map(({ label, ms }) => {
    const within = (time: string) => {
      const at = Date.parse(time);
      return at > now - ms && at <= now;
    };
    const asked = questions.filter((q) => within(q.time));
    const votes = feedback.filter((f) => within(f.time));
    const missed = asked.filter((q) => !q.answered);
    const documents = documentVotes(votes);
    return {
      label,
      questions: asked.length,
      answered: asked.length - missed.length,
      up: votes.filter((v) => v.vote === "up").length,
      down: votes.filter((v) => v.vote === "down").length,
      unanswered: mostFrequent(missed),
      unansweredWithoutText: missed.filter((q) => typeof q.question !== "string").length,
      liked: documents
        .filter((d) => d.up > d.down)
        .sort((a, b) => b.up - b.down - (a.up - a.down) || b.up - a.up)
        .slice(0, TOP_DOCUMENTS),
      disliked: documents
        .filter((d) => d.down > 0 && d.down >= d.up)
        .sort((a, b) => b.down - b.up - (a.down - a.up) || b.down - a.down)
        .slice(0, TOP_DOCUMENTS),
    };
  });
}

/** Each vote counts once for every document among the passages it was given on. */
function documentVotes(votes: readonly FeedbackEntry[]): DocumentVotes[] {
  const byId = new Map<string, DocumentVotes>();
  for (const vote of votes) {
    for (const id of new Set(vote.results.map(documentOf))) {
      const counts = byId.get(id) ?? { id, up: 0, down: 0 };
      counts[vote.vote === "up" ? "up" : "down"] += 1;
      byId.set(id, counts);
    }
  }
  return [...byId.values()];
}

function mostFrequent(missed: readonly QuestionEntry[]): WindowStats["unanswered"] {
  const byKey = new Map<string, { question: string; count: number; last: number }>();
  missed.forEach((entry, order) => {
    if (typeof entry.question !== "string") return;
    const question = entry.question.trim().replace(/\s+/gu, " ");
    const key = question.toLowerCase();
    const seen = byKey.get(key);
    byKey.set(key, {
      question: seen?.question ?? question,
      count: (seen?.count ?? 0) + 1,
      last: order,
    });
  });
  return [...byKey.values()]
    .sort((a, b) => b.count - a.count || b.last - a.last)
    .slice(0, TOP_UNANSWERED)
    .map(({ question, count }) => ({ question, count }));
}
