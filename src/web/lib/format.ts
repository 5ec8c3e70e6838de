/** Formatting of times, numbers and series names for display. Pure functions. */
import type { Labels } from '../../model/types.js';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Local date-time `YYYY-MM-DD HH:MM:SS` of a Unix-ms time; `—` for null. */
export function fmtTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Local `HH:MM` of a Unix-ms time. */
export function fmtClock(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Local `HH:MM:SS` of a Unix-ms time. */
export function fmtClockSec(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Local `MM-DD` of a Unix-ms time. */
export function fmtDay(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * Labels for time-axis ticks `splits` (Unix ms) spaced `incr` ms apart: 24-hour clock, with
 * the day added under the first tick of each day (days only when ticks are ≥ 1 day apart).
 */
export function timeTicks(splits: readonly number[], incr: number): string[] {
  let prevDay = '';
  return splits.map((t) => {
    const day = fmtDay(t);
    const time = incr >= 86_400_000 ? '' : incr >= 60_000 ? fmtClock(t) : fmtClockSec(t);
    const label = day !== prevDay ? (time === '' ? day : `${time}\n${day}`) : time;
    prevDay = day;
    return label;
  });
}

/** Age relative to `now` (both Unix ms): `12s ago`, `5m ago`, `3h ago`, `2d ago`. */
export function fmtAgo(ms: number, now = Date.now()): string {
  const s = Math.round((now - ms) / 1000);
  if (s < 0) return 'in the future';
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

/** Duration in seconds as `1d 2h`, `3h 4m`, `5m 6s` or `7s`. */
export function fmtDuration(s: number): string {
  const d = Math.floor(s / 86400);
  const hh = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = Math.floor(s % 60);
  if (d > 0) return `${d}d ${hh}h`;
  if (hh > 0) return `${hh}h ${m}m`;
  if (m > 0) return `${m}m ${sec}s`;
  return `${sec}s`;
}

/** A number with up to 4 significant digits, thousands grouped; `—` when not finite. */
export function fmtNum(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e9 || a < 1e-3)) return v.toExponential(2);
  return v.toLocaleString('en-US', {
    maximumSignificantDigits: a >= 1000 ? 10 : 4,
    maximumFractionDigits: 3,
  });
}

/** A ratio in [0, 1] as a percentage with one decimal. */
export function fmtPct(r: number): string {
  return Number.isFinite(r) ? `${(r * 100).toFixed(1)}%` : '—';
}

/** `k=v, k2=v2` of a label set (sorted by key); empty string when there are none. */
export function fmtLabels(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k] ?? ''}`)
    .join(', ');
}

/** Human name of a series: `service · endpoint · metric {labels}`, empty parts omitted. */
export function seriesName(s: {
  readonly service: string;
  readonly endpoint: string;
  readonly metric: string;
  readonly labels: Labels;
}): string {
  const parts = [s.service, s.endpoint, s.metric].filter((p) => p !== '');
  const labels = fmtLabels(s.labels);
  return labels === '' ? parts.join(' · ') : `${parts.join(' · ')} {${labels}}`;
}

/** Range presets of the explorer and list filters, in ms. */
export const RANGES: Readonly<Record<string, number>> = {
  '15m': 15 * 60_000,
  '1h': 3600_000,
  '6h': 6 * 3600_000,
  '24h': 24 * 3600_000,
  '7d': 7 * 24 * 3600_000,
};
