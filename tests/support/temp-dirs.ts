import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The folders `tempDir` made in this test file; tests/support/temp-cleanup.ts removes them after it. */
export const madeDirs: string[] = [];

/** A new empty folder under the OS temp folder, removed after the test file's tests. */
export async function tempDir(prefix = "answer-bot-test-"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  madeDirs.push(dir);
  return dir;
}

export function removeDir(dir: string | undefined): Promise<void> {
  return dir ? rm(dir, { recursive: true, force: true }) : Promise.resolve();
}
