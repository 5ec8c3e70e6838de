/**
 * Inhibition: an open `critical` alert on a service mutes the lower-severity alerts of the
 * same service, so a page about the outage is not buried under its symptoms (Alertmanager's
 * `inhibit_rules` with source `severity="critical"`, target `severity!="critical"`,
 * `equal: [service]`).
 */
import type { Alert } from '../../model/types.js';

type Inhibitable = Pick<Alert, 'id' | 'service' | 'severity' | 'status'>;

/**
 * Ids of the open critical alerts that inhibit `alert` (empty when it is not inhibited).
 * Resolved alerts neither inhibit nor are inhibited. Pure; cost O(open alerts).
 */
export function inhibitedBy(alert: Inhibitable, openAlerts: Iterable<Inhibitable>): string[] {
  if (alert.severity === 'critical' || alert.status === 'resolved') return [];
  const out: string[] = [];
  for (const a of openAlerts) {
    if (
      a.id !== alert.id &&
      a.status !== 'resolved' &&
      a.severity === 'critical' &&
      a.service === alert.service
    ) {
      out.push(a.id);
    }
  }
  return out;
}

/**
 * Whether `alert` is inhibited by an open critical alert of its service.
 * @example isInhibited({id: '2', service: 'api', severity: 'high', status: 'firing'}, [{id: '1', service: 'api', severity: 'critical', status: 'firing'}]) // true
 */
export function isInhibited(alert: Inhibitable, openAlerts: Iterable<Inhibitable>): boolean {
  return inhibitedBy(alert, openAlerts).length > 0;
}
