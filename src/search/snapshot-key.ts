import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { endianness } from "node:os";
import { basename, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import type { Pipeline } from "../text/pipeline.ts";
import { PIPELINES } from "../text/pipelines.ts";
import { FORMAT, headerSchema, snapshotSchema } from "./snapshot-format.ts";

/** What a snapshot was made from and by: a snapshot is used only under the same key. */

/**
 * What a snapshot depends on besides the corpus: every pipeline's signature (its stages and
 * their data: stop lists, irregular forms, stemmer versions), the snapshot's own format (its
 * schemas) and the code that makes what it holds (see SNAPSHOT_CODE). Changing any of them
 * gives another value, so old snapshots are rebuilt with nothing to bump by hand. Synonyms
 * are not part of it: they expand questions, not the index.
 */
export function engineKey(pipelines: readonly Pipeline[], code = ""): string {
  const format = [headerSchema, snapshotSchema].map((schema) =>
    z.toJSONSchema(schema, { unrepresentable: "any" }),
  );
  return createHash("sha256")
    .update(
      JSON.stringify({
        format: [FORMAT, format],
        pipelines: pipelines.map((p) => p.signature),
        code,
      }),
    )
    .digest("hex");
}

const CODE_EXTENSION = extname(fileURLToPath(import.meta.url));
/**
 * The code whose output a snapshot holds: reading, cleaning and cutting the corpus, the
 * analysis, the passage registry and the file's layout (this module's folder siblings named).
 */
export const SNAPSHOT_CODE = [
  "../corpus/",
  "../text/",
  ...[
    "entries",
    "fields",
    "postings",
    "registry",
    "saved-postings",
    "snapshot",
    "snapshot-format",
  ].map((name) => `./${name}${CODE_EXTENSION}`),
].map((path) => fileURLToPath(new URL(path, import.meta.url)));

/** A hash of the named files' and folders' files (those of this code's kind), by name and content. */
export function codeKey(paths: readonly string[]): string {
  const hash = createHash("sha256");
  const files = paths.flatMap((path) =>
    statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((name) => extname(name) === CODE_EXTENSION)
          .map((name) => join(path, name))
      : [path],
  );
  for (const file of files.sort()) hash.update(`${basename(file)}\0`).update(readFileSync(file));
  return hash.digest("hex");
}

let thisEngine: string | undefined;

/**
 * The engine key of this build (see engineKey), worked out when a snapshot is first read or
 * written: a process that keeps none (the command line) never reads the code it hashes.
 */
export function engine(): string {
  thisEngine ??= engineKey(Object.values(PIPELINES), codeKey(SNAPSHOT_CODE));
  return thisEngine;
}

/**
 * The full key: corpus contents plus the engine (see engine), and the byte order the
 * postings' numbers are written in, which is the machine's own.
 */
export function snapshotKey(corpusKey: string): string {
  return createHash("sha256").update(`${engine()}\0${endianness()}\0${corpusKey}`).digest("hex");
}
