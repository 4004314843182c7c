/**
 * A Discord look-alike on 127.0.0.1 (REST under /api/v10 plus a JSON gateway on the same port) that the real
 * discord.js Client and REST can log into, so the bot can be tested end to end without network access.
 * Its parts live in ./loopback/: the world it keeps (fixtures), the REST routes, the gateway and interactions.
 */
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIUser } from "discord.js";
import {
  ChannelType,
  ComponentType,
  GatewayCloseCodes,
  GatewayDispatchEvents,
  InteractionType,
} from "discord.js";
import { World } from "./loopback/fixtures.ts";
import { Gateway } from "./loopback/gateway.ts";
import { Interactions } from "./loopback/interactions.ts";
import { Rest } from "./loopback/rest.ts";
import type {
  AutocompleteOptions,
  ButtonOptions,
  FaultResponse,
  InteractionHandle,
  JsonBody,
  LoopbackDiscord,
  MessageHandle,
  MessageOptions,
  RecordedRequest,
  SlashOptions,
  TestUser,
} from "./loopback/types.ts";
import { DEFAULT_WAIT_MS, Waiters } from "./loopback/waiters.ts";

export { shardOf } from "./loopback/gateway.ts";
export type * from "./loopback/types.ts";

class Loopback implements LoopbackDiscord {
  readonly apiUrl: string;
  readonly token: string;
  readonly applicationId: string;
  readonly botUser: TestUser;
  readonly guildId: string;
  readonly channelId: string;
  readonly guilds: ReadonlyArray<{ id: string; channelId: string }>;
  readonly commands: LoopbackDiscord["commands"];

  readonly #http: Server;
  readonly #waiters = new Waiters();
  readonly #world: World;
  readonly #bot: APIUser;
  readonly #gateway: Gateway;
  readonly #interactions: Interactions;
  readonly #rest: Rest;

  constructor(http: Server, port: number, guildCount: number) {
    this.#http = http;
    this.apiUrl = `http://127.0.0.1:${port}/api`;
    this.#world = new World(guildCount);
    this.applicationId = this.#world.applicationId;
    this.token = this.#world.token;
    this.#bot = this.#world.bot;
    this.botUser = this.#bot;
    this.commands = this.#world.commands;
    this.guilds = this.#world.guilds.map(({ guild, channel }) => ({
      id: guild.id,
      channelId: channel.id,
    }));
    const first = this.#world.guildFixture(undefined);
    this.guildId = first.guild.id;
    this.channelId = first.channel.id;
    this.#gateway = new Gateway(this.#world, http, port);
    this.#interactions = new Interactions(this.#world, this.#waiters, this.#gateway);
    this.#rest = new Rest(
      this.apiUrl,
      this.#gateway.url,
      this.#world,
      this.#interactions,
      this.#waiters,
    );
    http.on("request", (request, response) => void this.#rest.onRequest(request, response));
  }

  get requests(): RecordedRequest[] {
    return this.#rest.requests;
  }

  get gatewayIdentifies(): number {
    return this.#gateway.identifies;
  }

  get gatewayResumes(): number {
    return this.#gateway.resumes;
  }

  addUser(opts: Partial<TestUser> = {}): TestUser {
    return this.#world.registerUser(opts);
  }

  slash(opts: SlashOptions): InteractionHandle {
    const where = this.#world.where(opts);
    const data = this.#world.commandData(opts.name, opts.options, where);
    return this.#interactions.interact(InteractionType.ApplicationCommand, where, data, undefined);
  }

  autocomplete(opts: AutocompleteOptions): InteractionHandle {
    const where = this.#world.where(opts);
    const data = this.#world.commandData(opts.name, opts.options, where);
    const type = InteractionType.ApplicationCommandAutocomplete;
    return this.#interactions.interact(type, where, data, undefined);
  }

  button(opts: ButtonOptions): InteractionHandle {
    const message = this.#world.componentMessage(opts);
    // The click happens wherever the message is.
    const channel = this.#world.channels.get(message.channel_id);
    const guildId = channel?.type === ChannelType.GuildText ? channel.guild_id : undefined;
    const where = this.#world.where({ ...opts, inGuild: guildId !== undefined, guildId });
    const data = { custom_id: opts.customId, component_type: ComponentType.Button };
    return this.#interactions.interact(InteractionType.MessageComponent, where, data, message);
  }

  message(opts: MessageOptions): MessageHandle {
    const world = this.#world;
    const author = world.resolveUser(opts.user);
    const guild = opts.dm ? undefined : world.guildFixture(opts.guildId);
    const channel = guild ? guild.channel : world.dmChannel(author);
    const content = opts.mentionBot ? `<@${this.#bot.id}> ${opts.content}` : opts.content;
    const mentions = opts.mentionBot ? [this.#bot] : [];
    const message = world.storeMessage(channel.id, author, { content }, { mentions });
    const posts: JsonBody[] = world.posts(channel.id);
    const start = posts.length;
    this.#gateway.dispatch(GatewayDispatchEvents.MessageCreate, guild?.guild.id, (session) =>
      this.#gateway.messageCreateFor(session, message, channel, guild),
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
    this.#rest.failNext(match, response);
  }

  dropGatewayConnections(code: number = GatewayCloseCodes.UnknownError): void {
    this.#gateway.drop(code);
  }

  forget(): void {
    // New containers, not cleared ones: clearing the server's long-lived maps and arrays kept
    // each round trip's records alive through the bots' minor collections, lengthening the pauses timed.
    this.#rest.requests = [];
    this.#world.forget();
    this.#gateway.forget();
  }

  async close(): Promise<void> {
    this.#waiters.failAll("The loopback Discord server was closed");
    await this.#gateway.close();
    this.#http.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.#http.close((error) => (error ? reject(error) : resolve())),
    );
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
