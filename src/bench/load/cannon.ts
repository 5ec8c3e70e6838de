/**
 * Child process entry: the HTTP load generator (autocannon's programmatic API). It builds its
 * request bodies itself from a {@link BodySpec}, so nothing large crosses the IPC channel, and
 * runs one bounded load per `run` message.
 */
import autocannon from 'autocannon';
import { serveParent } from '../child.js';
import { type BodySpec, buildBodies } from '../workload.js';

/** A load run. */
export interface CannonRun {
  readonly type: 'run';
  readonly url: string;
  readonly contentType: string;
  readonly body: BodySpec;
  readonly connections: number;
  /** Seconds. */
  readonly durationS: number;
  /** Requests per second over all connections; absent = as fast as possible. */
  readonly overallRate?: number;
  /** Stop after this many requests (whichever of time and count comes first is not supported by autocannon: count wins). */
  readonly amount?: number;
}

/** What a run measured. */
export interface CannonResult {
  readonly type: 'result';
  readonly ok: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  /** Seconds. */
  readonly durationS: number;
  /** 2xx responses per second. */
  readonly okPerSec: number;
  /** Latency percentiles of 2xx responses, ms. */
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly bytesSent: number;
}

const cache = new Map<string, string[]>();

async function run(msg: CannonRun): Promise<CannonResult> {
  const key = JSON.stringify(msg.body);
  let bodies = cache.get(key);
  if (!bodies) {
    bodies = buildBodies(msg.body);
    cache.set(key, bodies);
  }
  const requests = bodies.map((body) => ({ method: 'POST' as const, body }));
  const bytesSent = bodies.reduce((n, b) => n + Buffer.byteLength(b), 0) / bodies.length;
  const result = await autocannon({
    url: msg.url,
    method: 'POST',
    headers: { 'content-type': msg.contentType },
    requests,
    connections: msg.connections,
    pipelining: 1,
    duration: msg.durationS,
    sampleInt: 100,
    ...(msg.overallRate === undefined ? {} : { overallRate: msg.overallRate }),
    ...(msg.amount === undefined ? {} : { amount: msg.amount }),
  });
  const r = result as unknown as Record<string, number> & typeof result;
  const ok = r['2xx'] ?? 0;
  const durationS = result.duration;
  return {
    type: 'result',
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    durationS,
    okPerSec: durationS > 0 ? ok / durationS : 0,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    bytesSent: bytesSent * ok,
  };
}

serveParent(async (msg) => {
  if (msg.type === 'run') return run(msg as unknown as CannonRun);
  throw new Error(`unknown message ${msg.type}`);
});
