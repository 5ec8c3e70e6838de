/**
 * Runs the whole NAB DEV corpus through `runNabBench` when the corpus is present
 * (`../shared/nab` next to the repository); skipped with the reason printed otherwise.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runNabBench } from '../../src/bench/nab/index.js';

const NAB = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/nab');
const present = existsSync(join(NAB, 'labels', 'combined_windows.json'));
if (!present) console.log(`NAB DEV corpus test skipped: no corpus at ${NAB}`);

/** Floors: the measured DEV scores (70.4 / 60.2 / 75.7 on 2026-11-22) minus a margin of about 4. */
const FLOORS: Record<string, number> = { standard: 66, reward_low_FP_rate: 56, reward_low_FN_rate: 71 };

describe.skipIf(!present)(`NAB DEV corpus (${NAB})`, () => {
  it('scores every profile above the measured floor, writes one result file per data file', async () => {
    const out = await mkdtemp(join(tmpdir(), 'vigil-nab-'));
    try {
      const lines: string[] = [];
      const report = await runNabBench({ data: NAB, out, passes: 1, print: (l) => lines.push(l) });
      expect(report.corpus.files).toBe(39);
      expect(report.corpus.rows).toBe(240_835);
      expect(report.corpus.windows).toBe(80);
      for (const s of report.corpus.scores) {
        expect(Number.isFinite(s.normalized)).toBe(true);
        expect(s.normalized ?? 0).toBeGreaterThan(FLOORS[s.profile] ?? 100);
      }
      expect(report.categories.map((c) => c.set)).toContain('realTweets');
      expect(report.files).toHaveLength(39);
      expect(report.cost.usPerPoint).toBeGreaterThan(0);
      expect(lines.join('\n')).toMatch(/engine cost: [\d.]+ µs\/point/);
      const written = await readFile(
        join(out, 'realKnownCause', 'machine_temperature_system_failure.csv'),
        'utf8',
      );
      const rows = written.trim().split('\n');
      expect(rows[0]).toBe('timestamp,value,anomaly_score,label');
      expect(rows).toHaveLength(22_695 + 1);
      expect(rows[1]).toMatch(/^2013-12-02 21:15:00,73\.96732207,0,0$/);
      expect((await readdir(out)).sort()).toHaveLength(7);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 120_000);
});
