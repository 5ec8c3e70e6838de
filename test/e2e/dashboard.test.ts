/**
 * End-to-end tests of the dashboard against the real server (child process) in Chromium.
 * Screenshots of every page go to artifacts/screenshots/.
 */
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHROMIUM,
  type DashboardSession,
  getJson,
  postJson,
  type ServerProcess,
  screenshot,
  spikeUntilAnomaly,
  startDashboardSession,
  startServer,
  until,
  type WebhookSink,
  warmupItems,
} from './harness.js';

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`e2e dashboard tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

const CHECKOUT = { service: 'checkout', endpoint: 'POST:/api/pay' };
const EVIL = { service: '<img src=x onerror=alert(1)>', endpoint: '<script>window.__xss=1</script>' };
const SPIKE = 100_000;
const HOOK_SECRET = 's3cret-token-e2e';

describe.skipIf(!hasChromium)('dashboard (e2e, real server, Chromium)', () => {
  let session: DashboardSession;
  let server: ServerProcess;
  let browser: Browser;
  let sink: WebhookSink;
  let open: DashboardSession['open'];
  let checkoutId = '';
  /** Points of the checkout series so far. */
  let checkoutPoints = 200;
  let evilId = '';

  beforeAll(async () => {
    session = await startDashboardSession((sinkUrl) => ({
      alerting: {
        receivers: [{ name: 'ops-hook', type: 'webhook', url: `${sinkUrl}/hook?token=${HOOK_SECRET}` }],
      },
    }));
    ({ server, browser, sink, open } = session);
    const now = Date.now();
    const warm = await postJson(`${server.url}/api/batch`, {
      metrics: warmupItems(CHECKOUT, 200, now - 60_000),
    });
    expect(warm.status).toBe(202);
    // Ingest is acknowledged before the pipeline catalogs the series: poll for it.
    checkoutId = (
      await until(
        async () =>
          (
            await getJson(`${server.url}/api/series?service=checkout&metric=response_time`)
          ).items[0],
      )
    ).id;
    // A series named with HTML and script characters (rendering must treat it as text).
    const evil = await postJson(`${server.url}/api/batch`, {
      metrics: warmupItems(EVIL, 200, now - 30_000, 5000, 50),
    });
    expect(evil.status).toBe(202);
    evilId = (
      await until(
        async () =>
          (
            await getJson(`${server.url}/api/series?service=${encodeURIComponent(EVIL.service)}`)
          ).items[0],
      )
    ).id;
  }, 60_000);

  afterAll(async () => {
    await session?.close();
  });

  it('loads the overview with no console errors and a first paint under 1 s', async () => {
    const { page, w } = await open('#/overview');
    await page.locator('[data-testid=series-count]').waitFor();
    await expect.poll(() => page.locator('[data-testid=series-count] .card-value').textContent()).toBe('2');
    const fcpOf = async (p: Page) =>
      Number(await p.evaluate("performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1"));
    // Cold loads in fresh browser contexts (no cache); the best of three damps the noise of
    // a shared, loaded machine.
    const samples = [await fcpOf(page)];
    for (let i = 0; i < 2; i++) {
      const extra = await browser.newPage();
      await extra.goto(`${server.url}/#/overview`);
      await extra.locator('[data-testid=series-count]').waitFor();
      samples.push(await fcpOf(extra));
      await extra.close();
    }
    console.log(
      `first contentful paint (ms), three cold loads: ${samples.map((x) => x.toFixed(0)).join(', ')}`,
    );
    expect(Math.min(...samples)).toBeGreaterThan(0);
    expect(Math.min(...samples)).toBeLessThan(1000);
    expect(await page.locator('[data-testid=store] .card-value').textContent()).toBe('OK');
    expect(w.errors).toEqual([]);
    await screenshot(page, '01-overview');
    await page.close();
  });

  it('shows an anomalous point live (no reload) in the overview and in the series chart', async () => {
    const { page: overview } = await open('#/overview');
    const { page: series } = await open(`#/series?ids=${checkoutId}&range=1h`);
    const chart = series.locator('figure.chart');
    await expect
      .poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 10_000 })
      .toBe(200);
    expect(await chart.getAttribute('data-anomalies')).toBe('0');
    // A marker that a reload would wipe.
    await overview.evaluate('window.__noReload = 1');
    await series.evaluate('window.__noReload = 1');

    const since = Date.now();
    const { posted, anomalies } = await spikeUntilAnomaly(server.url, CHECKOUT, checkoutId, SPIKE, since);
    console.log(`spike points posted until the detector flagged one: ${posted}`);
    checkoutPoints += posted;

    const item = overview.locator(`[data-testid=latest-anomalies] li[data-anomaly-id="${anomalies[0]?.id}"]`);
    await item.waitFor({ timeout: 10_000 });
    expect(await item.textContent()).toContain('checkout · POST:/api/pay · response_time');
    expect(await item.textContent()).toContain('100000');
    await expect
      .poll(() => chart.getAttribute('data-points'), { timeout: 10_000 })
      .toBe(String(200 + posted));
    await expect
      .poll(async () => Number(await chart.getAttribute('data-anomalies')), { timeout: 10_000 })
      .toBe(anomalies.length);
    expect(Number(await chart.getAttribute('data-last-value'))).toBe(SPIKE);
    expect(await overview.evaluate('window.__noReload')).toBe(1);
    expect(await series.evaluate('window.__noReload')).toBe(1);
    // The open-alert counters follow (stats are refetched after the live alert event).
    await expect
      .poll(async () => {
        const texts = await overview.locator('[data-testid=open-alerts] .n').allTextContents();
        return texts.reduce((n, t) => n + Number(t), 0);
      })
      .toBeGreaterThanOrEqual(1);
    // Hover the spike: the tooltip shows type, severity, score, confidence and expected.
    const tip = series.locator('.chart-tip');
    const over = await series.locator('.u-over').boundingBox();
    expect(over).not.toBeNull();
    let tipText = '';
    for (let dy = 0; over && dy < 80 && !tipText.includes('severity'); dy += 3) {
      await series.mouse.move(over.x + over.width - 3, over.y + dy);
      tipText = (await tip.isVisible()) ? ((await tip.textContent()) ?? '') : '';
    }
    expect(tipText).toContain('severity');
    expect(tipText).toContain('spike');
    expect(tipText).toContain('score');
    expect(tipText).toContain('confidence');
    expect(tipText).toContain('expected');
    expect(tipText).toContain('100,000');
    await screenshot(overview, '02-overview-live-anomaly');
    await screenshot(series, '03-series-live-spike');
    await overview.close();
    await series.close();
  });

  it('acknowledges then resolves an alert from the UI, with notes, and the API reports each status', async () => {
    // The spike of the previous test opened an alert; when run alone, open one here.
    const firingNow = async () =>
      (await getJson(`${server.url}/api/alerts?status=firing&service=checkout`)).items[0];
    if (!(await firingNow())) {
      checkoutPoints += (await spikeUntilAnomaly(server.url, CHECKOUT, checkoutId, SPIKE, Date.now())).posted;
    }
    const firing = await until(firingNow);
    const { page } = await open('#/alerts?status=firing');
    const row = page.locator(`tr[data-alert-id="${firing.id}"]`);
    await row.waitFor();
    await row.locator('button[data-action=acknowledge]').click();
    const dialog = page.locator('dialog[open]');
    await dialog.locator('input[name=by]').fill('e2e-bot');
    await dialog.locator('textarea[name=note]').fill('looking into it <b>now</b>');
    await screenshot(page, '04-alerts-acknowledge-dialog');
    await dialog.locator('button[type=submit]').click();
    await dialog.waitFor({ state: 'detached' });
    const after = await until(async () => {
      const r = await getJson(`${server.url}/api/alerts/${encodeURIComponent(firing.id)}`);
      return r.alert.status === 'acknowledged' ? r : null;
    });
    expect(after.alert.acknowledgedBy).toBe('e2e-bot');
    expect(after.alert.note).toBe('looking into it <b>now</b>');
    // The list (filtered on firing) drops the row once it reloads.
    await row.waitFor({ state: 'detached' });

    await page.goto(`${server.url}/#/alerts/${encodeURIComponent(firing.id)}`);
    const ack = page.locator('[data-testid=timeline] li[data-action=acknowledged]');
    await ack.waitFor();
    expect(await ack.textContent()).toContain('looking into it <b>now</b>');
    await expect
      .poll(async () => Number(await page.locator('figure.chart').getAttribute('data-anomalies')))
      .toBe(after.anomalies.length);
    await screenshot(page, '05-alert-detail');
    // Resolve it from the alert page, with a note.
    await page.locator('[data-testid=alert-detail] button[data-action=resolve]').click();
    await page.locator('dialog[open] textarea[name=note]').fill('fixed by rollback');
    await page.locator('dialog[open] button[type=submit]').click();
    const resolved = await until(async () => {
      const r = await getJson(`${server.url}/api/alerts/${encodeURIComponent(firing.id)}`);
      return r.alert.status === 'resolved' ? r : null;
    });
    expect(resolved.alert.note).toBe('fixed by rollback');
    await page.locator('[data-testid=timeline] li[data-action=resolved]').waitFor();
    // Filters are deep links: the resolved list shows it, and the select reflects the URL.
    await page.goto(`${server.url}/#/alerts?status=resolved&service=checkout`);
    await page.locator(`tr[data-alert-id="${firing.id}"][data-status=resolved]`).waitFor();
    expect(await page.locator('form.filters select').first().inputValue()).toBe('resolved');
    await page.close();
  });

  it('renders a series named with HTML and script characters as text', async () => {
    const now = Date.now();
    const evilSeries = { id: evilId };
    await spikeUntilAnomaly(server.url, EVIL, evilSeries.id, 50_000, now);

    const pages: [string, string][] = [
      ['#/overview', '06-xss-overview'],
      [`#/series?search=${encodeURIComponent('img')}&ids=${evilSeries.id}&range=1h`, '07-xss-series'],
      ['#/anomalies', '08-anomalies'],
      ['#/alerts', '09-alerts'],
    ];
    for (const [hash, shot] of pages) {
      const { page, w } = await open(hash);
      await page.locator('main', { hasText: EVIL.service }).first().waitFor({ timeout: 10_000 });
      const text = String(await page.evaluate("document.querySelector('main').textContent"));
      expect(text).toContain(EVIL.service);
      expect(text).toContain(EVIL.endpoint);
      expect(await page.evaluate("document.querySelectorAll('main img, main script').length")).toBe(0);
      expect(await page.evaluate('window.__xss')).toBeUndefined();
      expect(w.dialogs).toEqual([]);
      expect(w.errors).toEqual([]);
      await screenshot(page, shot);
      await page.close();
    }

    // An anomaly's time links to the series explorer around that moment.
    const { page: list } = await open(`#/anomalies?seriesId=${evilId}`);
    await list.locator('[data-testid=anomalies] tr[data-anomaly-id] td:first-child a').first().click();
    await list.waitForURL(/#\/series\?/);
    const q = new URLSearchParams(list.url().split('?')[1]);
    expect(q.get('ids')).toBe(evilId);
    expect(Number(q.get('to')) - Number(q.get('from'))).toBe(60 * 60_000);
    expect(Number(q.get('at'))).toBeGreaterThan(0);
    await expect
      .poll(async () => Number(await list.locator('figure.chart').getAttribute('data-anomalies')))
      .toBeGreaterThanOrEqual(1);
    await list.close();
  });

  it('renders settings, phone width and dark theme without console errors', async () => {
    const { page: settings, w: ws } = await open('#/settings');
    await settings.locator('[data-testid=config] dl.tree').first().waitFor();
    expect(await settings.locator('[data-testid=config]').textContent()).toContain('dataDir');
    // The receiver is listed with its URL redacted and its deliveries (the alerts opened above).
    const receivers = settings.locator('[data-testid=receivers]');
    await receivers.locator('td', { hasText: 'ops-hook' }).first().waitFor();
    expect(await settings.locator('main').textContent()).not.toContain(HOOK_SECRET);
    await settings.locator('details[data-receiver="ops-hook"] summary').click();
    // Every alert change above produced a delivery; whatever its outcome, the page lists it.
    const rows = settings.locator('details[data-receiver="ops-hook"] tbody tr');
    await rows.first().waitFor();
    const statuses = await settings
      .locator('details[data-receiver="ops-hook"] tbody .status')
      .allTextContents();
    expect(statuses.length).toBeGreaterThan(0);
    for (const st of statuses) expect(['pending', 'delivered', 'failed']).toContain(st);
    if (sink.requests.length > 0) expect(statuses).toContain('delivered');
    // "Send test" reaches the receiver at once and says so in the row.
    const before = sink.requests.length;
    await settings.getByRole('button', { name: 'Send a test notification to ops-hook' }).click();
    await settings.locator('[data-testid="test-result-ops-hook"]', { hasText: /^ok, \d+ ms$/ }).waitFor();
    expect(sink.requests.length).toBe(before + 1);
    expect(JSON.stringify(sink.requests.at(-1))).toContain('Test notification from Vigil');
    await screenshot(settings, '10-settings');

    const { page: phone, w: wp } = await open('#/overview', { width: 390, height: 844 });
    await phone.locator('[data-testid=series-count]').waitFor();
    const overflow = Number(
      await phone.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'),
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(phone, '11-overview-phone');

    // Two series stacked, dark theme, shared cursor, y axis fitted to the band.
    const { page: dark, w: wd } = await open(`#/series?ids=${checkoutId},${evilId}&range=1h`);
    await dark.locator('[data-testid=theme-toggle]').click(); // auto → light
    await dark.locator('[data-testid=theme-toggle]').click(); // light → dark
    expect(await dark.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    const charts = dark.locator('figure.chart');
    await expect.poll(() => charts.count()).toBe(2);
    await expect
      .poll(async () => Number(await charts.nth(0).getAttribute('data-points')))
      .toBe(checkoutPoints);
    await expect
      .poll(async () => Number(await charts.nth(1).getAttribute('data-points')))
      .toBeGreaterThanOrEqual(200);
    const first = await charts.nth(0).locator('.u-over').boundingBox();
    expect(first).not.toBeNull();
    if (first) await dark.mouse.move(first.x + first.width * 0.6, first.y + first.height / 2);
    const cursors = await dark
      .locator('.u-cursor-x')
      .evaluateAll((els) =>
        els.map((e) => (e as unknown as { style: { transform: string } }).style.transform),
      );
    expect(cursors).toHaveLength(2);
    expect(cursors[0]).not.toBe('');
    expect(cursors[1]).toBe(cursors[0]);
    // Fit the y axis to the expected band: the band becomes visible, spikes are clipped.
    await dark.locator('[data-testid=y-mode]').click();
    expect(await dark.locator('[data-testid=y-mode]').getAttribute('aria-pressed')).toBe('true');
    expect(dark.url()).toContain('y=band');
    await dark.waitForTimeout(300);
    await screenshot(dark, '12-series-stacked-dark-band');

    for (const w of [ws, wp, wd]) expect(w.errors).toEqual([]);
    await Promise.all([settings.close(), phone.close(), dark.close()]);
  });

  it('keeps a 10,000-point chart smooth while points stream in', async () => {
    const BULK = { service: 'bulk', endpoint: 'GET:/bulk' };
    const items = warmupItems(BULK, 10_000, Date.now() - 20_000, 5000, 200);
    for (let i = 0; i < items.length; i += 5000) {
      expect((await postJson(`${server.url}/api/batch`, { metrics: items.slice(i, i + 5000) })).status).toBe(
        202,
      );
    }
    const id = (await until(async () => (await getJson(`${server.url}/api/series?service=bulk`)).items[0]))
      .id;
    const t0 = Date.now();
    const { page, w } = await open(`#/series?ids=${id}&range=24h`);
    const chart = page.locator('figure.chart');
    await expect
      .poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 15_000 })
      .toBe(10_000);
    const loadMs = Date.now() - t0;
    // Dense view: the chart draws an M4 decimation (≤ 4 samples per pixel column), not all 10k.
    const drawnCount = Number(await chart.getAttribute('data-drawn'));
    const plotWidth = Number(
      await page.locator('.u-over').evaluate((e) => (e as unknown as { clientWidth: number }).clientWidth),
    );
    expect(drawnCount).toBeGreaterThan(0);
    expect(drawnCount).toBeLessThanOrEqual(4 * plotWidth + 2);
    console.log(`10k-point chart draws ${drawnCount} samples over ${plotWidth} px columns`);
    await page.evaluate(`(() => {
      window.__long = [];
      new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); }).observe({ type: 'longtask' });
      window.__frames = [];
      window.__sampling = true;
      const f = (t) => { window.__frames.push(t); if (window.__sampling) requestAnimationFrame(f); };
      requestAnimationFrame(f);
    })()`);
    const over = await page.locator('.u-over').boundingBox();
    for (let i = 0; i < 30; i++) {
      const item = warmupItems(BULK, 1, Date.now() + 5000, 5000, 200)[0];
      expect((await postJson(`${server.url}/api/batch`, { metrics: [item] })).status).toBe(202);
      if (over) await page.mouse.move(over.x + (over.width * (i + 1)) / 31, over.y + over.height / 2);
      await new Promise((r) => setTimeout(r, 60));
    }
    await expect
      .poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 10_000 })
      .toBe(10_030);
    const stats = (await page.evaluate(`(() => {
      window.__sampling = false;
      const f = window.__frames;
      const gaps = f.slice(1).map((t, i) => t - f[i]).sort((a, b) => a - b);
      const redraws = performance.getEntriesByName('vigil-chart-redraw').map((e) => e.duration).sort((a, b) => a - b);
      return { redraws: redraws.length, redrawP50: redraws[Math.floor(redraws.length / 2)] ?? 0,
        redrawP95: redraws[Math.floor(redraws.length * 0.95)] ?? 0,
        longest: Math.max(0, ...window.__long), longTasks: window.__long.length, frames: f.length,
        p95: gaps[Math.floor(gaps.length * 0.95)] ?? 0, worst: gaps[gaps.length - 1] ?? 0 };
    })()`)) as {
      redraws: number;
      redrawP50: number;
      redrawP95: number;
      longest: number;
      longTasks: number;
      frames: number;
      p95: number;
      worst: number;
    };
    console.log(
      `10k-point chart: loaded in ${loadMs} ms; while streaming 30 points + hovering: ${stats.frames} frames, ` +
        `p95 frame gap ${stats.p95.toFixed(1)} ms, worst ${stats.worst.toFixed(1)} ms, ` +
        `${stats.longTasks} long tasks, longest ${stats.longest.toFixed(0)} ms; ` +
        `${stats.redraws} chart redraws, p50 ${stats.redrawP50.toFixed(1)} ms, p95 ${stats.redrawP95.toFixed(1)} ms`,
    );
    expect(loadMs).toBeLessThan(5000);
    // Smooth: 95 % of frame gaps at most 4 vsyncs (67 ms, 15+ fps) while points stream in and the
    // cursor moves; bounds are generous because the machine is shared (2 cores, heavy load).
    expect(stats.p95).toBeLessThanOrEqual(67);
    expect(stats.worst).toBeLessThan(500);
    expect(w.errors).toEqual([]);
    await screenshot(page, '13-series-10k-points');

    // Drag to zoom: the range becomes fixed (live paused), lands in the URL and is refetched.
    if (over) {
      await page.mouse.move(over.x + over.width * 0.7, over.y + over.height / 2);
      await page.mouse.down();
      await page.mouse.move(over.x + over.width * 0.8, over.y + over.height / 2, { steps: 5 });
      await page.mouse.up();
    }
    await expect
      .poll(() => page.locator('[data-testid=live-toggle]').getAttribute('aria-pressed'))
      .toBe('false');
    const zoomed = new URLSearchParams(page.url().split('?')[1]);
    expect(zoomed.has('range')).toBe(false);
    const span = Number(zoomed.get('to')) - Number(zoomed.get('from'));
    expect(span).toBeGreaterThan(0.05 * 86_400_000);
    expect(span).toBeLessThan(0.15 * 86_400_000);
    await expect.poll(async () => Number(await chart.getAttribute('data-points'))).toBeLessThan(10_030);
    // Keyboard: focus the chart and pan back a quarter of the span.
    await chart.focus();
    await page.keyboard.press('ArrowLeft');
    await expect
      .poll(() => Number(new URLSearchParams(page.url().split('?')[1]).get('from')))
      .toBeLessThan(Number(zoomed.get('from')));
    await page.close();
  }, 60_000);

  it('shows reconnecting when the server goes away and backfills after it returns', async () => {
    const { page } = await open('#/anomalies?service=reconnect');
    await page.locator('[data-testid=anomalies] .empty').waitFor();
    const { port, dataDir, configFile } = server;
    await server.stop();
    await page.locator('[data-testid=conn][data-state=reconnecting]').waitFor({ timeout: 10_000 });
    server = await startServer({ port, dataDir, configFile });
    session.server = server;
    // A series warmed up and spiked right after the restart (so this test does not depend on
    // detector state surviving the restart): the page learns about its anomalies live or
    // through the REST backfill it runs after reconnecting.
    const KEY = { service: 'reconnect', endpoint: 'GET:/r' };
    expect(
      (await postJson(`${server.url}/api/batch`, { metrics: warmupItems(KEY, 200, Date.now() - 10_000) }))
        .status,
    ).toBe(202);
    const id = (
      await until(async () => (await getJson(`${server.url}/api/series?service=reconnect`)).items[0])
    ).id;
    const { anomalies } = await spikeUntilAnomaly(server.url, KEY, id, SPIKE, Date.now());
    await page.locator('[data-testid=conn][data-state=live]').waitFor({ timeout: 20_000 });
    for (const a of anomalies) {
      await page
        .locator(`[data-testid=anomalies] tr[data-anomaly-id="${a.id}"]`)
        .waitFor({ timeout: 15_000 });
    }
    expect(await page.locator('[data-testid=anomalies] tr[data-anomaly-id]').count()).toBeGreaterThanOrEqual(
      anomalies.length,
    );
    await page.close();
  }, 60_000);
});
