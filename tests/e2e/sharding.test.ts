/**
 * Two shards under the real discord.js ShardingManager, each a child process running
 * src/main.ts through tsx, against the loopback Discord server with one guild per shard.
 */
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Client, PermissionFlagsBits, type ShardingManager } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { botConfig } from "../../src/config.ts";
import { createShardManager, stopShards } from "../../src/discord/shards.ts";
import { SAMPLE_CORPUS } from "../fixtures/helpers.ts";
import { askOptions, unmarkdown } from "../support/bot-harness.ts";
import {
  type JsonBody,
  type LoopbackDiscord,
  shardOf,
  startLoopbackDiscord,
} from "../support/loopback-discord.ts";

const cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const NEW_FILE = "kiribati-seasonal-corridor.md";
const NEW_TEXT =
  "Kiribati opened a seasonal labour corridor for 4,200 coconut harvesters from Tuvalu, officials in Tarawa said on Tuesday, and the first workers will travel in March.";

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe("npm run start:sharded", () => {
  it("runs two shards that answer their own guilds and reload together", async () => {
    const server: LoopbackDiscord = await startLoopbackDiscord({ guilds: 2 });
    cleanups.push(() => server.close());
    const corpusDir = await tempDir("answer-bot-shards-corpus-");
    await cp(SAMPLE_CORPUS, corpusDir, { recursive: true });
    const dataDir = await tempDir("answer-bot-shards-data-");
    const env = {
      DISCORD_TOKEN: server.token,
      DISCORD_API_URL: server.apiUrl,
      DISCORD_APPLICATION_ID: server.applicationId,
      CORPUS_DIR: corpusDir,
      DATA_DIR: dataDir,
      SHARD_COUNT: "2",
      LOG_LEVEL: "warn",
      RATE_LIMIT_PER_MINUTE: "0",
      MENTIONS: "off",
      ADMIN_USER_IDS: "",
    };
    const config = botConfig(env);
    expect(config.SHARD_COUNT).toBe(2);

    const manager: ShardingManager = createShardManager(config, 2, { env, respawn: false });
    cleanups.push(() => stopShards(manager));
    await manager.spawn({ amount: 2, delay: 0, timeout: 30_000 });

    // Both shards identified, each with the guild Discord routes to it.
    expect(server.gatewayIdentifies).toBe(2);
    const seenByShard = await manager.broadcastEval((client: Client) => ({
      ids: client.shard?.ids ?? [],
      guilds: [...client.guilds.cache.keys()],
    }));
    expect(seenByShard.map((s) => s.ids)).toEqual([[0], [1]]);
    const guildOf = (shard: number) => {
      const guild = server.guilds.find(({ id }) => shardOf(id, 2) === shard);
      if (!guild) throw new Error(`no guild on shard ${shard}`);
      return guild.id;
    };
    expect(seenByShard.map((s) => s.guilds)).toEqual([[guildOf(0)], [guildOf(1)]]);

    // Record which shard receives each interaction.
    await manager.broadcastEval((client: Client) => {
      const seen: string[] = [];
      Reflect.set(client, Symbol.for("sharding-test.seen"), seen);
      client.on("interactionCreate", (interaction) => {
        seen.push(interaction.guildId ?? "dm");
      });
    });
    for (const shard of [0, 1]) {
      const reply: JsonBody = await server
        .slash({
          name: "ask",
          guildId: guildOf(shard),
          options: askOptions({ question: "Who pays for the deportation flights from Panama?" }),
        })
        .reply(10_000);
      expect(reply.embeds?.length ?? 0).toBeGreaterThan(0);
    }
    const interactions = await manager.broadcastEval(
      (client: Client) => Reflect.get(client, Symbol.for("sharding-test.seen")) as string[],
    );
    expect(interactions).toEqual([[guildOf(0)], [guildOf(1)]]);

    // An admin /reload on shard 0 reloads shard 1 too and reports both.
    await writeFile(
      join(corpusDir, NEW_FILE),
      `---\ntitle: "Kiribati opens a seasonal labour corridor"\noutlet: Pacific Wire\npublished: "2025-03-04"\n---\n${NEW_TEXT}\n`,
    );
    const reload: JsonBody = await server
      .slash({
        name: "reload",
        guildId: guildOf(0),
        permissions: PermissionFlagsBits.ManageGuild.toString(),
      })
      .reply(20_000);
    const content = String(reload.content);
    expect(content).toContain("(shard 0)");
    expect(content).toContain("(shard 1)");
    expect(content).not.toMatch(/failed/iu);
    // Each shard's report lists the new file as added.
    expect(content.split(`Added: ${NEW_FILE}`).length - 1).toBe(2);

    // The other shard now answers from the new file.
    const answer: JsonBody = await server
      .slash({
        name: "ask",
        guildId: guildOf(1),
        options: askOptions({
          question: "What did Kiribati open for coconut harvesters from Tuvalu?",
        }),
      })
      .reply(10_000);
    const quotes = (answer.embeds ?? []).map((e: JsonBody) => unmarkdown(String(e.description)));
    expect(quotes.join("\n")).toContain("coconut harvesters from Tuvalu");

    // A shard that cannot reload yet (as while it starts) is reported as such, with no
    // made-up counts for it; the shard that reloaded reports its own.
    await manager.broadcastEval(
      (client: Client) => Reflect.deleteProperty(client, Symbol.for("migration-answer-bot.reload")),
      { shard: 1 },
    );
    const partial: JsonBody = await server
      .slash({
        name: "reload",
        guildId: guildOf(0),
        permissions: PermissionFlagsBits.ManageGuild.toString(),
      })
      .reply(20_000);
    const [first, second] = String(partial.content).split("\n\n");
    expect(first).toMatch(/^\*\*Reloaded \(shard 0\)\*\*/u);
    expect(second).toContain(
      "**Reload failed (shard 1)**: shard 1 did not reload: this shard is still starting",
    );
    expect(second).toContain("unknown");
    expect(second).not.toMatch(/\d+ documents/u);
  }, 60_000);
});
