import { SlashCommandBuilder } from "discord.js";
import type { ReplyData } from "../src/replies/reply.ts";
import type { CommandContext } from "./index.ts";

/** /help: what the bot knows and how to ask. */

export const data = new SlashCommandBuilder()
  .setName("help")
  .setDescription("How to ask me questions");

export function execute(ctx: CommandContext): ReplyData {
  const { documents, passages } = ctx.library.stats();
  return {
    ephemeral: true,
    content: [
      `I answer questions about migration policy with **exact quotes** from ${documents} documents (${passages} passages), and I always cite the source. If the documents don't say, I tell you so: I never make anything up.`,
      "",
      "• `/ask question:` your question in plain words, e.g. *Who pays for the deportation flights from Panama?* Add `source:` to search one document, `results:` for 1-5 quotes, `private:` so only you see it.",
      "• Under an answer: **More results**, **Context** (the text around a quote), 👍/👎 to tell us if it helped.",
      "• `/sources` lists the documents. You can also send me a direct message with a question.",
      "• Admins: `/reload` after adding or editing documents; `/stats` for what was asked, what went unanswered and what people liked.",
    ].join("\n"),
  };
}
