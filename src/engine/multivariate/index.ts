/** System fingerprints per service and the multivariate detector that scores them. */
export {
  type Contribution,
  FINGERPRINT_KIND,
  FINGERPRINT_VERSION,
  FingerprintDetector,
  type FingerprintDetectorOptions,
  type FingerprintDetectorState,
  type FingerprintVerdict,
} from './detector.js';
export { explainFingerprint } from './explain.js';
export {
  FINGERPRINT_FEATURES,
  type Fingerprint,
  type FingerprinterOptions,
  type FingerprinterState,
  type FingerprinterStats,
  type FingerprintFeature,
  type FingerprintFeatures,
  ServiceFingerprinter,
} from './fingerprint.js';
export {
  HalfSpaceStructure,
  HalfSpaceTrees,
  type HalfSpaceTreesOptions,
  type HalfSpaceTreesState,
} from './half-space-trees.js';
export { FingerprintMonitor, type FingerprintMonitorOptions, type ScoredFingerprint } from './monitor.js';
export { Mulberry32 } from './prng.js';
export { MAD_TO_SIGMA, RollingRobust } from './rolling-robust.js';
export { Whitener } from './whitening.js';
