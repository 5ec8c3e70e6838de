/**
 * The benchmark workload: a realistic mix of series (services × endpoints × metrics) and the
 * request bodies that carry their points, in Vigil's batch shape and in VictoriaMetrics' JSON-lines
 * and Influx line-protocol shapes. Bodies are generated once, deterministically (seeded), and
 * cycled by the load generator, so the client spends no CPU building them.
 */

/** Metric names of one endpoint; every item of a batch carries all of them. */
export const METRICS: readonly string[] = [
  'response_time',
  'db_time',
  'cache_time',
  'cpu_ms',
  'bytes_out',
  'bytes_in',
  'queue_depth',
  'retries',
  'payload_items',
  'gc_pause',
];

/** Shape of the series mix: `services × endpoints × METRICS.length` series. */
export interface SeriesMix {
  readonly services: number;
  readonly endpoints: number;
}

/** The mix used by the ingest scenarios: 20 services × 50 endpoints × 10 metrics = 10,000 series. */
export const MIX_10K: SeriesMix = { services: 20, endpoints: 50 };

/** Number of series in a mix. */
export function seriesCount(mix: SeriesMix): number {
  return mix.services * mix.endpoints * METRICS.length;
}

/**
 * Small, fast, seeded PRNG (mulberry32, T. Ettinger 2017, public-domain reference) returning
 * floats in [0, 1).
 */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One endpoint's sample: the values of all {@link METRICS} at one instant. */
interface EndpointSample {
  readonly service: string;
  readonly endpoint: string;
  readonly values: readonly number[];
}

/** Body format of a request. */
export type BodyFormat = 'vigil-batch' | 'vm-json' | 'vm-influx' | 'vigil-single';

/** What bodies to build. */
export interface BodySpec {
  readonly format: BodyFormat;
  /** Points (series samples) per request; a multiple of `METRICS.length` for batch formats. */
  readonly pointsPerRequest: number;
  readonly mix: SeriesMix;
  /** Bodies in the pool (cycled by the load generator). */
  readonly pool: number;
  /** Share of points that are spikes (×20 of the typical value), default 0.001. */
  readonly spikeShare?: number;
  readonly seed?: number;
}

const svcName = (i: number) => `svc-${String(i).padStart(2, '0')}`;
const epName = (j: number) => `${j % 3 === 0 ? 'POST' : 'GET'}:/api/v1/resource-${j}`;

/** Typical value of metric `m` (scale differs per metric, like real telemetry). */
function typical(m: number): number {
  return [120, 15, 2, 8, 4096, 512, 3, 0.5, 25, 4][m] ?? 1;
}

/**
 * Builds a pool of bodies walking the series mix endpoint by endpoint, so consecutive bodies
 * cover consecutive slices of the series and the whole pool touches every series.
 * Timestamps are left out: the receiver stamps points with its own clock, as with live agents.
 * @throws {Error} when `pointsPerRequest` is not a positive multiple of `METRICS.length` (batch formats)
 */
export function buildBodies(spec: BodySpec): string[] {
  const per = METRICS.length;
  const single = spec.format === 'vigil-single';
  if (!single && (spec.pointsPerRequest <= 0 || spec.pointsPerRequest % per !== 0)) {
    throw new Error(`pointsPerRequest must be a positive multiple of ${per}, got ${spec.pointsPerRequest}`);
  }
  const random = rng(spec.seed ?? 42);
  const spikeShare = spec.spikeShare ?? 0.001;
  const endpointsTotal = spec.mix.services * spec.mix.endpoints;
  let cursor = 0;
  const nextSample = (): EndpointSample => {
    const k = cursor++ % endpointsTotal;
    const values = METRICS.map((_, m) => {
      const base = typical(m);
      const noisy = base * (1 + 0.1 * (random() + random() + random() - 1.5));
      const v = random() < spikeShare ? noisy * 20 : noisy;
      return Math.round(v * 100) / 100;
    });
    return {
      service: svcName(Math.floor(k / spec.mix.endpoints)),
      endpoint: epName(k % spec.mix.endpoints),
      values,
    };
  };
  const bodies: string[] = [];
  for (let b = 0; b < spec.pool; b++) {
    if (single) {
      const s = nextSample();
      bodies.push(
        JSON.stringify({ service: s.service, endpoint: s.endpoint, metrics: { response_time: s.values[0] } }),
      );
      continue;
    }
    const samples = Array.from({ length: spec.pointsPerRequest / per }, nextSample);
    bodies.push(render(spec.format, samples));
  }
  return bodies;
}

function render(format: BodyFormat, samples: readonly EndpointSample[]): string {
  if (format === 'vigil-batch') {
    return JSON.stringify({
      metrics: samples.map((s) => ({
        type: 'application',
        service: s.service,
        endpoint: s.endpoint,
        metrics: Object.fromEntries(METRICS.map((m, i) => [m, s.values[i]])),
      })),
    });
  }
  if (format === 'vm-json') {
    const lines: string[] = [];
    for (const s of samples) {
      METRICS.forEach((m, i) => {
        lines.push(
          JSON.stringify({
            metric: { __name__: m, service: s.service, endpoint: s.endpoint },
            values: [s.values[i]],
            timestamps: [Date.now()],
          }),
        );
      });
    }
    return `${lines.join('\n')}\n`;
  }
  // Influx line protocol: one line per endpoint sample with all metrics as fields; tag values escape spaces, commas, '='.
  const esc = (v: string) => v.replace(/[ ,=]/g, (c) => `\\${c}`);
  return `${samples
    .map(
      (s) =>
        `app,service=${esc(s.service)},endpoint=${esc(s.endpoint)} ${METRICS.map((m, i) => `${m}=${s.values[i]}`).join(',')}`,
    )
    .join('\n')}\n`;
}
