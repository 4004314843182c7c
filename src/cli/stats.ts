import { join } from "node:path";
import { parseArgs } from "node:util";
import { engineConfig } from "../config.ts";
import { FeedbackLog } from "../feedback.ts";
import { QUESTIONS_FILE, readQuestionLog } from "../questions.ts";
import { statsLines, summarize } from "../stats.ts";
import { runMain } from "./run.ts";

/** npm run stats: what /stats shows admins, from DATA_DIR's question and feedback logs. */

const USAGE = `Usage: npm run --silent stats [-- --json]

Prints, for the last 24 hours and the last 7 days: questions asked, the share answered,
👍/👎, the most frequent unanswered questions and the most and least liked documents.

Options:
  --json       print the figures as JSON
  -h, --help   show this help

Environment: DATA_DIR selects the folder of questions.jsonl and feedback.jsonl (default: .data).`;

async function main(argv: string[]): Promise<number> {
  let values: { json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: { json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    }));
  } catch (error) {
    process.stderr.write(`stats: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { DATA_DIR } = engineConfig();
  const [questions, feedback] = await Promise.all([
    readQuestionLog(join(DATA_DIR, QUESTIONS_FILE)),
    new FeedbackLog(DATA_DIR).read(),
  ]);
  const windows = summarize(questions, feedback);
  process.stdout.write(
    values.json
      ? `${JSON.stringify(windows, null, 2)}\n`
      : `${windows.map((w) => [w.label, ...statsLines(w).map((line) => `  ${line}`)].join("\n")).join("\n\n")}\n`,
  );
  return 0;
}

runMain("stats", main);
