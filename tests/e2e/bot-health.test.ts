import { afterEach, describe, expect, test, vi } from "vitest";
import { type HealthReport, STARTING, startHealthServer } from "../../src/health.ts";
import { log, setLogFormat, setLogLevel } from "../../src/log.ts";
import { ask, closeHarnesses, startHarness } from "../support/bot-harness.ts";

/**
 * HEALTH_PORT's /healthz, and the log as operators read it (LOG_FORMAT=json, LOG_LEVEL=debug),
 * on the real bot against the loopback Discord.
 */

afterEach(async () => {
  setLogLevel("silent");
  setLogFormat("text");
  vi.restoreAllMocks();
  await closeHarnesses();
});

const QUESTION = "Who pays for the deportation flights from Panama?";

async function get(url: string): Promise<{ status: number; body: HealthReport }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as HealthReport };
}

/** Every line written to stderr (where the log goes) from now on. */
function captureStderr(): string[] {
  const written: string[] = [];
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    written.push(...String(chunk).split("\n").filter(Boolean));
    return true;
  });
  return written;
}

describe("/healthz", () => {
  test("is 503 while starting, 200 with the corpus counts once connected, 503 once stopped", async () => {
    let report: () => HealthReport = () => STARTING;
    const health = await startHealthServer(0, () => report());
    try {
      expect(await get(health.url)).toEqual({ status: 503, body: STARTING });

      const { bot } = await startHarness();
      report = () => bot.health();
      const { documents, passages } = bot.library.stats();
      expect(documents).toBeGreaterThan(0);
      expect(await get(health.url)).toEqual({
        status: 200,
        body: { ready: true, gateway: "ready", documents, passages },
      });

      await bot.stop();
      expect(await get(health.url)).toEqual({
        status: 503,
        body: { ready: false, gateway: "closed", documents, passages },
      });
      expect((await fetch(health.url.replace("/healthz", "/other"))).status).toBe(404);
    } finally {
      await health.close();
    }
  });

  test("listens on 127.0.0.1 only", async () => {
    const health = await startHealthServer(0, () => STARTING);
    try {
      expect(new URL(health.url).hostname).toBe("127.0.0.1");
    } finally {
      await health.close();
    }
  });
});

describe("the log", () => {
  test("LOG_FORMAT=json writes one JSON object per line; debug lines say each interaction's kind, duration and outcome, never who or the token", async () => {
    const { server } = await startHarness();
    const user = server.addUser({ username: "asker" });
    const lines = captureStderr();
    setLogFormat("json");
    setLogLevel("debug");

    await ask(server, { question: QUESTION }, { user }).reply();
    await server.message({ content: QUESTION, dm: true, user }).replies();
    log.error("upstream failed", new Error(`refused https://example.org/?auth=${server.token}`));
    await vi.waitFor(() => expect(lines.length).toBeGreaterThanOrEqual(3), { timeout: 5000 });

    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const interactions = entries.filter((e) => e.msg === "interaction");
    expect(interactions).toContainEqual(
      expect.objectContaining({ level: "debug", kind: "/ask", outcome: "answered" }),
    );
    expect(interactions).toContainEqual(
      expect.objectContaining({ kind: "direct message", outcome: "answered" }),
    );
    for (const entry of interactions) {
      expect(entry.ms).toEqual(expect.any(Number));
      expect(Date.parse(String(entry.time))).not.toBeNaN();
    }
    const failure = entries.find((e) => e.msg === "upstream failed");
    expect(failure).toMatchObject({
      level: "error",
      err: { message: expect.stringContaining("[redacted]") },
    });
    const text = lines.join("\n");
    expect(text).not.toContain(user.id);
    expect(text).not.toContain(server.token);
  });

  test("the text format's debug line names the interaction without the user", async () => {
    const { server } = await startHarness();
    const user = server.addUser({ username: "asker" });
    const lines = captureStderr();
    setLogLevel("debug");

    await ask(server, { question: QUESTION }, { user }).reply();
    await vi.waitFor(() => expect(lines.join("\n")).toContain("interaction kind=/ask"));
    expect(lines.find((l) => l.includes("interaction kind=/ask"))).toMatch(
      /^\S+Z debug interaction kind=\/ask ms=[\d.]+ outcome=answered$/u,
    );
    expect(lines.join("\n")).not.toContain(user.id);
  });
});
