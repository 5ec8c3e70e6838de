/**
 * NAB's labelled anomaly windows (`labels/combined_windows.json`), mapped to event times in ms, and a count of
 * how a replay's alerts fall inside or outside them.
 *
 * References: A. Lavin, S. Ahmad, "Evaluating Real-time Anomaly Detection Algorithms - the Numenta Anomaly
 * Benchmark", IEEE ICMLA 2015 (arXiv:1510.03336); S. Ahmad, A. Lavin, S. Purdy, Z. Agha, "Unsupervised real-time
 * anomaly detection for streaming data", Neurocomputing 262 (2017) 134-147.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parseUtcTimestamp } from './csv.js';
import { ReplayError } from './errors.js';
import type { ReplayReport } from './report.js';

/** One labelled window, inclusive at both ends, Unix ms (UTC). */
export interface NabWindow {
  readonly start: number;
  readonly end: number;
}

/** Windows per data file, keyed `category/file.csv` as in NAB (e.g. `realAWSCloudwatch/ec2_cpu_utilization_24ae8d.csv`). */
export type NabWindows = ReadonlyMap<string, readonly NabWindow[]>;

/**
 * Parses the content of `combined_windows.json`: `{ "<category>/<file>.csv": [["<start>", "<end>"], …], … }`,
 * timestamps `YYYY-MM-DD HH:MM:SS.ffffff` in UTC.
 * @throws {ReplayError} when the shape differs or a timestamp does not parse.
 */
export function parseNabWindows(json: unknown): NabWindows {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ReplayError('combined_windows.json: expected an object of file → windows');
  }
  const out = new Map<string, NabWindow[]>();
  for (const [key, list] of Object.entries(json)) {
    if (!Array.isArray(list))
      throw new ReplayError(`combined_windows.json: ${key}: expected a list of windows`);
    out.set(
      key,
      list.map((w: unknown, i) => {
        if (!Array.isArray(w) || w.length !== 2 || typeof w[0] !== 'string' || typeof w[1] !== 'string') {
          throw new ReplayError(`combined_windows.json: ${key}[${i}]: expected ["start", "end"]`);
        }
        return { start: parseUtcTimestamp(w[0]), end: parseUtcTimestamp(w[1]) };
      }),
    );
  }
  return out;
}

/**
 * Reads the windows from a NAB folder (holding `labels/`) or from the `combined_windows.json` file itself.
 * @throws {ReplayError} when the file cannot be read or parsed.
 */
export async function loadNabWindows(path: string): Promise<NabWindows> {
  let file = path;
  try {
    if ((await stat(path)).isDirectory()) file = join(path, 'labels', 'combined_windows.json');
    return parseNabWindows(JSON.parse(await readFile(file, 'utf8')));
  } catch (err) {
    if (err instanceof ReplayError) throw err;
    throw new ReplayError(`cannot read NAB windows from ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * The windows of a data file given by any path ending in `<category>/<file>.csv`.
 * @returns the windows (possibly none), or undefined when the file is not in the labels
 * @example windowsFor(w, '/x/nab/data/realAWSCloudwatch/ec2_cpu_utilization_24ae8d.csv')?.length // 2
 */
export function windowsFor(windows: NabWindows, file: string): readonly NabWindow[] | undefined {
  return windows.get(`${basename(dirname(file))}/${basename(file)}`);
}

/** How one file's alerts and anomalies fall relative to its labelled windows. */
export interface WindowCount {
  readonly file: string;
  /** False when the file is not in the labels (then every count is 0). */
  readonly labelled: boolean;
  /** Number of labelled windows. */
  readonly windows: number;
  /** Alerts whose first anomaly (`startsAt`) lies inside a window. */
  readonly alertsInside: number;
  readonly alertsOutside: number;
  /** Windows holding the start of at least one alert. */
  readonly windowsWithAlert: number;
  readonly anomaliesInside: number;
  readonly anomaliesOutside: number;
}

const inside = (t: number, ws: readonly NabWindow[]): boolean => ws.some((w) => t >= w.start && t <= w.end);

/**
 * Counts, per replayed file, the alerts (by start time) and anomalies inside and outside its NAB windows.
 * @example countAlertsInWindows(report, await loadNabWindows('shared/nab'))[0] // { file, labelled: true, windows: 2, alertsInside: 1, … }
 */
export function countAlertsInWindows(
  report: Pick<ReplayReport, 'files'>,
  windows: NabWindows,
): WindowCount[] {
  return report.files.map((f) => {
    const ws = windowsFor(windows, f.file);
    if (ws === undefined) {
      return {
        file: f.file,
        labelled: false,
        windows: 0,
        alertsInside: 0,
        alertsOutside: 0,
        windowsWithAlert: 0,
        anomaliesInside: 0,
        anomaliesOutside: 0,
      };
    }
    const alertsInside = f.alerts.filter((a) => inside(a.startsAt, ws)).length;
    const anomaliesInside = f.anomalies.filter((a) => inside(a.t, ws)).length;
    return {
      file: f.file,
      labelled: true,
      windows: ws.length,
      alertsInside,
      alertsOutside: f.alerts.length - alertsInside,
      windowsWithAlert: ws.filter((w) => f.alerts.some((a) => a.startsAt >= w.start && a.startsAt <= w.end))
        .length,
      anomaliesInside,
      anomaliesOutside: f.anomalies.length - anomaliesInside,
    };
  });
}
