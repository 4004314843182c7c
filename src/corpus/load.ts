import { createHash } from "node:crypto";
import { type Dirent, readFileSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { httpUrl } from "../http-url.ts";
import { documentLanguage } from "../text/pipelines.ts";
import { clean, commonKeys, shortLineKeys } from "./clean.ts";
import { publishedDate } from "./dates.ts";

/** Where a quote comes from, as shown to the user. */
export interface Source {
  id: string;
  title: string;
  outlet?: string;
  author?: string;
  published?: string;
  url?: string;
  language?: string;
}

export interface CorpusDocument {
  source: Source;
  /** File name inside the corpus folder. */
  file: string;
  /** The article text after cleaning; every quote is a substring of it. */
  text: string;
  /** Hash of the file's bytes: what "changed" means on reload. */
  hash: string;
}

/** A file named with what is wrong with it: why it was skipped, or what was dropped from it. */
export interface FileNote {
  file: string;
  reason: string;
}

export interface LoadedCorpus {
  documents: CorpusDocument[];
  skipped: FileNote[];
  /** Files loaded without part of their front matter (a url that is not http or https). */
  warnings: FileNote[];
  /** Synonym groups from the corpus folder's SYNONYMS_FILE, if any. */
  synonyms: string[][];
  /** Lines common to several documents (boilerplate); cleaning depends on them. */
  common: ReadonlySet<string>;
  /** Each file's short-line keys by file hash, so a reload only reads lines of changed files. */
  lineKeys?: ReadonlyMap<string, ReadonlySet<string>>;
  /** The files as read, so a reload does not read or parse unchanged ones again. */
  files?: readonly ParsedFile[];
  /** When those files were read (ms since the epoch). */
  readAt?: number;
  /** Hash of every document file's name and bytes: equal keys mean equal corpora. */
  key: string;
}

export const DOCUMENT_EXTENSIONS = [".md", ".txt"];
export const SYNONYMS_FILE = "synonyms.yaml";
/** Larger files are skipped: a scraped article is a few kilobytes; megabytes mean a dump or a mistake. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;
/**
 * A deployment carries thousands of articles; far more files in one folder means a wrong
 * CORPUS_DIR or a dump, and would make start-up and /reload slow: the folder is refused
 * as a whole, and a reload keeps the previous documents.
 */
export const MAX_FILES = 5000;
const MAX_ID_LENGTH = 48;
// Reading files one at a time leaves the disk idle between them; a few at once is enough.
const READ_CONCURRENCY = 16;

/** A month, for a page whose day of publication is not known. */
const YEAR_MONTH = /^\d{4}-(?:0[1-9]|1[0-2])$/u;

const frontMatterSchema = z
  .object({
    title: z.string().trim().min(1).optional(),
    outlet: z.string().trim().min(1).optional(),
    author: z.string().trim().min(1).optional(),
    published: z
      .union([z.string(), z.date()])
      .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v.trim()))
      .pipe(
        z.union([z.iso.date(), z.iso.datetime({ offset: true }), z.string().regex(YEAR_MONTH)], {
          error: "must be an ISO date such as 2024-07-01 (or 2024-07 when the day is not known)",
        }),
      )
      .optional(),
    url: z.string().trim().optional(),
    language: z.string().trim().min(2).optional(),
  })
  .strict();

type FrontMatter = z.infer<typeof frontMatterSchema>;

export class CorpusError extends Error {}

/** What identifies a file's contents without reading it again (kept in the index snapshot). */
export interface FileRecord {
  file: string;
  /** Hash of the file's bytes. */
  hash: string;
  /** Size, times and inode when read: while they stay the same the file is not read again. */
  stamp: string;
  /** What was dropped from its front matter, and why. */
  warnings?: string[];
}

export interface ParsedFile extends FileRecord {
  readonly front: FrontMatter;
  readonly body: string;
}

/**
 * A file known from a record, parsed only if its front matter or body is asked for (a
 * start from the snapshot needs neither; a reload needs them only for documents it cleans
 * again). The read is synchronous, like the cleaning that asks for it.
 */
export function recordedFile(dir: string, record: FileRecord): ParsedFile {
  let parsed: { front: FrontMatter; body: string } | undefined;
  const parse = () => {
    if (parsed) return parsed;
    const bytes = readFileSync(join(dir, record.file));
    if (hashOf(bytes) !== record.hash) {
      throw new CorpusError(`${record.file} changed while the corpus was being read`);
    }
    parsed = parseBytes(bytes);
    return parsed;
  };
  return {
    ...record,
    get front() {
      return parse().front;
    },
    get body() {
      return parse().body;
    },
  };
}

/** The files of a corpus folder, read and checked but not yet cleaned. */
export interface CorpusFiles {
  files: ParsedFile[];
  skipped: FileNote[];
  warnings: FileNote[];
  synonyms: string[][];
  /** Hash of every document file's name and bytes: equal keys mean equal corpora. */
  key: string;
  readAt: number;
}

/**
 * A file changed less than this long before it was read may change again within the
 * same timestamp (coarse on some file systems): it is read again next time, whatever
 * its stamp says.
 */
const RACY_MS = 2000;

/** Reads every document file of a folder. Bad files are skipped with a reason, never thrown. */
export async function readCorpus(
  dir: string,
  previous?: Pick<LoadedCorpus, "files" | "readAt">,
): Promise<CorpusFiles> {
  const { names, skipped: others } = await listFolder(dir);
  const documents = names.filter(isDocumentFile).sort();
  if (documents.length > MAX_FILES) {
    throw new CorpusError(
      `corpus folder ${dir} has ${documents.length} document files, over the limit of ${MAX_FILES}`,
    );
  }
  const readAt = Date.now();
  const known: Known = {
    byName: new Map((previous?.files ?? []).map((f) => [f.file, f])),
    settledBefore: (previous?.readAt ?? 0) - RACY_MS,
  };
  const results = await mapConcurrently(documents, READ_CONCURRENCY, async (file) => {
    try {
      return await readDocument(dir, file, known);
    } catch (error) {
      return { file, reason: reasonOf(error) };
    }
  });
  const files = results.filter((r): r is ParsedFile => "hash" in r);
  const skipped = [...others, ...results.filter((r): r is FileNote => "reason" in r)];
  const synonyms = names.includes(SYNONYMS_FILE) ? await readSynonyms(dir, skipped) : [];
  const warnings = files.flatMap((f) =>
    (f.warnings ?? []).map((reason) => ({ file: f.file, reason })),
  );
  return { files, skipped, warnings, synonyms, key: corpusKey(files), readAt };
}

/** Like Promise.all over items.map(work), with at most `limit` running at once. */
async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await work(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

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

export async function loadCorpus(dir: string, previous?: LoadedCorpus): Promise<LoadedCorpus> {
  return prepareCorpus(await readCorpus(dir), previous);
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

function corpusKey(files: readonly ParsedFile[]): string {
  const hash = createHash("sha256");
  for (const f of files) hash.update(`${f.file}\0${f.hash}\n`);
  return hash.digest("hex");
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

/**
 * The regular files of a folder (hidden ones aside), and every other entry named as skipped:
 * a symbolic link is not followed out of the folder, a named pipe could block a read forever.
 */
async function listFolder(dir: string): Promise<{ names: string[]; skipped: FileNote[] }> {
  try {
    const entries = (await readdir(dir, { withFileTypes: true })).filter(
      (e) => !e.name.startsWith("."),
    );
    return {
      names: entries.filter((e) => e.isFile()).map((e) => e.name),
      skipped: entries
        .filter((e) => !e.isFile())
        .map((e) => ({ file: e.name, reason: notRegular(e) }))
        .sort((a, b) => (a.file < b.file ? -1 : 1)),
    };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new CorpusError(`corpus folder not found: ${dir}`);
    if (code === "ENOTDIR") throw new CorpusError(`corpus path is not a folder: ${dir}`);
    throw new CorpusError(`cannot read corpus folder ${dir}: ${reasonOf(error)}`);
  }
}

function notRegular(entry: Dirent): string {
  if (entry.isSymbolicLink()) return "symbolic link, not followed";
  if (entry.isDirectory()) return "folder, not read (documents go directly in the corpus folder)";
  if (entry.isFIFO()) return "named pipe, not a regular file";
  return "not a regular file";
}

function isDocumentFile(name: string): boolean {
  return DOCUMENT_EXTENSIONS.includes(extname(name).toLowerCase());
}

/** What the last read of the folder found, so unchanged files are neither read nor parsed again. */
interface Known {
  byName: ReadonlyMap<string, ParsedFile>;
  /** Stamps of files changed before this time (ms since the epoch) can be trusted. */
  settledBefore: number;
}

/** Reads and checks one file, unless its stamp says it is the file read last time. */
async function readDocument(dir: string, file: string, known: Known): Promise<ParsedFile> {
  const path = join(dir, file);
  const tooBig = (size: number) => new CorpusError(overLimit(size));
  const info = await stat(path);
  if (info.size > MAX_FILE_BYTES) throw tooBig(info.size);
  const stamp = `${info.size}:${info.mtimeMs}:${info.ctimeMs}:${info.ino}`;
  const last = known.byName.get(file);
  if (last?.stamp === stamp && info.ctimeMs < known.settledBefore) return last;
  const bytes = await readFile(path);
  // It may have grown between the two calls (rewritten during a reload).
  if (bytes.length > MAX_FILE_BYTES) throw tooBig(bytes.length);
  if (bytes.length === 0) throw new CorpusError("file is empty");
  return { file, ...parseBytes(bytes), hash: hashOf(bytes), stamp };
}

function hashOf(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** A document file's bytes as UTF-8 text, split into checked front matter and body. */
function parseBytes(bytes: Uint8Array): FrontMatterSplit {
  if (bytes.includes(0)) throw new CorpusError("binary file (contains NUL bytes), not UTF-8 text");
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new CorpusError("not valid UTF-8 text");
  }
  return splitFrontMatter(text);
}

const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/u;

interface FrontMatterSplit {
  front: FrontMatter;
  body: string;
  /** What was dropped from the front matter, and why. */
  warnings?: string[];
}

/**
 * Separates optional YAML front matter from the body, validating the citation fields. A
 * url that is not http(s) is dropped with a warning: the document is still worth quoting.
 */
export function splitFrontMatter(text: string): FrontMatterSplit {
  const match = FRONT_MATTER.exec(text);
  if (!match) return { front: {}, body: text };
  let data: unknown;
  try {
    data = parseYaml(match[1] as string) ?? {};
  } catch (error) {
    throw new CorpusError(`bad YAML front matter: ${firstLine(reasonOf(error))}`);
  }
  const result = frontMatterSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.join(".") || "front matter";
    throw new CorpusError(`bad front matter field "${field}": ${issue?.message ?? "invalid"}`);
  }
  const body = text.slice(match[0].length);
  const { url, ...front } = result.data;
  if (url === undefined) return { front, body };
  const href = httpUrl(url);
  if (href) return { front: { ...front, url: href }, body };
  return { front, body, warnings: [`url dropped: not an http or https address`] };
}

const synonymsSchema = z.array(z.array(z.string().trim().min(1)).min(2));

async function readSynonyms(dir: string, skipped: FileNote[]): Promise<string[][]> {
  try {
    const data = parseYaml(await readFile(join(dir, SYNONYMS_FILE), "utf8"));
    const result = synonymsSchema.safeParse(data ?? []);
    if (result.success) return result.data;
    skipped.push({
      file: SYNONYMS_FILE,
      reason: "expected a list of groups, each a list of two or more words",
    });
  } catch (error) {
    skipped.push({ file: SYNONYMS_FILE, reason: firstLine(reasonOf(error)) });
  }
  return [];
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

function reasonOf(error: unknown): string {
  if (error instanceof CorpusError) return error.message;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "ENOENT") return "file disappeared while reading";
  if (code === "EISDIR") return "is a folder";
  return error instanceof Error ? error.message : String(error);
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? text;
}

/** "file is 3.1 MB, over the 2.0 MB limit"; in bytes when the two would read the same. */
function overLimit(size: number): string {
  const [shown, limit] = [formatBytes(size), formatBytes(MAX_FILE_BYTES)];
  if (shown !== limit) return `file is ${shown}, over the ${limit} limit`;
  const bytes = (n: number) => n.toLocaleString("en-US");
  return `file is ${bytes(size)} bytes, over the ${bytes(MAX_FILE_BYTES)}-byte limit`;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.ceil(bytes / 1024)} KB`;
}
