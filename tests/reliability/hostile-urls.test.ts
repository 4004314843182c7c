import type { APIEmbed } from "discord.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { CommandContext } from "../../commands/index.ts";
import { execute as sources } from "../../commands/sources.ts";
import { markdownToHtml } from "../../src/playground/render.ts";
import { markdownLink, renderAnswer } from "../../src/replies/render.ts";
import { Library } from "../../src/search/library.ts";
import { markdown, removeDir, tempDir, writeFiles } from "../fixtures/helpers.ts";

/**
 * Front-matter urls written to break out of a link: only http(s) addresses are kept, and every
 * link put into markdown ("Also in", /sources) stays one link to that address.
 */

const NITRO = "https://evil.example/a) [free nitro](https://evil.example/n";
const HOSTILE: Readonly<Record<string, string>> = {
  "javascript.md": "javascript:alert(document.cookie)",
  "data.md": "data:text/html,<script>alert(1)</script>",
  "mailto.md": "mailto:editor@example.org",
  "space.md": "https://example.org/a page with spaces",
  "nitro.md": NITRO,
};
const BODY = [
  "The interior ministry said on Monday that the new reception centre near the northern border would open in March with room for four hundred people.",
  "Local officials told reporters that the centre would be run by the regional authority and inspected every month by an independent monitor.",
].join("\n\n");
const QUESTION = "When will the new reception centre near the northern border open?";

/** An address as markdownLink writes it: what could close the link percent-encoded. */
const linked = (url: string) =>
  url.replace(/[()[\]]/gu, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The links in markdown as a reader of Discord's markdown sees them (the playground's reader). */
function anchors(text: string): { href: string; label: string }[] {
  return [...markdownToHtml(text).matchAll(/<a href="([^"]*)"[^>]*>(.*?)<\/a>/gu)].map((m) => ({
    href: (m[1] ?? "").replaceAll("&amp;", "&"),
    label: m[2] ?? "",
  }));
}

/** Every markdown link in `text` is `[label](<address>)` with nothing in the address that closes it. */
function expectUnbreakableLinks(text: string): void {
  for (const link of text.matchAll(/\]\((.*?)\)(?=$|[\s·…])/gu)) {
    expect(link[1]).toMatch(/^<[^\s<>()[\]\\`]+>$/u);
  }
  expect(text).not.toMatch(/\[free nitro\]/u);
}

let dir: string;
let library: Library;

beforeAll(async () => {
  dir = await tempDir("answer-bot-urls-");
  await writeFiles(
    dir,
    Object.fromEntries(
      Object.entries(HOSTILE).map(([file, url], i) => [
        file,
        markdown({ title: `Reception centre ${i}`, outlet: `Outlet ${i}`, url }, BODY),
      ]),
    ),
  );
  library = await Library.open(dir);
});

afterAll(() => removeDir(dir));

describe("front-matter url policy", () => {
  test("javascript:, data: and mailto: urls are dropped with a warning naming each file", () => {
    const urls = new Map(library.sources().map((s) => [`${s.id}.md`, s.url]));
    for (const file of ["javascript.md", "data.md", "mailto.md"]) {
      expect(urls.get(file)).toBeUndefined();
    }
    expect(
      library
        .stats()
        .warnings.map((w) => w.file)
        .sort(),
    ).toEqual(["data.md", "javascript.md", "mailto.md"].sort());
    expect(library.stats().skipped).toEqual([]);
  });

  test("a start from the index snapshot warns about the same files, unread", async () => {
    const data = await tempDir("answer-bot-urls-data-");
    try {
      const built = await Library.open(dir, { dataDir: data });
      const restarted = await Library.open(dir, { dataDir: data });
      expect(restarted.origin).toBe("snapshot");
      expect(restarted.stats().warnings).toEqual(built.stats().warnings);
      expect(restarted.stats().warnings).toHaveLength(3);
    } finally {
      await removeDir(data);
    }
  });

  test("http(s) urls are kept as the URL parser writes them", () => {
    const urls = new Map(library.sources().map((s) => [`${s.id}.md`, s.url]));
    expect(urls.get("space.md")).toBe("https://example.org/a%20page%20with%20spaces");
    expect(urls.get("nitro.md")).toBe(new URL(NITRO).href);
  });

  test("an answer's embed links only an http(s) address, and its Also in field is one link per source", () => {
    const answer = library.answer(QUESTION);
    expect(answer.answered).toBe(true);
    const reply = renderAnswer(answer, { k: 3, offset: 0 });
    const embed = reply.embeds?.[0] as APIEmbed;
    if (embed.url) expect(embed.url).toMatch(/^https?:\/\//u);
    const also = embed.fields?.find((f) => f.name === "Also in")?.value ?? "";
    expect(anchors(also).length).toBeGreaterThan(0);
    expectUnbreakableLinks(also);
    // Each other source with an address is one link to exactly it; no other link appears.
    expect(
      anchors(also)
        .map((a) => a.href)
        .sort(),
    ).toEqual(
      (answer.results[0]?.also ?? []).flatMap((s) => (s.url ? [linked(s.url)] : [])).sort(),
    );
  });

  test("/sources shows one link per source with an address, none injected", () => {
    const reply = sources({ library } as unknown as CommandContext);
    const fields = reply.embeds?.[0]?.fields ?? [];
    expect(fields).toHaveLength(5);
    for (const field of fields) expectUnbreakableLinks(field.value);
    const hrefs = fields.flatMap((f) => anchors(f.value).map((a) => a.href)).sort();
    expect(hrefs).toEqual(
      library
        .sources()
        .flatMap((s) => (s.url ? [linked(s.url)] : []))
        .sort(),
    );
    const all = fields.map((f) => f.value).join("\n");
    expect(anchors(all).map((a) => a.label)).toEqual(["link", "link"]);
  });

  test("markdownLink keeps a hostile address inside its link", () => {
    const link = markdownLink("The [Post]", new URL(NITRO).href);
    expect(link).toBe(
      "[The \\[Post\\]](<https://evil.example/a%29%20%5Bfree%20nitro%5D%28https://evil.example/n>)",
    );
    expect(anchors(link)).toEqual([
      {
        href: "https://evil.example/a%29%20%5Bfree%20nitro%5D%28https://evil.example/n",
        label: "The &#91;Post&#93;",
      },
    ]);
  });
});
