import { SlashCommandBuilder } from "discord.js";
import { localizations, messages } from "../src/replies/messages.ts";
import type { ReplyData } from "../src/replies/reply.ts";
import type { CommandContext } from "./index.ts";

/** /help: what the bot knows and how to ask. */

export const data = new SlashCommandBuilder()
  .setName("help")
  .setNameLocalizations(localizations("name.help"))
  .setDescription(messages("en")("command.help"))
  .setDescriptionLocalizations(localizations("command.help"));

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
