/**
 * Binary framing of one ingest-log record.
 *
 * Layout (little-endian), after the framing of Prometheus' TSDB WAL and Kafka's record batches:
 *
 * ```text
 * offset  size  field
 * 0       4     u32 length   bytes after this 8-byte header (payload)
 * 4       4     u32 crc32    CRC-32 of the payload (ISO 3309 / ITU-T V.42 polynomial, as zlib)
 * 8       8     u64 seq
 * 16      8     f64 receivedAt (Unix ms)
 * 24      1     u8  kind length k (1..255 bytes of UTF-8)
 * 25      k     kind (UTF-8)
 * 25+k    …     body as JSON (UTF-8)
 * ```
 *
 * A record is valid only when its whole payload is present and the CRC matches, so a torn
 * write (crash in the middle of `write`) is detected and dropped on recovery.
 */
import { crc32 } from 'node:zlib';
import type { LogEntry } from '../types.js';

/** Bytes of the length + CRC header. */
export const HEADER_BYTES = 8;
/** Fixed part of the payload: seq, receivedAt, kind length. */
const FIXED_PAYLOAD_BYTES = 17;
/** Largest accepted payload, bytes. A larger length field is treated as corruption. */
export const MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;

/**
 * Encodes one record into a new buffer.
 * `body` is serialized with `JSON.stringify`; `undefined` is stored as `null`.
 * @throws {RangeError} when `kind` is empty or longer than 255 UTF-8 bytes, or the payload exceeds
 *   {@link MAX_PAYLOAD_BYTES}.
 */
export function encodeRecord(seq: number, kind: string, receivedAt: number, body: unknown): Buffer {
  const kindBytes = Buffer.from(kind, 'utf8');
  if (kindBytes.length === 0 || kindBytes.length > 255) {
    throw new RangeError(`log record kind must be 1..255 UTF-8 bytes, got ${kindBytes.length}`);
  }
  const json = JSON.stringify(body) ?? 'null';
  const bodyBytes = Buffer.byteLength(json, 'utf8');
  const payloadBytes = FIXED_PAYLOAD_BYTES + kindBytes.length + bodyBytes;
  if (payloadBytes > MAX_PAYLOAD_BYTES) {
    throw new RangeError(`log record of ${payloadBytes} bytes exceeds the limit of ${MAX_PAYLOAD_BYTES}`);
  }
  const buf = Buffer.allocUnsafe(HEADER_BYTES + payloadBytes);
  buf.writeUInt32LE(payloadBytes, 0);
  buf.writeBigUInt64LE(BigInt(seq), 8);
  buf.writeDoubleLE(receivedAt, 16);
  buf.writeUInt8(kindBytes.length, 24);
  kindBytes.copy(buf, 25);
  buf.write(json, 25 + kindBytes.length, 'utf8');
  buf.writeUInt32LE(crc32(buf.subarray(HEADER_BYTES)), 4);
  return buf;
}

/** Outcome of decoding at one offset of a buffer. */
export type DecodeResult =
  | { readonly status: 'ok'; readonly entry: LogEntry; readonly bytes: number }
  /** Not enough bytes yet: the record continues past the buffer (or is torn at end of file). */
  | { readonly status: 'incomplete'; readonly needBytes: number }
  /** The bytes cannot be a valid record (bad length, CRC mismatch, unparsable body). */
  | { readonly status: 'corrupt'; readonly reason: string };

/**
 * Decodes the record starting at `offset` of `buf` (which holds `end` valid bytes). Never throws.
 * The CRC is always verified; the JSON body is parsed only when seq > `skipBodyThrough` (records
 * a reader will skip come back with `body: undefined`).
 */
export function decodeRecord(buf: Buffer, offset: number, end: number, skipBodyThrough = 0): DecodeResult {
  const available = end - offset;
  if (available < HEADER_BYTES) return { status: 'incomplete', needBytes: HEADER_BYTES };
  const length = buf.readUInt32LE(offset);
  if (length < FIXED_PAYLOAD_BYTES + 1 || length > MAX_PAYLOAD_BYTES) {
    return { status: 'corrupt', reason: `invalid record length ${length}` };
  }
  const total = HEADER_BYTES + length;
  if (available < total) return { status: 'incomplete', needBytes: total };
  const payload = buf.subarray(offset + HEADER_BYTES, offset + total);
  if (crc32(payload) !== buf.readUInt32LE(offset + 4)) return { status: 'corrupt', reason: 'CRC mismatch' };
  const seq = Number(payload.readBigUInt64LE(0));
  const receivedAt = payload.readDoubleLE(8);
  const kindLength = payload.readUInt8(16);
  if (FIXED_PAYLOAD_BYTES + kindLength > length) return { status: 'corrupt', reason: 'kind overruns record' };
  const kind = payload.toString('utf8', FIXED_PAYLOAD_BYTES, FIXED_PAYLOAD_BYTES + kindLength);
  let body: unknown;
  if (seq <= skipBodyThrough) return { status: 'ok', entry: { seq, kind, receivedAt, body }, bytes: total };
  try {
    body = JSON.parse(payload.toString('utf8', FIXED_PAYLOAD_BYTES + kindLength));
  } catch (error) {
    return { status: 'corrupt', reason: `unparsable body: ${(error as Error).message}` };
  }
  return { status: 'ok', entry: { seq, kind, receivedAt, body }, bytes: total };
}
