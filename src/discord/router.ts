import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type Message,
  MessageFlags,
} from "discord.js";
import { answerReply, DEFAULT_RESULTS } from "../../commands/ask.ts";
import { type CommandContext, commands, type OptionValues } from "../../commands/index.ts";
import * as reload from "../../commands/reload.ts";
import type { FeedbackLog } from "../feedback.ts";
import { log } from "../log.ts";
import { languageOfLocale, messages } from "../replies/messages.ts";
import type { Library, ReloadReport } from "../search/library.ts";
import { detectLanguage } from "../text/language.ts";
import { Asker } from "./access.ts";
import { parseButtonId } from "./custom-id.ts";
import type { RateLimiter } from "./rate-limit.ts";
import { notice } from "./reply.ts";
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
  /** Read at every check, so allowlist changes apply at once. */
  adminIds: () => readonly string[];
  reload: () => Promise<ReloadReport[]>;
  /** Answer questions that @mention the bot in a channel. */
  mentions: boolean;
  limiter: RateLimiter;
}

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
    this.#track(() => this.#interaction(interaction, receivedAt));
  }

  /** Entry point for `messageCreate`. */
  onMessage(message: Message): void {
    this.#track(() => this.#message(message));
  }

  /** Resolves when every event being handled has been answered. */
  async drain(): Promise<void> {
    while (this.#inflight.size) await Promise.allSettled([...this.#inflight]);
  }

  #track(handle: () => Promise<void>): void {
    const done = handle()
      .catch((error: unknown) => log.error("unhandled error in an event handler", error))
      .finally(() => this.#inflight.delete(done));
    this.#inflight.add(done);
  }

  #context(userId: string, permissions: bigint | null, language: string): CommandContext {
    const { library, feedback, reload, adminIds } = this.#deps;
    const user = new Asker({ userId, permissions }, adminIds);
    return { library, feedback, reload, user, language };
  }

  #interactionContext(interaction: Interaction): CommandContext {
    const permissions = interaction.inGuild()
      ? (interaction.memberPermissions?.bitfield ?? 0n)
      : null;
    // The user's Discord language decides the reply's, whatever the question's language.
    return this.#context(interaction.user.id, permissions, languageOfLocale(interaction.locale));
  }

  async #interaction(interaction: Interaction, receivedAt: number): Promise<void> {
    if (interaction.isAutocomplete()) return this.#autocomplete(interaction);
    if (!interaction.isChatInputCommand() && !interaction.isButton()) return;
    try {
      const wait = this.#deps.limiter.take(interaction.user.id);
      if (wait > 0) {
        return await sendReply(interaction, slowDown(wait, languageOfLocale(interaction.locale)));
      }
      const deferral = new Deferral(interaction, {
        receivedAt,
        ephemeral: interaction.isButton() || privately(interaction),
      });
      try {
        await this.#turns.take(interaction.user.id);
        if (interaction.isChatInputCommand()) await this.#command(interaction, deferral);
        else await this.#button(interaction, deferral);
      } finally {
        await deferral.settle();
      }
    } catch (error) {
      log.error(`interaction ${describe(interaction)} failed`, error);
      await apologize(interaction);
    }
  }

  async #command(interaction: ChatInputCommandInteraction, deferral: Deferral): Promise<void> {
    const command = commands.get(interaction.commandName);
    const options = optionValues(interaction);
    const ctx = this.#interactionContext(interaction);
    const reply = await withDeferral(
      deferral,
      { slow: command?.slow === true && ctx.user.admin },
      async () =>
        command
          ? command.execute(ctx, options)
          : notice(messages(ctx.language)("bot.unknownCommand")),
    );
    await sendReply(interaction, reply);
  }

  async #button(interaction: ButtonInteraction, deferral: Deferral): Promise<void> {
    const id = parseButtonId(interaction.customId);
    const command = id ? commands.get(id.command) : undefined;
    if (!id || !command?.button) {
      await deferral.settle();
      await sendReply(
        interaction,
        notice(messages(languageOfLocale(interaction.locale))("bot.notMine")),
      );
      return;
    }
    const ctx = this.#interactionContext(interaction);
    const message = interaction.message;
    const input = {
      action: id.action,
      args: id.args,
      message: {
        content: message.content,
        components: message.components.map(
          (row) => row.toJSON() as { components?: { custom_id?: string }[] },
        ),
        ephemeral: message.flags.has(MessageFlags.Ephemeral),
      },
    };
    const result = await withDeferral(deferral, {}, async () => command.button?.(ctx, input));
    if (!result) return;
    if ("update" in result && !interaction.deferred) await sendUpdate(interaction, result.update);
    else await sendReply(interaction, "update" in result ? result.update : result.reply);
  }

  async #autocomplete(interaction: AutocompleteInteraction): Promise<void> {
    try {
      const command = commands.get(interaction.commandName);
      const focused = interaction.options.getFocused(true);
      const choices = command?.autocomplete?.(this.#interactionContext(interaction), {
        name: focused.name,
        value: String(focused.value),
      });
      await interaction.respond(choices ?? []);
    } catch (error) {
      log.warn(`autocomplete ${interaction.commandName} failed`, error);
    }
  }

  async #message(message: Message): Promise<void> {
    if (message.author.bot || message.system) return;
    const question = this.#questionIn(message);
    if (question === null) return;
    // A message carries no locale: the reply takes the question's language.
    const language = detectLanguage(question);
    const t = messages(language);
    try {
      const wait = this.#deps.limiter.take(message.author.id);
      if (wait > 0) return await sendMessageReply(message, slowDown(wait, language));
      await this.#turns.take(message.author.id);
      // Messages carry no permissions: only the allowlist makes an admin here.
      const ctx = this.#context(message.author.id, null, language);
      if (!message.inGuild() && reload.TYPED_RELOAD.test(question)) {
        return await sendMessageReply(message, await reload.execute(ctx));
      }
      if (!question.trim()) {
        return await sendMessageReply(message, notice(t("bot.emptyMessage")));
      }
      await sendMessageReply(
        message,
        await answerReply(ctx, question, { k: DEFAULT_RESULTS, offset: 0 }),
      );
    } catch (error) {
      log.error(`message ${message.id} failed`, error);
      await sendMessageReply(message, { content: t("bot.apology") }).catch((e: unknown) =>
        log.warn("could not send an apology", e),
      );
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

function slowDown(waitMs: number, language: string): ReturnType<typeof notice> {
  return notice(messages(language)("bot.slowDown", { seconds: Math.ceil(waitMs / 1000) }));
}

function describe(interaction: Interaction): string {
  if (interaction.isChatInputCommand()) return `/${interaction.commandName}`;
  if (interaction.isButton()) return `button ${interaction.customId}`;
  return `type ${interaction.type}`;
}
