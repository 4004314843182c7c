import type { Source } from "../corpus/load.ts";
import { formatDate, messages } from "../replies/messages.ts";
import type { Library } from "../search/library.ts";
import { escapeHtml } from "./render.ts";

/**
 * The playground's first screen, made from the loaded corpus: how many documents the bot
 * knows, the newest with their outlets and dates, and example questions to click. The
 * examples are the titles of the newest documents that the bot answers when asked.
 */

export interface Welcome {
  documents: number;
  /** The newest documents first; those without a date last. */
  newest: Source[];
  examples: string[];
}

export const SHOWN_DOCUMENTS = 8;
export const EXAMPLES = 5;
/** Titles tried as examples: enough for five, few enough to answer at once on a large corpus. */
const CANDIDATES = 25;
/** Shorter titles say too little to ask about. */
const MIN_EXAMPLE_LENGTH = 12;

export function welcome(library: Library): Welcome {
  const sources = library.sources();
  const examples: string[] = [];
  for (const source of sources.slice(0, CANDIDATES)) {
    if (examples.length === EXAMPLES) break;
    const question = source.title.replace(/\s+/gu, " ").trim();
    if (question.length < MIN_EXAMPLE_LENGTH || examples.includes(question)) continue;
    if (library.answer(question, { k: 1 }).answered) examples.push(question);
  }
  return { documents: sources.length, newest: sources.slice(0, SHOWN_DOCUMENTS), examples };
}

/** Text from the catalog as HTML, with its `{command}` shown as code. */
function withCommand(text: string, command: string): string {
  return escapeHtml(text).replace("{command}", `<code>${escapeHtml(command)}</code>`);
}

/** The first screen as HTML, in `language`: every piece of text escaped. */
export function renderWelcome(w: Welcome, language: string): string {
  const t = messages(language);
  const documents = w.newest
    .map((s) => {
      const date = s.published ? formatDate(language, s.published) : t("playground.welcome.noDate");
      const meta = [s.outlet, date].filter(Boolean).join(" · ");
      return `<li><span class="doc-title">${escapeHtml(s.title)}</span> <span class="doc-meta">${escapeHtml(meta)}</span></li>`;
    })
    .join("");
  const more = w.documents - w.newest.length;
  const examples = w.examples
    .map(
      (q) =>
        `<li><button type="button" class="btn btn-secondary example" data-question="${escapeHtml(q)}">${escapeHtml(q)}</button></li>`,
    )
    .join("");
  const count = { documents: t("help.documents", { count: w.documents }) };
  const intro =
    more > 0 ? t("playground.welcome.introNewest", count) : t("playground.welcome.intro", count);
  return [
    `<h2>${escapeHtml(t("playground.welcome.title"))}</h2>`,
    w.documents
      ? `<p>${escapeHtml(intro)}</p><ul class="documents">${documents}</ul>`
      : `<p>${withCommand(t("playground.welcome.empty"), "/reload")}</p>`,
    more > 0
      ? `<p>${withCommand(t("playground.welcome.more", { count: more }), "/sources")}</p>`
      : "",
    examples
      ? `<h2>${escapeHtml(t("playground.welcome.try"))}</h2><ul class="examples">${examples}</ul>`
      : "",
  ].join("");
}
