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

export const spanish = new Pipeline("es", {
  text: [{ name: "lowercase", run: lowercaseText }],
  tokenize: { name: "tokenize", run: tokenize },
  words: [
    stopWords(spa),
    { name: "stem", data: installedPackage("@orama/stemmers/spanish"), run: stemmer },
    { name: "fold", run: fold },
  ],
});
