import type { Options } from "minisearch";
import { terms } from "../text/analyzer.ts";
import type { RankingOptions } from "./ranking.ts";

/** A passage as MiniSearch indexes it: its key, its text and its document's title. */
export interface IndexedPassage {
  id: number;
  text: string;
  title: string;
}

/**
 * MiniSearch's options for passages: their text and title, cut into the analyzer's terms,
 * scored with the ranking's BM25 parameters.
 */
export function indexOptions(bm25: RankingOptions["bm25"]): Options<IndexedPassage> {
  let lastTitle: { text: string; terms: string[] } | undefined;
  return {
    fields: ["text", "title"],
    searchOptions: { bm25 },
    tokenize: (text, field) => {
      if (field === "title") {
        // Every passage of a document carries its title, and they are indexed one after another.
        if (lastTitle?.text !== text) lastTitle = { text, terms: terms(text) };
        return lastTitle.terms;
      }
      return terms(text);
    },
    processTerm: (term) => term,
  };
}
