/**
 * Delivers pending notifications (the outbox in the store) to webhook receivers: a JSON POST
 * with an `Idempotency-Key` header equal to the delivery id, retried with exponential backoff
 * and full jitter (Brooker, "Exponential Backoff And Jitter", AWS Architecture Blog, 2015)
 * until it succeeds or `maxAttempts` is reached. Every attempt updates the delivery record.
 *
 * Deliveries are written by the pipeline in the same commit as the alert change, so a crash
 * between the change and the send loses nothing: the sender finds the delivery still pending
 * after restart and sends it (at least once; the same key lets the receiver drop a repeat).
 */
import type { Logger } from 'pino';
import type { ReceiverConfig } from '../config/index.js';
import type { Delivery } from '../model/types.js';
import type { Store } from '../store/types.js';

/** Options of the sender. */
export interface WebhookSenderOptions {
  readonly receivers: readonly ReceiverConfig[];
  readonly store: Store;
  readonly logger: Logger;
  /** Attempts before a delivery is marked failed (default 8). */
  readonly maxAttempts?: number;
  /** First retry delay, ms (default 1000); doubles per attempt up to `maxDelayMs`. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Per-request timeout, ms (default 5000). */
  readonly timeoutMs?: number;
  /** How often the outbox is polled, ms (default 250). */
  readonly pollMs?: number;
  /** Source of randomness for jitter in [0, 1) (default Math.random). */
  readonly random?: () => number;
}

/**
 * Retry delay after `attempts` failed attempts: a uniform draw in [0, min(max, base·2^(attempts−1))].
 * @example backoffDelay(3, 1000, 60000, () => 0.5) // 2000
 */
export function backoffDelay(attempts: number, baseMs: number, maxMs: number, random: () => number): number {
  const cap = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(cap * random());
}

/** Polls the outbox and sends due deliveries. */
export class WebhookSender {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly byName: ReadonlyMap<string, ReceiverConfig>;

  constructor(private readonly options: WebhookSenderOptions) {
    this.byName = new Map(options.receivers.map((r) => [r.name, r]));
  }

  /** Starts polling (no-op without receivers). */
  start(): void {
    if (this.options.receivers.length === 0 || this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.options.pollMs ?? 250);
    this.timer.unref();
  }

  /** Sends every due delivery once; resolves when those attempts are recorded. */
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const due = this.options.store.dueDeliveries(Date.now(), 100);
      await Promise.all(due.map((d) => this.track(this.attempt(d))));
    } catch (err) {
      this.options.logger.warn({ err }, 'webhook outbox poll failed');
    } finally {
      this.running = false;
    }
  }

  private track(p: Promise<void>): Promise<void> {
    this.inFlight.add(p);
    return p.finally(() => this.inFlight.delete(p));
  }

  private async attempt(d: Delivery): Promise<void> {
    const receiver = this.byName.get(d.receiver);
    const now = Date.now();
    if (!receiver) {
      this.options.store.updateDelivery({ ...d, status: 'failed', lastError: `receiver "${d.receiver}" is no longer configured`, lastAttemptAt: now });
      return;
    }
    let error: string | null = null;
    try {
      const res = await fetch(receiver.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': d.id, ...receiver.headers },
        body: d.payload,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
    } catch (err) {
      error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    }
    const attempts = d.attempts + 1;
    const max = this.options.maxAttempts ?? 8;
    const updated: Delivery =
      error === null
        ? { ...d, status: 'delivered', attempts, lastError: null, lastAttemptAt: now }
        : {
            ...d,
            status: attempts >= max ? 'failed' : 'pending',
            attempts,
            lastError: error,
            lastAttemptAt: now,
            nextAttemptAt:
              now +
              backoffDelay(attempts, this.options.baseDelayMs ?? 1000, this.options.maxDelayMs ?? 300_000, this.options.random ?? Math.random),
          };
    try {
      this.options.store.updateDelivery(updated);
    } catch (err) {
      this.options.logger.warn({ err, delivery: d.id }, 'could not record delivery attempt');
    }
    if (error !== null) this.options.logger.warn({ delivery: d.id, attempts, error }, 'webhook delivery failed');
  }

  /** Stops polling and waits for attempts under way. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.inFlight]);
  }
}
