import { join } from "node:path";
import { engineConfig } from "../../src/config.ts";
import { Library } from "../../src/search/library.ts";
import { evaluate, readQuestionSet } from "./evaluate.ts";

/** npm run eval [-- path/to/questions.json]: retrieval quality on a question set. */

const path = process.argv[2] ?? join(import.meta.dirname, "dev-questions.json");
const library = await Library.open(engineConfig().CORPUS_DIR);
const scores = evaluate(readQuestionSet(path), (q) => library.answer(q, { k: 3 }));
const pct = (x: number) => x.toFixed(2);

for (const [name, group] of [
  ["answerable", scores.answerable],
  ["paraphrased", scores.paraphrased],
] as const) {
  console.log(
    `${name.padEnd(12)} n=${group.questions}  hit@1 ${pct(group.hit1)}  hit@3 ${pct(group.hit3)}  MRR ${pct(group.mrr)}`,
  );
  for (const miss of group.misses) console.log(`  miss@3: ${miss}`);
}
for (const q of scores.offTopicLeaks) console.log(`  answered off-topic: ${q}`);
for (const leak of scores.junkLeaks) console.log(`  junk: ${leak}`);
console.log(`off-topic abstain ${scores.offTopicAbstained}/${scores.offTopic}`);
console.log(`junk leaks ${scores.junkLeaks.length}`);
