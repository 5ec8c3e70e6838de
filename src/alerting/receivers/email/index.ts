/**
 * Email receiver: one mail per notification with a plain-text part and an HTML part, every
 * value HTML-escaped, and a `Message-ID` derived from the idempotency key so a retried mail
 * can be recognised as the same message. Sent through the SMTP transport of the shared stages.
 */
import type { EmailReceiverConfig } from '../config.js';
import { escapeHtml, explainLines, notificationTitle } from '../shared/format.js';
import type { MailMessage, Notification, NotifiedAlert, Receiver } from '../types.js';

function alertHtml(n: NotifiedAlert): string {
  const lines = explainLines(n);
  const [title, ...rest] = lines.slice(0, -2);
  return [
    `<h3>${escapeHtml(title ?? '')}</h3>`,
    `<ul>${rest.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`,
    `<p><a href="${escapeHtml(n.url)}">Open alert</a> · <a href="${escapeHtml(n.seriesUrl)}">Open series</a></p>`,
  ].join('\n');
}

/** Builds subject, text and HTML of a notification mail. */
export function emailContent(n: Notification): { subject: string; text: string; html: string } {
  const subject = `[Vigil] ${notificationTitle(n)}`.replace(/[\r\n]+/g, ' ');
  const text = [notificationTitle(n), '', ...n.alerts.flatMap((a) => [...explainLines(a), ''])].join('\n');
  const html = [
    '<!doctype html><html><body>',
    `<h2>${escapeHtml(notificationTitle(n))}</h2>`,
    ...n.alerts.map(alertHtml),
    `<p><small>Sent by Vigil, ${escapeHtml(n.externalUrl)}</small></p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}

/** Message-ID for a notification: stable across retries of the same delivery. */
export function messageIdOf(n: Notification): string {
  return `<${encodeURIComponent(n.idempotencyKey).replace(/%/g, '=')}@vigil>`;
}

/** Creates an email receiver. */
export function emailReceiver(config: EmailReceiverConfig): Receiver {
  return {
    name: config.name,
    kind: 'email',
    perAlert: false,
    render(n: Notification): MailMessage {
      return {
        transport: 'smtp',
        from: config.from,
        to: [...config.to],
        messageId: messageIdOf(n),
        ...emailContent(n),
      };
    },
  };
}
