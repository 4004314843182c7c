import { describe, expect, test } from "vitest";
import { answerShape } from "../../src/search/answer-shapes.ts";
import { fold } from "../../src/text/analyzer.ts";

/** Whether the passage text has the shape of the question's answer; null when the question asks for none. */
function answers(question: string, passage: string): boolean | null {
  return answerShape(question)?.passage.test(fold(passage)) ?? null;
}

describe("definitions: what is X, who is X", () => {
  test("each shape of a definition is found, accents and quotes aside", () => {
    expect(answers("What is the Darién Gap?", "who cross the Darien Gap, a jungle")).toBe(true);
    expect(answers("what is the darien gap", "The Darién Gap is a roadless jungle")).toBe(true);
    expect(answers("What is DHS?", "the Department of Homeland Security (DHS) said")).toBe(true);
    expect(answers("What is Title 42?", "the restriction, known as “Title 42”, ends")).toBe(true);
    expect(answers("What is the Northern Triangle?", "the so-called “Northern Triangle“")).toBe(
      true,
    );
    expect(answers("Who is Adrienne Watson?", "Adrienne Watson, the NSC spokesperson")).toBe(true);
    expect(answers("Who's Mulino?", "Mulino (a former security minister) said")).toBe(true);
  });

  test("the question may be framed, emphasised or reported", () => {
    const passage = "The Darién Gap, a roadless jungle";
    expect(answers("Can someone explain what exactly the Darien Gap is?", passage)).toBe(true);
    expect(answers("What exactly is the Darien Gap?", passage)).toBe(true);
    expect(answers("sorry if this is basic, but what is the darien gap", passage)).toBe(true);
    expect(answerShape("What is the US doing to stop the crossings now?")).toBeNull();
  });

  test("a passage that only mentions the subject does not define it", () => {
    expect(answers("What is the Darien Gap?", "migrants crossed the Darien Gap this year")).toBe(
      false,
    );
    expect(answers("What is the Darien Gap?", "the Darien Gapper, a blog")).toBe(false);
    expect(answers("What is DHS?", "DHS said on Friday")).toBe(false);
  });

  test("a subject with regular-expression characters is matched as written", () => {
    expect(answers("What is U.S.C. 1225(b)?", "U.S.C. 1225(b), a section of the law")).toBe(true);
    expect(answers("What is U.S.C. 1225(b)?", "USC 12250b, a section of the law")).toBe(false);
  });

  test("the question's own words all still count", () => {
    expect(answerShape("What is the Darien Gap?")?.measure).toBeUndefined();
  });
});

describe("measures: how long, how far, how big", () => {
  test("a number with a unit is a measure; the measure's word need not be in the passage", () => {
    expect(answers("How long is the Darien Gap?", "a 60-mile stretch of jungle")).toBe(true);
    expect(answers("How far is it?", "about 97 kilometres from the border")).toBe(true);
    expect(answers("How long does the crossing take?", "it takes several days on foot")).toBe(true);
    expect(answerShape("How long is the Darien Gap?")?.measure).toBe("long");
  });

  test("a number without a unit, or a unit without a number, is not", () => {
    expect(answers("How long is the Darien Gap?", "520,000 migrants crossed it")).toBe(false);
    expect(answers("How long is the Darien Gap?", "it took them days")).toBe(false);
    expect(answers("How long is the Darien Gap?", "a 60-milestone plan")).toBe(false);
  });
});

test("questions that ask for no shape in particular get none", () => {
  expect(answerShape("Who pays for the deportation flights?")).toBeNull();
  expect(answerShape("What is the US doing to stop the crossings now?")).toBeNull();
  expect(answerShape("Why did Panama sign?")).toBeNull();
});

describe("quantities: how many, how much, what percentage", () => {
  test("a number, a number word, a share or money answers", () => {
    expect(answers("How many migrants crossed?", "over 520,000 migrants crossed")).toBe(true);
    expect(answers("How many migrants crossed?", "over half a million crossed")).toBe(true);
    expect(answers("how much will it cost", "it will cost $1 billion")).toBe(true);
    expect(answers("What percentage were children?", "about 20 percent were children")).toBe(true);
    expect(answers("What share were children?", "about 20% were children")).toBe(true);
  });

  test("a year alone, or no number, does not", () => {
    expect(answers("How many migrants crossed?", "migrants crossed in 2023")).toBe(false);
    expect(answers("How many migrants crossed?", "many migrants crossed the jungle")).toBe(false);
  });
});

describe("times: when, what year, what day", () => {
  test("a year, a date, a month, a weekday or a relative time answers", () => {
    expect(answers("When did it start?", "it started in 2023")).toBe(true);
    expect(answers("What day does it begin?", "it begins on June 1")).toBe(true);
    expect(answers("when was it signed", "it was signed on Tuesday")).toBe(true);
    expect(answers("What year was it signed?", "signed last year")).toBe(true);
    expect(answers("When was it signed?", "signed on 1 July")).toBe(true);
  });

  test("a modal 'may' or a number that is not a time does not", () => {
    expect(answers("When will it start?", "it may start soon")).toBe(false);
    expect(answers("When will it start?", "it will cost 520,000")).toBe(false);
  });
});
