import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { cp, mkdtemp, readdir, readFile, readlink, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { FIXTURE_CORPUS, REPO_ROOT } from "../fixtures/helpers.ts";
import { ask, botEnv, closeHarnesses, sleep, startServer } from "../support/bot-harness.ts";

/**
 * The production install, as the Dockerfile builds and runs it, on a clean copy of the
 * repository (Docker itself is not needed): the build stage's RUN commands (npm ci, npm run
 * build, npm prune --omit=dev), then the bot with no TypeScript tooling installed, through
 * `npm start` and through the image's CMD and HEALTHCHECK, stopped with its STOPSIGNAL.
 * npm installs from its cache when it can, so this takes about a minute, not the registry's time.
 */

const QUESTION = "How many men can the centres in Albania hold?";
const INSTALL_TIMEOUT_MS = 10 * 60_000;

interface Dockerfile {
  /** The RUN commands of the stage named `build`, in order. */
  buildRuns: string[];
  cmd: string[];
  healthcheck: string[];
  stopSignal: NodeJS.Signals;
}

/** The instructions of the Dockerfile this test follows (continuation lines joined). */
function readDockerfile(text: string): Dockerfile {
  const instructions = text
    .replace(/\\\n/gu, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
  const stages: string[][] = [];
  for (const line of instructions) {
    if (line.startsWith("FROM ")) stages.push([]);
    stages.at(-1)?.push(line);
  }
  const buildStage = stages.find((stage) => / AS build$/iu.test(stage[0] ?? "")) ?? [];
  const last = stages.at(-1) ?? [];
  const argument = (name: string) =>
    last.find((line) => line.startsWith(`${name} `))?.slice(name.length + 1) ?? "";
  return {
    buildRuns: buildStage.filter((l) => l.startsWith("RUN ")).map((l) => l.slice(4)),
    cmd: JSON.parse(argument("CMD")) as string[],
    healthcheck: JSON.parse(argument("HEALTHCHECK").replace(/^.*?CMD /u, "")) as string[],
    stopSignal: argument("STOPSIGNAL") as NodeJS.Signals,
  };
}

let app: string;
let dataDir: string;
let dockerfile: Dockerfile;
const started: ChildProcess[] = [];

/** Only what a fresh shell has, plus npm's cache: no variable of the developer's leaks in. */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "/tmp",
    npm_config_prefer_offline: "true",
    npm_config_update_notifier: "false",
    ENV_FILE: join(dataDir, "no.env"),
    DATA_DIR: dataDir,
    CORPUS_DIR: FIXTURE_CORPUS,
    ...extra,
  };
}

beforeAll(async () => {
  app = await mkdtemp(join(tmpdir(), "answer-bot-install-"));
  dataDir = await mkdtemp(join(tmpdir(), "answer-bot-install-data-"));
  // A clean copy: the files git knows (committed or not), as a fresh clone has them.
  const files = execFileSync(
    "git",
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    {
      cwd: REPO_ROOT,
      encoding: "utf8",
    },
  )
    .split("\0")
    .filter((file) => file && existsSync(join(REPO_ROOT, file)));
  for (const file of files) await cp(join(REPO_ROOT, file), join(app, file), { recursive: true });
  dockerfile = readDockerfile(await readFile(join(app, "Dockerfile"), "utf8"));
  for (const command of dockerfile.buildRuns) {
    const run = spawnSync("sh", ["-c", command], {
      cwd: app,
      env: cleanEnv(),
      encoding: "utf8",
      timeout: INSTALL_TIMEOUT_MS,
    });
    if (run.status !== 0) throw new Error(`RUN ${command} failed:\n${run.stdout}\n${run.stderr}`);
  }
}, INSTALL_TIMEOUT_MS);

afterAll(async () => {
  for (const child of started) if (child.exitCode === null) child.kill("SIGKILL");
  await closeHarnesses();
  await rm(app, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
});

/** Starts a command in the installed copy, collecting what it prints. */
function run(command: string, args: string[], env: Record<string, string>) {
  const child = spawn(command, args, { cwd: app, env: cleanEnv(env), stdio: "pipe" });
  started.push(child);
  let output = "";
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
    });
  }
  const exit = once(child, "exit").then(([code]) => code as number | null);
  return { child, exit, output: () => output };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === "object" && address ? address.port : 0;
}

async function until<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** The ids of the processes whose parent is `pid` (from /proc). */
async function childrenOf(pid: number): Promise<number[]> {
  const children: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/u.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    // pid (comm) state ppid …; comm may hold spaces and parentheses.
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (ppid === pid) children.push(Number(entry));
  }
  return children;
}

/** The processes still running inside the installed copy (their working folder is in it). */
async function processesIn(dir: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/u.test(entry)) continue;
    const cwd = await readlink(`/proc/${entry}/cwd`).catch(() => "");
    if (cwd === dir || cwd.startsWith(`${dir}/`)) found.push(Number(entry));
  }
  return found;
}

describe("after npm ci, npm run build and npm prune --omit=dev", () => {
  test("no TypeScript tooling is installed, and the build is there", () => {
    expect(dockerfile.buildRuns).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^npm ci\b/u),
        "npm run build",
        expect.stringMatching(/^npm prune --omit=dev\b/u),
      ]),
    );
    for (const tool of ["tsx", "typescript", "vitest", "@biomejs/biome"]) {
      expect(existsSync(join(app, "node_modules", tool)), tool).toBe(false);
    }
    expect(existsSync(join(app, "dist", "src", "main.js"))).toBe(true);
  });

  test("npm start serves the playground; SIGTERM to the process npm started closes it, leaving nothing behind", async () => {
    const port = await freePort();
    const npm = run("npm", ["start"], { PORT: String(port) });
    const url = await until(
      "the playground",
      () => /local playground at (http:\S+)/u.exec(npm.output())?.[1],
    );
    const response = await fetch(`${url}/api/message`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text: QUESTION }),
    });
    expect(response.status).toBe(200);
    expect(JSON.stringify(await response.json())).toContain("3,000 men");

    const [bot, ...others] = await childrenOf(npm.child.pid ?? 0);
    expect(others).toEqual([]);
    expect(await readFile(`/proc/${bot}/cmdline`, "utf8")).toBe("node\0dist/src/main.js\0");
    process.kill(bot ?? 0, "SIGTERM");
    expect(await npm.exit).toBe(0);
    expect(npm.output()).toMatch(
      / info SIGTERM: finishing replies in flight, then closing\n.* info closed\n/u,
    );
    expect(await processesIn(app)).toEqual([]);
  }, 120_000);

  test("the image's CMD runs the bot: HEALTHCHECK passes once it is connected, STOPSIGNAL closes it with exit 0", async () => {
    const server = await startServer();
    const healthPort = String(await freePort());
    const env = {
      ...botEnv(server, { corpusDir: FIXTURE_CORPUS, dataDir }),
      HEALTH_PORT: healthPort,
      LOG_FORMAT: "json",
      LOG_LEVEL: "info",
    };
    // Async: this process serves the loopback Discord, so it must not block while they run.
    const healthy = async () => {
      const [check = "", ...checkArgs] = dockerfile.healthcheck;
      return (await run(check, checkArgs, { HEALTH_PORT: healthPort }).exit) === 0;
    };
    expect(await healthy()).toBe(false);

    const deploy = run("npm", ["run", "--silent", "deploy"], env);
    expect(await deploy.exit).toBe(0);
    expect(deploy.output()).toMatch(/^Registered 5 commands/u);
    const invite = run("npm", ["run", "--silent", "invite"], env);
    expect(await invite.exit).toBe(0);
    expect(invite.output()).toContain(`client_id=${server.applicationId}`);

    const [command = "", ...args] = dockerfile.cmd;
    const bot = run(command, args, env);
    await until("a passing HEALTHCHECK", healthy);
    const reply = await ask(server, { question: QUESTION }).reply();
    expect(JSON.stringify(reply)).toContain("3,000 men");

    bot.child.kill(dockerfile.stopSignal);
    expect(await bot.exit).toBe(0);
    const lines = bot
      .output()
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { msg: string });
    expect(lines.map((l) => l.msg)).toContain("SIGTERM: finishing replies in flight, then closing");
    expect(lines.at(-1)?.msg).toBe("closed");
    expect(await healthy()).toBe(false);
    expect(await processesIn(app)).toEqual([]);
  }, 120_000);
});
