/**
 * Timestamp parsing for ingest: ISO 8601 strings, Unix seconds or Unix milliseconds.
 */

/** Numbers below this are read as Unix seconds (1e11 s is the year 5138; 1e11 ms is 1973). */
const SECONDS_LIMIT = 1e11;
/** Earliest accepted event time: 1970-01-01. */
const MIN_MS = 0;

export type TimestampResult =
  | { readonly ok: true; readonly ms: number }
  | { readonly ok: false; readonly message: string };

/**
 * Resolves a request's timestamp to Unix ms.
 * @param input ISO 8601 string (`2026-11-22T10:00:00Z`; without a zone it is read as UTC),
 *   a numeric string, Unix seconds (< 1e11) or Unix ms; `undefined`/`null` means `now`.
 * @param now receive time, Unix ms
 * @param maxFutureMs how far ahead of `now` a timestamp may be
 * @returns the time in ms, or a message saying what is wrong
 * @example parseTimestamp(1700000000, 0, Infinity) // { ok: true, ms: 1700000000000 }
 */
export function parseTimestamp(input: unknown, now: number, maxFutureMs: number): TimestampResult {
  let ms: number;
  if (input === undefined || input === null) return { ok: true, ms: now };
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return { ok: false, message: 'timestamp must be a finite number' };
    ms = Math.abs(input) < SECONDS_LIMIT ? input * 1000 : input;
  } else if (typeof input === 'string') {
    const trimmed = input.trim();
    if (trimmed === '') return { ok: false, message: 'timestamp is an empty string' };
    if (/^-?\d+(\.\d+)?$/.test(trimmed)) return parseTimestamp(Number(trimmed), now, maxFutureMs);
    if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(trimmed)) {
      return { ok: false, message: 'timestamp must be ISO 8601, Unix seconds or Unix milliseconds' };
    }
    const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(trimmed) && trimmed.length > 10;
    const normalized = trimmed.replace(' ', 'T');
    ms = Date.parse(hasZone || normalized.length === 10 ? normalized : `${normalized}Z`);
    if (Number.isNaN(ms)) return { ok: false, message: 'timestamp is not a valid date' };
  } else {
    return { ok: false, message: 'timestamp must be a string or a number' };
  }
  ms = Math.round(ms);
  if (ms < MIN_MS) return { ok: false, message: 'timestamp is before 1970-01-01' };
  if (ms > now + maxFutureMs) {
    return { ok: false, message: `timestamp is more than ${Math.round(maxFutureMs / 1000)} s in the future` };
  }
  return { ok: true, ms };
}
