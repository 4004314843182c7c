import { describe, expect, test } from "vitest";
import { botConfig, ConfigError } from "../../src/config.ts";

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
