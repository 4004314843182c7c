import { z } from "zod";
import { MAX_PASSAGE_CHARS } from "../../src/corpus/passages.ts";
import { MAX_K } from "../../src/search/answer.ts";

/** The Answer contract of ARCHITECTURE.md, as the shells rely on it. */

const sourceSchema = z.strictObject({
  id: z.string().min(1),
  title: z.string().min(1),
  outlet: z.string().min(1).optional(),
  author: z.string().min(1).optional(),
  published: z.string().min(1).optional(),
  url: z.string().min(1).optional(),
  language: z.string().min(1).optional(),
});

const resultSchema = z.strictObject({
  quote: z.string().min(1).max(MAX_PASSAGE_CHARS),
  passage: z.string().min(1),
  score: z.number().finite(),
  source: sourceSchema,
  also: z.array(sourceSchema).min(1).optional(),
  highlight: z.string().min(1).optional(),
  /** Machine translation of the quote, in replies in another language than the document's. */
  translation: z.string().min(1).optional(),
});

export const answerSchema = z
  .strictObject({
    question: z.string(),
    answered: z.boolean(),
    results: z.array(resultSchema).max(MAX_K),
    suggestions: z.array(z.string().min(1)).optional(),
    more: z.boolean().optional(),
    uncertain: z.literal(true).optional(),
  })
  .refine((a) => a.answered === a.results.length > 0, "answered must mean there are results")
  .refine((a) => a.answered || !a.uncertain, "only an answer can be uncertain")
  .refine(
    (a) => a.answered || (a.suggestions?.length ?? 0) > 0,
    "an unanswered question gets suggestions",
  );
