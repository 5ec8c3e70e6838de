import { type ChildProcess, spawn } from 'node:child_process';
import {
  appendFileSync,
  closeSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../src/store/types.js';
import {
  DirLockedError,
  FileIngestLog,
  type FsyncMode,
  WalCorruptionError,
} from '../../src/store/wal/index.js';
import { buildStore } from './build-store.js';
import { describeIngestLog } from './ingest-log-conformance.js';
import { tempDir } from './temp-dir.js';

for (const fsync of ['interval', 'always', 'never'] as const) {
  describeIngestLog(`FileIngestLog (fsync ${fsync}, 4 KiB segments)`, () => {
    const tmp = tempDir('wal');
    return { open: () => FileIngestLog.open(tmp.dir, { fsync, segmentBytes: 4096 }), dispose: tmp.remove };
  });
}

/** Runs `fn` with a fresh directory, removed afterwards. */
async function withDir(fn: (dir: string) => void | Promise<void>): Promise<void> {
  const tmp = tempDir('wal-file');
  try {
    await fn(tmp.dir);
  } finally {
    tmp.remove();
  }
}

const segmentFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .sort();
const lastSegment = (dir: string) => join(dir, segmentFiles(dir).at(-1)!);

describe('FileIngestLog files', () => {
  it('names segments after their first seq and rolls past segmentBytes', () =>
    withDir(async (dir) => {
      const log = FileIngestLog.open(dir, { segmentBytes: 1024 });
      for (let i = 0; i < 30; i++) log.append('ingest', i, { pad: 'y'.repeat(100) });
      const files = segmentFiles(dir);
      expect(files[0]).toBe('00000000000000000001.log');
      expect(files.length).toBeGreaterThan(3);
      const sizes = files.map((f) => readFileSync(join(dir, f)).length);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(1024);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(log.sizeBytes());
      await log.close();
    }));

  it('reads records appended during an iteration, across a rollover', () =>
    withDir(async (dir) => {
      const log = FileIngestLog.open(dir, { segmentBytes: 1024 });
      for (let i = 1; i <= 5; i++) log.append('ingest', i, { i });
      const seen: number[] = [];
      for (const entry of log.readAfter(0)) {
        seen.push(entry.seq);
        if (entry.seq === 2)
          for (let i = 6; i <= 40; i++) log.append('ingest', i, { i, pad: 'p'.repeat(80) });
      }
      expect(segmentFiles(dir).length).toBeGreaterThan(2);
      expect(seen).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      await log.close();
    }));

  it('drops garbage appended after the last record', () =>
    withDir(async (dir) => {
      const log = FileIngestLog.open(dir);
      log.append('ingest', 1, { a: 1 });
      log.append('ingest', 2, { a: 2 });
      await log.close();
      appendFileSync(lastSegment(dir), Buffer.from([0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
      const reopened = FileIngestLog.open(dir);
      expect(reopened.recovery.truncatedBytes).toBe(14);
      expect(reopened.recovery.reason).toMatch(/length|CRC|torn/);
      expect(reopened.lastSeq()).toBe(2);
      expect(reopened.append('ingest', 3, { a: 3 })).toBe(3);
      expect([...reopened.readAfter(0)].map((e) => e.body)).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
      await reopened.close();
    }));

  it('drops a half-written final record', () =>
    withDir(async (dir) => {
      const log = FileIngestLog.open(dir);
      log.append('ingest', 1, { a: 1 });
      const sizeAfterOne = log.sizeBytes();
      log.append('ingest', 2, { a: 2, pad: 'z'.repeat(50) });
      await log.close();
      const file = lastSegment(dir);
      const bytes = readFileSync(file);
      const half = sizeAfterOne + Math.floor((bytes.length - sizeAfterOne) / 2);
      writeFileSync(file, bytes.subarray(0, half));
      const reopened = FileIngestLog.open(dir);
      expect(reopened.recovery).toEqual({
        segments: 1,
        lastSeq: 1,
        truncatedBytes: half - sizeAfterOne,
        reason: 'torn record at end of file',
      });
      expect(readFileSync(file).length).toBe(sizeAfterOne);
      expect(reopened.append('ingest', 2, { b: 2 })).toBe(2);
      expect([...reopened.readAfter(0)].map((e) => e.body)).toEqual([{ a: 1 }, { b: 2 }]);
      await reopened.close();
    }));

  it('drops a final record whose CRC does not match', () =>
    withDir(async (dir) => {
      const log = FileIngestLog.open(dir);
      log.append('ingest', 1, { a: 1 });
      log.append('ingest', 2, { a: 2 });
      await log.close();
      const file = lastSegment(dir);
      const bytes = readFileSync(file);
      bytes[bytes.length - 2] = (bytes[bytes.length - 2] ?? 0) ^ 0xff;
      writeFileSync(file, bytes);
      const reopened = FileIngestLog.open(dir);
      expect(reopened.recovery.reason).toBe('CRC mismatch');
      expect(reopened.lastSeq()).toBe(1);
      await reopened.close();
    }));

  it('refuses to open when a sealed segment is corrupt', () =>
    withDir(async (dir) => {
      const log = FileIngestLog.open(dir, { segmentBytes: 512 });
      for (let i = 0; i < 20; i++) log.append('ingest', i, { pad: 'q'.repeat(100) });
      await log.close();
      const first = join(dir, segmentFiles(dir)[0]!);
      const bytes = readFileSync(first);
      bytes[30] = (bytes[30] ?? 0) ^ 0xff;
      writeFileSync(first, bytes);
      expect(() => FileIngestLog.open(dir)).toThrow(WalCorruptionError);
    }));

  it('rejects a kind that does not fit the frame', () =>
    withDir(async (dir) => {
      const log = FileIngestLog.open(dir);
      expect(() => log.append('', 0, {})).toThrow(RangeError);
      expect(() => log.append('k'.repeat(256), 0, {})).toThrow(RangeError);
      expect(log.lastSeq()).toBe(0);
      await log.close();
    }));
});

describe('FileIngestLog unavailable', () => {
  it('throws StoreUnavailableError on ENOSPC and recovers once space is back', () =>
    withDir(async (dir) => {
      // The segment is a symlink to /dev/full: every write fails with ENOSPC.
      const segment = join(dir, '00000000000000000001.log');
      symlinkSync('/dev/full', segment);
      const log = FileIngestLog.open(dir, { fsync: 'never' });
      let thrown: unknown;
      try {
        log.append('ingest', 1, { a: 1 });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(StoreUnavailableError);
      expect((thrown as Error).message).toMatch(/ENOSPC/);
      expect(log.lastSeq()).toBe(0);

      rmSync(segment);
      writeFileSync(segment, '');
      expect(log.append('ingest', 2, { a: 2 })).toBe(1);
      expect([...log.readAfter(0)].map((e) => e.body)).toEqual([{ a: 2 }]);
      await log.close();
      const reopened = FileIngestLog.open(dir);
      expect(reopened.lastSeq()).toBe(1);
      await reopened.close();
    }));

  it('throws StoreUnavailableError when its descriptor is closed under it, then reopens the file', () =>
    withDir(async (dir) => {
      const log = FileIngestLog.open(dir, { fsync: 'never' });
      log.append('ingest', 1, { a: 1 });
      const segment = lastSegment(dir);
      // Close the log's own descriptor, found through /proc.
      const fds = readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === segment;
        } catch {
          return false; // the descriptor of the directory listing itself is gone already
        }
      });
      expect(fds).toHaveLength(1);
      closeSync(Number(fds[0]));
      expect(() => log.append('ingest', 2, { a: 2 })).toThrow(StoreUnavailableError);
      expect(log.append('ingest', 3, { a: 3 })).toBe(2);
      expect([...log.readAfter(0)].map((e) => e.body)).toEqual([{ a: 1 }, { a: 3 }]);
      await log.close();
    }));
});

describe('FileIngestLog survives kill -9', () => {
  let build: ReturnType<typeof buildStore>;
  const children = new Set<ChildProcess>();
  beforeAll(() => {
    build = buildStore();
  });
  afterEach(() => {
    // A failed or timed-out test must not leave a writer running.
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    children.clear();
  });
  afterAll(() => build?.remove());

  /**
   * Starts the writer, kills it with SIGKILL after `killAfter` printed seqs; returns the printed seqs.
   * `whileRunning` runs once the writer has the log open, before the kill.
   */
  function runWriter(
    dir: string,
    fsync: FsyncMode,
    killAfter: number,
    whileRunning = () => {},
  ): Promise<number[]> {
    return new Promise((resolvePromise, reject) => {
      const child = spawn(
        process.execPath,
        [join(import.meta.dirname, 'fixtures', 'wal-writer.mjs'), build.entry, dir, fsync, '65536'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      children.add(child);
      let out = '';
      let err = '';
      let printed = 0;
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        out += chunk;
        printed += chunk.split('\n').length - 1;
        if (printed >= killAfter && child.exitCode === null) {
          try {
            whileRunning();
          } finally {
            child.kill('SIGKILL');
          }
        }
      });
      child.stderr.on('data', (chunk) => {
        err += chunk;
      });
      child.on('error', reject);
      child.on('exit', (code, signal) => {
        if (signal !== 'SIGKILL' || child.exitCode !== null) {
          reject(new Error(`writer exited with ${code}: ${err}`));
          return;
        }
        const lines = out.split('\n');
        lines.pop(); // a partial last line was not fully printed
        resolvePromise(lines.filter((l) => !l.startsWith('open')).map(Number));
      });
    });
  }

  for (const fsync of ['interval', 'never'] as const) {
    it(`keeps every acknowledged record (fsync ${fsync}), three crashes in a row`, async () => {
      const tmp = tempDir('wal-kill');
      try {
        let acknowledged: number[] = [];
        for (let round = 0; round < 3; round++) {
          const printed = await runWriter(tmp.dir, fsync, 600 + round * 200);
          expect(printed.length).toBeGreaterThanOrEqual(599); // killed mid-stream, not finished
          acknowledged = acknowledged.concat(printed);
        }
        const log = FileIngestLog.open(tmp.dir);
        const entries = [...log.readAfter(0)];
        expect(log.lastSeq()).toBeGreaterThanOrEqual(Math.max(...acknowledged));
        expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: log.lastSeq() }, (_, i) => i + 1));
        for (const e of entries) expect((e.body as { seq: number }).seq).toBe(e.seq);
        expect(new Set(acknowledged).size).toBe(acknowledged.length); // no seq was handed out twice
        expect(segmentFiles(tmp.dir).length).toBeGreaterThan(1); // the crashes spanned rollovers
        await log.close();
      } finally {
        tmp.remove();
      }
    }, 120_000); // three child processes; slow on a loaded machine
  }

  it('refuses a second process while the writer lives, and takes over after it was killed', async () => {
    const tmp = tempDir('wal-lock');
    try {
      let refused: unknown;
      await runWriter(tmp.dir, 'never', 100, () => {
        try {
          FileIngestLog.open(tmp.dir);
        } catch (error) {
          refused = error;
        }
      });
      expect(refused).toBeInstanceOf(DirLockedError);
      expect((refused as Error).message).toMatch(/in use by process \d+/);
      const log = FileIngestLog.open(tmp.dir);
      expect(log.lastSeq()).toBeGreaterThanOrEqual(99);
      await log.close();
      expect(readdirSync(tmp.dir)).not.toContain('LOCK');
    } finally {
      tmp.remove();
    }
  }, 60_000);
});
