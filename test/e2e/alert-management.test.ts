/**
 * End-to-end tests of the alert-management pages (Incidents, Silences, Reports, maintenance
 * windows in Settings, and on the alert page: acknowledge with expiry, "Silence…", "Not an
 * anomaly…") against the real server (child process) in Chromium. A webhook receiver pointing
 * at a local capture server is configured: silences need one. Every page opened is checked for
 * console errors and CSP violations. Screenshots go to artifacts/screenshots/.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHROMIUM,
  type DashboardSession,
  expectClean,
  getJson,
  postJson,
  type ServerProcess,
  screenshot,
  spikeUntilAnomaly,
  startDashboardSession,
  until,
  warmupItems,
} from './harness.js';

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`e2e alert-management tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

const BILLING = { service: 'billing', endpoint: 'POST:/invoice' };
const ORDERS = { service: 'orders', endpoint: 'GET:/orders' };
const SPIKE = 100_000;
const HOUR = 3600_000;

async function deleteJson(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { method: 'DELETE' });
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : JSON.parse(text) };
}

describe.skipIf(!hasChromium)('alert management (e2e, real server, Chromium)', () => {
  let session: DashboardSession;
  let server: ServerProcess;
  let billingId = '';
  let ordersId = '';

  let open: DashboardSession['open'];

  /** Warms a series up and returns its id. */
  async function warm(key: { service: string; endpoint: string }, end: number): Promise<string> {
    const res = await postJson(`${server.url}/api/batch`, { metrics: warmupItems(key, 200, end) });
    expect(res.status).toBe(202);
    return (
      await until(
        async () =>
          (
            await getJson(`${server.url}/api/series?service=${key.service}&metric=response_time`)
          ).items[0],
        10_000,
        `series of ${key.service}`,
      )
    ).id;
  }

  /** The open alert of `service`, spiking its series until there is one. */
  async function firingAlert(key: { service: string; endpoint: string }, seriesId: string): Promise<any> {
    const firing = async () =>
      (await getJson(`${server.url}/api/alerts?status=firing&service=${key.service}`)).items[0];
    if (!(await firing())) await spikeUntilAnomaly(server.url, key, seriesId, SPIKE, Date.now());
    return until(firing, 10_000, `a firing alert on ${key.service}`);
  }

  beforeAll(async () => {
    session = await startDashboardSession((sinkUrl) => ({
      security: { allowPrivateReceivers: true },
      alerting: {
        receivers: [{ name: 'capture', type: 'webhook', url: `${sinkUrl}/hook` }],
        maintenance: [
          {
            name: 'weekly-deploy',
            matchers: ['service="nowhere"'],
            timeZone: 'Europe/Berlin',
            weekly: [{ days: ['sat'], start: '02:00', end: '04:00' }],
            comment: 'deploys of nowhere',
          },
        ],
      },
    }));
    ({ server, open } = session);
    const now = Date.now();
    billingId = await warm(BILLING, now - 60_000);
    ordersId = await warm(ORDERS, now - 60_000);
  }, 60_000);

  afterAll(async () => {
    await session?.close();
  });

  it('creates a silence on the Silences page, lists it as active, shows API errors, and expires it', async () => {
    const { page, w } = await open('#/silences');
    const form = page.locator('[data-testid=silence-form]');
    await form.waitFor();
    await page.locator('[data-testid=silences] p.empty').waitFor();

    // An invalid regex: the API's 400 message is shown and nothing is created.
    const row = form.locator('.matcher-row').first();
    await row.locator('input[name=matcher-name]').fill('service');
    await row.locator('select[name=matcher-op]').selectOption('=~');
    await row.locator('input[name=matcher-value]').fill('(billing');
    await form.locator('button[type=submit]').click();
    const error = form.locator('[data-testid=silence-error]');
    await error.waitFor();
    expect(await error.textContent()).toContain('invalid regex');
    // Chromium logs the failed request itself; that one is expected.
    expect(w.errors).toEqual([
      'Failed to load resource: the server responded with a status of 400 (Bad Request)',
    ]);
    w.errors.length = 0;
    expect((await getJson(`${server.url}/api/silences`)).items).toEqual([]);

    // A valid one: two matchers, 4 h, a comment.
    await row.locator('select[name=matcher-op]').selectOption('=');
    await row.locator('input[name=matcher-value]').fill('billing');
    await form.locator('[data-testid=add-matcher]').click();
    const second = form.locator('.matcher-row').nth(1);
    // "+ Add matcher" moves the focus to the new row's label field.
    expect(
      await page.evaluate(
        "document.activeElement === document.querySelectorAll('[data-testid=silence-form] input[name=matcher-name]')[1]",
      ),
    ).toBe(true);
    await second.locator('input[name=matcher-name]').fill('metric');
    await second.locator('select[name=matcher-op]').selectOption('!~');
    await second.locator('input[name=matcher-value]').fill('cpu.*');
    await form.getByLabel('4 h').check();
    await form.locator('input[name=by]').fill('e2e-bot');
    await form.locator('textarea[name=comment]').fill('planned <b>migration</b>');
    await form.locator('button[type=submit]').click();
    const listed = page.locator('[data-testid=silences] tr[data-silence-id]');
    await listed.first().waitFor();
    expect(await listed.count()).toBe(1);
    const tr = listed.first();
    expect(await tr.getAttribute('data-state')).toBe('active');
    const text = (await tr.textContent()) ?? '';
    expect(text).toContain('service="billing"');
    expect(text).toContain('metric!~"cpu.*"');
    expect(text).toContain('e2e-bot');
    expect(text).toContain('planned <b>migration</b>');
    expect(await tr.locator('[data-testid=ends-in]').textContent()).toMatch(/^in (3h 59m|4h 0m)$/);
    expect(await error.isVisible()).toBe(false);
    const api = (await getJson(`${server.url}/api/silences`)).items;
    expect(api).toHaveLength(1);
    expect(api[0].state).toBe('active');
    expect(api[0].createdBy).toBe('e2e-bot');
    expect(api[0].matchers).toEqual([
      { name: 'service', value: 'billing', isRegex: false, isEqual: true },
      { name: 'metric', value: 'cpu.*', isRegex: true, isEqual: false },
    ]);
    expect(api[0].endsAt - api[0].startsAt).toBeGreaterThan(4 * HOUR - 60_000);
    expect(api[0].endsAt - api[0].startsAt).toBeLessThanOrEqual(4 * HOUR + 60_000);
    // The form was cleared for the next one.
    expect(await form.locator('.matcher-row').count()).toBe(1);
    await screenshot(page, '30-silences');

    // Expire it.
    await tr.locator('button[data-action=expire]').click();
    await page
      .locator(`[data-testid=silences] tr[data-silence-id="${api[0].id}"][data-state=expired]`)
      .waitFor();
    expect((await getJson(`${server.url}/api/silences`)).items[0].state).toBe('expired');
    expect(await page.locator('[data-testid=silences] button[data-action=expire]').count()).toBe(0);

    // A silence someone else creates (here through the API) appears without a reload, from the
    // live feed's silence event (the page's own poll is every 30 s).
    const other = await postJson(`${server.url}/api/silences`, {
      matchers: [{ name: 'service', value: 'elsewhere', isRegex: false, isEqual: true }],
      endsAt: Date.now() + HOUR,
      createdBy: 'bob',
    });
    expect(other.status).toBe(201);
    await page
      .locator(`[data-testid=silences] tr[data-silence-id="${other.body.silence.id}"][data-state=active]`)
      .waitFor({ timeout: 5000 });
    expect((await deleteJson(`${server.url}/api/silences/${other.body.silence.id}`)).status).toBe(200);
    await expectClean(page, w);
    await page.close();
  }, 60_000);

  it('acknowledges with an expiry, silences and marks "not an anomaly" (series) from the alert page', async () => {
    const alert = await firingAlert(BILLING, billingId);
    const { page, w } = await open(`#/alerts/${encodeURIComponent(alert.id)}`);
    const detail = page.locator('[data-testid=alert-detail]');
    await detail.locator('button[data-action=acknowledge]').click();
    const dialog = page.locator('dialog[open]');
    await dialog.locator('select[name=expires]').selectOption({ label: '1 h' });
    await dialog.locator('textarea[name=note]').fill('on it for an hour');
    await dialog.locator('button[type=submit]').click();
    await dialog.waitFor({ state: 'detached' });
    const expires = detail.locator('[data-testid=ack-expires]');
    await expires.waitFor();
    const acked = (await getJson(`${server.url}/api/alerts/${encodeURIComponent(alert.id)}`)).alert;
    expect(acked.status).toBe('acknowledged');
    expect(acked.ackExpiresAt).toBeGreaterThan(Date.now() + HOUR - 120_000);
    expect(acked.ackExpiresAt).toBeLessThanOrEqual(Date.now() + HOUR);
    expect(await expires.textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(in (59m \d+s|1h 0m);/);

    // "Silence…" opens the form prefilled with the alert's service and metric.
    await detail.locator('button[data-action=silence]').click();
    const sd = page.locator('dialog[open][data-testid=silence-dialog]');
    await sd.waitFor();
    expect(
      await sd.locator('input[name=matcher-name]').evaluateAll((els) => els.map((e) => (e as any).value)),
    ).toEqual(['service', 'metric']);
    expect(
      await sd.locator('input[name=matcher-value]').evaluateAll((els) => els.map((e) => (e as any).value)),
    ).toEqual(['billing', 'response_time']);
    await sd.getByLabel('1 d').check();
    await sd.locator('textarea[name=comment]').fill('from the alert page');
    await screenshot(page, '31-alert-silence-dialog');
    await sd.locator('button[type=submit]').click();
    await sd.waitFor({ state: 'detached' });
    await page.locator('[data-testid=alert-notice]', { hasText: 'Silence created' }).waitFor();
    const silences = (await getJson(`${server.url}/api/silences`)).items.filter(
      (s: any) => s.comment === 'from the alert page',
    );
    expect(silences).toHaveLength(1);
    expect(silences[0].state).toBe('active');
    expect(silences[0].matchers).toEqual([
      { name: 'service', value: 'billing', isRegex: false, isEqual: true },
      { name: 'metric', value: 'response_time', isRegex: false, isEqual: true },
    ]);
    expect(await deleteJson(`${server.url}/api/silences/${silences[0].id}`)).toMatchObject({ status: 200 });

    // "Not an anomaly…" for the whole series: the alert resolves and the feedback is listed.
    await page.locator('[data-testid=feedback] p.empty').waitFor();
    await detail.locator('button[data-action=feedback]').click();
    const fd = page.locator('dialog[open][data-testid=feedback-dialog]');
    await fd.waitFor();
    // A reason is required (the browser's own check keeps the dialog open).
    await fd.locator('button[type=submit]').click();
    expect(await fd.isVisible()).toBe(true);
    await fd.getByLabel('The whole series').check();
    await fd.locator('input[name=days]').fill('3');
    await fd.locator('textarea[name=reason]').fill('batch job, expected <load>');
    await screenshot(page, '32-alert-feedback-dialog');
    await fd.locator('button[type=submit]').click();
    await fd.waitFor({ state: 'detached' });
    const resolved = await until(
      async () => {
        const r = await getJson(`${server.url}/api/alerts/${encodeURIComponent(alert.id)}`);
        return r.alert.status === 'resolved' ? r.alert : null;
      },
      10_000,
      'the alert resolved by series feedback',
    );
    expect(resolved.status).toBe('resolved');
    const fb = (await getJson(`${server.url}/api/feedback?alertId=${encodeURIComponent(alert.id)}`)).items;
    expect(fb).toHaveLength(1);
    expect(fb[0].scope).toBe('series');
    expect(fb[0].reason).toBe('batch job, expected <load>');
    expect(fb[0].expiresAt - fb[0].createdAt).toBe(3 * 86_400_000);
    const fbRow = page.locator(`[data-testid=feedback] tr[data-feedback-id="${fb[0].id}"]`);
    await fbRow.waitFor();
    expect(await fbRow.getAttribute('data-state')).toBe('in-force');
    expect(await fbRow.textContent()).toContain('batch job, expected <load>');
    await page.locator('[data-testid=alert-detail] .status-resolved').waitFor();
    await screenshot(page, '33-alert-feedback');

    // Revoke it.
    await fbRow.locator('button[data-action=revoke]').click();
    await page
      .locator(`[data-testid=feedback] tr[data-feedback-id="${fb[0].id}"][data-state=revoked]`)
      .waitFor();
    // The list endpoint catches up with the revocation a moment after the DELETE answered.
    const revoked = await until(async () => {
      const items = (await getJson(`${server.url}/api/feedback?alertId=${encodeURIComponent(alert.id)}`))
        .items;
      return items[0]?.revokedAt ? items[0] : null;
    });
    expect(revoked.revokedBy).toBe('anonymous');
    await expectClean(page, w);
    await page.close();
  }, 60_000);

  it('lists an incident opened by anomalous data, with its blast radius, alerts and timeline', async () => {
    const alert = await firingAlert(ORDERS, ordersId);
    const incident = await until(
      async () => (await getJson(`${server.url}/api/incidents?service=orders`)).items[0],
      10_000,
      'an incident on orders',
    );
    expect(incident.alerts.map((m: any) => m.alertId)).toContain(alert.id);

    const { page, w } = await open('#/incidents?status=open');
    const row = page.locator(`[data-testid=incidents] tr[data-incident-id="${incident.id}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('open');
    const rowText = (await row.textContent()) ?? '';
    expect(rowText).toContain('orders');
    expect(rowText).toContain(incident.blastRadius.summary);
    expect(await row.locator('.sev').textContent()).toBe(incident.severity);
    expect(await page.locator('header nav a[aria-current=page]').textContent()).toBe('Incidents');
    await screenshot(page, '34-incidents');

    await row.locator('a').first().click();
    await page.waitForURL(/#\/incidents\/inc-/);
    const timeline = page.locator('[data-testid=incident-timeline] li[data-action]');
    await timeline.first().waitFor();
    expect(await timeline.count()).toBe(incident.timeline.length);
    expect(await timeline.first().textContent()).toContain(incident.timeline[0].text);
    expect(await page.locator('[data-testid=blast-summary]').textContent()).toBe(
      incident.blastRadius.summary,
    );
    const member = page.locator(`[data-testid=incident-alerts] tr[data-alert-id="${alert.id}"] a`);
    expect(await member.getAttribute('href')).toBe(`#/alerts/${encodeURIComponent(alert.id)}`);
    await screenshot(page, '35-incident');

    // The alert page links back to its incident.
    await member.click();
    const link = page.locator('[data-testid=incident-link]');
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(`#/incidents/${encodeURIComponent(incident.id)}`);
    await expectClean(page, w);
    await page.close();
  }, 60_000);

  it('renders reports, maintenance windows and every new page without console errors or CSP violations, at phone width and in dark mode', async () => {
    // Reports: the last 7 days count the alerts above and the "not an anomaly" feedback.
    const { page: reports, w: wr } = await open('#/reports');
    const totals = reports.locator('[data-testid=report-totals]');
    await totals.waitFor();
    expect(await reports.locator('[data-range="7d"]').getAttribute('aria-pressed')).toBe('true');
    const report = await getJson(`${server.url}/api/reports/alert-quality`);
    expect(await totals.locator('[data-testid=q-alerts] .card-value').textContent()).toBe(
      String(report.total.alerts),
    );
    expect(report.total.alerts).toBeGreaterThanOrEqual(1);
    const noisy = reports.locator('[data-testid=noisiest-series] tbody tr');
    await noisy.first().waitFor();
    expect(await noisy.count()).toBe(report.noisiestSeries.length);
    const href = await noisy.first().locator('a').getAttribute('href');
    expect(href).toContain(`ids=${report.noisiestSeries[0].seriesId}`);
    await reports.locator('[data-range="24h"]').click();
    await expect.poll(() => reports.url()).toContain('range=24h');
    expect(await reports.locator('[data-range="24h"]').getAttribute('aria-pressed')).toBe('true');
    await reports.locator('[data-range="30d"]').click();
    await expect.poll(() => reports.url()).toContain('range=30d');
    await totals.waitFor();
    await screenshot(reports, '36-reports');

    // Settings: the configured maintenance window.
    const { page: settings, w: ws } = await open('#/settings');
    const win = settings.locator('[data-testid=maintenance] tr[data-window="weekly-deploy"]');
    await win.waitFor();
    const winText = (await win.textContent()) ?? '';
    expect(winText).toContain('Sat 02:00–04:00');
    expect(winText).toContain('Europe/Berlin');
    expect(winText).toContain('service="nowhere"');
    expect(winText).toMatch(/next \d{4}-|active/);
    await screenshot(settings, '37-settings-maintenance');

    // Phone width, dark theme: no horizontal overflow of the page on the new pages.
    const incidents = (await getJson(`${server.url}/api/incidents`)).items;
    for (const [hash, shot] of [
      ['#/silences', '38-silences-phone-dark'],
      ['#/incidents', '39-incidents-phone-dark'],
      [`#/incidents/${encodeURIComponent(incidents[0]?.id ?? 'none')}`, '40-incident-phone-dark'],
      ['#/reports', '41-reports-phone-dark'],
    ] as const) {
      const { page, w } = await open(hash, { width: 390, height: 844 });
      await page.locator('[data-testid=theme-toggle]').click(); // auto → light
      await page.locator('[data-testid=theme-toggle]').click(); // light → dark
      expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
      await page.locator('main h1').waitFor();
      await page.waitForTimeout(300);
      const overflow = Number(
        await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'),
      );
      expect(overflow, hash).toBeLessThanOrEqual(0);
      await screenshot(page, shot);
      await expectClean(page, w);
      await page.close();
    }

    // "Not an anomaly" on one anomaly of the anomalies list (point scope).
    const { page: anomalies, w: wa } = await open(`#/anomalies?seriesId=${ordersId}`);
    const first = anomalies.locator('[data-testid=anomalies] tr[data-anomaly-id]').first();
    await first.waitFor();
    const anomalyId = await first.getAttribute('data-anomaly-id');
    await first.locator('button[data-action=feedback]').click();
    const fd = anomalies.locator('dialog[open][data-testid=feedback-dialog]');
    await fd.locator('textarea[name=reason]').fill('known load test');
    await fd.locator('button[type=submit]').click();
    await fd.waitFor({ state: 'detached' });
    await anomalies.locator('main .notice', { hasText: 'is not an anomaly' }).waitFor();
    const pointFb = await until(
      async () =>
        (await getJson(`${server.url}/api/feedback?anomalyId=${encodeURIComponent(anomalyId ?? '')}`))
          .items[0],
    );
    expect(pointFb.scope).toBe('point');
    expect(pointFb.expiresAt).toBeNull();
    await expectClean(anomalies, wa);
    await anomalies.close();

    // Keyboard: the silence form is reachable and usable with the keyboard alone.
    const { page: kb, w: wk } = await open('#/silences');
    await kb.locator('[data-testid=silence-form] input[name=matcher-name]').focus();
    await kb.keyboard.type('service');
    await kb.keyboard.press('Tab'); // op
    await kb.keyboard.press('Tab'); // value
    await kb.keyboard.type('keyboard');
    const before = (await getJson(`${server.url}/api/silences`)).items.length;
    await kb.keyboard.press('Enter');
    await until(async () => (await getJson(`${server.url}/api/silences`)).items.length === before + 1);
    await kb.locator('[data-testid=silences] tr[data-state=active]', { hasText: 'keyboard' }).waitFor();
    await expectClean(kb, wk);

    for (const [p, w] of [
      [reports, wr],
      [settings, ws],
    ] as const)
      await expectClean(p, w);
    // Every page these tests opened stayed clean.
    for (const o of session.opened) expect(o.w.errors, o.hash).toEqual([]);
    await Promise.all([reports.close(), settings.close(), kb.close()]);
  }, 60_000);
});
