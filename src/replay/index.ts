/**
 * `vigil replay`: streams `timestamp,value` CSV files (the NAB format) through the HTTP API with their own
 * timestamps, then reports the anomalies and alerts the server found, and how they fall in NAB's labelled windows.
 */
export { type ReplayCommandOptions, runReplayCommand } from './command.js';
export { parseUtcTimestamp, type Row, readRows } from './csv.js';
export { ReplayError } from './errors.js';
export {
  countAlertsInWindows,
  loadNabWindows,
  type NabWindow,
  type NabWindows,
  parseNabWindows,
  type WindowCount,
  windowsFor,
} from './nab-windows.js';
export { Pacer } from './pacing.js';
export { endpointOf, type ReplayOptions, runReplay } from './replay.js';
export type { ReplayAlert, ReplayAnomaly, ReplayFileReport, ReplayReport } from './report.js';
export { chunkRows } from './send.js';
