import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from "node:child_process";
import { accessSync, constants, readFileSync, realpathSync } from "node:fs";
import { delimiter, dirname, isAbsolute, join, resolve } from "node:path";

/**
 * Machine translation with Apertium, kept out of the answer's hot path: one long-lived
 * child process per direction, fed one text at a time in Apertium's null-flush mode (each
 * text ends with "\0", and so does its translation). Translations are cached (bounded LRU)
 * and time out; a translator that times out, crashes or answers nonsense is restarted on
 * the next request, and meanwhile `translate` resolves to undefined, never throws.
 */

export type Direction = "spa-eng" | "eng-spa";
/** A whole translation, or the dictionary lookup alone: every translation of every word. */
export type Stage = "translation" | "lookup";

export interface Command {
  command: string;
  args: string[];
}

export interface TranslatorOptions {
  /** How long one translation may take before it counts as failed (default 2000 ms). */
  timeoutMs?: number;
  /** How many translations to remember (default 500; 0 remembers none). */
  cacheSize?: number;
  /** What the process's raw output means: plain text by default. */
  read?: (raw: string, text: string) => string | undefined;
}

const DEFAULT_TIMEOUT_MS = 2000;
const DEFAULT_CACHE_SIZE = 500;
// A translation is a few words longer or shorter than its text; far longer is not one.
const MAX_GROWTH = 4;
// Characters with a meaning in Apertium's stream format; a backslash makes them literal.
const STREAM_SPECIAL = /[\\[\]^$/@<>{}#*]/gu;
// Apertium marks words it does not know (*), cannot generate (#) or has no translation for (@).
const UNKNOWN_MARK = /(^|[^\\\p{L}\p{N}])[*#@](?=[\p{L}\p{N}])/gu;
const ESCAPED = /\\(.)/gu;
// Control characters other than whitespace never occur in a translation of plain text.
const CONTROL = /[^\P{Cc}\s]|\ufffd/u;

interface Pending {
  resolve: (translation: string | undefined) => void;
  timer: NodeJS.Timeout;
}

export class Translator {
  readonly #command: Command;
  readonly #timeoutMs: number;
  readonly #cacheSize: number;
  readonly #read: (raw: string, text: string) => string | undefined;
  readonly #cache = new Map<string, string>();
  #child: ChildProcessWithoutNullStreams | undefined;
  #pending: Pending[] = [];
  #output = "";

  constructor(command: Command, options: TranslatorOptions = {}) {
    this.#command = command;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#cacheSize = options.cacheSize ?? DEFAULT_CACHE_SIZE;
    this.#read = options.read ?? clean;
  }

  /**
   * The translation of `text` with Apertium's marks removed (unknown words keep their
   * original form), or undefined when the translator failed or took too long.
   * Example: `await new Translator(apertiumCommand("apertium", "spa-eng")).translate("Hola")`.
   */
  async translate(text: string): Promise<string | undefined> {
    const plain = text.replace(/[\s\p{Cc}]+/gu, " ").trim();
    if (plain === "") return "";
    const known = this.#cache.get(plain);
    if (known !== undefined) {
      this.#cache.delete(plain);
      this.#cache.set(plain, known);
      return known;
    }
    const raw = await this.#request(plain.replace(STREAM_SPECIAL, "\\$&"));
    const translation = raw === undefined ? undefined : this.#read(raw, plain);
    if (translation === undefined) return undefined;
    this.#remember(plain, translation);
    return translation;
  }

  /** Starts the child process ahead of the first request, which then need not wait for it. */
  warm(): void {
    this.#child ?? this.#start();
  }

  /** Stops the child process; later requests start a new one. */
  close(): void {
    this.#stop();
  }

  #remember(text: string, translation: string): void {
    if (this.#cacheSize === 0) return;
    this.#cache.set(text, translation);
    if (this.#cache.size > this.#cacheSize) {
      this.#cache.delete(this.#cache.keys().next().value as string);
    }
  }

  #request(escaped: string): Promise<string | undefined> {
    const child = this.#child ?? this.#start();
    if (!child) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      // A late answer would pair later texts with the wrong translations: start afresh.
      const timer = setTimeout(() => this.#stop(), this.#timeoutMs);
      this.#pending.push({ resolve, timer });
      // Without a blank after it, Apertium drops the text's final punctuation.
      child.stdin.write(`${escaped} \0`);
    });
  }

  #start(): ChildProcessWithoutNullStreams | undefined {
    let child: ChildProcessWithoutNullStreams;
    try {
      // Its own process group, so that stopping it stops every stage of the pipeline it runs.
      child = spawn(this.#command.command, this.#command.args, { stdio: "pipe", detached: true });
    } catch {
      return undefined;
    }
    this.#child = child;
    this.#output = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => this.#receive(child, chunk));
    child.stderr.resume();
    child.stdin.on("error", () => this.#stop(child));
    child.on("error", () => this.#stop(child));
    child.on("exit", () => this.#stop(child));
    child.unref();
    for (const stream of [child.stdin, child.stdout, child.stderr]) {
      (stream as unknown as { unref?: () => void }).unref?.();
    }
    return child;
  }

  #receive(child: ChildProcessWithoutNullStreams, chunk: string): void {
    if (child !== this.#child) return;
    this.#output += chunk;
    let end = this.#output.indexOf("\0");
    while (end !== -1) {
      const translation = this.#output.slice(0, end);
      this.#output = this.#output.slice(end + 1);
      const pending = this.#pending.shift();
      // Output nobody asked for: the process is out of step with its requests.
      if (!pending) {
        this.#stop(child);
        return;
      }
      clearTimeout(pending.timer);
      pending.resolve(translation);
      end = this.#output.indexOf("\0");
    }
  }

  /** Ends the child (the current one, or `child` if it still is) and fails what it owed. */
  #stop(child: ChildProcessWithoutNullStreams | undefined = this.#child): void {
    if (child === undefined || child !== this.#child) return;
    this.#child = undefined;
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    } catch {
      child.kill("SIGKILL");
    }
    child.stdin.destroy();
    for (const pending of this.#pending.splice(0)) {
      clearTimeout(pending.timer);
      pending.resolve(undefined);
    }
  }
}

/** Raw Apertium output as plain text, or undefined when it is not a translation of `text`. */
function clean(raw: string, text: string): string | undefined {
  if (CONTROL.test(raw) || raw.length > text.length * MAX_GROWTH + 20) return undefined;
  const translation = raw.replace(UNKNOWN_MARK, "$1").replace(ESCAPED, "$1").trim();
  return translation === "" ? undefined : translation;
}

/** Where `name` runs from: itself when it is a path, else the first match on PATH. */
function findExecutable(name: string): string | undefined {
  const candidates = name.includes("/")
    ? [resolve(name)]
    : (process.env.PATH ?? "").split(delimiter).map((dir) => join(dir, name));
  return candidates.find((path) => {
    try {
      accessSync(path, constants.X_OK);
      return isAbsolute(path);
    } catch {
      return false;
    }
  });
}

/**
 * The streaming command for one direction of the Apertium installed as `apertium`, or a
 * reason it cannot run. The `apertium` script itself buffers its output until the input
 * ends, so this runs the direction's pipeline (its mode file, in null-flush form) directly,
 * with unbuffered output.
 */
export function apertiumCommand(
  apertium: string,
  direction: Direction,
  stage: Stage = "translation",
): Command | string {
  const executable = findExecutable(apertium);
  if (!executable) return `${apertium} not found`;
  if (!findExecutable("stdbuf")) return "stdbuf (coreutils) not found";
  const bin = dirname(realpathSync(executable));
  const mode = join(bin, "..", "share", "apertium", "modes", `${direction}.mode`);
  try {
    readFileSync(mode);
    const pipeline = execFileSync(join(bin, "apertium-wblank-mode"), ["-z", mode], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    const stages = pipeline.split(" | ");
    const lookup = stages.findIndex((command) => /^lt-proc .*-b /u.test(command));
    if (stage === "lookup" && lookup === -1)
      return `the ${direction} dictionary lookup is not found`;
    const run = stage === "lookup" ? stages.slice(0, lookup + 1).join(" | ") : pipeline;
    // $1 marks unknown words in generation (-g); $2 is the tagger's option (none).
    return { command: "stdbuf", args: ["-o0", "bash", "-c", run, "apertium", "-g", ""] };
  } catch {
    return `the ${direction} language pair is not installed`;
  }
}

export interface Translators {
  /** Spanish to English (questions), English to Spanish (quotes). */
  spaEng: Translator;
  engSpa: Translator;
  /** Every English translation of each word of a Spanish text (see `wordTranslations`). */
  spaEngWords: Translator;
}

/** Translators for both directions, or the one-line reason cross-lingual search is off. */
export function openTranslators(
  apertium: string,
  options: TranslatorOptions = {},
): Translators | string {
  const spaEng = apertiumCommand(apertium, "spa-eng");
  const engSpa = apertiumCommand(apertium, "eng-spa");
  const spaEngWords = apertiumCommand(apertium, "spa-eng", "lookup");
  if (typeof spaEng === "string") return spaEng;
  if (typeof engSpa === "string") return engSpa;
  if (typeof spaEngWords === "string") return spaEngWords;
  return {
    spaEng: new Translator(spaEng, options),
    engSpa: new Translator(engSpa, options),
    spaEngWords: new Translator(spaEngWords, { ...options, read: (raw) => raw }),
  };
}

// One lexical unit of Apertium's stream: ^source/translation/other translation$.
const LEXICAL_UNIT = /\^((?:\\.|[^$\\])*)\$/gu;
const UNESCAPED_SLASH = /(?<!\\)\//u;

/**
 * The words of a dictionary lookup's output, each as the list of its translations' lemmas
 * (tags and marks removed); a word the dictionary does not know is its own translation.
 */
export function wordTranslations(lookup: string): string[][] {
  const words: string[][] = [];
  for (const [, unit = ""] of lookup.matchAll(LEXICAL_UNIT)) {
    const [, ...targets] = unit.split(UNESCAPED_SLASH);
    const lemmas = targets
      .map((target) =>
        target
          .replace(/<[^>]*>/gu, "")
          .replace(/#/gu, "")
          .replace(/^[*@]/u, ""),
      )
      .map((lemma) => lemma.replace(/\\(.)/gu, "$1").trim())
      .filter(Boolean);
    if (lemmas.length) words.push([...new Set(lemmas)]);
  }
  return words;
}
