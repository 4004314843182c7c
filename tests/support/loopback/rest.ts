/** The REST API under /api/v10: its routes, Discord's validation and error shapes, and injected faults. */
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  ApplicationCommandType,
  ChannelType,
  MessageFlags,
  MessageReferenceType,
  MessageType,
} from "discord.js";
import type { World } from "./fixtures.ts";
import type { Interactions } from "./interactions.ts";
import {
  ALLOWED_CALLBACKS,
  apiError,
  EMPTY_MESSAGE,
  formError,
  invalidCallback,
  invalidMessage,
  isEmptyMessage,
  MISSING_ACCESS,
  NO_CONTENT,
  ok,
  type Reply,
  UNKNOWN_CHANNEL,
  UNKNOWN_GUILD,
  UNKNOWN_MESSAGE,
  UNKNOWN_WEBHOOK,
} from "./responses.ts";
import type { InteractionState } from "./shapes.ts";
import type { FaultResponse, JsonBody, RecordedRequest } from "./types.ts";
import type { Waiters } from "./waiters.ts";

const API_PREFIX = "/api/v10";

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

export class Rest {
  requests: RecordedRequest[] = [];
  readonly #apiUrl: string;
  readonly #gatewayUrl: string;
  readonly #world: World;
  readonly #interactions: Interactions;
  readonly #waiters: Waiters;
  readonly #faults: Fault[] = [];
  readonly #routes: Route[];

  constructor(
    apiUrl: string,
    gatewayUrl: string,
    world: World,
    interactions: Interactions,
    waiters: Waiters,
  ) {
    this.#apiUrl = apiUrl;
    this.#gatewayUrl = gatewayUrl;
    this.#world = world;
    this.#interactions = interactions;
    this.#waiters = waiters;
    this.#routes = this.#buildRoutes();
  }

  /** The next `times` requests whose method matches and whose path includes `pathIncludes` get `response`. */
  failNext(match: { method?: string; pathIncludes: string }, response: FaultResponse): void {
    const method = match.method?.toUpperCase();
    this.#faults.push({
      method,
      pathIncludes: match.pathIncludes,
      response,
      remaining: response.times ?? 1,
    });
  }

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
      ["GET", /^\/users\/@me$/, () => ok(this.#world.bot)],
      ["POST", /^\/users\/@me\/channels$/, ({ body }) => this.#openDm(body?.recipient_id)],
      ["GET", /^\/(?:oauth2\/)?applications\/@me$/, () => ok(this.#world.application())],
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

  /** Answers one HTTP request: an injected fault, a bad body, a missing token or a route; records it. */
  async onRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
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
    if (authorization === `Bot ${this.#world.token}`) return undefined;
    // Interaction callbacks and interaction webhooks are authorised by the token in their path.
    const tokenInPath =
      path.startsWith(`${API_PREFIX}/interactions/`) || path.startsWith(`${API_PREFIX}/webhooks/`);
    if (authorization === undefined && tokenInPath) return undefined;
    return apiError(401, 0, "401: Unauthorized");
  }

  #route(method: string, path: string, body: JsonBody): Reply {
    const url = new URL(path, this.#apiUrl);
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
    const user = typeof recipientId === "string" ? this.#world.users.get(recipientId) : undefined;
    return user ? ok(this.#world.dmChannel(user)) : apiError(400, 50033, "Invalid Recipient(s)");
  }

  #getCommands(app: string | undefined, guildId: string | undefined): Reply {
    if (
      app !== this.#world.applicationId ||
      (guildId !== undefined && !this.#world.findGuild(guildId))
    ) {
      return MISSING_ACCESS;
    }
    return ok(
      guildId ? (this.#world.commands.guild.get(guildId) ?? []) : this.#world.commands.global,
    );
  }

  #putCommands(app: string | undefined, guildId: string | undefined, body: JsonBody): Reply {
    if (
      app !== this.#world.applicationId ||
      (guildId !== undefined && !this.#world.findGuild(guildId))
    ) {
      return MISSING_ACCESS;
    }
    if (!Array.isArray(body)) return formError("_root", "ARRAY_TYPE_CONVERT", "Must be an array.");
    const previous = guildId
      ? (this.#world.commands.guild.get(guildId) ?? [])
      : this.#world.commands.global;
    const saved = body.map((command: JsonBody) => ({
      type: ApplicationCommandType.ChatInput,
      default_member_permissions: null,
      nsfw: false,
      ...command,
      // Discord keeps a command's id when a PUT re-declares the same name.
      id: previous.find((old) => old.name === command.name)?.id ?? this.#world.nextId(),
      application_id: this.#world.applicationId,
      version: this.#world.nextId(),
      ...(guildId ? { guild_id: guildId } : {}),
    }));
    if (guildId) this.#world.commands.guild.set(guildId, saved);
    else this.#world.commands.global = saved;
    return ok(saved);
  }

  #interactionCallback(
    id: string | undefined,
    token: string | undefined,
    body: JsonBody,
    query: URLSearchParams,
  ): Reply {
    const state = token ? this.#world.interactions.get(token) : undefined;
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
    const message = this.#interactions.applyCallback(state, type, body.data);
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
    const state = token ? this.#world.interactions.get(token) : undefined;
    return app === this.#world.applicationId && state && state.callbacks.length > 0
      ? state
      : undefined;
  }

  #followUp(app: string | undefined, token: string | undefined, body: JsonBody): Reply {
    const state = this.#acknowledged(app, token);
    if (!state) return UNKNOWN_WEBHOOK;
    if (isEmptyMessage(body ?? {})) return EMPTY_MESSAGE;
    const invalid = invalidMessage(body);
    if (invalid) return invalid;
    state.followUps.push(body);
    return ok(this.#interactions.webhookMessage(state, body, MessageType.Default));
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
    const message = owned ? this.#world.messages.get(id) : undefined;
    if (!message) return UNKNOWN_MESSAGE;
    if (method === "GET") return ok(message);
    if (method === "DELETE") {
      this.#world.messages.delete(message.id);
      if (state.originalId === message.id) state.originalId = undefined;
      return NO_CONTENT;
    }
    const invalid = invalidMessage(body ?? {});
    if (invalid) return invalid;
    if (message.id === state.originalId) state.edits.push(body);
    return ok(this.#world.editMessage(message, body ?? {}));
  }

  #getChannel(id: string | undefined): Reply {
    const channel = id ? this.#world.channels.get(id) : undefined;
    return channel ? ok(channel) : UNKNOWN_CHANNEL;
  }

  #postChannelMessage(channelId: string | undefined, body: JsonBody): Reply {
    const channel = channelId ? this.#world.channels.get(channelId) : undefined;
    if (!channel) return UNKNOWN_CHANNEL;
    if (isEmptyMessage(body ?? {})) return EMPTY_MESSAGE;
    const invalid = invalidMessage(body);
    if (invalid) return invalid;
    this.#world.posts(channel.id).push(body);
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
          referenced_message: this.#world.messages.get(referencedId) ?? null,
        }
      : {};
    return ok(this.#world.storeMessage(channel.id, this.#world.bot, body, reply));
  }

  #typing(channelId: string | undefined): Reply {
    return channelId && this.#world.channels.has(channelId) ? NO_CONTENT : UNKNOWN_CHANNEL;
  }

  #getGuild(guildId: string | undefined): Reply {
    const fixture = guildId ? this.#world.findGuild(guildId) : undefined;
    return fixture ? ok(fixture.guild) : UNKNOWN_GUILD;
  }

  #getMember(guildId: string | undefined, userId: string | undefined): Reply {
    const fixture = guildId ? this.#world.findGuild(guildId) : undefined;
    if (!fixture) return UNKNOWN_GUILD;
    const user =
      userId === this.#world.bot.id
        ? this.#world.bot
        : userId
          ? this.#world.users.get(userId)
          : undefined;
    return user ? ok(this.#world.member(user, fixture)) : apiError(404, 10007, "Unknown Member");
  }
}
