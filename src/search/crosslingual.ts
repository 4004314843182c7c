import { log } from "../log.ts";
import { fold, terms } from "../text/analyzer.ts";
import { detectLanguage, type Language } from "../text/language.ts";
import { documentLanguage } from "../text/pipelines.ts";
import {
  openTranslators,
  type Translator,
  type Translators,
  wordTranslations,
} from "../text/translate.ts";
import { type Answer, type AnswerOptions, DEFAULT_K, MAX_K, type Result } from "./answer.ts";

/**
 * Questions in any of the bot's languages over documents in English and Spanish: a question
 * reaches each language's passages in that language, through Apertium when it is asked in
 * the other, and a reply carries a machine translation under each verbatim quote written in
 * another language. English questions over English documents take the plain path, with no
 * translation at all.
 */

export interface AskOptions extends AnswerOptions {
  /** The question's language; "auto" (the default) detects it. */
  lang?: Language | "auto";
  /** The reply's language (default: the question's); Spanish replies translate quotes. */
  replyIn?: Language;
}

export interface TranslatedResult extends Result {
  /** Machine translation of `quote` into the reply's language, when the quote is in another. */
  translation?: string;
}

export interface LocalizedAnswer extends Answer {
  /** The language the question was read in. */
  language: Language;
  results: TranslatedResult[];
}

export interface CrossLingualOptions {
  /** Absent when Apertium is not installed: questions then match only their own words. */
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

/** The passages searched: a question's answer, and the languages the documents are in. */
export interface Searched {
  answer: (text: string, options: AnswerOptions) => Answer;
  languages: ReadonlySet<Language>;
  /** The ranking's minRelativeScore, which a page merged from several searches applies too. */
  minRelativeScore: number;
}

/**
 * The answer to a question in any of the bot's languages, from the documents of every
 * language: each language's passages are searched with the question read in that language
 * (its own words, or Apertium's translation of them), and a quote in another language than
 * the reply's carries its machine translation (TRANSLATE_QUOTES). A corpus of English
 * documents alone is searched once, in English.
 */
export async function askAcross(
  searched: Searched,
  question: string,
  options: AskOptions,
  cross: CrossLingualOptions,
): Promise<LocalizedAnswer> {
  const { lang = "auto", replyIn, ...search } = options;
  const language = lang === "auto" ? detectLanguage(question) : lang;
  const mixed = searched.languages.has("es");
  // Several searches are merged into one page: each gives its best passages from the first on.
  const each = mixed ? { ...search, offset: 0, k: MAX_K } : search;
  const answers: Promise<Answer | null>[] = [
    inEnglish(searched, question, language, each, cross.translators),
  ];
  if (mixed) answers.push(inSpanish(searched, question, language, each, cross.translators));
  const found = { ...pageOf(await Promise.all(answers), search, searched), question };
  const reply = replyIn ?? language;
  if (!cross.translateQuotes || !cross.translators || !found.results.length) {
    return { ...found, language };
  }
  const translators = cross.translators;
  const translations = await Promise.all(
    found.results.map((result) => {
      const from = documentLanguage(result.source.language);
      return from === reply ? undefined : translatorFrom(translators, from).translate(result.quote);
    }),
  );
  const results = found.results.map((result, i) => {
    const translation = translations[i];
    return translation ? { ...result, translation } : result;
  });
  return { ...found, results, language };
}

/** The question read in English: as asked, or Apertium's translation of a Spanish one. */
async function inEnglish(
  searched: Searched,
  question: string,
  language: Language,
  search: AnswerOptions,
  translators: Translators | undefined,
): Promise<Answer> {
  if (language === "en") return searched.answer(question, search);
  const [translation, lookup] = await Promise.all([
    translators?.spaEng.translate(question),
    translators?.spaEngWords.translate(question),
  ]);
  // No translation: the question's own words still reach names and numbers.
  if (!translation) return searched.answer(question, search);
  return searched.answer(searchText(question, translation), {
    ...search,
    alternatives: alternativeTerms(wordTranslations(lookup ?? "")),
    minCoverage: TRANSLATED_MIN_COVERAGE,
    translated: true,
  });
}

/**
 * The question read in Spanish: a Spanish question as asked (no translator needed), an
 * English one through Apertium (none without it).
 */
async function inSpanish(
  searched: Searched,
  question: string,
  language: Language,
  search: AnswerOptions,
  translators: Translators | undefined,
): Promise<Answer | null> {
  if (language === "es") return searched.answer(question, { ...search, language: "es" });
  const translation = await translators?.engSpa.translate(question);
  if (!translation) return null;
  return searched.answer(translation, {
    ...search,
    language: "es",
    minCoverage: TRANSLATED_MIN_COVERAGE,
    translated: true,
  });
}

/** The translator from the language a quote is written in to the other one. */
function translatorFrom(translators: Translators, from: Language): Translator {
  return from === "en" ? translators.engSpa : translators.spaEng;
}

/**
 * One page of answers from several searches: their passages by score, `offset` and `k` as
 * the engine reads them, up to MAX_K passages from each search, those far below the best
 * left out as the engine leaves them out of one search; the first answer's
 * suggestions when none answers.
 */
function pageOf(
  answers: readonly (Answer | null)[],
  page: AnswerOptions,
  { minRelativeScore }: Searched,
): Answer {
  const found = answers.filter((a): a is Answer => a !== null);
  const [first] = found as [Answer];
  if (found.length === 1) return first;
  const answered = found.filter((a) => a.answered);
  if (!answered.length) return first;
  // A passage two searches found (names and numbers read alike) is shown once, at its best.
  const seen = new Set<string>();
  const ranked = answered.flatMap((a) => a.results).sort((a, b) => b.score - a.score);
  const best = ranked[0]?.score ?? 0;
  const results = ranked.filter(
    (r) =>
      r.score >= best * minRelativeScore && !seen.has(r.passage) && Boolean(seen.add(r.passage)),
  );
  const k = Math.min(MAX_K, Math.max(1, page.k ?? DEFAULT_K));
  const offset = Math.max(0, page.offset ?? 0);
  const shown = results.slice(offset, offset + k);
  return {
    question: first.question,
    answered: shown.length > 0,
    results: shown,
    more: results.length > offset + k,
    ...(shown.length === 0
      ? { suggestions: found.find((a) => a.suggestions)?.suggestions ?? [] }
      : {}),
    ...(answered.every((a) => a.uncertain) ? { uncertain: true as const } : {}),
  };
}
