import { describe, expect, it } from 'vitest';
import { anyOf, RANGE_OPTIONS, rangeStart, readFilters, readOffset, SEVERITY_OPTIONS } from './filters.js';

describe('filters', () => {
  it('reads filter values from the URL query, empty when missing', () => {
    const q = new URLSearchParams('status=firing&service=%3Cimg%3E&other=x');
    expect(readFilters(q, ['status', 'service', 'range'])).toEqual({
      status: 'firing',
      service: '<img>',
      range: '',
    });
  });

  it('reads the page offset as a non-negative integer, 0 when missing or invalid', () => {
    expect(readOffset(new URLSearchParams('offset=100'))).toBe(100);
    expect(readOffset(new URLSearchParams(''))).toBe(0);
    expect(readOffset(new URLSearchParams('offset=-50'))).toBe(0);
    expect(readOffset(new URLSearchParams('offset=abc'))).toBe(0);
  });

  it('starts a time filter the preset before now, with no bound for any time or an unknown preset', () => {
    const now = 1_700_000_000_000;
    expect(rangeStart('1h', now)).toBe(now - 3600_000);
    expect(rangeStart('7d', now)).toBe(now - 7 * 86_400_000);
    expect(rangeStart('', now)).toBeUndefined();
    expect(rangeStart('2y', now)).toBeUndefined();
  });

  it('offers "any" first, then each value', () => {
    expect(anyOf(['open', 'level_shift'], (v) => v.replace('_', ' '))).toEqual([
      ['', 'any'],
      ['open', 'open'],
      ['level_shift', 'level shift'],
    ]);
    expect(SEVERITY_OPTIONS.map(([v]) => v)).toEqual(['', 'critical', 'high', 'medium', 'low', 'info']);
    expect(RANGE_OPTIONS[0]).toEqual(['', 'any time']);
    expect(RANGE_OPTIONS).toContainEqual(['24h', 'last 24h']);
  });
});
