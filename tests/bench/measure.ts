/** Timing, percentiles and heap readings for the benchmark. */

export function now(): number {
  return performance.now();
}

export async function timed<T>(work: () => Promise<T> | T): Promise<{ result: T; ms: number }> {
  const started = now();
  const result = await work();
  return { result, ms: now() - started };
}

/** Linear-interpolated percentile (p in 0..100) of unsorted samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p / 100) * (sorted.length - 1);
  const low = Math.floor(at);
  const high = Math.ceil(at);
  const a = sorted[low] as number;
  const b = sorted[high] as number;
  return a + (b - a) * (at - low);
}

const gc = (globalThis as { gc?: (options?: { type: "major" }) => void }).gc;

export const canMeasureHeap = typeof gc === "function";

/**
 * Heap in use after full collections, in bytes; NaN without --expose-gc. It first lets the
 * event loop turn once, so frames and promises of work that just finished are released.
 */
export async function heapUsed(): Promise<number> {
  if (!gc) return Number.NaN;
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Collects garbage when possible, so one phase's leftovers do not slow the next. */
export function collect(): void {
  gc?.();
}

export const MB = 1024 * 1024;
