import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, test } from "vitest";

/**
 * The folder layout reads as the data flow: text → corpus → search → replies → commands →
 * shells (discord, playground, cli). A module imports only from its own folder or a layer
 * below it, so no two folders import each other.
 */
const LAYERS: Record<string, number> = {
  "src/log.ts": 0,
  "src/http-url.ts": 0,
  "src/data-file.ts": 0,
  "src/types": 0,
  "src/config.ts": 1,
  "src/feedback.ts": 1,
  "src/questions.ts": 1.5,
  "src/text": 2,
  "src/corpus": 3,
  "src/search": 4,
  "src/stats.ts": 4.5,
  "src/replies": 5,
  commands: 6,
  "src/discord": 7,
  "src/playground": 7,
  "src/cli": 7.5,
  "src/health.ts": 0,
  "src/main.ts": 8,
  "src/sharded.ts": 8,
};

const ROOT = join(import.meta.dirname, "../..");

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

/** The layer a file belongs to: its folder under src/ (or commands/), or the file itself at src/'s top. */
function layerOf(file: string): string {
  const parts = file.split("/");
  if (parts[0] === "commands") return "commands";
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : file;
}

/** Every relative import of a file, as a path from the project root. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const specifiers = text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/gu);
  return [...specifiers].map((m) => normalize(join(dirname(file), m[1] as string)));
}

const edges = [...sourceFiles("src"), ...sourceFiles("commands")].flatMap((file) =>
  importsOf(file).map((target) => ({ file, from: layerOf(file), to: layerOf(target) })),
);

describe("layers", () => {
  test("every module belongs to a known layer", () => {
    const unknown = edges.flatMap(({ from, to }) => [from, to]).filter((l) => !(l in LAYERS));
    expect([...new Set(unknown)]).toEqual([]);
  });

  test("modules import only from their own layer or the layers below it", () => {
    const upward = edges
      .filter(({ from, to }) => from !== to && (LAYERS[to] ?? 0) >= (LAYERS[from] ?? 0))
      .map(({ file, to }) => `${file} imports ${to}`);
    expect(upward).toEqual([]);
  });
});
