import { SlashCommandBuilder } from "discord.js";
import { questionFrom, renderAnswer, renderContext, resultIdsFrom } from "../src/discord/render.ts";
import { LIMITS, notice, type ReplyData, truncate } from "../src/discord/reply.ts";
import { localizations, messages } from "../src/replies/messages.ts";
import type { ButtonInput, ButtonReply, Choice, CommandContext, OptionValues } from "./index.ts";

/** /ask: quoted answers with citations, and the buttons under them. */

export const MAX_RESULTS = 5;
export const DEFAULT_RESULTS = 3;
export const MAX_QUESTION_LENGTH = 500;

const en = messages("en");
const RESULTS_RANGE = { max: MAX_RESULTS, default: DEFAULT_RESULTS };

export const data = new SlashCommandBuilder()
  .setName("ask")
  .setNameLocalizations(localizations("name.ask"))
  .setDescription(en("command.ask"))
  .setDescriptionLocalizations(localizations("command.ask"))
  .addStringOption((o) =>
    o
      .setName("question")
      .setNameLocalizations(localizations("name.ask.question"))
      .setDescription(en("command.ask.question"))
      .setDescriptionLocalizations(localizations("command.ask.question"))
      .setRequired(true)
      .setMaxLength(MAX_QUESTION_LENGTH)
      .setAutocomplete(true),
  )
  .addStringOption((o) =>
    o
      .setName("source")
      .setNameLocalizations(localizations("name.ask.source"))
      .setDescription(en("command.ask.source"))
      .setDescriptionLocalizations(localizations("command.ask.source"))
      .setAutocomplete(true),
  )
  .addIntegerOption((o) =>
    o
      .setName("results")
      .setNameLocalizations(localizations("name.ask.results"))
      .setDescription(en("command.ask.results", RESULTS_RANGE))
      .setDescriptionLocalizations(localizations("command.ask.results", RESULTS_RANGE))
      .setMinValue(1)
      .setMaxValue(MAX_RESULTS),
  )
  .addBooleanOption((o) =>
    o
      .setName("private")
      .setNameLocalizations(localizations("name.ask.private"))
      .setDescription(en("command.ask.private"))
      .setDescriptionLocalizations(localizations("command.ask.private")),
  );

export async function execute(ctx: CommandContext, options: OptionValues): Promise<ReplyData> {
  const t = messages(ctx.language);
  const question = typeof options.question === "string" ? options.question.trim() : "";
  if (!question) return notice(t("ask.empty"));
  const results = options.results ?? DEFAULT_RESULTS;
  if (
    typeof results !== "number" ||
    !Number.isInteger(results) ||
    results < 1 ||
    results > MAX_RESULTS
  ) {
    return notice(t("ask.badResults", { max: MAX_RESULTS }));
  }
  const source =
    typeof options.source === "string" && options.source.trim() ? options.source.trim() : undefined;
  if (source !== undefined && !ctx.library.sources().some((s) => s.id === source)) {
    return notice(t("ask.unknownSource"));
  }
  return answerReply(ctx, question, {
    k: results,
    offset: 0,
    ...(source ? { source } : {}),
    ephemeral: options.private === true,
  });
}

/**
 * The reply to a question from any shell: slash command, DM or mention, in the context's
 * language, whatever the question's (detected) language.
 */
export async function answerReply(
  ctx: Pick<CommandContext, "library" | "language">,
  question: string,
  view: { k: number; offset: number; source?: string; ephemeral?: boolean },
): Promise<ReplyData> {
  const answer = await ctx.library.ask(question, {
    k: view.k,
    offset: view.offset,
    ...(view.source ? { source: view.source } : {}),
    replyIn: ctx.language === "es" ? "es" : "en",
  });
  return renderAnswer(answer, { ...view, language: ctx.language });
}

export function autocomplete(
  ctx: CommandContext,
  focused: { name: string; value: string },
): Choice[] {
  const typed = focused.value.trim();
  if (focused.name === "source") {
    const needle = typed.toLowerCase();
    return ctx.library
      .sources()
      .filter(
        (s) => !needle || `${s.title} ${s.outlet ?? ""} ${s.id}`.toLowerCase().includes(needle),
      )
      .slice(0, LIMITS.choices)
      .map((s) => ({
        name: truncate([s.outlet, s.title].filter(Boolean).join(": "), LIMITS.choiceName),
        value: s.id,
      }));
  }
  // Free text stays the first choice, so picking a suggestion is never required.
  const own = typed
    ? [{ name: truncate(typed, LIMITS.choiceName), value: truncate(typed, LIMITS.choiceValue) }]
    : [];
  const ideas = ctx.library.index
    .suggestions(typed, LIMITS.choices)
    .filter((title) => title !== typed)
    .map((title) => ({
      name: truncate(title, LIMITS.choiceName),
      value: truncate(title, LIMITS.choiceValue),
    }));
  return [...own, ...ideas].slice(0, LIMITS.choices);
}

export async function button(ctx: CommandContext, input: ButtonInput): Promise<ButtonReply> {
  switch (input.action) {
    case "more":
      return more(ctx, input);
    case "ctx": {
      // Passage ids contain ":" themselves, so the id is every argument rejoined.
      const context = ctx.library.context(input.args.join(":"));
      return {
        reply: context
          ? renderContext(context, ctx.language)
          : notice(messages(ctx.language)("ask.updated")),
      };
    }
    case "fb":
      return feedback(ctx, input);
    default:
      return { reply: notice(messages(ctx.language)("bot.notMine")) };
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
  const reply = await answerReply(ctx, question, {
    k,
    offset,
    ...(source ? { source } : {}),
    ephemeral: input.message.ephemeral,
  });
  if (!reply.embeds?.length) return { reply: notice(t("ask.noMore")) };
  return { update: reply };
}

async function feedback(ctx: CommandContext, input: ButtonInput): Promise<ButtonReply> {
  const t = messages(ctx.language);
  const vote = input.args[0];
  const question = questionFrom(input.message.content);
  if ((vote !== "up" && vote !== "down") || !question) {
    return { reply: notice(t("ask.lostQuestion")) };
  }
  await ctx.feedback.record(vote, question, resultIdsFrom(input.message.components), ctx.user.id);
  return {
    reply: notice(t(vote === "up" ? "ask.thanksUp" : "ask.thanksDown")),
  };
}
