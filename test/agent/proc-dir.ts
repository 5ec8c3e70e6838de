/** A temporary folder laid out like /proc, rewritten on every clock read so each collection sees the next state. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../src/agent/index.js';
import { procTexts } from './fixtures.js';

export interface FakeProc {
  readonly procRoot: string;
  readonly sysBlockDir: string;
  /** Clock for the collector: advances the folder to the next state and returns k × stepMs. */
  readonly clock: () => number;
  /** How many times the clock was read (= reads of /proc). */
  reads(): number;
  write(files: Record<string, string>): void;
  remove(): void;
}

export function fakeProc(stepMs = 1000, texts: (k: number) => Record<string, string> = procTexts): FakeProc {
  const root = mkdtempSync(join(tmpdir(), 'vigil-proc-'));
  const procRoot = join(root, 'proc');
  const sysBlockDir = join(root, 'block');
  mkdirSync(join(procRoot, 'net'), { recursive: true });
  mkdirSync(sysBlockDir);
  for (const d of ['sda', 'nvme0n1', 'loop0']) mkdirSync(join(sysBlockDir, d));
  let k = -1;
  const write = (files: Record<string, string>): void => {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(procRoot, name), text);
  };
  write(texts(0));
  return {
    procRoot,
    sysBlockDir,
    clock: () => {
      k++;
      write(texts(k));
      return k * stepMs;
    },
    reads: () => k + 1,
    write,
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

export interface CapturedLog extends Logger {
  readonly lines: { level: 'info' | 'warn' | 'error'; message: string }[];
}

export function captureLogger(): CapturedLog {
  const lines: CapturedLog['lines'] = [];
  return {
    lines,
    info: (message) => lines.push({ level: 'info', message }),
    warn: (message) => lines.push({ level: 'warn', message }),
    error: (message) => lines.push({ level: 'error', message }),
  };
}
