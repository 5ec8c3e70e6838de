import { ProcParseError } from './errors.js';

/** Memory state from /proc/meminfo. */
export interface MemoryInfo {
  /** MemTotal, bytes. */
  readonly totalBytes: number;
  /** MemAvailable (kernel ≥ 3.14), else MemFree + Buffers + Cached, bytes. */
  readonly availableBytes: number;
  /** (total − available) / total, percent 0..100. */
  readonly usedPct: number;
}

const FILE = '/proc/meminfo';

/**
 * Parses /proc/meminfo (values in kB = 1024 bytes).
 * @throws {ProcParseError} when MemTotal is missing or zero, or neither MemAvailable nor MemFree is present.
 * @example parseMeminfo('MemTotal: 1000 kB\nMemAvailable: 250 kB\n').usedPct // 75
 */
export function parseMeminfo(text: string): MemoryInfo {
  const kb = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z0-9_()]+):\s+(\d+)(?:\s+kB)?\s*$/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) kb.set(m[1], Number(m[2]));
  }
  const total = kb.get('MemTotal');
  if (total === undefined || total <= 0) throw new ProcParseError(FILE, 'no positive MemTotal');
  let available = kb.get('MemAvailable');
  if (available === undefined) {
    const free = kb.get('MemFree');
    if (free === undefined) throw new ProcParseError(FILE, 'neither MemAvailable nor MemFree');
    available = free + (kb.get('Buffers') ?? 0) + (kb.get('Cached') ?? 0);
  }
  return {
    totalBytes: total * 1024,
    availableBytes: available * 1024,
    usedPct: (100 * (total - available)) / total,
  };
}
