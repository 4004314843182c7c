import {
  DiscordAPIError,
  OAuth2Scopes,
  PermissionFlagsBits,
  PermissionsBitField,
  REST,
  RESTJSONErrorCodes,
  Routes,
} from "discord.js";
import type { BotConfig } from "../config.ts";

/**
 * The bot's Discord application as the operator's tools (deploy, invite) meet it: REST with
 * the token, the application id, the invite link, and one line saying what to do when
 * Discord refuses or cannot be reached.
 */

export type ApplicationConfig = Pick<
  BotConfig,
  "DISCORD_TOKEN" | "DISCORD_APPLICATION_ID" | "DISCORD_GUILD_ID" | "DISCORD_API_URL"
>;

/** What the bot needs in a channel: see it, reply, show quotes as embeds, reply to a message. */
export const BOT_PERMISSIONS = new PermissionsBitField([
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessages,
  PermissionFlagsBits.EmbedLinks,
  PermissionFlagsBits.ReadMessageHistory,
]);

export const BAD_TOKEN =
  "Discord rejected DISCORD_TOKEN; copy the bot token again from the Developer Portal (Bot → Reset Token) into .env";

export function restFor(config: ApplicationConfig): REST {
  return new REST(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {}).setToken(
    config.DISCORD_TOKEN,
  );
}

/** DISCORD_APPLICATION_ID, or the id of the application the token belongs to. */
export async function applicationIdOf(rest: REST, config: ApplicationConfig): Promise<string> {
  if (config.DISCORD_APPLICATION_ID) return config.DISCORD_APPLICATION_ID;
  return ((await rest.get(Routes.currentApplication())) as { id: string }).id;
}

/** The link that adds the bot to a server with its commands and exactly BOT_PERMISSIONS. */
export function inviteUrl(applicationId: string, guildId?: string): string {
  const url = new URL("https://discord.com/oauth2/authorize");
  url.searchParams.set("client_id", applicationId);
  url.searchParams.set("scope", [OAuth2Scopes.Bot, OAuth2Scopes.ApplicationsCommands].join(" "));
  url.searchParams.set("permissions", BOT_PERMISSIONS.bitfield.toString());
  if (guildId) url.searchParams.set("guild_id", guildId);
  return url.href;
}

/** "cannot reach Discord …" for a network failure (no DNS, refused, reset, timed out), else undefined. */
export function networkProblem(error: unknown): string | undefined {
  const cause = (error as { cause?: unknown } | null)?.cause;
  const code = (error as { code?: unknown } | null)?.code ?? (cause as { code?: unknown })?.code;
  const aborted = error instanceof Error && error.name === "AbortError";
  if (!aborted && !(typeof code === "string" && /^E[A-Z_]+$/u.test(code))) return undefined;
  const detail = aborted ? "no answer within 15 s" : (error as Error).message;
  return `cannot reach Discord (${detail}); check the network or DISCORD_API_URL`;
}

/** One line saying what to do about a failed request for this application. */
export function applicationProblem(
  error: unknown,
  config: ApplicationConfig,
  applicationId: string | undefined,
): string {
  if (error instanceof DiscordAPIError) {
    if (error.status === 401) return BAD_TOKEN;
    if (error.code === RESTJSONErrorCodes.MissingAccess) {
      const id = applicationId ?? "APPLICATION_ID";
      return config.DISCORD_GUILD_ID
        ? `Missing Access to server ${config.DISCORD_GUILD_ID}: invite the bot there with the applications.commands scope (${inviteUrl(id, config.DISCORD_GUILD_ID)}), or check DISCORD_GUILD_ID and DISCORD_APPLICATION_ID`
        : `Missing Access to application ${id}: set DISCORD_APPLICATION_ID to this bot's Application ID (Developer Portal → General Information), or leave it empty`;
    }
    return `Discord refused the request: ${error.message} (${error.status})`;
  }
  return networkProblem(error) ?? (error instanceof Error ? error.message : String(error));
}
