/** The shapes the loopback Discord's parts share: fixtures, sessions, interactions, message bodies. */
import type {
  APIDMChannel,
  APIEmbed,
  APIGuild,
  APIMessageTopLevelComponent,
  APITextChannel,
  APIUser,
  GatewayDispatchEvents,
  GatewayOpcodes,
  InteractionType,
  Locale,
} from "discord.js";
import type { WebSocket } from "ws";
import type { InteractionCallback, JsonBody } from "./types.ts";

export type Channel = APITextChannel | APIDMChannel;

export interface GuildFixture {
  guild: APIGuild;
  channel: APITextChannel;
  botRoleId: string;
  joinedAt: string;
}

export interface Where {
  user: APIUser;
  guild: GuildFixture | undefined;
  channel: Channel;
  permissions: string;
  locale: Locale;
}

export interface MessageBody {
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

export interface DispatchPayload {
  op: GatewayOpcodes.Dispatch;
  t: GatewayDispatchEvents;
  s: number;
  d: unknown;
}

export interface Session {
  id: string;
  shardId: number;
  shardCount: number;
  intents: number;
  seq: number;
  /** Everything dispatched in this session, replayed on RESUME. */
  history: DispatchPayload[];
  socket: WebSocket | null;
}

export interface Connection {
  socket: WebSocket;
  session: Session | undefined;
}

export interface InteractionState {
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
