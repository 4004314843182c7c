/**
 * Running the bot as the unprivileged user nobody, for tests that need a file root could read
 * but the bot cannot. nobody must reach the bot's code and files wherever the clone lives: a
 * clone under a folder only root may enter (e.g. /root/…, or a `mktemp -d` folder) gets a copy
 * of the code that nobody owns.
 */
import { spawnSync } from "node:child_process";
import { chmod, cp, lchown, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../fixtures/helpers.ts";
import { tempDir } from "./bot-harness.ts";

export const NOBODY = { uid: 65534, gid: 65534 };

/** What the bot process (tests/support/bot-process-main.ts) loads, relative to the clone. */
const CODE = [
  "package.json",
  "tsconfig.json",
  "node_modules",
  "src",
  "commands",
  "tests/support/bot-process-main.ts",
];

/** Why nobody cannot read `path` (checked by node run as nobody), or undefined when it can. */
export function nobodyCannotRead(path: string): string | undefined {
  const probe = spawnSync(
    process.execPath,
    [
      "-e",
      "require('node:fs').accessSync(process.argv[1], require('node:fs').constants.R_OK)",
      path,
    ],
    { ...NOBODY, encoding: "utf8" },
  );
  if (probe.error) return `node (${process.execPath}) cannot run as nobody: ${probe.error.message}`;
  return probe.status === 0 ? undefined : `nobody cannot read ${path}`;
}

/** Makes nobody the owner of `dir` and everything in it. */
export async function giveToNobody(dir: string): Promise<void> {
  await lchown(dir, NOBODY.uid, NOBODY.gid);
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    await lchown(join(entry.parentPath, entry.name), NOBODY.uid, NOBODY.gid);
  }
}

/**
 * The folder nobody runs the bot's code from: the clone itself when nobody can read it, else
 * a copy owned by nobody in a temp folder (removed by closeHarnesses). Returns a reason instead
 * when nobody can read neither (e.g. node itself, or the temp folder, is closed to nobody).
 */
export async function codeRootForNobody(): Promise<{ root: string } | { reason: string }> {
  const main = "tests/support/bot-process-main.ts";
  const tsx = join("node_modules", "tsx", "package.json");
  if (!nobodyCannotRead(join(REPO_ROOT, main)) && !nobodyCannotRead(join(REPO_ROOT, tsx))) {
    return { root: REPO_ROOT };
  }
  const root = await tempDir("answer-bot-code-");
  await chmod(root, 0o755);
  for (const path of CODE) {
    await cp(join(REPO_ROOT, path), join(root, path), { recursive: true, verbatimSymlinks: true });
  }
  await giveToNobody(root);
  const reason = nobodyCannotRead(join(root, main));
  return reason ? { reason: `${reason} (a copy of the code in ${tmpdir()})` } : { root };
}
