import { describe, expect, test } from "vitest";
import { fold } from "../../src/search/analyzer.ts";
import { definitionOf } from "../../src/search/definitions.ts";

/** Whether the passage text says what the question's subject is. */
function defines(question: string, passage: string): boolean | null {
  return definitionOf(question)?.test(fold(passage)) ?? null;
}

describe("definitionOf", () => {
  test("finds each shape of a definition, accents and quotes aside", () => {
    expect(defines("What is the Darién Gap?", "who cross the Darien Gap, a jungle")).toBe(true);
    expect(defines("what is the darien gap", "The Darién Gap is a roadless jungle")).toBe(true);
    expect(defines("What is DHS?", "the Department of Homeland Security (DHS) said")).toBe(true);
    expect(defines("What is Title 42?", "the restriction, known as “Title 42”, ends")).toBe(true);
    expect(defines("What is the Northern Triangle?", "the so-called “Northern Triangle“")).toBe(
      true,
    );
    expect(defines("Who is Adrienne Watson?", "Adrienne Watson, the NSC spokesperson")).toBe(true);
    expect(defines("Who's Mulino?", "Mulino (a former security minister) said")).toBe(true);
  });

  test("a passage that only mentions the subject does not define it", () => {
    expect(defines("What is the Darien Gap?", "migrants crossed the Darien Gap this year")).toBe(
      false,
    );
    expect(defines("What is the Darien Gap?", "the Darien Gapper, a blog")).toBe(false);
    expect(defines("What is DHS?", "DHS said on Friday")).toBe(false);
  });

  test("questions that ask no definition get none", () => {
    expect(definitionOf("Who pays for the deportation flights?")).toBeNull();
    expect(definitionOf("What is the US doing to stop the crossings now?")).toBeNull();
  });

  test("a subject with regular-expression characters is matched as written", () => {
    expect(defines("What is U.S.C. 1225(b)?", "U.S.C. 1225(b), a section of the law")).toBe(true);
    expect(defines("What is U.S.C. 1225(b)?", "USC 12250b, a section of the law")).toBe(false);
  });
});
