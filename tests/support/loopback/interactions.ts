/** Interactions: the INTERACTION_CREATE payloads the server dispatches, the handles tests await, and what each callback does to the messages. */
import type { APIBaseInteraction, APIMessage, APIMessageInteractionMetadata } from "discord.js";
import {
  ApplicationIntegrationType,
  GatewayDispatchEvents,
  InteractionContextType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  MessageType,
} from "discord.js";
import { BOT_PERMISSIONS, secret, type World } from "./fixtures.ts";
import type { Gateway } from "./gateway.ts";
import type { InteractionState, MessageBody, Where } from "./shapes.ts";
import type { InteractionHandle, JsonBody } from "./types.ts";
import { DEFAULT_WAIT_MS, type Waiters } from "./waiters.ts";

const ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

/** Callback types whose own data is what the user ends up seeing. */
const FINAL_CALLBACKS = new Set<number>([
  InteractionResponseType.ChannelMessageWithSource,
  InteractionResponseType.UpdateMessage,
  InteractionResponseType.ApplicationCommandAutocompleteResult,
]);

export class Interactions {
  readonly #world: World;
  readonly #waiters: Waiters;
  readonly #gateway: Gateway;

  constructor(world: World, waiters: Waiters, gateway: Gateway) {
    this.#world = world;
    this.#waiters = waiters;
    this.#gateway = gateway;
  }

  /** Dispatches a new interaction and returns the handle a test awaits. */
  interact(
    type: InteractionType,
    where: Where,
    data: object,
    message: APIMessage | undefined,
  ): InteractionHandle {
    const state: InteractionState = {
      id: this.#world.nextId(),
      token: `aW50ZXJhY3Rpb24.${secret(64)}`,
      type,
      user: where.user,
      channelId: where.channel.id,
      guildId: where.guild?.guild.id,
      componentMessageId: message?.id,
      callbacks: [],
      originalId: undefined,
      messageIds: new Set(),
      followUps: [],
      edits: [],
    };
    this.#world.interactions.set(state.token, state);
    const payload = this.#interactionPayload(state, where, data, message);
    this.#gateway.dispatch(GatewayDispatchEvents.InteractionCreate, state.guildId, () => payload);
    return this.#handle(state);
  }

  #interactionPayload(
    state: InteractionState,
    where: Where,
    data: object,
    message: APIMessage | undefined,
  ): APIBaseInteraction<InteractionType, object> {
    const { guild, user, channel } = where;
    const location = guild
      ? {
          guild_id: guild.guild.id,
          guild: {
            id: guild.guild.id,
            locale: guild.guild.preferred_locale,
            features: guild.guild.features,
          },
          guild_locale: guild.guild.preferred_locale,
          channel: { ...channel, permissions: where.permissions },
          member: { ...this.#world.member(user, guild), permissions: where.permissions },
          context: InteractionContextType.Guild,
        }
      : { user, channel, context: InteractionContextType.BotDM };
    return {
      id: state.id,
      application_id: this.#world.applicationId,
      type: state.type,
      token: state.token,
      version: 1,
      data,
      channel_id: channel.id,
      locale: where.locale,
      entitlements: [],
      app_permissions: BOT_PERMISSIONS,
      authorizing_integration_owners: this.#owners(state),
      attachment_size_limit: ATTACHMENT_SIZE_LIMIT,
      ...location,
      ...(message ? { message } : {}),
    };
  }

  /** A guild-installed app: the owner is the guild, or "0" in the bot's DMs. */
  #owners(state: InteractionState): Record<string, string> {
    return { [ApplicationIntegrationType.GuildInstall]: state.guildId ?? "0" };
  }

  #metadata(state: InteractionState): APIMessageInteractionMetadata {
    const base = {
      id: state.id,
      user: state.user,
      authorizing_integration_owners: this.#owners(state),
    };
    return state.componentMessageId
      ? {
          ...base,
          type: InteractionType.MessageComponent,
          interacted_message_id: state.componentMessageId,
        }
      : { ...base, type: InteractionType.ApplicationCommand };
  }

  #handle(state: InteractionState): InteractionHandle {
    const waiters = this.#waiters;
    return {
      id: state.id,
      token: state.token,
      followUps: state.followUps,
      edits: state.edits,
      callback: (timeoutMs = DEFAULT_WAIT_MS) =>
        waiters.until(
          () => state.callbacks[0],
          timeoutMs,
          `the callback of interaction ${state.id}`,
        ),
      reply: (timeoutMs = DEFAULT_WAIT_MS) =>
        waiters.until(
          () => {
            const first = state.callbacks[0];
            if (!first) return undefined;
            return FINAL_CALLBACKS.has(first.type) ? (first.data ?? {}) : state.edits[0];
          },
          timeoutMs,
          `the visible reply to interaction ${state.id}`,
        ),
      waitForFollowUp: (n = 1, timeoutMs = DEFAULT_WAIT_MS) =>
        waiters.until(
          () => state.followUps[n - 1],
          timeoutMs,
          `follow-up #${n} of interaction ${state.id}`,
        ),
    };
  }

  webhookMessage(state: InteractionState, body: MessageBody, type: MessageType): APIMessage {
    const message = this.#world.storeMessage(state.channelId, this.#world.bot, body, {
      type,
      webhook_id: this.#world.applicationId,
      application_id: this.#world.applicationId,
      interaction_metadata: this.#metadata(state),
    });
    state.messageIds.add(message.id);
    return message;
  }

  applyCallback(state: InteractionState, type: number, data: JsonBody): APIMessage | undefined {
    const responseType =
      state.type === InteractionType.ApplicationCommand
        ? MessageType.ChatInputCommand
        : MessageType.Default;
    const componentMessage = state.componentMessageId
      ? this.#world.messages.get(state.componentMessageId)
      : undefined;
    switch (type) {
      case InteractionResponseType.ChannelMessageWithSource: {
        const message = this.webhookMessage(state, data, responseType);
        state.originalId = message.id;
        return message;
      }
      case InteractionResponseType.DeferredChannelMessageWithSource: {
        const flags = (data?.flags ?? 0) | MessageFlags.Loading;
        const message = this.webhookMessage(state, { flags }, responseType);
        state.originalId = message.id;
        return message;
      }
      case InteractionResponseType.DeferredMessageUpdate:
        state.originalId = componentMessage?.id;
        return undefined;
      case InteractionResponseType.UpdateMessage:
        state.originalId = componentMessage?.id;
        return componentMessage && this.#world.editMessage(componentMessage, data);
      default:
        // Autocomplete results and modals create no message.
        return undefined;
    }
  }
}
