import { PermissionFlagsBits, SlashCommandBuilder } from "discord.js";
import type { FileNote } from "../src/corpus/load.ts";
import { printable } from "../src/log.ts";
import { type Messages, messages } from "../src/replies/messages.ts";
import { escapeMarkup } from "../src/replies/render.ts";
import { LIMITS, type ReplyData, truncate } from "../src/replies/reply.ts";
import type { ReloadReport } from "../src/search/reports.ts";
import type { CommandContext } from "./index.ts";
import { localized } from "./localized.ts";

/** /reload (admins): re-read the corpus folder and say what changed. */

export const data = localized(new SlashCommandBuilder(), "reload").setDefaultMemberPermissions(
  PermissionFlagsBits.ManageGuild,
);

export const requires = "admin";

/** The catalog key of the reply to a user who may not reload. */
export const refusal = "reload.refusal";

export const slow = true;

/** "reload" typed as a message (a DM to the bot) runs this command too. */
export const typed = /^\s*\/?reload\s*$/iu;

export async function execute(ctx: CommandContext): Promise<ReplyData> {
  const t = messages(ctx.language);
  const reports = await ctx.reload();
  return {
    content: truncate(
      reports.map((r, i) => describeReload(r, reports.length > 1 ? i : undefined, t)).join("\n\n"),
      LIMITS.content,
    ),
    ephemeral: true,
  };
}

/** A file name or reason as reply text: control characters escaped, markdown shown as typed. */
const shown = (text: string) => escapeMarkup(printable(text));

/** One report as a few lines a person can read. */
export function describeReload(
  report: ReloadReport,
  shard?: number,
  t: Messages = messages("en"),
): string {
  const where = shard === undefined ? "" : t("reload.shard", { n: shard });
  const list = (files: string[]) => (files.length ? files.map(shown).join(", ") : t("reload.none"));
  if (!report.ok) {
    const serving = report.unreachable
      ? t("reload.unreachable")
      : t("reload.stillServing", {
          documents: t("help.documents", { count: report.before.documents }),
          passages: t("help.passages", { count: report.before.passages }),
        });
    const error = shown(report.error ?? t("reload.unknownError"));
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
  const notes = (key: "reload.skipped" | "reload.warnings", notes: FileNote[]) => {
    if (notes.length) {
      const files = notes.map((n) => `${shown(n.file)} (${shown(n.reason)})`).join("; ");
      lines.push(t(key, { files }));
    }
  };
  notes("reload.skipped", report.skipped);
  notes("reload.warnings", report.warnings);
  return lines.join("\n");
}
