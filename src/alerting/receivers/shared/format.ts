/**
 * Text shared by every receiver: the anomaly explanation of an alert (actual vs expected,
 * type, duration, link) and escaping for HTML and Slack mrkdwn.
 */
import type { Alert } from '../../../model/types.js';
import type { Notification, NotifiedAlert } from '../types.js';

/**
 * Compact duration: `45 s`, `12 min`, `3 h 5 min`, `2 d 4 h`.
 * @param ms duration, ms (negative read as 0)
 */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d} d` : `${d} d ${h % 24} h`;
}

/** A number with at most 4 significant digits, e.g. `1234`, `0.1235`, `1.235e+6`. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 1e6 || (x !== 0 && Math.abs(x) < 1e-3)) return x.toPrecision(4);
  return String(Number(x.toPrecision(4)));
}

/** How long the alert has lasted (or lasted), ms. */
export function alertDurationMs(alert: Alert): number {
  return (alert.resolvedAt ?? alert.lastAnomalyAt) - alert.startsAt;
}

/** `api /checkout latency_ms` (+ ` {region="eu"}` when it has labels). */
export function seriesName(alert: Alert): string {
  const labels = Object.entries(alert.labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ');
  return `${alert.service} ${alert.endpoint} ${alert.metric}${labels ? ` {${labels}}` : ''}`;
}

/** Status word shown to people: FIRING, ACKNOWLEDGED or RESOLVED. */
export function statusWord(alert: Alert): string {
  return alert.status.toUpperCase();
}

/** One-line title of an alert: `[HIGH] spike on api /checkout latency_ms`. */
export function alertTitle(alert: Alert): string {
  return `[${alert.severity.toUpperCase()}] ${alert.type.replace('_', ' ')} on ${seriesName(alert)}`;
}

/**
 * The explanation of one alert as lines of plain text: status, actual vs expected, type,
 * duration, the detector's sentence, who acknowledged or resolved it, and links.
 */
export function explainLines(n: NotifiedAlert): string[] {
  const a = n.alert;
  const lines = [`${statusWord(a)} ${alertTitle(a)}`];
  if (n.value !== null && n.expected !== null) {
    lines.push(
      `Actual ${formatNumber(n.value)} vs expected ${formatNumber(n.expected)} (${a.type.replace('_', ' ')})`,
    );
  } else {
    lines.push(`Type: ${a.type.replace('_', ' ')}`);
  }
  lines.push(
    a.type === 'no_data'
      ? `${a.status === 'resolved' ? 'Was silent' : 'Silent'} for ${formatDuration(alertDurationMs(a))} since the alert opened`
      : `${a.status === 'resolved' ? 'Lasted' : 'For'} ${formatDuration(alertDurationMs(a))}, ${a.anomalyCount} anomalous points, peak score ${formatNumber(a.maxScore)}`,
  );
  lines.push(a.summary);
  if (a.acknowledgedBy) lines.push(`Acknowledged by ${a.acknowledgedBy}`);
  if (a.resolvedBy) lines.push(`Resolved by ${a.resolvedBy}`);
  if (a.note) lines.push(`Note: ${a.note}`);
  lines.push(`Alert: ${n.url}`, `Series: ${n.seriesUrl}`);
  return lines;
}

/** Title of a whole notification: one alert's title, or `3 alerts FIRING for service="api"`. */
export function notificationTitle(n: Notification): string {
  if (n.reminder) {
    const r = n.reminder;
    return `Reminder: silence by ${r.createdBy} ends in ${formatDuration(r.endsAt - n.at)} (${new Date(r.endsAt).toISOString()}); it still mutes ${n.alerts.length} open alert${n.alerts.length === 1 ? '' : 's'}${r.comment ? ` — ${r.comment}` : ''}`;
  }
  const first = n.alerts[0];
  if (n.alerts.length === 1 && first) return `${statusWord(first.alert)} ${alertTitle(first.alert)}`;
  const labels = Object.entries(n.groupLabels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ');
  return `${n.alerts.length} alerts ${n.status.toUpperCase()}${labels ? ` for ${labels}` : ''}`;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Escapes text for Slack mrkdwn (`&`, `<`, `>`), per Slack's formatting guide. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts text to `max` characters, ending with `…` when cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
