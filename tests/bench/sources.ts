/**
 * The requests that list or name documents, on a corpus of as many documents as the
 * loader allows: /sources, the source: autocomplete as a user types an id, and /ask with
 * source:. Each is the command's own code, which the bot runs synchronously, so its time
 * is how long it holds up every other user.
 */
import { join } from "node:path";
import * as askCommand from "../../commands/ask.ts";
import type { CommandContext } from "../../commands/index.ts";
import * as sourcesCommand from "../../commands/sources.ts";
import { FeedbackLog } from "../../src/feedback.ts";
import { openQuestionLog } from "../../src/questions.ts";
import { Library } from "../../src/search/library.ts";
import { questions as makeQuestions, prng, type Vocabulary, writeCorpus } from "./corpus.ts";
import { now } from "./measure.ts";

const PARAGRAPHS = 5;
const REQUESTS = 300;
const WARMUP = 30;
const RELOADS = 5;

export interface SourcesTimes {
  documents: number;
  passages: number;
  /** The first /sources after each of a few reloads, which make the list again. */
  afterReload: number[];
  sources: number[];
  autocomplete: number[];
  askSource: number[];
}

function time(work: () => unknown): number {
  const started = now();
  work();
  return now() - started;
}

export async function measureSources(
  root: string,
  documents: number,
  vocabulary: Vocabulary,
): Promise<SourcesTimes> {
  const dir = join(root, `corpus-${documents}-documents`);
  await writeCorpus(dir, documents * PARAGRAPHS, vocabulary, 5, [PARAGRAPHS, PARAGRAPHS]);
  const library = await Library.open(dir);
  const feedback = new FeedbackLog(join(root, "feedback-unused"));
  const ctx: CommandContext = {
    library,
    feedback,
    questions: openQuestionLog(
      { DATA_DIR: join(root, "questions-unused"), LOG_QUESTIONS: true },
      feedback,
    ),
    user: { id: "bench", admin: () => false },
    language: "en",
    reload: async () => [await library.reload()],
  };
  const ids = library.sources().map((s) => s.id);
  const random = prng(11);
  const someId = () => ids[Math.floor(random() * ids.length)] as string;
  // Keystrokes: every prefix of the ids a user types, one id after another.
  const typed: string[] = [];
  while (typed.length < WARMUP + REQUESTS) {
    const id = someId();
    for (let i = 1; i <= id.length; i++) typed.push(id.slice(0, i));
  }
  const asked = makeQuestions(WARMUP + REQUESTS, vocabulary, 13).map((question) => ({
    question,
    source: someId(),
  }));
  const run = (count: number, request: (i: number) => unknown) => {
    for (let i = 0; i < WARMUP; i++) request(i);
    return Array.from({ length: count }, (_, i) => time(() => request(WARMUP + i)));
  };
  const sources = run(REQUESTS, () => sourcesCommand.execute(ctx));
  const autocomplete = run(REQUESTS, (i) =>
    askCommand.autocomplete(ctx, { name: "source", value: typed[i] as string }),
  );
  const askSource = run(REQUESTS, (i) => askCommand.execute(ctx, asked[i] ?? {}));
  // A reload, even of an unchanged folder, makes the list again.
  const afterReload: number[] = [];
  for (let i = 0; i < RELOADS; i++) {
    await library.reload();
    afterReload.push(time(() => sourcesCommand.execute(ctx)));
  }
  return {
    documents: ids.length,
    passages: library.stats().passages,
    afterReload,
    sources,
    autocomplete,
    askSource,
  };
}
