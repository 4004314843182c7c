/** The gateway: a JSON WebSocket that identifies and resumes sessions per shard and dispatches events to them. */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, Server } from "node:http";
import type {
  APIMessage,
  ApplicationFlags,
  GatewayGuildCreateDispatchData,
  GatewayReadyDispatchData,
} from "discord.js";
import {
  GatewayCloseCodes,
  GatewayDispatchEvents,
  GatewayIntentBits,
  GatewayOpcodes,
} from "discord.js";
import { type WebSocket, WebSocketServer } from "ws";
import type { World } from "./fixtures.ts";
import type { Channel, Connection, DispatchPayload, GuildFixture, Session } from "./shapes.ts";
import type { JsonBody } from "./types.ts";

const HEARTBEAT_INTERVAL_MS = 41_250;

/** Discord routes a guild's events to shard `(guild_id >> 22) % shard_count`, and DMs to shard 0. */
export function shardOf(guildId: string | undefined, shardCount: number): number {
  return guildId === undefined ? 0 : Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

export class Gateway {
  readonly url: string;
  identifies = 0;
  resumes = 0;
  readonly #world: World;
  readonly #wss: WebSocketServer;
  readonly #sessions = new Map<string, Session>();

  constructor(world: World, http: Server, port: number) {
    this.#world = world;
    this.url = `ws://127.0.0.1:${port}`;
    this.#wss = new WebSocketServer({ server: http });
    this.#wss.on("connection", (socket, request) => this.#onConnection(socket, request));
  }

  /** Close every socket with `code`; 1006 (abnormal closure) cannot travel in a close frame, so it cuts the connection. */
  drop(code: number): void {
    for (const socket of this.#wss.clients) {
      if (code === 1006) socket.terminate();
      else socket.close(code, "Dropped by the test");
    }
  }

  /** Forgets the events kept for RESUME. */
  forget(): void {
    for (const session of this.#sessions.values()) session.history = [];
  }

  async close(): Promise<void> {
    for (const socket of this.#wss.clients) socket.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  /** The MESSAGE_CREATE a session receives, as its intents shape it (undefined: not sent). */
  messageCreateFor(
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
      !message.mentions.some((user) => user.id === this.#world.bot.id);
    // The event's member object leaves out the user: that is the message author.
    const { user: _author, ...member } = this.#world.member(message.author, guild);
    return {
      ...message,
      ...(hidden ? { content: "", embeds: [], attachments: [], components: [] } : {}),
      channel_type: channel.type,
      guild_id: guild.guild.id,
      member,
    };
  }

  #onConnection(socket: WebSocket, request: IncomingMessage): void {
    const query = new URL(request.url ?? "/", this.url).searchParams;
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
    if (token !== this.#world.token) {
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
    this.identifies += 1;
    const guilds = this.#world.guilds.filter(
      ({ guild }) => shardOf(guild.id, shardCount) === shardId,
    );
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: this.#world.bot,
      guilds: guilds.map(({ guild }) => ({ id: guild.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.url,
      shard: [shardId, shardCount],
      application: { id: this.#world.applicationId, flags: 0 as ApplicationFlags, flags_new: "0" },
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
    this.resumes += 1;
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
      member_count: this.#world.users.size + 1,
      voice_states: [],
      members: [this.#world.member(this.#world.bot, fixture)],
      channels: [fixture.channel],
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  /** Sends an event to every session of the shard that owns `guildId` (shard 0 for DMs); `dataFor` may skip one. */
  dispatch(
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
