/**
 * Per-user rate limiting: a token bucket per user, so one person sending a burst cannot
 * starve the others. Buckets of users idle for a full refill are forgotten.
 */

export interface RateLimitOptions {
  /** Requests a user may make per minute; 0 turns limiting off. */
  perMinute: number;
  /** Requests allowed at once before the rate applies (default: perMinute / 2, at least 1). */
  burst?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  readonly #perMs: number;
  readonly #burst: number;
  readonly #buckets = new Map<string, Bucket>();

  constructor(options: RateLimitOptions) {
    this.#perMs = options.perMinute / 60_000;
    this.#burst = options.burst ?? Math.max(1, Math.floor(options.perMinute / 2));
  }

  /** 0 when the user may go ahead (and the request is counted), else milliseconds to wait. */
  take(userId: string, now = Date.now()): number {
    if (this.#perMs <= 0) return 0;
    this.#forgetIdle(now);
    const bucket = this.#buckets.get(userId) ?? { tokens: this.#burst, at: now };
    bucket.tokens = Math.min(this.#burst, bucket.tokens + (now - bucket.at) * this.#perMs);
    bucket.at = now;
    this.#buckets.set(userId, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.#perMs);
  }

  #forgetIdle(now: number): void {
    if (this.#buckets.size < 10_000) return;
    const full = this.#burst / this.#perMs;
    for (const [user, bucket] of this.#buckets)
      if (now - bucket.at > full) this.#buckets.delete(user);
  }
}
