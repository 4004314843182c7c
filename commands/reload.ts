import { PermissionFlagsBits, SlashCommandBuilder } from "discord.js";
import { plain } from "../src/discord/render.ts";
import { LIMITS, notice, type ReplyData, truncate } from "../src/discord/reply.ts";
import { localizations, type Messages, messages } from "../src/replies/messages.ts";
import type { ReloadReport } from "../src/search/library.ts";
import type { CommandContext } from "./index.ts";

/** /reload (admins): re-read the corpus folder and say what changed. */

export const data = new SlashCommandBuilder()
  .setName("reload")
  .setNameLocalizations(localizations("name.reload"))
  .setDescription(messages("en")("command.reload"))
  .setDescriptionLocalizations(localizations("command.reload"))
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild);

export const slow = true;

/** "reload" typed as a message (a DM to the bot) runs this command too. */
export const TYPED_RELOAD = /^\s*\/?reload\s*$/iu;

export async function execute(ctx: CommandContext): Promise<ReplyData> {
  const t = messages(ctx.language);
  if (!ctx.user.admin) return notice(t("reload.refusal"));
  const reports = await ctx.reload();
  return {
    content: truncate(
      reports.map((r, i) => describeReload(r, reports.length > 1 ? i : undefined, t)).join("\n\n"),
      LIMITS.content,
    ),
    ephemeral: true,
  };
}

/** One report as a few lines a person can read. */
export function describeReload(
  report: ReloadReport,
  shard?: number,
  t: Messages = messages("en"),
): string {
  const where = shard === undefined ? "" : t("reload.shard", { n: shard });
  const list = (files: string[]) => (files.length ? files.map(plain).join(", ") : t("reload.none"));
  if (!report.ok) {
    const serving = report.unreachable
      ? t("reload.unreachable")
      : t("reload.stillServing", {
          documents: t("help.documents", { count: report.before.documents }),
          passages: t("help.passages", { count: report.before.passages }),
        });
    const error = plain(report.error ?? t("reload.unknownError"));
    return `${t("reload.failed", { where, error })}\n${serving}`;
  }
  const lines = [
    t("reload.done", { where, ms: report.ms }),
    t("reload.counts", {
      before: report.before.documents,
      after: report.after.documents,
      passagesBefore: report.before.passages,
      passagesAfter: report.after.passages,
    }),
    t("reload.added", { files: list(report.added) }),
    t("reload.removed", { files: list(report.removed) }),
    t("reload.changed", { files: list(report.changed) }),
  ];
  if (report.skipped.length) {
    const files = report.skipped.map((s) => `${plain(s.file)} (${plain(s.reason)})`).join("; ");
    lines.push(t("reload.skipped", { files }));
  }
  return lines.join("\n");
}
