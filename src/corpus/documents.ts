import { createHash } from "node:crypto";
import { basename, extname } from "node:path";
import { documentLanguage } from "../text/pipelines.ts";
import { clean, commonKeys, shortLineKeys } from "./clean.ts";
import { publishedDate } from "./dates.ts";
import type { CorpusDocument, CorpusFiles, LoadedCorpus, ParsedFile } from "./load.ts";

const MAX_ID_LENGTH = 48;

/**
 * Cleans the files into documents. Documents whose file and boilerplate context are
 * unchanged since `previous` are reused as they are, so a reload only cleans what changed.
 */
export function prepareCorpus(read: CorpusFiles, previous?: LoadedCorpus): LoadedCorpus {
  const lineKeys = new Map(
    read.files.map((p) => [p.hash, previous?.lineKeys?.get(p.hash) ?? shortLineKeys(p.body)]),
  );
  // Per file, not per hash: two identical files count twice, as any two pages would.
  const common = commonKeys(read.files.map((p) => lineKeys.get(p.hash) ?? new Set<string>()));
  const reusable = previous && sameSet(previous.common, common) ? previous.documents : [];
  const before = new Map(reusable.map((doc) => [doc.file, doc]));
  const ids = new Set<string>();
  const skipped = [...read.skipped];
  const documents = read.files.map((p) => {
    const kept = before.get(p.file);
    if (kept?.hash === p.hash && !ids.has(kept.source.id)) {
      ids.add(kept.source.id);
      return kept;
    }
    return toDocument(p, common, ids);
  });
  for (const doc of documents.filter((d) => d.text.length === 0)) {
    skipped.push({ file: doc.file, reason: "no article text left after cleaning" });
  }
  return {
    documents: documents.filter((d) => d.text.length > 0),
    skipped,
    warnings: read.warnings,
    synonyms: read.synonyms,
    common,
    lineKeys,
    files: read.files,
    readAt: read.readAt,
    key: read.key,
  };
}

function toDocument(p: ParsedFile, common: ReadonlySet<string>, ids: Set<string>): CorpusDocument {
  const cleaned = clean(p.body, {
    ...(p.front.title ? { title: p.front.title } : {}),
    common,
    language: documentLanguage(p.front.language),
  });
  const title = p.front.title ?? cleaned.headline ?? basename(p.file, extname(p.file));
  const id = uniqueId(documentId(p.file), ids);
  const published = p.front.published ?? publishedDate(p.body);
  const source = { ...p.front, id, title, ...(published ? { published } : {}) };
  return { source, file: p.file, text: cleaned.text, hash: p.hash };
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

/** A short, stable id from the file name: used in --source, autocomplete and button ids. */
export function documentId(file: string): string {
  const slug = basename(file, extname(file))
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/gu, "-")
    .replace(/^-+|-+$/gu, "");
  if (slug.length <= MAX_ID_LENGTH && slug.length > 0) return slug;
  const hash = createHash("sha256").update(file).digest("hex").slice(0, 8);
  // A name with no Latin letters or digits still needs an id that starts with a letter.
  const stem = slug.slice(0, MAX_ID_LENGTH - 9).replace(/-+$/u, "") || "doc";
  return `${stem}-${hash}`;
}

function uniqueId(id: string, taken: Set<string>): string {
  let candidate = id;
  for (let n = 2; taken.has(candidate); n++) candidate = `${id}-${n}`;
  taken.add(candidate);
  return candidate;
}
