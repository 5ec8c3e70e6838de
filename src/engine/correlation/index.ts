/** Correlation of anomalies across series and services into incident groups. */
export { CallGraph, type CorrelatableAnomaly } from './call-graph.js';
export {
  AnomalyCorrelator,
  type CorrelationGroup,
  type CorrelatorOptions,
  type CorrelatorState,
} from './correlator.js';
