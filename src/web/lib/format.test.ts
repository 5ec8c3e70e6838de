import { describe, expect, it } from 'vitest';
import { fmtAgo, fmtDuration, fmtLabels, fmtNum, fmtPct, seriesName, timeTicks } from './format.js';

describe('format', () => {
  it('names a series from its parts, skipping empty ones, labels sorted', () => {
    expect(seriesName({ service: 'api', endpoint: 'GET:/x', metric: 'response_time', labels: {} })).toBe(
      'api · GET:/x · response_time',
    );
    expect(
      seriesName({ service: 'web', endpoint: '', metric: 'log_rate', labels: { z: '1', level: 'ERROR' } }),
    ).toBe('web · log_rate {level=ERROR, z=1}');
    expect(fmtLabels({})).toBe('');
  });

  it('formats numbers, ratios, ages and durations', () => {
    expect(fmtNum(100000)).toBe('100,000');
    expect(fmtNum(0.54538)).toBe('0.5454');
    expect(fmtNum(Number.NaN)).toBe('—');
    expect(fmtNum(2e-5)).toBe('2.00e-5');
    expect(fmtPct(0.3651)).toBe('36.5%');
    expect(fmtAgo(1_000, 61_000)).toBe('1m ago');
    expect(fmtAgo(0, 3 * 86_400_000)).toBe('3d ago');
    expect(fmtDuration(3725)).toBe('1h 2m');
  });

  it('labels time ticks with the day under the first tick of each day', () => {
    const day = new Date(2026, 10, 22, 23, 0, 0).getTime();
    const labels = timeTicks([day, day + 3600_000, day + 7200_000], 3600_000);
    expect(labels).toEqual(['23:00\n11-22', '00:00\n11-23', '01:00']);
    expect(timeTicks([day, day + 86_400_000], 86_400_000)).toEqual(['11-22', '11-23']);
  });
});
