import { randomUUID } from 'node:crypto';
import type { Logger } from './logger.js';

/** How the sender reaches the server and how it behaves while the server is away. */
export interface SenderOptions {
  /** Base URL of the Vigil server, e.g. `http://127.0.0.1:8080`; items go to `${url}/api/batch`. */
  readonly url: string;
  /** Sent as `Authorization: Bearer <apiKey>` when set. */
  readonly apiKey?: string;
  /** Per-request timeout, ms. Default 5000. */
  readonly timeoutMs?: number;
  /** Most items kept while the server is unreachable; beyond it the oldest are dropped (and counted). Default 720. */
  readonly maxBuffer?: number;
  /** Most items per request. Default 100. */
  readonly maxBatch?: number;
  /** First retry delay after a failure, ms; doubles per consecutive failure. Default 1000. */
  readonly retryBaseMs?: number;
  /** Longest retry delay, ms. Default 60000. */
  readonly retryMaxMs?: number;
  readonly logger: Logger;
}

/** Counters of what the sender did since it started. */
export interface SenderStats {
  /** Items the server accepted (2xx, less the items its answer lists as rejected). */
  readonly sent: number;
  /** Items dropped: buffer overflow, refused with a non-retryable 4xx, or rejected one by one in a 2xx answer. */
  readonly dropped: number;
  /** Requests that failed (network error, timeout, 5xx, 408, 429, or 4xx). */
  readonly failedRequests: number;
  /** Items waiting to be sent. */
  readonly pending: number;
}

interface Batch {
  readonly key: string;
  readonly items: readonly unknown[];
}

type Outcome = { readonly kind: 'ok'; readonly rejected: number } | { readonly kind: 'retry' | 'refused' };

/**
 * Posts JSON items to `/api/batch` in order, buffering them in memory while the server is unreachable
 * and retrying with capped exponential backoff. A batch keeps its `Idempotency-Key` across retries,
 * so a request that timed out after the server stored it is not stored twice.
 * Never throws into its caller: problems go to `logger.warn`/`logger.error`.
 */
export class BatchSender {
  readonly #o: Required<Omit<SenderOptions, 'apiKey'>> & { apiKey: string | undefined };
  readonly #runId = randomUUID();
  #seq = 0;
  #buffer: unknown[] = [];
  #inflight: Batch | undefined;
  #draining: Promise<void> | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #failures = 0;
  #sent = 0;
  #dropped = 0;
  #failedRequests = 0;
  #closed = false;
  #overflows = 0;

  constructor(options: SenderOptions) {
    this.#o = {
      url: options.url.replace(/\/+$/, ''),
      apiKey: options.apiKey,
      timeoutMs: options.timeoutMs ?? 5000,
      maxBuffer: Math.max(1, options.maxBuffer ?? 720),
      maxBatch: Math.max(1, options.maxBatch ?? 100),
      retryBaseMs: options.retryBaseMs ?? 1000,
      retryMaxMs: options.retryMaxMs ?? 60_000,
      logger: options.logger,
    };
  }

  /** What the sender did so far. */
  get stats(): SenderStats {
    const pending = this.#buffer.length + (this.#inflight?.items.length ?? 0);
    return { sent: this.#sent, dropped: this.#dropped, failedRequests: this.#failedRequests, pending };
  }

  /** Queues one item and starts sending unless a retry is already scheduled. */
  enqueue(item: unknown): void {
    this.#buffer.push(item);
    const excess = this.#buffer.length + (this.#inflight?.items.length ?? 0) - this.#o.maxBuffer;
    if (excess > 0) {
      this.#buffer.splice(0, excess);
      this.#dropped += excess;
      this.#overflows++;
      // Warn on overflows 1, 2, 4, 8, … of an outage so a long one does not flood the log.
      if (isPowerOfTwo(this.#overflows)) {
        this.#o.logger.warn(
          `buffer full (${this.#o.maxBuffer} items): dropped the ${excess} oldest, ${this.#dropped} in total`,
        );
      }
    }
    if (this.#retryTimer === undefined && !this.#closed) void this.#drain();
  }

  /** Sends what is buffered now, ignoring any scheduled backoff; resolves when done or after a failure. */
  async flush(): Promise<void> {
    if (this.#retryTimer !== undefined) {
      clearTimeout(this.#retryTimer);
      this.#retryTimer = undefined;
    }
    await this.#drain();
  }

  /** Stops retrying, makes one last attempt to send what is buffered, and reports what stays unsent. */
  async close(): Promise<void> {
    await this.flush();
    this.#closed = true;
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    const { pending } = this.stats;
    if (pending > 0) this.#o.logger.warn(`stopping with ${pending} items not delivered`);
  }

  #drain(): Promise<void> {
    this.#draining ??= this.#drainLoop().finally(() => {
      this.#draining = undefined;
    });
    return this.#draining;
  }

  async #drainLoop(): Promise<void> {
    for (;;) {
      if (this.#inflight === undefined) {
        if (this.#buffer.length === 0) return;
        const items = this.#buffer.splice(0, this.#o.maxBatch);
        this.#inflight = { key: `${this.#runId}-${this.#seq++}`, items };
      }
      const batch = this.#inflight;
      const outcome = await this.#post(batch);
      if (outcome.kind === 'retry') {
        this.#failures++;
        if (!this.#closed) {
          const delay = Math.min(this.#o.retryMaxMs, this.#o.retryBaseMs * 2 ** (this.#failures - 1));
          this.#retryTimer = setTimeout(() => {
            this.#retryTimer = undefined;
            void this.#drain();
          }, delay);
        }
        return;
      }
      this.#inflight = undefined;
      if (outcome.kind === 'ok') {
        this.#sent += batch.items.length - outcome.rejected;
        this.#dropped += outcome.rejected;
        if (this.#failures > 0)
          this.#o.logger.info(`server reachable again after ${this.#failures} failed attempts`);
        this.#failures = 0;
        this.#overflows = 0;
      } else this.#dropped += batch.items.length;
    }
  }

  async #post(batch: Batch): Promise<Outcome> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'idempotency-key': batch.key,
    };
    if (this.#o.apiKey !== undefined) headers.authorization = `Bearer ${this.#o.apiKey}`;
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${this.#o.url}/api/batch`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ metrics: batch.items }),
        signal: AbortSignal.timeout(this.#o.timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      this.#failedRequests++;
      this.#warnFailure(`POST ${this.#o.url}/api/batch failed: ${describe(err)}`);
      return { kind: 'retry' };
    }
    if (res.ok) return { kind: 'ok', rejected: this.#rejectedIn(text) };
    this.#failedRequests++;
    if (res.status >= 500 || res.status === 408 || res.status === 429) {
      this.#warnFailure(`POST /api/batch answered ${res.status}: ${text.slice(0, 200)}`);
      return { kind: 'retry' };
    }
    this.#o.logger.error(
      `POST /api/batch refused ${batch.items.length} items with ${res.status}, not retrying: ${text.slice(0, 300)}`,
    );
    return { kind: 'refused' };
  }

  #warnFailure(message: string): void {
    const n = this.#failures + 1;
    // Warn on attempts 1, 2, 4, 8, … so a long outage does not flood the log.
    if (isPowerOfTwo(n))
      this.#o.logger.warn(`${message} (attempt ${n}, ${this.stats.pending} items buffered)`);
  }

  /** Items a 2xx answer lists as rejected (`{rejected: n, errors}`), warning about them. */
  #rejectedIn(text: string): number {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return 0; // a 2xx without a JSON body is still an acknowledgement of every item
    }
    const rejected = (body as { rejected?: unknown } | null)?.rejected;
    if (typeof rejected !== 'number' || rejected <= 0) return 0;
    this.#o.logger.warn(`server rejected ${rejected} items: ${JSON.stringify(body).slice(0, 300)}`);
    return rejected;
  }
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error ? `${err.message} (${cause.message})` : err.message;
  }
  return String(err);
}
