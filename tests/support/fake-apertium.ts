import { chmod, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "../../src/text/translate.ts";

/**
 * Fake translators in a temp folder, speaking Apertium's null-flush protocol (one
 * "\0"-terminated text in, one out), for the failure modes a real one can show. Each
 * records its starts in `<name>.starts` beside it.
 */
const FAKES: Record<string, string> = {
  // Upper-cases each text and marks its first word unknown, as Apertium marks words with *.
  upper: `while IFS= read -r -d '' text; do printf '*%s\\0' "$(printf '%s' "$text" | tr a-z A-Z)"; done`,
  slow: `while IFS= read -r -d '' text; do sleep 5; printf '%s\\0' "$text"; done`,
  crashing: "read -r -d '' text; exit 3",
  // Crashes on its first text, then (started again) works.
  "crash-once": `if [ ! -e "$0.crashed" ]; then touch "$0.crashed"; exit 3; fi
while IFS= read -r -d '' text; do printf 'ok %s\\0' "$text"; done`,
  garbage: `while IFS= read -r -d '' text; do printf '\\001\\002\\377\\376\\0'; done`,
  // Answers with more texts than it was sent: out of step with its requests.
  chatty: `while IFS= read -r -d '' text; do printf 'one\\0two\\0'; done`,
};

export type FakeName = keyof typeof FAKES;

/** Writes the fakes into `dir`; the result gives the command that runs one. */
export async function writeFakeTranslators(dir: string): Promise<(name: FakeName) => Command> {
  for (const [name, script] of Object.entries(FAKES)) {
    await writeFile(join(dir, name), `echo started >> "$0.starts"\n${script}\n`);
    await chmod(join(dir, name), 0o755);
  }
  return (name) => ({ command: "bash", args: [join(dir, name)] });
}
