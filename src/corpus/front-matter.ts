import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { httpUrl } from "../http-url.ts";
import { CorpusError, firstLine, reasonOf } from "./file-errors.ts";

/** A month, for a page whose day of publication is not known. */
const YEAR_MONTH = /^\d{4}-(?:0[1-9]|1[0-2])$/u;

const frontMatterSchema = z
  .object({
    title: z.string().trim().min(1).optional(),
    outlet: z.string().trim().min(1).optional(),
    author: z.string().trim().min(1).optional(),
    published: z
      .union([z.string(), z.date()])
      .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v.trim()))
      .pipe(
        z.union([z.iso.date(), z.iso.datetime({ offset: true }), z.string().regex(YEAR_MONTH)], {
          error: "must be an ISO date such as 2024-07-01 (or 2024-07 when the day is not known)",
        }),
      )
      .optional(),
    url: z.string().trim().optional(),
    language: z.string().trim().min(2).optional(),
  })
  .strict();

/** The citation fields a document file may declare in its YAML front matter. */
export type FrontMatter = z.infer<typeof frontMatterSchema>;

const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/u;

export interface FrontMatterSplit {
  front: FrontMatter;
  body: string;
  /** What was dropped from the front matter, and why. */
  warnings?: string[];
}

/**
 * Separates optional YAML front matter from the body, validating the citation fields. A
 * url that is not http(s) is dropped with a warning: the document is still worth quoting.
 */
export function splitFrontMatter(text: string): FrontMatterSplit {
  const match = FRONT_MATTER.exec(text);
  if (!match) return { front: {}, body: text };
  let data: unknown;
  try {
    data = parseYaml(match[1] as string) ?? {};
  } catch (error) {
    throw new CorpusError(`bad YAML front matter: ${firstLine(reasonOf(error))}`);
  }
  const result = frontMatterSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.join(".") || "front matter";
    throw new CorpusError(`bad front matter field "${field}": ${issue?.message ?? "invalid"}`);
  }
  const body = text.slice(match[0].length);
  const { url, ...front } = result.data;
  if (url === undefined) return { front, body };
  const href = httpUrl(url);
  if (href) return { front: { ...front, url: href }, body };
  return { front, body, warnings: [`url dropped: not an http or https address`] };
}
