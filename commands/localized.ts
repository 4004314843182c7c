import type { SharedNameAndDescription } from "discord.js";
import { localizations, messages, type Values } from "../src/replies/messages.ts";

const en = messages("en");

/**
 * Names and describes a command or an option from the message catalogs. `key` is the command
 * ("ask") or the command and option ("ask.question"): the name is its last part, named in
 * other languages by `name.<key>`, and the description is `command.<key>` with `values`.
 */
export function localized<T extends SharedNameAndDescription>(
  builder: T,
  key: string,
  values?: Values,
): T {
  return builder
    .setName(key.slice(key.lastIndexOf(".") + 1))
    .setNameLocalizations(localizations(`name.${key}`))
    .setDescription(en(`command.${key}`, values))
    .setDescriptionLocalizations(localizations(`command.${key}`, values));
}
