import { describe, expect, it } from 'vitest';
import {
  NAB_PROFILES,
  type NabFile,
  type NabProfile,
  NO_DETECTION,
  probationRows,
  scaledSigmoid,
  scoreFile,
  scoreSet,
} from '../../src/bench/nab/index.js';

const UNIT: NabProfile = { name: 'unit', tp: 1, fp: 1, fn: 1, tn: 1 };
const [STANDARD, LOW_FP, LOW_FN] = NAB_PROFILES as [NabProfile, NabProfile, NabProfile];

function detections(n: number, rows: readonly number[]): number[] {
  const s = new Array<number>(n).fill(0);
  for (const r of rows) s[r] = 1;
  return s;
}

/** Mulberry32 (T. Ettinger, 2017): deterministic test data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('NAB scaled sigmoid and probation', () => {
  it('matches the README check values', () => {
    const checks: [number, number][] = [
      [-1, 0.986614],
      [-0.5, 0.848284],
      [0, 0],
      [0.5, -0.848284],
      [0.75, -0.954045],
      [1, -0.986614],
    ];
    for (const [y, v] of checks) expect(scaledSigmoid(y)).toBeCloseTo(v, 6);
    expect(scaledSigmoid(3.0001)).toBe(-1);
  });

  it('probation is min(floor(0.15 N), 750)', () => {
    expect(probationRows(1127)).toBe(169);
    expect(probationRows(4032)).toBe(604);
    expect(probationRows(22695)).toBe(750);
  });
});

describe('NAB raw score of one file', () => {
  const example: NabFile = {
    name: 'example',
    scores: detections(100, [30, 31, 37]),
    windows: [
      [30, 34],
      [65, 69],
    ],
    probation: 0,
  };

  it('reproduces the README worked example (section 8)', () => {
    const unit = scoreFile(example, UNIT, 0.5);
    expect(unit.raw).toBeCloseTo(-0.954045, 6);
    expect(unit.counts).toEqual({ tp: 2, fn: 8, fp: 1, tn: 89 });
    expect(scoreFile(example, STANDARD, 0.5).raw).toBeCloseTo(-0.104945, 6);
  });

  // One 20-row window on rows 40..59 of a 300-row file, no probation.
  const single = (row: number): NabFile => ({
    name: 'one',
    scores: detections(300, [row]),
    windows: [[40, 59]],
    probation: 0,
  });
  const cases: { what: string; row: number; expected: [number, number, number] }[] = [
    { what: 'detection on the first row of the window', row: 40, expected: [1, 1, 1] },
    {
      what: 'detection on the last row of the window',
      row: 59,
      expected: [0.12604014, 0.12604014, 0.12604014],
    },
    { what: 'detection just after the window', row: 60, expected: [-1.01439073, -1.02878146, -2.01439073] },
    { what: 'a far false positive', row: 200, expected: [-1.11, -1.22, -2.11] },
    { what: 'a false positive before the window', row: 10, expected: [-1.11, -1.22, -2.11] },
  ];
  for (const c of cases) {
    it(`${c.what}, for each profile`, () => {
      [STANDARD, LOW_FP, LOW_FN].forEach((p, k) => {
        expect(scoreFile(single(c.row), p, 0.5).raw).toBeCloseTo(c.expected[k] ?? Number.NaN, 7);
      });
    });
  }

  it('only the first detection in a window counts, and probation rows are ignored', () => {
    const f: NabFile = {
      name: 'f',
      scores: detections(300, [5, 45, 50, 55]),
      windows: [[40, 59]],
      probation: 10,
    };
    expect(scoreFile(f, STANDARD, 0.5).raw).toBeCloseTo(scaledSigmoid(-15 / 20) / scaledSigmoid(-1), 9);
    expect(scoreFile(f, STANDARD, 0.5).counts).toEqual({ tp: 3, fn: 17, fp: 0, tn: 270 });
  });
});

describe('NAB threshold optimisation and normalisation', () => {
  function corpus(seed: number): NabFile[] {
    const u = prng(seed);
    return Array.from({ length: 6 }, (_, f) => {
      const n = 400 + Math.floor(u() * 400);
      const k = f === 0 ? 0 : 1 + Math.floor(u() * 3);
      const width = Math.floor((0.1 * n) / Math.max(k, 1));
      const windows: [number, number][] = [];
      for (let w = 0; w < k; w++) {
        const start = Math.floor(0.2 * n + ((w + 0.3) * 0.8 * n) / k);
        windows.push([start, Math.min(n - 1, start + width - 1)]);
      }
      const scores = Array.from({ length: n }, () => Math.round(u() * 40) / 40);
      return { name: `f${f}`, scores, windows };
    });
  }

  it('a null detector scores 0 and a perfect detector 100 on a generated corpus', () => {
    const files = corpus(1);
    const nullFiles = files.map((f) => ({ ...f, scores: new Array<number>(f.scores.length).fill(0.5) }));
    const perfect = files.map((f) => {
      const s = new Array<number>(f.scores.length).fill(0);
      for (const [l] of f.windows) s[l] = 1;
      return { ...f, scores: s };
    });
    for (const p of NAB_PROFILES) {
      expect(scoreSet(nullFiles, p).normalized).toBeCloseTo(0, 9);
      const best = scoreSet(perfect, p);
      expect(best.normalized).toBeCloseTo(100, 9);
      expect(best.threshold).toBe(1);
    }
  });

  it('the sweep finds the same optimum as trying every candidate directly', () => {
    for (const seed of [2, 3, 4]) {
      const files = corpus(seed);
      for (const p of NAB_PROFILES) {
        const candidates = [NO_DETECTION, ...new Set(files.flatMap((f) => Array.from(f.scores)))].sort(
          (a, b) => b - a,
        );
        let bestRaw = Number.NEGATIVE_INFINITY;
        let bestThreshold = Number.NaN;
        for (const th of candidates) {
          const raw = files.reduce((a, f) => a + scoreFile(f, p, th).raw, 0);
          if (raw > bestRaw + 1e-12) {
            bestRaw = raw;
            bestThreshold = th;
          }
        }
        const swept = scoreSet(files, p);
        expect(swept.raw).toBeCloseTo(bestRaw, 9);
        expect(swept.threshold).toBe(bestThreshold);
      }
    }
  });

  it('on ties the higher threshold wins', () => {
    // Rows at 0.9 hit the window start; rows at 0.8 add a detection inside the window (worth nothing more).
    const f: NabFile = {
      name: 't',
      scores: [0, 0, 0, 0, 0.9, 0.8, 0, 0, 0, 0],
      windows: [[4, 6]],
      probation: 0,
    };
    const s = scoreSet([f], STANDARD);
    expect(s.threshold).toBe(0.9);
    expect(s.raw).toBe(1);
  });

  it('normalisation uses null = −A_FN × windows and perfect = A_TP × windows', () => {
    const files = corpus(5);
    const k = files.reduce((a, f) => a + f.windows.length, 0);
    const s = scoreSet(files, LOW_FN);
    expect(s.perfect).toBe(k);
    expect(s.nullRaw).toBe(-2 * k);
    expect(s.normalized).toBeCloseTo((100 * (s.raw + 2 * k)) / (3 * k), 9);
  });

  it('a set without windows has no normalised score', () => {
    const f: NabFile = { name: 'none', scores: [0, 0.2, 0.1, 0, 0, 0, 0, 0], windows: [], probation: 0 };
    const s = scoreSet([f], STANDARD);
    expect(s.normalized).toBeNull();
    expect(s.threshold).toBe(NO_DETECTION);
    expect(s.raw).toBe(0);
  });
});
