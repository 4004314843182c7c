/**
 * A Discord look-alike on 127.0.0.1 (REST under /api/v10 plus a JSON gateway on the same port) that the real
 * discord.js Client and REST can log into, so the bot can be tested end to end without network access.
 */
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type {
  APIApplication,
  APIBaseInteraction,
  APIDMChannel,
  APIEmbed,
  APIGuild,
  APIGuildMember,
  APIMessage,
  APIMessageInteractionMetadata,
  APIMessageTopLevelComponent,
  APIRole,
  APITextChannel,
  APIUser,
  ApplicationFlags,
  GatewayGuildCreateDispatchData,
  GatewayReadyDispatchData,
  GuildMemberFlags,
  GuildSystemChannelFlags,
  RoleFlags,
} from "discord.js";
import {
  ApplicationCommandType,
  ApplicationIntegrationType,
  ButtonStyle,
  ChannelType,
  ComponentType,
  EmbedType,
  GatewayCloseCodes,
  GatewayDispatchEvents,
  GatewayIntentBits,
  GatewayOpcodes,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildVerificationLevel,
  InteractionContextType,
  InteractionResponseType,
  InteractionType,
  Locale,
  MessageFlags,
  MessageReferenceType,
  MessageType,
  PermissionFlagsBits,
} from "discord.js";
import { type WebSocket, WebSocketServer } from "ws";

// biome-ignore lint/suspicious/noExplicitAny: raw JSON bodies from the bot, read loosely by tests
export type JsonBody = any;

export interface TestUser {
  id: string;
  username: string;
}

interface ActorOptions {
  user?: TestUser;
  /** Default true: the interaction happens in a guild text channel; false: in the user's DM with the bot. */
  inGuild?: boolean;
  /** The member's permissions bitfield as a decimal string (default "0"). */
  permissions?: string;
  locale?: string;
  /** Which guild (default: `guildId`); only needed with `startLoopbackDiscord({ guilds: n > 1 })`. */
  guildId?: string;
}

export interface SlashOptions extends ActorOptions {
  name: string;
  /** The raw Discord option array, e.g. `[{ name: "question", type: 3, value: "..." }]`. */
  options?: unknown[];
}

export interface AutocompleteOptions extends ActorOptions {
  name: string;
  /** Raw options; exactly one should carry `focused: true`. */
  options: unknown[];
}

export interface ButtonOptions extends ActorOptions {
  customId: string;
  /** The message carrying the button; default: the latest bot message that has a component with `customId`. */
  messageId?: string;
}

export interface MessageOptions {
  content: string;
  user?: TestUser;
  dm?: boolean;
  mentionBot?: boolean;
  guildId?: string;
}

export interface RecordedRequest {
  method: string;
  /** The raw request path including /api/v10 and the query string. */
  path: string;
  body: unknown;
  at: number;
  /** The status the loopback server answered with. */
  status: number;
}

export interface FaultResponse {
  status: number;
  body?: unknown;
  /** Seconds, sent as the `retry-after` header and `retry_after` body field of a 429. */
  retryAfter?: number;
  /** How many matching requests fail (default 1). */
  times?: number;
}

export interface LoopbackDiscord {
  /** `http://127.0.0.1:PORT/api`: give it to discord.js as `rest.api`. */
  apiUrl: string;
  token: string;
  applicationId: string;
  botUser: TestUser;
  guildId: string;
  channelId: string;
  /** Every guild with its text channel; the first is `guildId`/`channelId`. */
  guilds: ReadonlyArray<{ id: string; channelId: string }>;
  requests: RecordedRequest[];
  /** The commands from the last PUT, as returned (with ids). */
  commands: { global: JsonBody[]; guild: Map<string, JsonBody[]> };
  addUser(opts?: Partial<TestUser>): TestUser;
  slash(opts: SlashOptions): InteractionHandle;
  autocomplete(opts: AutocompleteOptions): InteractionHandle;
  button(opts: ButtonOptions): InteractionHandle;
  message(opts: MessageOptions): MessageHandle;
  failNext(match: { method?: string; pathIncludes: string }, response: FaultResponse): void;
  /** Close every gateway socket with `code` (default 4000, which clients resume after; 1006 cuts the TCP connection). */
  dropGatewayConnections(code?: number): void;
  /**
   * Drops the record of what happened so far (requests, messages, interactions, the
   * gateway events kept for RESUME). The tests read it; a long benchmark would only have
   * the bots' heap, which the server shares, keep every message, as Discord's does not.
   */
  forget(): void;
  gatewayIdentifies: number;
  gatewayResumes: number;
  close(): Promise<void>;
}

export interface InteractionCallback {
  type: number;
  data?: JsonBody;
  at: number;
}

export interface InteractionHandle {
  id: string;
  token: string;
  /** The first callback the bot posts. */
  callback(timeoutMs?: number): Promise<InteractionCallback>;
  /** The callback's data if it is type 4/7/8, else the first edit of the original response after a deferral. */
  reply(timeoutMs?: number): Promise<JsonBody>;
  /** Bodies of follow-up messages, in order. */
  followUps: JsonBody[];
  /** Bodies of PATCHes of the original response, in order. */
  edits: JsonBody[];
  /** Resolves with the n-th (1-based, default 1) follow-up body. */
  waitForFollowUp(n?: number, timeoutMs?: number): Promise<JsonBody>;
}

export interface MessageHandle {
  channelId: string;
  messageId: string;
  /** The first `count` (default 1) bodies the bot POSTs to the channel after this message was sent. */
  replies(count?: number, timeoutMs?: number): Promise<JsonBody[]>;
}

const API_PREFIX = "/api/v10";
const HEARTBEAT_INTERVAL_MS = 41_250;
const DEFAULT_WAIT_MS = 5_000;
const DISCORD_EPOCH = 1_420_070_400_000n;
const ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;
const BOT_PERMISSIONS = (
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseApplicationCommands
).toString();

const ALLOWED_CALLBACKS: Partial<Record<InteractionType, InteractionResponseType[]>> = {
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

/** Callback types whose own data is what the user ends up seeing. */
const FINAL_CALLBACKS = new Set<number>([
  InteractionResponseType.ChannelMessageWithSource,
  InteractionResponseType.UpdateMessage,
  InteractionResponseType.ApplicationCommandAutocompleteResult,
]);

type Channel = APITextChannel | APIDMChannel;

interface GuildFixture {
  guild: APIGuild;
  channel: APITextChannel;
  botRoleId: string;
  joinedAt: string;
}

interface Where {
  user: APIUser;
  guild: GuildFixture | undefined;
  channel: Channel;
  permissions: string;
  locale: Locale;
}

interface MessageBody {
  content?: string | null;
  embeds?: APIEmbed[] | null;
  components?: APIMessageTopLevelComponent[] | null;
  flags?: number;
  tts?: boolean;
  message_reference?: { message_id?: string };
  sticker_ids?: string[];
  attachments?: unknown[];
  poll?: unknown;
}

interface DispatchPayload {
  op: GatewayOpcodes.Dispatch;
  t: GatewayDispatchEvents;
  s: number;
  d: unknown;
}

interface Session {
  id: string;
  shardId: number;
  shardCount: number;
  intents: number;
  seq: number;
  /** Everything dispatched in this session, replayed on RESUME. */
  history: DispatchPayload[];
  socket: WebSocket | null;
}

interface Connection {
  socket: WebSocket;
  session: Session | undefined;
}

interface InteractionState {
  id: string;
  token: string;
  type: InteractionType;
  user: APIUser;
  channelId: string;
  guildId: string | undefined;
  componentMessageId: string | undefined;
  callbacks: InteractionCallback[];
  originalId: string | undefined;
  /** Messages created through this interaction's webhook (original response and follow-ups). */
  messageIds: Set<string>;
  followUps: JsonBody[];
  edits: JsonBody[];
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Fault {
  method: string | undefined;
  pathIncludes: string;
  response: FaultResponse;
  remaining: number;
}

interface RouteArgs {
  params: string[];
  body: JsonBody;
  query: URLSearchParams;
}

type Route = [method: string, pattern: RegExp, handle: (args: RouteArgs) => Reply];

function ok(body: unknown): Reply {
  return { status: 200, body };
}

const NO_CONTENT: Reply = { status: 204 };

function apiError(status: number, code: number, message: string, errors?: object): Reply {
  return { status, body: errors ? { message, code, errors } : { message, code } };
}

/** Discord's nested 50035 error shape, e.g. `{ data: { content: { _errors: [...] } } }`. */
function formError(path: string, code: string, message: string): Reply {
  const errors = path
    .split(".")
    .reduceRight<object>((inner, key) => ({ [key]: inner }), { _errors: [{ code, message }] });
  return apiError(400, 50035, "Invalid Form Body", errors);
}

const EMPTY_MESSAGE = apiError(400, 50006, "Cannot send an empty message");
const UNKNOWN_WEBHOOK = apiError(404, 10015, "Unknown Webhook");
const UNKNOWN_MESSAGE = apiError(404, 10008, "Unknown Message");
const UNKNOWN_CHANNEL = apiError(404, 10003, "Unknown Channel");
const UNKNOWN_GUILD = apiError(404, 10004, "Unknown Guild");
const MISSING_ACCESS = apiError(403, 50001, "Missing Access");

function isEmptyMessage(body: MessageBody): boolean {
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
function invalidMessage(body: MessageBody, prefix = ""): Reply | undefined {
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

function invalidCallback(type: number, data: JsonBody): Reply | undefined {
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

/** Discord routes a guild's events to shard `(guild_id >> 22) % shard_count`, and DMs to shard 0. */
export function shardOf(guildId: string | undefined, shardCount: number): number {
  return guildId === undefined ? 0 : Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

function snowflakes(): (at?: number) => string {
  let increment = 0n;
  return (at = Date.now()) => {
    increment = (increment + 1n) % 4096n;
    return (((BigInt(at) - DISCORD_EPOCH) << 22n) | increment).toString();
  };
}

function secret(bytes: number): string {
  return randomBytes(bytes).toString("base64url");
}

async function readBody(request: IncomingMessage): Promise<{ body: JsonBody } | { error: Reply }> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  if (raw.length === 0) return { body: undefined };
  const contentType = request.headers["content-type"] ?? "";
  try {
    if (contentType.startsWith("multipart/form-data")) {
      // discord.js switches to multipart when files are attached; the JSON part carries the message.
      const form = await new Response(raw, { headers: { "content-type": contentType } }).formData();
      const payload = form.get("payload_json");
      const body: JsonBody = typeof payload === "string" ? JSON.parse(payload) : {};
      // Attachment `id` n refers to the form part `files[n]`, which carries the filename.
      for (const attachment of body.attachments ?? []) {
        const file = form.get(`files[${attachment.id}]`);
        if (typeof file === "object" && file !== null) attachment.filename ??= file.name;
      }
      return { body };
    }
    return { body: JSON.parse(raw.toString("utf8")) };
  } catch {
    return { error: apiError(400, 50109, "The request body contains invalid JSON.") };
  }
}

interface Waiter {
  check(): void;
  fail(error: Error): void;
}

/** Promises that resolve once some server state appears, re-checked after every change. */
class Waiters {
  readonly #pending = new Set<Waiter>();

  until<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        check: () => {
          const value = probe();
          if (value === undefined) return;
          this.#settle(waiter, timer);
          resolve(value);
        },
        fail: (error: Error) => {
          this.#settle(waiter, timer);
          reject(error);
        },
      };
      const timer = setTimeout(
        () => waiter.fail(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`)),
        timeoutMs,
      );
      this.#pending.add(waiter);
      waiter.check();
    });
  }

  notify(): void {
    for (const waiter of [...this.#pending]) waiter.check();
  }

  failAll(reason: string): void {
    for (const waiter of [...this.#pending]) waiter.fail(new Error(reason));
  }

  #settle(waiter: Waiter, timer: NodeJS.Timeout): void {
    clearTimeout(timer);
    this.#pending.delete(waiter);
  }
}

class Loopback implements LoopbackDiscord {
  readonly apiUrl: string;
  readonly token: string;
  readonly applicationId: string;
  readonly botUser: TestUser;
  readonly guildId: string;
  readonly channelId: string;
  readonly guilds: ReadonlyArray<{ id: string; channelId: string }>;
  requests: RecordedRequest[] = [];
  readonly commands = { global: [] as JsonBody[], guild: new Map<string, JsonBody[]>() };
  gatewayIdentifies = 0;
  gatewayResumes = 0;

  readonly #http: Server;
  readonly #wss: WebSocketServer;
  readonly #gatewayUrl: string;
  readonly #nextId = snowflakes();
  readonly #waiters = new Waiters();
  readonly #bot: APIUser;
  readonly #users = new Map<string, APIUser>();
  readonly #defaultUser: APIUser;
  readonly #guilds: GuildFixture[];
  readonly #channels = new Map<string, Channel>();
  readonly #dmChannels = new Map<string, APIDMChannel>();
  #messages = new Map<string, APIMessage>();
  #channelPosts = new Map<string, JsonBody[]>();
  #interactions = new Map<string, InteractionState>();
  readonly #sessions = new Map<string, Session>();
  readonly #faults: Fault[] = [];
  readonly #routes: Route[];

  constructor(http: Server, port: number, guildCount: number) {
    this.#http = http;
    this.apiUrl = `http://127.0.0.1:${port}/api`;
    this.#gatewayUrl = `ws://127.0.0.1:${port}`;
    this.applicationId = this.#nextId();
    this.#bot = {
      id: this.applicationId,
      username: "LoopbackBot",
      discriminator: "0000",
      global_name: null,
      avatar: null,
      bot: true,
      verified: true,
      mfa_enabled: false,
    };
    this.botUser = this.#bot;
    this.token = `${Buffer.from(this.applicationId).toString("base64url")}.${secret(4)}.${secret(27)}`;
    this.#defaultUser = this.#registerUser({ username: "tester" });
    const now = Date.now();
    // Consecutive milliseconds give consecutive `id >> 22`, so guilds spread over shards like real ones.
    this.#guilds = Array.from({ length: guildCount }, (_, i) => this.#createGuild(now - i, i));
    this.guilds = this.#guilds.map(({ guild, channel }) => ({
      id: guild.id,
      channelId: channel.id,
    }));
    const first = this.#guildFixture(undefined);
    this.guildId = first.guild.id;
    this.channelId = first.channel.id;
    this.#routes = this.#buildRoutes();

    http.on("request", (request, response) => void this.#onRequest(request, response));
    this.#wss = new WebSocketServer({ server: http });
    this.#wss.on("connection", (socket, request) => this.#onConnection(socket, request));
  }

  // ---- test controls -------------------------------------------------------------------------

  addUser(opts: Partial<TestUser> = {}): TestUser {
    return this.#registerUser(opts);
  }

  slash(opts: SlashOptions): InteractionHandle {
    const where = this.#where(opts);
    const data = this.#commandData(opts.name, opts.options, where);
    return this.#interact(InteractionType.ApplicationCommand, where, data, undefined);
  }

  autocomplete(opts: AutocompleteOptions): InteractionHandle {
    const where = this.#where(opts);
    const data = this.#commandData(opts.name, opts.options, where);
    return this.#interact(InteractionType.ApplicationCommandAutocomplete, where, data, undefined);
  }

  button(opts: ButtonOptions): InteractionHandle {
    const message = this.#componentMessage(opts);
    // The click happens wherever the message is.
    const channel = this.#channels.get(message.channel_id);
    const guildId = channel?.type === ChannelType.GuildText ? channel.guild_id : undefined;
    const where = this.#where({ ...opts, inGuild: guildId !== undefined, guildId });
    const data = { custom_id: opts.customId, component_type: ComponentType.Button };
    return this.#interact(InteractionType.MessageComponent, where, data, message);
  }

  message(opts: MessageOptions): MessageHandle {
    const author = this.#resolveUser(opts.user);
    const guild = opts.dm ? undefined : this.#guildFixture(opts.guildId);
    const channel = guild ? guild.channel : this.#dmChannel(author);
    const content = opts.mentionBot ? `<@${this.#bot.id}> ${opts.content}` : opts.content;
    const mentions = opts.mentionBot ? [this.#bot] : [];
    const message = this.#storeMessage(channel.id, author, { content }, { mentions });
    const posts = this.#posts(channel.id);
    const start = posts.length;
    this.#dispatch(GatewayDispatchEvents.MessageCreate, guild?.guild.id, (session) =>
      this.#messageCreateFor(session, message, channel, guild),
    );
    return {
      channelId: channel.id,
      messageId: message.id,
      replies: (count = 1, timeoutMs = DEFAULT_WAIT_MS) =>
        this.#waiters.until(
          () => (posts.length - start >= count ? posts.slice(start, start + count) : undefined),
          timeoutMs,
          `${count} bot message(s) in channel ${channel.id}`,
        ),
    };
  }

  failNext(match: { method?: string; pathIncludes: string }, response: FaultResponse): void {
    const method = match.method?.toUpperCase();
    this.#faults.push({
      method,
      pathIncludes: match.pathIncludes,
      response,
      remaining: response.times ?? 1,
    });
  }

  dropGatewayConnections(code: number = GatewayCloseCodes.UnknownError): void {
    for (const socket of this.#wss.clients) {
      // 1006 (abnormal closure) cannot travel in a close frame; cutting the connection produces it.
      if (code === 1006) socket.terminate();
      else socket.close(code, "Dropped by the test");
    }
  }

  forget(): void {
    // New containers, not cleared ones: clearing the server's long-lived maps and arrays kept
    // each round trip's records alive through the bots' minor collections (twice the bytes
    // promoted per collection, measured with --trace-gc-nvp), lengthening the pauses timed.
    this.requests = [];
    this.#messages = new Map();
    this.#channelPosts = new Map();
    this.#interactions = new Map();
    for (const session of this.#sessions.values()) session.history = [];
  }

  async close(): Promise<void> {
    this.#waiters.failAll("The loopback Discord server was closed");
    for (const socket of this.#wss.clients) socket.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    this.#http.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.#http.close((error) => (error ? reject(error) : resolve())),
    );
  }

  // ---- fixtures ------------------------------------------------------------------------------

  #registerUser(opts: Partial<TestUser>): APIUser {
    const id = opts.id ?? this.#nextId();
    const user: APIUser = {
      id,
      username: opts.username ?? `user${this.#users.size + 1}`,
      discriminator: "0",
      global_name: null,
      avatar: null,
    };
    this.#users.set(id, user);
    return user;
  }

  #resolveUser(user: TestUser | undefined): APIUser {
    if (!user) return this.#defaultUser;
    return this.#users.get(user.id) ?? this.#registerUser(user);
  }

  #createGuild(createdAt: number, index: number): GuildFixture {
    const id = this.#nextId(createdAt);
    const joinedAt = new Date().toISOString();
    const channel: APITextChannel = {
      id: this.#nextId(),
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
      ...this.#role(this.#nextId(), "LoopbackBot", BOT_PERMISSIONS, 1),
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
      owner_id: this.#defaultUser.id,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: GuildVerificationLevel.None,
      default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
      explicit_content_filter: GuildExplicitContentFilter.Disabled,
      roles: [everyone, { ...botRole, tags: { bot_id: this.#bot.id } }],
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
    this.#channels.set(channel.id, channel);
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

  #guildFixture(guildId: string | undefined): GuildFixture {
    const fixture = guildId ? this.#findGuild(guildId) : this.#guilds[0];
    if (!fixture) throw new Error(`The loopback server has no guild ${guildId ?? "at all"}`);
    return fixture;
  }

  #findGuild(guildId: string): GuildFixture | undefined {
    return this.#guilds.find(({ guild }) => guild.id === guildId);
  }

  #member(user: APIUser, fixture: GuildFixture): APIGuildMember {
    return {
      user,
      nick: null,
      avatar: null,
      banner: null,
      roles: user.id === this.#bot.id ? [fixture.botRoleId] : [],
      joined_at: fixture.joinedAt,
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0 as GuildMemberFlags,
      pending: false,
      communication_disabled_until: null,
    };
  }

  #dmChannel(user: APIUser): APIDMChannel {
    const existing = this.#dmChannels.get(user.id);
    if (existing) return existing;
    const channel: APIDMChannel = {
      id: this.#nextId(),
      type: ChannelType.DM,
      name: null,
      last_message_id: null,
      recipients: [user],
    };
    this.#dmChannels.set(user.id, channel);
    this.#channels.set(channel.id, channel);
    return channel;
  }

  #application(): APIApplication {
    return {
      id: this.applicationId,
      name: this.#bot.username,
      icon: null,
      description: "",
      summary: "",
      bot_public: false,
      bot_require_code_grant: false,
      bot: this.#bot,
      owner: this.#defaultUser,
      verify_key: "0".repeat(64),
      team: null,
      flags: 0 as ApplicationFlags,
      flags_new: "0",
    };
  }

  /** Uses the id of a command registered under that name, as Discord would. */
  #commandData(name: string, options: unknown[] | undefined, where: Where): object {
    const guildId = where.guild?.guild.id;
    const guildCommands = guildId ? (this.commands.guild.get(guildId) ?? []) : [];
    const command = [...guildCommands, ...this.commands.global].find((c) => c.name === name);
    return {
      id: command?.id ?? this.#nextId(),
      name,
      type: ApplicationCommandType.ChatInput,
      ...(options ? { options } : {}),
      ...(command?.guild_id ? { guild_id: command.guild_id } : {}),
    };
  }

  #componentMessage(opts: ButtonOptions): APIMessage {
    if (opts.messageId) {
      const message = this.#messages.get(opts.messageId);
      if (!message) throw new Error(`The loopback server knows no message ${opts.messageId}`);
      return message;
    }
    const latest = [...this.#messages.values()].findLast(
      (message) =>
        message.author.id === this.#bot.id && containsCustomId(message.components, opts.customId),
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
    return this.#storeMessage(this.#where(opts).channel.id, this.#bot, { components });
  }

  #storeMessage(
    channelId: string,
    author: APIUser,
    body: MessageBody,
    extra: Partial<APIMessage> = {},
  ): APIMessage {
    const message: APIMessage = {
      id: this.#nextId(),
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
    this.#messages.set(message.id, message);
    return message;
  }

  #editMessage(message: APIMessage, body: MessageBody): APIMessage {
    if (body.content !== undefined) message.content = body.content ?? "";
    if (body.embeds !== undefined) message.embeds = toEmbeds(body.embeds);
    if (body.components !== undefined) message.components = body.components ?? [];
    message.flags = (message.flags ?? 0) & ~MessageFlags.Loading;
    message.edited_timestamp = new Date().toISOString();
    return message;
  }

  #posts(channelId: string): JsonBody[] {
    const posts = this.#channelPosts.get(channelId) ?? [];
    this.#channelPosts.set(channelId, posts);
    return posts;
  }

  // ---- interactions --------------------------------------------------------------------------

  #where(opts: ActorOptions): Where {
    const user = this.#resolveUser(opts.user);
    const guild = opts.inGuild === false ? undefined : this.#guildFixture(opts.guildId);
    return {
      user,
      guild,
      channel: guild ? guild.channel : this.#dmChannel(user),
      permissions: opts.permissions ?? "0",
      locale: (opts.locale ?? Locale.EnglishUS) as Locale,
    };
  }

  #interact(
    type: InteractionType,
    where: Where,
    data: object,
    message: APIMessage | undefined,
  ): InteractionHandle {
    const state: InteractionState = {
      id: this.#nextId(),
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
    this.#interactions.set(state.token, state);
    const payload = this.#interactionPayload(state, where, data, message);
    this.#dispatch(GatewayDispatchEvents.InteractionCreate, state.guildId, () => payload);
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
          member: { ...this.#member(user, guild), permissions: where.permissions },
          context: InteractionContextType.Guild,
        }
      : { user, channel, context: InteractionContextType.BotDM };
    return {
      id: state.id,
      application_id: this.applicationId,
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

  #webhookMessage(state: InteractionState, body: MessageBody, type: MessageType): APIMessage {
    const message = this.#storeMessage(state.channelId, this.#bot, body, {
      type,
      webhook_id: this.applicationId,
      application_id: this.applicationId,
      interaction_metadata: this.#metadata(state),
    });
    state.messageIds.add(message.id);
    return message;
  }

  #applyCallback(state: InteractionState, type: number, data: JsonBody): APIMessage | undefined {
    const responseType =
      state.type === InteractionType.ApplicationCommand
        ? MessageType.ChatInputCommand
        : MessageType.Default;
    const componentMessage = state.componentMessageId
      ? this.#messages.get(state.componentMessageId)
      : undefined;
    switch (type) {
      case InteractionResponseType.ChannelMessageWithSource: {
        const message = this.#webhookMessage(state, data, responseType);
        state.originalId = message.id;
        return message;
      }
      case InteractionResponseType.DeferredChannelMessageWithSource: {
        const flags = (data?.flags ?? 0) | MessageFlags.Loading;
        const message = this.#webhookMessage(state, { flags }, responseType);
        state.originalId = message.id;
        return message;
      }
      case InteractionResponseType.DeferredMessageUpdate:
        state.originalId = componentMessage?.id;
        return undefined;
      case InteractionResponseType.UpdateMessage:
        state.originalId = componentMessage?.id;
        return componentMessage && this.#editMessage(componentMessage, data);
      default:
        // Autocomplete results and modals create no message.
        return undefined;
    }
  }

  #messageCreateFor(
    session: Session,
    message: APIMessage,
    channel: Channel,
    guild: GuildFixture | undefined,
  ): object | undefined {
    const intent = guild ? GatewayIntentBits.GuildMessages : GatewayIntentBits.DirectMessages;
    if ((session.intents & intent) === 0) return undefined;
    if (!guild) return { ...message, channel_type: channel.type };
    // Without the privileged MessageContent intent, guild messages reach the bot blanked
    // unless they mention it.
    const hidden =
      (session.intents & GatewayIntentBits.MessageContent) === 0 &&
      !message.mentions.some((user) => user.id === this.#bot.id);
    // The event's member object leaves out the user: that is the message author.
    const { user: _author, ...member } = this.#member(message.author, guild);
    return {
      ...message,
      ...(hidden ? { content: "", embeds: [], attachments: [], components: [] } : {}),
      channel_type: channel.type,
      guild_id: guild.guild.id,
      member,
    };
  }

  // ---- REST ----------------------------------------------------------------------------------

  #buildRoutes(): Route[] {
    const gateway = { url: this.#gatewayUrl };
    const sessionStartLimit = { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 16 };
    return [
      ["GET", /^\/gateway$/, () => ok(gateway)],
      [
        "GET",
        /^\/gateway\/bot$/,
        () => ok({ ...gateway, shards: 1, session_start_limit: sessionStartLimit }),
      ],
      ["GET", /^\/users\/@me$/, () => ok(this.#bot)],
      ["POST", /^\/users\/@me\/channels$/, ({ body }) => this.#openDm(body?.recipient_id)],
      ["GET", /^\/(?:oauth2\/)?applications\/@me$/, () => ok(this.#application())],
      [
        "GET",
        /^\/applications\/(\d+)\/commands$/,
        ({ params: [app] }) => this.#getCommands(app, undefined),
      ],
      [
        "PUT",
        /^\/applications\/(\d+)\/commands$/,
        ({ params: [app], body }) => this.#putCommands(app, undefined, body),
      ],
      [
        "GET",
        /^\/applications\/(\d+)\/guilds\/(\d+)\/commands$/,
        ({ params: [app, guild] }) => this.#getCommands(app, guild),
      ],
      [
        "PUT",
        /^\/applications\/(\d+)\/guilds\/(\d+)\/commands$/,
        ({ params: [app, guild], body }) => this.#putCommands(app, guild, body),
      ],
      [
        "POST",
        /^\/interactions\/(\d+)\/([^/]+)\/callback$/,
        ({ params: [id, token], body, query }) => this.#interactionCallback(id, token, body, query),
      ],
      [
        "POST",
        /^\/webhooks\/(\d+)\/([^/]+)$/,
        ({ params: [app, token], body }) => this.#followUp(app, token, body),
      ],
      ...(["GET", "PATCH", "DELETE"] as const).map(
        (method): Route => [
          method,
          /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$/,
          ({ params: [app, token, ref], body }) =>
            this.#webhookMessageRoute(method, app, token, ref, body),
        ],
      ),
      ["GET", /^\/channels\/(\d+)$/, ({ params: [id] }) => this.#getChannel(id)],
      [
        "POST",
        /^\/channels\/(\d+)\/messages$/,
        ({ params: [id], body }) => this.#postChannelMessage(id, body),
      ],
      ["POST", /^\/channels\/(\d+)\/typing$/, ({ params: [id] }) => this.#typing(id)],
      ["GET", /^\/guilds\/(\d+)$/, ({ params: [id] }) => this.#getGuild(id)],
      [
        "GET",
        /^\/guilds\/(\d+)\/members\/(\d+)$/,
        ({ params: [guild, user] }) => this.#getMember(guild, user),
      ],
    ];
  }

  async #onRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const at = Date.now();
    const method = request.method ?? "GET";
    const path = request.url ?? "/";
    const parsed = await readBody(request);
    const body = "body" in parsed ? parsed.body : undefined;
    let reply: Reply;
    try {
      reply =
        this.#fault(method, path) ??
        ("error" in parsed ? parsed.error : undefined) ??
        this.#unauthorized(request, path) ??
        this.#route(method, path, body);
    } catch (error) {
      reply = apiError(500, 0, `Loopback server error: ${String(error)}`);
    }
    this.requests.push({ method, path, body, at, status: reply.status });
    const json = reply.body === undefined ? undefined : JSON.stringify(reply.body);
    response.writeHead(reply.status, {
      ...(json === undefined ? {} : { "content-type": "application/json" }),
      ...reply.headers,
    });
    response.end(json);
    this.#waiters.notify();
  }

  #fault(method: string, path: string): Reply | undefined {
    const fault = this.#faults.find(
      (candidate) =>
        (candidate.method === undefined || candidate.method === method) &&
        path.includes(candidate.pathIncludes),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.#faults.splice(this.#faults.indexOf(fault), 1);
    const { status, body, retryAfter = 1 } = fault.response;
    if (status !== 429) return { status, body: body ?? { message: `Injected ${status}`, code: 0 } };
    // @discordjs/rest waits for the retry-after header; the body mirrors what Discord sends alongside.
    return {
      status,
      headers: { "retry-after": String(retryAfter), "x-ratelimit-scope": "user" },
      body: body ?? {
        message: "You are being rate limited.",
        retry_after: retryAfter,
        global: false,
      },
    };
  }

  #unauthorized(request: IncomingMessage, path: string): Reply | undefined {
    const authorization = request.headers.authorization;
    if (authorization === `Bot ${this.token}`) return undefined;
    // Interaction callbacks and interaction webhooks are authorised by the token in their path.
    const tokenInPath =
      path.startsWith(`${API_PREFIX}/interactions/`) || path.startsWith(`${API_PREFIX}/webhooks/`);
    if (authorization === undefined && tokenInPath) return undefined;
    return apiError(401, 0, "401: Unauthorized");
  }

  #route(method: string, path: string, body: JsonBody): Reply {
    const url = new URL(path, this.apiUrl);
    // discord.js percent-encodes path segments, e.g. `messages/%40original`.
    const pathname = decodeURIComponent(url.pathname);
    if (pathname.startsWith(`${API_PREFIX}/`)) {
      const route = pathname.slice(API_PREFIX.length);
      for (const [routeMethod, pattern, handle] of this.#routes) {
        const match = routeMethod === method ? pattern.exec(route) : null;
        if (match) return handle({ params: match.slice(1), body, query: url.searchParams });
      }
    }
    return apiError(404, 0, "404: Not Found");
  }

  #openDm(recipientId: unknown): Reply {
    const user = typeof recipientId === "string" ? this.#users.get(recipientId) : undefined;
    return user ? ok(this.#dmChannel(user)) : apiError(400, 50033, "Invalid Recipient(s)");
  }

  #getCommands(app: string | undefined, guildId: string | undefined): Reply {
    if (app !== this.applicationId || (guildId !== undefined && !this.#findGuild(guildId))) {
      return MISSING_ACCESS;
    }
    return ok(guildId ? (this.commands.guild.get(guildId) ?? []) : this.commands.global);
  }

  #putCommands(app: string | undefined, guildId: string | undefined, body: JsonBody): Reply {
    if (app !== this.applicationId || (guildId !== undefined && !this.#findGuild(guildId))) {
      return MISSING_ACCESS;
    }
    if (!Array.isArray(body)) return formError("_root", "ARRAY_TYPE_CONVERT", "Must be an array.");
    const previous = guildId ? (this.commands.guild.get(guildId) ?? []) : this.commands.global;
    const saved = body.map((command: JsonBody) => ({
      type: ApplicationCommandType.ChatInput,
      default_member_permissions: null,
      nsfw: false,
      ...command,
      // Discord keeps a command's id when a PUT re-declares the same name.
      id: previous.find((old) => old.name === command.name)?.id ?? this.#nextId(),
      application_id: this.applicationId,
      version: this.#nextId(),
      ...(guildId ? { guild_id: guildId } : {}),
    }));
    if (guildId) this.commands.guild.set(guildId, saved);
    else this.commands.global = saved;
    return ok(saved);
  }

  #interactionCallback(
    id: string | undefined,
    token: string | undefined,
    body: JsonBody,
    query: URLSearchParams,
  ): Reply {
    const state = token ? this.#interactions.get(token) : undefined;
    if (!state || state.id !== id) return apiError(404, 10062, "Unknown interaction");
    if (state.callbacks.length > 0) {
      return apiError(400, 40060, "Interaction has already been acknowledged.");
    }
    const type: number = body?.type;
    if (!ALLOWED_CALLBACKS[state.type]?.includes(type)) {
      return formError(
        "type",
        "INTERACTION_CALLBACK_TYPE_INVALID",
        "Invalid interaction callback type.",
      );
    }
    const invalid = invalidCallback(type, body.data);
    if (invalid) return invalid;
    state.callbacks.push({ type, data: body.data, at: Date.now() });
    const message = this.#applyCallback(state, type, body.data);
    if (query.get("with_response") !== "true") return NO_CONTENT;
    const flags = message?.flags ?? 0;
    return ok({
      interaction: {
        id: state.id,
        type: state.type,
        response_message_id: message?.id,
        response_message_loading: (flags & MessageFlags.Loading) !== 0,
        response_message_ephemeral: (flags & MessageFlags.Ephemeral) !== 0,
      },
      resource: message ? { type, message } : { type },
    });
  }

  /** Interaction webhooks exist only once the interaction has been acknowledged. */
  #acknowledged(app: string | undefined, token: string | undefined): InteractionState | undefined {
    const state = token ? this.#interactions.get(token) : undefined;
    return app === this.applicationId && state && state.callbacks.length > 0 ? state : undefined;
  }

  #followUp(app: string | undefined, token: string | undefined, body: JsonBody): Reply {
    const state = this.#acknowledged(app, token);
    if (!state) return UNKNOWN_WEBHOOK;
    if (isEmptyMessage(body ?? {})) return EMPTY_MESSAGE;
    const invalid = invalidMessage(body);
    if (invalid) return invalid;
    state.followUps.push(body);
    return ok(this.#webhookMessage(state, body, MessageType.Default));
  }

  #webhookMessageRoute(
    method: "GET" | "PATCH" | "DELETE",
    app: string | undefined,
    token: string | undefined,
    ref: string | undefined,
    body: JsonBody,
  ): Reply {
    const state = this.#acknowledged(app, token);
    if (!state) return UNKNOWN_WEBHOOK;
    const id = ref === "@original" ? state.originalId : ref;
    const owned = id !== undefined && (id === state.originalId || state.messageIds.has(id));
    const message = owned ? this.#messages.get(id) : undefined;
    if (!message) return UNKNOWN_MESSAGE;
    if (method === "GET") return ok(message);
    if (method === "DELETE") {
      this.#messages.delete(message.id);
      if (state.originalId === message.id) state.originalId = undefined;
      return NO_CONTENT;
    }
    const invalid = invalidMessage(body ?? {});
    if (invalid) return invalid;
    if (message.id === state.originalId) state.edits.push(body);
    return ok(this.#editMessage(message, body ?? {}));
  }

  #getChannel(id: string | undefined): Reply {
    const channel = id ? this.#channels.get(id) : undefined;
    return channel ? ok(channel) : UNKNOWN_CHANNEL;
  }

  #postChannelMessage(channelId: string | undefined, body: JsonBody): Reply {
    const channel = channelId ? this.#channels.get(channelId) : undefined;
    if (!channel) return UNKNOWN_CHANNEL;
    if (isEmptyMessage(body ?? {})) return EMPTY_MESSAGE;
    const invalid = invalidMessage(body);
    if (invalid) return invalid;
    this.#posts(channel.id).push(body);
    const referencedId: string | undefined = body.message_reference?.message_id;
    const reply = referencedId
      ? {
          type: MessageType.Reply,
          message_reference: {
            type: MessageReferenceType.Default,
            message_id: referencedId,
            channel_id: channel.id,
            ...(channel.type === ChannelType.GuildText ? { guild_id: channel.guild_id } : {}),
          },
          referenced_message: this.#messages.get(referencedId) ?? null,
        }
      : {};
    return ok(this.#storeMessage(channel.id, this.#bot, body, reply));
  }

  #typing(channelId: string | undefined): Reply {
    return channelId && this.#channels.has(channelId) ? NO_CONTENT : UNKNOWN_CHANNEL;
  }

  #getGuild(guildId: string | undefined): Reply {
    const fixture = guildId ? this.#findGuild(guildId) : undefined;
    return fixture ? ok(fixture.guild) : UNKNOWN_GUILD;
  }

  #getMember(guildId: string | undefined, userId: string | undefined): Reply {
    const fixture = guildId ? this.#findGuild(guildId) : undefined;
    if (!fixture) return UNKNOWN_GUILD;
    const user = userId === this.#bot.id ? this.#bot : userId ? this.#users.get(userId) : undefined;
    return user ? ok(this.#member(user, fixture)) : apiError(404, 10007, "Unknown Member");
  }

  // ---- gateway -------------------------------------------------------------------------------

  #onConnection(socket: WebSocket, request: IncomingMessage): void {
    const query = new URL(request.url ?? "/", this.#gatewayUrl).searchParams;
    if (query.get("v") !== "10") {
      socket.close(GatewayCloseCodes.InvalidAPIVersion, "Only gateway v10 is supported");
      return;
    }
    if (query.get("encoding") !== "json") {
      socket.close(GatewayCloseCodes.DecodeError, "Only JSON encoding is supported");
      return;
    }
    const connection: Connection = { socket, session: undefined };
    socket.on("message", (raw) => this.#onGatewayMessage(connection, raw.toString()));
    socket.on("close", (code) => this.#onGatewayClose(connection, code));
    this.#send(socket, {
      op: GatewayOpcodes.Hello,
      d: { heartbeat_interval: HEARTBEAT_INTERVAL_MS },
      s: null,
      t: null,
    });
  }

  #onGatewayMessage(connection: Connection, text: string): void {
    let payload: { op?: unknown; d?: JsonBody };
    try {
      payload = JSON.parse(text);
    } catch {
      connection.socket.close(GatewayCloseCodes.DecodeError, "Invalid JSON");
      return;
    }
    switch (payload.op) {
      case GatewayOpcodes.Heartbeat:
        this.#send(connection.socket, {
          op: GatewayOpcodes.HeartbeatAck,
          d: null,
          s: null,
          t: null,
        });
        return;
      case GatewayOpcodes.Identify:
        this.#identify(connection, payload.d);
        return;
      case GatewayOpcodes.Resume:
        this.#resume(connection, payload.d);
        return;
      default:
        // Presence updates, member requests and the like are accepted and ignored once authenticated.
        if (!connection.session) {
          connection.socket.close(GatewayCloseCodes.NotAuthenticated, "Not authenticated");
        }
    }
  }

  #rejectAuth(connection: Connection, token: unknown): boolean {
    if (connection.session) {
      connection.socket.close(GatewayCloseCodes.AlreadyAuthenticated, "Already authenticated");
      return true;
    }
    if (token !== this.token) {
      connection.socket.close(GatewayCloseCodes.AuthenticationFailed, "Authentication failed");
      return true;
    }
    return false;
  }

  #identify(connection: Connection, d: JsonBody): void {
    if (this.#rejectAuth(connection, d?.token)) return;
    const [shardId, shardCount]: [number, number] = d.shard ?? [0, 1];
    if (!(shardId >= 0 && shardId < shardCount)) {
      connection.socket.close(GatewayCloseCodes.InvalidShard, "Invalid shard");
      return;
    }
    const session: Session = {
      id: randomBytes(16).toString("hex"),
      shardId,
      shardCount,
      intents: Number(d.intents ?? 0),
      seq: 0,
      history: [],
      socket: null,
    };
    this.#sessions.set(session.id, session);
    this.#attach(connection, session);
    this.gatewayIdentifies += 1;
    const guilds = this.#guilds.filter(({ guild }) => shardOf(guild.id, shardCount) === shardId);
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: this.#bot,
      guilds: guilds.map(({ guild }) => ({ id: guild.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.#gatewayUrl,
      shard: [shardId, shardCount],
      application: { id: this.applicationId, flags: 0 as ApplicationFlags, flags_new: "0" },
    };
    this.#sendDispatch(session, GatewayDispatchEvents.Ready, ready);
    // discord.js only emits `ready` once every guild listed in READY has arrived as GUILD_CREATE.
    for (const fixture of guilds) {
      this.#sendDispatch(session, GatewayDispatchEvents.GuildCreate, this.#guildCreate(fixture));
    }
  }

  #resume(connection: Connection, d: JsonBody): void {
    if (this.#rejectAuth(connection, d?.token)) return;
    const session = this.#sessions.get(d.session_id);
    if (!session) {
      this.#send(connection.socket, {
        op: GatewayOpcodes.InvalidSession,
        d: false,
        s: null,
        t: null,
      });
      return;
    }
    this.#attach(connection, session);
    this.gatewayResumes += 1;
    const seen = Number(d.seq ?? 0);
    for (const payload of session.history) {
      if (payload.s > seen) this.#send(connection.socket, payload);
    }
    this.#sendDispatch(session, GatewayDispatchEvents.Resumed, {});
  }

  #attach(connection: Connection, session: Session): void {
    connection.session = session;
    session.socket = connection.socket;
  }

  #onGatewayClose(connection: Connection, code: number): void {
    const session = connection.session;
    if (!session || session.socket !== connection.socket) return;
    session.socket = null;
    // A normal close ends the session as on Discord; any other code leaves it resumable.
    if (code === 1000 || code === 1001) this.#sessions.delete(session.id);
  }

  #guildCreate(fixture: GuildFixture): GatewayGuildCreateDispatchData {
    return {
      ...fixture.guild,
      joined_at: fixture.joinedAt,
      large: false,
      unavailable: false,
      member_count: this.#users.size + 1,
      voice_states: [],
      members: [this.#member(this.#bot, fixture)],
      channels: [fixture.channel],
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  /** Sends an event to every session of the shard that owns `guildId` (shard 0 for DMs); `dataFor` may skip one. */
  #dispatch(
    event: GatewayDispatchEvents,
    guildId: string | undefined,
    dataFor: (session: Session) => object | undefined,
  ): void {
    for (const session of this.#sessions.values()) {
      if (shardOf(guildId, session.shardCount) !== session.shardId) continue;
      const data = dataFor(session);
      if (data !== undefined) this.#sendDispatch(session, event, data);
    }
  }

  /** Sessions without a socket still record events, so a RESUME replays what was missed. */
  #sendDispatch(session: Session, event: GatewayDispatchEvents, data: unknown): void {
    session.seq += 1;
    const payload: DispatchPayload = {
      op: GatewayOpcodes.Dispatch,
      t: event,
      s: session.seq,
      d: data,
    };
    session.history.push(payload);
    if (session.socket) this.#send(session.socket, payload);
  }

  #send(socket: WebSocket, payload: object): void {
    socket.send(JSON.stringify(payload));
  }
}

export async function startLoopbackDiscord(
  opts: { guilds?: number } = {},
): Promise<LoopbackDiscord> {
  const http = createServer();
  http.listen(0, "127.0.0.1");
  await once(http, "listening");
  const { port } = http.address() as AddressInfo;
  return new Loopback(http, port, opts.guilds ?? 1);
}
