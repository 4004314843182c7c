/** What tests see of the loopback Discord: its controls, handles, options and records. */

// biome-ignore lint/suspicious/noExplicitAny: raw JSON bodies from the bot, read loosely by tests
export type JsonBody = any;

export interface TestUser {
  id: string;
  username: string;
}

export interface ActorOptions {
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
