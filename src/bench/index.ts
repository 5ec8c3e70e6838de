/**
 * Vigil's performance benchmark suite (`npm run bench`): scenarios, options and report.
 * `nab/` (the NAB accuracy benchmark) is a separate suite with its own entry.
 */
export { type BenchOptions, preset, SCENARIOS, type ScenarioName } from './options.js';
export { type BenchReport, renderReport, type ScenarioReport, saveReport } from './report.js';
export { runBench } from './run.js';
