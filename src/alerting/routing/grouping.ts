/**
 * Alert grouping as a pure, clock-injected state machine (after Alertmanager's aggregation
 * groups). Alerts sent through the same route with the same values of its `groupBy` labels
 * form a group. A group notifies:
 * - the first time `groupWaitMs` after it was created;
 * - then, when what it would send changed (an alert joined, changed version, or resolved), no
 *   sooner than `groupIntervalMs` after its previous notification;
 * - and, unchanged but with firing alerts, again `repeatIntervalMs` after its previous one.
 *
 * "What it would send" is the set of visible members: not muted (silenced or inhibited, as the
 * caller decides at `now`), and resolved members only if they were notified while open.
 * Resolved members leave the group once notified or once invisible; an empty group is dropped.
 *
 * Time is never read here: every call takes `now` (Unix ms), so a replay of the same calls
 * produces the same notifications. Cost per call O(groups × members).
 */
import { createHash } from 'node:crypto';
import type { Alert, AlertAction, Labels } from '../../model/types.js';
import type { Route } from './tree.js';

/** An alert as a group member. */
export interface GroupMember {
  readonly alert: Alert;
  /** Its routing labels (see `alertLabels`). */
  readonly labels: Labels;
  /** The last action that changed it. */
  readonly action: AlertAction;
  /** Actual and expected value of the latest anomaly, when known. */
  readonly value: number | null;
  readonly expected: number | null;
}

/** A notification a group decided to send. */
export interface GroupNotification {
  /** Human-readable group key, `<route id>:{label="value",…}`. */
  readonly groupKey: string;
  /**
   * 16 hex digits identifying this group instance: a hash of `groupKey` and a serial number,
   * so a group re-created after it emptied never reuses the delivery ids of the earlier one.
   */
  readonly groupId: string;
  readonly routeId: string;
  readonly receiver: string;
  readonly groupLabels: Labels;
  /** 1 for the group's first notification, then 2, 3, … */
  readonly seq: number;
  /** When it was decided, Unix ms. */
  readonly at: number;
  /** Visible members, in the order they joined. */
  readonly members: readonly GroupMember[];
}

/** Decides at `now` whether a member is muted (silenced, inhibited, filtered). */
export type MuteFn = (member: GroupMember, now: number) => boolean;

interface GroupState {
  readonly groupKey: string;
  readonly groupId: string;
  readonly routeId: string;
  readonly receiver: string;
  readonly groupLabels: Labels;
  readonly groupWaitMs: number;
  readonly groupIntervalMs: number;
  readonly repeatIntervalMs: number;
  readonly createdAt: number;
  members: Array<[string, GroupMember]>;
  lastNotifiedAt: number | null;
  lastFingerprint: string | null;
  /** Alert ids notified while open: their resolution is worth telling. */
  notifiedOpen: string[];
  seq: number;
}

/** Serializable state of a {@link Grouper}. */
export interface GrouperSnapshot {
  readonly groups: readonly GroupState[];
  /** Groups created so far (for group ids). */
  readonly created: number;
}

/** `{a="1",b="2"}`, sorted by name. */
export function formatLabels(labels: Labels): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return `{${parts.join(',')}}`;
}

/** Labels that change during an alert's life (escalation), left out of `['...']` grouping. */
const MUTABLE_LABELS: ReadonlySet<string> = new Set(['severity', 'type']);

/**
 * The labels of `labels` that a route groups by (absent ones omitted). `['...']` takes every
 * label but `severity` and `type`, i.e. one group per series.
 */
export function groupLabelsOf(route: Pick<Route, 'groupBy'>, labels: Labels): Labels {
  if (route.groupBy === 'all')
    return Object.fromEntries(Object.entries(labels).filter(([k]) => !MUTABLE_LABELS.has(k)));
  const out: Record<string, string> = {};
  for (const name of route.groupBy) {
    const v = labels[name];
    if (v !== undefined) out[name] = v;
  }
  return out;
}

function hash16(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** The grouping state machine. */
export class Grouper {
  private groups = new Map<string, GroupState>();
  private created = 0;

  /** Number of groups. */
  get size(): number {
    return this.groups.size;
  }

  /**
   * Records an alert change: updates the alert in every group that holds it and adds it to the
   * groups of those `routes` it is not yet in a group of (creating groups, unless the alert is
   * already resolved).
   * @param routes the routes the alert matches now (`matchRoutes`)
   * @param now time of the change, Unix ms
   */
  observe(routes: readonly Route[], member: GroupMember, now: number): void {
    const id = member.alert.id;
    const joined = new Set<string>();
    for (const g of this.groups.values()) {
      const i = g.members.findIndex(([a]) => a === id);
      if (i >= 0) {
        g.members[i] = [id, member];
        joined.add(g.routeId);
      }
    }
    for (const route of routes) {
      // Membership is sticky per route: a label that changes (severity grouped on) does not
      // move the alert to a second group of the same route.
      if (joined.has(route.id)) continue;
      const groupLabels = groupLabelsOf(route, member.labels);
      const groupKey = `${route.id}:${formatLabels(groupLabels)}`;
      let g = this.groups.get(groupKey);
      if (!g) {
        if (member.alert.status === 'resolved') continue;
        g = {
          groupKey,
          groupId: hash16(`${groupKey}#${++this.created}`),
          routeId: route.id,
          receiver: route.receiver,
          groupLabels,
          groupWaitMs: route.groupWaitMs,
          groupIntervalMs: route.groupIntervalMs,
          repeatIntervalMs: route.repeatIntervalMs,
          createdAt: now,
          members: [],
          lastNotifiedAt: null,
          lastFingerprint: null,
          notifiedOpen: [],
          seq: 0,
        };
        this.groups.set(groupKey, g);
      }
      if (!g.members.some(([a]) => a === id)) {
        if (member.alert.status === 'resolved' && !g.notifiedOpen.includes(id)) continue;
        g.members.push([id, member]);
      }
    }
  }

  private visible(g: GroupState, mute: MuteFn, now: number): GroupMember[] {
    return g.members
      .map(([, m]) => m)
      .filter((m) => (m.alert.status !== 'resolved' || g.notifiedOpen.includes(m.alert.id)) && !mute(m, now));
  }

  private static fingerprint(members: readonly GroupMember[]): string {
    return members
      .map((m) => `${m.alert.id}@${m.alert.version}`)
      .sort()
      .join(',');
  }

  /** When the group next becomes due given its visible members, or null. */
  private static dueAt(g: GroupState, visible: readonly GroupMember[]): number | null {
    if (visible.length === 0) return null;
    if (g.lastNotifiedAt === null) return g.createdAt + g.groupWaitMs;
    if (Grouper.fingerprint(visible) !== g.lastFingerprint) return g.lastNotifiedAt + g.groupIntervalMs;
    if (visible.some((m) => m.alert.status === 'firing')) return g.lastNotifiedAt + g.repeatIntervalMs;
    return null;
  }

  /**
   * Evaluates every group at `now` and returns the notifications due, in group creation order.
   * Drops resolved members that were notified or are invisible, and empty groups.
   */
  flush(now: number, mute: MuteFn): GroupNotification[] {
    const out: GroupNotification[] = [];
    for (const [key, g] of this.groups) {
      const visible = this.visible(g, mute, now);
      const due = Grouper.dueAt(g, visible);
      const notify = due !== null && due <= now;
      if (notify) {
        g.seq += 1;
        g.lastNotifiedAt = now;
        // Resolved members leave the group below, so the state to compare with is the open ones.
        const open = visible.filter((m) => m.alert.status !== 'resolved');
        g.lastFingerprint = Grouper.fingerprint(open);
        g.notifiedOpen = [...new Set([...g.notifiedOpen, ...open.map((m) => m.alert.id)])];
        out.push({
          groupKey: g.groupKey,
          groupId: g.groupId,
          routeId: g.routeId,
          receiver: g.receiver,
          groupLabels: g.groupLabels,
          seq: g.seq,
          at: now,
          members: visible,
        });
      }
      const shown = new Set(visible.map((m) => m.alert.id));
      g.members = g.members.filter(([id, m]) => m.alert.status !== 'resolved' || (shown.has(id) && !notify));
      const kept = new Set(g.members.map(([id]) => id));
      g.notifiedOpen = g.notifiedOpen.filter((id) => kept.has(id));
      if (g.members.length === 0) this.groups.delete(key);
    }
    return out;
  }

  /** Earliest time (Unix ms) at which {@link flush} would notify with no further input, or null. */
  nextDueAt(now: number, mute: MuteFn): number | null {
    let next: number | null = null;
    for (const g of this.groups.values()) {
      const due = Grouper.dueAt(g, this.visible(g, mute, now));
      if (due !== null && (next === null || due < next)) next = due;
    }
    return next;
  }

  /** The member for an alert id in any group (the first found), if any. */
  member(alertId: string): GroupMember | undefined {
    for (const g of this.groups.values()) {
      const found = g.members.find(([id]) => id === alertId);
      if (found) return found[1];
    }
    return undefined;
  }

  /** Serializable copy of the state (for checkpoints). */
  snapshot(): GrouperSnapshot {
    return { groups: structuredClone([...this.groups.values()]), created: this.created };
  }

  /** Replaces the state by one made with {@link snapshot}. */
  restore(snapshot: GrouperSnapshot): void {
    this.groups = new Map(structuredClone(snapshot.groups).map((g) => [g.groupKey, g]));
    this.created = snapshot.created;
  }
}
