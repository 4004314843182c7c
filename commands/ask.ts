import { SlashCommandBuilder } from "discord.js";
import { messages } from "../src/replies/messages.ts";
import {
  type AnswerView,
  questionFrom,
  renderAnswer,
  renderContext,
  resultIdsFrom,
} from "../src/replies/render.ts";
import { LIMITS, notice, type ReplyData, truncate } from "../src/replies/reply.ts";
import type { LocalizedAnswer } from "../src/search/crosslingual.ts";
import type { SourceSummary } from "../src/search/sources.ts";
import { MAX_QUESTION_LENGTH } from "../src/text/limits.ts";
import type { ButtonInput, ButtonReply, Choice, CommandContext, OptionValues } from "./index.ts";
import { localized } from "./localized.ts";

/** /ask: quoted answers with citations, and the buttons under them. */

export const MAX_RESULTS = 5;
export const DEFAULT_RESULTS = 3;

const RESULTS_RANGE = { max: MAX_RESULTS, default: DEFAULT_RESULTS };

export const data = localized(new SlashCommandBuilder(), "ask")
  .addStringOption((o) =>
    localized(o, "ask.question")
      .setRequired(true)
      .setMaxLength(MAX_QUESTION_LENGTH)
      .setAutocomplete(true),
  )
  .addStringOption((o) => localized(o, "ask.source").setAutocomplete(true))
  .addIntegerOption((o) =>
    localized(o, "ask.results", RESULTS_RANGE).setMinValue(1).setMaxValue(MAX_RESULTS),
  )
  .addBooleanOption((o) => localized(o, "ask.private"));

export async function execute(ctx: CommandContext, options: OptionValues): Promise<ReplyData> {
  const t = messages(ctx.language);
  const question = typeof options.question === "string" ? options.question.trim() : "";
  if (!question) return notice(t("ask.empty"));
  // Discord and the typed-line reader both hold `results` to the bounds declared in `data`.
  const results = typeof options.results === "number" ? options.results : DEFAULT_RESULTS;
  const source =
    typeof options.source === "string" && options.source.trim() ? options.source.trim() : undefined;
  if (source !== undefined && !ctx.library.sources().some((s) => s.id === source)) {
    const closest = ctx.library.closestSourceIds(source).map((id) => `\`${id}\``);
    const hint = closest.length ? ` ${t("ask.closest", { ids: closest.join(", ") })}` : "";
    return notice(`${t("ask.unknownSource")}${hint}`);
  }
  return questionReply(ctx, question, {
    k: results,
    offset: 0,
    ...(source ? { source } : {}),
    ephemeral: options.private === true,
  });
}

/**
 * The reply to a new question from any shell (slash command, DM, mention, playground), in the
 * context's language whatever the question's, logged in the question log.
 */
export async function questionReply(
  ctx: CommandContext,
  question: string,
  view: AnswerView,
): Promise<ReplyData> {
  const answer = await answerTo(ctx, question, view);
  ctx.questions.record({
    question,
    answered: answer.answered,
    results: answer.results.map((r) => r.passage),
    userId: ctx.user.id,
    source: view.source,
    locale: ctx.locale,
  });
  return renderAnswer(answer, viewFor(ctx, view));
}

/** The reply to a question without logging it: a further page of one asked before. */
export async function answerReply(
  ctx: Pick<CommandContext, "library" | "language" | "staleAfterDays">,
  question: string,
  view: AnswerView,
): Promise<ReplyData> {
  return renderAnswer(await answerTo(ctx, question, view), viewFor(ctx, view));
}

/** The view in the context's language and freshness setting. */
function viewFor(
  ctx: Pick<CommandContext, "language" | "staleAfterDays">,
  view: AnswerView,
): AnswerView {
  return {
    ...view,
    language: ctx.language,
    ...(ctx.staleAfterDays === undefined ? {} : { staleAfterDays: ctx.staleAfterDays }),
  };
}

function answerTo(
  ctx: Pick<CommandContext, "library" | "language">,
  question: string,
  view: AnswerView,
): Promise<LocalizedAnswer> {
  return ctx.library.ask(question, {
    k: view.k,
    offset: view.offset,
    ...(view.source ? { source: view.source } : {}),
    replyIn: ctx.language === "es" ? "es" : "en",
  });
}

export function autocomplete(
  ctx: CommandContext,
  focused: { name: string; value: string },
): Choice[] {
  // No more of the typed value is read than of a question.
  const typed = focused.value.slice(0, MAX_QUESTION_LENGTH).trim();
  if (focused.name === "source") return sourceChoices(ctx, typed.toLowerCase());
  // Free text stays the first choice, so picking a suggestion is never required.
  const own = typed
    ? [{ name: truncate(typed, LIMITS.choiceName), value: truncate(typed, LIMITS.choiceValue) }]
    : [];
  const ideas = ctx.library
    .suggestions(typed, LIMITS.choices)
    .filter((title) => title !== typed)
    .map((title) => ({
      name: truncate(title, LIMITS.choiceName),
      value: truncate(title, LIMITS.choiceValue),
    }));
  return [...own, ...ideas].slice(0, LIMITS.choices);
}

/** The first documents whose title, outlet or id contains `needle`: the scan stops once the list is full. */
function sourceChoices(ctx: CommandContext, needle: string): Choice[] {
  const sources = ctx.library.sources();
  const texts = searchTexts(sources);
  const choices: Choice[] = [];
  for (const [i, s] of sources.entries()) {
    if (choices.length === LIMITS.choices) break;
    if (needle && !texts[i]?.includes(needle)) continue;
    choices.push({
      name: truncate([s.outlet, s.title].filter(Boolean).join(": "), LIMITS.choiceName),
      value: s.id,
    });
  }
  return choices;
}

/** Each source's title, outlet and id in lower case, made once per source list (see Library.sources). */
const SEARCH_TEXTS = new WeakMap<readonly SourceSummary[], string[]>();

function searchTexts(sources: readonly SourceSummary[]): string[] {
  let texts = SEARCH_TEXTS.get(sources);
  if (!texts) {
    texts = sources.map((s) => `${s.title} ${s.outlet ?? ""} ${s.id}`.toLowerCase());
    SEARCH_TEXTS.set(sources, texts);
  }
  return texts;
}

export async function button(ctx: CommandContext, input: ButtonInput): Promise<ButtonReply> {
  const t = messages(ctx.language);
  switch (input.action) {
    case "more":
      return more(ctx, input);
    case "ctx": {
      // Passage ids contain ":" themselves, so the id is every argument rejoined.
      const context = ctx.library.context(input.args.join(":"));
      return { reply: context ? renderContext(context, ctx.language) : notice(t("ask.updated")) };
    }
    case "fb":
      return feedback(ctx, input);
    default:
      return { reply: notice(t("bot.notMine")) };
  }
}

async function more(ctx: CommandContext, input: ButtonInput): Promise<ButtonReply> {
  const t = messages(ctx.language);
  const [offsetText, kText, source] = input.args;
  const offset = Number(offsetText);
  const k = Number(kText);
  const question = questionFrom(input.message.content);
  if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(k) || k < 1 || k > MAX_RESULTS) {
    return { reply: notice(t("bot.notMine")) };
  }
  if (!question) return { reply: notice(t("ask.lostQuestion")) };
  // Only the asker's page replaces the answer everyone sees; anyone else's is theirs alone.
  const mine = input.message.ephemeral || input.message.askedBy === ctx.user.id;
  const reply = await answerReply(ctx, question, {
    k,
    offset,
    ...(source ? { source } : {}),
    ephemeral: !mine || input.message.ephemeral,
  });
  if (!reply.embeds?.length) return { reply: notice(t("ask.noMore")) };
  return mine ? { update: reply } : { reply };
}

async function feedback(ctx: CommandContext, input: ButtonInput): Promise<ButtonReply> {
  const t = messages(ctx.language);
  const vote = input.args[0];
  const question = questionFrom(input.message.content);
  if ((vote !== "up" && vote !== "down") || !question) {
    return { reply: notice(t("ask.lostQuestion")) };
  }
  await ctx.feedback.record(vote, question, resultIdsFrom(input.message.components), ctx.user.id);
  return { reply: notice(t(vote === "up" ? "ask.thanksUp" : "ask.thanksDown")) };
}
