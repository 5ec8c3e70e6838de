/** Seeded simulation of a multi-service system with injected faults, and the fingerprint evaluation on it. */
export {
  DETECTION_GRACE_MS,
  evaluateFingerprints,
  type FingerprintEvaluation,
  type KindResult,
} from './evaluate.js';
export {
  FAULT_KINDS,
  type Fault,
  type FaultKind,
  type SimEvent,
  type SimOptions,
  type SimulatedSystem,
  simulateSystem,
} from './system.js';
export { callersOf, callPairs, DEFAULT_TOPOLOGY, type SimService } from './topology.js';
