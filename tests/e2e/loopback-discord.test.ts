import { once } from "node:events";
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  ChannelType,
  Client,
  type ClientOptions,
  Events,
  GatewayIntentBits,
  type Interaction,
  InteractionResponseType,
  type Message,
  MessageFlags,
  Partials,
  PermissionFlagsBits,
  REST,
  Routes,
} from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { type LoopbackDiscord, startLoopbackDiscord } from "../support/loopback-discord.ts";

const EVENT_TIMEOUT_MS = 5_000;

const servers: LoopbackDiscord[] = [];
const clients: Client[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.destroy()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(opts?: { guilds?: number }): Promise<LoopbackDiscord> {
  const server = await startLoopbackDiscord(opts);
  servers.push(server);
  return server;
}

function newClient(server: LoopbackDiscord, options: Partial<ClientOptions> = {}): Client {
  const client = new Client({
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.DirectMessages,
      GatewayIntentBits.GuildMessages,
    ],
    partials: [Partials.Channel],
    rest: { api: server.apiUrl },
    ...options,
  });
  clients.push(client);
  return client;
}

async function login(server: LoopbackDiscord, options?: Partial<ClientOptions>): Promise<Client> {
  const client = newClient(server, options);
  const ready = once(client, Events.ClientReady, { signal: AbortSignal.timeout(EVENT_TIMEOUT_MS) });
  await client.login(server.token);
  await ready;
  return client;
}

async function nextInteraction<T extends Interaction>(
  client: Client,
  is: (interaction: Interaction) => interaction is T,
): Promise<T> {
  const [interaction] = await once(client, Events.InteractionCreate, {
    signal: AbortSignal.timeout(EVENT_TIMEOUT_MS),
  });
  if (!is(interaction)) throw new Error(`Unexpected interaction type ${interaction.type}`);
  return interaction;
}

async function nextMessage(client: Client): Promise<Message> {
  const [message] = await once(client, Events.MessageCreate, {
    signal: AbortSignal.timeout(EVENT_TIMEOUT_MS),
  });
  return message;
}

const isChatInput = (interaction: Interaction) => interaction.isChatInputCommand();

async function nextPayload(socket: WebSocket): Promise<{ op: number; d: unknown }> {
  const [data] = await once(socket, "message", { signal: AbortSignal.timeout(EVENT_TIMEOUT_MS) });
  return JSON.parse(String(data));
}

describe("loopback Discord server", () => {
  it("lets discord.js log in and become ready with the default guild cached", async () => {
    const server = await start();
    const client = await login(server);

    expect(client.user?.id).toBe(server.botUser.id);
    const guild = client.guilds.cache.get(server.guildId);
    expect(guild?.available).toBe(true);
    expect(guild?.members.me?.id).toBe(server.botUser.id);
    expect(client.channels.cache.get(server.channelId)?.type).toBe(ChannelType.GuildText);
    expect(server.gatewayIdentifies).toBe(1);
    expect(server.requests.map((request) => request.path)).toContain("/api/v10/gateway/bot");
  });

  it("rejects a wrong token over REST and on the gateway", async () => {
    const server = await start();
    const badRest = new REST({ api: server.apiUrl }).setToken("wrong");
    await expect(badRest.get(Routes.user())).rejects.toMatchObject({ status: 401 });
    await expect(newClient(server).login("wrong")).rejects.toThrow(/invalid token/);

    const rest = new REST({ api: server.apiUrl }).setToken(server.token);
    const { url } = (await rest.get(Routes.gatewayBot())) as { url: string };
    const socket = new WebSocket(`${url}?v=10&encoding=json`);
    expect(await nextPayload(socket)).toMatchObject({ op: 10, d: { heartbeat_interval: 41_250 } });
    socket.send(JSON.stringify({ op: 1, d: null }));
    expect((await nextPayload(socket)).op).toBe(11);
    const closed = once(socket, "close", { signal: AbortSignal.timeout(EVENT_TIMEOUT_MS) });
    socket.send(JSON.stringify({ op: 2, d: { token: "wrong", intents: 0, properties: {} } }));
    const [code] = await closed;
    expect(code).toBe(4004);
  });

  it("records command PUTs from discord.js REST and uses the ids in interactions", async () => {
    const server = await start();
    const rest = new REST({ api: server.apiUrl }).setToken(server.token);
    const global = [{ name: "ask", description: "Ask a migration question" }];
    const saved = (await rest.put(Routes.applicationCommands(server.applicationId), {
      body: global,
    })) as Array<{ id: string; name: string }>;
    const guildRoute = Routes.applicationGuildCommands(server.applicationId, server.guildId);
    await rest.put(guildRoute, { body: [{ name: "admin", description: "Admin tools" }] });

    expect(saved[0]?.id).toMatch(/^\d{17,19}$/);
    expect(server.commands.global).toEqual(saved);
    expect(server.commands.guild.get(server.guildId)?.map((command) => command.name)).toEqual([
      "admin",
    ]);
    expect(server.requests.find((request) => request.method === "PUT")?.body).toEqual(global);

    const client = await login(server);
    server.slash({ name: "ask" });
    const interaction = await nextInteraction(client, isChatInput);
    expect(interaction.commandId).toBe(saved[0]?.id);
  });

  it("delivers a slash command and its ephemeral reply", async () => {
    const server = await start();
    const client = await login(server);
    const user = server.addUser({ username: "alice" });

    const handle = server.slash({
      name: "ask",
      user,
      options: [{ name: "question", type: 3, value: "Can I stay?" }],
      permissions: PermissionFlagsBits.ManageGuild.toString(),
    });
    const interaction = await nextInteraction(client, isChatInput);
    expect(interaction.user.id).toBe(user.id);
    expect(interaction.guildId).toBe(server.guildId);
    expect(interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)).toBe(true);
    const question = interaction.options.getString("question", true);
    await interaction.reply({ content: `Q: ${question}`, flags: MessageFlags.Ephemeral });

    expect(await handle.reply()).toMatchObject({
      content: "Q: Can I stay?",
      flags: MessageFlags.Ephemeral,
    });
    expect((await handle.callback()).type).toBe(InteractionResponseType.ChannelMessageWithSource);
  });

  it("supports deferReply then editReply, here in a DM", async () => {
    const server = await start();
    const client = await login(server);

    const handle = server.slash({ name: "ask", inGuild: false });
    const interaction = await nextInteraction(client, isChatInput);
    expect(interaction.inGuild()).toBe(false);
    expect(interaction.channel?.type).toBe(ChannelType.DM);
    await interaction.deferReply();
    expect((await handle.callback()).type).toBe(
      InteractionResponseType.DeferredChannelMessageWithSource,
    );
    await interaction.editReply("Here is the answer");

    expect(await handle.reply()).toMatchObject({ content: "Here is the answer" });
    expect(handle.edits).toHaveLength(1);
  });

  it("answers with_response callbacks and delivers follow-up messages", async () => {
    const server = await start();
    const client = await login(server);

    const handle = server.slash({ name: "ask" });
    const interaction = await nextInteraction(client, isChatInput);
    const response = await interaction.reply({ content: "first", withResponse: true });
    expect(response.resource?.message?.content).toBe("first");
    expect(response.interaction.id).toBe(handle.id);
    const sent = await interaction.followUp({ content: "second", flags: MessageFlags.Ephemeral });

    expect(sent.content).toBe("second");
    expect(await handle.waitForFollowUp()).toMatchObject({
      content: "second",
      flags: MessageFlags.Ephemeral,
    });
  });

  it("delivers autocomplete choices", async () => {
    const server = await start();
    const client = await login(server);

    const handle = server.autocomplete({
      name: "ask",
      options: [{ name: "topic", type: 3, value: "vis", focused: true }],
    });
    const interaction = await nextInteraction(client, (i) => i.isAutocomplete());
    expect(interaction.options.getFocused()).toBe("vis");
    await interaction.respond([{ name: "Visas", value: "visas" }]);

    expect(await handle.reply()).toEqual({ choices: [{ name: "Visas", value: "visas" }] });
  });

  it("lets the bot update the message behind a button", async () => {
    const server = await start();
    const client = await login(server);

    const slash = server.slash({ name: "ask" });
    const command = await nextInteraction(client, isChatInput);
    const button = new ButtonBuilder()
      .setCustomId("more")
      .setLabel("More")
      .setStyle(ButtonStyle.Primary);
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(button);
    await command.reply({ content: "Short answer", components: [row] });
    const original = await command.fetchReply();
    await slash.reply();

    const click = server.button({ customId: "more" });
    const pressed = await nextInteraction(client, (i) => i.isButton());
    expect(pressed.customId).toBe("more");
    expect(pressed.message.id).toBe(original.id);
    expect(pressed.message.content).toBe("Short answer");
    await pressed.update({ content: "Long answer", components: [] });

    expect((await click.callback()).type).toBe(InteractionResponseType.UpdateMessage);
    expect(await click.reply()).toMatchObject({ content: "Long answer", components: [] });
  });

  it("delivers DM messages and the bot's replies", async () => {
    const server = await start();
    const client = await login(server);

    const handle = server.message({ content: "hello bot", dm: true });
    const message = await nextMessage(client);
    expect(message.id).toBe(handle.messageId);
    expect(message.content).toBe("hello bot");
    expect(message.channel.type).toBe(ChannelType.DM);
    await message.reply("pong");
    if (!message.channel.isSendable()) throw new Error("DM channel should be sendable");
    // Files make discord.js send multipart/form-data with the message in payload_json.
    const file = { attachment: Buffer.from("sources"), name: "sources.txt" };
    await message.channel.send({ content: "second", files: [file] });

    const [reply, send] = await handle.replies(2);
    expect(reply).toMatchObject({ content: "pong", message_reference: { message_id: message.id } });
    expect(send).toMatchObject({ content: "second", attachments: [{ filename: "sources.txt" }] });
  });

  it("hides guild message content from a bot without the MessageContent intent unless mentioned", async () => {
    const server = await start();
    const client = await login(server);

    server.message({ content: "not for you" });
    expect((await nextMessage(client)).content).toBe("");
    server.message({ content: "for you", mentionBot: true });
    const mention = await nextMessage(client);
    expect(mention.content).toBe(`<@${server.botUser.id}> for you`);
    expect(mention.mentions.users.has(server.botUser.id)).toBe(true);
  });

  it("rejects what Discord rejects: over-long content and a second acknowledgement", async () => {
    const server = await start();
    const client = await login(server);

    server.slash({ name: "ask" });
    const interaction = await nextInteraction(client, isChatInput);
    await expect(interaction.reply("x".repeat(2001))).rejects.toMatchObject({ code: 50035 });
    await interaction.reply("fits");
    // discord.js refuses a second reply itself, so post the raw callback as a confused bot could.
    const again = client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
      body: { type: InteractionResponseType.ChannelMessageWithSource, data: { content: "again" } },
      auth: false,
    });
    await expect(again).rejects.toMatchObject({ code: 40060 });
  });

  it("has discord.js retry a rate-limited callback and still deliver it", async () => {
    const server = await start();
    const client = await login(server);
    server.failNext(
      { method: "POST", pathIncludes: "/callback" },
      { status: 429, retryAfter: 0.2 },
    );

    const handle = server.slash({ name: "ask" });
    const interaction = await nextInteraction(client, isChatInput);
    await interaction.reply("after the rate limit");

    expect(await handle.reply()).toMatchObject({ content: "after the rate limit" });
    const attempts = server.requests.filter((request) => request.path.includes("/callback"));
    expect(attempts.map((attempt) => attempt.status)).toEqual([429, 204]);
    const [limited, retried] = attempts;
    expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(200);
  });

  it("forgets its record on request and goes on serving", async () => {
    const server = await start();
    const client = await login(server);
    const first = server.slash({ name: "ask" });
    const answered = await nextInteraction(client, isChatInput);
    await answered.reply("first");
    await first.reply();
    expect(server.requests.length).toBeGreaterThan(0);

    server.forget();
    expect(server.requests).toEqual([]);
    // The forgotten interaction is gone with the rest: its token no longer works.
    await expect(answered.followUp("late")).rejects.toMatchObject({ status: 404 });
    const second = server.slash({ name: "ask" });
    await (await nextInteraction(client, isChatInput)).reply("second");
    expect(await second.reply()).toMatchObject({ content: "second" });
  });

  it("resumes after dropped gateway connections and replays what was missed", async () => {
    const server = await start();
    const client = await login(server);
    const resumed = once(client, Events.ShardResume, {
      signal: AbortSignal.timeout(EVENT_TIMEOUT_MS),
    });
    const missed = nextInteraction(client, isChatInput);

    server.dropGatewayConnections();
    // Dispatched while the socket is closing, so it only arrives if RESUME replays it.
    const first = server.slash({ name: "ask" });
    const [interaction] = await Promise.all([missed, resumed]);
    await interaction.reply("replayed");
    expect(await first.reply()).toMatchObject({ content: "replayed" });
    expect(server.gatewayResumes).toBe(1);
    expect(server.gatewayIdentifies).toBe(1);

    const second = server.slash({ name: "ask" });
    await (await nextInteraction(client, isChatInput)).reply("still working");
    expect(await second.reply()).toMatchObject({ content: "still working" });
  });

  it("re-identifies after a normal close ends the session", async () => {
    const server = await start();
    const client = await login(server, {
      // Discord allows one IDENTIFY per 5 s; skip that wait so the test stays fast.
      ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) },
    });
    const ready = once(client, Events.ShardReady, {
      signal: AbortSignal.timeout(EVENT_TIMEOUT_MS),
    });

    server.dropGatewayConnections(1000);
    await ready;
    expect(server.gatewayIdentifies).toBe(2);
    expect(server.gatewayResumes).toBe(0);

    const handle = server.slash({ name: "ask" });
    await (await nextInteraction(client, isChatInput)).reply("back");
    expect(await handle.reply()).toMatchObject({ content: "back" });
  });

  it("routes guild events to the shard that owns the guild", async () => {
    const server = await start({ guilds: 2 });
    const client = await login(server, { shards: [0, 1], shardCount: 2 });

    const shardOf = (guildId: string) => Number((BigInt(guildId) >> 22n) % 2n);
    const shards = server.guilds.map(({ id }) => client.guilds.cache.get(id)?.shardId);
    expect(shards).toEqual(server.guilds.map(({ id }) => shardOf(id)));
    expect(new Set(shards)).toEqual(new Set([0, 1]));
    expect(server.gatewayIdentifies).toBe(2);

    const target = server.guilds.find(({ id }) => shardOf(id) === 1);
    const handle = server.slash({ name: "ask", guildId: target?.id });
    const interaction = await nextInteraction(client, isChatInput);
    expect(interaction.guild?.shardId).toBe(1);
    await interaction.reply("from shard 1");
    expect(await handle.reply()).toMatchObject({ content: "from shard 1" });
  });
});
