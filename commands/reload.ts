import { PermissionFlagsBits, SlashCommandBuilder } from "discord.js";
import type { FileNote } from "../src/corpus/load.ts";
import { plain } from "../src/discord/render.ts";
import { LIMITS, notice, type ReplyData, truncate } from "../src/discord/reply.ts";
import { printable } from "../src/log.ts";
import type { ReloadReport } from "../src/search/library.ts";
import type { CommandContext } from "./index.ts";

/** /reload (admins): re-read the corpus folder and say what changed. */

export const data = new SlashCommandBuilder()
  .setName("reload")
  .setDescription("Admins: reload the documents from disk")
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild);

export const slow = true;

export const REFUSAL =
  "Sorry, only admins can reload the documents (Manage Server permission, or the bot's admin list).";

/** "reload" typed as a message (a DM to the bot) runs this command too. */
export const TYPED_RELOAD = /^\s*\/?reload\s*$/iu;

export async function execute(ctx: CommandContext): Promise<ReplyData> {
  if (!ctx.user.admin) return notice(REFUSAL);
  const reports = await ctx.reload();
  return {
    content: truncate(
      reports.map((r, i) => describeReload(r, reports.length > 1 ? i : undefined)).join("\n\n"),
      LIMITS.content,
    ),
    ephemeral: true,
  };
}

/** A file name or reason as reply text: control characters escaped, markdown shown as typed. */
const shown = (text: string) => plain(printable(text));
const list = (files: string[]) => (files.length ? files.map(shown).join(", ") : "none");

/** One report as a few lines a person can read. */
export function describeReload(report: ReloadReport, shard?: number): string {
  const where = shard === undefined ? "" : ` (shard ${shard})`;
  if (!report.ok) {
    const serving = report.unreachable
      ? "What it serves is unknown until it answers: try /reload again in a minute."
      : `Still serving the previous documents (${report.before.documents} documents, ${report.before.passages} passages).`;
    return `**Reload failed${where}**: ${shown(report.error ?? "unknown error")}\n${serving}`;
  }
  const lines = [
    `**Reloaded${where}** in ${report.ms} ms.`,
    `Documents: ${report.before.documents} → ${report.after.documents} · Passages: ${report.before.passages} → ${report.after.passages}`,
    `Added: ${list(report.added)}`,
    `Removed: ${list(report.removed)}`,
    `Changed: ${list(report.changed)}`,
  ];
  const notes = (label: string, notes: FileNote[]) => {
    if (notes.length)
      lines.push(
        `${label}: ${notes.map((n) => `${shown(n.file)} (${shown(n.reason)})`).join("; ")}`,
      );
  };
  notes("Skipped", report.skipped);
  notes("Warnings", report.warnings);
  return lines.join("\n");
}
