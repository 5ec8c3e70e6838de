/**
 * HTTP stage: POSTs a rendered message through the SSRF guard (`security/ssrf`: http(s) only,
 * private and link-local destinations refused unless allowed, checked on every resolved
 * address, redirects never followed), with a timeout, and classifies the answer.
 */
import { SsrfError, safeFetch } from '../../../security/ssrf.js';
import type { HttpMessage } from '../types.js';
import { type AttemptOutcome, failure, parseRetryAfter, retryableStatus, SUCCESS } from './outcome.js';

/** Options of {@link sendHttp}. */
export interface HttpStageOptions {
  /** Per-request timeout, ms. */
  readonly timeoutMs: number;
  /** Allow loopback/private/link-local destinations. */
  readonly allowPrivate: boolean;
  /** Wall clock for `Retry-After` dates, Unix ms. */
  readonly now: number;
}

/** Sends one HTTP message; never throws. */
export async function sendHttp(message: HttpMessage, options: HttpStageOptions): Promise<AttemptOutcome> {
  try {
    const res = await safeFetch(
      message.url,
      {
        method: 'POST',
        headers: { ...message.headers },
        body: message.body,
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      { allowPrivate: options.allowPrivate, maxResponseBytes: 64 * 1024 },
    );
    if (res.status >= 200 && res.status < 300) return SUCCESS;
    const text = (await res.text().catch(() => '')).slice(0, 200);
    const error = `HTTP ${res.status}${text ? `: ${text}` : ''}`;
    return failure(
      error,
      !retryableStatus(res.status),
      parseRetryAfter(res.headers.get('retry-after'), options.now),
    );
  } catch (err) {
    if (err instanceof SsrfError) return failure(`${err.name}: ${err.message}`, true);
    return failure(err instanceof Error ? `${err.name}: ${err.message}` : String(err), false);
  }
}
