import { ApplicationCommandOptionType } from "discord.js";
import type { Messages } from "../src/replies/messages.ts";
import type { Command, OptionValues } from "./index.ts";

/**
 * Reads a typed line the way Discord's message box does: a line starting with "/" is a
 * slash command, `/ask who pays source:ID results:2 private:true`, and anything else is a
 * message to the bot. Option names, types and limits come from each command's own
 * definition (the JSON `npm run deploy` registers), so nothing here knows one command.
 */

export type TypedLine =
  | { kind: "message"; text: string }
  /** `name` is what follows the "/", `text` the whole line. */
  | { kind: "command"; name: string; text: string; named: boolean };

export function readLine(text: string): TypedLine {
  const match = /^\/(\S*)(\s?)/u.exec(text.trimStart());
  if (!match) return { kind: "message", text };
  return {
    kind: "command",
    name: (match[1] ?? "").toLowerCase(),
    text: text.trimStart(),
    // A space after the name ends it; until then the user may still be typing it.
    named: match[2] !== "",
  };
}

interface OptionDefinition {
  name: string;
  type: number;
  max_length?: number;
  min_value?: number;
  max_value?: number;
  autocomplete?: boolean;
}

export interface CommandDefinition {
  name: string;
  description: string;
  /** The description by Discord locale, where it is translated. */
  description_localizations: Readonly<Record<string, string>>;
  options: OptionDefinition[];
}

export function definition(command: Command): CommandDefinition {
  const json = command.data.toJSON() as Partial<CommandDefinition>;
  return {
    name: json.name ?? command.data.name,
    description: json.description ?? "",
    description_localizations: json.description_localizations ?? {},
    options: Array.isArray(json.options) ? json.options : [],
  };
}

/** One option as typed; `start` is where its value begins in the line. */
export interface TypedOption {
  name: string;
  value: string;
  start: number;
}

/**
 * The options typed after the command name, in order. Text before the first `name:`
 * fills the first text option (`/ask who pays` = `/ask question:who pays`).
 */
export function typedOptions(command: Command, line: string): TypedOption[] {
  const { options } = definition(command);
  if (options.length === 0) return [];
  const afterName = /^\/\S*\s*/u.exec(line)?.[0].length ?? 0;
  const names = options.map((o) => o.name.replace(/[^\w-]/gu, "")).join("|");
  const markers = [...line.slice(afterName).matchAll(new RegExp(`(?<=^|\\s)(${names}):`, "gu"))];
  const typed: TypedOption[] = [];
  const leading = line.slice(afterName, afterName + (markers[0]?.index ?? line.length));
  const textOption = options.find((o) => o.type === ApplicationCommandOptionType.String);
  if (textOption && (leading.trim() || markers.length === 0)) {
    typed.push({ name: textOption.name, value: leading.trim(), start: afterName });
  }
  markers.forEach((marker, i) => {
    const start = afterName + (marker.index ?? 0) + marker[0].length;
    const next = markers[i + 1]?.index;
    const end = next === undefined ? line.length : afterName + next;
    typed.push({ name: marker[1] ?? "", value: line.slice(start, end).trim(), start });
  });
  return typed;
}

const TRUE = new Set(["true", "yes", "on", "1"]);
const FALSE = new Set(["false", "no", "off", "0"]);

/** Converts one typed value to the option's type, or says why it can't be used (in `t`'s language). */
function convert(
  option: OptionDefinition,
  raw: string,
  t: Messages,
): { value: string | number | boolean | undefined } | { error: string } {
  const name = option.name;
  if (raw === "") return { value: undefined };
  switch (option.type) {
    case ApplicationCommandOptionType.String:
      if (option.max_length !== undefined && raw.length > option.max_length) {
        return { error: t("option.tooLong", { name, count: option.max_length }) };
      }
      return { value: raw };
    case ApplicationCommandOptionType.Integer:
    case ApplicationCommandOptionType.Number: {
      const whole = option.type === ApplicationCommandOptionType.Integer;
      const n = Number(raw);
      if ((whole && !/^[+-]?\d+$/u.test(raw)) || !Number.isFinite(n)) {
        return { error: whole ? t("option.notWhole", { name }) : t("option.notNumber", { name }) };
      }
      if (option.min_value !== undefined && n < option.min_value) {
        return { error: t("option.tooSmall", { name, min: option.min_value }) };
      }
      if (option.max_value !== undefined && n > option.max_value) {
        return { error: t("option.tooLarge", { name, max: option.max_value }) };
      }
      return { value: n };
    }
    case ApplicationCommandOptionType.Boolean:
      if (TRUE.has(raw.toLowerCase())) return { value: true };
      if (FALSE.has(raw.toLowerCase())) return { value: false };
      return { error: t("option.notBoolean", { name }) };
    default:
      return { value: raw };
  }
}

/** The option values a command's `execute` receives, as Discord would send them. */
export function optionValues(
  command: Command,
  line: string,
  t: Messages,
): { values: OptionValues } | { error: string } {
  const { options } = definition(command);
  const values: Record<string, string | number | boolean> = {};
  for (const typed of typedOptions(command, line)) {
    const option = options.find((o) => o.name === typed.name);
    if (!option) continue;
    const converted = convert(option, typed.value, t);
    if ("error" in converted) return converted;
    if (converted.value === undefined) delete values[typed.name];
    else values[typed.name] = converted.value;
  }
  return { values };
}

/** The option the cursor (at the end of the line) is in, when the command can suggest values for it. */
export function focusedOption(command: Command, line: string): TypedOption | null {
  const last = typedOptions(command, line).at(-1);
  if (!last) return null;
  const option = definition(command).options.find((o) => o.name === last.name);
  return option?.autocomplete ? last : null;
}
