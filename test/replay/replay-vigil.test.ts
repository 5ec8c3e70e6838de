/**
 * The replay tool against a real Vigil server (in process, real socket, temporary data directory), over NAB's
 * realAWSCloudwatch series, checked against NAB's labelled windows.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countAlertsInWindows,
  loadNabWindows,
  type ReplayReport,
  runReplay,
} from '../../src/replay/index.js';
import type { RunningVigil } from '../../src/server.js';
import { startTestVigil, tempDir } from '../helpers/vigil.js';

const NAB = resolve(import.meta.dirname, '../../../shared/nab');
const HAVE_NAB = existsSync(join(NAB, 'data', 'realAWSCloudwatch'));
if (!HAVE_NAB) console.log(`skipping the NAB replay test: ${NAB} is absent`);

const AWS = join(NAB, 'data', 'realAWSCloudwatch');
/** All 11 realAWSCloudwatch files (42,959 rows, 18 windows): enough files that "most" is not decided by one. */
const FILES = HAVE_NAB
  ? readdirSync(AWS)
      .filter((f) => f.endsWith('.csv'))
      .sort()
      .map((f) => join(AWS, f))
  : [];

describe.skipIf(!HAVE_NAB)('vigil replay over NAB realAWSCloudwatch (real server)', () => {
  let vigil: RunningVigil;
  let cleanup: () => void;
  let report: ReplayReport;
  const lines: string[] = [];

  beforeAll(async () => {
    const tmp = tempDir('vigil-replay-');
    cleanup = tmp.cleanup;
    vigil = await startTestVigil(tmp.dir);
    report = await runReplay({
      files: FILES,
      url: vigil.url,
      max: true,
      service: 'nab',
      print: (l) => lines.push(l),
    });
    console.log(lines.filter((l) => !l.startsWith('  ')).join('\n'));
  }, 300_000);

  afterAll(async () => {
    await vigil?.close();
    cleanup?.();
  });

  it('sends every row and the server shows every series up to its last point', () => {
    expect(report.settled).toBe(true);
    expect(report.rejected).toBe(0);
    expect(report.files).toHaveLength(11);
    expect(report.points).toBe(42_959);
    expect(report.files.every((f) => f.seriesId !== null)).toBe(true);
  });

  it('raises an alert inside a labelled window for most files that have windows', async () => {
    const counts = countAlertsInWindows(report, await loadNabWindows(NAB));
    console.table(counts.map(({ file, ...c }) => ({ file: file.split('/').pop(), ...c })));
    const withWindows = counts.filter((c) => c.windows > 0);
    expect(withWindows).toHaveLength(10);
    const hit = withWindows.filter((c) => c.windowsWithAlert > 0);
    expect(hit.length).toBeGreaterThan(withWindows.length / 2);
  });
});
