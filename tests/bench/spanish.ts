import { Library } from "../../src/search/library.ts";
import { openTranslators, type Translators } from "../../src/text/translate.ts";
import { collect, now } from "./measure.ts";

/**
 * Answers to Spanish questions on a corpus of English documents, the whole way a Spanish
 * reply takes: detection, the question's translation and dictionary lookup (Apertium),
 * search, and the machine translation of each quote, with the translators' caches off so
 * every question pays for its translations. English questions through the same Library
 * (`ask`, translators on) and through `answer` show what the cross-lingual path costs them.
 */

export interface SpanishTimes {
  passages: number;
  spanish: number[];
  answered: number;
  englishAsk: number[];
  englishAnswer: number[];
}

function closeAll(translators: Translators): void {
  for (const translator of Object.values(translators)) translator.close();
}

/** The Spanish the bench asks: `questions` (English) translated by Apertium, untimed. */
async function inSpanish(
  questions: readonly string[],
  translators: Translators,
): Promise<string[]> {
  const out: string[] = [];
  for (const q of questions) {
    const spanish = await translators.engSpa.translate(q);
    if (spanish) out.push(spanish);
  }
  return out;
}

async function timeEach(
  questions: readonly string[],
  ask: (q: string) => unknown,
): Promise<number[]> {
  collect();
  const times: number[] = [];
  for (const q of questions) {
    const started = now();
    await ask(q);
    times.push(now() - started);
  }
  return times;
}

/**
 * Each English question through `ask` and through `answer`, in turn, which goes first
 * alternating: the second meets the engine's memos warm from the first.
 */
async function compareEnglish(library: Library, questions: readonly string[], warmup: number) {
  for (const q of questions.slice(0, warmup)) await library.ask(q);
  collect();
  const englishAsk: number[] = [];
  const englishAnswer: number[] = [];
  const time = async (work: () => unknown, into: number[]) => {
    const started = now();
    await work();
    into.push(now() - started);
  };
  for (const [i, q] of questions.entries()) {
    const ask = () => time(() => library.ask(q), englishAsk);
    const answer = () => time(() => library.answer(q), englishAnswer);
    if (i % 2 === 0) await ask().then(answer);
    else await answer().then(ask);
  }
  return { englishAsk, englishAnswer };
}

/** Times one round of each kind of question; throws when Apertium is not installed. */
export async function measureSpanish(
  corpusDir: string,
  questions: readonly string[],
  warmup: number,
): Promise<SpanishTimes> {
  const setup = openTranslators("apertium");
  if (typeof setup === "string") throw new Error(`Spanish answers need Apertium: ${setup}`);
  const spanishQuestions = await inSpanish(questions, setup);
  closeAll(setup);
  const translators = openTranslators("apertium", { cacheSize: 0 });
  if (typeof translators === "string") throw new Error(translators);
  const library = await Library.open(corpusDir, { translators, translateQuotes: true });
  try {
    const spanish = (q: string) => library.ask(q, { replyIn: "es" });
    for (const q of spanishQuestions.slice(0, warmup)) await spanish(q);
    let answered = 0;
    const spanishTimes = await timeEach(spanishQuestions, async (q) => {
      if ((await spanish(q)).answered) answered++;
    });
    const english = await compareEnglish(library, questions, warmup);
    return {
      passages: library.stats().passages,
      spanish: spanishTimes,
      answered: answered / Math.max(1, spanishQuestions.length),
      ...english,
    };
  } finally {
    await library.close();
  }
}
