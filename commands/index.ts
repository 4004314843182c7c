import type { ReplyData } from "../src/discord/reply.ts";
import type { FeedbackLog } from "../src/feedback.ts";
import type { Library, ReloadReport } from "../src/search/library.ts";
import * as ask from "./ask.ts";
import * as help from "./help.ts";
import * as reload from "./reload.ts";
import * as sources from "./sources.ts";

/**
 * The slash commands. Each module turns plain inputs into plain reply data; shells
 * (Discord, the local playground) collect the inputs and deliver the reply.
 */

export interface Actor {
  id: string;
  /** Decided by the shell (src/discord/access.ts): may this user reload? */
  admin: boolean;
}

export interface CommandContext {
  library: Library;
  feedback: FeedbackLog;
  user: Actor;
  /** The reply's language: a catalog in src/replies/locales ("en", "es"). */
  language: string;
  /** Reloads the corpus everywhere it is served (one process, or every shard). */
  reload(): Promise<ReloadReport[]>;
}

export type OptionValues = Readonly<Record<string, string | number | boolean | undefined>>;

export interface Choice {
  name: string;
  value: string;
}

/** A button click: its custom_id and what the clicked message shows. */
export interface ButtonInput {
  action: string;
  args: string[];
  message: {
    content: string;
    components: readonly { components?: readonly { custom_id?: string }[] }[];
    ephemeral: boolean;
  };
}

/** A button either rewrites the message it sits on or answers with a new message. */
export type ButtonReply = { update: ReplyData } | { reply: ReplyData };

export interface Command {
  data: { name: string; toJSON(): unknown };
  /** Work that may take longer than Discord's 3 s window: the shell defers first. */
  slow?: boolean;
  execute(ctx: CommandContext, options: OptionValues): Promise<ReplyData> | ReplyData;
  autocomplete?(ctx: CommandContext, focused: { name: string; value: string }): Choice[];
  button?(ctx: CommandContext, input: ButtonInput): Promise<ButtonReply> | ButtonReply;
}

export const commands: ReadonlyMap<string, Command> = new Map(
  [ask, sources, help, reload].map((command: Command) => [command.data.name, command]),
);

/** The JSON that `npm run deploy` registers with Discord. */
export function commandDefinitions(): unknown[] {
  return [...commands.values()].map((command) => command.data.toJSON());
}
