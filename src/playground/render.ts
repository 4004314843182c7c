import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  ButtonStyle,
} from "discord.js";
import { httpUrl } from "../http-url.ts";
import type { Messages } from "../replies/messages.ts";
import type { ReplyData } from "../replies/reply.ts";

/**
 * Reply data (Discord API JSON) as HTML for the playground page. Every piece of text is
 * HTML-escaped before any markup is added, so nothing a document or a user wrote can
 * become a tag or an attribute. Markdown is the small subset the bot writes: **bold**,
 * *italic*, `code`, [label](https://…) and [label](<https://…>) links, "> " block quotes
 * and line breaks.
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/gu, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * Escapes text for HTML and turns each markdown escape (a backslash before a symbol, as
 * Discord reads them) into a character reference: the symbol shows as typed, and no
 * markdown rule below can match it.
 */
function escapeSource(text: string): string {
  return text.replace(/\\([^0-9A-Za-z\s])|[&<>"']/gu, (match, symbol: string | undefined) =>
    symbol === undefined ? (HTML_ESCAPES[match] ?? match) : reference(symbol),
  );
}

function reference(char: string): string {
  return `&#${char.codePointAt(0)};`;
}

function link(href: string, labelHtml: string): string {
  return `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${labelHtml}</a>`;
}

// These run on escaped text: the captured parts are already safe HTML.
const CODE = /`([^`\n]+)`/u;
// The address between < and > (escaped here as &lt; and &gt;), or bare up to a ")".
const LINK = /\[([^\]\n]+)\]\((?:&lt;(https?:\/\/(?:(?!&gt;)\S)+)&gt;|(https?:\/\/[^\s)]+))\)/u;

function emphasis(safe: string): string {
  return safe
    .replace(/\*\*(.+?)\*\*/gu, "<strong>$1</strong>")
    .replace(/\*([^*\s](?:[^*]*[^*\s])?)\*/gu, "<em>$1</em>");
}

function links(safe: string): string {
  const parts = safe.split(LINK);
  let html = "";
  for (let i = 0; i < parts.length; i += 4) {
    html += emphasis(parts[i] ?? "");
    const label = parts[i + 1];
    const url = parts[i + 2] ?? parts[i + 3];
    if (label === undefined || url === undefined) continue;
    // The URL was escaped with the rest: read it back before checking and re-escaping it.
    const href = httpUrl(decodeEntities(url));
    html += href ? link(href, emphasis(label)) : emphasis(`[${label}](${url})`);
  }
  return html;
}

const NAMED: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"' };

function decodeEntities(safe: string): string {
  return safe.replace(
    /&(?:#(\d+)|(amp|lt|gt|quot));/gu,
    (_, code: string | undefined, name: string | undefined) =>
      code ? String.fromCodePoint(Number(code)) : (NAMED[name ?? ""] ?? ""),
  );
}

function inline(safe: string): string {
  // Odd parts are the insides of code spans: shown as they are, no markdown inside.
  return safe
    .split(CODE)
    .map((part, i) => (i % 2 ? `<code>${part}</code>` : links(part)))
    .join("");
}

/** Inline markdown only (embed titles, field names). */
export function inlineMarkdownToHtml(text: string): string {
  return inline(escapeSource(text));
}

/** Discord markdown as HTML: block quotes, line breaks and inline markdown. */
export function markdownToHtml(text: string): string {
  const blocks: { quote: boolean; lines: string[] }[] = [];
  for (const line of escapeSource(text).split("\n")) {
    const quoted = /^&gt;(?: |$)/u.exec(line);
    const body = quoted ? line.slice(quoted[0].length) : line;
    const last = blocks.at(-1);
    if (last && last.quote === Boolean(quoted)) last.lines.push(body);
    else blocks.push({ quote: Boolean(quoted), lines: [body] });
  }
  return blocks
    .map(({ quote, lines }) => {
      const html = lines.map(inline).join("<br>");
      return quote ? `<blockquote>${html}</blockquote>` : html;
    })
    .join("");
}

/** Plain text with its line breaks: author names, footers, what the user typed. */
export function textToHtml(text: string): string {
  return escapeHtml(text).replace(/\n/gu, "<br>");
}

function color(value: number | undefined): string {
  if (value === undefined || !Number.isInteger(value) || value < 0 || value > 0xffffff) return "";
  return ` style="border-left-color:#${value.toString(16).padStart(6, "0")}"`;
}

function renderEmbed(embed: APIEmbed): string {
  const parts: string[] = [];
  if (embed.author?.name) {
    parts.push(`<p class="embed-author">${textToHtml(embed.author.name)}</p>`);
  }
  if (embed.title) {
    const title = inlineMarkdownToHtml(embed.title);
    const href = embed.url ? httpUrl(embed.url) : null;
    parts.push(`<h2 class="embed-title">${href ? link(href, title) : title}</h2>`);
  }
  if (embed.description) {
    parts.push(`<div class="embed-description md">${markdownToHtml(embed.description)}</div>`);
  }
  if (embed.fields?.length) {
    const fields = embed.fields.map(
      (f) =>
        `<div class="field"><dt>${inlineMarkdownToHtml(f.name)}</dt><dd class="md">${markdownToHtml(f.value)}</dd></div>`,
    );
    parts.push(`<dl class="embed-fields">${fields.join("")}</dl>`);
  }
  if (embed.footer?.text) {
    parts.push(`<p class="embed-footer">${textToHtml(embed.footer.text)}</p>`);
  }
  return `<article class="embed"${color(embed.color)}>${parts.join("")}</article>`;
}

const STYLE_CLASS: Readonly<Record<number, string>> = {
  [ButtonStyle.Primary]: "primary",
  [ButtonStyle.Secondary]: "secondary",
  [ButtonStyle.Success]: "success",
  [ButtonStyle.Danger]: "danger",
  [ButtonStyle.Link]: "secondary",
};

function renderButton(button: APIButtonComponent): string {
  const label = "label" in button && button.label ? escapeHtml(button.label) : "";
  const emojiName = "emoji" in button ? button.emoji?.name : undefined;
  // With a label, the emoji is decoration; without one, it is the button's name.
  const emoji = emojiName
    ? `<span class="emoji"${label ? ' aria-hidden="true"' : ""}>${escapeHtml(emojiName)}</span>`
    : "";
  const text = [emoji, label ? `<span>${label}</span>` : ""].filter(Boolean).join(" ");
  const kind = `btn btn-${STYLE_CLASS[button.style] ?? "secondary"}`;
  if ("url" in button) {
    const href = httpUrl(button.url);
    return href
      ? `<a class="${kind}" href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${text}</a>`
      : "";
  }
  if (!("custom_id" in button)) return "";
  const disabled = button.disabled ? " disabled" : "";
  return `<button type="button" class="${kind}" data-custom-id="${escapeHtml(button.custom_id)}"${disabled}>${text}</button>`;
}

function renderRows(rows: readonly APIActionRowComponent<APIButtonComponent>[]): string {
  const html = rows
    .map((row) => `<div class="row">${row.components.map(renderButton).join("")}</div>`)
    .join("");
  return `<div class="components">${html}</div>`;
}

/** A bot message: content, embeds, buttons, and the ephemeral note. */
export function renderBotMessage(id: string, reply: ReplyData, t: Messages): string {
  const parts = [
    '<p class="author">Answer bot <span class="tag">APP</span></p>',
    reply.content ? `<div class="content md">${markdownToHtml(reply.content)}</div>` : "",
    ...(reply.embeds ?? []).map(renderEmbed),
    reply.components?.length ? renderRows(reply.components) : "",
    reply.ephemeral ? `<p class="ephemeral-note">${escapeHtml(t("playground.onlyYou"))}</p>` : "",
  ];
  const kind = reply.ephemeral ? "msg bot ephemeral" : "msg bot";
  return `<li class="${kind}" data-message-id="${escapeHtml(id)}">${parts.join("")}</li>`;
}

/** What the user typed, shown as typed. */
export function renderUserMessage(id: string, text: string, t: Messages): string {
  return `<li class="msg user" data-message-id="${escapeHtml(id)}"><p class="author">${escapeHtml(t("playground.you"))}</p><div class="content">${textToHtml(text)}</div></li>`;
}
