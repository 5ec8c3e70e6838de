/**
 * E2E harness: the real Vigil server as a child process (`node bin/vigil.js start`) on a
 * port of its choosing with a temporary data directory and `--no-agent`, and Debian's
 * Chromium driven by playwright-core.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Debian's Chromium; the e2e suite is skipped (with a printed reason) without it. */
export const CHROMIUM = '/usr/bin/chromium';
/** Where screenshots go (git-ignored). */
export const SCREENSHOTS = join(ROOT, 'artifacts', 'screenshots');

/** A running server child process. */
export interface ServerProcess {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** The `--config` file it was started with, if any. */
  readonly configFile: string | undefined;
  /** Everything the server wrote on stdout and stderr so far. */
  output(): string;
  /** Sends SIGTERM and waits for exit (SIGKILL after 5 s). */
  stop(): Promise<void>;
}

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

/**
 * Starts `node bin/vigil.js start --port <port> --data-dir <dir> --no-agent` and resolves once
 * it prints its URL.
 * @param opts.port - port to listen on; 0 (default) lets the OS choose.
 * @param opts.dataDir - data directory; default a fresh temporary one.
 * @param opts.configFile - JSON config file passed as `--config`.
 * @param opts.env - extra environment variables; they override the defaults, which turn
 *   authentication off (`VIGIL_AUTH=0`) and allow webhook receivers on 127.0.0.1.
 * @throws Error when the process exits or prints no URL within `timeoutMs` (default 20 s).
 */
export async function startServer(
  opts: {
    port?: number;
    dataDir?: string;
    configFile?: string | undefined;
    timeoutMs?: number;
    env?: Readonly<Record<string, string>>;
  } = {},
): Promise<ServerProcess> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'vigil-e2e-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [
      join(ROOT, 'bin', 'vigil.js'),
      'start',
      '--port',
      String(opts.port ?? 0),
      '--data-dir',
      dataDir,
      '--no-agent',
      ...(opts.configFile === undefined ? [] : ['--config', opts.configFile]),
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        VIGIL_LOG_LEVEL: 'warn',
        VIGIL_AUTH: '0',
        VIGIL_ALLOW_PRIVATE_RECEIVERS: '1',
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout?.on('data', (b: Buffer) => {
    out += b.toString('utf8');
  });
  child.stderr?.on('data', (b: Buffer) => {
    out += b.toString('utf8');
  });
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(
      () => rej(new Error(`server printed no URL within ${opts.timeoutMs ?? 20_000} ms:\n${out}`)),
      opts.timeoutMs ?? 20_000,
    );
    const check = () => {
      const m = /Vigil (http:\/\/[^\s]+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        res(m[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`server exited with code ${code}:\n${out}`));
    });
  });
  return {
    url,
    port: Number(new URL(url).port),
    dataDir,
    configFile: opts.configFile,
    output: () => out,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
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
