import { afterEach, describe, expect, it } from "vitest";
import { deployCommands } from "../../src/cli/deploy-commands.ts";
import { botConfig } from "../../src/config.ts";
import {
  botEnv,
  closeHarnesses,
  failedRequests,
  startServer,
  tempDir,
} from "../support/bot-harness.ts";
import type { JsonBody, LoopbackDiscord } from "../support/loopback-discord.ts";

afterEach(closeHarnesses);

async function configFor(server: LoopbackDiscord, env: Record<string, string>) {
  const dirs = {
    corpusDir: await tempDir("answer-bot-e2e-corpus-"),
    dataDir: await tempDir("answer-bot-e2e-data-"),
  };
  return botConfig(botEnv(server, dirs, env));
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
