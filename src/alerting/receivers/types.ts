/**
 * The receiver contract. A receiver turns a {@link Notification} (what the routing tree decided
 * to tell, stored as a delivery's payload) into one outbound message; the shared stages do the
 * rest: URL safety check, idempotency key, timeout, retry with backoff, delivery record.
 */
import type { Alert, AlertAction, Labels } from '../../model/types.js';

/** Kinds of receiver. There is deliberately no command/shell receiver. */
export type ReceiverKind = 'webhook' | 'slack' | 'teams' | 'pagerduty' | 'email';

/** One alert inside a notification. */
export interface NotifiedAlert {
  readonly alert: Alert;
  /** Its routing labels (series labels + service, endpoint, metric, severity, type). */
  readonly labels: Labels;
  /** The last action that changed it. */
  readonly action: AlertAction;
  /** Actual and expected value of its latest anomaly, when known. */
  readonly value: number | null;
  readonly expected: number | null;
  /** Dashboard link to the alert. */
  readonly url: string;
  /** Dashboard link to the series chart around the alert. */
  readonly seriesUrl: string;
}

/** What one delivery tells one receiver (the delivery's stored payload, schema version 2). */
export interface Notification {
  readonly version: '2';
  /** Same as the delivery id; sent as `Idempotency-Key` / PagerDuty `dedup_key` basis. */
  readonly idempotencyKey: string;
  readonly receiver: string;
  /** Group key, `<route id>:{label="value",…}`. */
  readonly groupKey: string;
  readonly groupLabels: Labels;
  /** `firing` while any alert is open (firing or acknowledged), else `resolved`. */
  readonly status: 'firing' | 'resolved';
  /** At least one. */
  readonly alerts: readonly NotifiedAlert[];
  /** Dashboard base URL. */
  readonly externalUrl: string;
  /** When the notification was decided, Unix ms (from the ingest log). */
  readonly at: number;
  /** Set on a silence expiry reminder: the silence that ends soon and still mutes `alerts`. */
  readonly reminder?: SilenceReminder;
}

/** What a silence expiry reminder says about the silence. */
export interface SilenceReminder {
  readonly silenceId: string;
  /** Unix ms. */
  readonly endsAt: number;
  readonly createdBy: string;
  readonly comment: string;
}

/** An HTTP request to send (POST). */
export interface HttpMessage {
  readonly transport: 'http';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** A mail to send through the receiver's SMTP server. */
export interface MailMessage {
  readonly transport: 'smtp';
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Stable across retries: `<idempotency key@vigil>`. */
  readonly messageId: string;
}

export type OutboundMessage = HttpMessage | MailMessage;

/** A configured receiver. Rendering is pure: same notification, same message. */
export interface Receiver {
  readonly name: string;
  readonly kind: ReceiverKind;
  /**
   * True when each alert is delivered on its own (PagerDuty: one event per alert, `dedup_key` =
   * alert id); false when one message carries the whole group.
   */
  readonly perAlert: boolean;
  /** Builds the message for a notification. @throws never for a valid notification */
  render(notification: Notification): OutboundMessage;
}
