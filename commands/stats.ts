import { PermissionFlagsBits, SlashCommandBuilder } from "discord.js";
import { plain } from "../src/discord/render.ts";
import { notice, type ReplyData, truncate } from "../src/discord/reply.ts";
import { statsLines, summarize } from "../src/stats.ts";
import type { CommandContext } from "./index.ts";

/** /stats (admins, private): questions, answers and 👍/👎 over the last 24 hours and 7 days. */

export const data = new SlashCommandBuilder()
  .setName("stats")
  .setDescription("Admins: questions asked, unanswered questions and feedback")
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild);

/** Reads both logs (up to 20 MB each): the shell defers first. */
export const slow = true;

/** The most of a question or title a line shows: both windows must fit one message. */
const SHOWN = 120;

export const REFUSAL =
  "Sorry, only admins can see the stats (Manage Server permission, or the bot's admin list).";

export async function execute(ctx: CommandContext): Promise<ReplyData> {
  if (!ctx.user.admin) return notice(REFUSAL);
  const [questions, feedback] = await Promise.all([ctx.questions.read(), ctx.feedback.read()]);
  const titles = new Map(ctx.library.sources().map((s) => [s.id, s.title]));
  return {
    ephemeral: true,
    embeds: summarize(questions, feedback).map((window) => ({
      title: window.label,
      description: statsLines(window, {
        name: (id) => titles.get(id) ?? id,
        quote: (text) => plain(truncate(text, SHOWN)),
      }).join("\n"),
    })),
  };
}
