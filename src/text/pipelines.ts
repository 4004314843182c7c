import { english } from "./english.ts";
import type { Language } from "./language.ts";
import type { Pipeline } from "./pipeline.ts";
import { spanish } from "./spanish.ts";

/** Each language's pipeline: English for questions and documents of no other language. */
export const PIPELINES: Readonly<Record<Language, Pipeline>> = { en: english, es: spanish };

/** The language a document's `language:` front matter names: "es" or "es-MX" is Spanish, anything else English. */
export function documentLanguage(language: string | undefined): Language {
  const code = language?.toLowerCase();
  return code === "es" || code?.startsWith("es-") ? "es" : "en";
}

/** The pipeline for a document's `language:` front matter (see documentLanguage). */
export function pipelineFor(language: string | undefined): Pipeline {
  return PIPELINES[documentLanguage(language)];
}
