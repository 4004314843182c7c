import { createHash } from "node:crypto";
import { type Dirent, readFileSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { prepareCorpus } from "./documents.ts";
import { CorpusError, firstLine, overLimit, reasonOf } from "./file-errors.ts";
import { type FrontMatter, type FrontMatterSplit, splitFrontMatter } from "./front-matter.ts";

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
// Reading files one at a time leaves the disk idle between them; a few at once is enough.
const READ_CONCURRENCY = 16;

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

export async function loadCorpus(dir: string, previous?: LoadedCorpus): Promise<LoadedCorpus> {
  return prepareCorpus(await readCorpus(dir), previous);
}

function corpusKey(files: readonly ParsedFile[]): string {
  const hash = createHash("sha256");
  for (const f of files) hash.update(`${f.file}\0${f.hash}\n`);
  return hash.digest("hex");
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
  const tooBig = (size: number) => new CorpusError(overLimit(size, MAX_FILE_BYTES));
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
