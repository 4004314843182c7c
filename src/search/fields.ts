import type { Options } from "minisearch";
import type { CorpusDocument } from "../corpus/load.ts";
import type { Pipeline } from "../text/pipeline.ts";
import { pipelineFor } from "../text/pipelines.ts";
import type { RankingOptions } from "./ranking.ts";

/**
 * A passage as MiniSearch indexes it: its key, its text and its document's title, analysed
 * with its document's pipeline.
 */
export interface IndexedPassage {
  id: number;
  text: string;
  title: string;
  pipeline: Pipeline;
}

/** The row MiniSearch indexes (and removes) for a passage of `doc`. */
export function indexedPassage(id: number, text: string, doc: CorpusDocument): IndexedPassage {
  return { id, text, title: doc.source.title, pipeline: pipelineFor(doc.source.language) };
}

// Terms hold no space: a field's terms travel from extractField to tokenize as one string.
const SEPARATOR = " ";

/**
 * MiniSearch's options for passages: their text and title, cut into their pipeline's terms
 * (extractField sees the row, so it analyses; tokenize only splits what it gives), scored
 * with the ranking's BM25 parameters.
 */
export function indexOptions(bm25: RankingOptions["bm25"]): Options<IndexedPassage> {
  let lastTitle: { text: string; pipeline: Pipeline; terms: string } | undefined;
  return {
    fields: ["text", "title"],
    searchOptions: { bm25 },
    extractField: (row, field) => {
      if (field === "text") return row.pipeline.terms(row.text).join(SEPARATOR);
      if (field !== "title") return row[field as keyof IndexedPassage];
      // Every passage of a document carries its title, and they are indexed one after another.
      if (lastTitle?.text !== row.title || lastTitle.pipeline !== row.pipeline) {
        const terms = row.pipeline.terms(row.title).join(SEPARATOR);
        lastTitle = { text: row.title, pipeline: row.pipeline, terms };
      }
      return lastTitle.terms;
    },
    tokenize: (terms) => (terms ? terms.split(SEPARATOR) : []),
    processTerm: (term) => term,
  };
}
