/** Discord's REST answers: success and error shapes, and the message and callback limits it enforces. */
import type { APIEmbed } from "discord.js";
import { InteractionResponseType, InteractionType } from "discord.js";
import type { MessageBody } from "./shapes.ts";
import type { JsonBody } from "./types.ts";

export const ALLOWED_CALLBACKS: Partial<Record<InteractionType, InteractionResponseType[]>> = {
  [InteractionType.ApplicationCommand]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.Modal,
  ],
  [InteractionType.MessageComponent]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
    InteractionResponseType.Modal,
  ],
  [InteractionType.ApplicationCommandAutocomplete]: [
    InteractionResponseType.ApplicationCommandAutocompleteResult,
  ],
};

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function ok(body: unknown): Reply {
  return { status: 200, body };
}

export const NO_CONTENT: Reply = { status: 204 };

export function apiError(status: number, code: number, message: string, errors?: object): Reply {
  return { status, body: errors ? { message, code, errors } : { message, code } };
}

/** Discord's nested 50035 error shape, e.g. `{ data: { content: { _errors: [...] } } }`. */
export function formError(path: string, code: string, message: string): Reply {
  const errors = path
    .split(".")
    .reduceRight<object>((inner, key) => ({ [key]: inner }), { _errors: [{ code, message }] });
  return apiError(400, 50035, "Invalid Form Body", errors);
}

export const EMPTY_MESSAGE = apiError(400, 50006, "Cannot send an empty message");
export const UNKNOWN_WEBHOOK = apiError(404, 10015, "Unknown Webhook");
export const UNKNOWN_MESSAGE = apiError(404, 10008, "Unknown Message");
export const UNKNOWN_CHANNEL = apiError(404, 10003, "Unknown Channel");
export const UNKNOWN_GUILD = apiError(404, 10004, "Unknown Guild");
export const MISSING_ACCESS = apiError(403, 50001, "Missing Access");

export function isEmptyMessage(body: MessageBody): boolean {
  return (
    !body.content &&
    !body.embeds?.length &&
    !body.components?.length &&
    !body.sticker_ids?.length &&
    !body.attachments?.length &&
    !body.poll
  );
}

function embedLength(embed: APIEmbed): number {
  const fields = embed.fields ?? [];
  return [embed.title, embed.description, embed.footer?.text, embed.author?.name]
    .concat(fields.flatMap((field) => [field.name, field.value]))
    .reduce((sum, text) => sum + (text?.length ?? 0), 0);
}

/** The length limits Discord enforces on message bodies (the ones a text-heavy bot can hit). */
export function invalidMessage(body: MessageBody, prefix = ""): Reply | undefined {
  if ((body.content?.length ?? 0) > 2000) {
    return formError(
      `${prefix}content`,
      "BASE_TYPE_MAX_LENGTH",
      "Must be 2000 or fewer in length.",
    );
  }
  const embeds = body.embeds ?? [];
  if (embeds.length > 10) {
    return formError(`${prefix}embeds`, "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.");
  }
  const longDescription = embeds.findIndex((embed) => (embed.description?.length ?? 0) > 4096);
  if (longDescription >= 0) {
    const path = `${prefix}embeds.${longDescription}.description`;
    return formError(path, "BASE_TYPE_MAX_LENGTH", "Must be 4096 or fewer in length.");
  }
  if (embeds.reduce((sum, embed) => sum + embedLength(embed), 0) > 6000) {
    const message = "Embed size exceeds maximum size of 6000";
    return formError(`${prefix}embeds`, "MAX_EMBED_SIZE_EXCEEDED", message);
  }
  return undefined;
}

export function invalidCallback(type: number, data: JsonBody): Reply | undefined {
  if (type === InteractionResponseType.ApplicationCommandAutocompleteResult) {
    const tooMany = (data?.choices?.length ?? 0) > 25;
    const message = "Must be 25 or fewer in length.";
    return tooMany ? formError("data.choices", "BASE_TYPE_MAX_LENGTH", message) : undefined;
  }
  if (type === InteractionResponseType.ChannelMessageWithSource && isEmptyMessage(data ?? {})) {
    return EMPTY_MESSAGE;
  }
  const carriesMessage =
    type === InteractionResponseType.ChannelMessageWithSource ||
    type === InteractionResponseType.UpdateMessage;
  return carriesMessage ? invalidMessage(data ?? {}, "data.") : undefined;
}
