import { sentences } from "../corpus/passages.ts";
import { fold } from "../text/analyzer.ts";
import { pipelineFor } from "../text/pipelines.ts";
import type { AnswerShape } from "./answer-shapes.ts";
import { type Entry, entryText } from "./entries.ts";
import { coveredWeight, type WeightedTerm } from "./expansion.ts";

/** A sentence of a passage and its terms, in order. */
export interface Sentence {
  text: string;
  terms: readonly string[];
}

/** A passage's sentences, each with the terms its document's pipeline finds in it. */
export function entrySentences(entry: Entry): Sentence[] {
  const quote = entryText(entry);
  const { terms } = pipelineFor(entry.doc.source.language);
  return sentences(quote).map((span) => {
    const text = quote.slice(span.start, span.end);
    return { text, terms: terms(text) };
  });
}

/**
 * The sentence carrying the most question weight, a sentence of the shape the question asks
 * for (the one holding the figure or the date) weighing `shapeBoost` times as much; none when
 * the quote is one sentence.
 */
export function keySentence(
  sentences: readonly Sentence[],
  query: WeightedTerm[],
  shape: AnswerShape | null,
  shapeBoost: number,
): string | undefined {
  if (sentences.length < 2) return undefined;
  let best: string | undefined;
  let bestScore = 0;
  for (const sentence of sentences) {
    const shaped = shape?.passage.test(fold(sentence.text)) ? shapeBoost : 1;
    const score = coveredWeight(query, sentence.terms) * shaped;
    if (score > bestScore) {
      best = sentence.text;
      bestScore = score;
    }
  }
  return best;
}
