import { stem } from "porter2";
import { eng } from "stopword";
import { installedPackage, Pipeline, stopWords } from "./pipeline.ts";
import { foldText, tokenize } from "./tokens.ts";

/**
 * The English pipeline, for questions and for documents of no other language: Unicode
 * folding (Darién = Darien), tokens, stop words, irregular forms, Porter2 stems.
 */

// Question words and auxiliaries that carry no topic, on top of the package's list.
const EXTRA_STOP_WORDS = [
  "why",
  "when",
  "whom",
  "whose",
  "its",
  "does",
  "done",
  "will",
  "also",
  "yet",
  "per",
  "tell",
  "according",
  // Words that frame a question about the text rather than its topic.
  "say",
  "says",
  "said",
  "describe",
  "described",
  "quote",
  "quoted",
  "mention",
  "mentioned",
  "explain",
];
// "us" is almost always the country in this corpus (U.S., US), never a stop word here.
const STOP_WORDS = [...eng, ...EXTRA_STOP_WORDS].filter((w) => w !== "us");

// Irregular verb forms a suffix stemmer cannot join to their base form.
const IRREGULAR = new Map<string, string>(
  Object.entries({
    paid: "pay",
    sent: "send",
    left: "leave",
    fled: "flee",
    told: "tell",
    took: "take",
    taken: "take",
    gave: "give",
    given: "give",
    made: "make",
    met: "meet",
    led: "lead",
    sought: "seek",
    began: "begin",
    begun: "begin",
    held: "hold",
    kept: "keep",
    fell: "fall",
    fallen: "fall",
    rose: "rise",
    risen: "rise",
    brought: "bring",
    bought: "buy",
    sold: "sell",
    spent: "spend",
    built: "build",
    caught: "catch",
    fought: "fight",
    lost: "lose",
    won: "win",
    chose: "choose",
    chosen: "choose",
    drove: "drive",
    driven: "drive",
    flew: "fly",
    flown: "fly",
    ran: "run",
    saw: "see",
    seen: "see",
    went: "go",
    gone: "go",
    came: "come",
    grew: "grow",
    grown: "grow",
    knew: "know",
    known: "know",
    thought: "think",
    found: "find",
    wrote: "write",
    written: "write",
    struck: "strike",
    stood: "stand",
    children: "child",
    women: "woman",
    men: "man",
    people: "person",
  }),
);

export const english = new Pipeline("en", {
  text: [{ name: "fold", run: foldText }],
  tokenize: { name: "tokenize", run: tokenize },
  words: [
    stopWords(STOP_WORDS),
    {
      name: "irregular-forms",
      data: [...IRREGULAR],
      run: (word) => IRREGULAR.get(word) ?? word,
    },
    { name: "stem", data: installedPackage("porter2"), run: stem },
  ],
});
