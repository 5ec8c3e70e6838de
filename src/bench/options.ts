/**
 * Bench options and the presets of `npm run bench` (full), `--quick` and the test's `smoke` set.
 */

/** Scenario names, in run order. */
export const SCENARIOS = [
  'batched',
  'unbatched',
  'latency',
  'detector',
  'memory',
  'storage',
  'fanout',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** Sizes and durations of one run. */
export interface BenchOptions {
  readonly mode: 'full' | 'quick' | 'smoke';
  readonly scenarios: readonly ScenarioName[];
  /** A B A B … rounds per comparison. */
  readonly rounds: number;
  /** Load duration per subject per round, s. */
  readonly durationS: number;
  /** Warm-up load per subject before the rounds, s. */
  readonly warmupS: number;
  /** HTTP connections of the load generator. */
  readonly connections: number;
  /** Points per request of the batched scenario. */
  readonly batchSizes: readonly number[];
  /** Run the VictoriaMetrics peer (when installed). */
  readonly victoria: boolean;
  /** Spikes probed per latency phase. */
  readonly latencySpikes: number;
  /** How long to wait for late live messages after the last probe, ms. */
  readonly latencyGraceMs: number;
  /** Series counts of the detector-cost scenario (the nominal count and the count actually used). */
  readonly detectorSeries: ReadonlyArray<{ readonly nominal: number; readonly actual: number }>;
  /** Detector updates timed per round. */
  readonly detectorUpdates: number;
  readonly memorySeries: ReadonlyArray<{ readonly nominal: number; readonly actual: number }>;
  /** Fresh child processes per memory size (the figure is deterministic up to GC timing). */
  readonly memoryRounds: number;
  /** Anomaly rows written per storage round. */
  readonly storageRows: number;
  /** WebSocket subscribers of the fan-out scenario. */
  readonly fanoutClients: number;
  /** Live events triggered per fan-out round. */
  readonly fanoutEvents: number;
  /** Extra node flags for the Vigil process (e.g. `--cpu-prof`). */
  readonly vigilNodeArgs: readonly string[];
}

/**
 * `npm run bench`, sized to finish within about 15 minutes on 2 shared cores: 3 alternating
 * rounds per comparison (the minimum) of 3 s loads after a 1 s warm-up, 600 latency probes,
 * 1M detector updates and 50k storage rows per round, 100 fan-out events per round.
 */
const FULL: BenchOptions = {
  mode: 'full',
  scenarios: SCENARIOS,
  rounds: 3,
  durationS: 3,
  warmupS: 1,
  connections: 8,
  batchSizes: [100, 1000],
  victoria: true,
  latencySpikes: 600,
  latencyGraceMs: 1500,
  detectorSeries: [
    { nominal: 10_000, actual: 10_000 },
    { nominal: 1_000_000, actual: 1_000_000 },
  ],
  detectorUpdates: 1_000_000,
  memorySeries: [
    { nominal: 100_000, actual: 100_000 },
    { nominal: 1_000_000, actual: 1_000_000 },
  ],
  memoryRounds: 1,
  storageRows: 50_000,
  fanoutClients: 1000,
  fanoutEvents: 100,
  vigilNodeArgs: [],
};

const QUICK: BenchOptions = {
  ...FULL,
  mode: 'quick',
  rounds: 2,
  durationS: 0.8,
  warmupS: 0.3,
  latencySpikes: 150,
  latencyGraceMs: 1000,
  detectorSeries: [
    { nominal: 10_000, actual: 10_000 },
    { nominal: 1_000_000, actual: 50_000 },
  ],
  detectorUpdates: 300_000,
  memorySeries: [
    { nominal: 100_000, actual: 20_000 },
    { nominal: 1_000_000, actual: 50_000 },
  ],
  memoryRounds: 1,
  storageRows: 20_000,
  fanoutClients: 1000,
  fanoutEvents: 50,
};

const SMOKE: BenchOptions = {
  ...QUICK,
  mode: 'smoke',
  rounds: 1,
  durationS: 0.5,
  warmupS: 0.3,
  batchSizes: [100],
  victoria: false,
  latencySpikes: 20,
  latencyGraceMs: 500,
  detectorSeries: [{ nominal: 10_000, actual: 2_000 }],
  detectorUpdates: 50_000,
  memorySeries: [{ nominal: 100_000, actual: 5_000 }],
  storageRows: 5_000,
  fanoutClients: 50,
  fanoutEvents: 10,
};

/** The preset of a mode. */
export function preset(mode: BenchOptions['mode']): BenchOptions {
  return mode === 'full' ? FULL : mode === 'quick' ? QUICK : SMOKE;
}

/** Label of a scaled-down size, e.g. `1,000,000 series (scaled to 100,000)`. */
export function sizeLabel(size: { readonly nominal: number; readonly actual: number }, unit: string): string {
  const n = (x: number) => x.toLocaleString('en-US');
  return size.actual === size.nominal
    ? `${n(size.nominal)} ${unit}`
    : `${n(size.nominal)} ${unit} (scaled down to ${n(size.actual)})`;
}
