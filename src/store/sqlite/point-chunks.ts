/**
 * Points stored in chunks: one SQLite row holds up to {@link CHUNK_POINTS} points of one series
 * as a compact blob, instead of one row per point.
 *
 * Why: a row per point costs a B-tree insert at a random place of a large index for every point
 * (series are interleaved in time), so a commit dirties about one page per point. A chunk row
 * costs the same for up to {@link CHUNK_POINTS} points. Points are kept in a per-series
 * {@link PointBuffer} (in memory, visible to reads at once) until the series has a full chunk, or
 * until the store is synced (checkpoint, retention, close); see `SqliteStore`.
 *
 * Blob layout (little-endian), one record of {@link POINT_FIELDS} float64 per point, in the order
 * the points were committed: `t, value, expected, lower, upper, score, anomalous (0|1)`. Float64
 * keeps every detector output exactly (NaN and ±Infinity included). 56 bytes per point.
 *
 * Overwrites: a point with the same series and time as an earlier one replaces it (last write
 * wins, by chunk rowid, then position in the chunk; buffered points are newest). Readers resolve
 * this with {@link PointMerger}, so re-committing points (log replay) never duplicates them.
 */
import { endianness } from 'node:os';
import type { PointRecord } from '../../model/types.js';

/** float64 fields per point. */
export const POINT_FIELDS = 7;
/** Bytes per encoded point. */
export const POINT_BYTES = POINT_FIELDS * 8;
/** A series' buffered points are written as a chunk once they reach this many. */
export const CHUNK_POINTS = 128;

/** Largest chunk written, points (a larger buffer is split). */
export const MAX_CHUNK_POINTS = 4096;

const LITTLE_ENDIAN = endianness() === 'LE';

/** Growable, column-interleaved buffer of one series' points not yet written as a chunk. */
export class PointBuffer {
  private data = new Float64Array(POINT_FIELDS * 4);
  /** Points held. */
  length = 0;
  /** Smallest and largest event time held, Unix ms (±Infinity when empty). */
  tMin = Number.POSITIVE_INFINITY;
  tMax = Number.NEGATIVE_INFINITY;

  push(p: PointRecord): void {
    this.reserve();
    const d = this.data;
    const o = this.length * POINT_FIELDS;
    d[o] = p.t;
    d[o + 1] = p.value;
    d[o + 2] = p.expected;
    d[o + 3] = p.lower;
    d[o + 4] = p.upper;
    d[o + 5] = p.score;
    d[o + 6] = p.anomalous ? 1 : 0;
    this.length++;
    if (p.t < this.tMin) this.tMin = p.t;
    if (p.t > this.tMax) this.tMax = p.t;
  }

  /** Appends one point given as its {@link POINT_FIELDS} interleaved values. */
  pushValues(values: Float64Array): void {
    this.reserve();
    this.data.set(values, this.length * POINT_FIELDS);
    this.length++;
    const t = values[0] as number;
    if (t < this.tMin) this.tMin = t;
    if (t > this.tMax) this.tMax = t;
  }

  /** Appends the points of `other`, after this buffer's own. */
  append(other: PointBuffer): void {
    const values = other.values();
    for (let o = 0; o < values.length; o += POINT_FIELDS)
      this.pushValues(values.subarray(o, o + POINT_FIELDS));
  }

  /** Room for one more point. */
  private reserve(): void {
    if ((this.length + 1) * POINT_FIELDS > this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
  }

  /** Commit number of the last {@link mark}, and the state it saved. */
  private markedBy = 0;
  private markLength = 0;
  private markTMin = Number.POSITIVE_INFINITY;
  private markTMax = Number.NEGATIVE_INFINITY;

  /**
   * Remembers the current state for {@link undo}, once per commit number.
   * @returns true when this is the first mark of commit `n`
   */
  mark(n: number): boolean {
    if (this.markedBy === n) return false;
    this.markedBy = n;
    this.markLength = this.length;
    this.markTMin = this.tMin;
    this.markTMax = this.tMax;
    return true;
  }

  /** Drops the points pushed since the last {@link mark} (a commit that failed). */
  undo(): void {
    this.length = this.markLength;
    this.tMin = this.markTMin;
    this.tMax = this.markTMax;
  }

  /** The held points as chunks of at most {@link MAX_CHUNK_POINTS} points each (copies). */
  chunks(): Array<{ readonly tFirst: number; readonly tLast: number; readonly blob: Buffer }> {
    const out: Array<{ readonly tFirst: number; readonly tLast: number; readonly blob: Buffer }> = [];
    for (let start = 0; start < this.length; start += MAX_CHUNK_POINTS) {
      const end = Math.min(this.length, start + MAX_CHUNK_POINTS);
      const values = this.data.subarray(start * POINT_FIELDS, end * POINT_FIELDS);
      let tFirst = this.tMin;
      let tLast = this.tMax;
      if (start > 0 || end < this.length) {
        tFirst = Number.POSITIVE_INFINITY;
        tLast = Number.NEGATIVE_INFINITY;
        for (let o = 0; o < values.length; o += POINT_FIELDS) {
          const t = values[o] as number;
          if (t < tFirst) tFirst = t;
          if (t > tLast) tLast = t;
        }
      }
      out.push({ tFirst, tLast, blob: encodeValues(values) });
    }
    return out;
  }

  /** The held points' interleaved values (a view, valid until the next push or clear). */
  values(): Float64Array {
    return this.data.subarray(0, this.length * POINT_FIELDS);
  }

  /** Calls `fn` with each held point, oldest commit first. */
  forEach(seriesId: string, fn: (p: PointRecord, index: number) => void): void {
    forEachValue(this.data, this.length, seriesId, fn);
  }
}

/** A chunk blob of the given interleaved values. */
export function encodeValues(values: Float64Array): Buffer {
  const out = Buffer.allocUnsafe(values.length * 8);
  new Float64Array(out.buffer, out.byteOffset, values.length).set(values);
  if (!LITTLE_ENDIAN) out.swap64();
  return out;
}

/** Encodes points (of one series, in commit order, at most {@link MAX_CHUNK_POINTS}) as a chunk blob. */
export function encodePoints(points: readonly PointRecord[]): Buffer {
  const b = new PointBuffer();
  for (const p of points) b.push(p);
  return encodeValues(b.values());
}

/**
 * The interleaved values of a chunk blob.
 * @throws {RangeError} when the blob is not a whole number of points.
 */
export function decodeValues(blob: Uint8Array): Float64Array {
  if (blob.length % POINT_BYTES !== 0) {
    throw new RangeError(`point chunk of ${blob.length} bytes is not a multiple of ${POINT_BYTES}`);
  }
  const values = new Float64Array(blob.length / 8);
  const bytes = new Uint8Array(values.buffer);
  bytes.set(blob);
  if (!LITTLE_ENDIAN) Buffer.from(values.buffer).swap64();
  return values;
}

/** Decodes a chunk blob into points of `seriesId`, in commit order. */
export function decodePoints(seriesId: string, blob: Uint8Array): PointRecord[] {
  const values = decodeValues(blob);
  const out: PointRecord[] = [];
  forEachValue(values, values.length / POINT_FIELDS, seriesId, (p) => out.push(p));
  return out;
}

function forEachValue(
  d: Float64Array,
  length: number,
  seriesId: string,
  fn: (p: PointRecord, index: number) => void,
): void {
  for (let i = 0; i < length; i++) {
    const o = i * POINT_FIELDS;
    fn(
      {
        seriesId,
        t: d[o] as number,
        value: d[o + 1] as number,
        expected: d[o + 2] as number,
        lower: d[o + 3] as number,
        upper: d[o + 4] as number,
        score: d[o + 5] as number,
        anomalous: d[o + 6] === 1,
      },
      i,
    );
  }
}

/** Merge order of a chunk's points: rowid × this + index (more than {@link MAX_CHUNK_POINTS}). */
const MAX_INDEX = 65_536;
/** Merge order of buffered points: after every chunk row; a live buffer after a frozen one. */
const FROZEN_ORDER = 2 ** 51;
const LIVE_ORDER = 2 ** 52;

/**
 * Collects the points of one series from chunks read in any order (and its buffer), keeping for
 * each time the last written point, within an inclusive time range.
 */
export class PointMerger {
  private readonly byT = new Map<number, { readonly order: number; readonly point: PointRecord }>();

  constructor(
    private readonly from: number,
    private readonly to: number,
  ) {}

  /** Distinct times collected. */
  get size(): number {
    return this.byT.size;
  }

  /** How many distinct collected times are greater than `t`. */
  countAfter(t: number): number {
    let n = 0;
    for (const k of this.byT.keys()) if (k > t) n++;
    return n;
  }

  /** Adds the points of the chunk with this rowid. */
  addChunk(rowid: number, seriesId: string, blob: Uint8Array): void {
    const base = rowid * MAX_INDEX;
    const values = decodeValues(blob);
    forEachValue(values, values.length / POINT_FIELDS, seriesId, (p, i) => this.add(base + i, p));
  }

  /**
   * Adds buffered points (newer than every chunk): of the buffer being synced (`live` false), or
   * of the buffer still taking points (`live`, newest of all).
   */
  addBuffer(seriesId: string, buffer: PointBuffer, live: boolean): void {
    const base = live ? LIVE_ORDER : FROZEN_ORDER;
    buffer.forEach(seriesId, (p, i) => this.add(base + i, p));
  }

  /** The collected points, oldest first; with `limit` ≥ 0, the newest `limit` of them. */
  result(limit: number): PointRecord[] {
    const points = [...this.byT.values()].map((c) => c.point).sort((a, b) => a.t - b.t);
    return limit >= 0 && points.length > limit ? points.slice(points.length - limit) : points;
  }

  private add(order: number, point: PointRecord): void {
    if (!(point.t >= this.from && point.t <= this.to)) return;
    const old = this.byT.get(point.t);
    if (old === undefined || old.order < order) this.byT.set(point.t, { order, point });
  }
}
