/**
 * Test helpers: a real Vigil server on port 0 with its own temporary data directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { expect } from 'vitest';
import { type Config, loadConfig } from '../../src/config/index.js';
import { type RunningVigil, startVigil } from '../../src/server.js';

/** A fresh temporary directory; removed by the returned cleanup. */
export function tempDir(prefix = 'vigil-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Config for tests: loopback, port 0, quiet, fast flushes. Overrides are dotted paths. */
export function testConfig(dataDir: string, overrides: Record<string, unknown> = {}): Config {
  return loadConfig({
    env: {},
    overrides: {
      'server.port': 0,
      'storage.dataDir': dataDir,
      'storage.flushIntervalMs': 20,
      'log.level': 'silent',
      'agent.enabled': false,
      'security.auth.enabled': false,
      'security.allowPrivateReceivers': true,
      ...overrides,
    },
  });
}

/** Starts Vigil in this process on a free port. */
export async function startTestVigil(
  dataDir: string,
  overrides: Record<string, unknown> = {},
): Promise<RunningVigil> {
  const config = testConfig(dataDir, overrides);
  return startVigil(config, { logger: pino({ level: 'silent' }) });
}

/** POSTs JSON (or a raw string) and returns status and parsed body. */
export async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** DELETEs; returns status and parsed JSON body. */
export async function del(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { method: 'DELETE' });
  return { status: res.status, body: await res.json() };
}

/** Sends `latency_ms` samples of one endpoint in one `/api/batch` request; asserts 202. */
export async function sendLatency(
  url: string,
  service: string,
  endpoint: string,
  samples: ReadonlyArray<{ t: number; v: number }>,
): Promise<void> {
  const r = await post(`${url}/api/batch`, {
    metrics: samples.map((s) => ({
      type: 'metric',
      service,
      endpoint,
      metrics: { latency_ms: s.v },
      timestamp: s.t,
    })),
  });
  expect(r.status).toBe(202);
}

/** GETs JSON. */
export async function get(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed };
}

/** Polls `fn` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor<T>(
  fn: () => Promise<T> | T,
  timeoutMs = 5000,
  stepMs = 20,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/**
 * Samples of a series with a clear daily-ish wave plus deterministic noise, every `stepMs`,
 * starting at `start` (Unix ms).
 */
export function normalSeries(
  start: number,
  n: number,
  stepMs: number,
  base = 100,
): Array<{ t: number; v: number }> {
  const out: Array<{ t: number; v: number }> = [];
  let seed = 12345;
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const noise = (seed / 2147483648 - 0.5) * 4;
    out.push({ t: start + i * stepMs, v: base + noise });
  }
  return out;
}
