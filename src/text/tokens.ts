/**
 * The text stages every pipeline may use: folding or lowercasing the text, then cutting it
 * into tokens. Dotted abbreviations are joined (U.S. = US), numbers kept whole
 * (520,000 = 520000), possessives and apostrophes dropped.
 */

// A dotted abbreviation such as U.S., L.A. or U.N.H.C.R.
const DOTTED_ABBREVIATION = /\b(?:\p{L}\.){2,}/gu;
// Numbers with thousands separators or decimals stay one token; words may hold digits and apostrophes.
const TOKEN = /\p{N}+(?:[.,]\p{N}+)*|\p{L}[\p{L}\p{N}'’]*/gu;
// The same two patterns for lowercase ASCII text, which V8 matches two to three times faster
// than Unicode property classes: most of a corpus is plain ASCII, and indexing is tokenizing.
const ASCII_DOTTED_ABBREVIATION = /\b(?:[a-z]\.){2,}/g;
const ASCII_TOKEN = /[0-9]+(?:[.,][0-9]+)*|[a-z][a-z0-9'’]*/g;
// Typographic quotes, dashes and spaces are not letters or digits either way: text whose only
// non-ASCII characters are these still takes the ASCII patterns.
const NEEDS_UNICODE = /[^\p{ASCII}\u00a0‘’“”–—…]/u;

const NON_ASCII = /[\u0080-\u{10FFFF}]/u;

/** Lowercase and strip diacritics, so "Darién" and "darien" are one term. */
export function fold(text: string): string {
  // Plain ASCII has nothing to decompose: skipping normalize() is most of indexing English text.
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  return foldUnicode(text);
}

function foldUnicode(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase();
}

/** Text stage: `fold` for text about to be tokenized (typographic punctuation left as it is). */
export function foldText(text: string): string {
  return NEEDS_UNICODE.test(text) ? foldUnicode(text) : text.toLowerCase();
}

/** Text stage: lowercase with diacritics kept, composed (NFC), for stemmers that read them. */
export function lowercaseText(text: string): string {
  return NEEDS_UNICODE.test(text) ? text.normalize("NFC").toLowerCase() : text.toLowerCase();
}

/** Splits lowercase text into tokens (before stop words and stemming). */
export function tokenize(text: string): string[] {
  const ascii = !NEEDS_UNICODE.test(text);
  const joined = text.includes(".")
    ? text.replace(ascii ? ASCII_DOTTED_ABBREVIATION : DOTTED_ABBREVIATION, (m) =>
        m.replaceAll(".", ""),
      )
    : text;
  const tokens = joined.match(ascii ? ASCII_TOKEN : TOKEN) ?? [];
  for (let i = 0; i < tokens.length; i++) tokens[i] = normalizeToken(tokens[i] as string);
  return tokens;
}

// Tokenizing is the hot path of indexing: the checks below avoid regular expressions for plain words.
function normalizeToken(token: string): string {
  if (startsWithDigit(token))
    return token.includes(",") ? token.replaceAll(/,(?=\p{N}{3})/gu, "") : token;
  if (!token.includes("'") && !token.includes("’")) return token;
  return token.replace(/['’]s$/u, "").replaceAll(/['’]/gu, "");
}

/** Whether a token is a number, which every pipeline keeps as it is. */
export function startsWithDigit(token: string): boolean {
  const first = token.charCodeAt(0);
  return first < 128 ? first >= 48 && first <= 57 : /^\p{N}/u.test(token);
}
