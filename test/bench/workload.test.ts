import { describe, expect, it } from 'vitest';
import { buildBodies, METRICS, MIX_10K, seriesCount } from '../../src/bench/workload.js';
import { normalizeBatch, normalizeOne } from '../../src/ingest/normalize.js';

const ctx = { now: 1_700_000_000_000, maxFutureMs: 300_000 };

describe('bench workload', () => {
  it('has 10,000 series in the default mix', () => {
    expect(seriesCount(MIX_10K)).toBe(10_000);
  });

  it('builds Vigil batches that normalize to exactly the requested points, covering every series', () => {
    const bodies = buildBodies({ format: 'vigil-batch', pointsPerRequest: 1000, mix: MIX_10K, pool: 10 });
    const seen = new Set<string>();
    for (const body of bodies) {
      const r = normalizeBatch(JSON.parse(body), ctx, 10_000);
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.result.errors).toEqual([]);
      expect(r.result.items).toHaveLength(1000);
      for (const item of r.result.items)
        if (item.k === 'sample') seen.add(`${item.service}|${item.endpoint}|${item.metric}`);
    }
    expect(seen.size).toBe(10_000);
  });

  it('builds the same points as VictoriaMetrics JSON lines and Influx lines', () => {
    const json = buildBodies({ format: 'vm-json', pointsPerRequest: 100, mix: MIX_10K, pool: 1 })[0] ?? '';
    const lines = json
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { metric: Record<string, string>; values: number[] });
    expect(lines).toHaveLength(100);
    expect(lines[0]?.metric.__name__).toBe(METRICS[0]);
    expect(lines.every((l) => l.values.length === 1 && Number.isFinite(l.values[0]))).toBe(true);
    const influx =
      buildBodies({ format: 'vm-influx', pointsPerRequest: 100, mix: MIX_10K, pool: 1 })[0] ?? '';
    const rows = influx.trim().split('\n');
    expect(rows).toHaveLength(100 / METRICS.length);
    expect(rows[0]).toMatch(
      /^app,service=svc-00,endpoint=POST:\/api\/v1\/resource-0 response_time=[\d.]+,db_time=/,
    );
  });

  it('builds valid single-point bodies and is deterministic per seed', () => {
    const a = buildBodies({ format: 'vigil-single', pointsPerRequest: 1, mix: MIX_10K, pool: 5 });
    expect(a).toEqual(buildBodies({ format: 'vigil-single', pointsPerRequest: 1, mix: MIX_10K, pool: 5 }));
    for (const body of a) expect(normalizeOne('application', JSON.parse(body), ctx).ok).toBe(true);
    expect(() => buildBodies({ format: 'vigil-batch', pointsPerRequest: 15, mix: MIX_10K, pool: 1 })).toThrow(
      /multiple of 10/,
    );
  });
});
