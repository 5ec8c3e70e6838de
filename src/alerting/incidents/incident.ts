/**
 * Incidents: alerts that fire together on one service, or on services that call each other,
 * gathered into one record with a timeline and a blast-radius summary (which series, of which
 * services, since when). An incident opens with its first alert and resolves when its last open
 * alert resolves.
 *
 * Joining rule, deterministic (applied when an alert opens, in log order):
 * 1. the anomaly that opened the alert belongs to an anomaly correlation group (the engine's
 *    `AnomalyCorrelator`: same service or related by caller → callee edges within its window)
 *    already attached to an open incident → that incident;
 * 2. otherwise an open incident with an open alert on the same service → that incident;
 * 3. otherwise a new incident `inc-<alert id>`.
 * This follows the grouping step of alert-correlation systems (alerts linked by time and
 * topology; see Julisch, "Clustering intrusion detection alarms to support root cause
 * analysis", ACM TISSEC 6(4), 2003, and Alertmanager's grouping by labels).
 *
 * No I/O: changed incidents are handed to the caller through {@link IncidentTracker.drainChanged}.
 */
import type {
  Alert,
  AlertAction,
  BlastRadius,
  Incident,
  IncidentEvent,
  IncidentMember,
} from '../../model/types.js';
import { maxSeverity } from '../severity.js';

export type { BlastRadius, Incident, IncidentEvent, IncidentMember } from '../../model/types.js';

/** Most timeline entries kept per incident. */
export const MAX_TIMELINE = 500;
/** Most alerts kept per incident (later ones still count in the blast radius' open alerts). */
export const MAX_MEMBERS = 1000;

interface OpenIncident {
  incident: Incident;
  /** Correlation group ids attached (raw; resolved through the correlator when compared). */
  groups: string[];
}

/** JSON state of an {@link IncidentTracker}: the open incidents and the alert → incident map of open alerts. */
export interface IncidentTrackerState {
  readonly open: ReadonlyArray<{ readonly incident: Incident; readonly groups: readonly string[] }>;
}

/** Resolves a correlation group id to the id of the group it was merged into (identity when unmerged). */
export type GroupResolver = (groupId: string) => string;

/** Keeps open incidents and turns alert changes into incident changes. */
export class IncidentTracker {
  private readonly open = new Map<string, OpenIncident>();
  /** Incident of every alert of an open incident. */
  private readonly alertIncident = new Map<string, string>();
  private changed = new Map<string, Incident>();

  /**
   * @param resolveGroup maps a correlation group id to the group it was merged into.
   * @param onChange called with every new version of an incident (opened, member status or
   *   severity changed, resolved), synchronously, in the order of the changes.
   */
  constructor(
    private readonly resolveGroup: GroupResolver = (g) => g,
    private readonly onChange: (incident: Incident) => void = () => {},
  ) {}

  /** Number of open incidents. */
  get openCount(): number {
    return this.open.size;
  }

  /** The open incident with this id, if any. */
  get(id: string): Incident | null {
    return this.open.get(id)?.incident ?? null;
  }

  /**
   * Records an alert change.
   * @param group correlation group of the anomaly behind the change, or null (user actions)
   * @param at time of the change, Unix ms (event time for sample-driven changes)
   * @returns the id of the alert's incident, or null when the alert belongs to none (an
   *   `updated` change of an alert opened before incidents existed)
   */
  alertChanged(alert: Alert, action: AlertAction, group: string | null, at: number): string | null {
    let id = this.alertIncident.get(alert.id) ?? null;
    if (id === null) {
      if (action !== 'opened') return null;
      id = this.join(alert, group);
    }
    const entry = this.open.get(id);
    if (!entry) return id;
    if (group !== null && !entry.groups.some((g) => this.resolveGroup(g) === this.resolveGroup(group))) {
      entry.groups.push(group);
    }
    if (action === 'updated') {
      // Counts and scores are not part of the incident: skip the copy unless the member changed.
      const m = entry.incident.alerts.find((x) => x.alertId === alert.id);
      if (m === undefined || m.severity !== alert.severity || m.status !== alert.status)
        this.update(entry, alert, null, at);
      return id;
    }
    this.update(entry, alert, { at, action, alertId: alert.id, text: describe(alert, action) }, at);
    return id;
  }

  private join(alert: Alert, group: string | null): string {
    const resolved = group === null ? null : this.resolveGroup(group);
    let target: OpenIncident | undefined;
    if (resolved !== null) {
      for (const o of this.open.values()) {
        if (o.groups.some((g) => this.resolveGroup(g) === resolved)) {
          target = o;
          break;
        }
      }
    }
    target ??= [...this.open.values()].find((o) =>
      o.incident.alerts.some((m) => m.service === alert.service && m.status !== 'resolved'),
    );
    if (target) {
      this.alertIncident.set(alert.id, target.incident.id);
      return target.incident.id;
    }
    const id = `inc-${alert.id}`;
    const incident: Incident = {
      id,
      status: 'open',
      severity: alert.severity,
      title: alert.summary,
      startedAt: alert.startsAt,
      updatedAt: alert.startsAt,
      resolvedAt: null,
      alerts: [],
      blastRadius: blastRadius([], alert.startsAt),
      timeline: [
        {
          at: alert.startsAt,
          action: 'incident_opened',
          alertId: alert.id,
          text: `incident opened by ${seriesName(alert)}`,
        },
      ],
      version: 0,
    };
    this.open.set(id, { incident, groups: group === null ? [] : [group] });
    this.alertIncident.set(alert.id, id);
    return id;
  }

  private update(entry: OpenIncident, alert: Alert, event: IncidentEvent | null, at: number): void {
    const before = entry.incident;
    const member: IncidentMember = {
      alertId: alert.id,
      seriesId: alert.seriesId,
      service: alert.service,
      endpoint: alert.endpoint,
      metric: alert.metric,
      severity: alert.severity,
      status: alert.status,
      since: alert.startsAt,
      resolvedAt: alert.resolvedAt,
    };
    const index = before.alerts.findIndex((m) => m.alertId === alert.id);
    const alerts = [...before.alerts];
    if (index >= 0) alerts[index] = member;
    else if (alerts.length < MAX_MEMBERS) alerts.push(member);
    const startedAt = Math.min(before.startedAt, alert.startsAt);
    const radius = blastRadius(alerts, startedAt);
    const allResolved = alerts.every((m) => m.status === 'resolved');
    let timeline = event ? [...before.timeline, event] : before.timeline;
    if (allResolved) {
      timeline = [
        ...timeline,
        { at, action: 'incident_resolved', alertId: null, text: 'every alert of the incident resolved' },
      ];
    }
    if (timeline.length > MAX_TIMELINE)
      timeline = [timeline[0] as IncidentEvent, ...timeline.slice(-(MAX_TIMELINE - 1))];
    const otherServices = radius.services.length - 1;
    const first = alerts[0];
    const incident: Incident = {
      ...before,
      status: allResolved ? 'resolved' : 'open',
      severity: maxSeverity(before.severity, alert.severity),
      title:
        first === undefined
          ? before.title
          : `${seriesName(first)}${otherServices > 0 ? ` and ${otherServices} more service${otherServices > 1 ? 's' : ''}` : ''}`,
      startedAt,
      updatedAt: Math.max(before.updatedAt, at),
      resolvedAt: allResolved ? at : null,
      alerts,
      blastRadius: radius,
      timeline,
      version: before.version + 1,
    };
    entry.incident = incident;
    this.changed.set(incident.id, incident);
    this.onChange(incident);
    if (allResolved) {
      this.open.delete(incident.id);
      for (const m of alerts) this.alertIncident.delete(m.alertId);
    }
  }

  /** Incidents changed since the last call (latest version of each), for writing. */
  drainChanged(): Incident[] {
    const out = [...this.changed.values()];
    this.changed = new Map();
    return out;
  }

  /** Gives back incidents that could not be written (kept unless a newer version is pending). */
  returnChanged(incidents: readonly Incident[]): void {
    for (const i of incidents) if (!this.changed.has(i.id)) this.changed.set(i.id, i);
  }

  /** Serializable state (for checkpoints). */
  snapshot(): IncidentTrackerState {
    return { open: [...this.open.values()].map((o) => ({ incident: o.incident, groups: [...o.groups] })) };
  }

  /** Replaces the state by one made with {@link snapshot} (undefined: empty, for older checkpoints). */
  restore(state: IncidentTrackerState | undefined): void {
    this.open.clear();
    this.alertIncident.clear();
    this.changed = new Map();
    for (const o of state?.open ?? []) {
      this.open.set(o.incident.id, { incident: o.incident, groups: [...o.groups] });
      for (const m of o.incident.alerts) this.alertIncident.set(m.alertId, o.incident.id);
    }
  }
}

function seriesName(a: { service: string; endpoint: string; metric: string }): string {
  return [a.service, a.endpoint, a.metric].filter((x) => x !== '' && x !== '*').join(' ');
}

function describe(alert: Alert, action: AlertAction): string {
  const name = seriesName(alert);
  switch (action) {
    case 'opened':
      return `${name} opened (${alert.severity}): ${alert.summary}`;
    case 'escalated':
      return `${name} escalated to ${alert.severity}: ${alert.summary}`;
    case 'acknowledged':
      return `${name} acknowledged by ${alert.acknowledgedBy ?? 'unknown'}${alert.note ? `: ${alert.note}` : ''}`;
    case 'ack_expired':
      return `${name}: acknowledgement lapsed while still firing`;
    case 'resolved':
      return `${name} resolved by ${alert.resolvedBy ?? 'unknown'}${alert.note ? `: ${alert.note}` : ''}`;
    case 'auto_resolved':
      return `${name} resolved by itself (normal again)`;
    case 'updated':
      return `${name} updated`;
  }
}

/** Blast radius of the members: services (sorted), series count, open alerts, since. */
export function blastRadius(members: readonly IncidentMember[], since: number): BlastRadius {
  const services = [...new Set(members.map((m) => m.service))].sort();
  const series = new Set(members.map((m) => m.seriesId)).size;
  const openAlerts = members.filter((m) => m.status !== 'resolved').length;
  const shown = services.slice(0, 5).join(', ') + (services.length > 5 ? ', …' : '');
  return {
    services,
    series,
    openAlerts,
    since,
    summary: `${series} series on ${services.length} service${services.length === 1 ? '' : 's'} (${shown}) since ${new Date(since).toISOString()}`,
  };
}
