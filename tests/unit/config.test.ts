import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { botConfig, ConfigError, readAdminIds } from "../../src/config.ts";
import { tempDir } from "../support/temp-dirs.ts";

const saved = { ...process.env };

afterEach(() => {
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
});

describe("config", () => {
  test("keeps SHARD_COUNT in the config and takes it out of the environment outside a shard", () => {
    process.env.ENV_FILE = join(tmpdir(), "no-such-answer-bot.env");
    process.env.DISCORD_TOKEN = "token-for-the-config-test";
    process.env.SHARD_COUNT = "auto";
    delete process.env.SHARDING_MANAGER;
    expect(botConfig().SHARD_COUNT).toBe("auto");
    expect(process.env.SHARD_COUNT).toBeUndefined();
  });

  test("leaves SHARD_COUNT to a shard, whose discord.js client reads it", () => {
    process.env.DISCORD_TOKEN = "token-for-the-config-test";
    process.env.SHARD_COUNT = "2";
    process.env.SHARDING_MANAGER = "true";
    process.env.SHARDS = "[1]";
    expect(botConfig().SHARD_COUNT).toBe(2);
    expect(process.env.SHARD_COUNT).toBe("2");
  });

  test("reads ADMIN_USER_IDS from the ENV_FILE as it is now, ignoring entries that are not ids", async () => {
    const file = join(await tempDir("answer-bot-env-"), ".env");
    const config = { ENV_FILE: file, ADMIN_USER_IDS: ["111111111111111111"] };
    expect(readAdminIds(config)).toEqual(["111111111111111111"]);
    await writeFile(file, "ADMIN_USER_IDS=222222222222222222, nobody\n");
    expect(readAdminIds(config)).toEqual(["222222222222222222"]);
    await writeFile(file, "LOG_LEVEL=info\n");
    expect(readAdminIds(config)).toEqual([]);
  });
});

const TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GbAdTk.a-token_0123456789";

function tokenRead(pasted: string): string {
  return botConfig({ DISCORD_TOKEN: pasted }).DISCORD_TOKEN;
}

describe("DISCORD_TOKEN as pasted", () => {
  test("surrounding spaces and line breaks, and the Authorization header's Bot prefix, are dropped", () => {
    expect(tokenRead(`  ${TOKEN}\n`)).toBe(TOKEN);
    expect(tokenRead(`Bot ${TOKEN}`)).toBe(TOKEN);
    expect(tokenRead(` bot  ${TOKEN} `)).toBe(TOKEN);
  });

  test.each([
    ["curly quotes", `“${TOKEN}”`],
    ["a zero-width space", `${TOKEN.slice(0, 10)}\u200b${TOKEN.slice(10)}`],
    ["a line break inside", `${TOKEN.slice(0, 10)}\n${TOKEN.slice(10)}`],
    ["a space inside", `${TOKEN.slice(0, 10)} ${TOKEN.slice(10)}`],
  ])("with %s: a one-line DISCORD_TOKEN error that does not show the token", (_, pasted) => {
    let error: unknown;
    try {
      botConfig({ DISCORD_TOKEN: pasted });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/^DISCORD_TOKEN /u);
    expect(message).not.toContain("\n");
    expect(message).not.toContain(TOKEN.slice(10));
  });
});
