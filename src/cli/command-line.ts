import { type ParseArgsConfig, parseArgs } from "node:util";

export type Parsed<T extends ParseArgsConfig> = ReturnType<typeof parseArgs<T>>;

/**
 * A tool's command line (default: the process' arguments), parsed strictly, with `-h`/`--help`
 * added, then handed to `read`, which throws an Error for a value it refuses. `--help` prints
 * `usage` and exits 0; an unknown option, a missing value or a refused one prints
 * `<name>: <message>`, a blank line and the usage on stderr and exits 2.
 */
export function commandLine<T extends ParseArgsConfig>(
  name: string,
  usage: string,
  config: T,
): Parsed<T>;
export function commandLine<T extends ParseArgsConfig, R>(
  name: string,
  usage: string,
  config: T,
  read: (parsed: Parsed<T>) => R,
): R;
export function commandLine<T extends ParseArgsConfig, R>(
  name: string,
  usage: string,
  config: T,
  read?: (parsed: Parsed<T>) => R,
): R | Parsed<T> {
  try {
    const parsed = parseArgs({
      ...config,
      args: config.args ?? process.argv.slice(2),
      strict: true,
      options: { ...config.options, help: { type: "boolean", short: "h" } },
    });
    if ((parsed.values as { help?: boolean }).help) {
      process.stdout.write(`${usage}\n`);
      process.exit(0);
    }
    return read ? read(parsed as Parsed<T>) : (parsed as Parsed<T>);
  } catch (error) {
    process.stderr.write(`${name}: ${(error as Error).message}\n\n${usage}\n`);
    process.exit(2);
  }
}
