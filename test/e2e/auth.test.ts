/**
 * End-to-end test of the dashboard with authentication ON and the strict Content-Security-Policy:
 * sign-in page on first visit, a wrong password, sign-in as `admin`, the overview (with a heat
 * strip, whose colours must not be inline style attributes) without console errors or CSP
 * violations, the live feed connected only after sign-in, and sign-out.
 */
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHROMIUM,
  ensureBuilt,
  launchBrowser,
  removeDir,
  type ServerProcess,
  screenshot,
  startServer,
  until,
  warmupItems,
} from './harness.js';

const hasChromium = existsSync(CHROMIUM);
const ADMIN_PASSWORD = 'e2e-Admin-passw0rd-long';
const KEY = { service: 'auth-e2e', endpoint: 'GET:/secure' };

/** A Chromium console error for a request the server answered with 401 (expected before sign-in). */
const isExpected401 = (text: string) =>
  /^Failed to load resource: the server responded with a status of 401/.test(text);

describe.skipIf(!hasChromium)('dashboard with authentication (e2e, real server, Chromium)', () => {
  let server: ServerProcess;
  let browser: Browser;
  /** An API key with ingest and read scopes, made by the admin over HTTP. */
  let apiKey = '';

  /** POSTs JSON with the API key; returns the status and parsed body. */
  async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey, ...headers },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? null : JSON.parse(text), headers: res.headers };
  }

  beforeAll(async () => {
    ensureBuilt();
    server = await startServer({ env: { VIGIL_AUTH: '1', VIGIL_ADMIN_PASSWORD: ADMIN_PASSWORD } });
    browser = await launchBrowser();
    // An API key for ingest, made with an admin session (cookie + CSRF marker), as a script would.
    const login = await post('/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(cookie).toMatch(/=./);
    const made = await post(
      '/api/keys',
      { name: 'e2e-ingest', scopes: ['ingest', 'read'] },
      { cookie, 'x-vigil-csrf': '1' },
    );
    expect(made.status).toBe(201);
    apiKey = made.body.token;
    // One series with a spike, so the overview's heat strip has coloured cells.
    const now = Date.now();
    expect((await post('/api/batch', { metrics: warmupItems(KEY, 200, now - 10_000) })).status).toBe(202);
    const seriesId = await until(async () => {
      const res = await fetch(`${server.url}/api/series?service=${KEY.service}`, {
        headers: { 'x-api-key': apiKey },
      });
      return ((await res.json()) as { items: { id: string }[] }).items[0]?.id ?? '';
    });
    await until(
      async () => {
        expect(
          (await post('/api/metrics', { ...KEY, metrics: { response_time: 100_000 }, timestamp: Date.now() }))
            .status,
        ).toBe(202);
        await new Promise((r) => setTimeout(r, 300));
        const res = await fetch(
          `${server.url}/api/anomalies?seriesId=${encodeURIComponent(seriesId)}&from=${now}`,
          { headers: { 'x-api-key': apiKey } },
        );
        return ((await res.json()) as { total: number }).total > 0;
      },
      15_000,
      'an anomaly for the spiked series',
    );
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (server) {
      await server.stop();
      removeDir(server.dataDir);
    }
  });

  it('signs in, shows the overview without console errors or CSP violations, and signs out', async () => {
    const page: Page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    // CSP violations also reach the console; this records them with the directive, to be sure.
    await page.addInitScript(`(() => {
      window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));
    })()`);

    const first = await page.goto(`${server.url}/#/alerts?status=firing`);
    expect(first?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(first?.headers()['content-security-policy']).not.toContain('unsafe-inline');

    // Nobody is signed in: the sign-in page, remembering where the user wanted to go.
    const form = page.locator('[data-testid=login-form]');
    await form.waitFor();
    await page.waitForURL(/#\/login\?next=/);
    expect(new URLSearchParams(page.url().split('?')[1]).get('next')).toBe('#/alerts?status=firing');
    expect(await page.title()).toBe('Sign in · Vigil');
    expect(await page.locator('header nav').isVisible()).toBe(false);
    expect(await page.locator('[data-testid=sign-out]').isVisible()).toBe(false);
    // The user name field has focus; fields are reachable by their labels.
    expect(await page.evaluate('document.activeElement && document.activeElement.name')).toBe('username');
    await screenshot(page, '20-sign-in');

    // A wrong password: an error message, still signed out.
    await page.getByLabel('User name').fill('admin');
    await page.getByLabel('Password').fill('not-the-password');
    await page.keyboard.press('Enter');
    const error = page.locator('[data-testid=login-error]');
    await error.waitFor();
    expect(await error.textContent()).toBe('Wrong user name or password.');
    expect(await page.getByLabel('Password').inputValue()).toBe('');
    // The live feed does not try to connect while signed out.
    expect(sockets).toEqual([]);
    // Before sign-in, the only console errors are the 401 answers (who am I, the wrong password).
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.filter((e) => !isExpected401(e))).toEqual([]);
    errors.length = 0;

    // Sign in with the keyboard: back on the page asked for, live feed connected.
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/alerts\?status=firing$/);
    await page.locator('[data-testid=conn][data-state=live]').waitFor({ timeout: 10_000 });
    expect(sockets.some((u) => u.endsWith('/api/live'))).toBe(true);
    expect(await page.locator('[data-testid=user]').textContent()).toBe('admin');
    expect(await page.locator('[data-testid=sign-out]').isVisible()).toBe(true);

    // The overview: health figures and the heat strip, coloured through the CSSOM.
    await page.locator('nav a[data-page=overview]').click();
    await page.locator('[data-testid=series-count]').waitFor();
    const hot = page.locator('[data-testid=heat-strip] td.heat-cell:not([data-anomalies="0"])').first();
    await hot.waitFor({ timeout: 15_000 });
    const heat = Number(
      await hot.evaluate((el) =>
        (el as unknown as { style: { getPropertyValue(n: string): string } }).style.getPropertyValue(
          '--heat',
        ),
      ),
    );
    expect(heat).toBeGreaterThan(0);
    // The saved theme script (/theme.js, not inline) runs: pick dark, reload, still dark.
    await page.locator('[data-testid=theme-toggle]').click();
    await page.locator('[data-testid=theme-toggle]').click();
    await page.reload();
    await page.locator('[data-testid=series-count]').waitFor();
    expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    await page.locator('[data-testid=conn][data-state=live]').waitFor({ timeout: 10_000 });
    await screenshot(page, '21-overview-signed-in-dark');
    expect(errors).toEqual([]);
    expect(await page.evaluate('window.__csp')).toEqual([]);

    // The session ends behind the dashboard's back: the next API call (401) leads to sign-in,
    // which returns to the page asked for.
    await page.context().clearCookies();
    await page.locator('nav a[data-page=anomalies]').click();
    await page.waitForURL(/#\/login\?next=%23%2Fanomalies$/);
    expect(await page.locator('[data-testid=login-notice]').textContent()).toBe(
      'Your session has ended. Sign in again.',
    );
    await page.locator('[data-testid=conn]').waitFor({ state: 'hidden' });
    expect(errors.filter((e) => !isExpected401(e))).toEqual([]);
    errors.length = 0;
    await page.getByLabel('User name').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/#\/anomalies$/);
    await page.locator('[data-testid=conn][data-state=live]').waitFor({ timeout: 10_000 });
    await page.locator('nav a[data-page=overview]').click();
    await page.locator('[data-testid=series-count]').waitFor();
    expect(errors).toEqual([]);

    // Sign out: the sign-in page again, the session is gone on the server, and a reload stays there.
    await page.locator('[data-testid=sign-out]').click();
    await form.waitFor();
    await page.waitForURL(/#\/login\?next=%23%2Foverview/);
    expect(await page.locator('[data-testid=login-notice]').textContent()).toBe('You have signed out.');
    await page.locator('[data-testid=conn]').waitFor({ state: 'hidden' });
    expect(await page.evaluate("fetch('/api/stats').then((r) => r.status)")).toBe(401);
    await page.reload();
    await form.waitFor();
    expect(errors.filter((e) => !isExpected401(e))).toEqual([]);
    expect(await page.evaluate('window.__csp')).toEqual([]);
    await page.close();
  }, 60_000);
});
