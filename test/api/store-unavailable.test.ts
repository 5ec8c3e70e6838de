/**
 * When the store cannot write, ingest answers 503 with a clear message; it recovers by itself
 * once the cause is gone, and nothing answered 2xx is lost.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { get, post, startTestVigil, tempDir, waitFor } from '../helpers/vigil.js';

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

describe('store unavailable', () => {
  it('answers 503 while another process holds the database write lock, then recovers', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const vigil = await startTestVigil(tmp.dir);
    cleanups.push(() => vigil.close());
    const accepted: number[] = [];
    const send = async (i: number) => {
      const r = await post(`${vigil.url}/api/metrics`, {
        service: 'locked',
        metrics: { x: i },
        timestamp: Date.UTC(2026, 0, 1) + i * 1000,
      });
      if (r.status === 202) accepted.push(i);
      return r;
    };
    expect((await send(0)).status).toBe(202);

    const locker = new Database(join(tmp.dir, 'vigil.db'));
    locker.exec('BEGIN EXCLUSIVE');
    // The next flush fails on the lock; from then on ingest is refused with 503.
    const refused = await waitFor(async () => {
      const r = await send(accepted.length + 100);
      return r.status === 503 ? r : null;
    });
    expect(refused.body).toMatchObject({ statusCode: 503, code: 'STORE_UNAVAILABLE' });
    expect(refused.body.message).toMatch(/store cannot write/);
    expect(refused.headers.get('retry-after')).toBe('5');
    const health = await get(`${vigil.url}/health`);
    expect(health.status).toBe(503);

    locker.exec('COMMIT');
    locker.close();
    await waitFor(async () => (await send(1000)).status === 202);
    expect((await get(`${vigil.url}/health`)).status).toBe(200);

    // Every point answered 202 is in the store.
    vigil.runtime.flush();
    const series = (await get(`${vigil.url}/api/series?service=locked`)).body.items[0];
    const points = (await get(`${vigil.url}/api/series/${series.id}/points`)).body.points as Array<{
      value: number;
    }>;
    expect(points.map((p) => p.value).sort((a, b) => a - b)).toEqual([...accepted].sort((a, b) => a - b));
  });
});
