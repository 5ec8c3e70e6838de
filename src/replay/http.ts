import { ReplayError } from './errors.js';

/** How requests to the server are made. */
export interface HttpOptions {
  /** Per-request timeout, ms. Default 30000 (a 500-point batch on a loaded 2-core machine can take a while). */
  readonly timeoutMs?: number;
  /** Attempts per POST on a network error, timeout, 5xx, 408 or 429 (same Idempotency-Key each time). Default 4. */
  readonly attempts?: number;
  /** First retry delay, ms, doubled per attempt. Default 250. */
  readonly retryBaseMs?: number;
  readonly apiKey?: string;
}

function headers(o: HttpOptions, extra: Record<string, string> = {}): Record<string, string> {
  return o.apiKey === undefined ? extra : { ...extra, authorization: `Bearer ${o.apiKey}` };
}

function describe(err: unknown): string {
  const e = err as { message?: string; cause?: { message?: string } };
  return e.cause?.message ? `${e.message} (${e.cause.message})` : String(e.message ?? err);
}

/**
 * GETs a JSON document.
 * @throws {ReplayError} on a network error, a timeout, a non-2xx status (with the start of the body) or a non-JSON body.
 */
export async function getJson(url: string, o: HttpOptions = {}): Promise<unknown> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, { headers: headers(o), signal: AbortSignal.timeout(o.timeoutMs ?? 30_000) });
    text = await res.text();
  } catch (err) {
    throw new ReplayError(`GET ${url} failed: ${describe(err)}`, { cause: err });
  }
  if (!res.ok) throw new ReplayError(`GET ${url} answered ${res.status}: ${text.slice(0, 300)}`);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ReplayError(`GET ${url} answered non-JSON: ${text.slice(0, 100)}`, { cause: err });
  }
}

/**
 * POSTs a JSON body, retrying transient failures with the same `Idempotency-Key`.
 * @returns the parsed JSON answer (undefined when empty)
 * @throws {ReplayError} after the last failed attempt, or at once on a non-retryable 4xx.
 */
export async function postJson(
  url: string,
  body: unknown,
  key: string,
  o: HttpOptions = {},
): Promise<unknown> {
  const attempts = Math.max(1, o.attempts ?? 4);
  const payload = JSON.stringify(body);
  let last = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await new Promise((r) => setTimeout(r, (o.retryBaseMs ?? 250) * 2 ** (attempt - 2)));
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: headers(o, { 'content-type': 'application/json', 'idempotency-key': key }),
        body: payload,
        signal: AbortSignal.timeout(o.timeoutMs ?? 30_000),
      });
      text = await res.text();
    } catch (err) {
      last = describe(err);
      continue;
    }
    if (res.ok) {
      try {
        return text === '' ? undefined : (JSON.parse(text) as unknown);
      } catch (err) {
        throw new ReplayError(`POST ${url} answered non-JSON: ${text.slice(0, 100)}`, { cause: err });
      }
    }
    last = `${res.status}: ${text.slice(0, 300)}`;
    if (res.status < 500 && res.status !== 408 && res.status !== 429) break;
  }
  throw new ReplayError(`POST ${url} failed: ${last}`);
}
