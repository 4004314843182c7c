import { SlashCommandBuilder } from "discord.js";
import { messages } from "../src/replies/messages.ts";
import type { ReplyData } from "../src/replies/reply.ts";
import type { CommandContext } from "./index.ts";
import { localized } from "./localized.ts";

/** /help: what the bot knows and how to ask. */

export const data = localized(new SlashCommandBuilder(), "help");

export function execute(ctx: CommandContext): ReplyData {
  const { documents, passages } = ctx.library.stats();
  const t = messages(ctx.language);
  return {
    ephemeral: true,
    content: [
      t("help.intro", {
        documents: t("help.documents", { count: documents }),
        passages: t("help.passages", { count: passages }),
      }),
      "",
      t("help.ask"),
      t("help.buttons"),
      t("help.sources"),
      t("help.reload"),
    ].join("\n"),
  };
}
