import { describe, expect, test } from "vitest";
import type { Library } from "../../src/search/library.ts";
import { DEFAULT_RANKING, type RankingOptions } from "../../src/search/ranking.ts";
import { libraryOf, markdown } from "../fixtures/helpers.ts";

/** Which of several good passages come first: other sources, and newer ones. */

function ranking(change: Partial<RankingOptions>): RankingOptions {
  return { ...structuredClone(DEFAULT_RANKING), ...change };
}

const flights = (n: number) =>
  `The government pays for the removal flights from the border, officials said in briefing number ${n}, adding that the removal flights would continue.`;
const agency =
  "The aid agency budget pays for the removal flights from the border, its director said this week.";

const diverse = {
  "ministry.md": markdown({ title: "Briefings" }, [1, 2, 3, 4].map(flights).join("\n\n")),
  "agency.md": markdown({ title: "Budget" }, agency),
};

describe("an answer whose best passages come from one document", () => {
  const library = libraryOf(diverse);
  const oneSource = libraryOf(diverse, ranking({ sameDocument: 1 }));
  const question = "Who pays for the removal flights from the border?";

  test("shows another document's passage that is nearly as good among the first three", () => {
    const ids = library()
      .answer(question)
      .results.map((r) => r.source.id);
    expect(ids).toContain("agency");
    expect(ids[0]).toBe("ministry");
  });

  test("without the re-rank, the first three come from the one document", () => {
    const ids = oneSource()
      .answer(question)
      .results.map((r) => r.source.id);
    expect(ids).toEqual(["ministry", "ministry", "ministry"]);
  });
});

const rule =
  "Employers must register every seasonal worker with the labour office before the harvest begins.";
const other = markdown(
  { title: "Harvest", published: "2023-01-01" },
  "Farmers expect a good harvest of apples this year.",
);
// The same passage in two documents, the older first or second among the files: their
// scores tie, so which is quoted (the other is cited beside it) is the ranking's choice.
const older = markdown({ title: "Rules", published: "2021-03-01" }, rule);
const newer = markdown({ title: "Rules", published: "2024-03-01" }, rule);
const olderFirst = { "a.md": older, "b.md": newer, "c.md": other };
const newerFirst = { "a.md": newer, "b.md": older, "c.md": other };

describe("two passages that answer about equally", () => {
  const question = "When must employers register seasonal workers with the labour office?";
  const quoted = (library: () => Library) =>
    library().answer(question).results[0]?.source.published;
  const libraries = [libraryOf(olderFirst), libraryOf(newerFirst)];
  const timeless = [
    libraryOf(olderFirst, ranking({ recency: 0 })),
    libraryOf(newerFirst, ranking({ recency: 0 })),
  ];

  test("the newer is quoted, whichever file comes first", () => {
    expect(libraries.map(quoted)).toEqual(["2024-03-01", "2024-03-01"]);
  });

  test("without the preference, the older is quoted from one of them", () => {
    expect(timeless.map(quoted)).toContain("2021-03-01");
  });
});

describe("a passage far weaker than the best", () => {
  const files = {
    "permits.md": markdown(
      { title: "Permits" },
      [
        "Seasonal work permits for fruit pickers are issued by the regional labour office within ten days.",
        "Fruit prices at the regional market fell again this week, traders said, after a warm spring brought an early harvest across the valley.",
      ].join("\n\n"),
    ),
  };
  const question = "Who issues seasonal work permits for fruit pickers?";
  const library = libraryOf(files);
  const everyMatch = libraryOf(files, ranking({ minRelativeScore: 0 }));
  const quoted = (library: () => Library) =>
    library()
      .answer(question)
      .results.map((r) => r.quote);

  test("is not shown beside a passage that answers the question", () => {
    expect(quoted(library)).toEqual([expect.stringContaining("fruit pickers")]);
  });

  test("is shown when no share of the best score is required", () => {
    expect(quoted(everyMatch)).toHaveLength(2);
  });
});

// Each pair of passages holds every question word once; the first is shorter, which BM25
// prefers, and holds them further apart.
describe.each([
  {
    closeness: "side by side",
    off: { pairs: 0 },
    question: "Who runs the night shelter?",
    apart: "The shelter opens each night; volunteers run it.",
    close: "Volunteers from the parish run the night shelter beside the old station.",
  },
  {
    closeness: "in one sentence",
    off: { sentence: 0 },
    question: "Who cooks meals at the shelter?",
    apart: "Meals arrive late. The shelter is full by eight. Volunteers cook.",
    close:
      "At the shelter, volunteers from the parish cook hot meals for anyone who comes in from the cold each night.",
  },
])("passages holding the question's words apart or $closeness", (c) => {
  const files = {
    "apart.md": markdown({ title: "Week" }, c.apart),
    "close.md": markdown({ title: "Parish" }, c.close),
  };
  const first = (library: () => Library) => library().answer(c.question).results[0]?.source.id;
  const library = libraryOf(files);
  const without = libraryOf(
    files,
    ranking({ proximity: { ...DEFAULT_RANKING.proximity, ...c.off } }),
  );

  test(`the one holding them ${c.closeness} comes first`, () => {
    expect(first(library)).toBe("close");
  });

  test(`without that factor (${Object.keys(c.off)[0]} 0), the shorter one comes first`, () => {
    expect(first(without)).toBe("apart");
  });
});

describe("a passage that goes on from the one before it", () => {
  // The answer names the plan only in the paragraph before; the other document names its
  // words in passing without answering.
  const files = {
    "council.md": markdown(
      { title: "Council minutes" },
      [
        "The city council approved the Riverside Shelter Plan on Monday evening after a long and heated debate.",
        "Under it, volunteers from three churches will open forty beds every night from the first week of December.",
      ].join("\n\n"),
    ),
    "park.md": markdown(
      { title: "Parks" },
      "The Riverside park plan adds benches, lamps and trees near the bus shelter on the corner of Main Street.",
    ),
  };
  const question = "How many beds will the Riverside Shelter Plan open every night?";
  const top = (library: () => Library) => library().answer(question).results[0]?.quote ?? "";
  const library = libraryOf(files);
  const alone = libraryOf(files, ranking({ context: { coverage: 0, radius: 2 } }));

  test("is read with its neighbour's words and answers first", () => {
    expect(top(library)).toMatch(/forty beds/u);
  });

  test("read alone, it comes after passages that only name the plan", () => {
    expect(top(alone)).not.toMatch(/forty beds/u);
  });
});
