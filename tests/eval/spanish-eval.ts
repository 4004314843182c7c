import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { engineConfig } from "../../src/config.ts";
import { Library } from "../../src/search/library.ts";
import { openTranslators } from "../../src/text/translate.ts";
import { normalize } from "./evaluate.ts";

/**
 * tsx tests/eval/spanish-eval.ts [SET.json]: Spanish questions over the documents, through
 * Library.ask as the bot answers them. Scores the `spanish` section of SET (hit@1, hit@3:
 * a result whose quote holds a gold string) and the abstain rate on the Spanish near-topic
 * and off-topic questions of tests/eval/spanish-abstain.json.
 */

const answerable = z.object({
  spanish: z.array(z.object({ q: z.string(), gold: z.array(z.string()) })),
});
const abstain = z.object({ near_topic: z.array(z.string()), off_topic: z.array(z.string()) });

const path = process.argv[2] ?? "../shared/eval/public-v2.json";
const set = answerable.parse(JSON.parse(readFileSync(path, "utf8")));
const unanswerable = abstain.parse(
  JSON.parse(readFileSync(join(import.meta.dirname, "spanish-abstain.json"), "utf8")),
);
const config = engineConfig();
const translators = openTranslators(config.APERTIUM_PATH);
if (typeof translators === "string") {
  console.log(`cross-lingual search is off: ${translators}`);
}
const library = await Library.open(config.CORPUS_DIR, {
  ...(typeof translators === "string" ? {} : { translators }),
  translateQuotes: false,
});
const ask = (q: string) => library.ask(q, { k: 3, lang: "auto" });

let hit1 = 0;
let hit3 = 0;
for (const { q, gold } of set.spanish) {
  const answer = await ask(q);
  const golds = gold.map(normalize);
  const rank = answer.results.findIndex((r) => golds.some((g) => normalize(r.quote).includes(g)));
  if (rank === 0) hit1++;
  if (rank >= 0 && rank < 3) hit3++;
  else console.log(`  miss@3: ${q}`);
}
const n = set.spanish.length || 1;
console.log(
  `spanish      n=${set.spanish.length}  hit@1 ${(hit1 / n).toFixed(2)}  hit@3 ${(hit3 / n).toFixed(2)}`,
);
for (const [name, questions] of Object.entries(unanswerable)) {
  let abstained = 0;
  for (const q of questions) {
    if ((await ask(q)).answered) console.log(`  answered ${name}: ${q}`);
    else abstained++;
  }
  console.log(`spanish ${name} abstain ${abstained}/${questions.length}`);
}
if (typeof translators !== "string") {
  translators.spaEng.close();
  translators.engSpa.close();
}
