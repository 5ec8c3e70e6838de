/**
 * The bench report: what each scenario measured (per round and summarized), the ratios to its
 * baselines, the targets with PASS/MISS, the machine load before and after; printed as a table
 * and saved as JSON.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MachineLoad } from './machine.js';
import { pairedRatio, type Summary, summarize } from './stats.js';

/** One measured quantity of one subject (Vigil, a baseline or the peer), all rounds. */
export interface Row {
  /** What was measured, e.g. `Vigil POST /api/batch (1,000 pts/req)`. */
  readonly subject: string;
  readonly unit: string;
  /** One value per round, in round order. */
  readonly values: readonly number[];
  readonly summary: Summary;
}

/** A ratio between two rows (median of per-round ratios). */
export interface Ratio {
  readonly name: string;
  readonly value: number;
}

/** A target and whether the measured figure meets it. */
export interface Check {
  readonly name: string;
  readonly value: number;
  /** `>=` or `<=` the threshold. */
  readonly op: '>=' | '<=';
  readonly threshold: number;
  readonly unit: string;
  readonly pass: boolean;
}

/** Everything one scenario reports. */
export interface ScenarioReport {
  /** Stable name, e.g. `batched`. */
  readonly name: string;
  readonly title: string;
  readonly rows: Row[];
  readonly ratios: Ratio[];
  readonly checks: Check[];
  /** Parts not run, with the reason. */
  readonly skipped: Array<{ readonly what: string; readonly why: string }>;
  readonly notes: string[];
  /** Wall time the scenario took, ms. */
  durationMs: number;
}

/** The whole run. */
export interface BenchReport {
  readonly mode: string;
  readonly startedAt: string;
  finishedAt: string;
  readonly node: string;
  readonly machineBefore: MachineLoad;
  machineAfter: MachineLoad | null;
  readonly scenarios: ScenarioReport[];
}

/** Builds scenario reports step by step. */
export class ScenarioBuilder {
  readonly report: ScenarioReport;
  private readonly started = performance.now();

  constructor(name: string, title: string) {
    this.report = { name, title, rows: [], ratios: [], checks: [], skipped: [], notes: [], durationMs: 0 };
  }

  row(subject: string, unit: string, values: readonly number[]): Row {
    const r: Row = { subject, unit, values: [...values], summary: summarize(values) };
    this.report.rows.push(r);
    return r;
  }

  ratio(name: string, a: readonly number[], b: readonly number[]): number {
    const value = pairedRatio(a, b);
    this.report.ratios.push({ name, value });
    return value;
  }

  check(name: string, value: number, op: '>=' | '<=', threshold: number, unit = ''): void {
    const pass = Number.isFinite(value) && (op === '>=' ? value >= threshold : value <= threshold);
    this.report.checks.push({ name, value, op, threshold, unit, pass });
  }

  skip(what: string, why: string): void {
    this.report.skipped.push({ what, why });
  }

  note(text: string): void {
    this.report.notes.push(text);
  }

  done(): ScenarioReport {
    this.report.durationMs = performance.now() - this.started;
    return this.report;
  }
}

/** Formats a number with 3 significant digits and thousands separators (`1,234,000`, `0.412`). */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  if (abs >= 1000) return Math.round(x).toLocaleString('en-US');
  if (abs >= 100) return x.toFixed(0);
  if (abs >= 10) return x.toFixed(1);
  if (abs >= 1) return x.toFixed(2);
  return x.toPrecision(3);
}

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

function loadLine(m: MachineLoad): string {
  return `loadavg ${m.loadavg.map((x) => x.toFixed(2)).join(' / ')} (1/5/15 min) on ${m.cpus} CPUs (${m.cpuModel}), free mem ${fmt(m.freeMemBytes / 2 ** 20)} MiB of ${fmt(m.totalMemBytes / 2 ** 20)} MiB`;
}

/** Renders the report as a plain-text table. */
export function renderReport(r: BenchReport): string {
  const out: string[] = [];
  out.push(`Vigil bench — mode ${r.mode}, node ${r.node}, started ${r.startedAt}`);
  out.push(`machine before: ${loadLine(r.machineBefore)}`);
  const w = 58;
  for (const s of r.scenarios) {
    out.push('');
    out.push(`== ${s.name}: ${s.title} (${(s.durationMs / 1000).toFixed(1)} s)`);
    if (s.rows.length > 0) {
      out.push(
        `  ${pad('subject', w)} ${pad('median', 12, true)} ${pad('min – max', 25, true)}  unit  (rounds)`,
      );
      for (const row of s.rows) {
        const { median, min, max, n } = row.summary;
        out.push(
          `  ${pad(row.subject, w)} ${pad(fmt(median), 12, true)} ${pad(`${fmt(min)} – ${fmt(max)}`, 25, true)}  ${row.unit}  (${n})`,
        );
      }
    }
    for (const ratio of s.ratios) out.push(`  ratio ${ratio.name}: ${fmt(ratio.value)}×`);
    for (const c of s.checks) {
      out.push(
        `  [${c.pass ? 'PASS' : 'MISS'}] ${c.name}: ${fmt(c.value)}${c.unit ? ` ${c.unit}` : ''} (target ${c.op} ${fmt(c.threshold)}${c.unit ? ` ${c.unit}` : ''})`,
      );
    }
    for (const k of s.skipped) out.push(`  SKIPPED ${k.what}: ${k.why}`);
    for (const n of s.notes) out.push(`  note: ${n}`);
  }
  out.push('');
  if (r.machineAfter) out.push(`machine after:  ${loadLine(r.machineAfter)}`);
  const checks = r.scenarios.flatMap((s) => s.checks);
  out.push(
    `targets: ${checks.filter((c) => c.pass).length} PASS, ${checks.filter((c) => !c.pass).length} MISS`,
  );
  return out.join('\n');
}

/**
 * Writes the report as `<dir>/<timestamp>.json`.
 * @returns the file path
 */
export function saveReport(r: BenchReport, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${r.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
  return file;
}
