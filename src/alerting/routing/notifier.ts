/**
 * The deterministic notification stages between the alert lifecycle and the outbox:
 * route (matchRoutes) → group (Grouper) → mute (silences, inhibition, receiver minimum
 * severity) → deliveries. Everything it decides comes from its inputs and the `now` it is
 * given — the pipeline passes the ingest-log time of the record being applied — so a replay of
 * the log after a crash rebuilds the same deliveries with the same ids, and the store's
 * insert-or-ignore keeps the progress of those already attempted.
 *
 * Delivery ids (= idempotency keys): `<receiver>:<group id>:<group notification seq>` for
 * receivers that take a group per message, `<receiver>:<alert id>:<alert version>` for
 * per-alert receivers (PagerDuty), so a repeated group notification never pages twice for the
 * same alert version.
 */
import type { Alert, AlertAction, Delivery, Severity } from '../../model/types.js';
import type { MaintenanceWindow } from '../maintenance/window.js';
import type { Notification, NotifiedAlert } from '../receivers/types.js';
import { severityRank } from '../severity.js';
import { isInhibited } from '../silences/inhibition.js';
import {
  isSilenced,
  nextSilenceChange,
  type Silence,
  silenceMatches,
  silenceState,
} from '../silences/silence.js';
import {
  Grouper,
  type GrouperSnapshot,
  type GroupMember,
  type GroupNotification,
  type MuteFn,
} from './grouping.js';
import { alertLabels } from './labels.js';
import { matchRoutes } from './match.js';
import type { Route } from './tree.js';

/** What the notifier needs to know of a receiver. */
export interface NotifierReceiver {
  readonly name: string;
  readonly minSeverity: Severity;
  /** One delivery per alert (PagerDuty) instead of one per group notification. */
  readonly perAlert: boolean;
}

/** Options of the {@link Notifier}. */
export interface NotifierOptions {
  readonly tree: Route;
  readonly receivers: readonly NotifierReceiver[];
  /** Dashboard base URL for links, e.g. `https://vigil.example.com`. */
  readonly publicUrl: string;
  /** Let open critical alerts inhibit lower ones of the same service (default true). */
  readonly inhibit?: boolean;
  /** How long before a silence ends the receivers of the alerts it mutes get a reminder, ms (0 = none; default 1 h). */
  readonly silenceReminderMs?: number;
}

/** Serializable state of a {@link Notifier} (for the pipeline checkpoint). */
export interface NotifierSnapshot {
  readonly grouper: GrouperSnapshot;
  readonly open: readonly Alert[];
  readonly silences: readonly Silence[];
  /** Ids of silences whose expiry reminder was sent (absent in older checkpoints). */
  readonly reminded?: readonly string[];
}

/** Actual/expected of the anomaly behind an alert change, when there was one. */
export interface AnomalyValues {
  readonly value: number;
  readonly expected: number;
}

/** Routes, groups and mutes alert changes into deliveries. */
export class Notifier {
  private readonly grouper = new Grouper();
  private readonly open = new Map<string, Alert>();
  private silences: readonly Silence[] = [];
  private maintenance: readonly MaintenanceWindow[] = [];
  private readonly reminded = new Set<string>();
  private readonly receivers: ReadonlyMap<string, NotifierReceiver>;
  private readonly base: string;
  private readonly mute: MuteFn;

  constructor(private readonly options: NotifierOptions) {
    this.receivers = new Map(options.receivers.map((r) => [r.name, r]));
    this.base = options.publicUrl.replace(/\/$/, '');
    this.mute = (m, now) =>
      isSilenced(m.labels, this.silences, now) ||
      this.inMaintenance(m.labels, now) ||
      ((options.inhibit ?? true) && isInhibited(m.alert, this.open.values()));
  }

  /** Whether an active maintenance window covers these labels at `now`. */
  inMaintenance(labels: Alert['labels'], now: number): boolean {
    return this.maintenance.some((w) => w.activeAt(now) && w.matches(labels));
  }

  /** Replaces the maintenance windows (configured and created through the API). */
  setMaintenance(windows: readonly MaintenanceWindow[]): void {
    this.maintenance = [...windows];
  }

  /** The silences in force (active, pending and not yet dropped expired ones). */
  get currentSilences(): readonly Silence[] {
    return this.silences;
  }

  /** Replaces the silences (from the silence log records applied so far). */
  setSilences(silences: readonly Silence[]): void {
    this.silences = [...silences];
    // A replaced silence (new end) earns a new reminder; forgotten ones are dropped.
    const ends = new Map(silences.map((x) => [x.id, x.endsAt]));
    for (const id of [...this.reminded]) if (!ends.has(id)) this.reminded.delete(id);
  }

  /**
   * Records an alert change (every action, `updated` included: it refreshes the alert's data).
   * @param values actual/expected of the anomaly that caused it; kept from earlier changes when null
   * @param now ingest-log time of the change, Unix ms
   */
  alertChanged(alert: Alert, action: AlertAction, values: AnomalyValues | null, now: number): void {
    if (alert.status === 'resolved') this.open.delete(alert.id);
    else this.open.set(alert.id, alert);
    const labels = alertLabels(alert);
    const previous = this.grouper.member(alert.id);
    const member: GroupMember = {
      alert,
      labels,
      action: action === 'updated' ? (previous?.action ?? 'opened') : action,
      value: values?.value ?? previous?.value ?? null,
      expected: values?.expected ?? previous?.expected ?? null,
    };
    this.grouper.observe(matchRoutes(this.options.tree, labels), member, now);
  }

  /**
   * Deliveries due at `now` (group waits and intervals elapsed, repeats due).
   * @param now ingest-log time, Unix ms; also the deliveries' `createdAt` and first `nextAttemptAt`
   */
  flush(now: number): Delivery[] {
    return [
      ...this.grouper.flush(now, this.mute).flatMap((n) => this.deliveriesOf(n, now)),
      ...this.reminders(now),
    ];
  }

  /** Next time (Unix ms) {@link flush} may produce deliveries with no other input, or null. */
  nextWakeAt(now: number): number | null {
    const times = [this.grouper.nextDueAt(now, this.mute), nextSilenceChange(this.silences, now)];
    for (const w of this.maintenance) times.push(w.nextChange(now));
    for (const s of this.silences) {
      const at = this.reminderAt(s);
      if (at !== null && !this.reminded.has(s.id) && silenceState(s, now) !== 'expired') times.push(at);
    }
    let next: number | null = null;
    for (const t of times) if (t !== null && (next === null || t < next)) next = t;
    return next;
  }

  /**
   * When a silence's expiry reminder is due (Unix ms), or null for none: `silenceReminderMs`
   * before its end, but at most a quarter of its length (a 1 h silence reminds 15 min before
   * it ends), and none when that lead is under a minute.
   */
  private reminderAt(s: Silence): number | null {
    const lead = Math.min(this.options.silenceReminderMs ?? 3_600_000, (s.endsAt - s.startsAt) / 4);
    return lead < 60_000 ? null : s.endsAt - lead;
  }

  /**
   * Expiry reminders: once per silence, shortly before it ends (see {@link reminderAt}), one delivery per
   * receiver that the open alerts it mutes are routed to (per-alert receivers such as PagerDuty
   * excepted: a reminder is not a page). A silence that mutes nothing reminds no one.
   * Delivery id: `<receiver>:silence:<silence id>:reminder`.
   */
  private reminders(now: number): Delivery[] {
    const out: Delivery[] = [];
    for (const s of this.silences) {
      const at = this.reminderAt(s);
      if (at === null || at > now || this.reminded.has(s.id) || silenceState(s, now) !== 'active') continue;
      this.reminded.add(s.id);
      const muted = [...this.open.values()]
        .filter((a) => silenceMatches(s, alertLabels(a)))
        .sort((a, b) => Number(a.id) - Number(b.id));
      const byReceiver = new Map<string, GroupMember[]>();
      for (const a of muted) {
        const labels = alertLabels(a);
        const member: GroupMember = {
          ...(this.grouper.member(a.id) ?? { value: null, expected: null }),
          alert: a,
          labels,
          action: this.grouper.member(a.id)?.action ?? 'opened',
        };
        for (const route of matchRoutes(this.options.tree, labels)) {
          const list = byReceiver.get(route.receiver) ?? [];
          if (!list.some((m) => m.alert.id === a.id)) list.push(member);
          byReceiver.set(route.receiver, list);
        }
      }
      for (const [receiver, members] of byReceiver) {
        const r = this.receivers.get(receiver);
        if (!r || r.perAlert) continue;
        const id = `${receiver}:silence:${s.id}:reminder`;
        const first = members[0] as GroupMember;
        const notification: Notification = {
          version: '2',
          idempotencyKey: id,
          receiver,
          groupKey: `silence:${s.id}`,
          groupLabels: {},
          status: 'firing',
          alerts: members.slice(0, 50).map((m) => this.notified(m)),
          externalUrl: this.base,
          at: now,
          reminder: { silenceId: s.id, endsAt: s.endsAt, createdBy: s.createdBy, comment: s.comment },
        };
        out.push(pendingDelivery(notification, first.alert, now));
      }
    }
    return out;
  }

  private notified(m: GroupMember): NotifiedAlert {
    const a = m.alert;
    const from = a.startsAt - 30 * 60_000;
    const to = (a.resolvedAt ?? a.lastAnomalyAt) + 5 * 60_000;
    return {
      alert: a,
      labels: m.labels,
      action: m.action,
      value: m.value,
      expected: m.expected,
      url: `${this.base}/#/alerts/${encodeURIComponent(a.id)}`,
      seriesUrl: `${this.base}/#/series?${new URLSearchParams({ ids: a.seriesId, from: String(from), to: String(to) })}`,
    };
  }

  private deliveriesOf(n: GroupNotification, now: number): Delivery[] {
    const r = this.receivers.get(n.receiver);
    if (!r) return [];
    const members = n.members.filter((m) => severityRank(m.alert.severity) >= severityRank(r.minSeverity));
    if (members.length === 0) return [];
    const make = (id: string, alerts: readonly GroupMember[]): Delivery => {
      const first = alerts[0] as GroupMember;
      const notification: Notification = {
        version: '2',
        idempotencyKey: id,
        receiver: r.name,
        groupKey: n.groupKey,
        groupLabels: n.groupLabels,
        status: alerts.some((m) => m.alert.status !== 'resolved') ? 'firing' : 'resolved',
        alerts: alerts.map((m) => this.notified(m)),
        externalUrl: this.base,
        at: now,
      };
      return pendingDelivery(notification, first.alert, now);
    };
    if (r.perAlert) return members.map((m) => make(`${r.name}:${m.alert.id}:${m.alert.version}`, [m]));
    return [make(`${r.name}:${n.groupId}:${n.seq}`, members)];
  }

  /** Serializable state (for checkpoints). */
  snapshot(): NotifierSnapshot {
    return {
      grouper: this.grouper.snapshot(),
      open: [...this.open.values()],
      silences: [...this.silences],
      reminded: [...this.reminded],
    };
  }

  /** Replaces the state by one made with {@link snapshot}. */
  restore(s: NotifierSnapshot): void {
    this.grouper.restore(s.grouper);
    this.open.clear();
    for (const a of s.open) this.open.set(a.id, a);
    this.silences = [...s.silences];
    this.reminded.clear();
    for (const id of s.reminded ?? []) this.reminded.add(id);
  }
}

/**
 * A delivery of `notification` due at once (id = its idempotency key), filed under `alert`
 * (the first alert it carries) for `GET /api/deliveries?alertId=`.
 */
function pendingDelivery(notification: Notification, alert: Alert, now: number): Delivery {
  return {
    id: notification.idempotencyKey,
    receiver: notification.receiver,
    alertId: alert.id,
    alertVersion: alert.version,
    payload: JSON.stringify(notification),
    status: 'pending',
    attempts: 0,
    lastError: null,
    createdAt: now,
    lastAttemptAt: null,
    nextAttemptAt: now,
  };
}
