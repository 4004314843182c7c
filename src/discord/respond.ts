import {
  type BaseMessageOptions,
  type ButtonInteraction,
  type Message,
  MessageFlags,
  type RepliableInteraction,
} from "discord.js";
import { log } from "../log.ts";
import { languageOfLocale, messages } from "../replies/messages.ts";
import { fitReply, type ReplyData } from "../replies/reply.ts";

/**
 * The one module that sends reply data to Discord: it cuts every reply to Discord's
 * limits, turns all mentions off, sets the ephemeral flag, and defers an interaction
 * whose work runs close to the 3 s window.
 */

/** Discord drops an interaction not answered within 3 s; defer a little before that. */
export const DEFER_AFTER_MS = 2000;

const NO_MENTIONS = { parse: [], repliedUser: false } as const;

export function messagePayload(reply: ReplyData): BaseMessageOptions {
  const fitted = fitReply(reply);
  return {
    content: fitted.content ?? "",
    embeds: fitted.embeds ?? [],
    components: fitted.components ?? [],
    allowedMentions: NO_MENTIONS,
  };
}

function flags(reply: ReplyData): MessageFlags.Ephemeral | undefined {
  return reply.ephemeral ? MessageFlags.Ephemeral : undefined;
}

/** Replies, edits the deferred reply, or follows up: whichever the interaction's state allows. */
export async function sendReply(
  interaction: RepliableInteraction,
  reply: ReplyData,
): Promise<void> {
  const payload = messagePayload(reply);
  if (interaction.deferred && !interaction.replied) {
    await interaction.editReply(payload);
  } else if (interaction.replied) {
    await interaction.followUp({ ...payload, flags: flags(reply) });
  } else {
    await interaction.reply({ ...payload, flags: flags(reply) });
  }
}

/** Rewrites the message a button sits on. */
export async function sendUpdate(interaction: ButtonInteraction, reply: ReplyData): Promise<void> {
  const payload = messagePayload(reply);
  if (interaction.deferred || interaction.replied) await interaction.editReply(payload);
  else await interaction.update(payload);
}

/** Answers a message (DM or mention) in its channel. */
export async function sendMessageReply(message: Message, reply: ReplyData): Promise<void> {
  await message.reply(messagePayload(reply));
}

/**
 * Defers an interaction DEFER_AFTER_MS after it arrived unless it was answered first:
 * created on arrival, so time spent waiting for a turn (src/discord/turns.ts) counts.
 */
export class Deferral {
  readonly #interaction: RepliableInteraction;
  readonly #receivedAt: number;
  readonly #ephemeral: boolean;
  readonly #timer: NodeJS.Timeout;
  #deferring: Promise<unknown> | null = null;

  constructor(
    interaction: RepliableInteraction,
    options: { receivedAt: number; ephemeral: boolean },
  ) {
    this.#interaction = interaction;
    this.#receivedAt = options.receivedAt;
    this.#ephemeral = options.ephemeral;
    this.#timer = setTimeout(
      () => this.now(),
      Math.max(0, options.receivedAt + DEFER_AFTER_MS - Date.now()),
    );
  }

  /** Defers at once (once): before slow work, or when the window is nearly gone. */
  now(): void {
    clearTimeout(this.#timer);
    this.#deferring ??= this.#interaction
      .deferReply(this.#ephemeral ? { flags: MessageFlags.Ephemeral } : {})
      .catch((error: unknown) => log.warn("could not defer an interaction", error));
  }

  /** True once DEFER_AFTER_MS have passed since the interaction arrived. */
  get overdue(): boolean {
    return Date.now() >= this.#receivedAt + DEFER_AFTER_MS;
  }

  /** Stops the timer; resolves when a deferral in flight is done, so the reply can follow it. */
  async settle(): Promise<void> {
    clearTimeout(this.#timer);
    await this.#deferring;
  }
}

/**
 * Runs the work, deferring first when it is `slow` or the window is nearly gone (the
 * timer cannot fire while synchronous work runs); a deferral the timer started while
 * the work awaited is finished before this returns, so the reply can follow it.
 */
export async function withDeferral<T>(
  deferral: Deferral,
  options: { slow?: boolean },
  work: () => Promise<T>,
): Promise<T> {
  if (options.slow || deferral.overdue) deferral.now();
  try {
    return await work();
  } finally {
    await deferral.settle();
  }
}

/** Tells the user something failed, whatever state the interaction is in; never throws. */
export async function apologize(interaction: RepliableInteraction): Promise<void> {
  try {
    const apology = messages(languageOfLocale(interaction.locale))("bot.apology");
    await sendReply(interaction, { content: apology, ephemeral: true });
  } catch (error) {
    log.warn("could not send an apology", error);
  }
}
