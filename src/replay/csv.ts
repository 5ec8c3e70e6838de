import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { ReplayError } from './errors.js';

/** One row of a `timestamp,value` file. */
export interface Row {
  /** Event time, Unix ms. */
  readonly t: number;
  readonly value: number;
  /** 1-based line number in the file, for error messages. */
  readonly line: number;
}

const NAIVE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;

/**
 * Parses a timestamp as NAB writes them: `YYYY-MM-DD HH:MM:SS[.ffffff]`, without a zone, meaning UTC.
 * A string with an explicit zone (`Z`, `+02:00`) is read with that zone.
 * @returns Unix ms (fractions below 1 ms are truncated)
 * @throws {ReplayError} when the text is neither form or names an impossible date (2014-02-30).
 * @example parseUtcTimestamp('2014-02-14 14:30:00') // 1392388200000
 */
export function parseUtcTimestamp(text: string): number {
  const s = text.trim();
  const m = NAIVE.exec(s);
  if (m) {
    const [y, mo, d, h, mi, sec, frac] = m.slice(1).map((x) => x ?? '');
    const ms = Number((frac ?? '').padEnd(3, '0').slice(0, 3) || '0');
    const t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec || '0'), ms);
    const back = new Date(t);
    const inRange = Number(h) <= 23 && Number(mi) <= 59 && Number(sec || '0') <= 59;
    if (!inRange || back.getUTCDate() !== Number(d) || back.getUTCMonth() !== Number(mo) - 1) {
      throw new ReplayError(`impossible date ${JSON.stringify(text)}`);
    }
    return t;
  }
  if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/i.test(s)) {
    const t = Date.parse(s);
    if (!Number.isNaN(t)) return t;
  }
  throw new ReplayError(
    `timestamp ${JSON.stringify(text)} is not YYYY-MM-DD HH:MM:SS (UTC) or ISO 8601 with a zone`,
  );
}

/**
 * Streams the rows of a CSV file of `timestamp,value`, in file order. A first line whose value column is not a number
 * is taken as the header; blank lines are skipped; extra columns are ignored.
 * @throws {ReplayError} naming `file:line` on a row with a bad timestamp or a non-finite value, or when the file
 *   cannot be opened.
 */
export async function* readRows(file: string): AsyncGenerator<Row> {
  const stream = createReadStream(file, { encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  try {
    for await (const text of lines) {
      line++;
      if (text.trim() === '') continue;
      const [ts = '', raw = ''] = text.split(',');
      const value = raw.trim() === '' ? Number.NaN : Number(raw);
      if (line === 1 && Number.isNaN(value)) continue; // header
      if (!Number.isFinite(value))
        throw new ReplayError(`${file}:${line}: value ${JSON.stringify(raw)} is not a number`);
      let t: number;
      try {
        t = parseUtcTimestamp(ts);
      } catch (err) {
        throw new ReplayError(`${file}:${line}: ${(err as Error).message}`);
      }
      yield { t, value, line };
    }
  } catch (err) {
    if (err instanceof ReplayError) throw err;
    throw new ReplayError(`cannot read ${file}: ${(err as Error).message}`, { cause: err });
  } finally {
    lines.close();
    stream.destroy();
  }
}
