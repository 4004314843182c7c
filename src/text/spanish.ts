import { stemmer } from "@orama/stemmers/spanish";
import { spa } from "stopword";
import { installedPackage, Pipeline, stopWords } from "./pipeline.ts";
import { fold, lowercaseText, tokenize } from "./tokens.ts";

/**
 * The Spanish pipeline, for documents whose front matter says `language: es` and for
 * Spanish questions: Snowball's Spanish stemmer reads accents ("deportación" and
 * "deportaciones" both give "deport"), so the text is only lowercased, and the stems are
 * folded last, as English terms are (Panamá = Panama).
 */

// Question words and auxiliaries that carry no topic, on top of the package's list.
const EXTRA_STOP_WORDS = [
  "cuál",
  "cuáles",
  "cuánto",
  "cuánta",
  "cuántos",
  "cuántas",
  "cómo",
  "dónde",
  "cuándo",
  "quién",
  "quiénes",
  "es",
  "son",
  "era",
  "eran",
  "fue",
  "fueron",
  "ser",
  "sido",
  "está",
  "están",
  "estaba",
  "estuvo",
  "estuvieron",
  "ha",
  "han",
  "hay",
  "había",
  "habían",
  "según",
];
// Spanish writes thousands with dots (4.300 personas): the number English writes 4,300.
const THOUSANDS = /^\d{1,3}(?:\.\d{3})+$/u;

function tokenizeSpanish(text: string): string[] {
  const tokens = tokenize(text);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    if (THOUSANDS.test(token)) tokens[i] = token.replaceAll(".", "");
  }
  return tokens;
}

// Questions are often typed without accents: "cuantos" is as empty as "cuántos".
const STOP_WORDS = [...spa, ...EXTRA_STOP_WORDS].flatMap((word) => [word, fold(word)]);

export const spanish = new Pipeline("es", {
  text: [{ name: "lowercase", run: lowercaseText }],
  tokenize: { name: "tokenize", data: THOUSANDS.source, run: tokenizeSpanish },
  words: [
    stopWords(STOP_WORDS),
    { name: "stem", data: installedPackage("@orama/stemmers/spanish"), run: stemmer },
    { name: "fold", run: fold },
  ],
});
