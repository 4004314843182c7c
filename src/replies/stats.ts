import { type DocumentVotes, WINDOWS, type WindowStats } from "../stats.ts";
import { type Messages, messages } from "./messages.ts";

/** The stats of a window as text (/stats, npm run stats), in the reader's language. */

export interface StatsText {
  /** The reader's language (default English). */
  t?: Messages;
  /** How a document is named (e.g. its title); default its id. */
  name?(id: string): string;
  /** Applied to text from outside (questions, document names), e.g. to escape markdown. */
  quote?(text: string): string;
}

/** A window's name in the reader's language. */
export function windowTitle(stats: WindowStats, t: Messages = messages("en")): string {
  const window = WINDOWS.find((w) => w.label === stats.label);
  return window ? t(window.title) : stats.label;
}

/** One window as lines a person can read; the same lines for Discord and the terminal. */
export function statsLines(stats: WindowStats, text: StatsText = {}): string[] {
  const t = text.t ?? messages("en");
  const quote = text.quote ?? ((s: string) => s);
  const name = (id: string) => quote(text.name?.(id) ?? id);
  const share = stats.questions ? Math.round((100 * stats.answered) / stats.questions) : 0;
  const votes = (d: DocumentVotes) => `${name(d.id)}: 👍 ${d.up} · 👎 ${d.down}`;
  const list = (items: string[], none: string) =>
    items.length ? items.map((item, i) => `${i + 1}. ${item}`) : [none];
  const lines = [
    stats.questions
      ? t("stats.questionsAnswered", { count: stats.questions, share })
      : t("stats.questions", { count: stats.questions }),
    t("stats.feedback", { up: stats.up, down: stats.down }),
    t("stats.unanswered"),
    ...list(
      stats.unanswered.map((u) => `${quote(u.question)} (${u.count}×)`),
      t("stats.noQuestions"),
    ),
  ];
  if (stats.unansweredWithoutText) {
    lines.push(t("stats.withoutText", { count: stats.unansweredWithoutText }));
  }
  lines.push(
    t("stats.liked"),
    ...list(stats.liked.map(votes), t("stats.noDocuments")),
    t("stats.disliked"),
    ...list(stats.disliked.map(votes), t("stats.noDocuments")),
  );
  return lines;
}
