import { describe, expect, it } from 'vitest';
import { type AlertLifecycleOptions, AlertManager } from '../../src/alerting/alert-manager.js';
import { severityFor } from '../../src/alerting/severity.js';
import type { Alert, AlertAction, Anomaly } from '../../src/model/types.js';

const OPTS: AlertLifecycleOptions = {
  triggerCount: 2,
  triggerWindowMs: 300_000,
  recoveryWindowMs: 600_000,
  criticalScore: 0.999,
};
const SERIES = { id: 's1', service: 'svc', endpoint: 'e', metric: 'm', labels: {} };

function anomaly(t: number, score = 0.95): Omit<Anomaly, 'alertId'> {
  return {
    id: `a${t}`,
    seriesId: 's1',
    service: 'svc',
    endpoint: 'e',
    metric: 'm',
    labels: {},
    t,
    value: 10,
    expected: 1,
    lower: 0,
    upper: 2,
    score,
    confidence: 0.9,
    type: 'spike',
    component: 'noise',
    severity: 'low',
    outOfDeclaredRange: false,
    explanation: 'x',
  };
}

function manager(opts = OPTS) {
  const changes: Array<[AlertAction, Alert]> = [];
  const m = new AlertManager(opts, { alertChanged: (a, _e, action) => changes.push([action, a]) });
  return { m, changes };
}

describe('AlertManager', () => {
  it('opens only once the trigger count is reached within the window', () => {
    const { m, changes } = manager();
    expect(m.onAnomaly(SERIES, anomaly(0))).toBeNull();
    // The first anomaly falls out of the trigger window: still no alert.
    expect(m.onAnomaly(SERIES, anomaly(400_000))).toBeNull();
    const id = m.onAnomaly(SERIES, anomaly(450_000));
    expect(id).toBe('1');
    expect(changes.map(([a]) => a)).toEqual(['opened']);
    expect(m.openAlertOf('s1')).toMatchObject({ startsAt: 400_000, anomalyCount: 2, status: 'firing' });
  });

  it('deduplicates per series, escalates with duration, and auto-resolves after the recovery window only', () => {
    const { m, changes } = manager({ ...OPTS, triggerCount: 1 });
    const id = m.onAnomaly(SERIES, anomaly(0, 0.95));
    expect(m.openAlertOf('s1')?.severity).toBe('medium');
    expect(m.onAnomaly(SERIES, anomaly(60_000))).toBe(id);
    expect(m.onAnomaly(SERIES, anomaly(700_000))).toBe(id); // lasted > 10 min: one step up
    expect(m.openAlertOf('s1')?.severity).toBe('high');
    m.onNormal('s1', 700_000 + 599_999);
    expect(m.openAlertOf('s1')?.status).toBe('firing');
    m.onNormal('s1', 700_000 + 600_000);
    expect(m.openAlertOf('s1')).toBeNull();
    expect(changes.map(([a]) => a)).toEqual(['opened', 'updated', 'escalated', 'auto_resolved']);
    expect(changes.at(-1)?.[1]).toMatchObject({ status: 'resolved', resolvedAt: 1_300_000, anomalyCount: 3 });
  });

  it('acknowledge then resolve; refuses unknown alerts; state survives snapshot/restore', () => {
    const { m } = manager({ ...OPTS, triggerCount: 1 });
    const id = m.onAnomaly(SERIES, anomaly(0))!;
    expect(m.act({ action: 'acknowledge', alertId: 'nope', by: null, note: null, at: 1 })).toBe('not_found');
    const acked = m.act({ action: 'acknowledge', alertId: id, by: 'ann', note: 'mine', at: 5 });
    expect(acked).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: 'ann',
      acknowledgedAt: 5,
      version: 2,
    });
    const copy = manager({ ...OPTS, triggerCount: 1 });
    copy.m.restore(JSON.parse(JSON.stringify(m.snapshot())));
    const resolved = copy.m.act({ action: 'resolve', alertId: id, by: 'ann', note: 'fixed', at: 9 });
    expect(resolved).toMatchObject({ status: 'resolved', resolvedBy: 'ann', version: 3 });
    expect(copy.m.onAnomaly(SERIES, anomaly(20))).toBe('2');
  });
});

describe('severityFor', () => {
  it('maps score, confidence and duration to a severity', () => {
    const o = { criticalScore: 0.999 };
    expect(severityFor(0.9995, 1, 0, o)).toBe('critical');
    expect(severityFor(0.995, 1, 0, o)).toBe('high');
    expect(severityFor(0.95, 1, 0, o)).toBe('medium');
    expect(severityFor(0.5, 1, 0, o)).toBe('low');
    expect(severityFor(0.5, 0.2, 0, o)).toBe('info');
    expect(severityFor(0.5, 1, 3_600_000, o)).toBe('high');
    expect(severityFor(0.995, 1, 3_600_000, o)).toBe('critical');
  });
});

describe('AlertManager acknowledgement expiry', () => {
  it('fires again when an acknowledgement lapses while the alert is open, once', () => {
    const { m, changes } = manager({ ...OPTS, triggerCount: 1 });
    const id = m.onAnomaly(SERIES, anomaly(1000)) as string;
    const acked = m.act({
      action: 'acknowledge',
      alertId: id,
      by: 'ann',
      note: null,
      at: 5000,
      ackExpiresAt: 65_000,
    });
    expect(acked).toMatchObject({ status: 'acknowledged', ackExpiresAt: 65_000, version: 2 });
    expect(m.nextAckExpiry()).toBe(65_000);
    expect(m.expireAcks(64_999)).toBe(0);
    expect(m.expireAcks(65_000)).toBe(1);
    expect(m.openAlert(id)).toMatchObject({
      status: 'firing',
      ackExpiresAt: null,
      acknowledgedBy: 'ann',
      version: 3,
    });
    expect(changes.at(-1)?.[0]).toBe('ack_expired');
    expect(m.expireAcks(100_000)).toBe(0);
    expect(m.nextAckExpiry()).toBeNull();
  });

  it('clears the acknowledgement expiry when the alert resolves', () => {
    const { m } = manager({ ...OPTS, triggerCount: 1 });
    const id = m.onAnomaly(SERIES, anomaly(1000)) as string;
    m.act({ action: 'acknowledge', alertId: id, by: 'ann', note: null, at: 5000, ackExpiresAt: 65_000 });
    const resolved = m.act({ action: 'resolve', alertId: id, by: 'ann', note: null, at: 6000 });
    expect(resolved).toMatchObject({ status: 'resolved', ackExpiresAt: null });
    expect(m.nextAckExpiry()).toBeNull();
    expect(m.expireAcks(70_000)).toBe(0);
  });
});
