/** A corpus folder that cannot be used at all, or (caught per file) why one file was skipped. */
export class CorpusError extends Error {}

/** Why a file could not be read or parsed, as one plain line for the skipped list. */
export function reasonOf(error: unknown): string {
  if (error instanceof CorpusError) return error.message;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "ENOENT") return "file disappeared while reading";
  if (code === "EISDIR") return "is a folder";
  return error instanceof Error ? error.message : String(error);
}

export function firstLine(text: string): string {
  return text.split("\n")[0] ?? text;
}

/** "file is 3.1 MB, over the 2.0 MB limit"; in bytes when the two would read the same. */
export function overLimit(size: number, limit: number): string {
  const [shown, most] = [formatBytes(size), formatBytes(limit)];
  if (shown !== most) return `file is ${shown}, over the ${most} limit`;
  const bytes = (n: number) => n.toLocaleString("en-US");
  return `file is ${bytes(size)} bytes, over the ${bytes(limit)}-byte limit`;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.ceil(bytes / 1024)} KB`;
}
