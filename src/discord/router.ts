import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type Message,
  MessageFlags,
} from "discord.js";
import { type Call, dispatch } from "../../commands/dispatch.ts";
import { type CommandContext, commands, type OptionValues } from "../../commands/index.ts";
import type { FeedbackLog } from "../feedback.ts";
import { log } from "../log.ts";
import type { QuestionLog } from "../questions.ts";
import { languageOfLocale, messages } from "../replies/messages.ts";
import { notice } from "../replies/reply.ts";
import type { Library } from "../search/library.ts";
import type { ReloadReport } from "../search/reports.ts";
import { detectLanguage } from "../text/language.ts";
import { isAdmin } from "./access.ts";
import type { RateLimiter } from "./rate-limit.ts";
import {
  apologize,
  Deferral,
  sendMessageReply,
  sendReply,
  sendUpdate,
  withDeferral,
} from "./respond.ts";
import { Turns } from "./turns.ts";

/**
 * Routes Discord events to commands: slash commands, autocomplete, buttons, direct
 * messages and (when enabled) mentions. A failure in one event is logged and answered
 * with an apology; it never reaches the client. The rate limit is checked on arrival;
 * the work then waits for its turn (src/discord/turns.ts), and an interaction whose turn
 * comes late in Discord's 3 s window is deferred first.
 */

export interface RouterDeps {
  library: Library;
  feedback: FeedbackLog;
  questions: QuestionLog;
  /** Read at every check, so allowlist changes apply at once. */
  adminIds: () => readonly string[];
  reload: () => Promise<ReloadReport[]>;
  /** Answer questions that @mention the bot in a channel. */
  mentions: boolean;
  limiter: RateLimiter;
  /** Autocomplete's own allowance, so typing a question does not use up asking it. */
  suggestionLimiter: RateLimiter;
  /** STALE_AFTER_DAYS: quotes from older sources carry a note. */
  staleAfterDays?: number;
}

/** How an event ended, for the debug log. */
type Outcome = "answered" | "rate-limited" | "failed" | "ignored";

export class Router {
  readonly #deps: RouterDeps;
  readonly #inflight = new Set<Promise<void>>();
  readonly #turns = new Turns();

  constructor(deps: RouterDeps) {
    this.#deps = deps;
  }

  /** Entry point for `interactionCreate`. */
  onInteraction(interaction: Interaction): void {
    // Discord's 3 s count from when it created the interaction (the id's timestamp), which
    // includes time spent in transit and in the event queue. A clock ahead of Discord's
    // only makes the bot defer sooner; one behind cannot push the start into the future.
    const receivedAt = Math.min(Date.now(), interaction.createdTimestamp);
    this.#track(describe(interaction), () => this.#interaction(interaction, receivedAt));
  }

  /** Entry point for `messageCreate`. */
  onMessage(message: Message): void {
    this.#track(message.inGuild() ? "mention" : "direct message", () => this.#message(message));
  }

  /** Resolves when every event being handled has been answered. */
  async drain(): Promise<void> {
    while (this.#inflight.size) await Promise.allSettled([...this.#inflight]);
  }

  /** Handles one event, then logs (at debug) its kind, duration and outcome: never who sent it. */
  #track(kind: string, handle: () => Promise<Outcome>): void {
    const started = performance.now();
    const done = handle()
      .catch((error: unknown): Outcome => {
        log.error("unhandled error in an event handler", error);
        return "failed";
      })
      .then((outcome) => {
        if (outcome === "ignored") return;
        const ms = Math.round((performance.now() - started) * 10) / 10;
        log.debug("interaction", { kind, ms, outcome });
      })
      .finally(() => this.#inflight.delete(done));
    this.#inflight.add(done);
  }

  #context(
    userId: string,
    permissions: bigint | null,
    language: string,
    locale?: string,
  ): CommandContext {
    const { library, feedback, questions, reload, adminIds, staleAfterDays } = this.#deps;
    const admin = () => isAdmin(userId, permissions, adminIds());
    const user = { id: userId, admin };
    return {
      library,
      feedback,
      questions,
      reload,
      user,
      language,
      ...(locale ? { locale } : {}),
      ...(staleAfterDays === undefined ? {} : { staleAfterDays }),
    };
  }

  #interactionContext(interaction: Interaction): CommandContext {
    const permissions = interaction.inGuild()
      ? (interaction.memberPermissions?.bitfield ?? 0n)
      : null;
    // The user's Discord language decides the reply's, whatever the question's language.
    const language = languageOfLocale(interaction.locale);
    return this.#context(interaction.user.id, permissions, language, interaction.locale);
  }

  async #interaction(interaction: Interaction, receivedAt: number): Promise<Outcome> {
    if (interaction.isAutocomplete()) return this.#autocomplete(interaction);
    if (!interaction.isChatInputCommand() && !interaction.isButton()) return "ignored";
    try {
      const wait = this.#deps.limiter.take(interaction.user.id);
      if (wait > 0) {
        await sendReply(interaction, slowDown(wait, languageOfLocale(interaction.locale)));
        return "rate-limited";
      }
      const deferral = new Deferral(interaction, {
        receivedAt,
        ephemeral: interaction.isButton() || privately(interaction),
      });
      try {
        await this.#turns.take(interaction.user.id);
        await this.#dispatch(interaction, deferral);
      } finally {
        await deferral.settle();
      }
      return "answered";
    } catch (error) {
      log.error(`interaction ${describe(interaction)} failed`, error);
      await apologize(interaction);
      return "failed";
    }
  }

  /** Runs a slash command or a button through the dispatcher, deferring as its work needs. */
  async #dispatch(
    interaction: ChatInputCommandInteraction | ButtonInteraction,
    deferral: Deferral,
  ): Promise<void> {
    const result = await dispatch(this.#interactionContext(interaction), callOf(interaction), {
      label: `interaction ${describe(interaction)}`,
      run: (slow, work) => withDeferral(deferral, { slow }, work),
    });
    await deferral.settle();
    if ("update" in result && interaction.isButton() && !interaction.deferred) {
      await sendUpdate(interaction, result.update);
    } else await sendReply(interaction, "update" in result ? result.update : result.reply);
  }

  /**
   * Suggestions take their turn like any other event and have their own allowance (a
   * question takes many keystrokes). They cannot be deferred: over the allowance, the
   * list is empty.
   */
  async #autocomplete(interaction: AutocompleteInteraction): Promise<Outcome> {
    try {
      if (this.#deps.suggestionLimiter.take(interaction.user.id) > 0) {
        await interaction.respond([]);
        return "rate-limited";
      }
      await this.#turns.take(interaction.user.id);
      const command = commands.get(interaction.commandName);
      const focused = interaction.options.getFocused(true);
      const choices = command?.autocomplete?.(this.#interactionContext(interaction), {
        name: focused.name,
        value: String(focused.value),
      });
      await interaction.respond(choices ?? []);
      return "answered";
    } catch (error) {
      log.warn(`autocomplete ${interaction.commandName} failed`, error);
      return "failed";
    }
  }

  async #message(message: Message): Promise<Outcome> {
    if (message.author.bot || message.system) return "ignored";
    const question = this.#questionIn(message);
    if (question === null) return "ignored";
    // A message carries no locale: the reply takes the question's language.
    const language = detectLanguage(question);
    try {
      const wait = this.#deps.limiter.take(message.author.id);
      if (wait > 0) {
        await sendMessageReply(message, slowDown(wait, language));
        return "rate-limited";
      }
      await this.#turns.take(message.author.id);
      // Messages carry no permissions: only the allowlist makes an admin here.
      const ctx = this.#context(message.author.id, null, language);
      const call: Call = { kind: "message", text: question, dm: !message.inGuild() };
      const result = await dispatch(ctx, call, { label: `message ${message.id}` });
      await sendMessageReply(message, "reply" in result ? result.reply : result.update);
      return "answered";
    } catch (error) {
      log.error(`message ${message.id} failed`, error);
      await sendMessageReply(message, { content: messages(language)("bot.apology") }).catch(
        (e: unknown) => log.warn("could not send an apology", e),
      );
      return "failed";
    }
  }

  /** The question a message asks, or null when the bot should not answer it. */
  #questionIn(message: Message): string | null {
    if (!message.inGuild()) return message.content;
    const me = message.client.user.id;
    if (!this.#deps.mentions || !message.mentions.users.has(me)) return null;
    return message.content.replace(new RegExp(`<@!?${me}>`, "gu"), " ").trim();
  }
}

function callOf(interaction: ChatInputCommandInteraction | ButtonInteraction): Call {
  if (interaction.isChatInputCommand()) {
    return { kind: "command", name: interaction.commandName, options: optionValues(interaction) };
  }
  const message = interaction.message;
  return {
    kind: "button",
    customId: interaction.customId,
    message: {
      content: message.content,
      components: message.components.map(
        (row) => row.toJSON() as { components?: { custom_id?: string }[] },
      ),
      ephemeral: message.flags.has(MessageFlags.Ephemeral),
      askedBy: askerOf(message),
    },
  };
}

function optionValues(interaction: ChatInputCommandInteraction): OptionValues {
  return Object.fromEntries(interaction.options.data.map((o) => [o.name, o.value]));
}

/** Whether the reply to a slash command is private, so a deferral is too. */
function privately(interaction: Interaction): boolean {
  if (!interaction.isChatInputCommand()) return false;
  return (
    optionValues(interaction).private === true ||
    commands.get(interaction.commandName)?.slow === true
  );
}

/** Who a reply answers: the user who ran the command, or whose message it replies to. */
function askerOf(message: Message): string | null {
  return message.interactionMetadata?.user.id ?? message.mentions.repliedUser?.id ?? null;
}

function slowDown(waitMs: number, language: string): ReturnType<typeof notice> {
  return notice(messages(language)("bot.slowDown", { seconds: Math.ceil(waitMs / 1000) }));
}

function describe(interaction: Interaction): string {
  if (interaction.isChatInputCommand()) return `/${interaction.commandName}`;
  if (interaction.isButton()) return `button ${interaction.customId}`;
  if (interaction.isAutocomplete()) return `autocomplete /${interaction.commandName}`;
  return `type ${interaction.type}`;
}
