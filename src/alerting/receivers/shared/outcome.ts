/**
 * Outcome of one delivery attempt and the retry decision: transient failures (network errors,
 * timeouts, HTTP 408/425/429/5xx, SMTP 4xx) are retried with exponential backoff and full
 * jitter (Brooker, "Exponential Backoff And Jitter", AWS Architecture Blog, 2015), honouring
 * `Retry-After`; permanent ones (other HTTP 3xx/4xx, SMTP 5xx, a refused destination) fail the
 * delivery at once, because repeating the same request cannot succeed.
 */

/** What one attempt came to. */
export interface AttemptOutcome {
  readonly ok: boolean;
  /** Retrying cannot help. */
  readonly permanent: boolean;
  /** Why it failed, for the delivery record; null on success. */
  readonly error: string | null;
  /** Delay the receiver asked for (`Retry-After`), ms, or null. */
  readonly retryAfterMs: number | null;
}

export const SUCCESS: AttemptOutcome = { ok: true, permanent: false, error: null, retryAfterMs: null };

/** A failed outcome. */
export function failure(
  error: string,
  permanent: boolean,
  retryAfterMs: number | null = null,
): AttemptOutcome {
  return { ok: false, permanent, error, retryAfterMs };
}

/** Whether an HTTP status is worth retrying. */
export function retryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/**
 * Parses `Retry-After` (delay in seconds or an HTTP date) to ms from `now`, or null.
 * @example parseRetryAfter('30', 0) // 30000
 */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * Retry delay after `attempts` failed attempts: a uniform draw in [0, min(max, base·2^(attempts−1))].
 * @param random source of uniform numbers in [0, 1)
 * @example backoffDelay(3, 1000, 60000, () => 0.5) // 2000
 */
export function backoffDelay(attempts: number, baseMs: number, maxMs: number, random: () => number): number {
  const cap = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(cap * random());
}
