import type { APIActionRowComponent, APIButtonComponent, APIEmbed } from "discord.js";
import { messages } from "./messages.ts";

/**
 * Plain reply data: what a command answers, in Discord API JSON. The Discord shell sends
 * it; the playground renders it. `fitReply` cuts any reply to Discord's limits, and the
 * one sender applies it, so no command can exceed them.
 */

export interface ReplyData {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIButtonComponent>[];
  /** Only the asking user sees it. */
  ephemeral?: boolean;
}

export const LIMITS = {
  content: 2000,
  embeds: 10,
  embedTotal: 6000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  rows: 5,
  buttonsPerRow: 5,
  label: 80,
  customId: 100,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
} as const;

/**
 * Cuts text to `max` characters, ending with an ellipsis when cut; never splits a
 * surrogate pair. Lone surrogates (from a hostile question) become U+FFFD: Discord keeps
 * text as UTF-8, which cannot carry them.
 */
export function truncate(raw: string, max: number): string {
  const text = raw.toWellFormed();
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1)).trimEnd();
  if (/[\uD800-\uDBFF]$/u.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

function fitEmbed(embed: APIEmbed): APIEmbed {
  const out: APIEmbed = { ...embed };
  if (out.title !== undefined) out.title = truncate(out.title, LIMITS.title);
  if (out.description !== undefined)
    out.description = truncate(out.description, LIMITS.description);
  if (out.footer) out.footer = { ...out.footer, text: truncate(out.footer.text, LIMITS.footer) };
  if (out.author) out.author = { ...out.author, name: truncate(out.author.name, LIMITS.author) };
  if (out.fields) {
    out.fields = out.fields.slice(0, LIMITS.fields).map((f) => ({
      ...f,
      name: truncate(f.name, LIMITS.fieldName) || "\u200b",
      value: truncate(f.value, LIMITS.fieldValue) || "\u200b",
    }));
  }
  return out;
}

/**
 * Shrinks descriptions, then drops trailing embeds, until all embeds fit 6000 characters.
 * Exported so a renderer can tell which embeds survive and offer the rest elsewhere.
 */
export function fitEmbeds(embeds: APIEmbed[]): APIEmbed[] {
  const out = embeds.slice(0, LIMITS.embeds).map(fitEmbed);
  let total = out.reduce((n, e) => n + embedLength(e), 0);
  for (let i = out.length - 1; i >= 0 && total > LIMITS.embedTotal; i--) {
    const embed = out[i] as APIEmbed;
    const excess = total - LIMITS.embedTotal;
    const description = embed.description ?? "";
    if (description.length > excess + 20) {
      out[i] = { ...embed, description: truncate(description, description.length - excess) };
      total -= description.length - (out[i]?.description?.length ?? 0);
    } else {
      total -= embedLength(embed);
      out.splice(i, 1);
    }
  }
  return out;
}

function fitComponents(
  rows: APIActionRowComponent<APIButtonComponent>[],
): APIActionRowComponent<APIButtonComponent>[] {
  return rows.slice(0, LIMITS.rows).map((row) => ({
    ...row,
    components: row.components.slice(0, LIMITS.buttonsPerRow).map((button) => {
      const fitted = { ...button };
      if ("label" in fitted && fitted.label !== undefined)
        fitted.label = truncate(fitted.label, LIMITS.label);
      if ("custom_id" in fitted && fitted.custom_id.length > LIMITS.customId) {
        throw new Error(
          `custom_id over ${LIMITS.customId} characters: ${fitted.custom_id.slice(0, 40)}…`,
        );
      }
      return fitted;
    }),
  }));
}

/** The same reply, cut to every Discord limit. An empty reply gets a placeholder, never an empty message. */
export function fitReply(reply: ReplyData): ReplyData {
  const out: ReplyData = {};
  if (reply.content) out.content = truncate(reply.content, LIMITS.content);
  if (reply.embeds?.length) out.embeds = fitEmbeds(reply.embeds);
  if (reply.components?.length) out.components = fitComponents(reply.components);
  if (reply.ephemeral) out.ephemeral = true;
  if (!out.content && !out.embeds?.length) out.content = "(nothing to show)";
  return out;
}

/** The reply when handling a command, a button or a message failed (the detail goes to the log). */
export const APOLOGY = messages("en")("bot.apology");

/** The answer to a button whose custom_id is foreign, forged or from an older version. */
export const NOT_MINE = messages("en")("bot.notMine");

/** A polite, private reply: for refusals and input a command cannot use. */
export function notice(content: string): ReplyData {
  return { content, ephemeral: true };
}
