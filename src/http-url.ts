/**
 * An address as it may be linked: http or https only (Discord refuses any other scheme in an
 * embed, and a link must never run script: javascript:, data:), normalised by the URL parser,
 * which percent-encodes spaces, quotes and angle brackets; null for anything else.
 */
export function httpUrl(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}
