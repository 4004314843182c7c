import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterEach, describe, expect, test, vi } from "vitest";
import { botConfig } from "../../src/config.ts";
import { startBot } from "../../src/discord/bot.ts";
import { setLogLevel } from "../../src/log.ts";
import { REPO_ROOT, SAMPLE_CORPUS } from "../fixtures/helpers.ts";
import {
  ask,
  botEnv,
  closeHarnesses,
  startHarness,
  startServer,
  tempDir,
} from "../support/bot-harness.ts";
import type { JsonBody, LoopbackDiscord } from "../support/loopback-discord.ts";

/**
 * The bot token never reaches a log line or a reply, whatever fails: a command that
 * throws (with the token in its error), REST 401s, a login with a wrong token. And .env,
 * where the token lives, is ignored by git.
 */

afterEach(async () => {
  setLogLevel("silent");
  vi.restoreAllMocks();
  await closeHarnesses();
});

const QUESTION = "Who pays for the deportation flights from Panama?";
const APOLOGY = /^Sorry, something went wrong/u;

/** Everything written to stdout and stderr from now on (the log goes to stderr). */
function captureOutput(): string[] {
  const written: string[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, "write").mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
  }
  return written;
}

/** Every body the bot sent to the server, as text. */
function sentBodies(server: LoopbackDiscord): string {
  return server.requests.map((r) => JSON.stringify(r.body ?? null)).join("\n");
}

describe("the bot token", () => {
  test("never appears in logs or replies when commands throw and REST answers 401", async () => {
    const { server, bot } = await startHarness();
    const token = server.token;
    const output = captureOutput();
    setLogLevel("debug");

    // A command fails with the token in its error (as a URL or a config dump might carry it).
    vi.spyOn(bot.library, "answer").mockImplementationOnce(() => {
      throw new Error(`upstream said no to https://example.org/?auth=${token}`);
    });
    const failed: JsonBody = await ask(server, { question: QUESTION }).reply();
    expect(failed.content).toMatch(APOLOGY);

    // Discord answers 401 to an interaction callback, then to a DM reply (an authorised route).
    server.failNext({ method: "POST", pathIncludes: "/callback" }, { status: 401 });
    const refused: JsonBody = await ask(server, { question: QUESTION }).reply();
    expect(refused.content).toMatch(APOLOGY);
    // (discord.js then forgets the token, so the apology cannot even be sent: logged too.)
    server.failNext({ method: "POST", pathIncludes: "/messages" }, { status: 401 });
    const dm = server.message({ content: QUESTION, dm: true });
    await vi.waitFor(
      () =>
        expect(
          server.requests.filter((r) => r.path.includes(`/channels/${dm.channelId}/messages`)),
        ).toHaveLength(1),
      { timeout: 5000 },
    );
    await bot.router.drain();
    expect(output.join("")).toContain("could not send an apology");

    const log = output.join("");
    // The failures were logged, with the secret replaced.
    expect(log).toContain("error interaction /ask failed");
    expect(log).toContain("[redacted]");
    expect(log).toMatch(/401/u);
    expect(log).not.toContain(token);
    expect(sentBodies(server)).not.toContain(token);
  });

  test("never appears when logging in with a wrong token fails", async () => {
    const server = await startServer();
    const wrong = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GbAdTk.recognisable-SECRET-token-0123456789";
    const output = captureOutput();
    setLogLevel("debug");
    const dataDir = await tempDir("answer-bot-secrets-");
    const config = botConfig({
      ...botEnv(server, { corpusDir: SAMPLE_CORPUS, dataDir }),
      DISCORD_TOKEN: wrong,
    });
    const error = await startBot(config).then(
      () => new Error("started with a wrong token"),
      (e: unknown) => e as Error,
    );
    expect(error.message).toMatch(/token/iu);
    expect(`${error.message}\n${error.stack}\n${output.join("")}`).not.toContain(wrong);
    expect(sentBodies(server)).not.toContain(wrong);
  });

  test("never appears in what `npm start` prints when Discord rejects it", async () => {
    const server = await startServer();
    const wrong = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GbAdTk.recognisable-SECRET-token-9876543210";
    const dataDir = await tempDir("answer-bot-secrets-");
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        DISCORD_TOKEN: wrong,
        DISCORD_API_URL: server.apiUrl,
        CORPUS_DIR: SAMPLE_CORPUS,
        DATA_DIR: dataDir,
        ENV_FILE: join(dataDir, "no.env"),
        LOG_LEVEL: "debug",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let printed = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      printed += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      printed += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(1);
    expect(printed).toMatch(/^Cannot start: .*token/imu);
    expect(printed).not.toContain(wrong);
  });
});

describe(".env", () => {
  test("is ignored by git; .env.example is not", () => {
    const ignored = spawnSync("git", ["check-ignore", "-q", ".env"], { cwd: REPO_ROOT });
    expect(ignored.status).toBe(0);
    const example = spawnSync("git", ["check-ignore", "-q", ".env.example"], { cwd: REPO_ROOT });
    expect(example.status).toBe(1);
  });
});
