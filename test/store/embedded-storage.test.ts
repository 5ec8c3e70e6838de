import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEmbeddedStorage } from '../../src/store/index.js';
import { batch, point } from './records.js';
import { tempDir } from './temp-dir.js';

describe('openEmbeddedStorage', () => {
  it('opens log, store and bus under one directory and reopens them with their data', async () => {
    const tmp = tempDir('embedded');
    try {
      const dataDir = join(tmp.dir, 'data');
      const first = openEmbeddedStorage(dataDir);
      expect(first.log.append('ingest', 1, { n: 1 })).toBe(1);
      first.store.commit(batch({ throughSeq: 1, points: [point()] }));
      const seen: string[] = [];
      first.bus.subscribe((e) => seen.push(e.type));
      first.bus.publish({ type: 'point', point: point() });
      expect(seen).toEqual(['point']);
      expect(first.store.health().ok).toBe(true);
      await first.close();
      expect(existsSync(join(dataDir, 'vigil.db'))).toBe(true);
      expect(existsSync(join(dataDir, 'wal', '00000000000000000001.log'))).toBe(true);

      const second = openEmbeddedStorage(dataDir, { log: { fsync: 'always' } });
      expect(second.log.lastSeq()).toBe(1);
      expect(second.store.points('s1', {})).toEqual([point()]);
      await second.close();
    } finally {
      tmp.remove();
    }
  });
});
