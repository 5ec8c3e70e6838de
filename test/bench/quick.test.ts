/**
 * Smoke check of `npm run bench`: runs every scenario at the smallest sizes (the `smoke` preset:
 * one round, sub-second loads, VictoriaMetrics peer off) and checks the report's shape — the
 * expected scenario names, no scenario failed, every figure finite — without asserting any
 * performance threshold. Needs the compiled tree (`npm run build`): the bench's children and
 * Vigil itself run from `dist/`.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { preset, renderReport, runBench, SCENARIOS, saveReport } from '../../src/bench/index.js';

const root = join(import.meta.dirname, '..', '..');

describe('bench smoke run', () => {
  it('reports every scenario with finite figures', { timeout: 180_000 }, async () => {
    for (const f of ['dist/cli/main.js', 'dist/bench/load/cannon.js', 'dist/bench/inproc/child.js']) {
      expect(existsSync(join(root, f)), `${f} is missing: run \`npm run build\` first`).toBe(true);
    }
    const lines: string[] = [];
    const report = await runBench(preset('smoke'), (l) => lines.push(l));

    expect(report.scenarios.map((s) => s.name)).toEqual([...SCENARIOS]);
    for (const s of report.scenarios) {
      expect(
        s.skipped.filter((k) => k.what === 'whole scenario'),
        `${s.name} failed`,
      ).toEqual([]);
      expect(s.rows.length, `${s.name} has rows`).toBeGreaterThan(0);
      for (const row of s.rows) {
        expect(row.values.length, `${s.name}: ${row.subject}`).toBeGreaterThan(0);
        for (const v of row.values) expect(Number.isFinite(v), `${s.name}: ${row.subject} = ${v}`).toBe(true);
      }
      for (const r of s.ratios) expect(Number.isFinite(r.value), `${s.name}: ratio ${r.name}`).toBe(true);
      for (const c of s.checks) expect(Number.isFinite(c.value), `${s.name}: target ${c.name}`).toBe(true);
    }
    expect(report.machineAfter?.cpus).toBeGreaterThan(0);

    const text = renderReport(report);
    for (const name of SCENARIOS) expect(text).toContain(`== ${name}:`);
    expect(text).toMatch(/\[(PASS|MISS)\] /);

    const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-test-'));
    try {
      const file = saveReport(report, dir);
      const saved = JSON.parse(readFileSync(file, 'utf8')) as { scenarios: Array<{ name: string }> };
      expect(saved.scenarios.map((s) => s.name)).toEqual([...SCENARIOS]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
