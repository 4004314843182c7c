import { stem } from "porter2";
import { describe, expect, test } from "vitest";
import { Analyzer, acronymsIn, fold, terms, tokenize, toTerm } from "../../src/text/analyzer.ts";

/** The single index term of one word (fails the test if the word gives none or several). */
function termOf(word: string): string {
  const out = terms(word);
  expect(out, `terms of "${word}"`).toHaveLength(1);
  return out[0] as string;
}

describe("fold() and tokenize()", () => {
  test("diacritics and case are folded: Darién = Darien = DARIEN", () => {
    expect(fold("Darién")).toBe("darien");
    expect(fold("DARIÉN")).toBe("darien");
    expect(terms("Darién Gap")).toEqual(terms("darien GAP"));
    expect(terms("José Raúl Mulino")).toEqual(terms("Jose Raul Mulino"));
  });

  test("U.S., US and us are one term", () => {
    const us = termOf("U.S.");
    expect(termOf("US")).toBe(us);
    expect(termOf("us")).toBe(us);
    expect(tokenize("U.S.-bound migrants")).toEqual(["us", "bound", "migrants"]);
  });

  test("other dotted abbreviations are joined too: L.A. = LA", () => {
    expect(tokenize("the L.A. Declaration")).toEqual(tokenize("the LA Declaration"));
  });

  test("numbers stay whole: 520,000 = 520000, 2023 is kept as is", () => {
    expect(tokenize("over 520,000 migrants")).toEqual(["over", "520000", "migrants"]);
    expect(termOf("520,000")).toBe(termOf("520000"));
    expect(terms("in 2023")).toEqual(["2023"]);
    expect(tokenize("1,234,567 and 3.5")).toEqual(["1234567", "and", "3.5"]);
  });

  test("possessives and apostrophes are dropped, straight or curly", () => {
    expect(tokenize("Panama's Panama’s don't")).toEqual(["panama", "panama", "dont"]);
  });

  test("punctuation and symbols are not tokens", () => {
    expect(tokenize("— “ ” ... | > « » ! ?")).toEqual([]);
  });
});

describe("terms() and toTerm()", () => {
  test("stop words are dropped", () => {
    expect(terms("What is the number of the")).toEqual(terms("number"));
    expect(terms("Why did they say that, according to whom?")).toEqual([]);
    expect(toTerm("the")).toBeNull();
    expect(toTerm("")).toBeNull();
  });

  test("Porter2 stems join inflections: deported = deportation = deport = deporting", () => {
    const deport = termOf("deport");
    for (const word of ["deported", "deportation", "deporting", "deports", "Deportations"]) {
      expect(termOf(word), word).toBe(deport);
    }
    expect(termOf("migrants")).toBe(termOf("migrant"));
  });

  test("irregular forms join their base form: paid = pay, fled = flee, children = child", () => {
    expect(termOf("paid")).toBe(termOf("pay"));
    expect(termOf("fled")).toBe(termOf("flee"));
    expect(termOf("sent")).toBe(termOf("send"));
    expect(termOf("children")).toBe(termOf("child"));
  });

  test("words that are names of Object.prototype members are ordinary words", () => {
    expect(terms("constructor")).toEqual([stem("constructor")]);
    expect(terms("the constructor of the wall")).toEqual([stem("constructor"), stem("wall")]);
    for (const word of ["constructor", "__proto__", "hasOwnProperty", "toString", "valueOf"]) {
      for (const term of terms(word)) expect(typeof term, word).toBe("string");
    }
  });
});

describe("Analyzer.query()", () => {
  test("gives the distinct meaningful terms of a question, in order", () => {
    const query = new Analyzer().query("Who paid for the deportation flights? Who deported them?");
    expect(query.map((q) => q.term)).toEqual(terms("pay deportation flights"));
    expect(query.every((q) => q.alternatives.length === 0)).toBe(true);
  });

  test("a question of stop words only has no terms", () => {
    expect(new Analyzer().query("What is it that they are?")).toEqual([]);
    expect(new Analyzer().query("")).toEqual([]);
  });

  test("synonym groups give each member the others as alternatives, by stem", () => {
    const analyzer = new Analyzer([["deport", "removal", "repatriate"]]);
    const [deported] = analyzer.query("deported");
    expect(deported?.term).toBe(termOf("deport"));
    expect(deported?.alternatives).toEqual(
      expect.arrayContaining([terms("removal"), terms("repatriate")]),
    );
    expect(deported?.alternatives).not.toContainEqual(terms("deport"));
    const [removed] = analyzer.query("removals");
    expect(removed?.alternatives).toContainEqual(terms("deport"));
  });

  test("multi-word synonyms are alternatives of all their words", () => {
    const analyzer = new Analyzer([
      ["migrant", "asylum seeker", "border crosser"],
      ["us", "united states"],
    ]);
    const [migrants] = analyzer.query("migrants");
    expect(migrants?.alternatives).toEqual(
      expect.arrayContaining([terms("asylum seeker"), terms("border crosser")]),
    );
    expect(terms("asylum seeker")).toHaveLength(2);
    const [us] = analyzer.query("U.S.");
    expect(us?.alternatives).toContainEqual(terms("united states"));
  });

  test("a synonym phrase in a question gives each of its words the phrase's group mates", () => {
    const analyzer = new Analyzer([["migrant", "asylum seeker", "border crosser"]]);
    const query = analyzer.query("Where do asylum seekers sleep?");
    for (const word of terms("asylum seeker")) {
      expect(query.find((q) => q.term === word)?.alternatives).toEqual([
        terms("migrant"),
        terms("border crosser"),
      ]);
    }
    // The words apart are not the phrase.
    expect(analyzer.query("seekers of asylum").every((q) => q.alternatives.length === 0)).toBe(
      true,
    );
  });

  test("phrases found in a question count once each, in the order of their groups", () => {
    const analyzer = new Analyzer([
      ["cbp", "customs and border protection"],
      ["ice", "immigration and customs enforcement"],
    ]);
    const query = analyzer.query(
      "immigration and customs enforcement, customs and border protection, and customs and border protection again",
    );
    expect(query.find((q) => q.term === termOf("customs"))?.alternatives).toEqual([
      terms("cbp"),
      terms("ice"),
    ]);
    expect(query.find((q) => q.term === termOf("border"))?.alternatives).toEqual([terms("cbp")]);
  });

  test("words outside every group have no alternatives", () => {
    const analyzer = new Analyzer([["deport", "removal"]]);
    expect(analyzer.query("Panama")).toEqual([{ term: termOf("Panama"), alternatives: [] }]);
  });
});

describe("acronymsIn()", () => {
  test("National Security Council gives nsc", () => {
    expect(acronymsIn("National Security Council").get("nsc")).toEqual(
      terms("National Security Council"),
    );
  });

  test("U.S. Citizenship and Immigration Services gives uscis", () => {
    expect(acronymsIn("U.S. Citizenship and Immigration Services").get("uscis")).toEqual(
      terms("U.S. Citizenship and Immigration Services"),
    );
  });

  test("finds names inside sentences, without a sentence-initial article", () => {
    const found = acronymsIn(
      "The National Security Council spokesperson Adrienne Watson said in a statement.",
    );
    expect(found.get("nsc")).toEqual(terms("National Security Council"));
    expect(found.has("tnsc")).toBe(false);
  });

  test("two-word names and lowercase text give no acronym", () => {
    expect(acronymsIn("Adrienne Watson said the national security council met.").size).toBe(0);
  });

  test("a name wraps onto the next line but never runs on past a blank line", () => {
    const found = acronymsIn(
      "Deportation Flights From Panama\n\nThe National Security Council said U.S. Citizenship and\nImmigration Services will help.",
    );
    expect(found.get("nsc")).toEqual(terms("National Security Council"));
    expect(found.get("dffp")).toEqual(terms("Deportation Flights From Panama"));
    expect(found.get("uscis")).toEqual(terms("U.S. Citizenship and Immigration Services"));
  });

  test("two names joined by 'and' each give their own acronym", () => {
    const found = acronymsIn(
      "personnel from U.S. Citizenship and Immigration Services and Immigration and Customs Enforcement will train officials",
    );
    expect(found.get("uscis")).toEqual(terms("U.S. Citizenship and Immigration Services"));
    expect(found.get("ice")).toEqual(terms("Immigration and Customs Enforcement"));
  });
});
