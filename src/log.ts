import pino from "pino";

/**
 * The log, on stderr, at LOG_LEVEL and above: one line per entry, as text
 * (`time level message detail`) or, with LOG_FORMAT=json, one JSON object (pino). Secrets
 * registered with `redact` are replaced wherever they appear, so a token can never reach a
 * log line. A detail is an Error (its stack; `err` in JSON), a string, or an object of
 * fields (`key=value` in text; properties in JSON).
 * Control characters are escaped in text lines (see `printable`), so nothing logged can
 * break a line in two; JSON escapes them itself.
 */

export type Level = "debug" | "info" | "warn" | "error" | "silent";
export type Format = "text" | "json";
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

let threshold: Level = "info";
let format: Format = "text";
const secrets = new Set<string>();

export function setLogLevel(level: Level): void {
  threshold = level;
}

export function setLogFormat(next: Format): void {
  format = next;
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

// Written through process.stderr.write (not a file descriptor of its own) so that a line is
// out before the process exits and follows stderr wherever it is redirected.
const json = pino(
  {
    level: "debug",
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  },
  { write: (line: string) => process.stderr.write(scrub(line)) },
);

type Fields = Record<string, unknown>;

function isFields(detail: unknown): detail is Fields {
  return typeof detail === "object" && detail !== null && !(detail instanceof Error);
}

function describe(detail: unknown): string {
  if (detail instanceof Error) return detail.stack ?? `${detail.name}: ${detail.message}`;
  if (isFields(detail)) {
    return Object.entries(detail)
      .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
      .join(" ");
  }
  return String(detail);
}

function write(level: Exclude<Level, "silent">, message: string, detail?: unknown): void {
  if (ORDER[level] < ORDER[threshold]) return;
  if (format === "json") {
    if (detail === undefined) json[level](message);
    else if (detail instanceof Error) json[level]({ err: detail }, message);
    else json[level](isFields(detail) ? detail : { detail: String(detail) }, message);
    return;
  }
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
