import { escapeMarkdown } from "discord.js";
import fc from "fast-check";
import { expect, test } from "vitest";
import { escapeMarkup, renderAnswer } from "../../src/replies/render.ts";

// Markdown characters, words, spaces and line breaks, so every kind of markup turns up.
const markdownText = fc
  .array(
    fc.constantFrom(
      "*",
      "**",
      "_",
      "__",
      "`",
      "```",
      "~~",
      "||",
      "\\",
      "# ",
      "- ",
      "1.",
      "[a](https://e.com)",
      "[",
      "]",
      "(",
      ")",
      "<:x:1>",
      "https://e.com/a_b*c",
      "word",
      " ",
      "\n",
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(""));

test("escapeMarkup() escapes exactly what escapeMarkdown escapes with every kind of markup on", () => {
  fc.assert(
    fc.property(markdownText, (text) => {
      expect(escapeMarkup(text)).toBe(
        escapeMarkdown(text, {
          heading: true,
          bulletedList: true,
          numberedList: true,
          maskedLink: true,
        }),
      );
    }),
    { numRuns: 2000 },
  );
});

test("every line of a quote, the key sentence's too, is block-quoted", () => {
  const quoteWithHighlight = fc
    .tuple(markdownText, markdownText, markdownText)
    .filter(([, highlight]) => highlight.trim().length > 0);
  fc.assert(
    fc.property(quoteWithHighlight, ([before, highlight, after]) => {
      const quote = `${before}${highlight}${after}`;
      const reply = renderAnswer(
        {
          question: "q",
          answered: true,
          results: [
            { quote, highlight, passage: "d:0:abc", score: 1, source: { id: "d", title: "T" } },
          ],
        },
        { k: 1, offset: 0 },
      );
      const lines = (reply.embeds?.[0]?.description ?? "").split("\n");
      expect(lines).toHaveLength(quote.split("\n").length);
      for (const line of lines) expect(line.startsWith("> ")).toBe(true);
    }),
    { numRuns: 500 },
  );
});

test("small text (-# at the start of a line) in a quote is escaped, so it shows as typed", () => {
  const line = fc.tuple(
    fc.constantFrom("", " ", "  "),
    fc.constantFrom("-# ", "-## "),
    markdownText,
  );
  fc.assert(
    fc.property(fc.array(line, { minLength: 1, maxLength: 5 }), (lines) => {
      const quote = lines.map((parts) => parts.join("")).join("\n");
      const reply = renderAnswer(
        {
          question: "q",
          answered: true,
          results: [{ quote, passage: "d:0:abc", score: 1, source: { id: "d", title: "T" } }],
        },
        { k: 1, offset: 0 },
      );
      for (const shown of (reply.embeds?.[0]?.description ?? "").split("\n")) {
        expect(shown).not.toMatch(/^> *-#+ /u);
      }
    }),
    { numRuns: 500 },
  );
});
