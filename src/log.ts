/**
 * One-line logs on stderr, at LOG_LEVEL and above. Secrets registered with `redact`
 * are replaced wherever they appear, so a token can never reach a log line, and control
 * characters are escaped (see `printable`), so nothing logged can break a line in two.
 */

export type Level = "debug" | "info" | "warn" | "error" | "silent";
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

let threshold: Level = "info";
const secrets = new Set<string>();

export function setLogLevel(level: Level): void {
  threshold = level;
}

export function redact(secret: string): void {
  if (secret.length >= 8) secrets.add(secret);
}

/** The text with every registered secret replaced. */
export function scrub(text: string): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join("[redacted]");
  return out;
}

// Control characters (Cc): C0 (line breaks and ESC among them), DEL and C1.
const CONTROL = /\p{Cc}/gu;
const NAMED: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * The text with every control character written as an escape (\n, \x1b, \x9b): a file name
 * or a document's text printed to a log, a terminal or a reply cannot forge a line or send
 * a terminal escape sequence.
 */
export function printable(text: string): string {
  return text.replace(
    CONTROL,
    (c) => NAMED[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
}

function describe(detail: unknown): string {
  if (detail instanceof Error) return detail.stack ?? `${detail.name}: ${detail.message}`;
  if (typeof detail === "string") return detail;
  try {
    return JSON.stringify(detail);
  } catch {
    return String(detail);
  }
}

function write(level: Level, message: string, detail?: unknown): void {
  if (ORDER[level] < ORDER[threshold]) return;
  const tail = detail === undefined ? "" : ` ${describe(detail)}`;
  process.stderr.write(
    `${new Date().toISOString()} ${level} ${printable(scrub(message + tail))}\n`,
  );
}

export const log = {
  debug: (message: string, detail?: unknown) => write("debug", message, detail),
  info: (message: string, detail?: unknown) => write("info", message, detail),
  warn: (message: string, detail?: unknown) => write("warn", message, detail),
  error: (message: string, detail?: unknown) => write("error", message, detail),
};
