/**
 * Runs the selected scenarios in order and assembles the report (machine load before and after).
 */
import { LoadGenerator } from './load/run-load.js';
import { machineLoad } from './machine.js';
import type { BenchOptions, ScenarioName } from './options.js';
import { type BenchReport, ScenarioBuilder, type ScenarioReport } from './report.js';
import { batchedScenario } from './scenarios/batched.js';
import type { BenchContext } from './scenarios/context.js';
import { fanoutScenario } from './scenarios/fanout.js';
import { detectorScenario, memoryScenario, storageScenario } from './scenarios/inproc.js';
import { latencyScenario } from './scenarios/latency.js';
import { unbatchedScenario } from './scenarios/unbatched.js';

const RUNNERS: Readonly<Record<ScenarioName, (ctx: BenchContext) => Promise<ScenarioReport>>> = {
  batched: batchedScenario,
  unbatched: unbatchedScenario,
  latency: latencyScenario,
  detector: detectorScenario,
  memory: memoryScenario,
  storage: storageScenario,
  fanout: fanoutScenario,
};

/**
 * Runs the benchmark. A scenario that throws is reported with the error as a skip reason and
 * the run goes on with the next one.
 * @param options sizes and scenarios (see `preset()`)
 * @param log progress lines (default: stderr)
 * @example
 * const report = await runBench(preset('quick'));
 * console.log(renderReport(report));
 */
export async function runBench(
  options: BenchOptions,
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<BenchReport> {
  const report: BenchReport = {
    mode: options.mode,
    startedAt: new Date().toISOString(),
    finishedAt: '',
    node: process.version,
    machineBefore: machineLoad(),
    machineAfter: null,
    scenarios: [],
  };
  const load = new LoadGenerator();
  const ctx: BenchContext = { options, load, log };
  try {
    for (const name of options.scenarios) {
      log(`-- ${name}`);
      try {
        report.scenarios.push(await RUNNERS[name](ctx));
      } catch (err) {
        const b = new ScenarioBuilder(name, 'failed');
        b.skip('whole scenario', err instanceof Error ? (err.stack ?? err.message) : String(err));
        report.scenarios.push(b.done());
      }
    }
  } finally {
    await load.close();
  }
  report.machineAfter = machineLoad();
  report.finishedAt = new Date().toISOString();
  return report;
}
