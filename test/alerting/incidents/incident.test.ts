/** Incidents: joining by correlation group and by service, blast radius, timeline, resolve, snapshot. */
import { describe, expect, it } from 'vitest';
import { IncidentTracker } from '../../../src/alerting/incidents/incident.js';
import { makeAlert } from '../routing/fixtures.js';

describe('IncidentTracker', () => {
  it('opens an incident with the first alert and joins later alerts of the same service', () => {
    const t = new IncidentTracker();
    const a1 = makeAlert({ id: '1', seriesId: 's1', service: 'api', metric: 'latency_ms', startsAt: 1000 });
    expect(t.alertChanged(a1, 'opened', 'cg-a', 1000)).toBe('inc-1');
    const a2 = makeAlert({
      id: '2',
      seriesId: 's2',
      service: 'api',
      metric: 'error_rate',
      startsAt: 2000,
      severity: 'critical',
    });
    expect(t.alertChanged(a2, 'opened', 'cg-b', 2000)).toBe('inc-1');
    const inc = t.get('inc-1');
    expect(inc?.alerts.map((m) => m.alertId)).toEqual(['1', '2']);
    expect(inc?.severity).toBe('critical');
    expect(inc?.blastRadius).toMatchObject({ services: ['api'], series: 2, openAlerts: 2, since: 1000 });
    expect(inc?.blastRadius.summary).toMatch(/^2 series on 1 service \(api\) since /);
    expect(inc?.timeline.map((e) => e.action)).toEqual(['incident_opened', 'opened', 'opened']);
  });

  it('joins an alert of another service through its correlation group, and keeps unrelated ones apart', () => {
    // Groups cg-b merged into cg-a (as the correlator does along caller → callee edges).
    const t = new IncidentTracker((g) => (g === 'cg-b' ? 'cg-a' : g));
    t.alertChanged(makeAlert({ id: '1', seriesId: 's1', service: 'checkout' }), 'opened', 'cg-a', 1000);
    expect(
      t.alertChanged(makeAlert({ id: '2', seriesId: 's2', service: 'payment' }), 'opened', 'cg-b', 1100),
    ).toBe('inc-1');
    expect(
      t.alertChanged(makeAlert({ id: '3', seriesId: 's3', service: 'search' }), 'opened', 'cg-c', 1200),
    ).toBe('inc-3');
    expect(t.get('inc-1')?.blastRadius.services).toEqual(['checkout', 'payment']);
    expect(t.get('inc-1')?.title).toMatch(/and 1 more service$/);
    expect(t.openCount).toBe(2);
  });

  it('records acknowledgements in the timeline and resolves with its last alert', () => {
    const seen: Array<[string, number, string]> = [];
    const t = new IncidentTracker(undefined, (i) => seen.push([i.id, i.version, i.status]));
    const a1 = makeAlert({ id: '1', seriesId: 's1' });
    const a2 = makeAlert({ id: '2', seriesId: 's2' });
    t.alertChanged(a1, 'opened', null, 1000);
    t.alertChanged(a2, 'opened', null, 1100);
    t.alertChanged(
      { ...a1, status: 'acknowledged', acknowledgedBy: 'ann', note: 'looking' },
      'acknowledged',
      null,
      1200,
    );
    t.alertChanged({ ...a1, status: 'resolved', resolvedAt: 1300 }, 'auto_resolved', null, 1300);
    expect(t.get('inc-1')?.status).toBe('open');
    t.alertChanged(
      { ...a2, status: 'resolved', resolvedAt: 1400, resolvedBy: 'bob' },
      'resolved',
      null,
      1400,
    );
    expect(t.get('inc-1')).toBeNull();
    const changed = t.drainChanged();
    const last = changed.find((i) => i.id === 'inc-1');
    expect(last?.status).toBe('resolved');
    expect(last?.resolvedAt).toBe(1400);
    expect(last?.timeline.map((e) => e.text)).toContain(
      'api /checkout latency_ms acknowledged by ann: looking',
    );
    expect(last?.timeline.at(-1)?.action).toBe('incident_resolved');
    // Every version was reported as it happened (the live feed publishes these).
    expect(seen).toEqual([
      ['inc-1', 1, 'open'],
      ['inc-1', 2, 'open'],
      ['inc-1', 3, 'open'],
      ['inc-1', 4, 'open'],
      ['inc-1', 5, 'resolved'],
    ]);
    // A new alert after resolution opens a new incident.
    expect(t.alertChanged(makeAlert({ id: '4', seriesId: 's1' }), 'opened', null, 2000)).toBe('inc-4');
    expect(t.drainChanged().map((i) => i.id)).toEqual(['inc-4']);
  });

  it('restores from a snapshot and goes on identically', () => {
    const a = new IncidentTracker();
    a.alertChanged(makeAlert({ id: '1', seriesId: 's1' }), 'opened', 'cg-1', 1000);
    const b = new IncidentTracker();
    b.restore(JSON.parse(JSON.stringify(a.snapshot())));
    const next = makeAlert({ id: '2', seriesId: 's2', service: 'other' });
    expect(b.alertChanged(next, 'opened', 'cg-1', 1100)).toBe(a.alertChanged(next, 'opened', 'cg-1', 1100));
    expect(b.get('inc-1')).toEqual(a.get('inc-1'));
  });
});
