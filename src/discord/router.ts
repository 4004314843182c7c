import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type Message,
  MessageFlags,
} from "discord.js";
import { answerReply } from "../../commands/ask.ts";
import { type CommandContext, commands } from "../../commands/index.ts";
import { describeReload, REFUSAL } from "../../commands/reload.ts";
import type { FeedbackLog } from "../feedback.ts";
import { log } from "../log.ts";
import type { Library, ReloadReport } from "../search/library.ts";
import { isAdmin } from "./access.ts";
import { parseButtonId } from "./custom-id.ts";
import type { RateLimiter } from "./rate-limit.ts";
import { notice } from "./reply.ts";
import {
  APOLOGY,
  apologize,
  sendMessageReply,
  sendReply,
  sendUpdate,
  withDeferral,
} from "./respond.ts";

/**
 * Routes Discord events to commands: slash commands, autocomplete, buttons, direct
 * messages and (when enabled) mentions. A failure in one event is logged and answered
 * with an apology; it never reaches the client.
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

const DM_RELOAD = /^\s*\/?reload\s*$/iu;

export class Router {
  readonly #deps: RouterDeps;
  readonly #inflight = new Set<Promise<void>>();

  constructor(deps: RouterDeps) {
    this.#deps = deps;
  }

  /** Entry point for `interactionCreate`. */
  onInteraction(interaction: Interaction): void {
    this.#track(() => this.#interaction(interaction, Date.now()));
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

  #context(userId: string, permissions: bigint | null): CommandContext {
    const { library, feedback, reload, adminIds } = this.#deps;
    return {
      library,
      feedback,
      reload,
      user: { id: userId, admin: isAdmin({ userId, permissions }, adminIds()) },
    };
  }

  #interactionContext(interaction: Interaction): CommandContext {
    const permissions = interaction.inGuild()
      ? (interaction.memberPermissions?.bitfield ?? 0n)
      : null;
    return this.#context(interaction.user.id, permissions);
  }

  async #interaction(interaction: Interaction, receivedAt: number): Promise<void> {
    if (interaction.isAutocomplete()) return this.#autocomplete(interaction);
    if (!interaction.isChatInputCommand() && !interaction.isButton()) return;
    try {
      const wait = this.#deps.limiter.take(interaction.user.id);
      if (wait > 0) return await sendReply(interaction, slowDown(wait));
      if (interaction.isChatInputCommand()) await this.#command(interaction, receivedAt);
      else await this.#button(interaction, receivedAt);
    } catch (error) {
      log.error(`interaction ${describe(interaction)} failed`, error);
      await apologize(interaction);
    }
  }

  async #command(interaction: ChatInputCommandInteraction, receivedAt: number): Promise<void> {
    const command = commands.get(interaction.commandName);
    if (!command) {
      await sendReply(interaction, notice("I don't know that command any more. Try /help."));
      return;
    }
    const options = Object.fromEntries(interaction.options.data.map((o) => [o.name, o.value]));
    const ctx = this.#interactionContext(interaction);
    const reply = await withDeferral(
      interaction,
      {
        receivedAt,
        slow: command.slow === true && ctx.user.admin,
        ephemeral: options.private === true || command.slow === true,
      },
      async () => command.execute(ctx, options),
    );
    await sendReply(interaction, reply);
  }

  async #button(interaction: ButtonInteraction, receivedAt: number): Promise<void> {
    const id = parseButtonId(interaction.customId);
    const command = id ? commands.get(id.command) : undefined;
    if (!id || !command?.button) {
      await sendReply(
        interaction,
        notice("That button is not one of mine any more. Please ask again."),
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
    const result = await withDeferral(interaction, { receivedAt, ephemeral: true }, async () =>
      command.button?.(ctx, input),
    );
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
    try {
      const wait = this.#deps.limiter.take(message.author.id);
      if (wait > 0) return await sendMessageReply(message, slowDown(wait));
      if (!message.inGuild() && DM_RELOAD.test(question)) {
        const ctx = this.#context(message.author.id, null);
        if (!ctx.user.admin) return await sendMessageReply(message, notice(REFUSAL));
        const reports = await ctx.reload();
        return await sendMessageReply(message, {
          content: reports
            .map((r, i) => describeReload(r, reports.length > 1 ? i : undefined))
            .join("\n\n"),
        });
      }
      if (!question.trim()) {
        return await sendMessageReply(
          message,
          notice("Send me a question as text, for example: who pays for the deportation flights?"),
        );
      }
      const ctx = this.#context(message.author.id, null);
      await sendMessageReply(message, answerReply(ctx, question, { k: 3, offset: 0 }));
    } catch (error) {
      log.error(`message ${message.id} failed`, error);
      await sendMessageReply(message, { content: APOLOGY }).catch((e: unknown) =>
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

function slowDown(waitMs: number): ReturnType<typeof notice> {
  return notice(
    `You're asking faster than I can keep up with. Please wait ${Math.ceil(waitMs / 1000)} s and try again.`,
  );
}

function describe(interaction: Interaction): string {
  if (interaction.isChatInputCommand()) return `/${interaction.commandName}`;
  if (interaction.isButton()) return `button ${interaction.customId}`;
  return `type ${interaction.type}`;
}
