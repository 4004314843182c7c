import { describe, expect, test } from "vitest";
import { publishedDate } from "../../src/corpus/dates.ts";
import { libraryOf, markdown } from "../fixtures/helpers.ts";

/** The publication date read from a page's text when its front matter gives none. */

const TODAY = new Date("2026-01-01T00:00:00Z");
const read = (text: string) => publishedDate(text, TODAY);

describe("a page's publication date", () => {
  test.each([
    ["a labelled line", "Headline\nPublished July 1, 2024\nText", "2024-07-01"],
    [
      "a byline with an update time",
      "Headline\nBy Jane Doe | Updated 3:00 PM EDT, Mon July 1, 2024\nText",
      "2024-07-01",
    ],
    ["an ISO timestamp", "Headline\nPublished: 2024-07-01T10:00:00Z\nText", "2024-07-01"],
    [
      "a date line under the headline",
      "Headline\nNovember 20, 2023 / 8:00 AM EST\nText",
      "2023-11-20",
    ],
    ["a day before the month", "Headline\n1 July 2024\nText", "2024-07-01"],
    ["a dateline", "Headline\nWASHINGTON, April 15, 2022 (Reuters) — Text", "2022-04-15"],
    [
      "published rather than updated",
      "Headline\nUpdated July 3, 2024\nPublished July 1, 2024\n",
      "2024-07-01",
    ],
  ])("is read from %s", (_, text, date) => {
    expect(read(text)).toBe(date);
  });

  test.each([
    [
      "a mirror's own view date",
      "Headline\nlotradecoin daily market trends View Date:2024-12-25 16:09:20\nText",
    ],
    ["a bare Date: label", "Headline\nDate:2025-04-10 10:19:56\nText"],
    ["two different date lines", "Headline\nJuly 1, 2024\nMarch 3, 2023\nText"],
    ["a date in the future", "Headline\nPublished July 1, 2099\nText"],
    ["a date that does not exist", "Headline\nPublished February 30, 2024\nText"],
    ["a dateline without a year", "WASHINGTON, April 15 (Reuters) – Text"],
    ["a date inside a sentence", "Headline\nThe talks began on July 1, 2024 in Panama.\nText"],
    [
      "a date far below the top",
      `Headline\n${"A line of the article.\n".repeat(20)}Published July 1, 2024\n`,
    ],
  ])("is not taken from %s", (_, text) => {
    expect(read(text)).toBeUndefined();
  });
});

describe("the citation's date", () => {
  const library = libraryOf({
    "dated.md":
      "Border talks resume\nPublished July 1, 2024\nOfficials from both countries met on Monday to discuss the border crossings.\n",
    "front.md": markdown(
      { title: "Talks", published: "2023-11-20" },
      "Published July 1, 2024\nOfficials from both countries met on Monday to discuss the border.\n",
    ),
    "month.md": markdown(
      { title: "Talks in July", published: "2024-07" },
      "Officials from both countries met in July to discuss the border crossings.\n",
    ),
  });
  const published = (id: string) =>
    library().documents.find((d) => d.source.id === id)?.source.published;

  test("comes from the page's text when the front matter gives none", () => {
    expect(published("dated")).toBe("2024-07-01");
  });

  test("comes from the front matter when it gives one, a month where the day is not known", () => {
    expect(published("front")).toBe("2023-11-20");
    expect(published("month")).toBe("2024-07");
  });
});
