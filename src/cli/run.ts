/**
 * Runs a command-line tool's `main` on the process' arguments: what it resolves to is the exit
 * code; what it throws is one line on stderr, `<name>: <message>`, and exit code 1.
 */
export function runMain(name: string, main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${name}: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
