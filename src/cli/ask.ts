import { StringDecoder } from "node:string_decoder";
import { DEFAULT_STALE_AFTER_DAYS, engineConfig } from "../config.ts";
import type { Source } from "../corpus/load.ts";
import { printable } from "../log.ts";
import { staleNote } from "../replies/freshness.ts";
import { messages } from "../replies/messages.ts";
import { DEFAULT_K, MAX_K } from "../search/answer.ts";
import { crossLingual, type LocalizedAnswer } from "../search/crosslingual.ts";
import { Library } from "../search/library.ts";
import { fileNotes } from "../search/reports.ts";
import { detectLanguage, LANGUAGES, type Language } from "../text/language.ts";
import { commandLine, type Parsed } from "./command-line.ts";
import { runMain } from "./run.ts";

/** Offline answers from the command line: the same engine the bot uses. */

const USAGE = `Usage: npm run --silent ask -- [options] "question"
       npm run --silent ask -- --batch < questions.txt

Options:
  --json         print the Answer as JSON
  --batch        read one question per stdin line, print one JSON line each, in order
  --k N          number of results, 1 to ${MAX_K} (default ${DEFAULT_K})
  --source ID    only quote the document with this id (see the ids with --sources)
  --sources      list the documents and their ids
  --lang L       reply language: en, es, or auto (default: the question's language);
                 a Spanish reply carries a machine translation of each quote
  -h, --help     show this help

Environment: CORPUS_DIR selects the corpus folder (default: corpus); APERTIUM_PATH the
Apertium executable that translates (default: apertium); TRANSLATE_QUOTES=off leaves quotes
untranslated.`;

interface Options {
  json: boolean;
  batch: boolean;
  sources: boolean;
  k: number;
  source: string | undefined;
  /** The reply's language; undefined: the question's. */
  lang: Language | undefined;
  question: string;
}

const OPTIONS = {
  allowPositionals: true,
  options: {
    json: { type: "boolean" },
    batch: { type: "boolean" },
    sources: { type: "boolean" },
    k: { type: "string" },
    source: { type: "string" },
    lang: { type: "string" },
  },
} as const;

/** The options of a parsed command line; throws for a value out of range or a wrong mix. */
function readOptions({ values, positionals }: Parsed<typeof OPTIONS>): Options {
  const k = values.k === undefined ? DEFAULT_K : Number(values.k);
  if (!Number.isInteger(k) || k < 1 || k > MAX_K) {
    throw new Error(`--k must be a whole number from 1 to ${MAX_K}, got "${values.k}"`);
  }
  const lang = values.lang ?? "auto";
  if (lang !== "auto" && !LANGUAGES.includes(lang as Language)) {
    throw new Error(`--lang must be ${LANGUAGES.join(", ")} or auto, got "${lang}"`);
  }
  const question = positionals.join(" ").trim();
  const batch = values.batch ?? false;
  const sources = values.sources ?? false;
  if (!batch && !sources && question === "") throw new Error("a question is required");
  if (batch && question !== "")
    throw new Error("--batch reads questions from stdin; give no question argument");
  return {
    json: values.json ?? false,
    batch,
    sources,
    k,
    source: values.source,
    lang: lang === "auto" ? undefined : (lang as Language),
    question,
  };
}

export function citation(source: Source): string {
  return [source.title, source.outlet, source.author, source.published].filter(Boolean).join(" — ");
}

/** The answer as a person would like to read it, in `language` (a catalog's). */
export function formatAnswer(
  answer: LocalizedAnswer,
  language: string,
  staleAfterDays = DEFAULT_STALE_AFTER_DAYS,
): string {
  const t = messages(language);
  if (!answer.answered) {
    const lines = [t("cli.noAnswer", { question: printable(answer.question) })];
    if (answer.suggestions?.length) {
      lines.push("", t("cli.suggestions"), ...answer.suggestions.map((s) => `  • ${printable(s)}`));
    }
    return lines.join("\n");
  }
  const results = answer.results.map((r, i) => {
    const lines = [`${i + 1}. “${r.quote}”`];
    if (r.translation) lines.push(`   ${t("answer.translation")}: ${r.translation}`);
    lines.push(`   — ${citation(r.source)}`);
    const note = staleNote(r.source, language, staleAfterDays);
    if (note) lines.push(`   ${note}`);
    if (r.source.url) lines.push(`   ${r.source.url}`);
    if (r.also?.length) {
      const sources = r.also.map((s) => s.outlet ?? s.title).join("; ");
      lines.push(`   ${t("cli.alsoIn", { sources })}`);
    }
    return lines.map(printable).join("\n");
  });
  // An answer that only partly matches says so before its quotes.
  return [...(answer.uncertain ? [t("answer.uncertain")] : []), ...results].join("\n\n");
}

/**
 * The lines of a stream, split at "\n" only: a "\r" inside a line stays in it (readline
 * would start a new line there), and one before the "\n" (CRLF) is dropped. Bytes that
 * are not UTF-8 decode to U+FFFD. Each input line gives exactly one output line.
 */
async function* lines(input: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder("utf8");
  const line = (text: string) => (text.endsWith("\r") ? text.slice(0, -1) : text);
  let pending = "";
  for await (const chunk of input) {
    const parts = (pending + (typeof chunk === "string" ? chunk : decoder.write(chunk))).split(
      "\n",
    );
    pending = parts.pop() ?? "";
    for (const part of parts) yield line(part);
  }
  pending += decoder.end();
  if (pending !== "") yield line(pending);
}

async function main(argv: string[]): Promise<number> {
  const options = commandLine("ask", USAGE, { ...OPTIONS, args: argv }, readOptions);
  const config = engineConfig();
  const library = await Library.open(config.CORPUS_DIR, crossLingual(config, false));
  const stats = library.stats();
  const { k, source, lang } = options;
  // Notices are in the reply's language: --lang, or the question's (English for --batch).
  const t = messages(lang ?? detectLanguage(options.question));
  for (const line of fileNotes(stats)) process.stderr.write(`ask: ${printable(line)}\n`);
  if (stats.documents === 0) {
    process.stderr.write(`ask: ${t("cli.noDocuments", { folder: config.CORPUS_DIR })}\n`);
  }
  if (source !== undefined && !library.sources().some((s) => s.id === source)) {
    const ids = library.closestSourceIds(source).join(", ");
    const closest = ids ? t("cli.closest", { ids }) : "";
    process.stderr.write(
      `ask: ${t("cli.unknownSource", { id: JSON.stringify(source), closest })}\n`,
    );
    return 2;
  }
  const ask = (q: string) =>
    library.ask(q, {
      k,
      ...(source === undefined ? {} : { source }),
      ...(lang === undefined ? {} : { replyIn: lang }),
    });
  // The JSON is the Answer contract: the language the question was read in stays out of it.
  const json = ({ language: _, ...answer }: LocalizedAnswer) => answer;
  if (options.sources) {
    const list = library.sources();
    process.stdout.write(
      options.json
        ? `${JSON.stringify(list)}\n`
        : `${list.map((s) => `${s.id}  (${t("sources.passages", { count: s.passages })})  ${printable(citation(s))}`).join("\n")}\n`,
    );
    await library.close();
    return 0;
  }
  if (options.batch) {
    for await (const line of lines(process.stdin)) {
      process.stdout.write(`${JSON.stringify(json(await ask(line)))}\n`);
    }
    await library.close();
    return 0;
  }
  const answer = await ask(options.question);
  process.stdout.write(
    options.json
      ? `${JSON.stringify(json(answer), null, 2)}\n`
      : `${formatAnswer(answer, lang ?? answer.language, config.STALE_AFTER_DAYS)}\n`,
  );
  await library.close();
  return 0;
}

runMain("ask", main);
