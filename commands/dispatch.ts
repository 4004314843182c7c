import { log } from "../src/log.ts";
import { parseButtonId } from "../src/replies/custom-id.ts";
import { messages } from "../src/replies/messages.ts";
import { notice } from "../src/replies/reply.ts";
import { DEFAULT_RESULTS, questionReply } from "./ask.ts";
import {
  type ButtonInput,
  type ButtonReply,
  type Command,
  type CommandContext,
  commands,
  type OptionValues,
} from "./index.ts";
import { optionValues, readLine } from "./typed-line.ts";

/**
 * The one dispatcher: every shell (Discord, the playground) turns what the user did into a
 * `Call`, and this finds the command, enforces what it `requires`, runs it and answers a
 * failure with the apology (the detail goes to the log). It never throws.
 */

export type Call =
  | { kind: "command"; name: string; options: OptionValues }
  | { kind: "button"; customId: string; message: ButtonInput["message"] }
  /** A message to the bot: in a DM (`dm`), or mentioning it in a channel. */
  | { kind: "message"; text: string; dm: boolean }
  /** A line typed in the playground: a slash command as typed, or else a DM. */
  | { kind: "line"; text: string };

/** How a shell runs a command's work; `slow` work should be deferred first (Discord's 3 s window). */
export type Runner = <T>(slow: boolean, work: () => Promise<T>) => Promise<T>;

export interface DispatchOptions {
  /** Names the event in the log line of a failure, e.g. "interaction /ask". */
  label: string;
  run?: Runner;
}

/** What a call comes to: a reply at once, or a command's work. */
type Resolved = ButtonReply | { work: () => Promise<ButtonReply> | ButtonReply; slow: boolean };

export async function dispatch(
  ctx: CommandContext,
  call: Call,
  options: DispatchOptions,
): Promise<ButtonReply> {
  try {
    const resolved = resolve(ctx, call);
    if (!("work" in resolved)) return resolved;
    const run: Runner = options.run ?? ((_slow, work) => work());
    return await run(resolved.slow, async () => resolved.work());
  } catch (error) {
    log.error(`${options.label} failed`, error);
    return { reply: { content: messages(ctx.language)("bot.apology"), ephemeral: true } };
  }
}

function resolve(ctx: CommandContext, call: Call): Resolved {
  switch (call.kind) {
    case "command":
      return execute(ctx, commands.get(call.name), call.options);
    case "button":
      return button(ctx, call);
    case "message":
      return message(ctx, call.text, call.dm);
    case "line": {
      const line = readLine(call.text);
      if (line.kind === "message") return message(ctx, line.text, true);
      const command = commands.get(line.name);
      if (!command) return { reply: notice(messages(ctx.language)("bot.unknownCommand")) };
      // Typed options are checked against the same schema Discord enforces on slash commands.
      const typed = optionValues(command, line.text, messages(ctx.language));
      if ("error" in typed) return { reply: notice(typed.error) };
      return execute(ctx, command, typed.values);
    }
  }
}

/** A refusal when the user lacks what the command requires. */
function refusal(ctx: CommandContext, command: Command): ButtonReply | null {
  if (command.requires !== "admin" || ctx.user.admin()) return null;
  return { reply: notice(messages(ctx.language)(command.refusal ?? "bot.adminsOnly")) };
}

function execute(
  ctx: CommandContext,
  command: Command | undefined,
  options: OptionValues,
): Resolved {
  if (!command) return { reply: notice(messages(ctx.language)("bot.unknownCommand")) };
  const refused = refusal(ctx, command);
  if (refused) return refused;
  return {
    slow: command.slow === true,
    work: async () => ({ reply: await command.execute(ctx, options) }),
  };
}

function button(ctx: CommandContext, call: Extract<Call, { kind: "button" }>): Resolved {
  const id = parseButtonId(call.customId);
  const command = id ? commands.get(id.command) : undefined;
  const handler = command?.button;
  if (!id || !command || !handler) return { reply: notice(messages(ctx.language)("bot.notMine")) };
  const refused = refusal(ctx, command);
  if (refused) return refused;
  const input = { action: id.action, args: id.args, message: call.message };
  return { slow: false, work: () => handler(ctx, input) };
}

function message(ctx: CommandContext, text: string, dm: boolean): Resolved {
  // In a DM, a message that is a command's typed form ("reload") runs that command.
  const typed = dm ? [...commands.values()].find((c) => c.typed?.test(text)) : undefined;
  if (typed) return execute(ctx, typed, {});
  if (!text.trim()) return { reply: notice(messages(ctx.language)("bot.emptyMessage")) };
  return {
    slow: false,
    work: async () => ({
      reply: await questionReply(ctx, text, { k: DEFAULT_RESULTS, offset: 0 }),
    }),
  };
}
