import { z } from "zod";

/** What a snapshot file holds, as zod schemas: its header line and the JSON line after it. */

export const FORMAT = "migration-answer-bot/index-snapshot";

/** What any version's header starts with: which format and engine (see snapshot-key.ts) wrote it. */
export const headerOutline = z.looseObject({ format: z.literal(FORMAT), engine: z.string() });

export const headerSchema = z.object({
  format: z.literal(FORMAT),
  engine: z.string(),
  key: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/u),
  /** Bytes after the header and signature lines. */
  size: z.number().int().nonnegative(),
  // The corpus files as read for the snapshot: a start checks their stamps instead of reading them.
  files: z.array(
    z.object({
      file: z.string(),
      hash: z.string(),
      stamp: z.string(),
      warnings: z.array(z.string()).optional(),
    }),
  ),
  readAt: z.number(),
});

/** [key, strings]: a document's acronym and the name it spells, a file's line keys. */
const keyedStrings = z.tuple([z.string(), z.array(z.string())]);

// The outline only: the passages and postings inside are checked by SearchIndex.restore as
// it rebuilds its maps, which is far cheaper than validating 100,000 tuples here.
export const snapshotSchema = z.object({
  documents: z.array(
    z.object({
      source: z.object({ id: z.string(), title: z.string() }).loose(),
      file: z.string(),
      hash: z.string(),
      text: z.string(),
    }),
  ),
  passages: z.custom<unknown[]>(Array.isArray),
  acronyms: z.array(z.tuple([z.string(), z.array(keyedStrings)])),
  nextKey: z.number().int(),
  search: z.record(z.string(), z.unknown()),
  postings: z.object({ terms: z.array(z.string()) }),
  common: z.array(z.string()),
  lineKeys: z.array(keyedStrings),
});
