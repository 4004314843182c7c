/** Promises for tests that resolve once some server state appears, re-checked after every change. */

/** How long a test waits for the bot by default. */
export const DEFAULT_WAIT_MS = 5_000;

interface Waiter {
  check(): void;
  fail(error: Error): void;
}

export class Waiters {
  readonly #pending = new Set<Waiter>();

  until<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        check: () => {
          const value = probe();
          if (value === undefined) return;
          this.#settle(waiter, timer);
          resolve(value);
        },
        fail: (error: Error) => {
          this.#settle(waiter, timer);
          reject(error);
        },
      };
      const timer = setTimeout(
        () => waiter.fail(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`)),
        timeoutMs,
      );
      this.#pending.add(waiter);
      waiter.check();
    });
  }

  notify(): void {
    for (const waiter of [...this.#pending]) waiter.check();
  }

  failAll(reason: string): void {
    for (const waiter of [...this.#pending]) waiter.fail(new Error(reason));
  }

  #settle(waiter: Waiter, timer: NodeJS.Timeout): void {
    clearTimeout(timer);
    this.#pending.delete(waiter);
  }
}
