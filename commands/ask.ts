import { SlashCommandBuilder } from "discord.js";
import { questionFrom, renderAnswer, renderContext, resultIdsFrom } from "../src/replies/render.ts";
import { LIMITS, NOT_MINE, notice, type ReplyData, truncate } from "../src/replies/reply.ts";
import { MAX_QUESTION_LENGTH } from "../src/text/limits.ts";
import type { ButtonInput, ButtonReply, Choice, CommandContext, OptionValues } from "./index.ts";

/** /ask: quoted answers with citations, and the buttons under them. */

export const MAX_RESULTS = 5;
export const DEFAULT_RESULTS = 3;

export const data = new SlashCommandBuilder()
  .setName("ask")
  .setDescription("Ask a question; get quoted answers from the documents, with sources")
  .addStringOption((o) =>
    o
      .setName("question")
      .setDescription("Your question, in your own words")
      .setRequired(true)
      .setMaxLength(MAX_QUESTION_LENGTH)
      .setAutocomplete(true),
  )
  .addStringOption((o) =>
    o.setName("source").setDescription("Only quote this document").setAutocomplete(true),
  )
  .addIntegerOption((o) =>
    o
      .setName("results")
      .setDescription(`How many quotes (1-${MAX_RESULTS}, default ${DEFAULT_RESULTS})`)
      .setMinValue(1)
      .setMaxValue(MAX_RESULTS),
  )
  .addBooleanOption((o) => o.setName("private").setDescription("Only you see the answer"));

export function execute(ctx: CommandContext, options: OptionValues): ReplyData {
  const question = typeof options.question === "string" ? options.question.trim() : "";
  if (!question)
    return notice("Please type a question, for example: who pays for the deportation flights?");
  // Discord and the typed-line reader both hold `results` to the bounds declared in `data`.
  const results = typeof options.results === "number" ? options.results : DEFAULT_RESULTS;
  const source =
    typeof options.source === "string" && options.source.trim() ? options.source.trim() : undefined;
  if (source !== undefined && !ctx.library.sources().some((s) => s.id === source)) {
    return notice(
      "I don't know that document. Pick one from the list that appears as you type, or see /sources.",
    );
  }
  return answerReply(ctx, question, {
    k: results,
    offset: 0,
    ...(source ? { source } : {}),
    ephemeral: options.private === true,
  });
}

/** The reply to a question from any shell: slash command, DM or mention. */
export function answerReply(
  ctx: Pick<CommandContext, "library">,
  question: string,
  view: { k: number; offset: number; source?: string; ephemeral?: boolean },
): ReplyData {
  const answer = ctx.library.answer(question, {
    k: view.k,
    offset: view.offset,
    ...(view.source ? { source: view.source } : {}),
  });
  return renderAnswer(answer, view);
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

const UPDATED = "This document was updated since this answer was given. Please ask again.";
const LOST_QUESTION = "I can't tell which question this answer was for any more. Please ask again.";

export async function button(ctx: CommandContext, input: ButtonInput): Promise<ButtonReply> {
  switch (input.action) {
    case "more":
      return more(ctx, input);
    case "ctx": {
      // Passage ids contain ":" themselves, so the id is every argument rejoined.
      const context = ctx.library.context(input.args.join(":"));
      return { reply: context ? renderContext(context) : notice(UPDATED) };
    }
    case "fb":
      return feedback(ctx, input);
    default:
      return { reply: notice(NOT_MINE) };
  }
}

function more(ctx: CommandContext, input: ButtonInput): ButtonReply {
  const [offsetText, kText, source] = input.args;
  const offset = Number(offsetText);
  const k = Number(kText);
  const question = questionFrom(input.message.content);
  if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(k) || k < 1 || k > MAX_RESULTS) {
    return { reply: notice(NOT_MINE) };
  }
  if (!question) return { reply: notice(LOST_QUESTION) };
  const reply = answerReply(ctx, question, {
    k,
    offset,
    ...(source ? { source } : {}),
    ephemeral: input.message.ephemeral,
  });
  if (!reply.embeds?.length)
    return { reply: notice("There are no more results for this question.") };
  return { update: reply };
}

async function feedback(ctx: CommandContext, input: ButtonInput): Promise<ButtonReply> {
  const vote = input.args[0];
  const question = questionFrom(input.message.content);
  if ((vote !== "up" && vote !== "down") || !question) return { reply: notice(LOST_QUESTION) };
  await ctx.feedback.record(vote, question, resultIdsFrom(input.message.components), ctx.user.id);
  return {
    reply: notice(
      vote === "up" ? "Thanks! Glad it helped." : "Thanks, noted. That helps improve the answers.",
    ),
  };
}
