/**
 * E2E harness: the real Vigil server as a child process (`node bin/vigil.js start`) on a
 * port of its choosing with a temporary data directory and `--no-agent`, and Debian's
 * Chromium driven by playwright-core.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

import {
  type VigilProcess as ServerProcess,
  startVigilProcess as startServer,
} from '../helpers/vigil-process.js';

export { type ServerProcess, startServer };

/** Repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Debian's Chromium; the e2e suite is skipped (with a printed reason) without it. */
export const CHROMIUM = '/usr/bin/chromium';
/** Where screenshots go (git-ignored). */
export const SCREENSHOTS = join(ROOT, 'artifacts', 'screenshots');

/**
 * Makes sure the server and dashboard builds exist: throws when `dist/cli/main.js` is missing
 * (run `npm run build`); builds the dashboard with Vite when `dist/web/index.html` is missing.
 * @throws Error when the server build is missing.
 */
export function ensureBuilt(): void {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
    throw new Error('dist/cli/main.js is missing: run `npm run build` before the e2e tests');
  }
  if (!existsSync(join(ROOT, 'dist', 'web', 'index.html'))) {
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
      {
        cwd: ROOT,
        stdio: 'inherit',
      },
    );
  }
}

/** Removes a data directory made by {@link startServer}. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Launches headless Chromium with the flags the project uses. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Console errors and uncaught page errors seen by a page, and dialogs it opened (none expected). */
export interface PageWatch {
  readonly errors: string[];
  readonly dialogs: string[];
}

/** Records console errors, page errors and dialogs (dismissing dialogs) of `page`. */
export function watch(page: Page): PageWatch {
  const w: PageWatch = { errors: [], dialogs: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') w.errors.push(m.text());
  });
  page.on('pageerror', (e) => w.errors.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    w.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  return w;
}

/** Saves a full-page screenshot as `artifacts/screenshots/<name>.png`; returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** POSTs JSON to the server; returns status and parsed body. */
export async function postJson(url: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : JSON.parse(text) };
}

/** GETs JSON from the server. */
export async function getJson(url: string): Promise<any> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return res.json();
}

/** Polls `fn` until it returns a truthy value; throws after `timeoutMs`. */
export async function until<T>(fn: () => Promise<T> | T, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * `n` normal application points for one series (deterministic small wave around `base`),
 * one every `stepMs`, ending `stepMs` before `end` (Unix ms), as `/api/batch` items.
 */
export function warmupItems(
  key: { service: string; endpoint: string },
  n: number,
  end: number,
  stepMs = 5000,
  base = 100,
): unknown[] {
  const items: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const t = end - (n - i) * stepMs;
    const v = base + base * 0.02 * Math.sin(i / 5) + (i % 3) * base * 0.005;
    items.push({
      type: 'application',
      service: key.service,
      endpoint: key.endpoint,
      metrics: { response_time: v },
      timestamp: t,
    });
  }
  return items;
}

/**
 * Posts `value` for series `key` (one point per call, 1 s apart in event time, starting now)
 * until the API lists an anomaly for that series newer than `since`, at most `max` points.
 * Detectors may need more than one extreme point before they flag; this keeps the e2e suite
 * about the dashboard, not about one detector's sensitivity.
 * @returns how many points were posted and the anomalies found.
 * @throws Error when no anomaly appears after `max` points.
 */
export async function spikeUntilAnomaly(
  url: string,
  key: { service: string; endpoint: string },
  seriesId: string,
  value: number,
  since: number,
  max = 10,
): Promise<{ posted: number; anomalies: { id: string; t: number }[] }> {
  for (let posted = 1; posted <= max; posted++) {
    const res = await postJson(`${url}/api/metrics`, {
      ...key,
      metrics: { response_time: value },
      timestamp: Date.now(),
    });
    if (res.status !== 202) throw new Error(`ingest answered ${res.status}: ${JSON.stringify(res.body)}`);
    const deadline = Date.now() + 1000;
    while (Date.now() < deadline) {
      const found = await getJson(
        `${url}/api/anomalies?seriesId=${encodeURIComponent(seriesId)}&from=${since}`,
      );
      if (found.total > 0) return { posted, anomalies: found.items };
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`no anomaly for series ${seriesId} after ${max} points of ${value}`);
}

/** A real HTTP server on 127.0.0.1 that records the webhook requests it receives. */
export interface WebhookSink {
  readonly url: string;
  readonly requests: { path: string; body: string }[];
  close(): Promise<void>;
}

/** Starts a {@link WebhookSink} on a free port; it answers 200 to every request. */
export async function startWebhookSink(): Promise<WebhookSink> {
  const requests: { path: string; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      requests.push({ path: req.url ?? '', body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((res) => server.close(() => res())),
  };
}

/** Records CSP violations (with the directive) in `window.__csp`, from before the first script runs. */
const CSP_WATCH = `(() => {
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) =>
    window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));
})()`;

/** One e2e file's world: a webhook sink, the server configured with it, and Chromium. */
export interface DashboardSession {
  /** The server; a test that restarts it assigns the new process here, so `close` stops that one. */
  server: ServerProcess;
  readonly browser: Browser;
  readonly sink: WebhookSink;
  /** Every page opened with {@link DashboardSession.open}, with its watch and route. */
  readonly opened: { readonly page: Page; readonly w: PageWatch; readonly hash: string }[];
  /**
   * Opens the dashboard at `hash` (e.g. `#/silences`) in a new page watched for console
   * errors, dialogs and CSP violations; resolves once the live feed is connected.
   */
  open(hash: string, viewport?: { width: number; height: number }): Promise<{ page: Page; w: PageWatch }>;
  /** Closes the browser, stops the server and the sink, removes their directories. */
  close(): Promise<void>;
}

/**
 * Builds if needed, starts a webhook sink, the server with the config `config(sinkUrl)` returns
 * (written to a temporary `--config` file), and Chromium.
 * @throws Error when the server build is missing or the server does not start.
 */
export async function startDashboardSession(
  config: (sinkUrl: string) => Record<string, unknown>,
): Promise<DashboardSession> {
  ensureBuilt();
  const sink = await startWebhookSink();
  const configDir = mkdtempSync(join(tmpdir(), 'vigil-e2e-config-'));
  const configFile = join(configDir, 'vigil.json');
  writeFileSync(configFile, JSON.stringify(config(sink.url)));
  const server = await startServer({ configFile });
  const browser = await launchBrowser();
  const opened: { page: Page; w: PageWatch; hash: string }[] = [];
  const session: DashboardSession = {
    server,
    browser,
    sink,
    opened,
    async open(hash, viewport = { width: 1280, height: 900 }) {
      const page = await browser.newPage({ viewport });
      const w = watch(page);
      await page.addInitScript(CSP_WATCH);
      opened.push({ page, w, hash });
      await page.goto(`${session.server.url}/${hash}`);
      await page.locator('[data-testid=conn][data-state=live]').waitFor({ timeout: 10_000 });
      return { page, w };
    },
    async close() {
      await browser.close();
      await session.server.stop();
      removeDir(session.server.dataDir);
      await sink.close();
      removeDir(configDir);
    },
  };
  return session;
}

/** Asserts that `page` logged no console or page error, opened no dialog and violated no CSP directive. */
export async function expectClean(page: Page, w: PageWatch): Promise<void> {
  expect(w.errors).toEqual([]);
  expect(w.dialogs).toEqual([]);
  expect(await page.evaluate('window.__csp')).toEqual([]);
}
