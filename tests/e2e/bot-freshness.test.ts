import { afterEach, describe, expect, it } from "vitest";
import { markdown } from "../fixtures/helpers.ts";
import { ask, closeHarnesses, startHarness } from "../support/bot-harness.ts";

/** What an answer says about itself: a source's age, and a partial match. */

afterEach(closeHarnesses);

const corpus = {
  "harvest.md": markdown(
    { title: "Harvest report", outlet: "Valley News", published: "2020-01-15" },
    "Farmers in the valley expect a good harvest of apples and pears after a wet spring.",
  ),
  "rules.md": markdown(
    { title: "Rules", outlet: "Labour Office" },
    "Employers must register every seasonal worker with the labour office before the harvest begins.",
  ),
};
const STALE = "Published 15 Jan 2020 — policy may have changed since";

describe("/ask on the loopback Discord", () => {
  it("a quote from a source older than STALE_AFTER_DAYS carries the note in its footer; an undated one none", async () => {
    const { server } = await startHarness({ corpus });
    const reply = await ask(server, {
      question: "What harvest do farmers in the valley expect?",
    }).reply();
    expect(reply.embeds[0].footer.text).toContain("Valley News");
    expect(reply.embeds[0].footer.text).toContain(STALE);
    const undated = await ask(server, {
      question: "When must employers register seasonal workers?",
    }).reply();
    expect(undated.embeds[0].footer.text).not.toContain("policy may have changed");
  });

  it("with a longer STALE_AFTER_DAYS the same quote carries no note", async () => {
    const { server } = await startHarness({ corpus, env: { STALE_AFTER_DAYS: "36500" } });
    const reply = await ask(server, {
      question: "What harvest do farmers in the valley expect?",
    }).reply();
    expect(reply.embeds[0].footer.text).not.toContain("policy may have changed");
  });

  it("an answer that only partly matches says so under the question", async () => {
    const { server } = await startHarness({ corpus });
    const partly = await ask(server, {
      question: "Do farmers in the valley expect a drought?",
    }).reply();
    expect(partly.content.split("\n")[1]).toMatch(/only partly match your question/u);
    const well = await ask(server, {
      question: "What harvest do farmers in the valley expect?",
    }).reply();
    expect(well.content).not.toMatch(/only partly match/u);
  });
});
