import { type APIEmbed, ButtonStyle, ComponentType, SlashCommandBuilder } from "discord.js";
import { buttonId } from "../src/replies/custom-id.ts";
import { citationLine, escapeMarkup, markdownLink } from "../src/replies/render.ts";
import { LIMITS, NOT_MINE, notice, type ReplyData, truncate } from "../src/replies/reply.ts";
import type { ButtonInput, ButtonReply, CommandContext } from "./index.ts";

/** /sources: the documents, their citations and passage counts, a page at a time. */

export const PAGE_SIZE = 10;

export const data = new SlashCommandBuilder()
  .setName("sources")
  .setDescription("List the documents I quote from");

export function execute(ctx: CommandContext): ReplyData {
  return page(ctx, 0);
}

export function button(ctx: CommandContext, input: ButtonInput): ButtonReply {
  if (input.action !== "page") {
    return { reply: notice(NOT_MINE) };
  }
  const n = Number(input.args[0]);
  return { update: page(ctx, Number.isInteger(n) && n >= 0 ? n : 0) };
}

function page(ctx: CommandContext, requested: number): ReplyData {
  const all = ctx.library.sources();
  if (all.length === 0) {
    return {
      content:
        "No documents are loaded yet. An admin can add files to the corpus folder and run /reload.",
      ephemeral: true,
    };
  }
  const pages = Math.ceil(all.length / PAGE_SIZE);
  const n = Math.min(requested, pages - 1);
  const embed: APIEmbed = {
    title: `Documents (${all.length})`,
    fields: all.slice(n * PAGE_SIZE, (n + 1) * PAGE_SIZE).map((s) => ({
      name: truncate(s.title, LIMITS.fieldName),
      value: truncate(
        [
          citationLine(s),
          `${s.passages} passages`,
          s.url ? markdownLink("link", s.url) : "",
          `id: \`${s.id}\``,
        ]
          .filter(Boolean)
          .map((part, i) => (i === 0 ? escapeMarkup(part) : part))
          .join(" · "),
        LIMITS.fieldValue,
      ),
    })),
    footer: { text: `Page ${n + 1} of ${pages}` },
  };
  const nav = [
    { label: "Previous", page: n - 1, disabled: n === 0 },
    { label: "Next", page: n + 1, disabled: n >= pages - 1 },
  ].map((b) => ({
    type: ComponentType.Button as const,
    style: ButtonStyle.Secondary as const,
    label: b.label,
    custom_id: buttonId("sources", "page", Math.max(0, b.page), b.label),
    disabled: b.disabled,
  }));
  return {
    embeds: [embed],
    ...(pages > 1 ? { components: [{ type: ComponentType.ActionRow, components: nav }] } : {}),
    ephemeral: true,
  };
}
