/**
 * Runs the bot in a child process (tests/support/bot-process-main.ts) against a loopback
 * Discord server in this one: for a bot that must run as another user (to meet an
 * unreadable file as root), whose heap is measured alone, or whose stderr is read whole.
 */
import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { REPO_ROOT } from "../fixtures/helpers.ts";
import type { ChildMessage, ParentMessage } from "./bot-process-main.ts";

const MAIN = join("tests", "support", "bot-process-main.ts");

export interface BotProcessOptions {
  /** The whole environment of the bot (see botEnv in bot-harness.ts). */
  env: Readonly<Record<string, string>>;
  /** Run as this user and group (e.g. nobody, 65534) instead of ours. */
  user?: { uid: number; gid: number };
  /** The folder holding the bot's code (default: this clone; see as-nobody.ts). */
  root?: string;
  /** Pass --expose-gc, so `heap()` measures after a full collection. */
  gc?: boolean;
}

export interface BotProcess {
  child: ChildProcess;
  /** Everything the bot wrote to stderr (its log) so far. */
  stderr(): string;
  ready: Promise<Extract<ChildMessage, { type: "ready" }>>;
  heap(): Promise<Extract<ChildMessage, { type: "heap" }>>;
  /** Stops the bot gracefully; resolves with the unhandled rejections it saw. */
  stop(): Promise<string[]>;
  /** Kills it, if still running. */
  kill(): void;
}

export function startBotProcess(options: BotProcessOptions): BotProcess {
  const root = options.root ?? REPO_ROOT;
  const child = fork(join(root, MAIN), [], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...options.env },
    execArgv: ["--import", "tsx", ...(options.gc ? ["--expose-gc"] : [])],
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    ...options.user,
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  child.stdout?.resume();
  const next = <T extends ChildMessage["type"]>(type: T) =>
    new Promise<Extract<ChildMessage, { type: T }>>((resolve, reject) => {
      const onMessage = (message: ChildMessage) => {
        if (message.type !== type) return;
        cleanup();
        resolve(message as Extract<ChildMessage, { type: T }>);
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(new Error(`the bot process exited (${code}) before "${type}":\n${stderr}`));
      };
      const cleanup = () => {
        child.off("message", onMessage);
        child.off("exit", onExit);
      };
      child.on("message", onMessage);
      child.on("exit", onExit);
    });
  const send = (message: ParentMessage) => child.send(message);
  return {
    child,
    stderr: () => stderr,
    ready: next("ready"),
    heap() {
      const reply = next("heap");
      send({ type: "heap" });
      return reply;
    },
    async stop() {
      if (child.exitCode !== null || !child.connected) return [];
      const stopped = next("stopped");
      send({ type: "stop" });
      const { unhandled } = await stopped;
      if (child.exitCode === null) await once(child, "exit");
      return unhandled;
    },
    kill() {
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}
