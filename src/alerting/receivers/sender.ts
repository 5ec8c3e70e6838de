/**
 * The delivery stages after the outbox: polls due deliveries from the store, renders each with
 * its receiver, sends it (HTTP through the SSRF guard, or SMTP), and records the attempt —
 * delivered, pending with the next attempt time (backoff with full jitter, or `Retry-After`),
 * or failed (permanent error, or `maxAttempts` reached).
 *
 * Crash rule: deliveries are written by the pipeline in the same commit as the alert change,
 * so nothing is lost; an attempt whose outcome was not recorded before a crash is made again
 * after restart, once, with the same idempotency key (the delivery id: `Idempotency-Key`
 * header, PagerDuty `dedup_key` per alert, mail `Message-ID`). A delivery is never attempted
 * twice at once: ids in flight are skipped by later polls.
 */
import type { Logger } from 'pino';
import type { Delivery } from '../../model/types.js';
import { checkUrl, SsrfError } from '../../security/ssrf.js';
import type { Store } from '../../store/types.js';
import type { ReceiverConfig } from './config.js';
import { parseNotification } from './payload.js';
import { createReceiver } from './registry.js';
import { sendHttp } from './shared/http.js';
import { type AttemptOutcome, backoffDelay, failure } from './shared/outcome.js';
import { SmtpStage } from './shared/smtp.js';
import { testNotification } from './test-notification.js';
import type { Notification, Receiver } from './types.js';

/** Options of the {@link DeliverySender}. */
export interface DeliverySenderOptions {
  readonly receivers: readonly ReceiverConfig[];
  readonly store: Pick<Store, 'dueDeliveries' | 'updateDelivery'>;
  readonly logger: Logger;
  /** Attempts before a delivery is marked failed (default 8). */
  readonly maxAttempts?: number;
  /** First retry delay, ms (default 1000); doubles per attempt up to `maxDelayMs` (default 300000). */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Per-request timeout, ms (default 5000). */
  readonly timeoutMs?: number;
  /** Outbox poll period, ms (default 250). */
  readonly pollMs?: number;
  /** Deliveries taken per poll (default 100). */
  readonly batchSize?: number;
  /** Allow loopback/private/link-local destinations (config `security.allowPrivateReceivers`, default false). */
  readonly allowPrivate?: boolean;
  /** Uniform numbers in [0, 1) for jitter (default Math.random). */
  readonly random?: () => number;
  /** Wall clock, Unix ms (default Date.now). */
  readonly now?: () => number;
}

/** Attempts made by a {@link DeliverySender} for one receiver since it started. */
export interface ReceiverAttempts {
  readonly receiver: string;
  readonly type: ReceiverConfig['type'];
  /** Attempts that delivered. */
  readonly delivered: number;
  /** Attempts that failed (retried later or given up). */
  readonly failed: number;
}

/** Sends due deliveries through their receivers. */
export class DeliverySender {
  private readonly attempts = new Map<string, { delivered: number; failed: number }>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly inFlight = new Set<string>();
  private readonly receivers: ReadonlyMap<string, { config: ReceiverConfig; receiver: Receiver }>;
  private readonly smtp: SmtpStage;
  private readonly now: () => number;

  constructor(private readonly options: DeliverySenderOptions) {
    this.receivers = new Map(
      options.receivers.map((c) => [c.name, { config: c, receiver: createReceiver(c) }]),
    );
    this.smtp = new SmtpStage({
      timeoutMs: options.timeoutMs ?? 5000,
      allowPrivate: options.allowPrivate ?? false,
    });
    this.now = options.now ?? Date.now;
  }

  /** Starts polling (no-op without receivers or when started). */
  start(): void {
    if (this.receivers.size === 0 || this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.options.pollMs ?? 250);
    this.timer.unref();
  }

  /** Attempts every due delivery once; resolves when the attempts are recorded. */
  tick(): Promise<void> {
    this.running ??= this.poll().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Waits for the poll under way, if any. */
  async flush(): Promise<void> {
    await this.running;
  }

  private async poll(): Promise<void> {
    let due: Delivery[];
    try {
      due = this.options.store.dueDeliveries(this.now(), this.options.batchSize ?? 100);
    } catch (err) {
      this.options.logger.warn({ err }, 'delivery outbox poll failed');
      return;
    }
    await Promise.all(due.filter((d) => !this.inFlight.has(d.id)).map((d) => this.attempt(d)));
  }

  /**
   * Sends one test notification to a configured receiver, once (no retry, no delivery record),
   * through the same rendering, URL check and HTTP/SMTP stage as deliveries.
   * @param receiver receiver name
   * @param by who asked for it (shown in the message)
   * @returns the outcome and how long the attempt took, ms; null when no receiver has that name
   */
  async sendTest(
    receiver: string,
    publicUrl: string,
    by: string,
  ): Promise<{ outcome: AttemptOutcome; durationMs: number } | null> {
    if (!this.receivers.has(receiver)) return null;
    const now = this.now();
    const started = performance.now();
    const outcome = await this.sendPayload(receiver, testNotification(receiver, now, publicUrl, by), now);
    return { outcome, durationMs: Math.round(performance.now() - started) };
  }

  private async send(d: Delivery, now: number): Promise<AttemptOutcome> {
    let notification: Notification;
    try {
      notification = parseNotification(d.payload);
    } catch (err) {
      return failure(`cannot render delivery: ${(err as Error).message}`, true);
    }
    return this.sendPayload(d.receiver, notification, now);
  }

  private async sendPayload(
    receiver: string,
    notification: Notification,
    now: number,
  ): Promise<AttemptOutcome> {
    const entry = this.receivers.get(receiver);
    if (!entry) return failure(`receiver "${receiver}" is no longer configured`, true);
    if (entry.config.type !== 'email') {
      // A refused destination fails whatever the payload (the DNS check follows in sendHttp).
      try {
        checkUrl(entry.config.url, { allowPrivate: this.options.allowPrivate ?? false });
      } catch (err) {
        if (err instanceof SsrfError) return failure(`${err.name}: ${err.message}`, true);
        throw err;
      }
    }
    let message: ReturnType<Receiver['render']>;
    try {
      message = entry.receiver.render(notification);
    } catch (err) {
      return failure(`cannot render delivery: ${(err as Error).message}`, true);
    }
    if (message.transport === 'http') {
      return sendHttp(message, {
        timeoutMs: this.options.timeoutMs ?? 5000,
        allowPrivate: this.options.allowPrivate ?? false,
        now,
      });
    }
    if (entry.config.type !== 'email')
      return failure(`receiver "${receiver}" rendered a mail but is ${entry.config.type}`, true);
    return this.smtp.send(entry.config, message);
  }

  private async attempt(d: Delivery): Promise<void> {
    this.inFlight.add(d.id);
    try {
      const now = this.now();
      const outcome = await this.send(d, now);
      const attempts = d.attempts + 1;
      const max = this.options.maxAttempts ?? 8;
      const maxDelay = this.options.maxDelayMs ?? 300_000;
      const delay = Math.max(
        backoffDelay(
          attempts,
          this.options.baseDelayMs ?? 1000,
          maxDelay,
          this.options.random ?? Math.random,
        ),
        Math.min(maxDelay, outcome.retryAfterMs ?? 0),
      );
      const counts = this.attempts.get(d.receiver) ?? { delivered: 0, failed: 0 };
      if (outcome.ok) counts.delivered++;
      else counts.failed++;
      this.attempts.set(d.receiver, counts);
      const updated: Delivery = outcome.ok
        ? { ...d, status: 'delivered', attempts, lastError: null, lastAttemptAt: now }
        : {
            ...d,
            status: outcome.permanent || attempts >= max ? 'failed' : 'pending',
            attempts,
            lastError: outcome.error,
            lastAttemptAt: now,
            nextAttemptAt: now + delay,
          };
      try {
        this.options.store.updateDelivery(updated);
      } catch (err) {
        this.options.logger.warn({ err, delivery: d.id }, 'could not record delivery attempt');
      }
      if (!outcome.ok) {
        this.options.logger.warn(
          { delivery: d.id, attempts, error: outcome.error, status: updated.status },
          'delivery failed',
        );
      }
    } finally {
      this.inFlight.delete(d.id);
    }
  }

  /** Delivery attempts per configured receiver since start (test notifications not counted). */
  attemptCounts(): ReceiverAttempts[] {
    return [...this.receivers.values()].map(({ config }) => ({
      receiver: config.name,
      type: config.type,
      ...(this.attempts.get(config.name) ?? { delivered: 0, failed: 0 }),
    }));
  }

  /** Stops polling, waits for attempts under way and closes SMTP connections. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    this.smtp.close();
  }
}
