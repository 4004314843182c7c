import { randomUUID } from "node:crypto";
import { answerReply, DEFAULT_RESULTS } from "../../commands/ask.ts";
import { type ButtonReply, type CommandContext, commands } from "../../commands/index.ts";
import * as reload from "../../commands/reload.ts";
import { parseButtonId } from "../discord/custom-id.ts";
import { fitReply, notice, type ReplyData } from "../discord/reply.ts";
import type { FeedbackLog } from "../feedback.ts";
import { log } from "../log.ts";
import { languageOfLocale, messages } from "../replies/messages.ts";
import type { Library } from "../search/library.ts";
import { definition, focusedOption, optionValues, readLine } from "./input.ts";
import { renderBotMessage, renderUserMessage } from "./render.ts";

/**
 * The playground's conversation: typed lines and button clicks go to the same command
 * modules the Discord router calls, and their replies come back as HTML. Bot messages
 * that carry buttons are kept here by id, so a click is answered from the message as the
 * bot sent it (never from what a page claims it showed).
 */

export interface ShownMessage {
  id: string;
  html: string;
}

export type ClickResult = { update: ShownMessage } | { messages: ShownMessage[] };

export interface Suggestion {
  /** What the list shows. */
  name: string;
  /** The whole line once picked. */
  value: string;
}

/** Input the page should never send: answered with HTTP 400. */
export class BadInput extends Error {}

/** Enough for a long session; older buttons answer "please ask again". */
const KEPT_MESSAGES = 500;

export class Chat {
  readonly #base: Omit<CommandContext, "language">;
  readonly #kept = new Map<string, ReplyData>();

  constructor(library: Library, feedback: FeedbackLog) {
    this.#base = {
      library,
      feedback,
      // The playground runs on the user's own machine: they are its admin.
      user: { id: "playground", admin: true },
      reload: async () => [await library.reload()],
    };
  }

  /**
   * The context of one request. `locale` is the page's language switch: a Discord locale
   * ("en-US", "es-ES"), as Discord sends with each interaction; the reply is in its language.
   */
  #context(locale: string | undefined): CommandContext {
    return { ...this.#base, language: languageOfLocale(locale) };
  }

  /** A typed line and the bot's answer to it, in the language of `locale`. */
  async send(text: string, locale?: string): Promise<ShownMessage[]> {
    const ctx = this.#context(locale);
    const id = randomUUID();
    const user = { id, html: renderUserMessage(id, text) };
    const result = await this.#guard(
      ctx,
      `message ${JSON.stringify(text.slice(0, 80))}`,
      async () => ({
        reply: await this.#answer(text, ctx),
      }),
    );
    return [user, this.#show("reply" in result ? result.reply : result.update)];
  }

  async #answer(text: string, ctx: CommandContext): Promise<ReplyData> {
    const line = readLine(text);
    if (line.kind === "message") {
      // A line typed here is a DM to the bot, where "reload" runs the command.
      if (reload.TYPED_RELOAD.test(text)) return reload.execute(ctx);
      return answerReply(ctx, line.text, { k: DEFAULT_RESULTS, offset: 0 });
    }
    const command = commands.get(line.name);
    if (!command) return notice(messages(ctx.language)("playground.unknownCommand"));
    const options = optionValues(command, line.text);
    if ("error" in options) return notice(options.error);
    return command.execute(ctx, options.values);
  }

  /** A click on a button of a message this chat showed. */
  async click(messageId: string, customId: string, locale?: string): Promise<ClickResult> {
    const ctx = this.#context(locale);
    const message = this.#kept.get(messageId);
    if (!message) {
      return {
        messages: [this.#show(fitReply(notice(messages(ctx.language)("playground.gone"))))],
      };
    }
    const button = message.components
      ?.flatMap((row) => row.components)
      .find((b) => "custom_id" in b && b.custom_id === customId);
    if (!button) throw new BadInput("That message has no such button.");
    if (button.disabled) throw new BadInput("That button is disabled.");
    const id = parseButtonId(customId);
    const command = id ? commands.get(id.command) : undefined;
    if (!id || !command?.button) {
      return { messages: [this.#show(fitReply(notice(messages(ctx.language)("bot.notMine"))))] };
    }
    const handler = command.button;
    const result = await this.#guard(ctx, `button ${customId}`, () =>
      handler(ctx, {
        action: id.action,
        args: id.args,
        message: {
          content: message.content ?? "",
          // The shape the router passes: rows of { custom_id } (link buttons have none).
          components: (message.components ?? []).map((row) => ({
            components: row.components.map((b) =>
              "custom_id" in b ? { custom_id: b.custom_id } : {},
            ),
          })),
          ephemeral: message.ephemeral === true,
        },
      }),
    );
    if ("reply" in result) return { messages: [this.#show(result.reply)] };
    // An edit cannot change who sees a message.
    const { ephemeral: _, ...updated } = result.update;
    const kept = message.ephemeral ? { ...updated, ephemeral: true } : updated;
    return { update: this.#show(kept, messageId) };
  }

  /** Suggestions for the line being typed: command names, then each command's own autocomplete. */
  suggest(text: string): Suggestion[] {
    const line = readLine(text);
    if (line.kind !== "command") return [];
    if (!line.named) {
      return [...commands.values()]
        .map(definition)
        .filter((d) => d.name.startsWith(line.name))
        .map((d) => ({ name: `/${d.name}: ${d.description}`, value: `/${d.name} ` }));
    }
    const command = commands.get(line.name);
    if (!command?.autocomplete) return [];
    try {
      const focused = focusedOption(command, line.text);
      if (!focused) return [];
      return command
        .autocomplete(this.#context(undefined), { name: focused.name, value: focused.value })
        .map((choice) => ({
          name: choice.name,
          value: line.text.slice(0, focused.start) + choice.value,
        }));
    } catch (error) {
      log.warn(`autocomplete /${line.name} failed`, error);
      return [];
    }
  }

  /**
   * Runs a command and cuts its reply to Discord's limits, as the Discord sender does; a
   * failure is logged and answered with the router's apology.
   */
  async #guard(
    ctx: CommandContext,
    what: string,
    work: () => Promise<ButtonReply> | ButtonReply,
  ): Promise<ButtonReply> {
    try {
      const result = await work();
      return "update" in result
        ? { update: fitReply(result.update) }
        : { reply: fitReply(result.reply) };
    } catch (error) {
      log.error(`playground ${what} failed`, error);
      const apology = messages(ctx.language)("bot.apology");
      return { reply: fitReply({ content: apology, ephemeral: true }) };
    }
  }

  #show(reply: ReplyData, id: string = randomUUID()): ShownMessage {
    if (reply.components?.length) {
      this.#kept.set(id, reply);
      for (const old of this.#kept.keys()) {
        if (this.#kept.size <= KEPT_MESSAGES) break;
        this.#kept.delete(old);
      }
    } else {
      this.#kept.delete(id);
    }
    return { id, html: renderBotMessage(id, reply) };
  }
}
