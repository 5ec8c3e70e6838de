/**
 * Scenario 7, fan-out: live-feed deliveries per second to 1,000 WebSocket subscribers of
 * `/api/live` (subscribers in their own process), against a raw `ws` broadcast server sending
 * the same number of events of the same size. Vigil's events are caused by out-of-range values
 * of business metrics (declared `expected_range`) posted on warmed-up series (one batch of spikes per round, after a batch of normal points); every
 * message a subscriber receives counts (anomalies and the alert changes they cause).
 * Rate = messages received ÷ time from arming the counters to the last message.
 */
import { benchScript, forkChild } from '../child.js';
import { postJson } from '../http.js';
import { ScenarioBuilder, type ScenarioReport } from '../report.js';
import { startVigilProcess } from '../servers/vigil.js';
import { summarize } from '../stats.js';
import { rng } from '../workload.js';
import type { BenchContext } from './context.js';

/** Business metrics with a declared range: a value outside it is an anomaly whatever the detector's tuning. */
const RANGE: readonly [number, number] = [50, 150];
const STEP_MS = 10_000;
const WARM_STEPS = 70;

interface Measured {
  readonly count: number;
  readonly elapsedMs: number;
  readonly closed: number;
  readonly sampleBytes: number;
}

/** Runs the fan-out scenario. */
export async function fanoutScenario(ctx: BenchContext): Promise<ScenarioReport> {
  const o = ctx.options;
  const b = new ScenarioBuilder(
    'fanout',
    `live-feed fan-out to ${o.fanoutClients.toLocaleString('en-US')} WebSocket subscribers`,
  );
  const vigil = await startVigilProcess(o.vigilNodeArgs);
  const rawServer = forkChild(benchScript('servers/ws-raw-server'));
  const vigilClients = forkChild(benchScript('load/ws-clients'));
  const rawClients = forkChild(benchScript('load/ws-clients'));
  const random = rng(3);
  const events = o.fanoutEvents;
  const t0 = Math.floor((Date.now() - 6 * 3600_000) / STEP_MS) * STEP_MS;
  let step = 0;
  const postStep = async (value: () => number) => {
    const metrics = Array.from({ length: events }, (_, i) => ({
      type: 'business',
      metric_name: `fanout_probe_${i}`,
      value: value(),
      expected_range: RANGE,
      timestamp: t0 + step * STEP_MS,
    }));
    const r = await postJson(`${vigil.url}/api/batch`, { metrics });
    if (r.status !== 202) throw new Error(`fan-out batch answered ${r.status}: ${r.body.slice(0, 200)}`);
    step++;
  };
  const normal = () => 100 + 4 * (random() - 0.5);
  try {
    const { url: rawUrl } = await rawServer.request<{ url: string }>({ type: 'listen' }, 'listening', 20_000);
    for (let s = 0; s < WARM_STEPS; s++) await postStep(normal);
    const toWs = (u: string) => `${u.replace('http', 'ws')}/api/live`;
    await vigilClients.request(
      { type: 'connect', url: toWs(vigil.url), n: o.fanoutClients },
      'connected',
      60_000,
    );
    await rawClients.request({ type: 'connect', url: toWs(rawUrl), n: o.fanoutClients }, 'connected', 60_000);

    let template: Record<string, unknown> | null = null;
    const vigilRate: number[] = [];
    const rawRate: number[] = [];
    let dropped = 0;
    let vigilEventsPerRound = 0;
    const collect = { type: 'collect', quietMs: 300, timeoutMs: 30_000 };
    for (let round = 0; round <= o.rounds; round++) {
      // Round 0 is a warm-up of both sides, not reported.
      await postStep(normal);
      await vigilClients.request({ type: 'arm' }, 'armed', 10_000);
      await postStep(() => 700 + random());
      const v = await vigilClients.request<Measured>(collect, 'measured', 60_000);
      vigilEventsPerRound = v.count / o.fanoutClients;
      if (template === null) template = sampleEvent(v.sampleBytes);
      await rawClients.request({ type: 'arm' }, 'armed', 10_000);
      await postJson(`${rawUrl}/broadcast`, {
        count: Math.max(1, Math.round(vigilEventsPerRound)),
        template,
      });
      const r = await rawClients.request<Measured>(collect, 'measured', 60_000);
      ctx.log(
        `fanout round ${round}: Vigil ${v.count} msgs in ${Math.round(v.elapsedMs)} ms, raw ${r.count} in ${Math.round(r.elapsedMs)} ms`,
      );
      if (round === 0) continue;
      dropped += v.closed;
      vigilRate.push(v.count / (v.elapsedMs / 1000));
      rawRate.push(r.count / (r.elapsedMs / 1000));
    }
    b.row('Vigil /api/live', 'deliveries/s', vigilRate);
    b.row('raw ws broadcast server', 'deliveries/s', rawRate);
    const ratio = b.ratio('Vigil/raw ws', vigilRate, rawRate);
    b.check('fan-out deliveries/s', summarize(vigilRate).median, '>=', 50_000, 'deliveries/s');
    b.check('fan-out vs raw ws', ratio, '>=', 0.8, '×');
    b.note(
      `${o.fanoutClients} subscribers; ~${Math.round(vigilEventsPerRound)} events per round (spikes on ${events} series + alert changes); Vigil subscribers dropped as too slow: ${dropped}`,
    );
  } finally {
    await Promise.all([vigilClients.stop(), rawClients.stop(), rawServer.stop(), vigil.stop()]);
  }
  return b.done();
}

/** An anomaly-shaped event whose JSON is about `bytes` long (the size Vigil sent). */
function sampleEvent(bytes: number): Record<string, unknown> {
  const base = {
    type: 'anomaly',
    anomaly: { id: '1-0', service: 'business', score: 0.999, explanation: '' },
  };
  const pad = Math.max(0, bytes - JSON.stringify(base).length - 8);
  return { ...base, anomaly: { ...base.anomaly, explanation: 'x'.repeat(pad) } };
}
