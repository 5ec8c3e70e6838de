/**
 * Reading a NAB corpus folder: `data/<category>/<name>.csv` and `labels/combined_windows.json`
 * (formats in `shared/nab/README.md`).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One data file of the corpus, parsed. */
export interface NabSeries {
  /** Path relative to `data/`, e.g. `realTweets/Twitter_volume_AAPL.csv` (the windows key). */
  readonly key: string;
  readonly category: string;
  /** File name without `.csv`. */
  readonly name: string;
  /** Timestamps exactly as written in the file. */
  readonly stamps: readonly string[];
  /** Values exactly as written in the file. */
  readonly rawValues: readonly string[];
  /** Event times, Unix ms (timestamps read as naive UTC). */
  readonly t: Float64Array;
  readonly v: Float64Array;
  /** Anomaly windows as inclusive row ranges. */
  readonly windows: readonly (readonly [number, number])[];
}

const STAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d+)?$/;

/**
 * Parses `YYYY-MM-DD HH:MM:SS[.ffffff]` as naive UTC.
 * @returns Unix epoch milliseconds (fraction ignored)
 * @throws {Error} when the text is not in that form
 */
export function parseNabTime(text: string): number {
  const m = STAMP.exec(text);
  if (m === null) throw new Error(`not a NAB timestamp: ${JSON.stringify(text)}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

/**
 * Parses one data CSV (`timestamp,value` header, one row per sample).
 * @throws {Error} naming the file and line on a malformed header, row, timestamp or value
 */
export function parseNabCsv(
  text: string,
  where: string,
): { stamps: string[]; rawValues: string[]; t: Float64Array; v: Float64Array } {
  const lines = text.split(/\r?\n/);
  if (lines[0]?.trim() !== 'timestamp,value') throw new Error(`${where}: expected header "timestamp,value"`);
  const stamps: string[] = [];
  const rawValues: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') continue;
    const comma = line.indexOf(',');
    if (comma < 0) throw new Error(`${where}:${i + 1}: expected "timestamp,value"`);
    stamps.push(line.slice(0, comma));
    rawValues.push(line.slice(comma + 1));
  }
  const t = new Float64Array(stamps.length);
  const v = new Float64Array(stamps.length);
  for (let i = 0; i < stamps.length; i++) {
    try {
      t[i] = parseNabTime(stamps[i] ?? '');
    } catch (err) {
      throw new Error(`${where}: data row ${i}: ${(err as Error).message}`);
    }
    const value = Number(rawValues[i]);
    if (!Number.isFinite(value) || (rawValues[i] ?? '').trim() === '') {
      throw new Error(
        `${where}: data row ${i}: value ${JSON.stringify(rawValues[i])} is not a finite number`,
      );
    }
    v[i] = value;
  }
  return { stamps, rawValues, t, v };
}

/**
 * Maps windows given as timestamp strings to inclusive row ranges, using the first
 * occurrence of each end's timestamp.
 * @throws {Error} when an end is not a timestamp of the file
 */
export function windowRows(
  stamps: readonly string[],
  windows: readonly (readonly [string, string])[],
  where: string,
): [number, number][] {
  const first = new Map<string, number>();
  stamps.forEach((s, i) => {
    if (!first.has(s)) first.set(s, i);
  });
  const row = (end: string) => {
    const key = end.replace(/\.\d+$/, '');
    const i = first.get(key);
    if (i === undefined) throw new Error(`${where}: window end ${end} is not a timestamp of the file`);
    return i;
  };
  return windows.map(([a, b]) => [row(a), row(b)]);
}

/**
 * Reads every `data/<category>/*.csv` under `dir` with its windows, sorted by key.
 * @throws {Error} when the folder layout, a CSV or the windows file is malformed, or a file has no windows entry
 */
export async function readNabCorpus(dir: string): Promise<NabSeries[]> {
  const windowsJson = JSON.parse(
    await readFile(join(dir, 'labels', 'combined_windows.json'), 'utf8'),
  ) as Record<string, [string, string][]>;
  const out: NabSeries[] = [];
  const categories = (await readdir(join(dir, 'data'), { withFileTypes: true })).filter((d) =>
    d.isDirectory(),
  );
  for (const cat of categories.map((d) => d.name).sort()) {
    const names = (await readdir(join(dir, 'data', cat))).filter((n) => n.endsWith('.csv')).sort();
    for (const file of names) {
      const key = `${cat}/${file}`;
      const windows = windowsJson[key];
      if (windows === undefined) throw new Error(`${key}: no entry in labels/combined_windows.json`);
      const parsed = parseNabCsv(await readFile(join(dir, 'data', cat, file), 'utf8'), key);
      out.push({
        key,
        category: cat,
        name: file.replace(/\.csv$/, ''),
        ...parsed,
        windows: windowRows(parsed.stamps, windows, key),
      });
    }
  }
  return out;
}
