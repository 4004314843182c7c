/**
 * Takes turns at the CPU: answering is synchronous work, so a burst of events handled as
 * they arrive would compute every answer before any reply (or deferral) reaches the
 * network, and the last ones would miss Discord's 3 s window. Instead each event waits
 * for its turn. Turns run back to back for at most SLICE_MS, then the event loop gets
 * through (replies go out, deferral timers fire, new events arrive) before the next
 * slice. Users take turns round-robin, so one user's flood waits behind everyone else's
 * single questions instead of in front of them. Once the event loop has made its pass
 * after a slice, the next slice starts as soon as a turn is asked for: waiting for
 * another pass would only delay an idle bot's answer.
 */

/** Longest stretch of turns between two passes of the event loop. */
export const SLICE_MS = 20;

export class Turns {
  /** Waiting resolvers per user, in arrival order; Map order is the round-robin order. */
  readonly #waiting = new Map<string, (() => void)[]>();
  #scheduled = false;
  #sliceStart = 0;
  /** Whether the event loop has passed through since the last slice ended. */
  #rested = true;

  /** Resolves when it is this user's turn; the caller's synchronous work then runs alone. */
  take(userId: string): Promise<void> {
    return new Promise((resolve) => {
      const queue = this.#waiting.get(userId);
      if (queue) queue.push(resolve);
      else this.#waiting.set(userId, [resolve]);
      if (!this.#scheduled) {
        this.#scheduled = true;
        if (this.#rested) queueMicrotask(() => this.#slice());
        else setImmediate(() => this.#slice());
      }
    });
  }

  #slice(): void {
    this.#sliceStart = performance.now();
    this.#rested = false;
    this.#next();
  }

  /** Starts one turn; a microtask queued behind it runs once the turn's synchronous part is done. */
  #next(): void {
    const first = this.#waiting.entries().next();
    if (first.done) {
      this.#scheduled = false;
      setImmediate(() => {
        this.#rested = true;
      });
      return;
    }
    const [userId, queue] = first.value;
    const resolve = queue.shift();
    // The user goes to the back of the line, with whatever they still have waiting.
    this.#waiting.delete(userId);
    if (queue.length) this.#waiting.set(userId, queue);
    resolve?.();
    queueMicrotask(() => {
      if (performance.now() - this.#sliceStart < SLICE_MS) this.#next();
      else setImmediate(() => this.#slice());
    });
  }
}
