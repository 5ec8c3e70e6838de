import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** 2014-02-14 14:30:00 UTC, Unix ms (computed with Python's calendar.timegm). */
export const T0 = 1_392_388_200_000;

/** Formats Unix ms as NAB does: `YYYY-MM-DD HH:MM:SS`, UTC. */
export function nabTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

export interface TempCsv {
  readonly dir: string;
  /** Writes `timestamp,value` rows: n points from `start` every `stepMs`, value = index. */
  series(name: string, n: number, stepMs?: number, start?: number): string;
  raw(name: string, text: string): string;
  remove(): void;
}

export function tempCsv(): TempCsv {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-replay-'));
  const raw = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  return {
    dir,
    raw,
    series: (name, n, stepMs = 300_000, start = T0) => {
      const lines = ['timestamp,value'];
      for (let i = 0; i < n; i++) lines.push(`${nabTime(start + i * stepMs)},${i}`);
      return raw(name, `${lines.join('\n')}\n`);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
