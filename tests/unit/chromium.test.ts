import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { removeDir, tempDir } from "../fixtures/helpers.ts";
import { findChromium } from "../support/chromium.ts";

/** How the browser tests find Chromium, on a PATH of temp folders holding stand-in executables. */

let dir: string;
let first: string;
let second: string;

async function executable(folder: string, name: string): Promise<string> {
  const path = join(folder, name);
  await writeFile(path, "#!/bin/sh\n");
  await chmod(path, 0o755);
  return path;
}

beforeAll(async () => {
  dir = await tempDir();
  first = join(dir, "a");
  second = join(dir, "b");
  await mkdir(first);
  await mkdir(second);
});
afterAll(() => removeDir(dir));

describe("findChromium", () => {
  test("takes CHROMIUM_PATH first", async () => {
    const chrome = await executable(second, "my-chrome");
    await executable(first, "chromium");
    expect(findChromium({ CHROMIUM_PATH: chrome, PATH: first })).toBe(chrome);
  });

  test("else the usual names on PATH, chromium before chromium-browser", async () => {
    await executable(second, "chromium-browser");
    expect(findChromium({ PATH: `${second}:${first}` })).toBe(join(first, "chromium"));
    const only = await tempDir();
    try {
      const chrome = await executable(only, "google-chrome");
      expect(findChromium({ PATH: only })).toBe(chrome);
    } finally {
      await removeDir(only);
    }
  });

  test("says what to install when none is found", () => {
    expect(() => findChromium({ PATH: dir })).toThrow(
      /^No Chromium found \(looked for chromium, chromium-browser, google-chrome, google-chrome-stable on PATH\): install Chromium \(Debian\/Ubuntu: apt-get install -y chromium\) or set CHROMIUM_PATH/u,
    );
    expect(() => findChromium({ CHROMIUM_PATH: join(dir, "nope"), PATH: "" })).toThrow(
      `CHROMIUM_PATH=${join(dir, "nope")} is not an executable file: install Chromium`,
    );
  });
});
