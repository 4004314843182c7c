import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { clean, commonLines } from "../../src/corpus/clean.ts";
import { lineKey } from "../../src/corpus/line-shape.ts";
import { PAGES } from "../fixtures/helpers.ts";

const page = (name: string) => readFileSync(join(PAGES, name), "utf8");

/**
 * tests/fixtures/pages/spam-news-page.txt: a news page scraped the way the seed corpus was
 * (breadcrumb, repeated headline with a spam brand glued on, share counter, timestamp,
 * image file name, an ALL-CAPS widget and a "Related" list of unrelated headlines).
 */
const SPAM_PAGE = page("spam-news-page.txt");
const SPAM_HEADLINE = "UN refugee agency warns of funding gap as Mediterranean crossings rise";
const SPAM_ARTICLE = [
  // The dateline had "Vexorin Coin" glued into it; the place name and the sentence stay.
  "Geneva, Switzerland — The United Nations refugee agency said on Friday that it had received less than a third of the money it needs this year to help people crossing the central Mediterranean.",
  "More than 12,000 people reached Italy by sea in the first six weeks of the year, according to figures published by the Italian interior ministry, compared with about 9,000 in the same period last year.",
  "The agency's special envoy for the central Mediterranean, Vincent Cochetel, told reporters in Geneva that reception centres on the island of Lampedusa were operating at twice their capacity.",
  "“We are seeing families with very young children arriving in boats that should never have left the shore,” Cochetel said.",
  "Officials in Rome have asked other members of the European Union to take in some of the new arrivals, but only two governments have so far agreed to do so.",
  "The U.S. State Department said in a statement that it would announce new contributions to the agency's appeal at a donor conference in Brussels next month.",
];
const SPAM_JUNK = [
  "Vexorin", // spam brand glued to the headline and into the dateline
  "Lumora", // spam brand glued after the headline
  "Home >", // breadcrumb
  "World >",
  "Shares (1234)",
  "2025-02-14",
  ".jpg",
  "MORE FROM WORLD NEWS",
  "Related",
  "Celebrity chef",
  "Ten tips",
  "housing market", // sentence-shaped headline ending in "?" inside the list, no bullet
  "moving back in with their parents", // sentence-shaped, with a "- " bullet
  "Stock futures",
  "breakfast recipes",
  "dog rescued",
  "Quarterback",
];

/**
 * tests/fixtures/pages/government-press-release.txt: a different site shape with nothing in
 * common with the seed pages: a <title>-style "Headline | Agency" line, skip link, site name,
 * pipe menu, "Posted on" line, tags, share buttons one per line, a feedback widget and footer.
 */
const GOV_PAGE = page("government-press-release.txt");
const GOV_HEADLINE = "New rules for seasonal farm workers take effect in April";
const GOV_ARTICLE = [
  "The Ministry of the Interior announced on Saturday that new rules for seasonal farm workers will take effect on 1 April 2025.",
  "Under the new rules, employers must register each seasonal worker with the regional labour office before the first day of work, and must provide housing that meets the national building code.",
  "Workers recruited under the scheme will be allowed to change employer once during a season without losing their permit, a change that unions had sought for several years.",
  '"Seasonal workers bring in our harvest, and they deserve the same protection as everyone else who works on our farms," the Minister of the Interior said.',
  "The ministry said 42,000 seasonal permits would be available this year, most of them for fruit and vegetable harvests in the south.",
];
// The cookie banner ("We use cookies to make this website work ...") is a well-formed English
// sentence: by general signals alone it cannot be told from article prose, and prose repeated
// across documents is kept on purpose (wire copy). It is allowed to survive, so it is neither
// listed here nor among the article sentences.
const GOV_JUNK = [
  "Skip to main content",
  "| Ministry of the Interior",
  "Home |",
  "Publications",
  "Press release",
  "Posted on",
  "09:00",
  "Tags:",
  "Share this",
  "Facebook",
  "LinkedIn",
  "Was this page helpful",
  "Last updated",
  "Contact us",
  "Accessibility",
];

function expectKeepsAll(text: string, sentences: readonly string[]): void {
  const missing = sentences.filter((sentence) => !text.includes(sentence));
  expect(missing, `article sentences missing from:\n${text}`).toEqual([]);
}

function expectDropsAll(text: string, junk: readonly string[]): void {
  const leaked = junk.filter((marker) => text.includes(marker));
  expect(leaked, `junk left in:\n${text}`).toEqual([]);
}

describe("clean() on a scraped news page with spam and widgets", () => {
  test("keeps every article sentence, the glued dateline repaired", () => {
    expectKeepsAll(clean(SPAM_PAGE).text, SPAM_ARTICLE);
    expectKeepsAll(clean(SPAM_PAGE, { title: SPAM_HEADLINE }).text, SPAM_ARTICLE);
  });

  test("drops breadcrumb, spam brands, counters, timestamps, file names, widgets and the related list", () => {
    expectDropsAll(clean(SPAM_PAGE).text, SPAM_JUNK);
    expectDropsAll(clean(SPAM_PAGE, { title: SPAM_HEADLINE }).text, SPAM_JUNK);
  });

  test("keeps nothing but the article: every kept paragraph is one of its sentences", () => {
    const paragraphs = clean(SPAM_PAGE).text.split("\n\n");
    expect(paragraphs.filter((p) => !SPAM_ARTICLE.includes(p))).toEqual([]);
  });

  test("without a title the headline is found, with the glued spam brand stripped", () => {
    expect(clean(SPAM_PAGE).headline).toBe(SPAM_HEADLINE);
  });

  test("with a title, every line duplicating the headline is dropped", () => {
    const result = clean(SPAM_PAGE, { title: SPAM_HEADLINE });
    expect(result.headline).toBe(SPAM_HEADLINE);
    expect(result.text).not.toContain("warns of funding gap");
  });

  test("a sentence-shaped headline that ends the page's related list is dropped too", () => {
    const article = SPAM_ARTICLE.slice(1, 4);
    const raw = [
      SPAM_HEADLINE,
      ...article,
      "Related",
      "- Celebrity chef opens third restaurant in downtown Miami",
      "- Ten tips for a better night of sleep this winter",
      "Is the housing market finally about to cool down for first-time buyers in the big cities?",
    ].join("\n");
    const { text } = clean(raw);
    expectKeepsAll(text, article);
    expect(text).not.toContain("housing market");
  });

  test("a short one-sentence paragraph between article paragraphs is kept", () => {
    const short = "The ministry declined to comment.";
    const raw = [SPAM_HEADLINE, SPAM_ARTICLE[1], short, SPAM_ARTICLE[2]].join("\n");
    expectKeepsAll(clean(raw).text, [SPAM_ARTICLE[1] as string, short, SPAM_ARTICLE[2] as string]);
  });
});

describe("clean() on a government press release (no boilerplate shared with the seed pages)", () => {
  test("keeps every article sentence verbatim when the title is known", () => {
    expectKeepsAll(clean(GOV_PAGE, { title: GOV_HEADLINE }).text, GOV_ARTICLE);
  });

  test("keeps every article sentence verbatim without a title", () => {
    expectKeepsAll(clean(GOV_PAGE).text, GOV_ARTICLE);
  });

  test("drops the skip link, menus, posted-on line, tags, share buttons, feedback widget and footer", () => {
    expectDropsAll(clean(GOV_PAGE, { title: GOV_HEADLINE }).text, GOV_JUNK);
    expectDropsAll(clean(GOV_PAGE).text, GOV_JUNK);
  });

  test("without a title the headline is the page's headline, not the site name", () => {
    expect(clean(GOV_PAGE).headline).toBe(GOV_HEADLINE);
  });

  test("an outlet named after the headline's separator is not cut out of article sentences", () => {
    const raw = [
      "Court blocks transfer of asylum seekers | Harbour Daily",
      "Court blocks transfer of asylum seekers",
      "A judge told the Harbour Daily on Monday that the transfers would stay suspended until the appeal is heard.",
      "The government said it would appeal the decision to the supreme court before the end of the month.",
    ].join("\n");
    const { text } = clean(raw, { title: "Court blocks transfer of asylum seekers" });
    expect(text).toContain(
      "A judge told the Harbour Daily on Monday that the transfers would stay suspended until the appeal is heard.",
    );
  });

  test("an article sentence that quotes the title is kept whole", () => {
    const title = "Seasonal permit scheme";
    const sentence =
      "The seasonal permit scheme was first tried in 2019 and has been extended twice since then.";
    const raw = [
      title,
      "Officials in the capital said on Monday that the number of permits would rise again next year.",
      sentence,
      "Unions welcomed the change but said inspections on farms were still far too rare.",
    ].join("\n");
    expectKeepsAll(clean(raw, { title }).text, [sentence]);
  });
});

describe("commonLines() and clean({ common })", () => {
  const footer = "Contact us | Privacy | Accessibility";
  const promo =
    "Sign up for the Border Report newsletter to get the latest news on migration in your inbox";
  const wire =
    "Under the five-year agreement, Italy will pay for and run two centres in northern Albania that can hold up to 3,000 men.";
  const ownA =
    "A court in Rome on Friday ordered the release of twelve men who had been taken to a centre in Albania.";
  const ownB =
    "The first group of men rescued at sea arrived at an Italian-run centre in northern Albania on Wednesday.";
  const ownC =
    "The interior ministry said that a second group of men would be brought to the centres within a week.";
  const docA = ["Rome court orders release of men", ownA, promo, wire, footer].join("\n");
  const docB = ["Italy opens centres in Albania", ownB, promo, wire, footer].join("\n");
  const docC = ["Second transfer planned", ownC, footer.toUpperCase().replaceAll("|", "·")].join(
    "\n",
  );

  test("flags folded lines present in at least two documents, and only those", () => {
    const common = commonLines([docA, docB, docC]);
    expect(common.has(lineKey(footer))).toBe(true);
    expect(common.has(lineKey(promo))).toBe(true);
    expect(common.has(lineKey(wire))).toBe(true);
    expect(common.has(lineKey(ownA))).toBe(false);
    expect(common.has(lineKey(ownC))).toBe(false);
  });

  test("compares lines folded: case, diacritics and punctuation do not matter", () => {
    expect(lineKey("CONTACT US · PRIVACY")).toBe(lineKey("Contact us | privacy"));
    expect(commonLines(["Política de privacidad", "POLITICA DE PRIVACIDAD!"]).size).toBe(1);
  });

  test("a line repeated inside one document is not common", () => {
    expect(commonLines([`${footer}\n${footer}`, ownA]).size).toBe(0);
  });

  test("minDocuments raises the bar", () => {
    const common = commonLines([docA, docB, docC], 3);
    expect(common.has(lineKey(footer))).toBe(true);
    expect(common.has(lineKey(promo))).toBe(false);
  });

  test("drops a repeated caption-like line that is kept when it is not repeated", () => {
    const common = commonLines([docA, docB, docC]);
    expect(clean(docA).text).toContain(promo);
    expect(clean(docA, { common }).text).not.toContain(promo);
  });

  test("keeps prose even when it is repeated across documents (wire copy)", () => {
    const common = commonLines([docA, docB, docC]);
    for (const doc of [docA, docB]) {
      const { text } = clean(doc, { common });
      expect(text).toContain(wire);
      expect(text).not.toContain(footer);
    }
  });
});

describe("clean() basics", () => {
  test("empty and whitespace-only input give empty text", () => {
    expect(clean("").text).toBe("");
    expect(clean(" \n\t\r\n ").text).toBe("");
  });

  test("kept paragraphs are separated by one blank line, whatever the line endings", () => {
    const raw = ["\uFEFFHeadline for a short test page", ...SPAM_ARTICLE.slice(1, 3)].join("\r\n");
    expect(clean(raw).text).toBe(SPAM_ARTICLE.slice(1, 3).join("\n\n"));
  });
});

describe("clean() on reference-work paragraphs", () => {
  // Paragraphs as an encyclopedia prints them: a reference mark after the last sentence, a
  // formula cut away after a colon, a list of names with few function words, and a sentence
  // whose formula was cut (kept because it stands beside prose).
  const REFERENCE_PARAGRAPHS = [
    "The agency was founded in 1950 to help people displaced by the war. It later took on refugees from every continent and now works in over a hundred countries.[citation needed]",
    "Asylum claims are decided under the same convention in every member state.:19-1",
    "Officials used a simple rule to estimate how many people a reception centre could house in a given month:",
    "Past directors include Sadako Ogata, Ruud Lubbers and António Guterres. Regional envoys have included Vincent Cochetel. Advisers include Kofi Annan, Louise Arbour and Mary Robinson.",
    "The office counts arrivals by month and reports the total as a share of capacity, which is",
  ];

  test("keeps prose that ends in a reference mark, a colon before a formula, or holds several sentences", () => {
    const raw = ["A short page about refugee agencies", ...REFERENCE_PARAGRAPHS].join("\n");
    expect(clean(raw).text.split("\n\n")).toEqual(REFERENCE_PARAGRAPHS);
  });

  test("a menu or a headline with a colon is still not prose", () => {
    const raw = [
      "Follow us on:",
      "Home News World Politics Opinion:",
      ...SPAM_ARTICLE.slice(0, 2),
    ].join("\n");
    expect(clean(raw).text).toBe(SPAM_ARTICLE.slice(0, 2).join("\n\n"));
  });
});
