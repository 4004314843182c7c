import { ButtonStyle, ComponentType } from "discord.js";
import { describe, expect, it } from "vitest";
import {
  escapeHtml,
  inlineMarkdownToHtml,
  markdownToHtml,
  renderBotMessage,
  renderUserMessage,
} from "../../src/playground/render.ts";
import { messages } from "../../src/replies/messages.ts";
import { escapeMarkup, questionLine } from "../../src/replies/render.ts";

const XSS = `<script>alert(1)</script> <img src=x onerror="alert(2)"> ' & @everyone **bold**`;

describe("playground markdown → HTML", () => {
  it("escapes every HTML-special character", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;",
    );
    const html = markdownToHtml(XSS);
    expect(html).not.toMatch(/<script|<img|onerror="/iu);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("@everyone <strong>bold</strong>");
  });

  it("shows escaped markdown as typed, not as markup", () => {
    // What the bot sends for a question: escaped by discord.js, so **bold** stays literal.
    const html = markdownToHtml(questionLine(XSS));
    expect(html.startsWith("<strong>Q:</strong> ")).toBe(true);
    expect(html).not.toContain("<strong>bold</strong>");
    expect(html).toContain("&#42;&#42;bold&#42;&#42;");
    expect(html).not.toMatch(/<script|<img/iu);
    expect(markdownToHtml(escapeMarkup("a \\ b [x](https://e.com) _c_"))).toBe(
      "a &#92; b &#91;x](https://e.com) &#95;c&#95;",
    );
  });

  it("renders bold, italic, code, block quotes and line breaks", () => {
    expect(markdownToHtml("> one **two**\n> three\nafter\n\n*it* `a**b**`")).toBe(
      "<blockquote>one <strong>two</strong><br>three</blockquote>after<br><br><em>it</em> <code>a**b**</code>",
    );
    // Only "> " opens a quote; an escaped or unspaced ">" is text.
    expect(markdownToHtml(">not\n\\> no")).toBe("&gt;not<br>&#62; no");
  });

  it("links http(s) only, opening a new tab without a referrer", () => {
    expect(markdownToHtml("[The **Post**](https://example.com/a?b=1&c=2)")).toBe(
      '<a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">The <strong>Post</strong></a>',
    );
    expect(markdownToHtml("[x](javascript:alert(1))")).not.toContain("<a");
    expect(markdownToHtml('[x](https://e.com/"onmouseover="alert(1))')).not.toMatch(
      /"onmouseover/u,
    );
    expect(inlineMarkdownToHtml("[x](data:text/html,<b>)")).not.toContain("<a");
  });
});

describe("playground messages", () => {
  it("renders embeds, buttons and the ephemeral note with everything escaped", () => {
    const html = renderBotMessage(
      'id"><script>',
      {
        content: "**Q:** hi",
        embeds: [
          {
            color: 0x2f6f9f,
            author: { name: "Result <1>" },
            title: "Title <b>",
            url: "javascript:alert(1)",
            description: "> quote",
            fields: [{ name: "Also in", value: "[Outlet: T](https://e.com/t)" }],
            footer: { text: "Outlet · <Author>" },
          },
        ],
        components: [
          {
            type: ComponentType.ActionRow,
            components: [
              {
                type: ComponentType.Button,
                style: ButtonStyle.Secondary,
                label: "Helpful",
                emoji: { name: "👍" },
                custom_id: 'ask:fb:up"><x',
              },
              {
                type: ComponentType.Button,
                style: ButtonStyle.Primary,
                label: "Next",
                custom_id: "sources:page:1",
                disabled: true,
              },
            ],
          },
        ],
        ephemeral: true,
      },
      messages("en"),
    );
    expect(html).not.toMatch(/<script|<b>|<x|javascript:|<Author>/u);
    expect(html).toContain('data-message-id="id&quot;&gt;&lt;script&gt;"');
    expect(html).toContain('style="border-left-color:#2f6f9f"');
    expect(html).toContain('<h2 class="embed-title">Title &lt;b&gt;</h2>');
    expect(html).toContain("<dt>Also in</dt>");
    expect(html).toContain('<a href="https://e.com/t"');
    expect(html).toContain(
      '<button type="button" class="btn btn-secondary" data-custom-id="ask:fb:up&quot;&gt;&lt;x"><span class="emoji" aria-hidden="true">👍</span> <span>Helpful</span></button>',
    );
    expect(html).toMatch(/data-custom-id="sources:page:1" disabled>/u);
    expect(html).toContain("Only you can see this");
  });

  it("shows what the user typed as text", () => {
    expect(renderUserMessage("u1", "<script>alert(1)</script> **x**", messages("en"))).toContain(
      '<div class="content">&lt;script&gt;alert(1)&lt;/script&gt; **x**</div>',
    );
  });

  it("names the user and notes a private reply in the user's language", () => {
    const es = messages("es");
    expect(renderUserMessage("u1", "hola", es)).toContain('<p class="author">Tú</p>');
    expect(renderBotMessage("b1", { content: "x", ephemeral: true }, es)).toContain(
      '<p class="ephemeral-note">Solo tú puedes ver esto</p>',
    );
  });
});
