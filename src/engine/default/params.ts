/**
 * Fixed internal constants of the default detector. They are the same for every series
 * (no per-series tuning); only `sensitivity` is exposed to users. "Per sample" rates are
 * EWMA weights applied once per learned sample. The values were chosen on the NAB DEV
 * corpus (see the engine report); none of them reads labels or series names.
 */
export const PARAMS = Object.freeze({
  /** Samples before the detector may flag anything (warm-up reaches 1 here). */
  warmupSamples: 60,
  /** Level weight of the non-seasonal model (per sample). */
  alphaFlat: 0.03,
  /** Trend weight, multiplied by the level weight (error-correction Holt form); 0 = trend only by adoption. */
  beta: 0,
  /** Trend damping per sample step, Gardner & McKenzie (1985). */
  phi: 0.98,
  /** Seasonal weight per visit of a time-of-day bucket (after the first days' running mean). */
  gamma: 0.2,
  /** Time constant of the seasonal model's level, in days (slow, so it does not absorb the daily shape). */
  seasonalLevelDays: 4,
  /** Weight of the robust spread (mean absolute residual) EWMA (per sample). */
  alphaSpread: 0.002,
  /** Huber clip of residuals in level/seasonal updates, in sigmas. */
  huber: 2.5,
  /** Clip of absolute residuals in the spread update, in sigmas. */
  spreadClip: 6,
  /** Smallest spread, as a fraction of the mean absolute step |v_t − v_(t−1)| (resolution floor). */
  relativeFloor: 0.05,
  /** Weight of the mean-absolute-step EWMA (per sample). */
  alphaScale: 0.01,
  /** Most time-of-day buckets (one day at 5-minute resolution). */
  maxBuckets: 288,
  /** Fewest time-of-day buckets (hourly). */
  minBuckets: 24,
  /** Days of history before the seasonal model may be used. */
  seasonalMinDays: 2,
  /** Time constant of the model-selection error EWMA, in days. */
  selectDays: 2,
  /** Absolute residuals are capped at this many sigmas in the selection error. */
  selectCap: 20,
  /** Seasonal model is switched on when its selection error is below this fraction of the flat model's. */
  seasonalOn: 0.7,
  /** ... and off again above this fraction (hysteresis). */
  seasonalOff: 1,
  /** |z| above which a sample extends a same-sign run. */
  runZ: 1,
  /** Run length at which a lasting shift is confirmed and adopted (flat model). */
  confirmRun: 4,
  /** Mean |z| over the run needed to confirm a shift. */
  confirmZ: 3,
  /** Fraction of the end-of-run offset explained by the slope for a trend change. */
  trendShare: 0.6,
  /** A run is a trend only when a line fits it within this many sigmas (RMS). */
  trendFit: 3,
  /** Largest forecast horizon, in sample periods (gaps beyond are not extrapolated). */
  maxHorizon: 10,
  /** Point-level Gaussian scale of the expected band: a tail probability 10^-scoreDecades maps to 1. */
  scoreDecades: 10,
  /**
   * Gaussian scale of the learning gate: the active model skips a sample whose two-sided tail
   * probability is below 10^-(gateDecades × threshold), i.e. |z| ≥ 15.2 at the default threshold
   * 0.5 (Huber clipping already bounds what smaller outliers can do).
   */
  gateDecades: 100,
  /** Forgetting rate of the |z| histogram per sample (effective memory 1/histDecay samples). */
  histDecay: 5e-5,
  /** Weight, in samples, of the heavy-tailed prior of the |z| histogram. */
  histPrior: 20,
  /** Exponent k of the prior tail (1 + z²)^-k used beyond the observed history. */
  priorTail: 2,
  /**
   * Surprise (decades of rarity) that maps to score 1: the default threshold 0.5 is then
   * 4.5 decades (rarer than ~1 in 30,000 of the series' recent residuals).
   */
  surpriseCap: 9,
  /** Samples an episode's peak score is held for (refractory period). */
  refractory: 200,
  /** A later score must exceed the held peak by this factor to be reported during the hold. */
  holdMargin: 1.5,
  /** ... or by this many decades of surprise (100× rarer), whichever is less. */
  holdMarginDecades: 2,
  /** The refractory period is at most this fraction of the samples seen so far (short early on). */
  refractoryFraction: 0.25,
  /** Weight of run-evidence surprise relative to single-sample surprise. */
  runWeight: 0.5,
  /** Time-of-day buckets of the daily episode memory (hourly). */
  episodeBuckets: 24,
  /** Buckets on each side of the current one searched in the episode memory (timing jitter ±1 h). */
  episodeSpread: 1,
  /** Per-day decay of the remembered episode peaks (a peak counts 0.8 the next day, 0.33 after 5 days). */
  episodeDecay: 0.8,
  /** Reported peaks at least this large (score units, ≈ 1.8 decades) are remembered. */
  episodeMin: 0.2,
});

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;
