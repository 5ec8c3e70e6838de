/**
 * Per-credential request rate limiting with token buckets (the leaky/token bucket of Turner,
 * 1986, "New directions in communications (or which way to the information age?)", IEEE
 * Communications Magazine 24(10)): each caller has a bucket of `burst` tokens refilled at
 * `perSecond`; a request takes one token or is refused with the time until one is available.
 * Cost: O(1) time per request; memory one entry per active caller, at most `maxCallers`
 * (full, idle buckets are dropped first, then the oldest).
 */

export interface RateLimitOptions {
  /** Tokens added per second. */
  readonly perSecond: number;
  /** Bucket capacity (largest burst). */
  readonly burst: number;
  /** Most callers tracked at once (default 100 000). */
  readonly maxCallers?: number;
}

interface Bucket {
  tokens: number;
  /** Unix ms of the last refill. */
  at: number;
}

/** Token buckets keyed by caller. */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  constructor(private readonly options: RateLimitOptions) {}

  /**
   * Takes one token for `caller` at time `now` (Unix ms).
   * @returns 0 when allowed, else the wait in ms until a token is available
   * @example new RateLimiter({perSecond: 1, burst: 1}).take('a', 0) // 0, then take('a', 0) → 1000
   */
  take(caller: string, now: number): number {
    const { perSecond, burst } = this.options;
    let b = this.buckets.get(caller);
    if (b === undefined) {
      this.evict(now);
      b = { tokens: burst, at: now };
      this.buckets.set(caller, b);
    } else {
      b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * perSecond);
      b.at = now;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - b.tokens) / perSecond) * 1000);
  }

  private evict(now: number): void {
    const max = this.options.maxCallers ?? 100_000;
    if (this.buckets.size < max) return;
    const fullAfterMs = (this.options.burst / this.options.perSecond) * 1000;
    for (const [k, b] of this.buckets) if (now - b.at >= fullAfterMs) this.buckets.delete(k);
    while (this.buckets.size >= max) {
      const oldest = this.buckets.keys().next().value;
      if (oldest === undefined) break;
      this.buckets.delete(oldest);
    }
  }
}

/**
 * Counts failures per key inside a sliding window (sign-in throttling).
 */
export class FailureCounter {
  private readonly failures = new Map<string, number[]>();
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Failures of `key` within the window ending at `now`. */
  count(key: string, now: number): number {
    const list = this.failures.get(key);
    if (!list) return 0;
    const recent = list.filter((t) => now - t < this.windowMs);
    if (recent.length === 0) this.failures.delete(key);
    else this.failures.set(key, recent);
    return recent.length;
  }

  /** True when `key` has reached the limit. */
  blocked(key: string, now: number): boolean {
    return this.count(key, now) >= this.limit;
  }

  record(key: string, now: number): void {
    const list = this.failures.get(key) ?? [];
    list.push(now);
    if (list.length > this.limit * 2) list.splice(0, list.length - this.limit * 2);
    this.failures.set(key, list);
  }

  clear(key: string): void {
    this.failures.delete(key);
  }
}
