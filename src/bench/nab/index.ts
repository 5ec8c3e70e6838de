/**
 * `vigil bench nab`: scores Vigil's default detector on a NAB corpus folder.
 *
 * Reads `DIR/data/**.csv` and `DIR/labels/combined_windows.json`, runs a fresh default
 * detector per file, optionally writes `OUT/<category>/<name>.csv`
 * (`timestamp,value,anomaly_score,label`), and scores with {@link scoreSet} for the three
 * profiles — corpus, per category and per file, each set with its own optimal threshold —
 * and times the engine.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type DetectorFactory, defaultDetectorFactory } from '../../engine/index.js';
import { type NabSeries, readNabCorpus } from './corpus.js';
import { detectCorpus, type NabCost, timeCorpus } from './run.js';
import { NAB_PROFILES, type NabFile, type NabSetScore, scoreSet } from './scorer.js';

export { type NabSeries, parseNabCsv, parseNabTime, readNabCorpus, windowRows } from './corpus.js';
export { detectCorpus, type NabCost, timeCorpus } from './run.js';
export {
  NAB_PROFILES,
  type NabCounts,
  type NabFile,
  type NabProfile,
  type NabSetScore,
  NO_DETECTION,
  probationRows,
  scaledSigmoid,
  scoreFile,
  scoreSet,
} from './scorer.js';

/** Scores of one set (corpus, category or file) for every profile. */
export interface NabSetReport {
  /** `corpus`, a category name, or a file key such as `realTweets/Twitter_volume_AAPL.csv`. */
  readonly set: string;
  readonly files: number;
  readonly rows: number;
  readonly windows: number;
  readonly scores: readonly NabSetScore[];
}

/** What `runNabBench` returns (and prints as JSON with `json: true`). */
export interface NabReport {
  readonly detector: string;
  readonly corpus: NabSetReport;
  readonly categories: readonly NabSetReport[];
  readonly files: readonly NabSetReport[];
  readonly cost: NabCost;
}

/** Options of {@link runNabBench}. */
export interface NabBenchOptions {
  /** NAB folder holding `data/` and `labels/`. */
  readonly data: string;
  /** Where to write one result CSV per data file; nothing is written when absent. */
  readonly out?: string;
  /** Print the report as one JSON document instead of tables. */
  readonly json?: boolean;
  readonly print: (line: string) => void;
  /** Timed passes for the cost figure, default 5. */
  readonly passes?: number;
  /** Detector to score; the default detector unless a test substitutes another. */
  readonly factory?: DetectorFactory;
}

function setReport(set: string, series: readonly NabSeries[], files: readonly NabFile[]): NabSetReport {
  return {
    set,
    files: series.length,
    rows: series.reduce((a, s) => a + s.v.length, 0),
    windows: series.reduce((a, s) => a + s.windows.length, 0),
    scores: NAB_PROFILES.map((p) => scoreSet(files, p)),
  };
}

async function writeResults(
  out: string,
  series: readonly NabSeries[],
  scores: readonly Float64Array[],
): Promise<void> {
  for (let f = 0; f < series.length; f++) {
    const s = series[f]!;
    const sc = scores[f]!;
    const inWindow = new Uint8Array(s.v.length);
    for (const [l, r] of s.windows) inWindow.fill(1, l, r + 1);
    const lines = ['timestamp,value,anomaly_score,label'];
    for (let i = 0; i < s.v.length; i++)
      lines.push(`${s.stamps[i]},${s.rawValues[i]},${sc[i]},${inWindow[i]}`);
    await mkdir(join(out, s.category), { recursive: true });
    await writeFile(join(out, s.category, `${s.name}.csv`), `${lines.join('\n')}\n`);
  }
}

function fmt(x: number | null, digits = 1): string {
  return x === null ? 'n/a' : x.toFixed(digits);
}

function printTables(report: NabReport, print: (line: string) => void): void {
  const c = report.corpus;
  print(`NAB: ${c.files} files, ${c.rows} rows, ${c.windows} windows — detector ${report.detector}`);
  print('');
  print('profile              normalized      raw  threshold     TP     FP     FN');
  for (const s of c.scores) {
    print(
      `${s.profile.padEnd(20)} ${fmt(s.normalized).padStart(10)} ${s.raw.toFixed(3).padStart(8)} ${s.threshold.toFixed(4).padStart(10)} ${String(s.counts.tp).padStart(6)} ${String(s.counts.fp).padStart(6)} ${String(s.counts.fn).padStart(6)}`,
    );
  }
  const head = (label: string) =>
    print(
      `${label.padEnd(56)} ${NAB_PROFILES.map((p) => p.name.replace('reward_', '').padStart(12)).join(' ')}  windows`,
    );
  const row = (r: NabSetReport) =>
    print(
      `${r.set.padEnd(56)} ${r.scores.map((s) => (s.normalized === null ? `raw ${s.raw.toFixed(2)}` : fmt(s.normalized)).padStart(12)).join(' ')}  ${String(r.windows).padStart(7)}`,
    );
  print('');
  head('category (threshold optimised per category)');
  for (const r of report.categories) row(r);
  print('');
  head('file (threshold optimised per file)');
  for (const r of report.files) row(r);
  print('');
  const cost = report.cost;
  print(
    `engine cost: ${cost.usPerPoint.toFixed(3)} µs/point CPU, ${cost.wallUsPerPoint.toFixed(3)} µs/point wall (median of ${cost.passes} passes over ${cost.points} points; CPU per pass ${cost.samples.map((x) => x.toFixed(3)).join(', ')}; load ${cost.load.toFixed(1)} on ${cost.cpus} CPUs)`,
  );
}

/**
 * Runs the NAB benchmark.
 * @param options - see {@link NabBenchOptions}
 * @returns the full report (also printed through `options.print`)
 * @throws {Error} when the corpus folder is missing or malformed
 * @example await runNabBench({ data: '/work/shared/nab', print: console.log })
 */
export async function runNabBench(options: NabBenchOptions): Promise<NabReport> {
  const factory = options.factory ?? defaultDetectorFactory;
  const series = await readNabCorpus(options.data);
  const scores = detectCorpus(series, factory);
  if (options.out !== undefined) await writeResults(options.out, series, scores);
  const files: NabFile[] = series.map((s, i) => ({ name: s.key, scores: scores[i]!, windows: s.windows }));
  const categories = [...new Set(series.map((s) => s.category))];
  const report: NabReport = {
    detector: factory.kind,
    corpus: setReport('corpus', series, files),
    categories: categories.map((cat) => {
      const idx = series.flatMap((s, i) => (s.category === cat ? [i] : []));
      return setReport(
        cat,
        idx.map((i) => series[i]!),
        idx.map((i) => files[i]!),
      );
    }),
    files: series.map((s, i) => setReport(s.key, [s], [files[i]!])),
    cost: timeCorpus(series, factory, options.passes ?? 5),
  };
  if (options.json) options.print(JSON.stringify(report, null, 2));
  else printTables(report, options.print);
  return report;
}
