import { join } from "node:path";
import { engineConfig } from "../config.ts";
import { FeedbackLog } from "../feedback.ts";
import { QUESTIONS_FILE, readQuestionLog } from "../questions.ts";
import { DEFAULT_LANGUAGE, languages, messages } from "../replies/messages.ts";
import { statsLines, windowTitle } from "../replies/stats.ts";
import { summarize } from "../stats.ts";
import { commandLine } from "./command-line.ts";
import { runMain } from "./run.ts";

/** npm run stats: what /stats shows admins, from DATA_DIR's question and feedback logs. */

/** The languages with a catalog, as "en or es". */
const LANGUAGE_CHOICES = new Intl.ListFormat("en", { type: "disjunction" }).format(languages);

const USAGE = `Usage: npm run --silent stats [-- [--json] [--lang L]]

Prints, for the last 24 hours and the last 7 days: questions asked, the share answered,
👍/👎, the most frequent unanswered questions and the most and least liked documents.

Options:
  --json       print the figures as JSON
  --lang L     the language of the text: ${LANGUAGE_CHOICES} (default ${DEFAULT_LANGUAGE})
  -h, --help   show this help

Environment: DATA_DIR selects the folder of questions.jsonl and feedback.jsonl (default: .data).`;

async function main(argv: string[]): Promise<number> {
  const { values } = commandLine(
    "stats",
    USAGE,
    { args: argv, options: { json: { type: "boolean" }, lang: { type: "string" } } },
    (parsed) => {
      const { lang } = parsed.values;
      if (lang !== undefined && !languages.includes(lang)) {
        throw new Error(`--lang must be ${LANGUAGE_CHOICES}, got "${lang}"`);
      }
      return parsed;
    },
  );
  const { DATA_DIR } = engineConfig();
  const [questions, feedback] = await Promise.all([
    readQuestionLog(join(DATA_DIR, QUESTIONS_FILE)),
    new FeedbackLog(DATA_DIR).read(),
  ]);
  const windows = summarize(questions, feedback);
  const t = messages(values.lang ?? DEFAULT_LANGUAGE);
  const text = (w: (typeof windows)[number]) =>
    [windowTitle(w, t), ...statsLines(w, { t }).map((line) => `  ${line}`)].join("\n");
  process.stdout.write(
    values.json ? `${JSON.stringify(windows, null, 2)}\n` : `${windows.map(text).join("\n\n")}\n`,
  );
  return 0;
}

runMain("stats", main);
