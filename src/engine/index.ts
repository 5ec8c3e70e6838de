/**
 * Vigil's detection engine: pure, deterministic, online anomaly detectors.
 * Nothing under `engine/` performs I/O, reads the clock or imports outside this folder.
 */

export * from './correlation/index.js';
export {
  DEFAULT_KIND,
  DEFAULT_VERSION,
  defaultDetectorFactory,
  RobustHoltWinters,
  tailScore,
} from './default/index.js';
export { explainVerdict } from './explain.js';
export * from './multivariate/index.js';
export { evaluateFingerprints, type FingerprintEvaluation, simulateSystem } from './simulate/index.js';
export * from './sketch/index.js';
export type {
  AnomalyComponent,
  AnomalyType,
  Detector,
  DetectorFactory,
  DetectorOptions,
  DetectorSnapshot,
  Sample,
  Verdict,
} from './types.js';
