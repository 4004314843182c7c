import { escapeMarkdown } from "discord.js";
import fc from "fast-check";
import { expect, test } from "vitest";
import { plain } from "../../src/discord/render.ts";

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

test("plain() escapes exactly what escapeMarkdown escapes with every kind of markup on", () => {
  fc.assert(
    fc.property(markdownText, (text) => {
      expect(plain(text)).toBe(
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
