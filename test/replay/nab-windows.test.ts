import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  countAlertsInWindows,
  loadNabWindows,
  parseNabWindows,
  ReplayError,
  type ReplayFileReport,
  windowsFor,
} from '../../src/replay/index.js';

/** 2014-02-26 13:45:00 and 2014-02-27 06:25:00 UTC, Unix ms (Python calendar.timegm). */
const W1 = { start: 1_393_422_300_000, end: 1_393_482_300_000 };
const LABELS = {
  'realAWSCloudwatch/ec2_cpu_utilization_24ae8d.csv': [
    ['2014-02-26 13:45:00.000000', '2014-02-27 06:25:00.000000'],
  ],
  'artificialNoAnomaly/art_flatline.csv': [],
};

function fileReport(file: string, alertStarts: number[], anomalyTimes: number[]): ReplayFileReport {
  return {
    file,
    endpoint: 'x',
    points: 0,
    requests: 0,
    rejected: 0,
    firstT: null,
    lastT: null,
    seriesId: null,
    anomalies: anomalyTimes.map((t) => ({ t, value: 0, score: 1, type: 'spike', severity: 'high' })),
    alerts: alertStarts.map((startsAt, i) => ({
      id: `a${i}`,
      startsAt,
      lastAnomalyAt: startsAt,
      resolvedAt: null,
      status: 'firing',
      severity: 'high',
      anomalyCount: 1,
      maxScore: 1,
      type: 'spike',
    })),
  };
}

describe('NAB windows', () => {
  it('parses the windows as UTC ms and finds them by category/file from any path', () => {
    const w = parseNabWindows(LABELS);
    expect(windowsFor(w, '/anywhere/nab/data/realAWSCloudwatch/ec2_cpu_utilization_24ae8d.csv')).toEqual([
      W1,
    ]);
    expect(windowsFor(w, 'data/artificialNoAnomaly/art_flatline.csv')).toEqual([]);
    expect(windowsFor(w, 'data/elsewhere/ec2_cpu_utilization_24ae8d.csv')).toBeUndefined();
  });

  it('rejects a file of the wrong shape', () => {
    expect(() => parseNabWindows([])).toThrow(ReplayError);
    expect(() => parseNabWindows({ 'a/b.csv': [['2014-01-01 00:00:00']] })).toThrow(/a\/b\.csv\[0\]/);
  });

  it('counts alerts and anomalies inside (ends included) and outside the windows', () => {
    const w = parseNabWindows(LABELS);
    const report = {
      files: [
        fileReport(
          'd/realAWSCloudwatch/ec2_cpu_utilization_24ae8d.csv',
          [W1.start, W1.end, W1.end + 1, 0],
          [W1.start + 5],
        ),
        fileReport('d/artificialNoAnomaly/art_flatline.csv', [5], []),
        fileReport('d/mine/unlabelled.csv', [5], [5]),
      ],
    };
    expect(countAlertsInWindows(report, w)).toEqual([
      {
        file: 'd/realAWSCloudwatch/ec2_cpu_utilization_24ae8d.csv',
        labelled: true,
        windows: 1,
        alertsInside: 2,
        alertsOutside: 2,
        windowsWithAlert: 1,
        anomaliesInside: 1,
        anomaliesOutside: 0,
      },
      {
        file: 'd/artificialNoAnomaly/art_flatline.csv',
        labelled: true,
        windows: 0,
        alertsInside: 0,
        alertsOutside: 1,
        windowsWithAlert: 0,
        anomaliesInside: 0,
        anomaliesOutside: 0,
      },
      {
        file: 'd/mine/unlabelled.csv',
        labelled: false,
        windows: 0,
        alertsInside: 0,
        alertsOutside: 0,
        windowsWithAlert: 0,
        anomaliesInside: 0,
        anomaliesOutside: 0,
      },
    ]);
  });

  const nab = resolve(import.meta.dirname, '../../../shared/nab');
  it.skipIf(!existsSync(nab))('loads the shared NAB labels (skipped: ../shared/nab is absent)', async () => {
    const w = await loadNabWindows(nab);
    expect(w.size).toBe(39);
    expect(windowsFor(w, 'realAWSCloudwatch/ec2_cpu_utilization_24ae8d.csv')?.[0]).toEqual(W1);
    const total = [...w.values()].reduce((n, ws) => n + ws.length, 0);
    expect(total).toBe(80);
  });

  it('says which file it could not read', async () => {
    await expect(loadNabWindows('/nonexistent/nab')).rejects.toThrow(
      /cannot read NAB windows from \/nonexistent/,
    );
  });
});
