import { describe, expect, test } from "vitest";
import { correction, namesIn } from "../../src/search/expansion.ts";
import { DEFAULT_RANKING, type RankingOptions } from "../../src/search/ranking.ts";
import { toTerm } from "../../src/text/analyzer.ts";
import { libraryOf, markdown } from "../fixtures/helpers.ts";

/**
 * Questions asked the way people type: filler words, slips, and questions asking for a
 * number or a date. Each mechanism is also switched off through RankingOptions, to show the
 * behaviour comes from it.
 */

const defining =
  "The Darien Gap, a roadless stretch of jungle between Colombia and Panama, is crossed on foot by families hoping to reach the north.";
const counting =
  "Officials counted 520,000 migrants crossing the jungle last year, more than twice the number of the year before.";
const mentioning =
  "Migrants crossing the jungle say the jungle crossing is the hardest part of the journey for migrants.";
const dating =
  "The new border rules take effect on June 1, 2024, the interior ministry said in a statement read to reporters outside its offices in the capital after a long meeting.";
const mentioningRules =
  "Critics of the new border rules say the new rules ignore the interior ministry's own advice on border rules.";

const files = {
  "gap.md": markdown({ title: "Families on the move" }, defining),
  "count.md": markdown({ title: "A record year" }, counting),
  "guides.md": markdown({ title: "Left behind" }, mentioning),
  "rules.md": markdown({ title: "Ministry statement" }, dating),
  "critics.md": markdown({ title: "Aid groups object" }, mentioningRules),
  "other.md": markdown(
    { title: "Harvest report" },
    "Farmers in the valley expect a good harvest of apples and pears after a wet spring.",
  ),
};

function switchedOff(change: (r: RankingOptions) => void): RankingOptions {
  const ranking = structuredClone(DEFAULT_RANKING);
  change(ranking);
  return ranking;
}

describe("words English uses all the time", () => {
  const library = libraryOf(files);
  const plainIdf = libraryOf(
    files,
    switchedOff((r) => {
      r.english.commonFloor = 1;
    }),
  );
  const namesAsWords = libraryOf(
    files,
    switchedOff((r) => {
      r.english.name = 0;
    }),
  );
  const chatty = "Can someone quickly tell me what exactly the Darien Gap really is, please?";

  test("filler words the corpus lacks do not veto an answer", () => {
    const answer = library().answer(chatty);
    expect(answer.answered).toBe(true);
    expect(answer.results[0]?.quote).toBe(defining);
  });

  test("weighed by the corpus alone, the same filler words veto it", () => {
    expect(plainIdf().answer(chatty).answered).toBe(false);
  });

  test("a rare word the corpus lacks still does", () => {
    const answer = library().answer("How does the Darien Gap affect DACA recipients?");
    expect(answer.answered).toBe(false);
  });

  // Common English words, written as the name of something the corpus does not hold.
  const named = "What did the Blue Mountain Group say about the Darien Gap?";

  test("common words the question capitalises as a name the corpus lacks do veto it", () => {
    expect(library().answer(named).answered).toBe(false);
  });

  test("weighed as ordinary English words, the same name does not", () => {
    expect(namesAsWords().answer(named).answered).toBe(true);
  });

  test("in a machine translation, capitals are the translator's, not names", () => {
    expect(library().answer(named, { translated: true }).answered).toBe(true);
  });

  test("a question in Title Case names nothing: its filler words stay light", () => {
    expect(namesIn("Can Someone Explain What Exactly The Darien Gap Is?")).toEqual(new Set());
    expect(library().answer("Can Someone Explain What Exactly The Darien Gap Is?").answered).toBe(
      true,
    );
  });
});

describe("misspelt question words", () => {
  const library = libraryOf(files);
  const noSpelling = libraryOf(
    files,
    switchedOff((r) => {
      r.spelling.minLength = Number.POSITIVE_INFINITY;
    }),
  );
  const typed = "how many migrnts were crosing the jungle";

  test("find the words they were meant as", () => {
    const answer = library().answer(typed);
    expect(answer.answered).toBe(true);
    expect(answer.results[0]?.quote).toBe(counting);
  });

  test("without spelling they find nothing", () => {
    expect(noSpelling().answer(typed).answered).toBe(false);
  });

  test("a rarer form of an English word is no slip", () => {
    // Every other word is in this corpus, the word itself is not.
    const corpusHolds = (word: string) => (term: string) => (term === toTerm(word) ? 0 : 1);
    const { spelling } = DEFAULT_RANKING;
    const correct = (word: string) =>
      correction(word, toTerm(word) as string, spelling, corpusHolds(word)).terms;
    expect(correct("expulsions")).toEqual([]);
    expect(correct("crosing")).not.toEqual([]);
  });

  test("a capitalised word after the first is a name, never corrected", () => {
    expect(namesIn("What did Henry Kissinger negotiate in Sinai?")).toEqual(
      new Set(["henry", "kissinger", "sinai"]),
    );
    // The same slip as above, written as a name: no longer a confident answer.
    const confident = (q: string) => {
      const answer = library().answer(q);
      return answer.answered && !answer.uncertain;
    };
    expect(confident("how many migrnts were crosing the jungle")).toBe(true);
    expect(confident("how many migrnts were Crosing the jungle")).toBe(false);
  });

  test("short unknown words are not taken for slips of near words", () => {
    // "daca" is one edit from "data", which this corpus holds.
    const answer = dataLibrary().answer("Where was the daca published?");
    expect(answer.answered).toBe(false);
  });
});

const dataLibrary = libraryOf({
  "data.md": markdown({ title: "Figures" }, "The data on recipients was published on Monday."),
  "other.md": files["other.md"],
});

describe("questions asking for a number or a date", () => {
  const library = libraryOf(files);
  const flat = libraryOf(
    files,
    switchedOff((r) => {
      r.shapeBoost = 1;
    }),
  );

  test("how many: the passage giving the figure comes first", () => {
    const question = "How many migrants crossed the jungle?";
    const answer = library().answer(question);
    expect(answer.results[0]?.quote).toBe(counting);
    // Without the preference, the passage with more of the question's words wins.
    expect(flat().answer(question).results[0]?.quote).toBe(mentioning);
  });

  test("when: the passage giving a date comes first", () => {
    const question = "When do the new border rules apply?";
    expect(library().answer(question).results[0]?.quote).toBe(dating);
    expect(flat().answer(question).results[0]?.quote).toBe(mentioningRules);
  });
});

describe("the highlighted sentence of a quote", () => {
  const report = [
    "Migrants crossing the jungle face floods, thieves and hunger on the way north to the border.",
    "Officials counted 520,000 migrants last year.",
  ].join(" ");
  const library = libraryOf({
    "report.md": markdown({ title: "The crossing" }, report),
    "other.md": files["other.md"],
  });
  const flat = libraryOf(
    { "report.md": markdown({ title: "The crossing" }, report), "other.md": files["other.md"] },
    switchedOff((r) => {
      r.shapeBoost = 1;
    }),
  );

  test("is the one holding the figure a question asks for", () => {
    const question = "How many migrants did officials count crossing the jungle?";
    expect(library().answer(question).results[0]?.highlight).toBe(
      "Officials counted 520,000 migrants last year.",
    );
    expect(flat().answer(question).results[0]?.highlight).toMatch(/^Migrants crossing/u);
  });
});

describe("an answer that only partly matches the question", () => {
  const harvest = {
    "harvest.md": markdown(
      { title: "Harvest report" },
      "Farmers in the valley expect a good harvest of apples and pears after a wet spring.",
    ),
    "rules.md": markdown(
      { title: "Rules" },
      "Employers must register every seasonal worker with the labour office before the harvest begins.",
    ),
  };
  const library = libraryOf(harvest);
  const noBand = libraryOf(
    harvest,
    switchedOff((r) => {
      r.minCoverage = r.confidentCoverage;
    }),
  );
  const partly = "Do farmers in the valley expect a drought?";

  test("is given, marked uncertain", () => {
    const answer = library().answer(partly);
    expect(answer.answered).toBe(true);
    expect(answer.uncertain).toBe(true);
  });

  test("one that matches well is not marked", () => {
    const answer = library().answer("What do farmers in the valley expect from the pear auction?");
    expect(answer.answered).toBe(true);
    expect(answer.uncertain).toBeUndefined();
  });

  test("without the uncertain band it is refused", () => {
    expect(noBand().answer(partly).answered).toBe(false);
  });
});
