import { spawn } from "node:child_process";
import { REPO_ROOT } from "../fixtures/helpers.ts";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a CLI script (e.g. src/cli/invite.ts) from the repository root through tsx, feeding it stdin. */
export function runCli(
  script: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  input: string | Buffer = "",
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, LOG_LEVEL: "error", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** Runs the real CLI from the repository root, as `npm run ask` does, feeding it stdin. */
export function runAsk(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  input: string | Buffer = "",
): Promise<CliResult> {
  return runCli("src/cli/ask.ts", args, env, input);
}
