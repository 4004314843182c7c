/**
 * The loopback Discord's world: the bot, users, guilds, channels and messages, and the
 * snowflakes that name them. The REST routes, the gateway and the test controls read and change it.
 */
import { randomBytes } from "node:crypto";
import type {
  APIApplication,
  APIDMChannel,
  APIEmbed,
  APIGuild,
  APIGuildMember,
  APIMessage,
  APIMessageTopLevelComponent,
  APIRole,
  APITextChannel,
  APIUser,
  ApplicationFlags,
  GuildMemberFlags,
  GuildSystemChannelFlags,
  RoleFlags,
} from "discord.js";
import {
  ApplicationCommandType,
  ButtonStyle,
  ChannelType,
  ComponentType,
  EmbedType,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildVerificationLevel,
  Locale,
  MessageFlags,
  MessageType,
  PermissionFlagsBits,
} from "discord.js";
import type { Channel, GuildFixture, InteractionState, MessageBody, Where } from "./shapes.ts";
import type { ActorOptions, ButtonOptions, JsonBody, TestUser } from "./types.ts";

const DISCORD_EPOCH = 1_420_070_400_000n;

export const BOT_PERMISSIONS = (
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseApplicationCommands
).toString();

function toEmbeds(embeds: APIEmbed[] | null | undefined): APIEmbed[] {
  return (embeds ?? []).map((embed) => ({ type: EmbedType.Rich, ...embed }));
}

function containsCustomId(node: unknown, customId: string): boolean {
  if (Array.isArray(node)) return node.some((child) => containsCustomId(child, customId));
  if (typeof node !== "object" || node === null) return false;
  return Object.entries(node).some(([key, value]) =>
    key === "custom_id" ? value === customId : containsCustomId(value, customId),
  );
}

function snowflakes(): (at?: number) => string {
  let increment = 0n;
  return (at = Date.now()) => {
    increment = (increment + 1n) % 4096n;
    return (((BigInt(at) - DISCORD_EPOCH) << 22n) | increment).toString();
  };
}

export function secret(bytes: number): string {
  return randomBytes(bytes).toString("base64url");
}

export class World {
  readonly applicationId: string;
  readonly token: string;
  readonly bot: APIUser;
  readonly defaultUser: APIUser;
  readonly guilds: GuildFixture[];
  readonly users = new Map<string, APIUser>();
  readonly channels = new Map<string, Channel>();
  readonly dmChannels = new Map<string, APIDMChannel>();
  /** The commands from the last PUT, as returned (with ids). */
  readonly commands = { global: [] as JsonBody[], guild: new Map<string, JsonBody[]>() };
  messages = new Map<string, APIMessage>();
  channelPosts = new Map<string, JsonBody[]>();
  /** Interactions by token. */
  interactions = new Map<string, InteractionState>();
  readonly nextId = snowflakes();

  constructor(guildCount: number) {
    this.applicationId = this.nextId();
    this.bot = {
      id: this.applicationId,
      username: "LoopbackBot",
      discriminator: "0000",
      global_name: null,
      avatar: null,
      bot: true,
      verified: true,
      mfa_enabled: false,
    };
    this.token = `${Buffer.from(this.applicationId).toString("base64url")}.${secret(4)}.${secret(27)}`;
    this.defaultUser = this.registerUser({ username: "tester" });
    const now = Date.now();
    // Consecutive milliseconds give consecutive `id >> 22`, so guilds spread over shards like real ones.
    this.guilds = Array.from({ length: guildCount }, (_, i) => this.#createGuild(now - i, i));
  }

  /** Drops the messages and interactions kept so far (new containers; see `LoopbackDiscord.forget`). */
  forget(): void {
    this.messages = new Map();
    this.channelPosts = new Map();
    this.interactions = new Map();
  }

  registerUser(opts: Partial<TestUser>): APIUser {
    const id = opts.id ?? this.nextId();
    const user: APIUser = {
      id,
      username: opts.username ?? `user${this.users.size + 1}`,
      discriminator: "0",
      global_name: null,
      avatar: null,
    };
    this.users.set(id, user);
    return user;
  }

  resolveUser(user: TestUser | undefined): APIUser {
    if (!user) return this.defaultUser;
    return this.users.get(user.id) ?? this.registerUser(user);
  }

  #createGuild(createdAt: number, index: number): GuildFixture {
    const id = this.nextId(createdAt);
    const joinedAt = new Date().toISOString();
    const channel: APITextChannel = {
      id: this.nextId(),
      type: ChannelType.GuildText,
      guild_id: id,
      name: "general",
      position: 0,
      permission_overwrites: [],
      nsfw: false,
      topic: null,
      last_message_id: null,
      rate_limit_per_user: 0,
      parent_id: null,
    };
    const everyone = this.#role(id, "@everyone", "0", 0);
    const botRole = {
      ...this.#role(this.nextId(), "LoopbackBot", BOT_PERMISSIONS, 1),
      managed: true,
    };
    const guild: APIGuild = {
      id,
      name: `Loopback Guild ${index + 1}`,
      icon: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: this.defaultUser.id,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: GuildVerificationLevel.None,
      default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
      explicit_content_filter: GuildExplicitContentFilter.Disabled,
      roles: [everyone, { ...botRole, tags: { bot_id: this.bot.id } }],
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: GuildMFALevel.None,
      application_id: null,
      system_channel_id: channel.id,
      system_channel_flags: 0 as GuildSystemChannelFlags,
      rules_channel_id: null,
      vanity_url_code: null,
      premium_tier: GuildPremiumTier.None,
      premium_subscription_count: 0,
      preferred_locale: Locale.EnglishUS,
      public_updates_channel_id: null,
      nsfw_level: GuildNSFWLevel.Default,
      premium_progress_bar_enabled: false,
      hub_type: null,
      safety_alerts_channel_id: null,
      incidents_data: null,
    };
    this.channels.set(channel.id, channel);
    return { guild, channel, botRoleId: botRole.id, joinedAt };
  }

  #role(id: string, name: string, permissions: string, position: number): APIRole {
    return {
      id,
      name,
      permissions,
      position,
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      managed: false,
      mentionable: false,
      flags: 0 as RoleFlags,
    };
  }

  guildFixture(guildId: string | undefined): GuildFixture {
    const fixture = guildId ? this.findGuild(guildId) : this.guilds[0];
    if (!fixture) throw new Error(`The loopback server has no guild ${guildId ?? "at all"}`);
    return fixture;
  }

  findGuild(guildId: string): GuildFixture | undefined {
    return this.guilds.find(({ guild }) => guild.id === guildId);
  }

  member(user: APIUser, fixture: GuildFixture): APIGuildMember {
    return {
      user,
      nick: null,
      avatar: null,
      banner: null,
      roles: user.id === this.bot.id ? [fixture.botRoleId] : [],
      joined_at: fixture.joinedAt,
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0 as GuildMemberFlags,
      pending: false,
      communication_disabled_until: null,
    };
  }

  dmChannel(user: APIUser): APIDMChannel {
    const existing = this.dmChannels.get(user.id);
    if (existing) return existing;
    const channel: APIDMChannel = {
      id: this.nextId(),
      type: ChannelType.DM,
      name: null,
      last_message_id: null,
      recipients: [user],
    };
    this.dmChannels.set(user.id, channel);
    this.channels.set(channel.id, channel);
    return channel;
  }

  application(): APIApplication {
    return {
      id: this.applicationId,
      name: this.bot.username,
      icon: null,
      description: "",
      summary: "",
      bot_public: false,
      bot_require_code_grant: false,
      bot: this.bot,
      owner: this.defaultUser,
      verify_key: "0".repeat(64),
      team: null,
      flags: 0 as ApplicationFlags,
      flags_new: "0",
    };
  }

  /** Uses the id of a command registered under that name, as Discord would. */
  commandData(name: string, options: unknown[] | undefined, where: Where): object {
    const guildId = where.guild?.guild.id;
    const guildCommands = guildId ? (this.commands.guild.get(guildId) ?? []) : [];
    const command = [...guildCommands, ...this.commands.global].find((c) => c.name === name);
    return {
      id: command?.id ?? this.nextId(),
      name,
      type: ApplicationCommandType.ChatInput,
      ...(options ? { options } : {}),
      ...(command?.guild_id ? { guild_id: command.guild_id } : {}),
    };
  }

  componentMessage(opts: ButtonOptions): APIMessage {
    if (opts.messageId) {
      const message = this.messages.get(opts.messageId);
      if (!message) throw new Error(`The loopback server knows no message ${opts.messageId}`);
      return message;
    }
    const latest = [...this.messages.values()].findLast(
      (message) =>
        message.author.id === this.bot.id && containsCustomId(message.components, opts.customId),
    );
    if (latest) return latest;
    // The bot never posted this button: invent a bot message carrying it so the click has a source.
    const button = {
      type: ComponentType.Button,
      style: ButtonStyle.Primary,
      label: opts.customId,
      custom_id: opts.customId,
    } as const;
    const components: APIMessageTopLevelComponent[] = [
      { type: ComponentType.ActionRow, components: [button] },
    ];
    return this.storeMessage(this.where(opts).channel.id, this.bot, { components });
  }

  storeMessage(
    channelId: string,
    author: APIUser,
    body: MessageBody,
    extra: Partial<APIMessage> = {},
  ): APIMessage {
    const message: APIMessage = {
      id: this.nextId(),
      channel_id: channelId,
      author,
      content: body.content ?? "",
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: body.tts ?? false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: toEmbeds(body.embeds),
      components: body.components ?? [],
      pinned: false,
      type: MessageType.Default,
      flags: body.flags ?? 0,
      ...extra,
    };
    this.messages.set(message.id, message);
    return message;
  }

  editMessage(message: APIMessage, body: MessageBody): APIMessage {
    if (body.content !== undefined) message.content = body.content ?? "";
    if (body.embeds !== undefined) message.embeds = toEmbeds(body.embeds);
    if (body.components !== undefined) message.components = body.components ?? [];
    message.flags = (message.flags ?? 0) & ~MessageFlags.Loading;
    message.edited_timestamp = new Date().toISOString();
    return message;
  }

  posts(channelId: string): JsonBody[] {
    const posts = this.channelPosts.get(channelId) ?? [];
    this.channelPosts.set(channelId, posts);
    return posts;
  }

  where(opts: ActorOptions): Where {
    const user = this.resolveUser(opts.user);
    const guild = opts.inGuild === false ? undefined : this.guildFixture(opts.guildId);
    return {
      user,
      guild,
      channel: guild ? guild.channel : this.dmChannel(user),
      permissions: opts.permissions ?? "0",
      locale: (opts.locale ?? Locale.EnglishUS) as Locale,
    };
  }
}
