import { describe, expect, test } from "vitest";
import { staleNote } from "../../src/replies/freshness.ts";

/** The note under a quote from an old source: when it was published, and that policy may have changed. */

const NOW = new Date("2026-12-07T00:00:00Z");
const source = (published?: string) => ({
  id: "doc",
  title: "Title",
  ...(published ? { published } : {}),
});

describe("a source's staleness note", () => {
  test("a source older than the limit gets it, with its date in words", () => {
    expect(staleNote(source("2022-04-20"), "en", 365, NOW)).toBe(
      "Published 20 Apr 2022 — policy may have changed since",
    );
    expect(staleNote(source("2022-04-20"), "es", 365, NOW)).toMatch(/^Publicado el 20 abr 2022/u);
  });

  test("a source published within the limit, or undated, gets none", () => {
    expect(staleNote(source("2026-06-01"), "en", 365, NOW)).toBeUndefined();
    expect(staleNote(source(), "en", 365, NOW)).toBeUndefined();
  });

  test("the limit is the setting's", () => {
    expect(staleNote(source("2026-06-01"), "en", 30, NOW)).toMatch(/^Published 1 Jun 2026/u);
    expect(staleNote(source("2022-04-20"), "en", 100_000, NOW)).toBeUndefined();
  });

  test("a month without a day is shown as a month", () => {
    expect(staleNote(source("2024-07"), "en", 365, NOW)).toBe(
      "Published Jul 2024 — policy may have changed since",
    );
  });
});
