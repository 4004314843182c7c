import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, symlink, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { documentId } from "../../src/corpus/documents.ts";
import { CorpusError } from "../../src/corpus/file-errors.ts";
import { splitFrontMatter } from "../../src/corpus/front-matter.ts";
import {
  type CorpusDocument,
  type LoadedCorpus,
  loadCorpus,
  MAX_FILE_BYTES,
} from "../../src/corpus/load.ts";
import { FIXTURE_CORPUS, markdown, removeDir, tempDir, writeFiles } from "../fixtures/helpers.ts";

const PROSE = [
  "The government said on Tuesday that it would open two new reception centres near the northern border before the end of the year.",
  "Officials told reporters that the centres would hold up to 800 people while their asylum claims are examined by the national migration office.",
];
const BODY = PROSE.join("\n\n");

const GOOD_MD = markdown(
  {
    title: "Government to open two reception centres",
    outlet: "Northern Herald",
    author: "Ana Ruiz",
    published: "2024-07-01",
    url: "https://example.org/herald/reception-centres",
    language: "en",
  },
  BODY,
);
const PLAIN_TXT = `Border agency hires two hundred new officers\n\n${BODY}\n`;
const SCRAPED_TXT = readFileSync(join(FIXTURE_CORPUS, "ministry-seasonal-workers.txt"), "utf8");
const GOOD_SYNONYMS = "- [deport, remove, return]\n- [ migrant , asylum seeker ]\n";

describe("loadCorpus() on a folder of good and bad files", () => {
  let dir: string;
  let corpus: LoadedCorpus;
  const doc = (file: string): CorpusDocument | undefined =>
    corpus.documents.find((d) => d.file === file);
  const reason = (file: string): string | undefined =>
    corpus.skipped.find((s) => s.file === file)?.reason;

  beforeAll(async () => {
    dir = await tempDir();
    await writeFiles(dir, {
      "good.md": GOOD_MD,
      "plain.txt": PLAIN_TXT,
      "scraped-press-release.txt": SCRAPED_TXT,
      "SHOUTING.MD": markdown({ title: "Upper-case extension" }, BODY),
      "bom-crlf.md": `\uFEFF${markdown({ title: "Windows file" }, BODY).replaceAll("\n", "\r\n")}`,
      "bad-yaml.md": `---\ntitle: [unclosed\noutlet: x\n---\n${BODY}\n`,
      "bad-date.md": markdown({ title: "Bad date", published: "not a date" }, BODY),
      "bad-url.md": markdown({ title: "Bad url", url: "example dot org" }, BODY),
      "typo-field.md": markdown({ titel: "Typo in a field name" }, BODY),
      "binary.md": Buffer.concat([
        Buffer.from("PK\u0003\u0004"),
        Buffer.alloc(64),
        Buffer.from(BODY),
      ]),
      "empty.md": "",
      "latin1.txt": Buffer.from(`Caf\xe9 owners say ${BODY}`, "latin1"),
      "junk-only.md": "Home | News | Contact\nShares (12)\nMORE STORIES\n- Ten tips for winter\n",
      "notes.pdf": "%PDF-1.4 not a corpus document",
      "photo.png": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00]),
      README: "A file without an extension is not a document.",
      ".draft.md": markdown({ title: "Hidden draft" }, BODY),
      "synonyms.yaml": GOOD_SYNONYMS,
    });
    await mkdir(join(dir, "folder.md"));
    const huge = join(dir, "huge.md");
    await writeFile(huge, "");
    await truncate(huge, MAX_FILE_BYTES + 1);
    corpus = await loadCorpus(dir);
  });

  afterAll(() => removeDir(dir));

  test("loads exactly the good documents, and those whose only fault is their url", () => {
    expect(corpus.documents.map((d) => d.file).sort()).toEqual(
      [
        "SHOUTING.MD",
        "bad-url.md",
        "bom-crlf.md",
        "good.md",
        "plain.txt",
        "scraped-press-release.txt",
      ].sort(),
    );
  });

  test("front matter gives the citation; the id comes from the file name", () => {
    const good = doc("good.md");
    expect(good?.source).toEqual({
      id: documentId("good.md"),
      title: "Government to open two reception centres",
      outlet: "Northern Herald",
      author: "Ana Ruiz",
      published: "2024-07-01",
      url: "https://example.org/herald/reception-centres",
      language: "en",
    });
  });

  test("the text is the cleaned body, without the front matter", () => {
    const text = doc("good.md")?.text ?? "";
    for (const sentence of PROSE) expect(text).toContain(sentence);
    expect(text).not.toContain("---");
    expect(text).not.toContain("Northern Herald");
  });

  test("the hash is the SHA-256 of the file's bytes", () => {
    expect(doc("good.md")?.hash).toBe(createHash("sha256").update(GOOD_MD).digest("hex"));
  });

  test("a .txt without front matter takes its first meaningful line as title, nothing else", () => {
    expect(doc("plain.txt")?.source).toEqual({
      id: documentId("plain.txt"),
      title: "Border agency hires two hundred new officers",
    });
    for (const sentence of PROSE) expect(doc("plain.txt")?.text).toContain(sentence);
  });

  test("a scraped .txt starting with a skip link and a menu takes its headline as title", () => {
    expect(doc("scraped-press-release.txt")?.source.title).toBe(
      "New rules for seasonal farm workers take effect in April",
    );
  });

  test("a byte-order mark and CRLF line ends do not hide the front matter", () => {
    expect(doc("bom-crlf.md")?.source.title).toBe("Windows file");
    expect(doc("bom-crlf.md")?.text).toContain(PROSE[0]);
  });

  test("upper-case extensions count", () => {
    expect(doc("SHOUTING.MD")?.source.title).toBe("Upper-case extension");
  });

  test("bad YAML is reported as such", () => {
    expect(reason("bad-yaml.md")).toMatch(/^bad YAML front matter/u);
  });

  test("an invalid field is reported by name", () => {
    expect(reason("bad-date.md")).toMatch(/"published".*ISO date/u);
  });

  test("a url that is no address loads the file without it, with a warning naming the file", () => {
    expect(doc("bad-url.md")?.source.url).toBeUndefined();
    expect(corpus.warnings).toEqual([
      { file: "bad-url.md", reason: "url dropped: not an http or https address" },
    ]);
  });

  test("an unknown field (a typo) is reported by name", () => {
    expect(reason("typo-field.md")).toMatch(/titel/u);
  });

  test("a binary file is reported as binary", () => {
    expect(reason("binary.md")).toMatch(/binary/u);
  });

  test("an empty file is reported as empty", () => {
    expect(reason("empty.md")).toMatch(/empty/u);
  });

  test("a file that is not UTF-8 is reported as such", () => {
    expect(reason("latin1.txt")).toMatch(/UTF-8/u);
  });

  test("a file one byte over MAX_FILE_BYTES is reported in bytes, where MB would read the same", () => {
    expect(reason("huge.md")).toBe("file is 2,097,153 bytes, over the 2,097,152-byte limit");
  });

  test("a file with nothing left after cleaning is reported", () => {
    expect(reason("junk-only.md")).toMatch(/no article text/u);
  });

  test("other extensions and hidden files are ignored, not reported", () => {
    const mentioned = [
      ...corpus.documents.map((d) => d.file),
      ...corpus.skipped.map((s) => s.file),
    ];
    for (const name of ["notes.pdf", "photo.png", "README", ".draft.md"]) {
      expect(mentioned).not.toContain(name);
    }
  });

  test("every skipped file is named once, with a reason", () => {
    const files = corpus.skipped.map((s) => s.file);
    expect(new Set(files).size).toBe(files.length);
    expect(files.sort()).toEqual(
      [
        "bad-date.md",
        "bad-yaml.md",
        "folder.md",
        "binary.md",
        "empty.md",
        "huge.md",
        "junk-only.md",
        "latin1.txt",
        "typo-field.md",
      ].sort(),
    );
    for (const skip of corpus.skipped) expect(skip.reason.length).toBeGreaterThan(5);
  });

  test("synonyms.yaml is read as trimmed groups", () => {
    expect(corpus.synonyms).toEqual([
      ["deport", "remove", "return"],
      ["migrant", "asylum seeker"],
    ]);
  });
});

describe("loadCorpus() edge cases", () => {
  const dirs: string[] = [];
  const folder = async (files: Record<string, string>) => {
    const dir = await tempDir();
    dirs.push(dir);
    await writeFiles(dir, files);
    return dir;
  };
  afterAll(() => Promise.all(dirs.map(removeDir)));

  test.each([
    ["javascript:", "javascript:alert(document.cookie)"],
    ["data:", "data:text/html,<script>alert(1)</script>"],
    ["mailto:", "mailto:editor@example.org"],
    ["with a space in the host", "https://evil .example/a"],
    ["without a scheme", "www.example.org/page"],
  ])(
    "a url %s is dropped with a warning naming the file; the document loads",
    async (_name, url) => {
      const dir = await folder({ "hostile.md": markdown({ title: "Hostile url", url }, BODY) });
      const corpus = await loadCorpus(dir);
      expect(corpus.documents.map((d) => d.source)).toEqual([
        { id: "hostile", title: "Hostile url" },
      ]);
      expect(corpus.skipped).toEqual([]);
      expect(corpus.warnings).toEqual([
        { file: "hostile.md", reason: "url dropped: not an http or https address" },
      ]);
    },
  );

  test.each([
    ["a space in the path", "https://example.org/a b", "https://example.org/a%20b"],
    [
      "markdown that would close a link",
      "https://evil.example/a) [free nitro](https://evil.example/n",
      "https://evil.example/a)%20[free%20nitro](https://evil.example/n",
    ],
    ["upper case and a default port", "HTTPS://Example.ORG:443/x", "https://example.org/x"],
    ["angle brackets and quotes", 'http://example.org/<b>"q"', "http://example.org/%3Cb%3E%22q%22"],
  ])("an http(s) url with %s is kept in its normalised form", async (_name, url, href) => {
    const dir = await folder({ "page.md": markdown({ title: "Page", url }, BODY) });
    const corpus = await loadCorpus(dir);
    expect(corpus.documents[0]?.source.url).toBe(href);
    expect(corpus.warnings).toEqual([]);
  });

  test("symbolic links, named pipes and folders are named as skipped, with the reason", async () => {
    const dir = await folder({ "good.md": GOOD_MD });
    await symlink(join(dir, "good.md"), join(dir, "link.md"));
    await symlink("/etc", join(dir, "outside"));
    execFileSync("mkfifo", [join(dir, "pipe.md")]);
    await mkdir(join(dir, "archive"));
    const corpus = await loadCorpus(dir);
    expect(corpus.documents.map((d) => d.file)).toEqual(["good.md"]);
    expect(corpus.skipped).toEqual([
      { file: "archive", reason: "folder, not read (documents go directly in the corpus folder)" },
      { file: "link.md", reason: "symbolic link, not followed" },
      { file: "outside", reason: "symbolic link, not followed" },
      { file: "pipe.md", reason: "named pipe, not a regular file" },
    ]);
  });

  test("a file well over MAX_FILE_BYTES is reported in MB", async () => {
    const dir = await folder({});
    await writeFile(join(dir, "dump.md"), "");
    await truncate(join(dir, "dump.md"), 3 * MAX_FILE_BYTES);
    const corpus = await loadCorpus(dir);
    expect(corpus.skipped).toEqual([
      { file: "dump.md", reason: "file is 6.0 MB, over the 2.0 MB limit" },
    ]);
  });

  test("a synonyms.yaml that is not a list of groups is reported, and the documents still load", async () => {
    const dir = await folder({ "good.md": GOOD_MD, "synonyms.yaml": "- [lonely]\n- deport\n" });
    const corpus = await loadCorpus(dir);
    expect(corpus.documents).toHaveLength(1);
    expect(corpus.synonyms).toEqual([]);
    expect(corpus.skipped).toEqual([
      { file: "synonyms.yaml", reason: expect.stringMatching(/list of groups/u) },
    ]);
  });

  test("a synonyms.yaml with broken YAML is reported", async () => {
    const dir = await folder({ "good.md": GOOD_MD, "synonyms.yaml": "- [deport, remove\n" });
    const corpus = await loadCorpus(dir);
    expect(corpus.synonyms).toEqual([]);
    expect(corpus.skipped.map((s) => s.file)).toEqual(["synonyms.yaml"]);
  });

  test("a published date that is not an ISO date is rejected like any invalid date", async () => {
    const dir = await folder({
      "loose-date.md": markdown({ title: "Loose date", published: "June 4" }, BODY),
      "us-date.md": markdown({ title: "US date", published: "12/25/2024" }, BODY),
    });
    const corpus = await loadCorpus(dir);
    expect(corpus.documents.map((d) => d.source.published)).toEqual([]);
    expect(corpus.skipped.map((s) => s.file).sort()).toEqual(["loose-date.md", "us-date.md"]);
    for (const skip of corpus.skipped) expect(skip.reason).toMatch(/"published"/u);
  });

  test("no synonyms.yaml means no synonyms and nothing skipped", async () => {
    const corpus = await loadCorpus(await folder({ "good.md": GOOD_MD }));
    expect(corpus.synonyms).toEqual([]);
    expect(corpus.skipped).toEqual([]);
  });

  test("an empty folder loads as an empty corpus", async () => {
    expect(await loadCorpus(await folder({}))).toMatchObject({
      documents: [],
      skipped: [],
      synonyms: [],
    });
  });

  test("files whose names give the same id get distinct ids", async () => {
    const dir = await folder({
      "report.md": GOOD_MD,
      "report.txt": PLAIN_TXT,
      "Report!.md": GOOD_MD,
    });
    const ids = (await loadCorpus(dir)).documents.map((d) => d.source.id);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
  });

  test("a missing folder is a CorpusError naming the path", async () => {
    const missing = join(await folder({}), "no-such-corpus");
    const error = await loadCorpus(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorpusError);
    expect((error as Error).message).toContain(missing);
  });

  test("a file given as the folder is a CorpusError naming the path", async () => {
    const file = join(await folder({ "good.md": GOOD_MD }), "good.md");
    const error = await loadCorpus(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorpusError);
    expect((error as Error).message).toContain(file);
  });
});

describe("splitFrontMatter()", () => {
  test("separates front matter from the body", () => {
    const { front, body } = splitFrontMatter(GOOD_MD);
    expect(front.title).toBe("Government to open two reception centres");
    expect(body.trim()).toBe(BODY);
  });

  test("text without front matter is all body", () => {
    expect(splitFrontMatter(PLAIN_TXT)).toEqual({ front: {}, body: PLAIN_TXT });
  });

  test("a horizontal rule later in the text is not front matter", () => {
    const text = `Headline of the page\n---\nnot: yaml\n---\n${BODY}`;
    expect(splitFrontMatter(text)).toEqual({ front: {}, body: text });
  });

  test("errors are CorpusErrors", () => {
    expect(() => splitFrontMatter("---\ntitle: [x\n---\nbody")).toThrow(CorpusError);
    expect(() => splitFrontMatter('---\npublished: "soon"\n---\nbody')).toThrow(CorpusError);
  });
});

describe("documentId()", () => {
  const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/u;

  test("slugs the file name without its extension", () => {
    expect(documentId("Darién Gap Report (final).md")).toBe("darien-gap-report-final");
    expect(documentId("cbs-us-panama-deportation-agreement.md")).toBe(
      "cbs-us-panama-deportation-agreement",
    );
  });

  test("long names are cut to 48 characters with a hash, so they stay distinct", () => {
    const a = `${"very-long-file-name-about-migration-policy-".repeat(3)}part-one.md`;
    const b = `${"very-long-file-name-about-migration-policy-".repeat(3)}part-two.md`;
    expect(documentId(a).length).toBeLessThanOrEqual(48);
    expect(documentId(a)).toMatch(SLUG);
    expect(documentId(a)).not.toBe(documentId(b));
  });

  test("a name with no Latin letters or digits still gives a clean slug", () => {
    for (const name of ["مهاجرون.md", "移民政策.txt", "!!!.md"]) {
      expect(documentId(name), name).toMatch(SLUG);
    }
  });

  test("any file name gives a stable slug of at most 48 characters", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", minLength: 1, maxLength: 120 }),
        fc.constantFrom(".md", ".txt", ".MD"),
        (name, ext) => {
          const id = documentId(`${name}${ext}`);
          return id === documentId(`${name}${ext}`) && id.length <= 48 && SLUG.test(id);
        },
      ),
      { numRuns: 300 },
    );
  });
});
