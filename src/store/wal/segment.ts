/**
 * Segment files of the ingest log: naming, listing and sequential reading.
 *
 * A segment is named after the seq of its first record, zero-padded to 20 digits
 * (`00000000000000000001.log`, as Kafka names its log segments), so the seq range of every
 * sealed segment is known from the directory listing alone: `[firstSeq, nextSegment.firstSeq)`.
 */
import { closeSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { LogEntry } from '../types.js';
import { decodeRecord } from './frame.js';

/** One segment file. */
export interface SegmentInfo {
  /** Seq of the first record the segment holds (or will hold when empty). */
  readonly firstSeq: number;
  readonly path: string;
}

/** Where and why reading a segment stopped. */
export interface SegmentTail {
  /** Offset just past the last valid record, bytes. */
  readonly goodEnd: number;
  /** Bytes in the file past `goodEnd` that are not valid records. */
  readonly badBytes: number;
  /** Why reading stopped before the end, or null when every byte was a valid record. */
  readonly problem: string | null;
}

const SEGMENT_RE = /^(\d{20})\.log$/;
const READ_CHUNK_BYTES = 1024 * 1024;

/** File name of the segment whose first record has seq `firstSeq`. */
export function segmentName(firstSeq: number): string {
  return `${String(firstSeq).padStart(20, '0')}.log`;
}

/** Segments in `dir`, ordered by first seq. Other files are ignored. */
export function listSegments(dir: string): SegmentInfo[] {
  const segments: SegmentInfo[] = [];
  for (const name of readdirSync(dir)) {
    const match = SEGMENT_RE.exec(name);
    if (match?.[1] !== undefined) segments.push({ firstSeq: Number(match[1]), path: join(dir, name) });
  }
  return segments.sort((a, b) => a.firstSeq - b.firstSeq);
}

/**
 * Reads the records of one segment in order, lazily, in chunks of 1 MiB.
 * Yields each record with the offset just past it; returns where and why it stopped.
 * Reads at most `limit` bytes (default: the file size when reading starts); a function is asked
 * again whenever the bytes known so far are used up, so a reader can follow a growing file.
 * Records must carry consecutive seqs starting at `firstSeq`; a gap counts as corruption.
 * Bodies of records with seq ≤ `skipBodyThrough` are verified but not parsed (`body: undefined`).
 * @throws the `fs` error when the file cannot be opened or read.
 */
export function* readSegment(
  segment: SegmentInfo,
  limit?: number | (() => number),
  skipBodyThrough = 0,
): Generator<{ readonly entry: LogEntry; readonly end: number }, SegmentTail> {
  const fd = openSync(segment.path, 'r');
  try {
    const fixed = typeof limit === 'function' ? undefined : (limit ?? fstatSync(fd).size);
    const currentSize = (): number => fixed ?? (limit as () => number)();
    let size = currentSize();
    let buf = Buffer.allocUnsafe(Math.min(READ_CHUNK_BYTES, Math.max(size, 1)));
    let bufStart = 0; // file offset of buf[0]
    let bufEnd = 0; // valid bytes in buf
    let offset = 0; // file offset of the next record
    let expectedSeq = segment.firstSeq;
    for (;;) {
      const result = decodeRecord(buf, offset - bufStart, bufEnd, skipBodyThrough);
      if (result.status === 'ok') {
        if (result.entry.seq !== expectedSeq) {
          return {
            goodEnd: offset,
            badBytes: size - offset,
            problem: `seq ${result.entry.seq} where ${expectedSeq} was expected`,
          };
        }
        offset += result.bytes;
        expectedSeq += 1;
        yield { entry: result.entry, end: offset };
        continue;
      }
      if (result.status === 'corrupt') {
        return { goodEnd: offset, badBytes: size - offset, problem: result.reason };
      }
      if (bufStart + bufEnd >= size) size = currentSize();
      if (bufStart + bufEnd >= size) {
        const badBytes = size - offset;
        return { goodEnd: offset, badBytes, problem: badBytes === 0 ? null : 'torn record at end of file' };
      }
      // Keep the partial record, grow the buffer when the record is larger, read more.
      const keep = bufEnd - (offset - bufStart);
      const need = Math.max(result.needBytes, READ_CHUNK_BYTES);
      const next = need > buf.length ? Buffer.allocUnsafe(need) : buf;
      buf.copy(next, 0, offset - bufStart, bufEnd);
      buf = next;
      bufStart = offset;
      bufEnd = keep;
      const want = Math.min(buf.length - bufEnd, size - (bufStart + bufEnd));
      const read = readSync(fd, buf, bufEnd, want, bufStart + bufEnd);
      if (read === 0) {
        return { goodEnd: offset, badBytes: size - offset, problem: 'file shrank while reading' };
      }
      bufEnd += read;
    }
  } finally {
    closeSync(fd);
  }
}
