/** One service of a simulated system. */
export interface SimService {
  readonly name: string;
  /** Endpoint served (one per service keeps the model small). */
  readonly endpoint: string;
  /** Median own processing time, ms (before downstream calls). */
  readonly latencyMs: number;
  /** Log-normal spread σ of the own processing time. */
  readonly sigma: number;
  /** Probability that a request fails on its own. */
  readonly errorRate: number;
  /** Downstream calls: each made with probability `p` per request, sequentially. */
  readonly calls: ReadonlyArray<{ readonly service: string; readonly p: number }>;
}

/**
 * The default system: gateway → checkout → payment, gateway → search.
 * Gateway traffic is the only external input; the others are reached by calls.
 */
export const DEFAULT_TOPOLOGY: readonly SimService[] = [
  {
    name: 'gateway',
    endpoint: 'GET /',
    latencyMs: 4,
    sigma: 0.3,
    errorRate: 0.002,
    calls: [
      { service: 'checkout', p: 0.3 },
      { service: 'search', p: 0.6 },
    ],
  },
  {
    name: 'checkout',
    endpoint: 'POST /checkout',
    latencyMs: 25,
    sigma: 0.35,
    errorRate: 0.004,
    calls: [{ service: 'payment', p: 0.8 }],
  },
  { name: 'payment', endpoint: 'POST /charge', latencyMs: 60, sigma: 0.4, errorRate: 0.005, calls: [] },
  { name: 'search', endpoint: 'GET /search', latencyMs: 30, sigma: 0.45, errorRate: 0.003, calls: [] },
];

/** Caller → callee pairs of a topology. */
export function callPairs(topology: readonly SimService[]): [string, string][] {
  return topology.flatMap((s) => s.calls.map((c): [string, string] => [s.name, c.service]));
}

/** `service` and every service that reaches it through calls (the ones a fault there can show in). */
export function callersOf(topology: readonly SimService[], service: string): string[] {
  const out = new Set([service]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const s of topology) {
      if (!out.has(s.name) && s.calls.some((c) => out.has(c.service))) {
        out.add(s.name);
        grew = true;
      }
    }
  }
  return [...out].sort();
}
