import { eld } from "eld/small";

/**
 * Which language a question is written in, among those the bot replies in. Short texts
 * (one or two words, often a name such as "Panama") say too little, and count as English,
 * the language of most documents.
 */

export type Language = "en" | "es";
export const LANGUAGES: readonly Language[] = ["en", "es"];

const MIN_WORDS = 3;
const WORD = /\p{L}+/gu;

eld.setLanguageSubset([...LANGUAGES]);

export function detectLanguage(text: string): Language {
  if ((text.match(WORD)?.length ?? 0) < MIN_WORDS) return "en";
  const result = eld.detect(text);
  return result.language === "es" && result.isReliable() ? "es" : "en";
}
