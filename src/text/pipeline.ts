import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { BoundedMemo } from "./memo.ts";
import { startsWithDigit } from "./tokens.ts";

/**
 * Text analysis as a list of named stages, the way Lunr registers its pipeline functions:
 * text stages turn the whole text into text, one tokenizer cuts it into tokens, word stages
 * turn each token into a term (or null, which drops it). Each stage names the data it
 * depends on, so a pipeline can describe itself and give a signature that changes whenever
 * a stage or its data does (see `signature`).
 */

interface Named {
  /** The stage's name in `describe()`. */
  name: string;
  /** What the stage's output depends on besides its code's name: a word list, a package version. */
  data?: unknown;
}

export interface TextStage extends Named {
  run: (text: string) => string;
}

export interface Tokenizer extends Named {
  run: (text: string) => string[];
}

export interface WordStage extends Named {
  run: (word: string) => string | null;
}

export interface PipelineStages {
  text: readonly TextStage[];
  tokenize: Tokenizer;
  words: readonly WordStage[];
}

// A vocabulary is far smaller than a corpus: remembering each word's term (a stem, or
// null for a stop word) saves most of the work.
const REMEMBERED_WORDS = 200_000;

export class Pipeline {
  readonly #stages: PipelineStages;
  readonly #termOf = new BoundedMemo<string, string | null>(REMEMBERED_WORDS);
  /** Hash of the stages' names and data (see `signature`). */
  readonly signature: string;

  /** `language` names the pipeline in its description (a BCP 47 code such as "en"). */
  constructor(
    readonly language: string,
    stages: PipelineStages,
  ) {
    this.#stages = stages;
    this.signature = createHash("sha256")
      .update(
        JSON.stringify({ language, stages: this.#all().map(({ name, data }) => [name, data]) }),
      )
      .digest("hex");
  }

  /** The stages' names in the order they run, such as `fold → tokenize → stop-words → stem`. */
  describe(): string[] {
    return this.#all().map((stage) => stage.name);
  }

  /** Raw text to tokens (before stop words and stemming). */
  readonly tokenize = (text: string): string[] => {
    let prepared = text;
    for (const stage of this.#stages.text) prepared = stage.run(prepared);
    return this.#stages.tokenize.run(prepared);
  };

  /** One token to its term, or null for a token the word stages drop. Numbers stay as they are. */
  readonly toTerm = (token: string): string | null => {
    if (token.length === 0) return null;
    if (startsWithDigit(token)) return token;
    return this.#termOf.get(token, this.#wordTerm);
  };

  /** Text to its index terms, in order, repeats kept. */
  readonly terms = (text: string): string[] => {
    const out: string[] = [];
    for (const token of this.tokenize(text)) {
      const term = this.toTerm(token);
      if (term !== null) out.push(term);
    }
    return out;
  };

  readonly #wordTerm = (word: string): string | null => {
    let term: string | null = word;
    for (const stage of this.#stages.words) {
      term = stage.run(term);
      if (term === null) return null;
    }
    return term;
  };

  #all(): Named[] {
    return [...this.#stages.text, this.#stages.tokenize, ...this.#stages.words];
  }
}

/** The word stage that drops the words of a stop list. */
export function stopWords(list: Iterable<string>): WordStage {
  const words = new Set(list);
  return {
    name: "stop-words",
    data: [...words].sort(),
    run: (word) => (words.has(word) ? null : word),
  };
}

/**
 * `name@version` of the installed package that `specifier` resolves to: a stemmer's output is
 * its version's, so the version is part of the stage's data.
 */
export function installedPackage(specifier: string): string {
  const require = createRequire(import.meta.url);
  let dir = dirname(require.resolve(specifier));
  for (;;) {
    try {
      const { name, version } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      if (name && version) return `${name}@${version}`;
    } catch {
      // No package.json at this level (a dist folder may hold one without a name): go up.
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${specifier}`);
    dir = parent;
  }
}
