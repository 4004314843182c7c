import type { Options } from "minisearch";
import { terms } from "../../src/text/analyzer.ts";
import { indexOf, SAMPLE_CORPUS } from "../fixtures/helpers.ts";

/** A passage of the real corpus as the engine indexes it. */
export interface Row {
  id: number;
  text: string;
  title: string;
}

/** Options indexing rows as the engine does: analyzer terms, searched as given. */
export const ROW_OPTIONS: Options<Row> = {
  fields: ["text", "title"],
  tokenize: (text) => terms(text),
  processTerm: (term) => term,
  searchOptions: { tokenize: (text) => text.split(" "), processTerm: (term) => term },
};

/** The real corpus's passages as rows, and every word they hold, sorted. */
export async function corpusRows(): Promise<{ rows: Row[]; vocabulary: string[] }> {
  const index = await indexOf(SAMPLE_CORPUS);
  const rows = index.passages.map((p, id) => ({
    id,
    text: index.text(p),
    title: index.documents[p.doc]?.source.title ?? "",
  }));
  const vocabulary = [...new Set(rows.flatMap((r) => [...terms(r.text), ...terms(r.title)]))];
  return { rows, vocabulary: vocabulary.sort() };
}
