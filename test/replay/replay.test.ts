import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ReplayError, runReplay, runReplayCommand } from '../../src/replay/index.js';
import { batchItems } from '../agent/capture-server.js';
import { T0, type TempCsv, tempCsv } from './csv-files.js';
import { alert, anomaly, type BatchItem, FakeVigil } from './fake-vigil.js';

describe('runReplay against a capturing HTTP server', () => {
  let files: TempCsv | undefined;
  let vigil: FakeVigil | undefined;
  afterEach(async () => {
    await vigil?.close();
    files?.remove();
    vigil = undefined;
  });

  it('sends every row in order, in chunks of batchSize, as UTC application metrics', async () => {
    files = tempCsv();
    const a = files.series('cpu_a.csv', 1203);
    const b = files.series('net_b.csv', 7, 60_000, T0 + 86_400_000);
    vigil = new FakeVigil();
    const url = await vigil.listen();
    const lines: string[] = [];
    const report = await runReplay({ files: [a, b], url, max: true, print: (l) => lines.push(l) });

    const reqs = vigil.server.to('/api/batch');
    expect(reqs.map((r) => batchItems(r).length)).toEqual([500, 500, 203, 7]);
    expect(new Set(reqs.map((r) => r.headers['idempotency-key'])).size).toBe(4);
    expect(vigil.items[0]).toEqual({
      type: 'metric',
      service: 'replay',
      endpoint: 'cpu_a',
      metrics: { value: 0 },
      timestamp: T0,
    });
    const ofA = vigil.items.filter((i) => i.endpoint === 'cpu_a');
    expect(ofA.map((i) => i.metrics.value)).toEqual(Array.from({ length: 1203 }, (_, i) => i));
    expect(ofA.map((i) => i.timestamp)).toEqual(Array.from({ length: 1203 }, (_, i) => T0 + i * 300_000));
    expect(vigil.items.slice(1203).map((i: BatchItem) => i.timestamp)).toEqual(
      Array.from({ length: 7 }, (_, i) => T0 + 86_400_000 + i * 60_000),
    );

    expect(report).toMatchObject({ service: 'replay', mode: 'max', points: 1210, requests: 4, rejected: 0 });
    expect(report.settled).toBe(true);
    expect(
      report.files.map((f) => [f.endpoint, f.points, f.requests, f.firstT, f.lastT, f.seriesId]),
    ).toEqual([
      ['cpu_a', 1203, 3, T0, T0 + 1202 * 300_000, 'sid-cpu_a'],
      ['net_b', 7, 1, T0 + 86_400_000, T0 + 86_400_000 + 6 * 60_000, 'sid-net_b'],
    ]);
    expect(report.pointsPerSec).toBeGreaterThan(0);
    expect(lines[0]).toMatch(/^sent 1210 points from 2 files in 4 requests, \d+\.\d\d s, \d+ points\/s$/);
  });

  it('reads back the anomalies and alerts of each file, and only of that file', async () => {
    files = tempCsv();
    const a = files.series('cpu_a.csv', 10);
    const b = files.series('net_b.csv', 10);
    vigil = new FakeVigil();
    vigil.anomalies = [
      anomaly('cpu_a', T0 + 600_000, 0.9),
      anomaly('cpu_a', T0 + 300_000, 0.8),
      anomaly('net_b', T0, 0.7),
      anomaly('cpu_a', T0, 0.99, 'other-service'),
    ];
    // More alerts than one page of the server's list (500), so pagination is exercised.
    vigil.alerts = Array.from({ length: 520 }, (_, i) => alert(`n${i}`, 'net_b', T0 + i));
    vigil.alerts.push(alert('a1', 'cpu_a', T0 + 300_000));
    const url = await vigil.listen();
    const lines: string[] = [];
    const report = await runReplay({ files: [a, b], url, service: 'replay', print: (l) => lines.push(l) });

    const [fa, fb] = report.files;
    expect(fa?.anomalies).toEqual([
      { t: T0 + 300_000, value: 1, score: 0.8, type: 'spike', severity: 'high' },
      { t: T0 + 600_000, value: 1, score: 0.9, type: 'spike', severity: 'high' },
    ]);
    expect(fa?.alerts.map((x) => [x.id, x.startsAt, x.anomalyCount])).toEqual([['a1', T0 + 300_000, 2]]);
    expect(fb?.anomalies.map((x) => x.score)).toEqual([0.7]);
    expect(fb?.alerts).toHaveLength(520);
    expect(lines).toContain('cpu_a: 10 points, 2 anomalies, 1 alerts');
    expect(lines).toContain(
      '  alert a1 high firing 2014-02-14T14:35:00.000Z → 2014-02-14T14:40:00.000Z, 2 anomalies, max score 0.990',
    );
  });

  it('paces by event time at --speed, within bounds', async () => {
    files = tempCsv();
    // 6 points 60 s apart at 600× → one every 100 ms of wall time, 500 ms in all.
    const a = files.series('paced.csv', 6, 60_000);
    vigil = new FakeVigil();
    const url = await vigil.listen();
    const started = performance.now();
    const report = await runReplay({ files: [a], url, speed: 600, coalesceMs: 20, print: () => {} });
    const reqs = vigil.server.to('/api/batch');
    expect(reqs).toHaveLength(6);
    // Request i is due i × 100 ms after the first row is anchored, which is after `started`: it can never arrive
    // earlier than that, and on a loaded machine it may arrive somewhat later.
    reqs.forEach((r, i) => {
      expect(r.at - started, `request ${i}`).toBeGreaterThanOrEqual(i * 100);
      expect(r.at - started, `request ${i}`).toBeLessThan(i * 100 + 400);
    });
    expect(report.mode).toBe(600);
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('groups points due within coalesceMs into one request', async () => {
    files = tempCsv();
    // 20 points 1 s apart at 1000× → 1 ms apart: due within 100 ms of each other, so one request.
    const a = files.series('dense.csv', 20, 1000);
    vigil = new FakeVigil();
    const url = await vigil.listen();
    await runReplay({ files: [a], url, speed: 1000, print: () => {} });
    expect(vigil.server.to('/api/batch').map((r) => batchItems(r).length)).toEqual([20]);
  });

  it('reports items the server rejected, with the CSV line', async () => {
    files = tempCsv();
    const a = files.series('rej.csv', 3);
    vigil = new FakeVigil();
    vigil.rejectIndex = 1;
    const url = await vigil.listen();
    const lines: string[] = [];
    const report = await runReplay({ files: [a], url, print: (l) => lines.push(l), settleTimeoutMs: 200 });
    expect(report.rejected).toBe(1);
    expect(report.files[0]?.rejected).toBe(1);
    expect(lines[0]).toBe(`${a}: server rejected 1 of 3 points (line 3: nope)`);
    expect(lines[1]).toMatch(/, 1 rejected$/);
  });

  it('says so when the server never shows the last point, instead of waiting forever', async () => {
    files = tempCsv();
    const a = files.series('lost.csv', 3);
    vigil = new FakeVigil();
    vigil.rejectIndex = 2; // the last point never reaches the series
    const url = await vigil.listen();
    const lines: string[] = [];
    const report = await runReplay({ files: [a], url, print: (l) => lines.push(l), settleTimeoutMs: 300 });
    expect(report.settled).toBe(false);
    expect(lines).toContain(
      'warning: the server had not shown every last point yet; results may be incomplete',
    );
  });

  it('fails with ReplayError on bad options, duplicate series, a malformed CSV, or a server that refuses', async () => {
    files = tempCsv();
    const a = files.series('x.csv', 3);
    const other = files.raw('x.CSV', 'timestamp,value\n');
    const bad = files.raw('bad.csv', 'timestamp,value\n2014-02-14 14:30:00,1\nnot a date,2\n');
    vigil = new FakeVigil();
    const url = await vigil.listen();
    const print = (): void => {};
    await expect(runReplay({ files: [a], url, speed: 2, max: true, print })).rejects.toThrow(
      /exclude each other/,
    );
    await expect(runReplay({ files: [a], url, speed: 0, print })).rejects.toThrow(/--speed must be > 0/);
    await expect(runReplay({ files: [], url, print })).rejects.toThrow(ReplayError);
    await expect(runReplay({ files: [a], url: 'ftp://h', print })).rejects.toThrow(/http/);
    await expect(runReplay({ files: [a, other], url, print })).rejects.toThrow(/same series x/);
    expect(vigil.server.requests).toHaveLength(0);

    await expect(runReplay({ files: [bad], url, print, batchSize: 1 })).rejects.toThrow(`${bad}:3:`);
    expect(vigil.server.requests).toHaveLength(0); // the file is checked before anything is sent

    vigil.server.handler = () => ({ status: 400, body: { statusCode: 400, code: 'VALIDATION_FAILED' } });
    await expect(runReplay({ files: [a], url, print })).rejects.toThrow(/POST .*\/api\/batch failed: 400/);
  });

  it('retries a 503 with the same Idempotency-Key', async () => {
    files = tempCsv();
    const a = files.series('retry.csv', 3);
    vigil = new FakeVigil();
    const url = await vigil.listen();
    const fake = vigil;
    const answer = fake.server.handler;
    let posts = 0;
    fake.server.handler = (req, i) => {
      if (req.method === 'POST' && ++posts === 1) return { status: 503, body: { statusCode: 503 } };
      return answer(req, i);
    };
    const report = await runReplay({ files: [a], url, print: () => {}, http: { retryBaseMs: 10 } });
    const keys = fake.server.to('/api/batch').map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
    expect(report.points).toBe(3);
  });
});

describe('runReplayCommand', () => {
  it('replays with defaults and prints to the given printer', async () => {
    const files = tempCsv();
    const vigil = new FakeVigil();
    const url = await vigil.listen();
    const lines: string[] = [];
    try {
      const report = await runReplayCommand({
        files: [files.series('cmd.csv', 4)],
        url,
        print: (l) => lines.push(l),
      });
      expect(report).toMatchObject({ service: 'replay', mode: 'max', points: 4, requests: 1 });
      expect(lines.at(-1)).toBe('cmd: 4 points, 0 anomalies, 0 alerts');
    } finally {
      await vigil.close();
      files.remove();
    }
  });

  it('prints how alerts fall in NAB windows when given a NAB folder, and checks it before sending', async () => {
    const files = tempCsv();
    const vigil = new FakeVigil();
    const url = await vigil.listen();
    try {
      mkdirSync(join(files.dir, 'nab', 'labels'), { recursive: true });
      mkdirSync(join(files.dir, 'nab', 'data', 'cat'), { recursive: true });
      writeFileSync(
        join(files.dir, 'nab', 'labels', 'combined_windows.json'),
        JSON.stringify({ 'cat/w.csv': [['2014-02-14 14:30:00.000000', '2014-02-14 15:00:00.000000']] }),
      );
      const csv = files.series('w.csv', 4);
      const inData = join(files.dir, 'nab', 'data', 'cat', 'w.csv');
      renameSync(csv, inData);
      vigil.alerts = [alert('a1', 'w', T0 + 600_000), alert('a2', 'w', T0 + 7_200_000)];
      await expect(
        runReplayCommand({ files: [inData], url, nab: join(files.dir, 'nowhere'), print: () => {} }),
      ).rejects.toThrow(/cannot read NAB windows/);
      expect(vigil.server.requests).toHaveLength(0);
      const lines: string[] = [];
      await runReplayCommand({
        files: [inData],
        url,
        nab: join(files.dir, 'nab'),
        print: (l) => lines.push(l),
      });
      expect(lines.slice(-2)).toEqual([
        'NAB windows (alerts by start time):',
        '  w.csv: 1/1 windows with an alert, 1 alerts inside, 1 outside',
      ]);
    } finally {
      await vigil.close();
      files.remove();
    }
  });
});
