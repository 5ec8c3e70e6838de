import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNabCsv, parseNabTime, runNabBench, windowRows } from '../../src/bench/nab/index.js';
import type { Detector, DetectorFactory, Verdict } from '../../src/engine/index.js';

describe('NAB corpus reading', () => {
  it('parses timestamps as naive UTC, with or without a fraction', () => {
    expect(parseNabTime('2014-04-01 00:05:00')).toBe(Date.UTC(2014, 3, 1, 0, 5, 0));
    expect(parseNabTime('2014-04-10 16:15:00.000000')).toBe(Date.UTC(2014, 3, 10, 16, 15, 0));
    expect(() => parseNabTime('2014-04-01T00:05:00Z')).toThrow(/not a NAB timestamp/);
  });

  it('parses a CSV keeping the text verbatim and rejects bad rows with their position', () => {
    const csv = parseNabCsv('timestamp,value\n2014-04-01 00:00:00,20.0\n2014-04-01 00:05:00,1e3\n', 'x.csv');
    expect(csv.stamps).toEqual(['2014-04-01 00:00:00', '2014-04-01 00:05:00']);
    expect(csv.rawValues).toEqual(['20.0', '1e3']);
    expect(Array.from(csv.v)).toEqual([20, 1000]);
    expect(() => parseNabCsv('time,value\n', 'x.csv')).toThrow(/x.csv: expected header/);
    expect(() => parseNabCsv('timestamp,value\n2014-04-01 00:00:00,abc\n', 'x.csv')).toThrow(
      /x.csv: data row 0/,
    );
  });

  it('maps window ends to the first occurrence of a repeated timestamp', () => {
    const stamps = [
      '2014-01-01 00:00:00',
      '2014-01-01 00:05:00',
      '2014-01-01 00:05:00',
      '2014-01-01 00:10:00',
    ];
    expect(windowRows(stamps, [['2014-01-01 00:05:00.000000', '2014-01-01 00:10:00.000000']], 'k')).toEqual([
      [1, 3],
    ]);
    expect(() =>
      windowRows(stamps, [['2014-01-02 00:00:00.000000', '2014-01-01 00:10:00.000000']], 'k'),
    ).toThrow(/not a timestamp of the file/);
  });
});

/** A detector that flags exactly the rows whose value is 100 (a real implementation, not a mock). */
const oracle: DetectorFactory = {
  kind: 'oracle',
  create(): Detector {
    let n = 0;
    const verdict = (t: number, v: number): Verdict => ({
      t,
      value: v,
      expected: 0,
      lower: 0,
      upper: 0,
      score: v === 100 ? 1 : 0,
      anomalous: v === 100,
      type: v === 100 ? 'spike' : null,
      component: v === 100 ? 'noise' : null,
      confidence: 1,
      warmup: 1,
    });
    return {
      score: (s) => verdict(s.t, s.v),
      update: (s) => {
        n += 1;
        return verdict(s.t, s.v);
      },
      learn: () => {
        n += 1;
      },
      snapshot: () => ({ kind: 'oracle', version: 1, state: n }),
      get samples() {
        return n;
      },
    };
  },
  restore(): Detector {
    throw new Error('not restorable');
  },
};

describe('runNabBench on a generated corpus', () => {
  it('scores a detector that hits every window start at 100 and writes the result files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-nab-gen-'));
    try {
      await mkdir(join(dir, 'data', 'cat'), { recursive: true });
      await mkdir(join(dir, 'labels'), { recursive: true });
      const stamp = (i: number) =>
        new Date(Date.UTC(2020, 0, 1) + i * 300_000).toISOString().replace('T', ' ').slice(0, 19);
      const rows = ['timestamp,value'];
      for (let i = 0; i < 1000; i++) rows.push(`${stamp(i)},${i === 500 || i === 800 ? 100 : 1}`);
      await writeFile(join(dir, 'data', 'cat', 'a.csv'), `${rows.join('\n')}\n`);
      const windows = {
        'cat/a.csv': [
          [`${stamp(500)}.000000`, `${stamp(549)}.000000`],
          [`${stamp(800)}.000000`, `${stamp(849)}.000000`],
        ],
      };
      await writeFile(join(dir, 'labels', 'combined_windows.json'), JSON.stringify(windows));
      const lines: string[] = [];
      const out = join(dir, 'out');
      const report = await runNabBench({
        data: dir,
        out,
        passes: 1,
        factory: oracle,
        print: (l) => lines.push(l),
      });
      expect(report.corpus.scores.map((s) => s.normalized)).toEqual([100, 100, 100]);
      expect(report.corpus.scores[0]?.counts).toEqual({ tp: 2, fp: 0, fn: 98, tn: 750 });
      expect(lines[0]).toBe('NAB: 1 files, 1000 rows, 2 windows — detector oracle');
      const { readFile } = await import('node:fs/promises');
      const written = (await readFile(join(out, 'cat', 'a.csv'), 'utf8')).trim().split('\n');
      expect(written).toHaveLength(1001);
      expect(written[501]).toBe(`${stamp(500)},100,1,1`);
      expect(written[1]).toBe(`${stamp(0)},1,0,0`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
