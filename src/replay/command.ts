import { countAlertsInWindows, loadNabWindows } from './nab-windows.js';
import { runReplay } from './replay.js';
import type { ReplayReport } from './report.js';

/** Options of `vigil replay`, as parsed by the CLI. */
export interface ReplayCommandOptions {
  readonly files: readonly string[];
  /** Default `http://127.0.0.1:8080`. */
  readonly url?: string;
  readonly speed?: number;
  readonly max?: boolean;
  readonly service?: string;
  readonly batchSize?: number;
  readonly apiKey?: string;
  /** Default: a line on stdout. */
  readonly print?: (line: string) => void;
  /** A NAB folder (holding `labels/combined_windows.json`): also print how alerts fall in its labelled windows. */
  readonly nab?: string;
}

/**
 * Runs `vigil replay FILE.csv... [--speed N | --max] [--url URL] [--service S] [--nab DIR]` and prints its summary.
 * @throws {ReplayError} as {@link runReplay} does, or when `nab` has no readable windows file.
 */
export async function runReplayCommand(opts: ReplayCommandOptions): Promise<ReplayReport> {
  const print = opts.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  // Loaded first, so a wrong --nab path fails before anything is sent.
  const windows = opts.nab === undefined ? undefined : await loadNabWindows(opts.nab);
  const report = await runReplay({
    files: opts.files,
    url: opts.url ?? 'http://127.0.0.1:8080',
    print,
    ...(opts.speed === undefined ? {} : { speed: opts.speed }),
    ...(opts.max === undefined ? {} : { max: opts.max }),
    ...(opts.service === undefined ? {} : { service: opts.service }),
    ...(opts.batchSize === undefined ? {} : { batchSize: opts.batchSize }),
    ...(opts.apiKey === undefined ? {} : { apiKey: opts.apiKey }),
  });
  if (windows !== undefined) {
    print('NAB windows (alerts by start time):');
    for (const c of countAlertsInWindows(report, windows)) {
      const name = c.file.split('/').pop() ?? c.file;
      print(
        c.labelled
          ? `  ${name}: ${c.windowsWithAlert}/${c.windows} windows with an alert, ` +
              `${c.alertsInside} alerts inside, ${c.alertsOutside} outside`
          : `  ${name}: not in the NAB labels`,
      );
    }
  }
  return report;
}
