import { PermissionFlagsBits, SlashCommandBuilder } from "discord.js";
import { localizations, messages } from "../src/replies/messages.ts";
import { escapeMarkup } from "../src/replies/render.ts";
import { type ReplyData, truncate } from "../src/replies/reply.ts";
import { statsLines, windowTitle } from "../src/replies/stats.ts";
import { summarize } from "../src/stats.ts";
import type { CommandContext } from "./index.ts";

/** /stats (admins, private): questions, answers and 👍/👎 over the last 24 hours and 7 days. */

export const data = new SlashCommandBuilder()
  .setName("stats")
  .setNameLocalizations(localizations("name.stats"))
  .setDescription(messages("en")("command.stats"))
  .setDescriptionLocalizations(localizations("command.stats"))
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild);

/** Reads both logs (up to 20 MB each): the shell defers first. */
export const slow = true;

/** The most of a question or title a line shows: both windows must fit one message. */
const SHOWN = 120;

export const requires = "admin";
/** The catalog key of the reply to a user who may not see the stats. */
export const refusal = "stats.refusal";

export async function execute(ctx: CommandContext): Promise<ReplyData> {
  const [questions, feedback] = await Promise.all([ctx.questions.read(), ctx.feedback.read()]);
  const titles = new Map(ctx.library.sources().map((s) => [s.id, s.title]));
  const t = messages(ctx.language);
  return {
    ephemeral: true,
    embeds: summarize(questions, feedback).map((window) => ({
      title: windowTitle(window, t),
      description: statsLines(window, {
        t,
        name: (id) => titles.get(id) ?? id,
        quote: (text) => escapeMarkup(truncate(text, SHOWN)),
      }).join("\n"),
    })),
  };
}
