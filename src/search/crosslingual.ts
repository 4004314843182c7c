import { log } from "../log.ts";
import { fold, terms } from "../text/analyzer.ts";
import { detectLanguage, type Language } from "../text/language.ts";
import { openTranslators, type Translators, wordTranslations } from "../text/translate.ts";
import type { Answer, AnswerOptions, Result } from "./answer.ts";

/**
 * Questions in any of the bot's languages over documents in English: a Spanish question is
 * searched through its English translation (Apertium), and a reply in Spanish carries a
 * machine translation under each verbatim quote. English questions with English replies
 * take the plain path, with no translation at all.
 */

export interface AskOptions extends AnswerOptions {
  /** The question's language; "auto" (the default) detects it. */
  lang?: Language | "auto";
  /** The reply's language (default: the question's); Spanish replies translate quotes. */
  replyIn?: Language;
}

export interface TranslatedResult extends Result {
  /** Machine translation of `quote` into the reply's language, when it differs. */
  translation?: string;
}

export interface LocalizedAnswer extends Answer {
  /** The language the question was read in. */
  language: Language;
  results: TranslatedResult[];
}

export interface CrossLingualOptions {
  /** Absent when Apertium is not installed: Spanish questions then match only their own words. */
  translators?: Translators;
  /** Whether Spanish replies carry a machine translation of each quote (TRANSLATE_QUOTES). */
  translateQuotes?: boolean;
}

/**
 * The cross-lingual options from the settings: Apertium's translators (started at once when
 * `warm`, so a long-running bot's first Spanish question need not wait for them), or
 * (Apertium missing) one log line saying the search is off and how to turn it on.
 */
export function crossLingual(
  settings: { APERTIUM_PATH: string; TRANSLATE_QUOTES: boolean },
  warm = true,
): CrossLingualOptions {
  const translators = openTranslators(settings.APERTIUM_PATH);
  if (typeof translators === "string") {
    log.warn(
      `cross-lingual search is off (${translators}): Spanish questions match only Spanish documents; to turn it on, install Apertium (apt-get install apertium-eng-spa) or set APERTIUM_PATH`,
    );
    return { translateQuotes: settings.TRANSLATE_QUOTES };
  }
  if (warm) for (const translator of Object.values(translators)) translator.warm();
  return { translators, translateQuotes: settings.TRANSLATE_QUOTES };
}

// A machine translation carries words the documents would not use ("Cap" for tapón), so a
// translated question needs less of itself found in a passage to count as answered.
const TRANSLATED_MIN_COVERAGE = 0.3;
// Numbers, and words written with a capital or in capitals: names Apertium may not know.
const KEPT_WORD = /\p{N}[\p{N}.,]*|\p{Lu}[\p{L}.]*/gu;

/**
 * The English text to search for a Spanish question: its translation, plus the names and
 * numbers of the question that the translation lost or changed.
 */
export function searchText(question: string, translation: string): string {
  const translated = new Set(fold(translation).match(/[\p{L}\p{N}]+/gu));
  const kept = (question.match(KEPT_WORD) ?? []).filter(
    (word, i) =>
      i > 0 &&
      !fold(word)
        .split(/[^\p{L}\p{N}]+/u)
        .every((w) => !w || translated.has(w)),
  );
  return [translation, ...kept].join(" ");
}

/**
 * For each search term of a word's translations, the terms of that word's other
 * translations: Apertium picks one translation of "medio" (half), the passage may say another.
 */
export function alternativeTerms(words: readonly (readonly string[])[]): Map<string, string[][]> {
  const out = new Map<string, string[][]>();
  for (const lemmas of words) {
    const options = lemmas.map((lemma) => terms(lemma)).filter((t) => t.length > 0);
    for (const option of options) {
      for (const term of option) {
        const others = options.filter((o) => o !== option && !o.includes(term));
        if (others.length) out.set(term, [...(out.get(term) ?? []), ...others]);
      }
    }
  }
  return out;
}

export async function askAcross(
  answer: (text: string, options: AnswerOptions) => Answer,
  question: string,
  options: AskOptions,
  cross: CrossLingualOptions,
): Promise<LocalizedAnswer> {
  const { lang = "auto", replyIn, ...search } = options;
  const language = lang === "auto" ? detectLanguage(question) : lang;
  let found: Answer;
  if (language === "en") {
    found = answer(question, search);
  } else {
    const translators = cross.translators;
    const [translation, lookup] = await Promise.all([
      translators?.spaEng.translate(question),
      translators?.spaEngWords.translate(question),
    ]);
    // No translation: the question's own words still reach documents written in its language.
    found = translation
      ? answer(searchText(question, translation), {
          ...search,
          alternatives: alternativeTerms(wordTranslations(lookup ?? "")),
          minCoverage: TRANSLATED_MIN_COVERAGE,
        })
      : answer(question, search);
    found = { ...found, question };
  }
  const reply = replyIn ?? language;
  if (reply === "en" || !cross.translateQuotes || !cross.translators || !found.results.length) {
    return { ...found, language };
  }
  const engSpa = cross.translators.engSpa;
  const translations = await Promise.all(found.results.map((r) => engSpa.translate(r.quote)));
  const results = found.results.map((result, i) => {
    const translation = translations[i];
    return translation ? { ...result, translation } : result;
  });
  return { ...found, results, language };
}
