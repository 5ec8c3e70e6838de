import { ewmaStep } from '../stats/ewma.js';
import { bisect } from '../stats/inverse.js';
import { logTwoSidedTail } from '../stats/normal.js';
import type {
  AnomalyComponent,
  AnomalyType,
  Detector,
  DetectorOptions,
  DetectorSnapshot,
  Sample,
  Verdict,
} from '../types.js';
import { DAY_MS, PARAMS } from './params.js';
import { nextPeriod } from './period.js';
import { confirmedChange, emptyRun, extendRun, type RunChange, type RunState } from './run.js';
import { BINS, emptyTail, learnTail, type TailState, tailSurprise } from './tail-histogram.js';

/** Snapshot kind of the default detector. */
export const DEFAULT_KIND = 'vigil-robust-hw';
/** Layout version of the default detector's snapshot state. */
export const DEFAULT_VERSION = 3;

/** Ratio σ / E|r| for a Gaussian residual: √(π/2). */
const MAD_TO_SIGMA = Math.sqrt(Math.PI / 2);

/** Scalar state fields of the detector itself, in snapshot order (run and tail follow). */
const FIELDS = [
  'n',
  'lastT',
  'tFirst',
  'period',
  'l0',
  'b0',
  'm0',
  'l1',
  'm1',
  'scale',
  'lastV',
  'useSeasonal',
  'buckets',
  'e0',
  'e1',
  'peak',
  'peakAge',
  'episodeDay',
] as const;
type Field = (typeof FIELDS)[number];
const RUN_FIELDS = ['k', 'sign', 'sumR', 'sumJR', 'sumZ', 'sumRR', 'recent'] as const;
const SCALARS = FIELDS.length + RUN_FIELDS.length + 4;

/**
 * JSON state of the default detector (layout version 3): `p` scalars (detector fields, run,
 * histogram total and weights of the two histograms), `s` the time-of-day profile (0 or
 * 24–288 numbers), `h` the single-sample |z| histogram then the run-evidence histogram
 * (2 × 64 numbers), `e` the daily episode memory (24 peak scores, one per hour of the day).
 * Version 2 had no `e` (and no `episodeDay` scalar); it is migrated by {@link migrateStateV2}.
 */
export interface DefaultState {
  readonly p: number[];
  readonly s: number[];
  readonly h: number[];
  readonly e: number[];
}

/**
 * Converts a layout-version-2 state (before the daily episode memory) to the current layout:
 * `episodeDay` is inserted after `peakAge` as 0 and the episode memory starts empty, so the
 * restored detector continues exactly as before and simply has no remembered episodes yet.
 * Malformed input is passed through and rejected by the constructor's layout checks.
 * @param state - a version-2 `DefaultState` (without `e`)
 * @returns the same state in the current layout (a new object)
 */
export function migrateStateV2(state: Omit<DefaultState, 'e'>): DefaultState {
  const p = Array.isArray(state.p) ? state.p : [];
  const at = FIELDS.indexOf('episodeDay');
  return {
    p: [...p.slice(0, at), 0, ...p.slice(at)],
    s: state.s,
    h: state.h,
    e: new Array<number>(PARAMS.episodeBuckets).fill(0),
  };
}

/**
 * Point-level score in [0, 1] of a residual z under a Gaussian: −log10 of its two-sided tail
 * probability over `scoreDecades` (10). Used for the learning gate and the expected band.
 * @example tailScore(0) // 0
 */
export function tailScore(z: number): number {
  return Math.min(-logTwoSidedTail(z) / (Math.LN10 * PARAMS.scoreDecades), 1);
}

/** Gaussian surprise of z on the learning gate's scale (see `gateDecades`). */
function gateScore(z: number): number {
  return -logTwoSidedTail(z) / (Math.LN10 * PARAMS.gateDecades);
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : Math.min(x, hi);
}

/**
 * Robust Holt-Winters detector with calibrated, episode-level scores: the default detector of Vigil.
 *
 * Baseline. Two exponential-smoothing models run side by side: a damped-trend Holt model of
 * the raw values, and a level + additive time-of-day profile model (24–288 buckets sized from
 * the sampling period, which is inferred online). The seasonal model is used once it has two
 * days of history and its mean absolute error is clearly lower (with hysteresis). Residuals
 * are Huber-clipped before they move the active model, samples it flags do not move it
 * (`skipAnomaliesInLearning`), and the spread is an EWMA of clipped absolute residuals
 * (MAD-like) floored at a fraction of the mean step |v_t − v_(t−1)| (the data's resolution).
 * A run of same-sign residuals is fitted by least squares; a confirmed run is a level shift or
 * trend change and is adopted as the new normal.
 *
 * Score. z = residual / spread is turned into a surprise, −log10 of the fraction of the
 * series' own recent history with |z| at least as large ({@link tailSurprise}), so a series
 * with routinely large residuals does not alarm all the time. The same is done for the
 * evidence of the current same-sign run ({@link runEvidence}, weighted 0.5), so a drift of
 * individually mild samples is also seen; score = the larger surprise / 9 decades, capped at 1. A refractory hold then reports one peak per episode: for 200 samples after a
 * peak (fewer while the history is short), a score is reported only when it exceeds 1.5 × the
 * held peak, otherwise as 0.
 * Daily episode memory (a cross-day refractory hold, time of day as the context of a
 * contextual anomaly): the peaks of reported episodes (≥ 0.2) are remembered per hour of the
 * day as a maximum that decays by 0.8 per day; a surprise that does not exceed the remembered
 * peak within ±1 hour of its time of day is reported as 0. An episode like one reported at
 * this time of day in the last few days must be larger to be reported again.
 * `anomalous` is score ≥ threshold (threshold = 0.9 − 0.8 × sensitivity), and also the
 * sample that confirms a level shift or trend change (so the change is reported with its
 * type, usually a few samples after its onset was reported as a spike or drop), even when
 * the hold reports that sample's score as 0.
 *
 * Works well for level/trend/daily-periodic series, spiky or quantised noise; weekly patterns
 * are not modelled; a change that recurs more often than every ~20,000 samples stops being
 * rare; an anomaly within an hour (time of day) of a larger episode of the previous days is
 * reported only if it beats that episode's decayed peak. Cost: O(1) time per sample (≈0.7 µs
 * CPU on the NAB corpus), memory ≤ 288 + 128 + 24 + 29 numbers per series.
 *
 * References:
 * - C. C. Holt, "Forecasting seasonals and trends by exponentially weighted moving
 *   averages", ONR Memorandum 52, 1957; reprinted in International Journal of Forecasting
 *   20(1), 2004.
 * - P. R. Winters, "Forecasting sales by exponentially weighted moving averages",
 *   Management Science 6(3), 1960.
 * - E. S. Gardner, E. McKenzie, "Forecasting trends in time series", Management Science
 *   31(10), 1985 (damped trend).
 * - S. Gelper, R. Fried, C. Croux, "Robust forecasting with exponential and Holt-Winters
 *   smoothing", Journal of Forecasting 29(3), 2010 (Huber-clipped residuals).
 * - A. Lavin, S. Ahmad, "Evaluating Real-time Anomaly Detection Algorithms – the Numenta
 *   Anomaly Benchmark", IEEE ICMLA 2015 (why one report per episode matters).
 * - V. Chandola, A. Banerjee, V. Kumar, "Anomaly detection: A survey", ACM Computing Surveys
 *   41(3), 2009 (contextual anomalies; here the time of day is the context).
 * - E. Cohen, M. J. Strauss, "Maintaining time-decaying stream aggregates", Journal of
 *   Algorithms 59(1), 2006 (the exponentially decayed maximum of the episode memory).
 *
 * @example
 * const d = new RobustHoltWinters();
 * for (let i = 0; i < 100; i++) d.update({ t: i * 60_000, v: 10 + (i % 3) });
 * d.update({ t: 100 * 60_000, v: 50 }).type // 'spike'
 */
export class RobustHoltWinters implements Detector {
  private readonly threshold: number;
  private readonly bandZ: number;
  /** |z| at and beyond which the active model skips a sample (skipAnomaliesInLearning). */
  private readonly gateZ: number;
  private readonly skip: boolean;

  // State (snapshotted).
  private n = 0;
  private lastT = 0;
  private tFirst = 0;
  private period = 0;
  private l0 = 0;
  private b0 = 0;
  private m0 = 0;
  private l1 = 0;
  private m1 = 0;
  private scale = 0;
  private lastV = 0;
  private useSeasonal = 0;
  private buckets = 0;
  private e0 = 0;
  private e1 = 0;
  private peak = 0;
  private peakAge = 0;
  private run: RunState = emptyRun();
  /** History of single-sample |z|. */
  private tail: TailState = emptyTail();
  /** History of run evidence (Stouffer z of the current same-sign run, 0 outside runs). */
  private runTail: TailState = emptyTail();
  private season: number[] = [];
  /** Daily episode memory: decayed peak surprise of reported episodes per hour of the day. */
  private episodes: number[] = new Array<number>(PARAMS.episodeBuckets).fill(0);
  /** Day number (t / 1 day) the episode memory is decayed to. */
  private episodeDay = 0;

  // Scratch of the last evaluation (not state).
  private h = 0;
  private bucket = -1;
  private r0 = 0;
  private r1 = 0;
  private sigma0 = 1;
  private sigma1 = 1;
  private z = 0;
  private rawNow = 0;
  private runNext: RunState = emptyRun();
  private changeNow: RunChange | null = null;

  /**
   * @param options - sensitivity (default 0.5) and skipAnomaliesInLearning (default true)
   * @param state - a snapshot state to continue from
   * @throws {Error} when `state` does not have this detector's layout
   */
  constructor(options: DetectorOptions = {}, state?: DefaultState) {
    const sensitivity = clamp(options.sensitivity ?? 0.5, 0, 1);
    this.threshold = 0.9 - 0.8 * sensitivity;
    this.skip = options.skipAnomaliesInLearning ?? true;
    this.bandZ = bisect(tailScore, this.threshold, 0, 40);
    this.gateZ = bisect(gateScore, this.threshold, 0, 200);
    if (state) this.load(state);
  }

  get samples(): number {
    return this.n;
  }

  score(sample: Sample): Verdict {
    checkSample(sample);
    this.evaluate(sample);
    return this.verdict(sample);
  }

  update(sample: Sample): Verdict {
    checkSample(sample);
    this.evaluate(sample);
    const verdict = this.verdict(sample);
    if (this.n === 0 || sample.t >= this.lastT)
      this.commit(sample, this.skip && verdict.warmup >= 1, this.skip);
    return verdict;
  }

  learn(sample: Sample): void {
    checkSample(sample);
    if (this.n > 0 && sample.t < this.lastT) return;
    this.evaluate(sample);
    this.commit(sample, false, false);
  }

  snapshot(): DetectorSnapshot {
    const p = [
      ...FIELDS.map((f) => this[f as Field]),
      ...RUN_FIELDS.map((f) => this.run[f]),
      this.tail.total,
      this.tail.weight,
      this.runTail.total,
      this.runTail.weight,
    ];
    const state: DefaultState = {
      p,
      s: this.season.slice(),
      h: [...this.tail.counts, ...this.runTail.counts],
      e: this.episodes.slice(),
    };
    return { kind: DEFAULT_KIND, version: DEFAULT_VERSION, state };
  }

  /** Computes residuals and z of `sample` into scratch fields; reads state only. */
  private evaluate(sample: Sample): void {
    if (this.n === 0) {
      this.h = 0;
      this.bucket = -1;
      this.r0 = 0;
      this.r1 = 0;
      this.sigma0 = 1;
      this.sigma1 = 1;
      this.z = 0;
      this.rawNow = 0;
      this.runNext = emptyRun();
      this.changeNow = null;
      return;
    }
    const steps = this.period > 0 ? (sample.t - this.lastT) / this.period : 1;
    this.h = clamp(steps, 0, PARAMS.maxHorizon);
    const floor = Math.max(PARAMS.relativeFloor * this.scale, 1e-9 * Math.max(1, Math.abs(this.l0)));
    this.r0 = sample.v - (this.l0 + this.b0 * this.dampedSum(this.h));
    this.sigma0 = MAD_TO_SIGMA * Math.max(this.m0, floor);
    if (this.buckets > 0) {
      this.bucket = this.bucketOf(sample.t);
      this.r1 = sample.v - (this.l1 + (this.season[this.bucket] ?? 0));
      this.sigma1 = MAD_TO_SIGMA * Math.max(this.m1, floor);
    } else {
      this.bucket = -1;
      this.r1 = this.r0;
      this.sigma1 = this.sigma0;
    }
    this.z = this.useSeasonal ? this.r1 / this.sigma1 : this.r0 / this.sigma0;
    this.runNext = extendRun(this.run, this.activeResidual(), this.z, PARAMS);
    this.rawNow = this.rawScore();
    // A seasonal series must stay off its profile for a quarter of the cycle before the
    // departure counts as a lasting shift (a missing daily peak is not a new level).
    const minLength = this.useSeasonal ? Math.max(PARAMS.confirmRun, this.buckets / 4) : PARAMS.confirmRun;
    this.changeNow = confirmedChange(this.runNext, minLength, this.activeSigma(), PARAMS);
  }

  /** Σ φ^i for i = 1..h (damped-trend forecast multiplier), continuous in h. */
  private dampedSum(h: number): number {
    const phi = PARAMS.phi;
    return h === 1 ? phi : (phi * (1 - phi ** h)) / (1 - phi);
  }

  private bucketOf(t: number): number {
    const frac = (((t % DAY_MS) + DAY_MS) % DAY_MS) / DAY_MS;
    return Math.min(Math.floor(frac * this.buckets), this.buckets - 1);
  }

  private activeResidual(): number {
    return this.useSeasonal ? this.r1 : this.r0;
  }

  private activeSigma(): number {
    return this.useSeasonal ? this.sigma1 : this.sigma0;
  }

  /**
   * Calibrated surprise of the evaluated sample in score units, before the refractory hold and
   * NOT capped at 1: the hold compares peaks on this scale, so a far larger peak still breaks
   * through a hold set by a saturated one (the reported score is capped at 1).
   */
  private rawScore(): number {
    let surprise = tailSurprise(this.tail, this.z, PARAMS.histPrior, PARAMS.priorTail);
    if (this.runNext.k > 1) {
      const run =
        PARAMS.runWeight *
        tailSurprise(this.runTail, runEvidence(this.runNext), PARAMS.histPrior, PARAMS.priorTail);
      if (run > surprise) surprise = run;
    }
    return surprise / PARAMS.surpriseCap;
  }

  /** Episode-memory bucket of the hour of day of `t`. */
  private episodeBucket(t: number): number {
    const nb = PARAMS.episodeBuckets;
    return Math.min(Math.floor(((((t % DAY_MS) + DAY_MS) % DAY_MS) / DAY_MS) * nb), nb - 1);
  }

  /**
   * The largest remembered episode peak within ±`episodeSpread` hours of the time of day of
   * `t`, decayed to `t`'s day (0 while nothing is remembered).
   */
  private episodePeak(t: number): number {
    const nb = PARAMS.episodeBuckets;
    const b = this.episodeBucket(t);
    let m = 0;
    for (let j = -PARAMS.episodeSpread; j <= PARAMS.episodeSpread; j++) {
      const x = this.episodes[(b + j + nb) % nb] ?? 0;
      if (x > m) m = x;
    }
    const days = Math.floor(t / DAY_MS) - this.episodeDay;
    return days > 0 ? m * PARAMS.episodeDecay ** days : m;
  }

  /** Remembers a reported episode peak `raw` (score units) at the time of day of `t`. */
  private learnEpisode(t: number, raw: number): void {
    const day = Math.floor(t / DAY_MS);
    if (day > this.episodeDay) {
      const f = PARAMS.episodeDecay ** (day - this.episodeDay);
      for (let i = 0; i < this.episodes.length; i++) this.episodes[i] = (this.episodes[i] ?? 0) * f;
      this.episodeDay = day;
    }
    const b = this.episodeBucket(t);
    if (raw >= PARAMS.episodeMin && raw > (this.episodes[b] ?? 0)) this.episodes[b] = raw;
  }

  /**
   * Whether a raw score at time `t` is reported (and becomes the new held peak): it must
   * exceed the refractory hold — 1.5 × the held peak, or the held peak plus 2 decades of
   * surprise (100× rarer) when that is less, so a spike far larger than a saturated one is not
   * hidden by it — and the remembered episode peak around
   * this time of day (the cross-day hold, see the class comment); otherwise it is reported as 0.
   */
  private reported(raw: number, t: number): boolean {
    const held = this.heldPeak();
    const margin = Math.min(held * PARAMS.holdMargin, held + PARAMS.holdMarginDecades / PARAMS.surpriseCap);
    return raw > margin && raw > this.episodePeak(t);
  }

  /**
   * The held peak score, or 0 once the hold has expired. The hold lasts a quarter of the
   * history, up to `refractory` samples: early peaks come from coarse tail estimates and must
   * not silence the samples after them for long.
   */
  private heldPeak(): number {
    const hold = Math.min(PARAMS.refractory, this.n * PARAMS.refractoryFraction);
    return this.peakAge < hold ? this.peak : 0;
  }

  private verdict(sample: Sample): Verdict {
    const warmup = Math.min(1, this.n / PARAMS.warmupSamples);
    const residual = this.activeResidual();
    const expected = sample.v - residual;
    const raw = warmup < 1 ? 0 : this.rawNow;
    const score = this.reported(raw, sample.t) ? Math.min(raw, 1) : 0;
    const change = warmup < 1 ? null : this.changeNow;
    const anomalous = warmup >= 1 && (score >= this.threshold || change !== null);
    let type: AnomalyType | null = null;
    let component: AnomalyComponent | null = null;
    if (anomalous) {
      if (change !== null) {
        type = change.trend ? 'trend_change' : 'level_shift';
        component = change.trend ? 'trend' : 'level';
      } else if (this.useSeasonal && Math.abs(this.r0) < 2 * this.sigma0) {
        type = 'pattern_change';
        component = 'seasonality';
      } else {
        type = residual > 0 ? 'spike' : 'drop';
        component = 'noise';
      }
    }
    const history = this.n / (this.n + 100);
    const capped = Math.min(raw, 1);
    const margin = anomalous
      ? (capped - this.threshold) / (1 - this.threshold + 1e-12)
      : capped / this.threshold;
    const confidence = clamp(history * (anomalous ? 0.5 + 0.5 * margin : 0.5 * margin), 0, 1);
    const band = this.bandZ * this.activeSigma();
    return {
      t: sample.t,
      value: sample.v,
      expected,
      lower: expected - band,
      upper: expected + band,
      score,
      anomalous,
      type,
      component,
      confidence,
      warmup,
    };
  }

  /**
   * Learns the evaluated sample. With `gate`, the active model skips the sample when its
   * residual reaches the gate (the sample still extends the run); with `robust`, residuals
   * are Huber-clipped before they move the active model.
   */
  private commit(sample: Sample, gate: boolean, robust: boolean): void {
    const v = sample.v;
    if (this.n === 0) {
      this.n = 1;
      this.lastT = sample.t;
      this.tFirst = sample.t;
      this.l0 = v;
      this.l1 = v;
      this.lastV = v;
      return;
    }
    const raw = this.rawNow;
    const change = this.changeNow;
    this.run = change === null ? this.runNext : emptyRun();
    this.scale = ewmaStep(this.scale, Math.abs(v - this.lastV), this.n < 20 ? 1 / this.n : PARAMS.alphaScale);
    this.lastV = v;
    this.period = nextPeriod(this.period, sample.t - this.lastT);
    this.lastT = sample.t;
    this.n += 1;
    this.learnSelection();
    this.learnModels(sample.t, gate, robust);
    if (this.buckets === 0 && this.n >= 10 && this.period > 0) this.initSeason();
    if (change !== null) this.adopt(change);
    this.selectModel(sample.t);
    if (this.n > PARAMS.warmupSamples) {
      if (this.reported(raw, sample.t)) {
        this.peak = raw;
        this.peakAge = 0;
        this.learnEpisode(sample.t, raw);
      } else this.peakAge += 1;
    }
    // Residual scales are not established during warm-up: their z would pollute the tail.
    if (this.n > PARAMS.warmupSamples) {
      learnTail(this.tail, this.z, PARAMS.histDecay);
      learnTail(this.runTail, runEvidence(this.runNext), PARAMS.histDecay);
    }
  }

  /**
   * Model-selection errors: every sample counts while the flat model is in use (the samples
   * it flags are the evidence for a seasonal pattern); once the seasonal model is in use,
   * samples it flags do not count against it (one missing daily peak must not undo it).
   */
  private learnSelection(): void {
    if (this.useSeasonal === 1 && Math.abs(this.r1) >= this.gateZ * this.sigma1) return;
    const cap = PARAMS.selectCap * Math.max(this.sigma0, this.sigma1);
    const rate = this.n < 20 ? 1 / this.n : clamp(this.period / (PARAMS.selectDays * DAY_MS), 1e-4, 0.05);
    this.e0 = ewmaStep(this.e0, Math.min(Math.abs(this.r0), cap), rate);
    this.e1 = ewmaStep(this.e1, Math.min(Math.abs(this.r1), cap), rate);
  }

  /**
   * The active model is gated (skips samples it flags) and Huber-clipped; the inactive one
   * learns from every sample unclipped, so it can still win the model selection.
   */
  private learnModels(t: number, gate: boolean, robust: boolean): void {
    const damp = this.dampedSum(this.h);
    const phiH = this.h === 1 ? PARAMS.phi : PARAMS.phi ** this.h;
    const flatActive = this.useSeasonal === 0;
    // With skipAnomaliesInLearning off (or through learn()) every sample moves the model
    // unclipped: plain, non-robust exponential smoothing.
    const huber = robust ? PARAMS.huber : Number.POSITIVE_INFINITY;
    if (!(flatActive && gate && Math.abs(this.r0) >= this.gateZ * this.sigma0)) {
      const k0 = flatActive ? huber * this.sigma0 : Number.POSITIVE_INFINITY;
      const c0 = clamp(this.r0, -k0, k0);
      this.l0 = this.l0 + this.b0 * damp + PARAMS.alphaFlat * c0;
      this.b0 = this.b0 * phiH + PARAMS.alphaFlat * PARAMS.beta * c0;
      this.m0 += this.spreadStep(this.r0, this.sigma0, this.m0);
    } else {
      this.l0 += this.b0 * damp;
      this.b0 *= phiH;
    }
    if (this.bucket < 0) {
      this.l1 = this.l0;
      this.m1 = this.m0;
    } else if (!(!flatActive && gate && Math.abs(this.r1) >= this.gateZ * this.sigma1)) {
      const k1 = flatActive ? Number.POSITIVE_INFINITY : huber * this.sigma1;
      const c1 = clamp(this.r1, -k1, k1);
      const alpha1 = Math.min(PARAMS.alphaFlat, this.period / (PARAMS.seasonalLevelDays * DAY_MS));
      this.l1 += alpha1 * c1;
      const s = this.season[this.bucket] ?? 0;
      this.season[this.bucket] = s + this.seasonGamma(t) * (1 - alpha1) * c1;
      this.m1 += this.spreadStep(this.r1, this.sigma1, this.m1);
    }
  }

  private spreadStep(r: number, sigma: number, m: number): number {
    const a = Math.abs(r);
    if (this.n < 20) return (a - m) / this.n;
    return PARAMS.alphaSpread * (Math.min(a, PARAMS.spreadClip * sigma) - m);
  }

  /** Seasonal weight: a running mean over the first days (1/(days+1)), then `gamma`, split over a bucket's samples. */
  private seasonGamma(t: number): number {
    const days = Math.floor((t - this.tFirst) / DAY_MS);
    const gamma = Math.max(PARAMS.gamma, 1 / (days + 1));
    const perBucket = DAY_MS / this.buckets / this.period;
    return perBucket > 1 ? gamma / perBucket : gamma;
  }

  private initSeason(): void {
    this.buckets = clamp(Math.round(DAY_MS / this.period), PARAMS.minBuckets, PARAMS.maxBuckets);
    this.season = new Array<number>(this.buckets).fill(0);
    this.l1 = this.l0;
    this.m1 = this.m0;
    this.e1 = this.e0;
  }

  /** Adopts a confirmed change in the active model; the inactive one learns it on its own. */
  private adopt(change: RunChange): void {
    if (this.useSeasonal) {
      this.l1 += change.end;
    } else {
      this.l0 += change.end;
      if (change.trend) this.b0 += change.slope / Math.max(this.dampedSum(1), 1e-9);
    }
  }

  private selectModel(t: number): void {
    if (this.buckets === 0) return;
    const days = (t - this.tFirst) / DAY_MS;
    if (this.useSeasonal === 0) {
      if (days >= PARAMS.seasonalMinDays && this.e1 < PARAMS.seasonalOn * this.e0) this.useSeasonal = 1;
    } else if (this.e1 > PARAMS.seasonalOff * this.e0) {
      this.useSeasonal = 0;
    }
  }

  private load(state: DefaultState): void {
    const finite = (xs: unknown): xs is number[] =>
      Array.isArray(xs) && xs.every((x) => typeof x === 'number' && Number.isFinite(x));
    if (!finite(state.p) || state.p.length !== SCALARS)
      throw new Error(`invalid ${DEFAULT_KIND} state scalars`);
    const p = state.p;
    FIELDS.forEach((f, i) => {
      this[f as Field] = p[i] ?? 0;
    });
    RUN_FIELDS.forEach((f, i) => {
      this.run[f] = p[FIELDS.length + i] ?? 0;
    });
    if (!finite(state.s) || state.s.length !== this.buckets)
      throw new Error(`invalid ${DEFAULT_KIND} seasonal profile`);
    if (!finite(state.h) || state.h.length !== 2 * BINS)
      throw new Error(`invalid ${DEFAULT_KIND} tail histograms`);
    if (!finite(state.e) || state.e.length !== PARAMS.episodeBuckets)
      throw new Error(`invalid ${DEFAULT_KIND} episode memory`);
    this.season = state.s.slice();
    this.episodes = state.e.slice();
    this.tail = { counts: state.h.slice(0, BINS), total: p[SCALARS - 4] ?? 0, weight: p[SCALARS - 3] ?? 1 };
    this.runTail = { counts: state.h.slice(BINS), total: p[SCALARS - 2] ?? 0, weight: p[SCALARS - 1] ?? 1 };
  }
}

/**
 * Evidence of a same-sign run: Stouffer's combined z, Σ|z| / √k (S. A. Stouffer et al., "The
 * American Soldier", Princeton University Press, 1949), 0 outside a run. A drift whose samples
 * are each only mildly unusual accumulates evidence this way.
 */
function runEvidence(run: Readonly<RunState>): number {
  return run.k > 0 ? run.sumZ / Math.sqrt(run.k) : 0;
}

function checkSample(sample: Sample): void {
  if (!Number.isFinite(sample.t) || !Number.isFinite(sample.v)) {
    throw new RangeError(`sample needs finite t and v, got t=${sample.t} v=${sample.v}`);
  }
}
