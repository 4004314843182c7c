import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, test, vi } from "vitest";
import { type CommandContext, commands } from "../../commands/index.ts";
import { FeedbackLog } from "../../src/feedback.ts";
import { openQuestionLog } from "../../src/questions.ts";
import { parseButtonId } from "../../src/replies/custom-id.ts";
import { Library } from "../../src/search/library.ts";
import { SAMPLE_CORPUS } from "../fixtures/helpers.ts";
import {
  ask,
  closeHarnesses,
  EPHEMERAL,
  failedRequests,
  startHarness,
  tempDir,
} from "../support/bot-harness.ts";
import type { JsonBody, LoopbackDiscord, TestUser } from "../support/loopback-discord.ts";

/**
 * Every admin path (slash /reload in a guild and in DMs, DM "reload") refuses non-admins,
 * forged button custom_ids never reload anything, and a user removed from the allowlist
 * in the ENV_FILE is refused at once, without a restart.
 */

afterEach(() => {
  vi.restoreAllMocks();
  return closeHarnesses();
});

const ALICE: TestUser = { id: "111111111111111111", username: "alice" };
const BOB: TestUser = { id: "222222222222222222", username: "bob" };
const CAROL: TestUser = { id: "333333333333333333", username: "carol" };
const MANAGE_GUILD = "32";
const QUESTION = "Who pays for the deportation flights from Panama?";
const REFUSAL = /^Sorry, only admins can reload/u;
const RELOADED = /^\*\*Reloaded\*\* in \d+ ms\./u;

type Path = "guild slash" | "DM slash" | "DM text";
const PATHS: Path[] = ["guild slash", "DM slash", "DM text"];

/** Asks for a reload the given way; resolves with the visible reply's content. */
async function requestReload(server: LoopbackDiscord, user: TestUser, path: Path): Promise<string> {
  if (path === "DM text") {
    const [reply] = await server.message({ content: "reload", dm: true, user }).replies();
    return String(reply.content);
  }
  const handle = server.slash({ name: "reload", user, inGuild: path === "guild slash" });
  const reply: JsonBody = await handle.reply(10_000);
  return String(reply.content);
}

describe("admin paths", () => {
  test("every way to reload refuses a non-admin, and nothing reloads", async () => {
    const { server, bot } = await startHarness({ env: { ADMIN_USER_IDS: ALICE.id } });
    const reload = vi.spyOn(bot.library, "reload");
    const stranger = server.addUser({ username: "stranger" });
    for (const path of PATHS)
      expect(await requestReload(server, stranger, path), path).toMatch(REFUSAL);
    // Other guild permissions do not count, and a DM never carries guild permissions.
    for (const permissions of ["0", "2048", "8192", String(1n << 40n)]) {
      const reply: JsonBody = await server
        .slash({ name: "reload", user: stranger, permissions })
        .reply();
      expect(reply.content, permissions).toMatch(REFUSAL);
      expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    }
    expect(reload).not.toHaveBeenCalled();
    expect(failedRequests(server)).toEqual([]);
  });

  test("a user removed from ADMIN_USER_IDS in the ENV_FILE is refused at once, on every path", async () => {
    const envFile = join(await tempDir("answer-bot-env-"), ".env");
    await writeFile(envFile, `DISCORD_TOKEN=unused\nADMIN_USER_IDS=${ALICE.id},${BOB.id}\n`);
    // As `npm start` would have read it: the same list in the environment at start-up.
    const { server, bot } = await startHarness({
      env: { ENV_FILE: envFile, ADMIN_USER_IDS: `${ALICE.id},${BOB.id}` },
    });
    const reload = vi.spyOn(bot.library, "reload");
    for (const path of PATHS)
      expect(await requestReload(server, ALICE, path), path).toMatch(RELOADED);
    expect(reload).toHaveBeenCalledTimes(3);

    // Alice is taken off the list while the bot runs.
    await writeFile(envFile, `DISCORD_TOKEN=unused\nADMIN_USER_IDS=${BOB.id}\n`);
    for (const path of PATHS)
      expect(await requestReload(server, ALICE, path), path).toMatch(REFUSAL);
    expect(reload).toHaveBeenCalledTimes(3);
    expect(await requestReload(server, BOB, "DM slash")).toMatch(RELOADED);

    // A file without the line lists no one; junk in the line grants nothing.
    await writeFile(envFile, `ADMIN_USER_IDS=not-an-id, ${CAROL.id} ,,*\n`);
    expect(await requestReload(server, BOB, "DM text")).toMatch(REFUSAL);
    expect(await requestReload(server, CAROL, "DM text")).toMatch(RELOADED);
    await writeFile(envFile, "LOG_LEVEL=info\n");
    expect(await requestReload(server, CAROL, "DM slash")).toMatch(REFUSAL);

    // Without the file, the list the bot started with applies.
    await rm(envFile);
    expect(await requestReload(server, ALICE, "DM slash")).toMatch(RELOADED);
    expect(await requestReload(server, CAROL, "DM slash")).toMatch(REFUSAL);

    // Manage Server still makes a member an admin in that guild, whatever the file says.
    await writeFile(envFile, "ADMIN_USER_IDS=\n");
    const moderator = server.addUser({ username: "moderator" });
    const handle = server.slash({ name: "reload", user: moderator, permissions: MANAGE_GUILD });
    expect(String(((await handle.reply(10_000)) as JsonBody).content)).toMatch(RELOADED);
    expect(failedRequests(server)).toEqual([]);
  });
});

const NOT_MINE = /^That button is not one of mine any more\. Please ask again\.$/u;
const POLITE = [
  NOT_MINE,
  /^This document was updated since this answer was given\. Please ask again\.$/u,
  /^I can't tell which question this answer was for any more\. Please ask again\.$/u,
  /^There are no more results for this question\.$/u,
];

describe("forged buttons", () => {
  test("forged custom_ids get a polite private no, or a harmless page; nothing reloads", async () => {
    const { server, bot } = await startHarness({ env: { ADMIN_USER_IDS: ALICE.id } });
    const reload = vi.spyOn(bot.library, "reload");
    const before = bot.library.stats();
    // An answer on screen, so ask buttons have a message to sit on.
    await ask(server, { question: QUESTION }).reply();
    const forged = [
      "reload:now",
      "reload:reload",
      "ask:reload",
      "sources:reload",
      "help:reload",
      `ask:ctx:${"x".repeat(120)}`,
      "x".repeat(101),
      "ask:ctx:ünïcødé",
      "ask:fb:👍",
      "ask:ctx:../../etc",
      "ask:ctx:..%2F..%2Fetc",
      "ask:more:0:3:../../etc",
      "ask:more:-1:99:",
      "ask:more:0:3:no-such-document",
      "__proto__:constructor",
      "ask:ctx:__proto__",
      ":",
      "ask",
      "ask:ctx:a\u0000b",
    ];
    for (const user of [ALICE, server.addUser({ username: "stranger" })]) {
      for (const customId of forged) {
        const reply: JsonBody = await server.button({ customId, user }).reply();
        expect(reply.flags & EPHEMERAL, customId).toBe(EPHEMERAL);
        expect(
          POLITE.some((p) => p.test(String(reply.content))),
          `${customId}: ${reply.content}`,
        ).toBe(true);
      }
      // A page past the end shows the last page of /sources: a no-op, not an error.
      const page = server.button({ customId: "sources:page:999999", user });
      expect((await page.callback()).type).toBe(7);
      expect(((await page.reply()) as JsonBody).embeds[0].footer.text).toBe("Page 1 of 1");
    }
    expect(reload).not.toHaveBeenCalled();
    expect(bot.library.stats()).toEqual(before);
    expect(failedRequests(server)).toEqual([]);
  });

  test("no button custom_id at all reaches reload, even for an admin", async () => {
    const library = await Library.open(SAMPLE_CORPUS);
    const reload = vi.fn(async () => []);
    const dataDir = await tempDir("answer-bot-feedback-");
    const feedback = new FeedbackLog(dataDir);
    const ctx: CommandContext = {
      library,
      feedback,
      questions: openQuestionLog({ DATA_DIR: dataDir, LOG_QUESTIONS: true }, feedback),
      reload,
      user: { id: ALICE.id, admin: () => true },
      language: "en",
    };
    const names = [...commands.keys(), "reload", "now", "more", "ctx", "fb", "page", "up", "0"];
    const part = fc.oneof(
      fc.constantFrom(...names),
      fc.string({ maxLength: 12 }),
      fc.integer({ min: -5, max: 1_000_000 }).map(String),
    );
    const customId = fc.oneof(
      fc.array(part, { minLength: 1, maxLength: 6 }).map((parts) => parts.join(":")),
      fc.string({ unit: "binary", maxLength: 120 }),
    );
    await fc.assert(
      fc.asyncProperty(customId, async (id) => {
        const parsed = parseButtonId(id);
        const command = parsed ? commands.get(parsed.command) : undefined;
        if (!parsed || !command?.button) return;
        await command.button(ctx, {
          action: parsed.action,
          args: parsed.args,
          message: {
            content: `**Q:** ${QUESTION}`,
            components: [],
            ephemeral: false,
            askedBy: null,
          },
        });
      }),
      { numRuns: 2000 },
    );
    expect(reload).not.toHaveBeenCalled();
  });
});
