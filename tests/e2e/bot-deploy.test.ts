import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { PermissionsBitField } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { DeployError, deployCommands } from "../../src/cli/deploy-commands.ts";
import { botConfig } from "../../src/config.ts";
import { BOT_PERMISSIONS, inviteUrl } from "../../src/discord/application.ts";
import {
  botEnv,
  closeHarnesses,
  failedRequests,
  startServer,
  tempDir,
} from "../support/bot-harness.ts";
import { runCli } from "../support/cli.ts";
import type { JsonBody, LoopbackDiscord } from "../support/loopback-discord.ts";

afterEach(closeHarnesses);

async function configFor(server: LoopbackDiscord, env: Record<string, string>) {
  return botConfig(botEnv(server, await dirs(), env));
}

function byName(commands: JsonBody[]): Map<string, JsonBody> {
  return new Map(commands.map((c) => [c.name, c]));
}

function expectTheFiveCommands(commands: JsonBody[]): void {
  const named = byName(commands);
  expect([...named.keys()].sort()).toEqual(["ask", "help", "reload", "sources", "stats"]);
  const ask = named.get("ask");
  const options = new Map((ask.options as JsonBody[]).map((o) => [o.name, o]));
  expect([...options.keys()]).toEqual(["question", "source", "results", "private"]);
  expect(options.get("question")).toMatchObject({ type: 3, required: true, autocomplete: true });
  expect(options.get("source")).toMatchObject({ type: 3, autocomplete: true });
  expect(options.get("source").required ?? false).toBe(false);
  expect(options.get("results")).toMatchObject({ type: 4, min_value: 1, max_value: 5 });
  expect(options.get("private")).toMatchObject({ type: 5 });
  expect(named.get("reload").default_member_permissions).toBe("32");
  expect(named.get("stats").default_member_permissions).toBe("32");
  for (const name of ["ask", "sources", "help"]) {
    expect(named.get(name).default_member_permissions ?? null).toBeNull();
  }
  // Each command is named and described in Spanish for Spanish Discord clients.
  for (const command of commands) {
    for (const locale of ["es-ES", "es-419"]) {
      expect(command.name_localizations?.[locale], `${command.name} ${locale}`).toMatch(/\S/u);
      expect(command.description_localizations?.[locale], `${command.name} ${locale}`).toMatch(
        /\S/u,
      );
    }
  }
  expect(named.get("stats").name_localizations["es-419"]).toBe("estadísticas");
}

describe("deployCommands", () => {
  it("registers the five commands in the guild when DISCORD_GUILD_ID is set", async () => {
    const server = await startServer();
    const deployed = await deployCommands(await configFor(server, {}));

    expect(deployed.names.sort()).toEqual(["ask", "help", "reload", "sources", "stats"]);
    expect(deployed.scope).toContain(server.guildId);
    const puts = server.requests.filter((r) => r.method === "PUT");
    expect(puts.map((r) => r.path)).toEqual([
      `/api/v10/applications/${server.applicationId}/guilds/${server.guildId}/commands`,
    ]);
    expectTheFiveCommands(puts[0]?.body as JsonBody[]);
    expect(server.commands.guild.get(server.guildId)).toHaveLength(5);
    expect(server.commands.global).toEqual([]);
    expect(failedRequests(server)).toEqual([]);
  });

  it("registers them globally without DISCORD_GUILD_ID, finding the application id from the token", async () => {
    const server = await startServer();
    const config = await configFor(server, { DISCORD_GUILD_ID: "", DISCORD_APPLICATION_ID: "" });
    const deployed = await deployCommands(config);

    expect(deployed.scope).toMatch(/^globally/);
    const puts = server.requests.filter((r) => r.method === "PUT");
    expect(puts.map((r) => r.path)).toEqual([
      `/api/v10/applications/${server.applicationId}/commands`,
    ]);
    expectTheFiveCommands(puts[0]?.body as JsonBody[]);
    expectTheFiveCommands(server.commands.global);
    expect(server.commands.guild.size).toBe(0);
    expect(failedRequests(server)).toEqual([]);
  });
});

describe("a failed deploy says what to do, in one line", () => {
  it("a wrong token: copy it again from the Developer Portal", async () => {
    const server = await startServer();
    const config = await configFor(server, { DISCORD_TOKEN: "MTIz.wrong.token-0123456789" });
    await expect(deployCommands(config)).rejects.toThrow(
      /^Discord rejected DISCORD_TOKEN; copy the bot token again from the Developer Portal/u,
    );
    expect(server.commands.guild.size).toBe(0);
  });

  it("Missing Access: invite the bot to that server with applications.commands, with the link", async () => {
    const server = await startServer();
    const elsewhere = "123456789012345678";
    const config = await configFor(server, { DISCORD_GUILD_ID: elsewhere });
    const error = await deployCommands(config).then(
      () => new Error("deployed to a server the bot is not in"),
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(DeployError);
    expect(error.message).toMatch(
      new RegExp(
        `^Missing Access to server ${elsewhere}: invite the bot there with the applications\\.commands scope`,
        "u",
      ),
    );
    const link = new URL(/\((https:\/\/\S+)\)/u.exec(error.message)?.[1] ?? "");
    expect(Object.fromEntries(link.searchParams)).toEqual({
      client_id: server.applicationId,
      scope: "bot applications.commands",
      permissions: "84992",
      guild_id: elsewhere,
    });
    expect(error.message).not.toContain("\n");
  });

  it("no network: check the network", async () => {
    const closed = await closedPort();
    const server = await startServer();
    const config = await configFor(server, { DISCORD_API_URL: `http://127.0.0.1:${closed}/api` });
    await expect(deployCommands(config)).rejects.toThrow(
      /^cannot reach Discord \(.*ECONNREFUSED.*\); check the network or DISCORD_API_URL$/u,
    );
  });
});

describe("the deploy and invite commands", () => {
  it("npm run deploy registers the commands, then prints the invite link", async () => {
    const server = await startServer();
    const env = botEnv(server, await dirs(), { DISCORD_APPLICATION_ID: "" });
    const { code, stdout, stderr } = await runCli("src/cli/deploy-commands.ts", [], env);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toBe(
      `Registered 5 commands guild ${server.guildId}: /ask, /sources, /help, /reload, /stats\n` +
        `Invite the bot to a server with ${expectedInvite(server.applicationId)}\n`,
    );
  });

  it("npm run deploy prints one line and exits 1 when it fails", async () => {
    const server = await startServer();
    const env = botEnv(server, await dirs(), { DISCORD_TOKEN: "MTIz.wrong.token-0123456789" });
    const { code, stdout, stderr } = await runCli("src/cli/deploy-commands.ts", [], env);
    expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
    expect(stderr).toMatch(/^Cannot deploy: Discord rejected DISCORD_TOKEN; [^\n]*\n$/u);
    expect(stderr).not.toContain("MTIz.wrong");
  });

  it("npm run invite prints the link, finding the application id from the token", async () => {
    const server = await startServer();
    const env = botEnv(server, await dirs(), { DISCORD_APPLICATION_ID: "" });
    const { code, stdout, stderr } = await runCli("src/cli/invite.ts", [], env);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toBe(`${expectedInvite(server.applicationId)}\n`);
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /api/v10/applications/@me",
    ]);
  });
});

describe("the invite link", () => {
  it("asks for exactly View Channels, Send Messages, Embed Links and Read Message History", () => {
    const permissions = new PermissionsBitField(
      BigInt(new URL(inviteUrl("1234567")).searchParams.get("permissions") ?? 0),
    );
    expect(permissions.toArray().sort()).toEqual([
      "EmbedLinks",
      "ReadMessageHistory",
      "SendMessages",
      "ViewChannel",
    ]);
    expect(BOT_PERMISSIONS.bitfield).toBe(84992n);
  });
});

/** The link deploy and invite print, written out as the README shows it. */
function expectedInvite(applicationId: string): string {
  return `https://discord.com/oauth2/authorize?client_id=${applicationId}&scope=bot+applications.commands&permissions=84992`;
}

function dirs() {
  return Promise.all([tempDir("answer-bot-e2e-corpus-"), tempDir("answer-bot-e2e-data-")]).then(
    ([corpusDir, dataDir]) => ({ corpusDir, dataDir }),
  );
}

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
