/**
 * Scenario 1, batched ingest: `POST /api/batch` with 100 and 1,000 points per request over 10k
 * series (detector on, anomalies stored), against (a) the parse ceiling — a bare Fastify route
 * running the same `normalizeBatch` — and (b) VictoriaMetrics importing the same points as JSON
 * lines (`/api/v1/import`) and Influx line protocol (`/write`). Subjects alternate each round.
 *
 * Two figures per server: *accepted* points/s (2xx answers during the load) and *sustained*
 * points/s (the same points over the load time plus the time the server then needed to go idle,
 * i.e. to drain work queued behind the answers, such as Vigil's SQLite flush). Because the
 * machine may be shared, each server's CPU time per point (from `/proc/<pid>/stat`, all threads,
 * load plus drain) is reported too: it does not depend on how much CPU the others left over.
 */
import { processCpuSeconds, waitIdle } from '../machine.js';
import { ScenarioBuilder, type ScenarioReport } from '../report.js';
import { startBaselineServer } from '../servers/baseline.js';
import { startVictoria, type VictoriaProcess, victoriaUnavailable } from '../servers/victoria.js';
import { startVigilProcess } from '../servers/vigil.js';
import { summarize } from '../stats.js';
import { type BodyFormat, MIX_10K, seriesCount } from '../workload.js';
import type { BenchContext } from './context.js';

interface Subject {
  readonly key: string;
  readonly label: string;
  readonly url: string;
  readonly format: BodyFormat;
  readonly contentType: string;
  /** The server process: its CPU time is measured and it is waited idle after each load. */
  readonly pid: number | undefined;
  /** Whether work is queued behind the answers (a drain time is measured). */
  readonly drains: boolean;
}

/** Runs the batched-ingest scenario. */
export async function batchedScenario(ctx: BenchContext): Promise<ScenarioReport> {
  const o = ctx.options;
  const b = new ScenarioBuilder('batched', 'batched ingest, 10k series (services × endpoints × metrics)');
  const vigil = await startVigilProcess(o.vigilNodeArgs);
  const baseline = await startBaselineServer();
  let vm: VictoriaProcess | null = null;
  if (o.victoria) {
    const why = victoriaUnavailable();
    if (why) b.skip('VictoriaMetrics peer', why);
    else {
      try {
        vm = await startVictoria();
        b.note(`peer: VictoriaMetrics ${vm.version} (Debian package), single node, loopback`);
      } catch (err) {
        b.skip('VictoriaMetrics peer', (err as Error).message);
      }
    }
  } else b.skip('VictoriaMetrics peer', `not run in ${o.mode} mode`);

  try {
    for (const size of o.batchSizes) {
      const n = size.toLocaleString('en-US');
      const subjects: Subject[] = [
        {
          key: 'vigil',
          label: `Vigil POST /api/batch (${n} pts/req)`,
          url: `${vigil.url}/api/batch`,
          format: 'vigil-batch',
          contentType: 'application/json',
          pid: vigil.process.pid,
          drains: true,
        },
        {
          key: 'parse',
          label: `parse ceiling: Fastify + normalizeBatch (${n})`,
          url: `${baseline.url}/parse/batch`,
          format: 'vigil-batch',
          contentType: 'application/json',
          pid: baseline.pid,
          drains: false,
        },
      ];
      if (vm) {
        subjects.push(
          {
            key: 'vm-json',
            label: `VictoriaMetrics /api/v1/import JSON (${n})`,
            url: `${vm.url}/api/v1/import`,
            format: 'vm-json',
            contentType: 'application/json',
            pid: vm.process.pid,
            drains: true,
          },
          {
            key: 'vm-influx',
            label: `VictoriaMetrics /write Influx (${n})`,
            url: `${vm.url}/write`,
            format: 'vm-influx',
            contentType: 'text/plain',
            pid: vm.process.pid,
            drains: true,
          },
        );
      }
      const pool = Math.max(16, Math.ceil((2 * seriesCount(MIX_10K)) / size));
      const accepted = new Map<string, number[]>();
      const sustained = new Map<string, number[]>();
      const p99 = new Map<string, number[]>();
      const cpu = new Map<string, number[]>();
      let failures = 0;
      const runOnce = async (s: Subject, durationS: number) => {
        const cpu0 = s.pid ? processCpuSeconds(s.pid) : null;
        const r = await ctx.load.run({
          url: s.url,
          contentType: s.contentType,
          body: { format: s.format, pointsPerRequest: size, mix: MIX_10K, pool },
          connections: o.connections,
          durationS,
        });
        const drainMs = s.pid ? await waitIdle(s.pid) : 0;
        const cpu1 = s.pid ? processCpuSeconds(s.pid) : null;
        failures += r.non2xx + r.errors + r.timeouts;
        const cpuUsPerPoint =
          cpu0 !== null && cpu1 !== null && r.ok > 0 ? ((cpu1 - cpu0) * 1e6) / (r.ok * size) : Number.NaN;
        return { r, drainMs: s.drains ? drainMs : 0, cpuUsPerPoint };
      };
      for (const s of subjects) await runOnce(s, o.warmupS); // warm-up: JIT, series creation, connection setup
      for (let round = 0; round < o.rounds; round++) {
        for (const s of subjects) {
          const { r, drainMs, cpuUsPerPoint } = await runOnce(s, o.durationS);
          ctx.log(
            `batched ${size} ${s.key} round ${round + 1}: ${Math.round(r.okPerSec * size)} pts/s, drain ${Math.round(drainMs)} ms`,
          );
          push(accepted, s.key, r.okPerSec * size);
          push(sustained, s.key, (r.ok * size) / (r.durationS + drainMs / 1000));
          push(p99, s.key, r.latencyP99Ms);
          push(cpu, s.key, cpuUsPerPoint);
          if (s.key === 'vigil' && size === 1000) {
            ctx.batchedMaxReqPerSec = summarize(
              [...(accepted.get('vigil') ?? [])].map((x) => x / size),
            ).median;
          }
        }
      }
      for (const s of subjects) {
        b.row(`${s.label} accepted`, 'points/s', accepted.get(s.key) ?? []);
        if (s.drains) b.row(`${s.label} sustained (incl. drain)`, 'points/s', sustained.get(s.key) ?? []);
      }
      for (const s of subjects) b.row(`${s.label} server CPU`, 'µs/point', cpu.get(s.key) ?? []);
      for (const s of subjects) b.row(`${s.label} request p99`, 'ms', p99.get(s.key) ?? []);
      const va = accepted.get('vigil') ?? [];
      const vs = sustained.get('vigil') ?? [];
      const rParse = b.ratio(`Vigil/parse ceiling (${n}, accepted)`, va, accepted.get('parse') ?? []);
      b.ratio(
        `Vigil/parse ceiling (${n}, server CPU per point, inverse)`,
        cpu.get('parse') ?? [],
        cpu.get('vigil') ?? [],
      );
      let rJson = Number.NaN;
      if (vm) {
        rJson = b.ratio(`Vigil/VictoriaMetrics JSON (${n}, sustained)`, vs, sustained.get('vm-json') ?? []);
        b.ratio(`Vigil/VictoriaMetrics Influx (${n}, sustained)`, vs, sustained.get('vm-influx') ?? []);
        b.ratio(
          `Vigil/VictoriaMetrics JSON (${n}, server CPU per point, inverse)`,
          cpu.get('vm-json') ?? [],
          cpu.get('vigil') ?? [],
        );
      }
      if (size === 1000) {
        b.check('batched 1,000/req sustained', summarize(vs).median, '>=', 1_000_000, 'points/s');
        b.check('batched 1,000/req accepted', summarize(va).median, '>=', 1_000_000, 'points/s');
        b.check('batched vs VictoriaMetrics JSON import', rJson, '>=', 1.0, '×');
        b.check('batched vs parse ceiling', rParse, '>=', 0.6, '×');
      }
      if (failures > 0) b.note(`${size} pts/req: ${failures} non-2xx/errors/timeouts during the load`);
    }
    const stats = (await (await fetch(`${vigil.url}/api/stats`)).json()) as { seriesCount?: number };
    const anomalies = (await (await fetch(`${vigil.url}/api/anomalies?limit=1`)).json()) as {
      total?: number;
    };
    b.note(
      `Vigil after the runs: ${stats.seriesCount ?? '?'} series, ${anomalies.total ?? '?'} anomalies stored`,
    );
    b.note(
      'timestamps: Vigil and Influx bodies carry none (server clock); VictoriaMetrics JSON lines carry the generation time',
    );
  } finally {
    await Promise.all([vigil.stop(), baseline.stop(), vm?.stop()]);
  }
  return b.done();
}

function push(m: Map<string, number[]>, k: string, v: number): void {
  const list = m.get(k) ?? [];
  list.push(v);
  m.set(k, list);
}
