import type { CorpusDocument } from "../corpus/load.ts";
import { cutPassages } from "../corpus/passages.ts";
import { acronymsIn } from "../text/analyzer.ts";
import type { Language } from "../text/language.ts";
import { documentLanguage, pipelineFor } from "../text/pipelines.ts";
import type { Passage, PassageContext } from "./answer.ts";
import { type Entry, entryText, hashOf, passageId, shortHash } from "./entries.ts";
import { type IndexedPassage, indexedPassage } from "./fields.ts";

/** The registry's part of an index snapshot: the documents and where their passages lie. */
export interface SavedPassages {
  documents: CorpusDocument[];
  /** `hash` is the text's part of the passage id, checked against the text when restored. */
  passages: [key: number, file: string, index: number, start: number, end: number, hash: string][];
  nextKey: number;
  /** Each document's acronyms (file → [acronym, name terms]): finding them is a costly scan. */
  acronyms: [file: string, acronyms: [acronym: string, name: string[]][]][];
}

/**
 * The documents of an index and their passages: each passage by its key, its id and its
 * document, with what is read off each document once (its acronyms, its title's terms).
 */
export class PassageRegistry {
  readonly #documents = new Map<string, CorpusDocument>();
  /** Documents by source id, so a request naming one finds it without scanning the corpus. */
  readonly #bySource = new Map<string, CorpusDocument>();
  readonly #entries = new Map<number, Entry>();
  readonly #byId = new Map<string, Entry>();
  readonly #byDocument = new Map<CorpusDocument, Entry[]>();
  /** Acronym → the documents spelling it out, and the name each spells. */
  readonly #acronyms = new Map<string, Map<CorpusDocument, string[]>>();
  readonly #titleTerms = new Map<CorpusDocument, Set<string>>();
  #nextKey = 0;
  #sortedDocuments: CorpusDocument[] | null = null;
  #languages: ReadonlySet<Language> | null = null;

  /** Records a saved registry's documents and passages; throws if they do not hold together. */
  restore(snapshot: SavedPassages): void {
    const byFile = new Map(snapshot.documents.map((doc) => [doc.file, doc]));
    const acronyms = new Map(snapshot.acronyms.map(([file, list]) => [file, new Map(list)]));
    for (const doc of snapshot.documents) this.#addDocument(doc, acronyms.get(doc.file));
    for (const row of snapshot.passages) {
      const [key, file, position, start, end, hash] = row;
      const doc = byFile.get(file);
      const numbers = [key, position, start, end].every(Number.isInteger);
      const fits =
        doc !== undefined && numbers && start >= 0 && start < end && end <= doc.text.length;
      // The id carries the hash of the passage's text: a passage is the text its id names.
      if (!fits || hash !== shortHash(doc.text.slice(start, end))) {
        throw new Error(`bad passage ${JSON.stringify(row).slice(0, 80)}`);
      }
      this.#addEntry({
        key,
        id: passageId(doc, position, hash),
        doc,
        index: position,
        start,
        end,
      });
    }
    if (this.#entries.size !== snapshot.passages.length) {
      throw new Error("two passages share a key");
    }
    this.#nextKey = snapshot.nextKey;
  }

  /** The documents and passages, as `restore` reads them. */
  save(): SavedPassages {
    return {
      documents: this.documents.slice(),
      passages: [...this.#entries.values()].map((e) => [
        e.key,
        e.doc.file,
        e.index,
        e.start,
        e.end,
        hashOf(e.id),
      ]),
      acronyms: this.#acronymsByDocument(),
      nextKey: this.#nextKey,
    };
  }

  /** The documents, by file name. */
  get documents(): readonly CorpusDocument[] {
    this.#sortedDocuments ??= [...this.#documents.values()].sort((a, b) =>
      a.file < b.file ? -1 : 1,
    );
    return this.#sortedDocuments;
  }

  /** Every passage, in document order; `doc` is the position in `documents`. */
  get passages(): Passage[] {
    return this.documents.flatMap((doc, d) =>
      (this.#byDocument.get(doc) ?? []).map((e) => ({
        id: e.id,
        doc: d,
        index: e.index,
        start: e.start,
        end: e.end,
      })),
    );
  }

  /** The languages the documents are written in (see documentLanguage). */
  get languages(): ReadonlySet<Language> {
    this.#languages ??= new Set(this.documents.map((doc) => documentLanguage(doc.source.language)));
    return this.#languages;
  }

  /** How many passages there are. */
  get size(): number {
    return this.#entries.size;
  }

  /** The passage with this MiniSearch key. */
  entry(key: number): Entry | undefined {
    return this.#entries.get(key);
  }

  /** Whether the passage with this key is one of `doc`'s and written in `language` (each when given). */
  admits(key: number, doc?: CorpusDocument, language?: Language): boolean {
    const entry = this.#entries.get(key);
    if (!entry) return false;
    return (
      (!doc || entry.doc === doc) &&
      (!language || documentLanguage(entry.doc.source.language) === language)
    );
  }

  /** The document with this source id. */
  document(sourceId: string): CorpusDocument | undefined {
    return this.#bySource.get(sourceId);
  }

  /** The name terms of an acronym, as the first document spelling it out gives them. */
  spelledOut(acronym: string): string[] | undefined {
    return this.#acronyms.get(acronym)?.values().next().value;
  }

  /** Titles of the documents whose titles hold the most of `wanted`, else the first titles. */
  closestTitles(wanted: readonly string[], limit: number): string[] {
    const titled = (doc: CorpusDocument) => {
      const title = this.#titleTerms.get(doc);
      return wanted.reduce((n, t) => (title?.has(t) ? n + 1 : n), 0);
    };
    // Only titles sharing a word need sorting; the first titles fill the rest.
    const matching = this.documents
      .map((doc) => ({ doc, score: titled(doc) }))
      .filter((s) => s.score > 0)
      .sort((a, b) => b.score - a.score)
      .map((s) => s.doc);
    const rest = this.documents.slice(0, limit).filter((doc) => !matching.includes(doc));
    return [...matching, ...rest].slice(0, limit).map((doc) => doc.source.title);
  }

  /** A passage with its neighbours in the same document. */
  context(passageId: string, radius = 1): PassageContext | null {
    const entry = this.#byId.get(passageId);
    if (!entry) return null;
    const neighbour = (offset: number) => {
      const e = this.#sibling(entry, offset);
      return e ? [entryText(e)] : [];
    };
    const before: string[] = [];
    const after: string[] = [];
    for (let r = radius; r >= 1; r--) before.push(...neighbour(-r));
    for (let r = 1; r <= radius; r++) after.push(...neighbour(r));
    const passage = {
      id: entry.id,
      doc: this.documents.indexOf(entry.doc),
      index: entry.index,
      start: entry.start,
      end: entry.end,
    };
    return { passage, source: entry.doc.source, text: entryText(entry), before, after };
  }

  /** The `radius` passages before and after a passage in its document. */
  neighbours(entry: Entry, radius: number): Entry[] {
    const around: Entry[] = [];
    for (let offset = -radius; offset <= radius; offset++) {
      const sibling = offset === 0 ? undefined : this.#sibling(entry, offset);
      if (sibling) around.push(sibling);
    }
    return around;
  }

  #sibling(entry: Entry, offset: number): Entry | undefined {
    return this.#byDocument.get(entry.doc)?.[entry.index + offset];
  }

  /** How many passages the document with this source id has (0 for none). */
  passageCount(docId: string): number {
    const doc = this.#bySource.get(docId);
    return doc ? (this.#byDocument.get(doc)?.length ?? 0) : 0;
  }

  /** Cuts a document into passages and records them; returns the rows to index. */
  register(doc: CorpusDocument): IndexedPassage[] {
    this.#addDocument(doc);
    return cutPassages(doc.text).map((cut, index) => {
      const entry = {
        key: this.#nextKey++,
        id: passageId(doc, index, shortHash(cut.text)),
        doc,
        index,
        start: cut.start,
        end: cut.end,
      };
      this.#addEntry(entry);
      return indexedPassage(entry.key, cut.text, doc);
    });
  }

  /** Forgets a document; returns its passages, for the search index to remove. */
  remove(doc: CorpusDocument): Entry[] {
    const removed = this.#byDocument.get(doc) ?? [];
    for (const entry of removed) {
      this.#entries.delete(entry.key);
      this.#byId.delete(entry.id);
    }
    this.#byDocument.delete(doc);
    for (const [acronym, spelled] of this.#acronyms) {
      if (spelled.delete(doc) && spelled.size === 0) this.#acronyms.delete(acronym);
    }
    this.#titleTerms.delete(doc);
    if (this.#documents.get(doc.file) === doc) this.#documents.delete(doc.file);
    if (this.#bySource.get(doc.source.id) === doc) this.#bySource.delete(doc.source.id);
    this.#sortedDocuments = null;
    this.#languages = null;
    return removed;
  }

  #addDocument(doc: CorpusDocument, known?: Map<string, string[]>): void {
    this.#documents.set(doc.file, doc);
    this.#bySource.set(doc.source.id, doc);
    this.#byDocument.set(doc, []);
    const pipeline = pipelineFor(doc.source.language);
    for (const [acronym, name] of known ?? acronymsIn(doc.text, pipeline)) {
      const spelled = this.#acronyms.get(acronym) ?? new Map<CorpusDocument, string[]>();
      spelled.set(doc, name);
      this.#acronyms.set(acronym, spelled);
    }
    this.#titleTerms.set(doc, new Set(pipeline.terms(doc.source.title)));
    this.#sortedDocuments = null;
    this.#languages = null;
  }

  #acronymsByDocument(): SavedPassages["acronyms"] {
    const byDocument = new Map<CorpusDocument, [string, string[]][]>();
    for (const [acronym, spelled] of this.#acronyms) {
      for (const [doc, name] of spelled) {
        const list = byDocument.get(doc) ?? [];
        list.push([acronym, name]);
        byDocument.set(doc, list);
      }
    }
    return this.documents.map((doc) => [doc.file, byDocument.get(doc) ?? []]);
  }

  #addEntry(entry: Entry): void {
    this.#entries.set(entry.key, entry);
    this.#byId.set(entry.id, entry);
    this.#byDocument.get(entry.doc)?.push(entry);
  }
}
