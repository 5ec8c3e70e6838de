import { describe, expect, it } from 'vitest';
import { parseTimestamp } from '../../src/ingest/timestamp.js';

const NOW = Date.UTC(2026, 10, 22, 12);

describe('parseTimestamp', () => {
  const ok: Array<[unknown, number]> = [
    [undefined, NOW],
    [null, NOW],
    [1_700_000_000, 1_700_000_000_000],
    [1_700_000_000.5, 1_700_000_000_500],
    [1_700_000_000_000, 1_700_000_000_000],
    ['1700000000', 1_700_000_000_000],
    ['2026-11-22T10:00:00Z', Date.UTC(2026, 10, 22, 10)],
    ['2026-11-22T10:00:00+02:00', Date.UTC(2026, 10, 22, 8)],
    ['2026-11-22 10:00:00', Date.UTC(2026, 10, 22, 10)],
    ['2026-11-22T10:00:00.250', Date.UTC(2026, 10, 22, 10, 0, 0, 250)],
    ['2026-11-22', Date.UTC(2026, 10, 22)],
  ];
  for (const [input, ms] of ok) {
    it(`reads ${JSON.stringify(input)}`, () => {
      expect(parseTimestamp(input, NOW, 300_000)).toEqual({ ok: true, ms });
    });
  }
  const bad: Array<[unknown, RegExp]> = [
    ['yesterday', /ISO 8601/],
    ['', /empty/],
    [true, /string or a number/],
    [{}, /string or a number/],
    [Number.NaN, /finite/],
    [-5, /before 1970/],
    ['2026-13-45T99:00:00Z', /not a valid date/],
    [NOW + 301_000, /future/],
  ];
  for (const [input, message] of bad) {
    it(`rejects ${String(input)}`, () => {
      const r = parseTimestamp(input, NOW, 300_000);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(message);
    });
  }
});
