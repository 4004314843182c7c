/**
 * CPU profiles of single benchmark phases (the V8 sampling profiler through node:inspector,
 * the same data `node --cpu-prof` writes), summarised as self time per function and per module.
 */
import { Session } from "node:inspector/promises";
import { findSourceMap } from "node:module";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber?: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

export interface SelfTime {
  name: string;
  ms: number;
  share: number;
}

export interface PhaseProfile {
  phase: string;
  totalMs: number;
  functions: SelfTime[];
  modules: SelfTime[];
}

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Where a function lives, short: src/search/engine.ts, minisearch, node:internal, (gc). */
export function moduleOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName === "(garbage collector)") return "(garbage collector)";
    if (functionName === "(program)" || functionName === "(idle)") return "(program/idle)";
    return "(native)";
  }
  if (url.startsWith("node:")) return url.startsWith("node:internal") ? "node:internal" : url;
  const path = url.startsWith("file:") ? fileURLToPath(url) : url;
  const inModules = path.lastIndexOf("node_modules/");
  if (inModules >= 0) {
    const rest = path.slice(inModules + "node_modules/".length).split("/");
    return rest[0]?.startsWith("@") ? `${rest[0]}/${rest[1]}` : (rest[0] ?? path);
  }
  return relative(ROOT, path);
}

/** The source line of a frame: tsx compiles each file to one line, its source map knows the original. */
function sourceLine(frame: CallFrame & { columnNumber?: number }): number {
  if (frame.url.startsWith("file:") && !frame.url.includes("/node_modules/")) {
    try {
      const entry = findSourceMap(frame.url)?.findEntry(frame.lineNumber, frame.columnNumber ?? 0);
      if (entry && "originalLine" in entry) return entry.originalLine + 1;
    } catch {
      // No source map: fall back to the generated line.
    }
  }
  return frame.lineNumber + 1;
}

function functionLabel(frame: CallFrame): string {
  const name = frame.functionName || "(anonymous)";
  if (!frame.url) return name;
  return `${name} (${moduleOf(frame)}:${sourceLine(frame)})`;
}

function top(totals: Map<string, number>, total: number, limit: number): SelfTime[] {
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, us]) => ({ name, ms: us / 1000, share: total > 0 ? us / total : 0 }));
}

export function summarize(phase: string, profile: CpuProfile, limit = 12): PhaseProfile {
  const nodes = new Map(
    profile.nodes.map((n) => [
      n.id,
      {
        idle: n.callFrame.functionName === "(idle)",
        label: functionLabel(n.callFrame),
        module: moduleOf(n.callFrame),
      },
    ]),
  );
  const perFunction = new Map<string, number>();
  const perModule = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let total = 0;
  for (let i = 0; i < samples.length; i++) {
    // timeDeltas[i] is the time before sample i; the time after it is the best estimate of its cost.
    const us = deltas[i + 1] ?? deltas[i] ?? 0;
    const node = nodes.get(samples[i] as number);
    if (!node || node.idle) continue;
    total += us;
    perFunction.set(node.label, (perFunction.get(node.label) ?? 0) + us);
    perModule.set(node.module, (perModule.get(node.module) ?? 0) + us);
  }
  return {
    phase,
    totalMs: total / 1000,
    functions: top(perFunction, total, limit),
    modules: top(perModule, total, Number.POSITIVE_INFINITY),
  };
}

/** Profiles phases one at a time, in this process. */
export class Profiler {
  readonly #session = new Session();
  #open = false;

  async #ensure(): Promise<void> {
    if (this.#open) return;
    this.#session.connect();
    await this.#session.post("Profiler.enable");
    await this.#session.post("Profiler.setSamplingInterval", { interval: 500 });
    this.#open = true;
  }

  async run<T>(
    phase: string,
    work: () => Promise<T>,
  ): Promise<{ result: T; profile: PhaseProfile }> {
    await this.#ensure();
    await this.#session.post("Profiler.start");
    const stop = async () =>
      ((await this.#session.post("Profiler.stop")) as { profile: CpuProfile }).profile;
    let result: T;
    try {
      result = await work();
    } catch (error) {
      await stop();
      throw error;
    }
    return { result, profile: summarize(phase, await stop()) };
  }

  close(): void {
    if (this.#open) this.#session.disconnect();
    this.#open = false;
  }
}
