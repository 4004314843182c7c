import type { FeedbackLog } from "../src/feedback.ts";
import type { QuestionLog } from "../src/questions.ts";
import type { ReplyData } from "../src/replies/reply.ts";
import type { Library } from "../src/search/library.ts";
import type { ReloadReport } from "../src/search/reports.ts";
import * as ask from "./ask.ts";
import * as help from "./help.ts";
import * as reload from "./reload.ts";
import * as sources from "./sources.ts";
import * as stats from "./stats.ts";

/**
 * The slash commands. Each module turns plain inputs into plain reply data; shells
 * (Discord, the local playground) collect the inputs and deliver the reply.
 */

/** The person a command runs for. */
export interface User {
  id: string;
  /** May this user run admin commands (/reload, /stats)? Decided by the shell (src/discord/access.ts), asked only when needed. */
  admin(): boolean;
}

export interface CommandContext {
  library: Library;
  feedback: FeedbackLog;
  questions: QuestionLog;
  user: User;
  /** The asker's Discord locale, where the shell knows it. */
  locale?: string;
  /** The reply's language: a catalog in src/replies/locales ("en", "es"). */
  language: string;
  /** Quotes from sources older than this many days carry a note (default 365; STALE_AFTER_DAYS). */
  staleAfterDays?: number;
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
    /** The user the message answers, when known: only they may rewrite it. */
    askedBy: string | null;
  };
}

/** A button either rewrites the message it sits on or answers with a new message. */
export type ButtonReply = { update: ReplyData } | { reply: ReplyData };

/**
 * A command: its options schema (`data`, what `npm run deploy` registers and typed lines are
 * checked against), what it requires of the user, whether it may be slow, and its handlers.
 * commands/dispatch.ts calls them; a handler never checks `requires` itself.
 */
export interface Command {
  data: { name: string; toJSON(): unknown };
  /** Only admins may run it (and click its buttons); others are told `refusal`. */
  requires?: "admin";
  /** The catalog key (src/replies/locales) of what others are told; default bot.adminsOnly. */
  refusal?: string;
  /** Work that may take longer than Discord's 3 s window: the shell defers first. */
  slow?: boolean;
  /** A direct message matching this runs the command without options (e.g. "reload"). */
  typed?: RegExp;
  execute(ctx: CommandContext, options: OptionValues): Promise<ReplyData> | ReplyData;
  autocomplete?(ctx: CommandContext, focused: { name: string; value: string }): Choice[];
  button?(ctx: CommandContext, input: ButtonInput): Promise<ButtonReply> | ButtonReply;
}

export const commands: ReadonlyMap<string, Command> = new Map(
  [ask, sources, help, reload, stats].map((command: Command) => [command.data.name, command]),
);

/** The JSON that `npm run deploy` registers with Discord. */
export function commandDefinitions(): unknown[] {
  return [...commands.values()].map((command) => command.data.toJSON());
}
