/**
 * Conformance suite for {@link IngestLog}: every implementation (file log now, Redis streams
 * later) runs `describeIngestLog(name, factory)` and must pass it unchanged.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IngestLog, LogEntry } from '../../src/store/types.js';
import { StoreUnavailableError } from '../../src/store/types.js';

/**
 * Durable backing for one log. `open()` may be called again after `close()` and must see the
 * same records. Implementations should configure small segments (a few KiB) so that the
 * suite crosses segment boundaries.
 */
export interface IngestLogFixture {
  open(): IngestLog;
  dispose(): void | Promise<void>;
}

const body = (seq: number) => ({
  seq,
  text: `record ${seq} ✓`.repeat(1 + (seq % 5)),
  nested: { n: [seq, -seq] },
});

function appendMany(log: IngestLog, count: number): number[] {
  const seqs: number[] = [];
  for (let i = 0; i < count; i++) {
    const seq = log.lastSeq() + 1;
    seqs.push(log.append(i % 2 === 0 ? 'ingest' : 'alert_action', 1_000 + seq, body(seq)));
  }
  return seqs;
}

function expectRecords(entries: LogEntry[], seqs: number[]): void {
  expect(entries.map((e) => e.seq)).toEqual(seqs);
  for (const e of entries) {
    expect(e.body).toEqual(body(e.seq));
    expect(e.receivedAt).toBe(1_000 + e.seq);
    expect(['ingest', 'alert_action']).toContain(e.kind);
  }
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

export function describeIngestLog(
  name: string,
  factory: () => IngestLogFixture | Promise<IngestLogFixture>,
): void {
  describe(`IngestLog conformance: ${name}`, () => {
    let fixture: IngestLogFixture;
    let log: IngestLog;
    beforeEach(async () => {
      fixture = await factory();
      log = fixture.open();
    });
    afterEach(async () => {
      await log.close();
      await fixture.dispose();
    });

    it('starts empty', () => {
      expect(log.lastSeq()).toBe(0);
      expect([...log.readAfter(0)]).toEqual([]);
    });

    it('numbers records from 1 and reads them back in order with kind, time and body', () => {
      expect(appendMany(log, 3)).toEqual([1, 2, 3]);
      expect(log.lastSeq()).toBe(3);
      expect([...log.readAfter(0)]).toEqual([
        { seq: 1, kind: 'ingest', receivedAt: 1_001, body: body(1) },
        { seq: 2, kind: 'alert_action', receivedAt: 1_002, body: body(2) },
        { seq: 3, kind: 'ingest', receivedAt: 1_003, body: body(3) },
      ]);
    });

    it('reads after any position, across segments', () => {
      appendMany(log, 400);
      expectRecords([...log.readAfter(0)], range(1, 400));
      expectRecords([...log.readAfter(137)], range(138, 400));
      expectRecords([...log.readAfter(399)], [400]);
      expect([...log.readAfter(400)]).toEqual([]);
      expect([...log.readAfter(10_000)]).toEqual([]);
    });

    it('reads lazily: stopping early is fine and later appends are seen by a new read', () => {
      appendMany(log, 50);
      const first: LogEntry[] = [];
      for (const entry of log.readAfter(10)) {
        first.push(entry);
        if (first.length === 2) break;
      }
      expect(first.map((e) => e.seq)).toEqual([11, 12]);
      appendMany(log, 5);
      expectRecords([...log.readAfter(50)], range(51, 55));
    });

    it('recovers lastSeq and every record after reopen, then continues the sequence', async () => {
      appendMany(log, 300);
      const sizeBefore = log.sizeBytes();
      await log.close();
      log = fixture.open();
      expect(log.lastSeq()).toBe(300);
      expect(log.sizeBytes()).toBe(sizeBefore);
      expect(log.append('ingest', 1_301, body(301))).toBe(301);
      expectRecords([...log.readAfter(0)], range(1, 301));
    });

    it('grows in size as records are appended', () => {
      const empty = log.sizeBytes();
      appendMany(log, 10);
      expect(log.sizeBytes()).toBeGreaterThan(empty);
    });

    it('truncateThrough drops whole segments only, never records after the position', async () => {
      appendMany(log, 400);
      const full = log.sizeBytes();
      log.truncateThrough(200);
      expect(log.sizeBytes()).toBeLessThan(full);
      expect(log.lastSeq()).toBe(400);
      const kept = [...log.readAfter(0)];
      const firstKept = kept[0]?.seq ?? 0;
      expect(firstKept).toBeGreaterThan(1);
      expect(firstKept).toBeLessThanOrEqual(201);
      expectRecords(kept, range(firstKept, 400));
    });

    it('truncateThrough the last record keeps the sequence across reopen', async () => {
      appendMany(log, 100);
      log.truncateThrough(100);
      expect([...log.readAfter(0)]).toEqual([]);
      expect(log.lastSeq()).toBe(100);
      await log.close();
      log = fixture.open();
      expect(log.lastSeq()).toBe(100);
      expect(log.append('ingest', 1_101, body(101))).toBe(101);
      expectRecords([...log.readAfter(0)], [101]);
    });

    it('flushes, and refuses appends after close', async () => {
      appendMany(log, 3);
      await log.flush();
      await log.close();
      expect(() => log.append('ingest', 0, {})).toThrow(StoreUnavailableError);
      log = fixture.open();
      expect(log.lastSeq()).toBe(3);
    });
  });
}
