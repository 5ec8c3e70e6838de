/**
 * Scenario 2, unbatched ingest: one point per request (`POST /api/metrics`) on keep-alive
 * connections, against a no-op Fastify POST route (same body, parsed, answered 202) and, for
 * context, the same route running Vigil's `normalizeOne`. Subjects alternate each round.
 */
import { processCpuSeconds, waitIdle } from '../machine.js';
import { ScenarioBuilder, type ScenarioReport } from '../report.js';
import { startBaselineServer } from '../servers/baseline.js';
import { startVigilProcess } from '../servers/vigil.js';
import { summarize } from '../stats.js';
import { MIX_10K } from '../workload.js';
import type { BenchContext } from './context.js';

/** Runs the unbatched-ingest scenario. */
export async function unbatchedScenario(ctx: BenchContext): Promise<ScenarioReport> {
  const o = ctx.options;
  const b = new ScenarioBuilder('unbatched', 'unbatched ingest, one point per request, keep-alive');
  const vigil = await startVigilProcess(o.vigilNodeArgs);
  const baseline = await startBaselineServer();
  try {
    const subjects = [
      {
        key: 'vigil',
        label: 'Vigil POST /api/metrics',
        url: `${vigil.url}/api/metrics`,
        pid: vigil.process.pid,
      },
      { key: 'noop', label: 'no-op Fastify POST route', url: `${baseline.url}/noop`, pid: baseline.pid },
      {
        key: 'parse',
        label: 'Fastify + normalizeOne (context)',
        url: `${baseline.url}/parse/metrics`,
        pid: baseline.pid,
      },
    ];
    const rates = new Map<string, number[]>();
    const p99 = new Map<string, number[]>();
    const cpu = new Map<string, number[]>();
    let failures = 0;
    const runOnce = async (url: string, pid: number | undefined, durationS: number) => {
      const cpu0 = pid ? processCpuSeconds(pid) : null;
      const r = await ctx.load.run({
        url,
        contentType: 'application/json',
        body: { format: 'vigil-single', pointsPerRequest: 1, mix: MIX_10K, pool: 1000 },
        connections: o.connections,
        durationS,
      });
      if (pid) await waitIdle(pid);
      const cpu1 = pid ? processCpuSeconds(pid) : null;
      failures += r.non2xx + r.errors + r.timeouts;
      const cpuUsPerReq =
        cpu0 !== null && cpu1 !== null && r.ok > 0 ? ((cpu1 - cpu0) * 1e6) / r.ok : Number.NaN;
      return { ...r, cpuUsPerReq };
    };
    for (const s of subjects) await runOnce(s.url, s.pid, o.warmupS);
    for (let round = 0; round < o.rounds; round++) {
      for (const s of subjects) {
        const r = await runOnce(s.url, s.pid, o.durationS);
        ctx.log(`unbatched ${s.key} round ${round + 1}: ${Math.round(r.okPerSec)} req/s`);
        rates.set(s.key, [...(rates.get(s.key) ?? []), r.okPerSec]);
        p99.set(s.key, [...(p99.get(s.key) ?? []), r.latencyP99Ms]);
        cpu.set(s.key, [...(cpu.get(s.key) ?? []), r.cpuUsPerReq]);
      }
    }
    for (const s of subjects) b.row(s.label, 'req/s', rates.get(s.key) ?? []);
    for (const s of subjects) b.row(`${s.label} request p99`, 'ms', p99.get(s.key) ?? []);
    for (const s of subjects) b.row(`${s.label} server CPU`, 'µs/req', cpu.get(s.key) ?? []);
    const v = rates.get('vigil') ?? [];
    const ratio = b.ratio('Vigil/no-op', v, rates.get('noop') ?? []);
    b.ratio('Vigil/normalizeOne route', v, rates.get('parse') ?? []);
    b.ratio('Vigil/no-op (server CPU per request, inverse)', cpu.get('noop') ?? [], cpu.get('vigil') ?? []);
    b.check('unbatched req/s', summarize(v).median, '>=', 40_000, 'req/s');
    b.check('unbatched vs no-op', ratio, '>=', 0.8, '×');
    if (failures > 0) b.note(`${failures} non-2xx/errors/timeouts during the load`);
    b.note(
      `${o.connections} keep-alive connections; load generator shares the machine's CPUs with the server`,
    );
  } finally {
    await Promise.all([vigil.stop(), baseline.stop()]);
  }
  return b.done();
}
