/**
 * The bot in a process of its own, started by tests/support/bot-process.ts with `fork`
 * and configured by environment variables as `npm start` is (no .env; TEST_ANSWER_COST_MS
 * and TEST_SUGGESTION_COST_MS make each answer and each question suggestion that much
 * slower, as on a corpus of thousands of documents). It reports over
 * IPC: `ready` once logged in, `heap` (after a full gc when run with --expose-gc) when
 * asked, and `stopped` (with any unhandled rejections) after a graceful stop.
 */
import { botConfig } from "../../src/config.ts";
import { startBot } from "../../src/discord/bot.ts";
import { log, setLogLevel } from "../../src/log.ts";

export type ParentMessage = { type: "heap" } | { type: "stop" };
export type ChildMessage =
  | {
      type: "ready";
      documents: number;
      passages: number;
      skipped: { file: string; reason: string }[];
    }
  | { type: "heap"; heapUsed: number; rss: number }
  | { type: "stopped"; unhandled: string[] };

const unhandled: string[] = [];
process.on("unhandledRejection", (error) => {
  unhandled.push(String(error));
  log.error("unhandled rejection", error);
});

function send(message: ChildMessage): void {
  process.send?.(message);
}

const config = botConfig(process.env);
setLogLevel(config.LOG_LEVEL);
const bot = await startBot(config);
// Tests may make every answer, and every question suggestion, cost this much CPU, as on a
// corpus of thousands of documents.
const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Busy, as a real search is.
  }
};
const answerCost = Number(process.env.TEST_ANSWER_COST_MS ?? 0);
if (answerCost > 0) {
  const answer = bot.library.answer.bind(bot.library);
  bot.library.answer = (question, options) => {
    busy(answerCost);
    return answer(question, options);
  };
}
const suggestionCost = Number(process.env.TEST_SUGGESTION_COST_MS ?? 0);
if (suggestionCost > 0) {
  const suggestions = bot.library.suggestions.bind(bot.library);
  bot.library.suggestions = (question, limit) => {
    busy(suggestionCost);
    return suggestions(question, limit);
  };
}
send({ type: "ready", ...bot.library.stats() });

process.on("message", (message: ParentMessage) => {
  if (message.type === "heap") {
    (globalThis as { gc?: () => void }).gc?.();
    const { heapUsed, rss } = process.memoryUsage();
    send({ type: "heap", heapUsed, rss });
  } else if (message.type === "stop") {
    void bot.stop().then(() => {
      send({ type: "stopped", unhandled });
      process.disconnect();
    });
  }
});
