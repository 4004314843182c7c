import { PermissionFlagsBits, SlashCommandBuilder } from "discord.js";
import type { FileNote } from "../src/corpus/load.ts";
import { printable } from "../src/log.ts";
import { escapeMarkup } from "../src/replies/render.ts";
import { LIMITS, type ReplyData, truncate } from "../src/replies/reply.ts";
import type { ReloadReport } from "../src/search/library.ts";
import type { CommandContext } from "./index.ts";

/** /reload (admins): re-read the corpus folder and say what changed. */

export const data = new SlashCommandBuilder()
  .setName("reload")
  .setDescription("Admins: reload the documents from disk")
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild);

export const requires = "admin";

export const refusal =
  "Sorry, only admins can reload the documents (Manage Server permission, or the bot's admin list).";

export const slow = true;

/** "reload" typed as a message (a DM to the bot) runs this command too. */
export const typed = /^\s*\/?reload\s*$/iu;

export async function execute(ctx: CommandContext): Promise<ReplyData> {
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
const shown = (text: string) => escapeMarkup(printable(text));
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
