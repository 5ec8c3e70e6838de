import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { batch, point } from './records.js';
import { tempDir } from './temp-dir.js';

describe('background WAL checkpoints', () => {
  it('copy committed pages into the database file from a worker thread', async () => {
    const tmp = tempDir('wal-checkpointer');
    const store = SqliteStore.open(tmp.dir, { backgroundCheckpointMs: 20 });
    try {
      const before = statSync(store.file).size;
      let t = 0;
      for (let i = 0; i < 20; i++) {
        store.commit(batch({ points: Array.from({ length: 1000 }, () => point({ t: t++ })) }));
      }
      expect(statSync(`${store.file}-wal`).size).toBeGreaterThan(1_000_000);
      let grown = false;
      for (let wait = 0; wait < 100 && !grown; wait++) {
        await new Promise((r) => setTimeout(r, 50));
        grown = statSync(store.file).size > before + 1_000_000;
      }
      expect(grown).toBe(true);
      expect(store.points('s1', {})).toHaveLength(t);
    } finally {
      store.close();
      tmp.remove();
    }
  });
});
