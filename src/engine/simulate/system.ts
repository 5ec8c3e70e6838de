import { Mulberry32 } from '../multivariate/prng.js';
import { callersOf, DEFAULT_TOPOLOGY, type SimService } from './topology.js';

/** Kinds of injected faults. */
export type FaultKind = 'latency_spike' | 'error_burst' | 'traffic_drop' | 'memory_leak' | 'deploy';
/** All fault kinds, in schedule rotation order. */
export const FAULT_KINDS: readonly FaultKind[] = [
  'latency_spike',
  'error_burst',
  'traffic_drop',
  'memory_leak',
  'deploy',
];

/** Ground truth of one injected fault. */
export interface Fault {
  readonly id: string;
  readonly kind: FaultKind;
  /** Service the fault is injected into. */
  readonly service: string;
  /**
   * Interval a detector should report it in, Unix ms: the fault itself; for a memory leak
   * until 60 s after the restart that ends it; for a deploy (a lasting shift) its first 30 min.
   */
  readonly start: number;
  readonly end: number;
  /**
   * Until this time (Unix ms) alarms on the affected services are explained by the fault:
   * `end`, except for a deploy, whose lasting shift a detector is given 2 h to adopt.
   */
  readonly settledAt: number;
  /** Services whose requests show it: the service and its transitive callers (all, for a traffic drop). */
  readonly affected: readonly string[];
  /** Latency factor, error rate or traffic factor, by kind. */
  readonly magnitude: number;
}

/** One simulated observation. */
export type SimEvent =
  | {
      readonly type: 'request';
      readonly service: string;
      readonly endpoint: string;
      /** Event time, Unix ms. */
      readonly t: number;
      readonly latencyMs: number;
      readonly status: number;
      readonly isError: boolean;
    }
  | {
      readonly type: 'sample';
      readonly service: string;
      readonly metric: 'memory_mb' | 'cpu_pct';
      readonly t: number;
      readonly v: number;
    };

/** Options of {@link simulateSystem}. */
export interface SimOptions {
  /** PRNG seed, default 1. */
  readonly seed?: number;
  /** Simulated days, default 3. */
  readonly days?: number;
  /** Start time, Unix ms, default 2024-01-01T00:00:00Z. */
  readonly start?: number;
  /** Mean gateway requests per second (daily pattern ×0.4–1.6 around it), default 4. */
  readonly gatewayRate?: number;
  /** Faults injected per day, default 4. */
  readonly faultsPerDay?: number;
  /** Fault-free lead-in for detector warm-up, ms, default 12 h. */
  readonly warmupMs?: number;
  readonly topology?: readonly SimService[];
}

/** A simulated system: its ground truth and a replayable event stream. */
export interface SimulatedSystem {
  readonly topology: readonly SimService[];
  readonly faults: readonly Fault[];
  readonly start: number;
  readonly end: number;
  /** Events in event-time order; each call replays the same stream. */
  events(): Generator<SimEvent>;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MIN = 60_000;

interface Effects {
  latency: number;
  error: number;
  memory: number;
}

/**
 * Seeded generator of a multi-service system with injected faults and their ground truth.
 *
 * Gateway traffic is Poisson with a daily sinusoidal rate; each request calls downstream
 * services with fixed probabilities, latencies are log-normal (own time, plus downstream
 * time, so a slow callee makes its callers slow) and a downstream error fails the caller
 * with probability 0.7. Every minute each service also emits `memory_mb` and `cpu_pct`
 * samples. Faults, one kind after another in a seeded rotation, are spread over the days
 * after the warm-up: latency spike (×3–6 for 5–20 min), error burst (10–30 % for 5–15 min),
 * traffic drop at the gateway (×0.25–0.4 for 10–30 min), memory leak (memory climbs for
 * 3–5 h, latency grows with it, then a restart fails requests for 60 s), deploy (a lasting
 * latency ×1.5–1.9 and +1 % errors). Deterministic for a given seed; O(1) memory per
 * event (a generator). Cost: O(requests) time.
 *
 * @example
 * ```ts
 * const sys = simulateSystem({ seed: 7, days: 1 });
 * sys.faults.length; // 4
 * sys.events().next().value; // { type: 'sample', service: 'gateway', metric: 'memory_mb', t: 1704067200000, v: … }
 * ```
 */
export function simulateSystem(options: SimOptions = {}): SimulatedSystem {
  const seed = options.seed ?? 1;
  const days = options.days ?? 3;
  const start = options.start ?? 1_704_067_200_000;
  const rate = options.gatewayRate ?? 4;
  const topology = options.topology ?? DEFAULT_TOPOLOGY;
  if (!(days > 0 && rate > 0)) throw new RangeError('days and gatewayRate must be > 0');
  const end = start + Math.round(days * DAY);
  const faults = schedule(new Mulberry32(seed ^ 0x5eed), topology, start, end, options);
  return { topology, faults, start, end, events: () => generate(seed, topology, faults, start, end, rate) };
}

function schedule(
  rng: Mulberry32,
  topology: readonly SimService[],
  start: number,
  end: number,
  options: SimOptions,
): Fault[] {
  const from = start + (options.warmupMs ?? 12 * HOUR);
  const span = end - HOUR - from;
  const n = Math.round((options.faultsPerDay ?? 4) * ((end - start) / DAY));
  if (n <= 0 || span <= 0) return [];
  const slot = span / n;
  const names = topology.map((s) => s.name);
  const downstream = names.slice(1);
  const faults: Fault[] = [];
  let order: FaultKind[] = [];
  for (let i = 0; i < n; i++) {
    if (order.length === 0) order = shuffle(rng, [...FAULT_KINDS]);
    const kind = order.pop()!;
    const pick = (list: readonly string[]) => list[rng.int(list.length)]!;
    let service: string;
    let duration: number;
    let magnitude: number;
    switch (kind) {
      case 'latency_spike':
        service = pick(downstream);
        duration = rng.uniform(5, 20) * MIN;
        magnitude = rng.uniform(3, 6);
        break;
      case 'error_burst':
        service = pick(names);
        duration = rng.uniform(5, 15) * MIN;
        magnitude = rng.uniform(0.1, 0.3);
        break;
      case 'traffic_drop':
        service = names[0]!;
        duration = rng.uniform(10, 30) * MIN;
        magnitude = rng.uniform(0.25, 0.4);
        break;
      case 'memory_leak':
        service = pick(names);
        duration = Math.min(rng.uniform(3, 5) * HOUR, 0.6 * slot);
        magnitude = rng.uniform(1000, 2000);
        break;
      default:
        service = pick(names);
        duration = 30 * MIN;
        magnitude = rng.uniform(1.5, 1.9);
    }
    const room = Math.max(slot - duration - 30 * MIN, 0);
    const t0 = Math.round(from + i * slot + rng.next() * room);
    const t1 = t0 + Math.round(duration) + (kind === 'memory_leak' ? MIN : 0);
    const affected = kind === 'traffic_drop' ? [...names].sort() : callersOf(topology, service);
    const settledAt = kind === 'deploy' ? t0 + 2 * HOUR : t1;
    faults.push({
      id: `f${i + 1}-${kind}`,
      kind,
      service,
      start: t0,
      end: t1,
      settledAt,
      affected,
      magnitude,
    });
  }
  return faults;
}

function shuffle<T>(rng: Mulberry32, a: T[]): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

function effectsAt(faults: readonly Fault[], service: SimService, t: number): Effects {
  const e: Effects = { latency: 1, error: service.errorRate, memory: 0 };
  for (const f of faults) {
    if (f.service !== service.name || t < f.start) continue;
    if (f.kind === 'deploy') {
      e.latency *= f.magnitude;
      e.error += 0.01;
      continue;
    }
    if (t >= f.end) continue;
    if (f.kind === 'latency_spike') e.latency *= f.magnitude;
    else if (f.kind === 'error_burst') e.error = Math.max(e.error, f.magnitude);
    else if (f.kind === 'memory_leak') {
      const crash = f.end - MIN;
      if (t >= crash) e.error = Math.max(e.error, 0.5);
      else {
        const p = (t - f.start) / (crash - f.start);
        e.memory = f.magnitude * p;
        e.latency *= 1 + 2 * p ** 4;
      }
    }
  }
  return e;
}

function trafficAt(faults: readonly Fault[], gateway: string, t: number): number {
  let k = 1;
  for (const f of faults)
    if (f.kind === 'traffic_drop' && f.service === gateway && t >= f.start && t < f.end) k *= f.magnitude;
  return k;
}

function* generate(
  seed: number,
  topology: readonly SimService[],
  faults: readonly Fault[],
  start: number,
  end: number,
  rate: number,
): Generator<SimEvent> {
  const rng = new Mulberry32(seed);
  const byName = new Map(topology.map((s) => [s.name, s]));
  const gateway = topology[0]!;
  const effects = new Map<string, Effects>();
  const batch: SimEvent[] = [];
  const handle = (svc: SimService, t: number, load: number): { latency: number; error: boolean } => {
    const e = effects.get(svc.name)!;
    let latency = svc.latencyMs * Math.exp(svc.sigma * rng.normal()) * (1 + 0.25 * (load - 1)) * e.latency;
    let error = rng.next() < e.error;
    for (const c of svc.calls) {
      if (rng.next() >= c.p) continue;
      const callee = byName.get(c.service);
      if (callee === undefined) continue;
      const child = handle(callee, t, load);
      latency += child.latency;
      if (child.error && rng.next() < 0.7) error = true;
    }
    latency = Math.round(latency * 10) / 10;
    batch.push({
      type: 'request',
      service: svc.name,
      endpoint: svc.endpoint,
      t,
      latencyMs: latency,
      status: error ? 500 : 200,
      isError: error,
    });
    return { latency, error };
  };
  for (let s = start; s < end; s += 1000) {
    const load = 1 + 0.6 * Math.sin((2 * Math.PI * ((s % DAY) / HOUR - 9)) / 24);
    for (const svc of topology) effects.set(svc.name, effectsAt(faults, svc, s));
    if ((s - start) % MIN === 0) {
      for (const svc of topology) {
        const e = effects.get(svc.name)!;
        const mem = 400 + 15 * rng.normal() + e.memory;
        const cpu = Math.max(0, 20 * load * (1 + 0.1 * rng.normal()));
        batch.push({
          type: 'sample',
          service: svc.name,
          metric: 'memory_mb',
          t: s,
          v: Math.round(mem * 10) / 10,
        });
        batch.push({
          type: 'sample',
          service: svc.name,
          metric: 'cpu_pct',
          t: s,
          v: Math.round(cpu * 10) / 10,
        });
      }
    }
    const n = rng.poisson(rate * load * trafficAt(faults, gateway.name, s));
    for (let k = 0; k < n; k++) {
      const t = s + Math.floor(((k + rng.next()) * 1000) / n);
      handle(gateway, t, load);
    }
    for (const ev of batch) yield ev;
    batch.length = 0;
  }
}
