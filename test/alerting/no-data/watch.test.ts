/** No-data watch: which series are watched, when they are due, once per silence, snapshot. */
import { describe, expect, it } from 'vitest';
import { type NoDataRule, NoDataWatch, noDataRuleSchema } from '../../../src/alerting/no-data/watch.js';

const rule = (over: Partial<NoDataRule> & Pick<NoDataRule, 'name' | 'afterMs'>): NoDataRule =>
  noDataRuleSchema.parse(over);
const labels =
  (service: string, metric = 'latency_ms') =>
  () => ({ service, endpoint: '/', metric });

describe('NoDataWatch', () => {
  it('reports a watched series once when it is silent for afterMs, and again after it reported', () => {
    const w = new NoDataWatch([rule({ name: 'api', matchers: ['service="api"'], afterMs: 1000 })]);
    expect(w.seen('a', labels('api'), 0)).toBe(false);
    expect(w.seen('b', labels('web'), 0)).toBe(false); // no rule matches
    expect(w.nextDueAt()).toBe(1000);
    expect(w.due(999)).toEqual([]);
    expect(w.due(1000).map((d) => [d.seriesId, d.rule.name, d.lastAt])).toEqual([['a', 'api', 0]]);
    expect(w.due(5000)).toEqual([]); // once per silence
    expect(w.nextDueAt()).toBeNull();
    expect(w.seen('a', labels('api'), 6000)).toBe(true); // was silent: its alert resolves
    expect(w.seen('a', labels('api'), 6500)).toBe(false);
    expect(w.due(7000)).toEqual([]);
    expect(w.due(7500).map((d) => d.seriesId)).toEqual(['a']);
  });

  it('takes the first matching rule, and keeps the deadline of a series that reported since', () => {
    const w = new NoDataWatch([
      rule({ name: 'fast', matchers: ['metric="request_rate"'], afterMs: 1000 }),
      rule({ name: 'all', afterMs: 4000, severity: 'critical' }),
    ]);
    w.seen('r', labels('api', 'request_rate'), 0);
    w.seen('l', labels('api'), 0);
    w.seen('r', labels('api', 'request_rate'), 800); // deadline moves to 1800
    expect(w.due(1200)).toEqual([]);
    const due = w.due(4000);
    expect(due.map((d) => [d.seriesId, d.rule.name, d.rule.severity])).toEqual([
      ['r', 'fast', 'high'],
      ['l', 'all', 'critical'],
    ]);
  });

  it('restores a snapshot (by rule name) and goes on identically', () => {
    const rules = [rule({ name: 'api', matchers: ['service="api"'], afterMs: 1000 })];
    const a = new NoDataWatch(rules);
    a.seen('x', labels('api'), 0);
    a.seen('y', labels('api'), 500);
    a.due(1200); // x silent
    const b = new NoDataWatch(rules);
    b.restore(JSON.parse(JSON.stringify(a.snapshot())));
    expect(b.nextDueAt()).toBe(1500);
    expect(b.due(1500).map((d) => d.seriesId)).toEqual(['y']);
    expect(b.seen('x', labels('api'), 1600)).toBe(true);
    // A rule renamed away: its series are dropped, and matched again at their next sample.
    const c = new NoDataWatch([rule({ name: 'renamed', afterMs: 1000 })]);
    c.restore(a.snapshot());
    expect(c.nextDueAt()).toBeNull();
    c.seen('x', labels('api'), 2000);
    expect(c.nextDueAt()).toBe(3000);
  });

  it('refuses bad rules, naming the field', () => {
    const bad = noDataRuleSchema.safeParse({ name: 'x', matchers: ['no operator'], afterMs: 10 });
    expect(bad.success).toBe(false);
    const paths = bad.error?.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['matchers.0', 'afterMs']));
  });
});
