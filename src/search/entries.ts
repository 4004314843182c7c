import { hash } from "node:crypto";
import type { CorpusDocument } from "../corpus/load.ts";

/** Hex digits of a passage text's hash in its id: enough to tell one text from the next. */
const SHORT_HASH = 6;

/** A passage as the index keeps it: its MiniSearch key and its document. */
export interface Entry {
  key: number;
  id: string;
  doc: CorpusDocument;
  index: number;
  start: number;
  end: number;
}

/** The text of a passage: its span of its document's cleaned text. */
export function entryText(entry: Entry): string {
  return entry.doc.text.slice(entry.start, entry.end);
}

/** A passage's id, stable while its text is: `${documentId}:${index}:${textHash}`. */
export function passageId(doc: CorpusDocument, index: number, hash: string): string {
  return `${doc.source.id}:${index}:${hash}`;
}

/** The id of the document a passage id belongs to (see passageId). */
export function documentOf(id: string): string {
  const end = id.indexOf(":");
  return end < 0 ? id : id.slice(0, end);
}

/** The text's hash a passage id ends with (see passageId). */
export function hashOf(id: string): string {
  return id.slice(id.lastIndexOf(":") + 1);
}

/** The hash of a passage's text that its id carries (see passageId). */
export function shortHash(text: string): string {
  // One call per passage: the one-shot hash() costs half of a createHash() object's.
  return hash("sha1", text, "hex").slice(0, SHORT_HASH);
}
