/**
 * SqliteStore specifics behind the conformance suite: points in chunks (buffered, sealed,
 * merged on read), catalog updates kept until sync, sliced checkpoints, and the migration of a
 * version-1 database.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { PointRecord } from '../../src/model/types.js';
import { CHUNK_POINTS, decodePoints, encodePoints } from '../../src/store/sqlite/point-chunks.js';
import { MIGRATIONS } from '../../src/store/sqlite/schema.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { batch, point, series } from './records.js';
import { tempDir } from './temp-dir.js';

/** Runs `fn` on a fresh store, closed and removed afterwards. */
function withStore(fn: (store: SqliteStore, dir: string) => void): void {
  const tmp = tempDir('chunks');
  const store = SqliteStore.open(tmp.dir);
  try {
    fn(store, tmp.dir);
  } finally {
    store.close();
    tmp.remove();
  }
}

const chunkRows = (dir: string): number => {
  const raw = new Database(join(dir, 'vigil.db'), { readonly: true });
  try {
    return raw.prepare('SELECT COUNT(*) FROM point_chunks').pluck().get() as number;
  } finally {
    raw.close();
  }
};

describe('point chunks', () => {
  it('encode and decode every field exactly, non-finite values included', () => {
    const points: PointRecord[] = [
      point({ t: 3, value: Number.NaN, lower: -Infinity, upper: Infinity, anomalous: true }),
      point({ t: 1.5, value: -0.1, expected: 1e300, score: 5e-324 }),
    ];
    expect(decodePoints('s1', encodePoints(points))).toEqual(points);
  });

  it('writes a chunk per full series buffer, reads buffered and written points alike', () => {
    withStore((store, dir) => {
      const n = CHUNK_POINTS * 2 + 5;
      for (let t = 0; t < n; t++) store.commit(batch({ points: [point({ t, value: t })] }));
      expect(chunkRows(dir)).toBe(2);
      expect(store.points('s1', {}).map((p) => p.t)).toEqual(Array.from({ length: n }, (_, t) => t));
      expect(store.points('s1', { limit: 3 }).map((p) => p.t)).toEqual([n - 3, n - 2, n - 1]);
      expect(store.points('s1', { from: 10, to: 12 }).map((p) => p.value)).toEqual([10, 11, 12]);
      expect(store.points('s1', { to: 1, limit: 5 }).map((p) => p.t)).toEqual([0, 1]);
      store.sync();
      expect(chunkRows(dir)).toBe(3);
      expect(store.points('s1', {})).toHaveLength(n);
    });
  });

  it('keeps the last written point of a time across chunks and the buffer, in any time order', () => {
    withStore((store) => {
      store.commit(batch({ points: [point({ t: 5, value: 1 }), point({ t: 1, value: 1 })] }));
      store.sync();
      store.commit(batch({ points: [point({ t: 5, value: 2 }), point({ t: 3, value: 2 })] }));
      store.sync();
      store.commit(batch({ points: [point({ t: 1, value: 3 })] }));
      expect(store.points('s1', {}).map((p) => [p.t, p.value])).toEqual([
        [1, 3],
        [3, 2],
        [5, 2],
      ]);
      expect(store.points('s1', { limit: 1 }).map((p) => [p.t, p.value])).toEqual([[5, 2]]);
    });
  });

  it('syncs in slices while commits go on, reads seeing every point and the newest catalog record', () => {
    withStore((store, dir) => {
      const ids = ['a', 'b', 'c'];
      store.commit(
        batch({
          series: ids.map((id) => series({ id })),
          points: ids.flatMap((id) => [
            point({ seriesId: id, t: 1, value: 1 }),
            point({ seriesId: id, t: 2 }),
          ]),
        }),
      );
      store.commit(batch({ series: [series({ id: 'a', samples: 50 })] }));
      store.beginSync();
      // Newer than the frozen rows: the same time overwritten, a new time, a newer catalog record.
      store.commit(
        batch({
          series: [series({ id: 'a', samples: 60 })],
          points: [point({ seriesId: 'a', t: 1, value: 9 })],
        }),
      );
      store.commit(batch({ points: [point({ seriesId: 'b', t: 3 })] }));
      expect(store.syncSlice(2)).toBe(false);
      expect(chunkRows(dir)).toBe(2);
      expect(store.points('a', {}).map((p) => [p.t, p.value])).toEqual([
        [1, 9],
        [2, 10],
      ]);
      expect(store.getSeries('a')?.samples).toBe(60);
      expect(store.syncSlice(2)).toBe(true);
      expect(chunkRows(dir)).toBe(3);
      expect(store.points('b', {}).map((p) => p.t)).toEqual([1, 2, 3]);
      expect(store.points('a', {}).map((p) => [p.t, p.value])).toEqual([
        [1, 9],
        [2, 10],
      ]);
      store.sync();
      expect(store.points('a', {}).map((p) => [p.t, p.value])).toEqual([
        [1, 9],
        [2, 10],
      ]);
      expect(store.listSeries({}).items.map((s) => s.samples)).toEqual([60, 10, 10]);
    });
  });

  it('keeps buffered points and catalog updates through close and reopen', () => {
    const tmp = tempDir('chunks-reopen');
    try {
      const first = SqliteStore.open(tmp.dir);
      first.commit(batch({ series: [series()], points: [point({ t: 1 })] }));
      const updated = series({ lastSeen: 9_000, samples: 11, lastValue: 7 });
      first.commit(batch({ series: [updated], points: [point({ t: 2 })] }));
      expect(first.getSeries('s1')).toEqual(updated);
      expect(first.listSeries({}).items).toEqual([updated]);
      first.close();
      const second = SqliteStore.open(tmp.dir);
      expect(second.getSeries('s1')).toEqual(updated);
      expect(second.points('s1', {}).map((p) => p.t)).toEqual([1, 2]);
      second.close();
    } finally {
      tmp.remove();
    }
  });
});

describe('sliced checkpoints', () => {
  it('take effect only when finished; an unfinished one leaves the last completed checkpoint', () => {
    withStore((store) => {
      store.saveCheckpoint({
        throughSeq: 10,
        takenAt: 1,
        series: new Map([
          ['a', { v: 'a10' }],
          ['b', { v: 'b10' }],
        ]),
        pipeline: { p: 10 },
      });
      // Checkpoint 20 written in two slices, not finished (a crash in the middle).
      store.saveSeriesStates(20, [['a', { v: 'a20' }]]);
      store.saveSeriesStates(20, [['c', { v: 'c20' }]]);
      let loaded = store.loadCheckpoint();
      expect(loaded?.throughSeq).toBe(10);
      expect(Object.fromEntries(loaded?.series ?? [])).toEqual({ a: { v: 'a10' }, b: { v: 'b10' } });

      // Abandoned; checkpoint 30 rewrites what changed and completes.
      store.saveSeriesStates(30, [['a', { v: 'a30' }]]);
      store.saveSeriesStates(30, [['c', { v: 'c30' }]]);
      loaded = store.loadCheckpoint();
      expect(Object.fromEntries(loaded?.series ?? [])).toEqual({ a: { v: 'a10' }, b: { v: 'b10' } });
      store.finishCheckpoint({ throughSeq: 30, takenAt: 3, pipeline: { p: 30 } });
      loaded = store.loadCheckpoint();
      expect(loaded?.throughSeq).toBe(30);
      expect(loaded?.pipeline).toEqual({ p: 30 });
      expect(Object.fromEntries(loaded?.series ?? [])).toEqual({
        a: { v: 'a30' },
        b: { v: 'b10' },
        c: { v: 'c30' },
      });
    });
  });
});

describe('schema migration', () => {
  it('converts the points of a version-1 database into chunks and keeps its checkpoint', () => {
    const tmp = tempDir('chunks-v1');
    try {
      const raw = new Database(join(tmp.dir, 'vigil.db'));
      raw.exec(MIGRATIONS[0] as string);
      raw.exec(
        'CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (1)',
      );
      const insert = raw.prepare(
        'INSERT INTO points (series_id, t, value, expected, lower, upper, score, anomalous) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      );
      insert.run('s1', 2_000, 2, 1.5, 1, 3, 0.2, 1);
      insert.run('s1', 1_000, 1, null, 0, 2, 0.1, 0);
      insert.run('s2', 1_000, 9, 9, 8, 10, 0, 0);
      raw.exec(
        `INSERT INTO checkpoint_meta VALUES (1, 7, 70, '{"p":1}'); INSERT INTO series_state VALUES ('s1', '{"v":1}')`,
      );
      raw.close();

      const store = SqliteStore.open(tmp.dir);
      try {
        expect(store.points('s1', {})).toEqual([
          point({ t: 1_000, value: 1, expected: Number.NaN, lower: 0, upper: 2, score: 0.1 }),
          point({ t: 2_000, value: 2, expected: 1.5, lower: 1, upper: 3, score: 0.2, anomalous: true }),
        ]);
        expect(store.points('s2', {}).map((p) => p.value)).toEqual([9]);
        const cp = store.loadCheckpoint();
        expect(cp?.throughSeq).toBe(7);
        expect(Object.fromEntries(cp?.series ?? [])).toEqual({ s1: { v: 1 } });
      } finally {
        store.close();
      }
      const check = new Database(join(tmp.dir, 'vigil.db'), { readonly: true });
      expect(check.prepare('SELECT version FROM schema_version').pluck().get()).toBe(MIGRATIONS.length);
      expect(
        check
          .prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'points'")
          .pluck()
          .get(),
      ).toBe(0);
      check.close();
    } finally {
      tmp.remove();
    }
  });
});
