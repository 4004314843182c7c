/**
 * Appends 👍 lines to the feedback log in DATA_DIR as fast as it can, each with a
 * question of QUESTION_BYTES characters, until killed: the feedback tests kill it
 * mid-write (with large lines, one append spans several write calls) and check what the
 * next writer makes of the file. Reports each finished line over IPC.
 */
import { FeedbackLog } from "../../src/feedback.ts";

const log = new FeedbackLog(process.env.DATA_DIR ?? ".data");
const size = Number(process.env.QUESTION_BYTES ?? 1000);
for (let n = 0; ; n++) {
  await log.record("up", `question ${n} ${"x".repeat(size)}`, [`passage-${n}`], `user-${n}`);
  process.send?.(n + 1);
}
