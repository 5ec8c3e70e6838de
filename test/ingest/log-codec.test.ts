import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IngestItem } from '../../src/ingest/items.js';
import { decodeItems, encodeItems } from '../../src/ingest/log-codec.js';

/** Encodes, goes through JSON as the ingest log does, and decodes. */
const roundTrip = (items: readonly IngestItem[]) =>
  decodeItems(JSON.parse(JSON.stringify(encodeItems(items))));

describe('ingest log codec', () => {
  it('round-trips samples (labels, ranges, repeated strings and times), requests and logs in order', () => {
    const labels = { region: 'eu', tier: 'gold' };
    const items: IngestItem[] = [
      {
        k: 'sample',
        kind: 'application',
        service: 'pay',
        endpoint: 'GET:/a',
        metric: 'rt',
        labels: {},
        t: 1_000,
        v: 1.5,
      },
      {
        k: 'sample',
        kind: 'application',
        service: 'pay',
        endpoint: 'GET:/a',
        metric: 'db',
        labels: {},
        t: 1_000,
        v: -2,
      },
      { k: 'request', service: 'pay', endpoint: 'GET:/a', t: 1_000, status: 503, latencyMs: 12 },
      { k: 'sample', kind: 'host', service: 'h1', endpoint: '', metric: 'cpu', labels, t: 1_000.25, v: 0.5 },
      {
        k: 'sample',
        kind: 'business',
        service: 'business',
        endpoint: '',
        metric: 'revenue',
        labels: {},
        t: 2_000,
        v: 45_000,
        range: [40_000, 60_000],
      },
      {
        k: 'log',
        service: 'pay',
        level: 'ERROR',
        message: 'timeout',
        t: 3_000,
        traceId: null,
        context: { user: 42 },
      },
      {
        k: 'sample',
        kind: 'host',
        service: 'h1',
        endpoint: '',
        metric: 'mem',
        labels,
        t: 1_000,
        v: 7,
        range: [0, 1],
      },
    ];
    expect(roundTrip(items)).toEqual(items);
    const encoded = JSON.stringify(encodeItems(items));
    expect(encoded.length).toBeLessThan(JSON.stringify(items).length);
  });

  it('round-trips any list of samples', () => {
    const text = fc.string({ minLength: 0, maxLength: 8 });
    const sample = fc.record({
      k: fc.constant('sample' as const),
      kind: fc.constantFrom('application' as const, 'business' as const, 'host' as const),
      service: text,
      endpoint: text,
      metric: text,
      labels: fc.dictionary(fc.constantFrom('a', 'b', 'c'), text),
      t: fc.oneof(fc.integer({ min: 0, max: 2 ** 45 }), fc.double({ min: 0, max: 2 ** 45, noNaN: true })),
      v: fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => (Object.is(v, -0) ? 0 : v)),
    });
    fc.assert(
      fc.property(fc.array(sample, { maxLength: 30 }), (items) => {
        expect(roundTrip(items)).toEqual(items);
      }),
    );
  });

  it('refuses an index that points nowhere', () => {
    expect(() => decodeItems({ s: ['a'], t: [1], l: [], i: [[0, 0, 0, 5, 0, 1]] })).toThrow(RangeError);
  });
});
