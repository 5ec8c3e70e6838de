/**
 * Scenario 3, ingest → alert latency: a WebSocket subscriber on `/api/live` timestamps the
 * anomaly messages caused by posted spikes. The probes are business metrics with a declared
 * `expected_range`, so every spike is an anomaly whatever the detector's tuning (the detector
 * still scores every point; the anomaly, alert, bus and socket path is the one under test).
 * Probe series are warmed up first (past the
 * detector's 60-sample warm-up, event time 10 s apart); then each probe posts a normal point for
 * every probe series (untimed) and a spike per series, one at a time, timing from just before
 * the request is written to the arrival of the matching anomaly (same process, monotonic clock).
 * Phases alternate: idle, then under background batched load at ~50 % of the batched maximum.
 *
 * A probe waits at most 1 s for its message before posting the next spike; a message arriving
 * later still counts (late, with its latency). Lost = spikes the store holds as anomalies whose
 * live message never arrived (`latencyGraceMs` after the last probe); undetected spikes (no anomaly stored)
 * are reported separately.
 */
import WebSocket from 'ws';
import { getJson, postJson } from '../http.js';
import { waitIdle } from '../machine.js';
import { ScenarioBuilder, type ScenarioReport } from '../report.js';
import { startVigilProcess, type VigilProcess } from '../servers/vigil.js';
import { quantile } from '../stats.js';
import { MIX_10K, rng } from '../workload.js';
import type { BenchContext } from './context.js';

/** Business metrics land in service `business`; only the probe posts them. */
const SERVICE = 'business';
const RANGE: readonly [number, number] = [50, 150];
const STEP_MS = 10_000;
const WARM_STEPS = 70;
const TIMEOUT_MS = 1000;

interface Probe {
  readonly latencies: number[];
  posted: number;
  /** Spikes whose message took longer than {@link TIMEOUT_MS} to arrive (so far). */
  timedOut: number;
  /** Latencies of the late arrivals, ms. */
  readonly late: number[];
}

/** Runs the latency scenario. */
export async function latencyScenario(ctx: BenchContext): Promise<ScenarioReport> {
  const o = ctx.options;
  const b = new ScenarioBuilder('latency', 'ingest → alert latency on /api/live');
  const vigil = await startVigilProcess(o.vigilNodeArgs);
  const series = Math.min(200, o.latencySpikes);
  const random = rng(7);
  const t0 = Math.floor((Date.now() - 6 * 3600_000) / STEP_MS) * STEP_MS;
  let step = 0;
  const metricName = (i: number) => `latency_probe_${i}`;
  const postStep = async (value: () => number) => {
    const metrics = Array.from({ length: series }, (_, i) => ({
      type: 'business',
      metric_name: metricName(i),
      value: value(),
      expected_range: RANGE,
      timestamp: t0 + step * STEP_MS,
    }));
    const r = await postJson(`${vigil.url}/api/batch`, { metrics });
    if (r.status !== 202) throw new Error(`warm-up batch answered ${r.status}: ${r.body.slice(0, 200)}`);
    step++;
  };
  const normal = () => 100 + 4 * (random() - 0.5);

  const ws = new WebSocket(`${vigil.url.replace('http', 'ws')}/api/live`);
  const waiting = new Map<string, (at: number) => void>();
  ws.on('message', (raw) => {
    const at = performance.now();
    const msg = JSON.parse(String(raw)) as {
      type: string;
      anomaly?: { service: string; metric: string; t: number };
    };
    if (msg.type !== 'anomaly' || msg.anomaly?.service !== SERVICE) return;
    const key = `${msg.anomaly.metric}|${msg.anomaly.t}`;
    waiting.get(key)?.(at);
    waiting.delete(key);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });

  const idle: Probe = { latencies: [], posted: 0, timedOut: 0, late: [] };
  const loaded: Probe = { latencies: [], posted: 0, timedOut: 0, late: [] };
  const idleP50: number[] = [];
  const idleP99: number[] = [];
  const loadP50: number[] = [];
  const loadP99: number[] = [];

  /** Posts `count` spikes (a normal step first for every series each time the series wrap). */
  const probe = async (into: Probe, count: number): Promise<number[]> => {
    const mine: number[] = [];
    for (let k = 0; k < count; k++) {
      const i = k % series;
      if (i === 0) {
        await postStep(normal);
        step++; // the spikes of this cycle use the next step
      }
      const t = t0 + (step - 1) * STEP_MS;
      const key = `${metricName(i)}|${t}`;
      let start = 0;
      const arrived = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), TIMEOUT_MS);
        // Late arrivals still count (in this phase's latencies), only the wait for them stops.
        waiting.set(key, (at) => {
          clearTimeout(timer);
          const ms = at - start;
          mine.push(ms);
          into.latencies.push(ms);
          if (!inTime) into.late.push(ms);
          resolve(true);
        });
      });
      let inTime = true;
      start = performance.now();
      const answer = await postJson(`${vigil.url}/api/business-metrics`, {
        metric_name: metricName(i),
        value: 600 + random(),
        expected_range: RANGE,
        timestamp: t,
      });
      if (answer.status !== 202)
        throw new Error(`spike answered ${answer.status}: ${answer.body.slice(0, 200)}`);
      into.posted++;
      if (!(await arrived)) {
        inTime = false;
        into.timedOut++;
      }
    }
    return mine;
  };

  try {
    for (let s = 0; s < WARM_STEPS; s++) await postStep(normal);
    const rate = await backgroundRate(ctx, vigil);
    const perRound = Math.ceil(o.latencySpikes / o.rounds);
    let loadEndedEarly = 0;
    for (let round = 0; round < o.rounds; round++) {
      const a = await probe(idle, perRound);
      idleP50.push(quantile(a, 0.5));
      idleP99.push(quantile(a, 0.99));
      const durationS = Math.max(2, 1 + (perRound * 30) / 1000);
      let loadDone = false;
      const background = ctx.load
        .run({
          url: `${vigil.url}/api/batch`,
          contentType: 'application/json',
          body: { format: 'vigil-batch', pointsPerRequest: 1000, mix: MIX_10K, pool: 20 },
          connections: Math.min(o.connections, Math.max(1, Math.round(rate))),
          durationS,
          overallRate: Math.max(1, Math.round(rate)),
        })
        .finally(() => {
          loadDone = true;
        });
      await new Promise((r) => setTimeout(r, 500));
      const c = await probe(loaded, perRound);
      if (loadDone) loadEndedEarly++;
      const bg = await background;
      if (vigil.process.pid) await waitIdle(vigil.process.pid); // the next idle round starts idle
      loadP50.push(quantile(c, 0.5));
      loadP99.push(quantile(c, 0.99));
      ctx.log(
        `latency round ${round + 1}: idle p50 ${quantile(a, 0.5).toFixed(2)} ms, loaded p50 ${quantile(c, 0.5).toFixed(2)} ms (background ${Math.round(bg.okPerSec)} req/s)`,
      );
    }
    if (loadEndedEarly > 0) b.note(`${loadEndedEarly} loaded round(s) outlasted the background load`);
    b.row('idle: p50 per round', 'ms', idleP50);
    b.row('idle: p99 per round', 'ms', idleP99);
    b.row('50 % load: p50 per round', 'ms', loadP50);
    b.row('50 % load: p99 per round', 'ms', loadP99);
    const pooled = (p: Probe, label: string) => {
      b.row(`${label}: p50 all spikes`, 'ms', [quantile(p.latencies, 0.5)]);
      b.row(`${label}: p99 all spikes`, 'ms', [quantile(p.latencies, 0.99)]);
      b.row(`${label}: p99.9 all spikes`, 'ms', [quantile(p.latencies, 0.999)]);
    };
    pooled(idle, 'idle');
    pooled(loaded, '50 % load');
    b.note(`background load: ${Math.round(rate)} req/s × 1,000 points (50 % of the batched maximum)`);

    // Lost vs undetected: give stragglers time, then compare with what the store holds.
    await new Promise((r) => setTimeout(r, Math.max(o.latencyGraceMs, 200)));
    const stored = (await getJson<{ total: number }>(`${vigil.url}/api/anomalies?service=${SERVICE}&limit=1`))
      .total;
    const posted = idle.posted + loaded.posted;
    const delivered = idle.latencies.length + loaded.latencies.length;
    const lost = Math.max(0, Math.min(stored, posted) - delivered);
    const undetected = Math.max(0, posted - stored);
    b.row('spikes posted', 'count', [posted]);
    b.row('anomalies delivered on /api/live', 'count', [delivered]);
    b.row('lost (stored, never delivered)', 'count', [lost]);
    b.row(`late (delivered after ${TIMEOUT_MS} ms)`, 'count', [idle.late.length + loaded.late.length]);
    b.row('undetected spikes (no anomaly stored)', 'count', [undetected]);
    b.check('ingest→alert p50 idle', quantile(idle.latencies, 0.5), '<=', 2, 'ms');
    b.check('ingest→alert p99 idle', quantile(idle.latencies, 0.99), '<=', 10, 'ms');
    b.check('ingest→alert p99 at 50 % load', quantile(loaded.latencies, 0.99), '<=', 25, 'ms');
    b.check('lost alerts', lost, '<=', 0, '');
    b.note(
      `${series} probe series; latency = request written → anomaly message received (includes the HTTP request)`,
    );
  } finally {
    ws.close();
    await vigil.stop();
  }
  return b.done();
}

/** Requests/s (1,000 points each) for the background load: half the batched maximum, measured here if not known. */
async function backgroundRate(ctx: BenchContext, vigil: VigilProcess): Promise<number> {
  if (ctx.batchedMaxReqPerSec !== undefined && Number.isFinite(ctx.batchedMaxReqPerSec)) {
    return ctx.batchedMaxReqPerSec / 2;
  }
  const r = await ctx.load.run({
    url: `${vigil.url}/api/batch`,
    contentType: 'application/json',
    body: { format: 'vigil-batch', pointsPerRequest: 1000, mix: MIX_10K, pool: 20 },
    connections: ctx.options.connections,
    durationS: Math.max(1, ctx.options.durationS),
  });
  ctx.log(`latency: batched maximum not known; measured ${Math.round(r.okPerSec)} req/s here`);
  return r.okPerSec / 2;
}
