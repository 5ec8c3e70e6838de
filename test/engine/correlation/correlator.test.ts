import { describe, expect, it } from 'vitest';
import { AnomalyCorrelator, CallGraph } from '../../../src/engine/correlation/index.js';

const MIN = 60_000;
const a = (
  id: string,
  service: string,
  t: number,
  extra: { endpoint?: string; labels?: Record<string, string> } = {},
) => ({
  id,
  service,
  endpoint: extra.endpoint ?? 'GET /',
  t,
  ...(extra.labels ? { labels: extra.labels } : {}),
});

describe('AnomalyCorrelator', () => {
  it('runs the doc example: caller and callee link, an unrelated service does not', () => {
    const c = new AnomalyCorrelator({ calls: [['checkout', 'payment']] });
    expect(c.add(a('a', 'payment', 0, { endpoint: 'POST /charge' }))).toBe('cg-a');
    expect(c.add(a('b', 'checkout', MIN, { endpoint: 'POST /buy' }))).toBe('cg-a');
    expect(c.add(a('c', 'search', MIN, { endpoint: 'GET /q' }))).toBe('cg-c');
    expect(c.groups()).toEqual([
      {
        id: 'cg-a',
        first: 0,
        last: MIN,
        services: ['checkout', 'payment'],
        members: ['a', 'b'],
        memberCount: 2,
      },
      { id: 'cg-c', first: MIN, last: MIN, services: ['search'], members: ['c'], memberCount: 1 },
    ]);
  });

  it('links series of one service within the window and splits beyond it', () => {
    const c = new AnomalyCorrelator();
    const g1 = c.add(a('1', 'api', 0));
    expect(c.add(a('2', 'api', 2 * MIN))).toBe(g1); // exactly the window
    expect(c.add(a('3', 'api', 4 * MIN + 1))).not.toBe(g1); // 2 min + 1 ms after the last member
  });

  it('does not link siblings that only share a caller', () => {
    const c = new AnomalyCorrelator({
      calls: [
        ['gateway', 'checkout'],
        ['gateway', 'search'],
      ],
    });
    const g1 = c.add(a('1', 'checkout', 0));
    expect(c.add(a('2', 'search', 1000))).not.toBe(g1);
    // …but the common caller joins both, merging them into the earlier group.
    expect(c.add(a('3', 'gateway', 2000))).toBe(g1);
    expect(c.groups().map((g) => g.services)).toEqual([['checkout', 'gateway', 'search']]);
    expect(c.resolve('cg-2')).toBe(g1);
    expect(c.groupOf('2')?.id).toBe(g1);
  });

  it('links across hops up to maxHops', () => {
    const calls: [string, string][] = [
      ['gateway', 'checkout'],
      ['checkout', 'payment'],
    ];
    const two = new AnomalyCorrelator({ calls });
    expect(two.add(a('1', 'payment', 0))).toBe(two.add(a('2', 'gateway', 1000)));
    const one = new AnomalyCorrelator({ calls, maxHops: 1 });
    expect(one.add(a('1', 'payment', 0))).not.toBe(one.add(a('2', 'gateway', 1000)));
  });

  it('learns call edges from labels and from the `<callee>:<METHOD>:<path>` endpoint convention', () => {
    const g = new CallGraph();
    g.learn(a('1', 'checkout', 0, { endpoint: 'payment:POST:/charge' }));
    g.learn(a('2', 'search', 0, { labels: { upstream: 'gateway' } }));
    g.learn(a('3', 'gateway', 0, { labels: { calls: 'auth, profile' } }));
    g.learn(a('4', 'gateway', 0, { endpoint: 'GET /health' }));
    expect(g.list()).toEqual([
      ['checkout', 'payment'],
      ['gateway', 'auth'],
      ['gateway', 'profile'],
      ['gateway', 'search'],
    ]);
    const c = new AnomalyCorrelator();
    const first = c.add(a('x', 'payment', 0));
    expect(c.add(a('y', 'checkout', 1000, { endpoint: 'payment:POST:/charge' }))).toBe(first);
  });

  it('is idempotent per anomaly id and deterministic', () => {
    const run = () => {
      const c = new AnomalyCorrelator({ calls: [['a', 'b']] });
      const ids = [a('1', 'a', 0), a('2', 'b', 5000), a('3', 'c', 6000), a('1', 'a', 0)].map((x) => c.add(x));
      return { ids, groups: c.groups() };
    };
    const r = run();
    expect(r.ids).toEqual(['cg-1', 'cg-1', 'cg-3', 'cg-1']);
    expect(r.groups[0]!.memberCount).toBe(2);
    expect(run()).toEqual(r);
  });

  it('stays bounded: evicts the oldest groups and caps listed members', () => {
    const c = new AnomalyCorrelator({ maxGroups: 3, maxMembers: 2 });
    for (let i = 0; i < 10; i++) c.add(a(`s${i}`, `svc${i}`, i * 10 * MIN));
    expect(c.groups().map((g) => g.id)).toEqual(['cg-s7', 'cg-s8', 'cg-s9']);
    for (let i = 0; i < 5; i++) c.add(a(`m${i}`, 'svc9', 90 * MIN + i));
    const g = c.groups().at(-1)!;
    expect(g.members).toHaveLength(2);
    expect(g.memberCount).toBe(6);
    expect(() => c.add(a('bad', 'x', Number.NaN))).toThrow(RangeError);
  });
});

describe('AnomalyCorrelator snapshot', () => {
  it('continues identically after a JSON round trip mid-stream', () => {
    const stream = Array.from({ length: 60 }, (_v, i) =>
      a(
        `x${i}`,
        ['gateway', 'checkout', 'payment', 'search'][(i * 7) % 4]!,
        Math.floor(i / 3) * 50_000 + (i % 3) * 1000,
        {
          ...(i % 5 === 0 ? { endpoint: 'payment:POST:/charge' } : {}),
        },
      ),
    );
    const options = { calls: [['gateway', 'checkout']] as [string, string][], maxGroups: 8 };
    const whole = new AnomalyCorrelator(options);
    const ids = stream.map((x) => whole.add(x));
    for (const cut of [0, 17, 41]) {
      const first = new AnomalyCorrelator(options);
      for (const x of stream.slice(0, cut)) first.add(x);
      const restored = AnomalyCorrelator.fromJSON(options, JSON.parse(JSON.stringify(first.toJSON())));
      expect(stream.slice(cut).map((x) => restored.add(x))).toEqual(ids.slice(cut));
      expect(restored.groups()).toEqual(whole.groups());
    }
  });
});
