/**
 * Hostile questions for the reliability tests and the stress script: empty and blank
 * text, 6,000-character walls, emoji and right-to-left text, zero-width and control
 * characters, Discord mentions, markdown and code fences, regex metacharacters,
 * SQL/shell/template injections and lone UTF-16 surrogates, mixed with corpus words.
 */
import fc from "fast-check";

export const LONG_QUESTION_CHARS = 6000;

const WHITESPACE = [" ", "\t", "\n", "\r", "\r\n", "\v", "\f", "\u00a0", "\u2003", "\u3000"];
const INVISIBLE = [
  "\u200b", // zero-width space
  "\u200c",
  "\u200d",
  "\u2060",
  "\ufeff",
  "\u00ad", // soft hyphen
  "\u034f",
  "\u2028", // line and paragraph separators
  "\u2029",
  "\u0085",
  "\u202e", // right-to-left override and isolates
  "\u2066",
  "\u2067",
  "\u2069",
  "\u200f",
];
const CONTROL = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).concat("\u007f");
const EMOJI_AND_SCRIPTS = [
  "👍",
  "👨‍👩‍👧‍👦",
  "🏳️‍🌈",
  "👍🏽",
  "🇵🇦",
  "🧑🏿‍🚀",
  "e\u0301\u0301\u0301", // stacked combining marks
  "Z̷̢̛͔a̸͙̓l̵̡̈g̶̣̓o̷̥͝",
  "مهاجرون في بنما",
  "הגירה לפנמה",
  "\u202eامينب\u202c deportation",
  "移民政策",
  "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
  "Ｆｕｌｌｗｉｄｔｈ",
];
const MENTIONS = [
  "@everyone",
  "@here",
  "<@&123456789012345678>",
  "<@123>",
  "<@!123456789012345678>",
  "<#123456789012345678>",
  "</ask:123456789012345678>",
  "<t:0:R>",
  "<:pepe:123456789012345678>",
  "<a:wave:123456789012345678>",
  "@\u200beveryone",
];
const MARKDOWN = [
  "**bold**",
  "__underline__",
  "~~strike~~",
  "||spoiler||",
  "`code`",
  "```js\nprocess.exit(1)\n```",
  "```",
  "> quote",
  ">>> block",
  "# heading",
  "-# subtext",
  "[click](https://example.com)",
  "[](<javascript:alert(1)>)",
  "\\",
  "*",
  "_",
  "- item",
  "1. item",
];
const REGEX = [
  ".*",
  "(a+)+$",
  "[^]",
  "\\b",
  "(?<x>y)",
  "$&",
  "$1",
  "^$",
  "{1,}",
  "|",
  "\\u{1F600}",
];
const INJECTION = [
  "'; DROP TABLE users; --",
  '" OR 1=1 --',
  "$(rm -rf /)",
  "`id`",
  "| cat /etc/passwd",
  "&& shutdown -h now",
  "%s%s%s%n",
  "{{7*7}}",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template injection, on purpose
  "${process.exit()}",
  "<script>alert(1)</script>",
  "../../etc/passwd",
  "\u0000",
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "NaN",
  "undefined",
  "null",
];
const SURROGATES = ["\ud800", "\udfff", "\udbff", "\udc00", "a\ud83dz", "\ude00\ud83d"];
const WORDS = [
  "Who",
  "pays",
  "for",
  "the",
  "deportation",
  "flights",
  "from",
  "Panama",
  "Darién",
  "U.S.",
  "migrants",
  "520,000",
  "?",
  "reload",
];

const fragment = fc.oneof(
  fc.constantFrom(...WHITESPACE),
  fc.constantFrom(...INVISIBLE),
  fc.constantFrom(...CONTROL),
  fc.constantFrom(...EMOJI_AND_SCRIPTS),
  fc.constantFrom(...MENTIONS),
  fc.constantFrom(...MARKDOWN),
  fc.constantFrom(...REGEX),
  fc.constantFrom(...INJECTION),
  fc.constantFrom(...SURROGATES),
  fc.constantFrom(...WORDS),
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.string({ unit: "grapheme", maxLength: 12 }),
);

const mixed = fc.array(fragment, { maxLength: 24 }).map((parts) => parts.join(""));
const spaced = fc.array(fragment, { maxLength: 24 }).map((parts) => parts.join(" "));

/** Fills LONG_QUESTION_CHARS characters by repeating a piece; the cut may split a surrogate pair. */
const wall = fc
  .oneof(mixed, fc.constantFrom(...WORDS, ...EMOJI_AND_SCRIPTS, ...MENTIONS))
  .filter((piece) => piece.length > 0)
  .map((piece) => piece.repeat(Math.ceil(LONG_QUESTION_CHARS / piece.length)))
  .map((text) => text.slice(0, LONG_QUESTION_CHARS));

/** Any hostile question; about one in twenty is a 6,000-character wall. */
export function hostileQuestion(): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constant(""), weight: 1 },
    {
      arbitrary: fc.array(fc.constantFrom(...WHITESPACE, ...INVISIBLE)).map((a) => a.join("")),
      weight: 2,
    },
    { arbitrary: wall, weight: 1 },
    { arbitrary: mixed, weight: 8 },
    { arbitrary: spaced, weight: 8 },
  );
}

/** `count` hostile questions, the same ones for the same seed. */
export function hostileQuestions(count: number, seed = 20240701): string[] {
  return fc.sample(hostileQuestion(), { numRuns: count, seed });
}

/** Lone UTF-16 surrogates: Discord stores UTF-8, which cannot carry them. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Every string in a JSON value that holds a lone surrogate (empty when none does). */
export function illFormedStrings(value: unknown, path = "$"): string[] {
  if (typeof value === "string") return LONE_SURROGATE.test(value) ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => illFormedStrings(v, `${path}[${i}]`));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => illFormedStrings(v, `${path}.${k}`));
  }
  return [];
}
