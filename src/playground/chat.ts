import { randomUUID } from "node:crypto";
import { type Call, dispatch } from "../../commands/dispatch.ts";
import { type CommandContext, commands } from "../../commands/index.ts";
import { definition, focusedOption, readLine } from "../../commands/typed-line.ts";
import type { FeedbackLog } from "../feedback.ts";
import { log } from "../log.ts";
import type { QuestionLog } from "../questions.ts";
import { languageOfLocale, messages } from "../replies/messages.ts";
import { fitReply, notice, type ReplyData } from "../replies/reply.ts";
import type { Library } from "../search/library.ts";
import { renderBotMessage, renderUserMessage } from "./render.ts";
import { renderWelcome, welcome } from "./welcome.ts";

/**
 * The playground's conversation: typed lines and button clicks go to the same dispatcher
 * the Discord router calls (commands/dispatch.ts), and their replies come back as HTML. Bot messages
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

/** Input the page should never send: answered with HTTP 400 and the catalog message `key`. */
export class BadInput extends Error {
  constructor(readonly key: string) {
    super(key);
  }
}

/** Enough for a long session; older buttons answer "please ask again". */
const KEPT_MESSAGES = 500;

export class Chat {
  readonly #base: Omit<CommandContext, "language" | "locale">;
  readonly #kept = new Map<string, ReplyData>();

  constructor(
    library: Library,
    feedback: FeedbackLog,
    questions: QuestionLog,
    staleAfterDays?: number,
  ) {
    this.#base = {
      ...(staleAfterDays === undefined ? {} : { staleAfterDays }),
      library,
      feedback,
      questions,
      // The playground runs on the user's own machine: they are its admin.
      user: { id: "playground", admin: () => true },
      reload: async () => [await library.reload()],
    };
  }

  /**
   * The context of one request. `locale` is the page's language switch: a Discord locale
   * ("en-US", "es-ES"), as Discord sends with each interaction; the reply is in its language.
   */
  #context(locale: string | undefined): CommandContext {
    return { ...this.#base, language: languageOfLocale(locale), ...(locale ? { locale } : {}) };
  }

  /** The first screen, as HTML, in `locale`'s language: what the bot knows now and questions to try. */
  welcome(locale?: string): string {
    return renderWelcome(welcome(this.#base.library), languageOfLocale(locale));
  }

  /** A typed line (a slash command, or a DM to the bot) and the bot's answer to it. */
  async send(text: string, locale?: string): Promise<ShownMessage[]> {
    const id = randomUUID();
    const ctx = this.#context(locale);
    const user = { id, html: renderUserMessage(id, text, messages(ctx.language)) };
    const label = `playground message ${JSON.stringify(text.slice(0, 80))}`;
    const result = await dispatch(ctx, { kind: "line", text }, { label });
    return [user, this.#show(ctx, fitReply("reply" in result ? result.reply : result.update))];
  }

  /** A click on a button of a message this chat showed. */
  async click(messageId: string, customId: string, locale?: string): Promise<ClickResult> {
    const ctx = this.#context(locale);
    const message = this.#kept.get(messageId);
    if (!message) {
      return {
        messages: [this.#show(ctx, fitReply(notice(messages(ctx.language)("playground.gone"))))],
      };
    }
    const button = message.components
      ?.flatMap((row) => row.components)
      .find((b) => "custom_id" in b && b.custom_id === customId);
    if (!button) throw new BadInput("playground.error.noSuchButton");
    if (button.disabled) throw new BadInput("playground.error.disabled");
    const call: Call = {
      kind: "button",
      customId,
      message: {
        content: message.content ?? "",
        // The shape the router passes: rows of { custom_id } (link buttons have none).
        components: (message.components ?? []).map((row) => ({
          components: row.components.map((b) =>
            "custom_id" in b ? { custom_id: b.custom_id } : {},
          ),
        })),
        ephemeral: message.ephemeral === true,
        // Every message here answers the one person at the page.
        askedBy: ctx.user.id,
      },
    };
    const result = await dispatch(ctx, call, { label: `playground button ${customId}` });
    if ("reply" in result) return { messages: [this.#show(ctx, fitReply(result.reply))] };
    // An edit cannot change who sees a message.
    const { ephemeral: _, ...updated } = fitReply(result.update);
    const kept = message.ephemeral ? { ...updated, ephemeral: true } : updated;
    return { update: this.#show(ctx, kept, messageId) };
  }

  /**
   * Suggestions for the line being typed: command names with their descriptions in
   * `locale`'s language, then each command's own autocomplete.
   */
  suggest(text: string, locale?: string): Suggestion[] {
    const line = readLine(text);
    if (line.kind !== "command") return [];
    if (!line.named) {
      return [...commands.values()]
        .map(definition)
        .filter((d) => d.name.startsWith(line.name))
        .map((d) => {
          const localized = locale && Object.hasOwn(d.description_localizations, locale);
          const description = localized ? d.description_localizations[locale] : d.description;
          return { name: `/${d.name}: ${description}`, value: `/${d.name} ` };
        });
    }
    const command = commands.get(line.name);
    if (!command?.autocomplete) return [];
    try {
      const focused = focusedOption(command, line.text);
      if (!focused) return [];
      return command
        .autocomplete(this.#context(locale), { name: focused.name, value: focused.value })
        .map((choice) => ({
          name: choice.name,
          value: line.text.slice(0, focused.start) + choice.value,
        }));
    } catch (error) {
      log.warn(`autocomplete /${line.name} failed`, error);
      return [];
    }
  }

  #show(ctx: CommandContext, reply: ReplyData, id: string = randomUUID()): ShownMessage {
    if (reply.components?.length) {
      this.#kept.set(id, reply);
      for (const old of this.#kept.keys()) {
        if (this.#kept.size <= KEPT_MESSAGES) break;
        this.#kept.delete(old);
      }
    } else {
      this.#kept.delete(id);
    }
    return { id, html: renderBotMessage(id, reply, messages(ctx.language)) };
  }
}
