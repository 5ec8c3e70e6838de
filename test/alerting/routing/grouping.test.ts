import { describe, expect, it } from 'vitest';
import {
  alertLabels,
  Grouper,
  type GroupMember,
  type MuteFn,
  matchRoutes,
  type Route,
} from '../../../src/alerting/routing/index.js';
import type { Alert } from '../../../src/model/types.js';
import { makeAlert, tree } from './fixtures.js';

const WAIT = 30_000;
const INTERVAL = 300_000;
const REPEAT = 3_600_000;
const T = tree({
  receiver: 'ops',
  groupBy: ['service'],
  groupWaitMs: WAIT,
  groupIntervalMs: INTERVAL,
  repeatIntervalMs: REPEAT,
});
const NONE: MuteFn = () => false;

function member(alert: Alert): GroupMember {
  return { alert, labels: alertLabels(alert), action: 'opened', value: 950, expected: 120 };
}

/** A grouper driven by an explicit clock. */
function harness(routeTree: Route = T) {
  const g = new Grouper();
  return {
    g,
    see(alert: Alert, now: number) {
      g.observe(matchRoutes(routeTree, alertLabels(alert)), member(alert), now);
    },
    flush(now: number, mute: MuteFn = NONE) {
      return g.flush(now, mute).map((n) => ({
        seq: n.seq,
        at: n.at,
        ids: n.members.map((m) => `${m.alert.id}@${m.alert.version}:${m.alert.status}`),
      }));
    },
  };
}

describe('Grouper', () => {
  it('notifies a new group once, group_wait after it was created, with every alert that joined meanwhile', () => {
    const h = harness();
    h.see(makeAlert({ id: '1' }), 0);
    h.see(makeAlert({ id: '2', seriesId: 'sid2' }), 10_000);
    expect(h.flush(WAIT - 1)).toEqual([]);
    expect(h.g.nextDueAt(WAIT - 1, NONE)).toBe(WAIT);
    expect(h.flush(WAIT)).toEqual([{ seq: 1, at: WAIT, ids: ['1@1:firing', '2@1:firing'] }]);
    expect(h.flush(WAIT + 1)).toEqual([]);
  });

  it('splits groups by the group_by labels', () => {
    const h = harness();
    h.see(makeAlert({ id: '1', service: 'api' }), 0);
    h.see(makeAlert({ id: '2', service: 'db' }), 0);
    expect(h.flush(WAIT).map((n) => n.ids)).toEqual([['1@1:firing'], ['2@1:firing']]);
  });

  it('notifies a change no sooner than group_interval after the previous notification', () => {
    const h = harness();
    h.see(makeAlert({ id: '1' }), 0);
    h.flush(WAIT);
    h.see(makeAlert({ id: '1', version: 2, status: 'acknowledged' }), WAIT + 1000);
    expect(h.flush(WAIT + 1000)).toEqual([]);
    expect(h.g.nextDueAt(WAIT + 1000, NONE)).toBe(WAIT + INTERVAL);
    expect(h.flush(WAIT + INTERVAL)).toEqual([{ seq: 2, at: WAIT + INTERVAL, ids: ['1@2:acknowledged'] }]);
  });

  it('does not notify an `updated` alert whose version did not change', () => {
    const h = harness();
    h.see(makeAlert({ id: '1' }), 0);
    h.flush(WAIT);
    h.see(makeAlert({ id: '1', anomalyCount: 9 }), WAIT + 1000);
    expect(h.flush(WAIT + INTERVAL)).toEqual([]);
  });

  it('re-notifies an unchanged firing group after repeat_interval, not an acknowledged one', () => {
    const h = harness();
    h.see(makeAlert({ id: '1' }), 0);
    h.flush(WAIT);
    expect(h.g.nextDueAt(WAIT + 1, NONE)).toBe(WAIT + REPEAT);
    expect(h.flush(WAIT + REPEAT - 1)).toEqual([]);
    expect(h.flush(WAIT + REPEAT)).toEqual([{ seq: 2, at: WAIT + REPEAT, ids: ['1@1:firing'] }]);
    h.see(makeAlert({ id: '1', version: 2, status: 'acknowledged' }), WAIT + REPEAT + 1);
    h.flush(WAIT + REPEAT + INTERVAL);
    expect(h.flush(WAIT + 5 * REPEAT)).toEqual([]);
    expect(h.g.nextDueAt(WAIT + 5 * REPEAT, NONE)).toBeNull();
  });

  it('sends a resolution once, then drops the alert and the empty group', () => {
    const h = harness();
    h.see(makeAlert({ id: '1' }), 0);
    h.flush(WAIT);
    h.see(makeAlert({ id: '1', version: 2, status: 'resolved', resolvedAt: 100_000 }), 100_000);
    expect(h.flush(WAIT + INTERVAL)).toEqual([{ seq: 2, at: WAIT + INTERVAL, ids: ['1@2:resolved'] }]);
    expect(h.g.size).toBe(0);
  });

  it('does not tell of an alert that resolved before anyone heard it fire', () => {
    const h = harness();
    h.see(makeAlert({ id: '1' }), 0);
    h.see(makeAlert({ id: '1', version: 2, status: 'resolved' }), 5000);
    expect(h.flush(WAIT)).toEqual([]);
    expect(h.g.size).toBe(0);
  });

  it('after a resolution leaves, the remaining alerts are not re-sent as a change', () => {
    const h = harness();
    h.see(makeAlert({ id: '1' }), 0);
    h.see(makeAlert({ id: '2', seriesId: 'sid2' }), 0);
    h.flush(WAIT);
    h.see(makeAlert({ id: '2', seriesId: 'sid2', version: 2, status: 'resolved' }), 60_000);
    expect(h.flush(WAIT + INTERVAL).map((n) => n.ids)).toEqual([['1@1:firing', '2@2:resolved']]);
    expect(h.flush(WAIT + 2 * INTERVAL)).toEqual([]);
    expect(h.g.nextDueAt(WAIT + 2 * INTERVAL, NONE)).toBe(WAIT + INTERVAL + REPEAT);
  });

  it('leaves muted alerts out and notifies them when the mute ends', () => {
    const h = harness();
    let muted = true;
    const mute: MuteFn = (m) => muted && m.alert.id === '2';
    h.see(makeAlert({ id: '1' }), 0);
    h.see(makeAlert({ id: '2', seriesId: 'sid2' }), 0);
    expect(h.flush(WAIT, mute).map((n) => n.ids)).toEqual([['1@1:firing']]);
    muted = false;
    expect(h.flush(WAIT + INTERVAL, mute).map((n) => n.ids)).toEqual([['1@1:firing', '2@1:firing']]);
  });

  it('keeps a group silent while all its alerts are muted', () => {
    const h = harness();
    h.see(makeAlert({ id: '1' }), 0);
    expect(h.flush(WAIT, () => true)).toEqual([]);
    expect(h.g.nextDueAt(WAIT, () => true)).toBeNull();
    expect(h.flush(WAIT + 1)).toHaveLength(1);
  });

  it('with group_wait 0 and group_by [...] notifies every alert change at once (per-alert groups)', () => {
    const h = harness(tree({ receiver: 'ops', groupBy: ['...'], groupWaitMs: 0, groupIntervalMs: 0 }));
    h.see(makeAlert({ id: '1' }), 5);
    h.see(makeAlert({ id: '2', seriesId: 'sid2', labels: { region: 'eu' } }), 5);
    expect(h.flush(5).map((n) => n.ids)).toEqual([['1@1:firing'], ['2@1:firing']]);
    h.see(makeAlert({ id: '1', version: 2, severity: 'critical' }), 6);
    expect(h.flush(6).map((n) => n.ids)).toEqual([['1@2:firing']]);
  });

  it('keeps an escalated alert in its old groups and adds it to newly matched ones', () => {
    const t = tree({
      receiver: 'ops',
      groupWaitMs: 0,
      groupIntervalMs: 0,
      routes: [{ matchers: ['severity="critical"'], receiver: 'pager' }],
    });
    const h = harness(t);
    h.see(makeAlert({ id: '1', severity: 'high' }), 0);
    h.flush(0);
    h.see(makeAlert({ id: '1', severity: 'critical', version: 2 }), 1);
    const out = h.g.flush(1, NONE).map((n) => [n.receiver, n.members.map((m) => m.alert.version)]);
    expect(out).toEqual([
      ['ops', [2]],
      ['pager', [2]],
    ]);
  });

  it('keeps an alert in its group of a route when a grouped-on label changes (severity escalation)', () => {
    const h = harness(tree({ receiver: 'ops', groupBy: ['severity'], groupWaitMs: 0, groupIntervalMs: 0 }));
    h.see(makeAlert({ id: '1', severity: 'high' }), 0);
    h.flush(0);
    h.see(makeAlert({ id: '1', severity: 'critical', version: 2 }), 1);
    const out = h.g.flush(1, NONE);
    expect(out.map((n) => [n.groupLabels, n.seq, n.members.map((m) => m.alert.severity)])).toEqual([
      [{ severity: 'high' }, 2, ['critical']],
    ]);
    expect(h.g.size).toBe(1);
  });

  it('restores from a snapshot taken mid-stream and then decides exactly as the original', () => {
    const a = harness();
    const b = harness();
    a.see(makeAlert({ id: '1' }), 0);
    a.flush(WAIT);
    b.g.restore(JSON.parse(JSON.stringify(a.g.snapshot())));
    for (const h of [a, b]) h.see(makeAlert({ id: '2', seriesId: 'sid2' }), 40_000);
    expect(b.flush(WAIT + INTERVAL)).toEqual(a.flush(WAIT + INTERVAL));
    expect(b.g.snapshot()).toEqual(a.g.snapshot());
  });
});
