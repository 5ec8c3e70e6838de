/**
 * Configuration schema of receivers, one variant per kind, discriminated by `type`.
 * URLs, routing keys and SMTP passwords are secrets: {@link redactReceiver} hides them for
 * `GET /config`. Unknown keys are rejected.
 */
import { z } from 'zod';

const severity = z.enum(['critical', 'high', 'medium', 'low', 'info']);

const common = {
  name: z.string().min(1).max(100),
  /** Alerts below this severity are left out of this receiver's notifications. */
  minSeverity: severity.default('info'),
};

const httpUrl = z.url({ protocol: /^https?$/ });

/** Generic JSON webhook; `format: alertmanager` sends Alertmanager's webhook payload (v4). */
export const webhookReceiverSchema = z
  .object({
    ...common,
    type: z.literal('webhook'),
    url: httpUrl,
    /** Extra headers (values redacted in `/config`). */
    headers: z.record(z.string(), z.string()).default({}),
    format: z.enum(['vigil', 'alertmanager']).default('vigil'),
  })
  .strict();

/** Slack incoming webhook (Block Kit message). */
export const slackReceiverSchema = z.object({ ...common, type: z.literal('slack'), url: httpUrl }).strict();

/** Microsoft Teams incoming webhook: Adaptive Card (Workflows) or legacy MessageCard (connectors). */
export const teamsReceiverSchema = z
  .object({
    ...common,
    type: z.literal('teams'),
    url: httpUrl,
    format: z.enum(['adaptive', 'messagecard']).default('adaptive'),
  })
  .strict();

/** PagerDuty Events API v2. */
export const pagerdutyReceiverSchema = z
  .object({
    ...common,
    type: z.literal('pagerduty'),
    /** Integration (routing) key of the PagerDuty service. */
    routingKey: z.string().min(1),
    url: httpUrl.default('https://events.pagerduty.com/v2/enqueue'),
  })
  .strict();

/** Email through an SMTP server (plain text + HTML). */
export const emailReceiverSchema = z
  .object({
    ...common,
    type: z.literal('email'),
    smtp: z
      .object({
        host: z.string().min(1),
        port: z.number().int().min(1).max(65535).default(587),
        /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
        secure: z.boolean().default(false),
        /** Refuse to send unless STARTTLS succeeds. */
        requireTLS: z.boolean().default(false),
        auth: z
          .object({ user: z.string().min(1), pass: z.string() })
          .strict()
          .optional(),
      })
      .strict(),
    from: z.string().min(3),
    to: z.array(z.email()).min(1),
  })
  .strict();

/** Any receiver. */
export const receiverConfigSchema = z.discriminatedUnion('type', [
  webhookReceiverSchema,
  slackReceiverSchema,
  teamsReceiverSchema,
  pagerdutyReceiverSchema,
  emailReceiverSchema,
]);

export type ReceiverConfig = z.infer<typeof receiverConfigSchema>;
export type WebhookReceiverConfig = z.infer<typeof webhookReceiverSchema>;
export type SlackReceiverConfig = z.infer<typeof slackReceiverSchema>;
export type TeamsReceiverConfig = z.infer<typeof teamsReceiverSchema>;
export type PagerdutyReceiverConfig = z.infer<typeof pagerdutyReceiverSchema>;
export type EmailReceiverConfig = z.infer<typeof emailReceiverSchema>;

/**
 * Keeps only the scheme and host of a URL: user info, path and query may all carry tokens
 * (Slack and Teams webhook URLs keep theirs in the path).
 */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    const secret = u.username || u.password || u.pathname.length > 1 || u.search;
    return `${u.protocol}//${u.host}${secret ? '/[redacted]' : '/'}`;
  } catch {
    return '[invalid url]';
  }
}

/** The receiver with its secrets (URL paths, header values, routing key, SMTP password) replaced by `[redacted]`. */
export function redactReceiver(r: ReceiverConfig): unknown {
  switch (r.type) {
    case 'webhook':
      return {
        ...r,
        url: redactUrl(r.url),
        headers: Object.fromEntries(Object.keys(r.headers).map((k) => [k, '[redacted]'])),
      };
    case 'slack':
    case 'teams':
      return { ...r, url: redactUrl(r.url) };
    case 'pagerduty':
      return { ...r, routingKey: '[redacted]', url: redactUrl(r.url) };
    case 'email':
      return {
        ...r,
        smtp: { ...r.smtp, ...(r.smtp.auth ? { auth: { user: r.smtp.auth.user, pass: '[redacted]' } } : {}) },
      };
  }
}
