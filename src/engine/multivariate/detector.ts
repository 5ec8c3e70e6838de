import { FINGERPRINT_FEATURES, type Fingerprint, type FingerprintFeature } from './fingerprint.js';
import { HalfSpaceStructure, HalfSpaceTrees, type HalfSpaceTreesState } from './half-space-trees.js';
import { MAD_TO_SIGMA, RollingRobust } from './rolling-robust.js';
import { Whitener } from './whitening.js';

/** Snapshot kind of {@link FingerprintDetector}. */
export const FINGERPRINT_KIND = 'vigil-fingerprint-hst';
/** Layout version of the {@link FingerprintDetector} snapshot state. */
export const FINGERPRINT_VERSION = 1;

/** Options of {@link FingerprintDetector}; every field has a default. */
export interface FingerprintDetectorOptions {
  /** Sensitivity in [0, 1], default 0.5; the decision threshold on the score is 1 − sensitivity. */
  readonly sensitivity?: number;
  /** Fingerprints in the rolling robust-scale window (median/MAD per feature), default 120. */
  readonly window?: number;
  /** Fingerprints per Half-Space Trees window ψ (the reference density), default 480. */
  readonly hstWindow?: number;
  /** Half-Space Trees: trees (default 20), height (default 10), seed (default 1). */
  readonly trees?: number;
  readonly height?: number;
  readonly seed?: number;
  /**
   * Drop in HS-Trees normality, in bits below its rolling median (a region 2^bits times
   * sparser than usual), that maps to score 0.5; default 4.
   */
  readonly alarmBits?: number;
  /** Largest |robust z| of a single feature (or of its EWMA chart, in its own σ) that maps to score 0.5, default 7. */
  readonly marginalZ?: number;
  /** Consecutive fingerprints at or above the threshold needed to flag, default 2 (1 = flag at once). */
  readonly confirm?: number;
  /** When true (default), flagged fingerprints are not learned, until `adoptAfter` flagged in a row. */
  readonly skipAnomaliesInLearning?: boolean;
  /** Consecutive flagged fingerprints after which they are learned anyway (a lasting shift), default 30. */
  readonly adoptAfter?: number;
}

/** One feature's share of an anomaly. */
export interface Contribution {
  readonly feature: FingerprintFeature;
  /** Share in [0, 1]; the weights of one verdict sum to 1 (or are all 0). */
  readonly weight: number;
  /** Signed robust z of the feature (transformed units, see {@link FingerprintDetector}). */
  readonly z: number;
}

/** What the detector concludes about one fingerprint. */
export interface FingerprintVerdict {
  readonly service: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  /** Anomaly score in [0, 1]; 0 during warm-up. */
  readonly score: number;
  readonly anomalous: boolean;
  /** All five features, largest weight first (ties in feature order). */
  readonly contributions: readonly Contribution[];
  /** Rolling median of each feature in its own units (null for a latency before any was seen). */
  readonly expected: Readonly<Record<FingerprintFeature, number | null>>;
  /** Warm-up progress in [0, 1]; below 1 nothing is flagged. */
  readonly warmup: number;
}

/** JSON state of {@link FingerprintDetector}. */
export interface FingerprintDetectorState {
  readonly n: number;
  readonly streak: number;
  readonly above: number;
  readonly ewma: number[];
  readonly moments: number[];
  readonly features: number[][];
  readonly calibration: number[];
  readonly hst: HalfSpaceTreesState;
}

const D = FINGERPRINT_FEATURES.length;
/** Scale floors per transformed feature: ln units for rate/latency; errors use the binomial 1/(2√n) instead. */
const FLOOR = [0.05, 0, 0.03, 0.03, 0.05];
/** Robust z mapped to the edges of the HS-Trees unit cube. */
const Z_CLIP = 4;
/** Weight of the newest robust z in the per-feature EWMA chart. */
const EWMA_ALPHA = 0.25;
/** Standard deviation of that EWMA for independent unit-variance z: √(α / (2 − α)). */
const EWMA_SD = Math.sqrt(EWMA_ALPHA / (2 - EWMA_ALPHA));

/** Feature → transformed value (null = missing). */
function transform(fp: Fingerprint): (number | null)[] {
  const f = fp.features;
  const lat = (v: number | null) => (v === null ? null : Math.log(v + 0.01));
  const n = fp.requests;
  const errors = Math.min(Math.max(f.error_rate, 0), 1) * n;
  return [
    Math.log(f.request_rate + 0.01),
    n > 0 ? Math.asin(Math.sqrt((errors + 0.375) / (n + 0.75))) : null,
    lat(f.latency_p50),
    lat(f.latency_p90),
    lat(f.latency_p99),
  ];
}

function untransform(i: number, y: number): number {
  if (i === 1) return Math.sin(y) ** 2; // ≈ error rate (the 3/8 offset is negligible at ≥ 30 requests)
  return Math.max(Math.exp(y) - 0.01, 0);
}

/**
 * Multivariate online detector of system fingerprints (one instance per service).
 *
 * 1. Each feature is variance-stabilised: ln for the request rate and latency quantiles,
 *    Anscombe's arcsine-root of (x + 3/8)/(n + 3/4) for x errors in n requests (scale
 *    floored at the binomial 1/(2√n)); F. J. Anscombe, "The transformation of Poisson,
 *    binomial and negative-binomial data", Biometrika 35(3/4), 1948.
 * 2. It becomes a robust z against the rolling median and MAD of the last `window` learned
 *    fingerprints (this follows daily seasonality slower than the window).
 * 3. The z vector (clipped to ±4) is whitened by the Cholesky factor of its exponentially
 *    weighted second moments ({@link Whitener}): a fingerprint that breaks the usual
 *    correlation between features (traffic up while latency is down) gets a large whitened
 *    component although each feature alone is in range.
 * 4. Streaming Half-Space Trees (S. C. Tan, K. M. Ting, T. F. Liu, "Fast Anomaly Detection
 *    for Streaming Data", IJCAI 2011; {@link HalfSpaceTrees}) score the whitened vector,
 *    mapped into [0, 1]^5, against the density of the last ψ = `hstWindow` learned
 *    fingerprints; the score is the drop in normality in bits below its rolling median.
 * 5. An EWMA chart of each feature's z (S. W. Roberts, "Control chart tests based on
 *    geometric moving averages", Technometrics 1(3), 1959; λ = 0.25, on the clipped z) catches moderate but
 *    sustained shifts that no single window shows clearly.
 *
 * score = clamp(max(bits / (2·alarmBits), m / (2·marginalZ)), 0, 1) where m is the largest
 * of |z|, |whitened z| and |EWMA z| in its own σ; a fingerprint is flagged after `confirm`
 * consecutive scores ≥ 1 − sensitivity. Contributions are each feature's share of the
 * Mahalanobis distance, z_i·(C⁻¹z)_i (the contribution plot of T. Kourti, J. F. MacGregor,
 * "Multivariate SPC methods for process and product monitoring", Journal of Quality
 * Technology 28(4), 1996); `expected` holds the rolling medians in the feature's own unit.
 *
 * Works for services with steady traffic (≥ ~30 requests per window); below that the
 * quantiles are noisy and the floors dominate. A missing latency (empty window) is imputed
 * by its median, and so is the error rate of a window without requests. It adapts to a
 * lasting shift after `adoptAfter` flagged windows. Fingerprints must come in window order.
 * Warm-up: max(2·window, hstWindow + window) fingerprints (10 h at 60 s windows). Cost per
 * fingerprint: O(trees × height + 5 × window + 5³) time, measured 30–100 µs on a loaded
 * 2-core machine (see the evaluation test); memory ≈ 330 KB (HS-Trees masses; the tree structure is shared via
 * {@link FingerprintDetector.structureFor}). Snapshots are JSON (≈ 60–100 KB).
 *
 * @example
 * ```ts
 * const d = new FingerprintDetector('checkout');
 * d.update(fingerprint);
 * // → { service: 'checkout', windowStart, windowEnd, score: 0, anomalous: false, warmup: 0.0016…,
 * //     contributions: [{ feature: 'latency_p99', weight: 0.4, z: 1.2 }, …], expected: { request_rate: 5.1, … } }
 * ```
 */
export class FingerprintDetector {
  readonly service: string;
  private readonly threshold: number;
  private readonly alarmBits: number;
  private readonly marginalZ: number;
  private readonly skip: boolean;
  private readonly adoptAfter: number;
  private readonly window: number;
  private readonly warmupN: number;
  private readonly features: RollingRobust[];
  private readonly calibration: RollingRobust;
  private readonly hst: HalfSpaceTrees;
  private readonly whitener: Whitener;
  private readonly confirm: number;
  private n = 0;
  private streak = 0;
  private above = 0;
  private ewma: number[] = new Array<number>(D).fill(0);

  /**
   * @param structure shared HS-Trees cuts from {@link FingerprintDetector.structureFor} (optional).
   * @throws {RangeError} on invalid options.
   */
  constructor(
    service: string,
    options: FingerprintDetectorOptions = {},
    state?: FingerprintDetectorState,
    structure?: HalfSpaceStructure,
  ) {
    this.service = service;
    const sensitivity = Math.min(Math.max(options.sensitivity ?? 0.5, 0), 1);
    this.threshold = 1 - sensitivity;
    this.alarmBits = options.alarmBits ?? 4;
    this.marginalZ = options.marginalZ ?? 7;
    this.skip = options.skipAnomaliesInLearning ?? true;
    this.adoptAfter = options.adoptAfter ?? 30;
    this.window = options.window ?? 120;
    this.confirm = options.confirm ?? 2;
    if (!(Number.isInteger(this.confirm) && this.confirm >= 1))
      throw new RangeError('confirm must be an integer ≥ 1');
    this.warmupN = Math.max(2 * this.window, (options.hstWindow ?? 480) + this.window);
    if (!(this.alarmBits > 0 && this.marginalZ > 0))
      throw new RangeError('alarmBits and marginalZ must be > 0');
    const hstOptions = FingerprintDetector.hstOptions(options);
    this.features = FINGERPRINT_FEATURES.map(
      (_f, i) => new RollingRobust(this.window, state?.features[i] ?? []),
    );
    this.calibration = new RollingRobust(this.window, state?.calibration ?? []);
    this.whitener = new Whitener(D, 1 / hstOptions.windowSize, state?.moments);
    this.hst = state
      ? HalfSpaceTrees.fromJSON(state.hst, structure)
      : new HalfSpaceTrees(hstOptions, structure);
    if (state) {
      this.n = state.n;
      this.streak = state.streak;
      this.above = state.above;
      this.ewma = state.ewma.slice();
    }
  }

  /** The shared HS-Trees structure for detectors created with `options`. */
  static structureFor(options: FingerprintDetectorOptions = {}): HalfSpaceStructure {
    return new HalfSpaceStructure(FingerprintDetector.hstOptions(options));
  }

  private static hstOptions(options: FingerprintDetectorOptions) {
    return {
      dimensions: D,
      trees: options.trees ?? 20,
      height: options.height ?? 10,
      seed: options.seed ?? 1,
      windowSize: options.hstWindow ?? 480,
    };
  }

  /** Fingerprints learned so far. */
  get samples(): number {
    return this.n;
  }

  /** Scores `fp` without learning it. */
  score(fp: Fingerprint): FingerprintVerdict {
    return this.evaluate(fp).verdict;
  }

  /** Scores then learns `fp` (flagged ones are not learned when `skipAnomaliesInLearning`, see options). */
  update(fp: Fingerprint): FingerprintVerdict {
    const { verdict, y, u, a, ewma, zc } = this.evaluate(fp);
    this.ewma = ewma;
    this.above = verdict.warmup >= 1 && verdict.score >= this.threshold ? this.above + 1 : 0;
    this.streak = verdict.anomalous ? this.streak + 1 : 0;
    if (!(this.skip && verdict.anomalous && this.streak < this.adoptAfter)) this.commit(y, u, a, zc);
    return verdict;
  }

  /** JSON-safe state; `new FingerprintDetector(service, options, snapshot().state)` continues identically. */
  snapshot(): { kind: string; version: number; state: FingerprintDetectorState } {
    return {
      kind: FINGERPRINT_KIND,
      version: FINGERPRINT_VERSION,
      state: {
        n: this.n,
        streak: this.streak,
        above: this.above,
        ewma: this.ewma.slice(),
        moments: this.whitener.values(),
        features: this.features.map((f) => f.values()),
        calibration: this.calibration.values(),
        hst: this.hst.toJSON(),
      },
    };
  }

  /**
   * Restores a detector from {@link FingerprintDetector.snapshot}.
   * @throws {Error} when the kind or version differs.
   */
  static restore(
    service: string,
    snapshot: { kind: string; version: number; state: unknown },
    options: FingerprintDetectorOptions = {},
    structure?: HalfSpaceStructure,
  ): FingerprintDetector {
    if (snapshot.kind !== FINGERPRINT_KIND || snapshot.version !== FINGERPRINT_VERSION) {
      throw new Error(
        `cannot restore ${snapshot.kind} v${snapshot.version} as ${FINGERPRINT_KIND} v${FINGERPRINT_VERSION}`,
      );
    }
    return new FingerprintDetector(service, options, snapshot.state as FingerprintDetectorState, structure);
  }

  private commit(y: (number | null)[], u: number[], a: number, zc: number[]): void {
    this.whitener.learn(zc);
    y.forEach((v, i) => {
      if (v !== null) this.features[i]!.push(v);
    });
    if (this.hst.ready) this.calibration.push(a);
    this.hst.learn(u);
    this.n++;
  }

  private evaluate(fp: Fingerprint) {
    const y = transform(fp);
    const z: number[] = [];
    const expected = {} as Record<FingerprintFeature, number | null>;
    for (let i = 0; i < D; i++) {
      const r = this.features[i]!;
      const med = r.size > 0 ? r.median() : null;
      const yi = y[i]!;
      let zi = 0;
      const floor = i === 1 ? 1 / (2 * Math.sqrt(Math.max(fp.requests, 1))) : FLOOR[i]!;
      if (med !== null && yi !== null) zi = (yi - med) / Math.max(MAD_TO_SIGMA * r.mad(), floor);
      z.push(zi);
      expected[FINGERPRINT_FEATURES[i]!] = med === null ? null : untransform(i, med);
    }
    const zc = z.map((v) => Math.min(Math.max(v, -Z_CLIP), Z_CLIP));
    const { w, shares } = this.whitener.whiten(zc);
    const u = w.map((v) => Math.min(Math.max(0.5 + v / (2 * Z_CLIP), 0), 1));
    const a = this.hst.anomaly(u);
    const ewma = this.ewma.map((e, i) => (1 - EWMA_ALPHA) * e + EWMA_ALPHA * zc[i]!);
    const warmup = Math.min(1, this.n / this.warmupN);
    let score = 0;
    if (warmup >= 1 && this.calibration.size > 0) {
      const bits = a - this.calibration.median();
      const zMax = Math.max(
        ...z.map(Math.abs),
        ...w.map(Math.abs),
        ...ewma.map((e) => Math.abs(e) / EWMA_SD),
      );
      score = Math.min(Math.max(bits / (2 * this.alarmBits), zMax / (2 * this.marginalZ), 0), 1);
    }
    const contributions = FINGERPRINT_FEATURES.map((feature, i) => ({
      feature,
      weight: shares[i]!,
      z: z[i]!,
    })).sort((p, q) => q.weight - p.weight);
    const verdict: FingerprintVerdict = {
      service: fp.service,
      windowStart: fp.windowStart,
      windowEnd: fp.windowEnd,
      score,
      anomalous: warmup >= 1 && score >= this.threshold && this.above + 1 >= this.confirm,
      contributions,
      expected,
      warmup,
    };
    return { verdict, y, u, a, ewma, zc };
  }
}
