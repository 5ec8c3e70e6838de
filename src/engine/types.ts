/**
 * The detector contract shared by every detector in the engine.
 *
 * Shape follows River's anomaly detectors (`river/anomaly/base.py`): a detector
 * is fed one sample at a time in event-time order, `score()` has no side
 * effects, `learn()` updates state, and `update()` does both in one pass.
 * Nothing here performs I/O, reads the wall clock or uses unseeded randomness.
 */

/** Closed set of anomaly kinds a detector can report. */
export type AnomalyType = 'spike' | 'drop' | 'level_shift' | 'trend_change' | 'outlier' | 'pattern_change';

/** Which model component moved when an anomaly is reported. */
export type AnomalyComponent = 'level' | 'trend' | 'seasonality' | 'noise';

/** One sample of a series. */
export interface Sample {
  /** Event time, Unix epoch milliseconds. */
  readonly t: number;
  /** The observed value (finite). */
  readonly v: number;
}

/** What a detector concludes about one sample. */
export interface Verdict {
  /** Event time of the sample, Unix epoch ms. */
  readonly t: number;
  /** The observed value. */
  readonly value: number;
  /** The value the baseline expected at `t`. */
  readonly expected: number;
  /** Lower edge of the expected band at `t`. */
  readonly lower: number;
  /** Upper edge of the expected band at `t`. */
  readonly upper: number;
  /** Anomaly score in [0, 1]; 0 = entirely normal. This is the score NAB scoring reads. */
  readonly score: number;
  /** True when the score crosses the detector's decision threshold and warm-up is over. */
  readonly anomalous: boolean;
  /** Kind of anomaly when `anomalous`, otherwise null. */
  readonly type: AnomalyType | null;
  /** Component that moved when `anomalous`, otherwise null. */
  readonly component: AnomalyComponent | null;
  /** Confidence in [0, 1] that the sample is truly abnormal (from history length and score margin). */
  readonly confidence: number;
  /** Warm-up progress in [0, 1]; below 1 the detector never flags. */
  readonly warmup: number;
}

/** JSON-serializable detector state; `kind` names the implementation, `version` its state layout. */
export interface DetectorSnapshot {
  readonly kind: string;
  readonly version: number;
  readonly state: unknown;
}

/** Options common to every detector. */
export interface DetectorOptions {
  /**
   * Sensitivity in [0, 1], default 0.5. Higher flags more. The one knob users tune;
   * it maps to the decision threshold on the anomaly score.
   */
  readonly sensitivity?: number;
  /**
   * When true (default), samples judged anomalous do not move the baseline, so an
   * outage is not learned as normal; a lasting level shift is still adopted once confirmed.
   */
  readonly skipAnomaliesInLearning?: boolean;
}

/** An online, per-series detector. */
export interface Detector {
  /** Scores `sample` against the current state without changing it. */
  score(sample: Sample): Verdict;
  /** Scores then learns `sample` (the normal path). Samples older than the last one are scored but not learned. */
  update(sample: Sample): Verdict;
  /** Learns without scoring, e.g. during a maintenance window's opposite: feedback of a normal point. */
  learn(sample: Sample): void;
  /** A JSON-serializable copy of the state; `restore(snapshot())` continues exactly where this left off. */
  snapshot(): DetectorSnapshot;
  /** Number of samples learned so far. */
  readonly samples: number;
}

/** Creates and restores detectors of one kind. */
export interface DetectorFactory {
  readonly kind: string;
  create(options?: DetectorOptions): Detector;
  /** @throws {Error} when the snapshot's kind or version is not this factory's. */
  restore(snapshot: DetectorSnapshot, options?: DetectorOptions): Detector;
}
