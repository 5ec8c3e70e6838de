/**
 * `npm run bench` entry: `node dist/bench/main.js [--quick] [--only a,b] [--rounds N]
 * [--duration S] [--out DIR] [--cpu-prof]`. Prints the table and writes
 * `bench-results/<timestamp>.json`. Exit code 0 when the run completed (targets missed are
 * reported, not failures), 2 on bad arguments.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type BenchOptions, preset, SCENARIOS, type ScenarioName } from './options.js';
import { renderReport, saveReport } from './report.js';
import { runBench } from './run.js';

function usage(message: string): never {
  process.stderr.write(
    `${message}\nusage: node dist/bench/main.js [--quick] [--only ${SCENARIOS.join(',')}] [--rounds N] [--duration S] [--out DIR] [--cpu-prof]\n`,
  );
  process.exit(2);
}

async function main(): Promise<void> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        quick: { type: 'boolean', default: false },
        smoke: { type: 'boolean', default: false },
        only: { type: 'string' },
        rounds: { type: 'string' },
        duration: { type: 'string' },
        out: { type: 'string', default: 'bench-results' },
        'cpu-prof': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    usage((err as Error).message);
  }
  if (values.help) usage('Vigil performance benchmarks');
  let options: BenchOptions = preset(values.smoke ? 'smoke' : values.quick ? 'quick' : 'full');
  if (typeof values.only === 'string') {
    const names = values.only.split(',').map((s) => s.trim());
    const bad = names.filter((n) => !(SCENARIOS as readonly string[]).includes(n));
    if (bad.length > 0) usage(`unknown scenario(s): ${bad.join(', ')}`);
    options = { ...options, scenarios: names as ScenarioName[] };
  }
  if (typeof values.rounds === 'string') {
    const n = Number(values.rounds);
    if (!Number.isInteger(n) || n < 1) usage('--rounds must be a positive integer');
    options = { ...options, rounds: n };
  }
  if (typeof values.duration === 'string') {
    const s = Number(values.duration);
    if (!(s > 0)) usage('--duration must be a positive number of seconds');
    options = { ...options, durationS: s };
  }
  const out = resolve(String(values.out));
  if (values['cpu-prof']) {
    options = { ...options, vigilNodeArgs: ['--cpu-prof', `--cpu-prof-dir=${join(out, 'profiles')}`] };
  }
  const report = await runBench(options);
  process.stdout.write(`${renderReport(report)}\n`);
  const file = saveReport(report, out);
  process.stdout.write(`results: ${file}\n`);
}

// Exit through process.exit so the children registered with `track` are killed.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));
await main();
