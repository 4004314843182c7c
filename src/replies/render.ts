import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
  escapeMarkdown,
} from "discord.js";
import { DEFAULT_STALE_AFTER_DAYS } from "../config.ts";
import type { Source } from "../corpus/load.ts";
import type { Answer, PassageContext } from "../search/answer.ts";
import type { TranslatedResult } from "../search/crosslingual.ts";
import { MAX_QUESTION_LENGTH } from "../text/limits.ts";
import { buttonId } from "./custom-id.ts";
import { staleNote } from "./freshness.ts";
import { DEFAULT_LANGUAGE, formatDate, type Messages, messages } from "./messages.ts";
import { fitEmbeds, LIMITS, type ReplyData, truncate } from "./reply.ts";

/** Answers as Discord messages: one embed per quoted result, its citation, and the buttons. */

const QUESTION_PREFIX = "**Q:** ";
const QUOTE_COLOR = 0x2f6f9f;
const CONTEXT_COLOR = 0x6b7280;

export interface AnswerView {
  k: number;
  offset: number;
  source?: string;
  ephemeral?: boolean;
  /** The reply's language (a catalog in src/replies/locales; default English). */
  language?: string;
  /** Sources older than this many days carry a note (default DEFAULT_STALE_AFTER_DAYS). */
  staleAfterDays?: number;
}

/**
 * Escapes user or corpus text so it shows as typed: no markdown, no headings, no small
 * text, no masked links.
 */
export function escapeMarkup(text: string): string {
  // Each kind of markup is escaped by its own regular expression, some of them slow (the
  // one for _italics_ looks back over the whole text at every position): a kind whose
  // characters the text lacks has nothing to escape, so its expression is skipped.
  const backtick = text.includes("`");
  const star = text.includes("*");
  const underscore = text.includes("_");
  const escaped = escapeMarkdown(text, {
    escape: text.includes("\\"),
    codeBlock: backtick,
    inlineCode: backtick,
    italic: star || underscore,
    bold: star,
    underline: underscore,
    strikethrough: text.includes("~"),
    spoiler: text.includes("|"),
    heading: text.includes("#"),
    bulletedList: star || text.includes("-"),
    numberedList: text.includes("."),
    maskedLink: text.includes("["),
  });
  // escapeMarkdown leaves Discord's small text ("-# " at the start of a line) as it is.
  return escaped.includes("-#") ? escaped.replace(SMALL_TEXT, "$1\\$2") : escaped;
}

const SMALL_TEXT = /^( *)(-#+ )/gmu;

/** The question line that heads every answer; buttons read the question back from it. */
export function questionLine(question: string): string {
  const shown = truncate(question.replace(/\s+/gu, " ").trim(), MAX_QUESTION_LENGTH);
  return truncate(`${QUESTION_PREFIX}${escapeMarkup(shown)}`, LIMITS.content);
}

/** The question a reply was about, read back from its first line (for buttons after a restart). */
export function questionFrom(content: string): string | null {
  const first = content.split("\n")[0] ?? "";
  if (!first.startsWith(QUESTION_PREFIX)) return null;
  return unescapeMarkdown(first.slice(QUESTION_PREFIX.length)).replace(/…$/u, "");
}

function unescapeMarkdown(text: string): string {
  return text.replace(/\\([\\*_`~|>#\-[\]().!:<@])/gu, "$1");
}

// What could end a link's <address> or the link itself, or escape a character in it.
const LINK_CLOSERS = /[\s<>()[\]\\`]/gu;

/**
 * A markdown link nothing can break out of: the label escaped, the address between < and >
 * with every character that could close it percent-encoded. `label` is plain text; `href` an
 * http(s) address (see httpUrl).
 */
export function markdownLink(label: string, href: string): string {
  const address = href.replace(LINK_CLOSERS, (c) =>
    [...Buffer.from(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join(""),
  );
  // A bracket in the label could close it early: each is escaped (plain leaves a lone one).
  const text = label
    .split(/([[\]])/u)
    .map((part, i) => (i % 2 ? `\\${part}` : escapeMarkup(part)))
    .join("");
  return `[${text}](<${address}>)`;
}

export function citationLine(source: Source, language = DEFAULT_LANGUAGE): string {
  const published = source.published ? formatDate(language, source.published) : undefined;
  return [source.outlet, source.author, published].filter(Boolean).join(" · ");
}

/** The quote as a block quote, the key sentence in bold. */
function quoteMarkdown(result: TranslatedResult): string {
  const { quote, highlight } = result;
  const at = highlight ? quote.indexOf(highlight) : -1;
  const body =
    highlight && at >= 0
      ? `${escapeMarkup(quote.slice(0, at))}**${escapeMarkup(highlight)}**${escapeMarkup(quote.slice(at + highlight.length))}`
      : escapeMarkup(quote);
  return `> ${body.replaceAll("\n", "\n> ")}`;
}

function resultEmbed(
  result: TranslatedResult,
  position: number,
  language: string,
  staleAfterDays: number,
): APIEmbed {
  const t = messages(language);
  const embed: APIEmbed = {
    color: QUOTE_COLOR,
    author: { name: t("answer.result", { n: position }) },
    title: truncate(result.source.title, LIMITS.title),
    description: truncate(quoteMarkdown(result), LIMITS.description),
  };
  if (result.source.url) embed.url = result.source.url;
  const note = staleNote(result.source, language, staleAfterDays);
  const footer = [citationLine(result.source, language), note && `⚠️ ${note}`]
    .filter(Boolean)
    .join("\n");
  if (footer) embed.footer = { text: footer };
  const fields = [];
  // The quote stays verbatim; its machine translation sits under it, labelled as such.
  if (result.translation) {
    fields.push({ name: t("answer.translation"), value: escapeMarkup(result.translation) });
  }
  if (result.also?.length) fields.push({ name: t("answer.alsoIn"), value: alsoIn(result.also, t) });
  if (fields.length) embed.fields = fields;
  return embed;
}

/** Whole links while they fit the field, then a count: a cut link would show raw markdown. */
function alsoIn(sources: readonly Source[], t: Messages): string {
  const lines: string[] = [];
  let length = 0;
  for (const [i, source] of sources.entries()) {
    const line = truncate(sourceLink(source), LIMITS.fieldValue - 20);
    const rest = sources.length - i - 1;
    const reserve = rest > 0 ? t("answer.andMore", { count: rest }).length + 1 : 0;
    if (length + line.length + 1 + reserve > LIMITS.fieldValue) {
      lines.push(t("answer.andMore", { count: sources.length - i }));
      break;
    }
    lines.push(line);
    length += line.length + 1;
  }
  return lines.join("\n");
}

function sourceLink(source: Source): string {
  const name = [source.outlet, source.title].filter(Boolean).join(": ");
  return source.url ? markdownLink(name, source.url) : escapeMarkup(name);
}

function button(
  customId: string,
  label: string,
  style: ButtonStyle.Primary | ButtonStyle.Secondary = ButtonStyle.Secondary,
): APIButtonComponent {
  return { type: ComponentType.Button, style, label, custom_id: customId };
}

function row(components: APIButtonComponent[]): APIActionRowComponent<APIButtonComponent> {
  return { type: ComponentType.ActionRow, components };
}

export function renderAnswer(answer: Answer, view: AnswerView): ReplyData {
  const language = view.language ?? DEFAULT_LANGUAGE;
  const t = messages(language);
  if (!answer.answered) return renderNoAnswer(answer, view.ephemeral, language);
  // Results whose embeds do not fit Discord's 6000-character total move to the next page.
  const embeds = fitEmbeds(
    answer.results.map((r, i) =>
      resultEmbed(
        r,
        view.offset + i + 1,
        language,
        view.staleAfterDays ?? DEFAULT_STALE_AFTER_DAYS,
      ),
    ),
  );
  const shown = answer.results.slice(0, embeds.length);
  const contextButtons = shown.map((r, i) =>
    button(buttonId("ask", "ctx", r.passage), t("answer.context", { n: view.offset + i + 1 })),
  );
  const more = answer.more === true || shown.length < answer.results.length;
  const actions = [
    ...(more
      ? [
          button(
            buttonId("ask", "more", view.offset + shown.length, view.k, view.source ?? ""),
            t("answer.more"),
            ButtonStyle.Primary,
          ),
        ]
      : []),
    { ...button(buttonId("ask", "fb", "up"), t("answer.helpful")), emoji: { name: "👍" } },
    { ...button(buttonId("ask", "fb", "down"), t("answer.notHelpful")), emoji: { name: "👎" } },
  ];
  return {
    // An answer that only partly matches says so under the question, which stays the first line.
    content: answer.uncertain
      ? `${questionLine(answer.question)}\n${t("answer.uncertain")}`
      : questionLine(answer.question),
    embeds,
    components: [row(contextButtons), row(actions)],
    ...(view.ephemeral ? { ephemeral: true } : {}),
  };
}

export function renderNoAnswer(
  answer: Answer,
  ephemeral?: boolean,
  language = DEFAULT_LANGUAGE,
): ReplyData {
  const t = messages(language);
  const lines = [questionLine(answer.question), t("noAnswer.text")];
  if (answer.suggestions?.length) {
    lines.push(
      "",
      t("noAnswer.suggestions"),
      ...answer.suggestions.map((s) => `• ${escapeMarkup(s)}`),
    );
  }
  return {
    content: truncate(lines.join("\n"), LIMITS.content),
    ...(ephemeral ? { ephemeral: true } : {}),
  };
}

/** The passage in bold between its neighbours, for "Show context". */
export function renderContext(context: PassageContext, language = DEFAULT_LANGUAGE): ReplyData {
  const parts = [
    ...context.before.map(escapeMarkup),
    `**${escapeMarkup(context.text)}**`,
    ...context.after.map(escapeMarkup),
  ];
  const embed: APIEmbed = {
    color: CONTEXT_COLOR,
    title: truncate(context.source.title, LIMITS.title),
    description: truncate(parts.join("\n\n"), LIMITS.description),
  };
  if (context.source.url) embed.url = context.source.url;
  const footer = citationLine(context.source, language);
  if (footer) embed.footer = { text: footer };
  return { embeds: [embed], ephemeral: true };
}

/** The result passage ids an answer message carries in its "Context" buttons. */
export function resultIdsFrom(
  components: readonly { components?: readonly { custom_id?: string }[] }[],
): string[] {
  const prefix = "ask:ctx:";
  return components
    .flatMap((r) => r.components ?? [])
    .map((c) => c.custom_id ?? "")
    .filter((id) => id.startsWith(prefix))
    .map((id) => id.slice(prefix.length));
}
