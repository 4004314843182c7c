import {
  hasFileName,
  isShouting,
  LIST_MARKER,
  type LineShapes,
  SEPARATORS,
  TIMESTAMP,
} from "./line-shape.ts";

/**
 * A scraped page's headline, and the spam glued to it in menus and title lines.
 */

const HEAD_LINES = 12;
// "Brand:Headline": a label glued to the headline with no space after the colon.
const GLUED_LABEL = /^([^:]{3,40}):(?=\p{Lu})/u;

/**
 * The page's headline, among the headline-shaped lines above the first paragraph: the
 * longest one that a menu or title line repeats, else the longest (menus and bylines are short).
 */
export function findHeadline(lines: readonly string[], shapes: LineShapes): string | undefined {
  const firstProse = lines.findIndex((line) => shapes.isProse(line));
  const top = lines.slice(0, firstProse < 0 ? HEAD_LINES : Math.min(firstProse, HEAD_LINES));
  const candidates = top.filter(
    (line) =>
      !TIMESTAMP.test(line) &&
      !hasFileName(line) &&
      !isShouting(line) &&
      !LIST_MARKER.test(line) &&
      shapes.shape(line).words.length >= 3,
  );
  // A headline repeated in a menu or title line is the surest sign; repeats inside prose prove nothing.
  const repeated = candidates
    .filter((line) => top.filter((other) => shapes.containsFolded(other, line)).length > 1)
    .sort((a, b) => b.length - a.length)[0];
  const longest = candidates
    .filter((line) => !SEPARATORS.test(line))
    .sort((a, b) => shapes.shape(b).words.length - shapes.shape(a).words.length)[0];
  const found = repeated ?? longest;
  return found === undefined ? undefined : found.replace(GLUED_LABEL, "").trim();
}

/**
 * Spam brands glued to the headline in menus and title lines ("Brand:Headline",
 * "Headline-Brand"): text touching the headline with no space around the joint. The
 * same brands are often glued into the dateline too, so they are cut from every line.
 * A headline followed by " | Outlet" is a normal title line, not spam.
 */
export function gluedFragments(
  lines: readonly string[],
  headline: string,
  shapes: LineShapes,
): string[] {
  const fragments = new Set<string>();
  for (const line of lines) {
    const at = line.toLowerCase().indexOf(headline.toLowerCase());
    if (at < 0 || line.length === headline.length || shapes.isProse(line)) continue;
    const before = line.slice(0, at);
    const after = line.slice(at + headline.length);
    const gluedBefore = /\S$/u.test(before) ? /[^|>»]*$/u.exec(before)?.[0] : undefined;
    const gluedAfter = /^\s?[-–—:|]\S/u.test(after) ? /^[^|>»]*/u.exec(after)?.[0] : undefined;
    for (const part of [gluedBefore, gluedAfter]) {
      const fragment = (part ?? "").replace(/^[\s:\-–—|]+|[\s:\-–—|]+$/gu, "");
      if (fragment.split(/\s+/u).length >= 2) fragments.add(fragment);
    }
  }
  return [...fragments];
}

/** A line with the glued fragments cut out and its punctuation and spaces tidied. */
export function removeFragments(line: string, fragments: readonly string[]): string {
  const hit = fragments.filter((fragment) => line.includes(fragment));
  if (hit.length === 0) return line;
  const out = hit.reduce((text, fragment) => text.split(fragment).join(" "), line);
  return out
    .replace(/\s+([,.;:])/gu, "$1")
    .replace(/([,;])(?=\p{L})/gu, "$1 ")
    .replace(/\s{2,}/gu, " ")
    .trim();
}
