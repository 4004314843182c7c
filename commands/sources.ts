import { type APIEmbed, ButtonStyle, ComponentType, SlashCommandBuilder } from "discord.js";
import { buttonId } from "../src/replies/custom-id.ts";
import { messages } from "../src/replies/messages.ts";
import { citationLine, escapeMarkup, markdownLink } from "../src/replies/render.ts";
import { LIMITS, notice, type ReplyData, truncate } from "../src/replies/reply.ts";
import type { ButtonInput, ButtonReply, CommandContext } from "./index.ts";
import { localized } from "./localized.ts";

/** /sources: the documents, their citations and passage counts, a page at a time. */

export const PAGE_SIZE = 10;

export const data = localized(new SlashCommandBuilder(), "sources");

export function execute(ctx: CommandContext): ReplyData {
  return page(ctx, 0);
}

export function button(ctx: CommandContext, input: ButtonInput): ButtonReply {
  if (input.action !== "page") {
    return { reply: notice(messages(ctx.language)("bot.notMine")) };
  }
  const n = Number(input.args[0]);
  return { update: page(ctx, Number.isInteger(n) && n >= 0 ? n : 0) };
}

function page(ctx: CommandContext, requested: number): ReplyData {
  const all = ctx.library.sources();
  const t = messages(ctx.language);
  if (all.length === 0) return { content: t("sources.none"), ephemeral: true };
  const pages = Math.ceil(all.length / PAGE_SIZE);
  const n = Math.min(requested, pages - 1);
  const embed: APIEmbed = {
    title: t("sources.title", { count: all.length }),
    fields: all.slice(n * PAGE_SIZE, (n + 1) * PAGE_SIZE).map((s) => ({
      name: truncate(s.title, LIMITS.fieldName),
      value: truncate(
        [
          citationLine(s, ctx.language),
          t("sources.passages", { count: s.passages }),
          s.url ? markdownLink(t("sources.link"), s.url) : "",
          `id: \`${s.id}\``,
        ]
          .filter(Boolean)
          .map((part, i) => (i === 0 ? escapeMarkup(part) : part))
          .join(" · "),
        LIMITS.fieldValue,
      ),
    })),
    footer: { text: t("sources.page", { n: n + 1, pages }) },
  };
  const nav = [
    // The English word keeps the two custom ids apart in every language.
    { id: "Previous", label: t("sources.previous"), page: n - 1, disabled: n === 0 },
    { id: "Next", label: t("sources.next"), page: n + 1, disabled: n >= pages - 1 },
  ].map((b) => ({
    type: ComponentType.Button as const,
    style: ButtonStyle.Secondary as const,
    label: b.label,
    custom_id: buttonId("sources", "page", Math.max(0, b.page), b.id),
    disabled: b.disabled,
  }));
  return {
    embeds: [embed],
    ...(pages > 1 ? { components: [{ type: ComponentType.ActionRow, components: nav }] } : {}),
    ephemeral: true,
  };
}
