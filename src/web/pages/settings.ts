/**
 * Settings (read-only): the effective configuration from `GET /config` (secrets already
 * redacted by the server), the receivers with their last delivery and a "Send test" button
 * each, and the maintenance windows (schedule, time zone, matchers, active now or next
 * occurrence).
 */
import { loadInto, loading } from '../components/load.js';
import { dataTable } from '../components/table.js';
import { panel, rowAction } from '../components/widgets.js';
import { api, type Delivery, type MaintenanceWindow, type Receiver } from '../lib/api.js';
import { type Child, h, replace } from '../lib/dom.js';
import { fmtDuration, fmtTime } from '../lib/format.js';
import { href } from '../lib/router.js';
import { Disposer, type MountPage } from './page.js';

export const mountSettings: MountPage = (root) => {
  const d = new Disposer();
  const config = h('div', { 'data-testid': 'config' }, loading());
  const receivers = h('div', { 'data-testid': 'receivers' }, loading());
  const maintenance = h('div', { 'data-testid': 'maintenance' }, loading());
  replace(
    root,
    h('h1', null, 'Settings'),
    h(
      'p',
      { class: 'muted' },
      'Read-only. Change the configuration file or VIGIL_* environment variables and restart Vigil.',
    ),
    panel('Receivers', receivers),
    panel(
      'Maintenance windows',
      h(
        'p',
        { class: 'muted' },
        'While a window is active, matching alerts are muted and matching series are scored without being learned from.',
      ),
      maintenance,
    ),
    panel('Effective configuration', config),
  );
  loadInto(config, api.config(), tree);
  loadInto(receivers, api.receivers(), (r) => [
    receiverTable(r.items),
    ...r.items.map((x) => recentDeliveries(x.name)),
  ]);
  loadInto(maintenance, api.maintenance(), (r) => maintenanceTable(r.items));
  return { unmount: () => d.dispose() };
};

/** Renders a JSON value as nested definition lists. */
function tree(v: unknown): Child {
  if (v === null || typeof v !== 'object')
    return h('code', { class: `json-${v === null ? 'null' : typeof v}` }, JSON.stringify(v));
  const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
  if (entries.length === 0) return h('code', null, Array.isArray(v) ? '[]' : '{}');
  return h('dl', { class: 'tree' }, ...entries.map(([k, x]) => [h('dt', null, k), h('dd', null, tree(x))]));
}

/** The last deliveries of receiver `name`, loaded into a collapsible section. */
function recentDeliveries(name: string): HTMLElement {
  const body = h('div', null, loading());
  loadInto(body, api.deliveries({ receiver: name, limit: 10 }), (r) =>
    dataTable<Delivery>(r.items, {
      empty: 'No deliveries yet.',
      columns: [
        { title: 'Created', cell: (x) => fmtTime(x.createdAt) },
        { title: 'Alert', cell: (x) => h('a', { href: href(['alerts', x.alertId]) }, x.alertId) },
        { title: 'Version', class: 'num', cell: (x) => String(x.alertVersion) },
        { title: 'Status', cell: (x) => deliveryStatus(x.status) },
        { title: 'Attempts', class: 'num', cell: (x) => String(x.attempts) },
        { title: 'Last error', cell: (x) => x.lastError ?? '—' },
      ],
    }),
  );
  return h(
    'details',
    { class: 'deliveries', 'data-receiver': name },
    h('summary', null, `Last deliveries of ${name}`),
    body,
  );
}

/** A delivery's status badge (`pending`, `delivered`, `failed`). */
const deliveryStatus = (status: Delivery['status']) =>
  h('span', { class: `status status-${status}` }, status);

function receiverTable(items: readonly Receiver[]): HTMLElement {
  return dataTable(items, {
    empty: 'No receivers configured.',
    columns: [
      { title: 'Name', cell: (r) => r.name },
      { title: 'Type', cell: (r) => r.type },
      { title: 'URL', cell: (r) => h('code', null, r.url) },
      {
        title: 'Last delivery',
        cell: ({ lastDelivery: dl }) =>
          dl ? [deliveryStatus(dl.status), ` ${fmtTime(dl.lastAttemptAt ?? dl.createdAt)}`] : 'never',
      },
      {
        title: 'Attempts',
        class: 'num',
        cell: (r) => (r.lastDelivery ? String(r.lastDelivery.attempts) : '—'),
      },
      { title: 'Error', cell: (r) => r.lastDelivery?.lastError ?? '—' },
      { title: 'Test', cell: (r) => testButton(r.name) },
    ],
  });
}

/** "Send test": one test notification to receiver `name`, its outcome shown beside the button. */
function testButton(name: string): HTMLElement {
  const result = h('span', { class: 'test-result', role: 'status', 'data-testid': `test-result-${name}` });
  const button: HTMLButtonElement = rowAction({
    text: 'Send test',
    action: 'test-receiver',
    label: `Send a test notification to ${name}`,
    errors: result,
    run: () => api.testReceiver(name),
    done: (r) => {
      button.disabled = false;
      replace(
        result,
        r.status === 'ok'
          ? h('span', { class: 'status status-delivered' }, `ok, ${r.durationMs} ms`)
          : h('span', { class: 'status status-failed' }, `failed: ${r.error ?? 'unknown error'}`),
      );
    },
  });
  return h('span', { class: 'test-receiver' }, button, ' ', result);
}

const DAY_TEXT: Readonly<Record<string, string>> = {
  sun: 'Sun',
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
};

/** A window's schedule in words: `Sat, Sun 02:00–04:00` per weekly range, or `cron 0 2 * * 6 for 2h 0m`. */
export function scheduleText(w: Pick<MaintenanceWindow, 'weekly' | 'cron' | 'durationMs'>): string {
  if (w.weekly && w.weekly.length > 0) {
    return w.weekly
      .map(
        (r) =>
          `${r.days.map((x) => DAY_TEXT[x] ?? x).join(', ')} ${r.start}–${r.end}${r.end <= r.start ? ' (next day)' : ''}`,
      )
      .join('; ');
  }
  if (w.cron !== undefined) {
    return `cron ${w.cron}${w.durationMs === undefined ? '' : ` for ${fmtDuration(w.durationMs / 1000)}`}`;
  }
  return '—';
}

function maintenanceTable(items: readonly MaintenanceWindow[]): HTMLElement {
  return dataTable(items, {
    empty: 'No maintenance windows.',
    rowAttrs: (w) => ({ 'data-window': w.name, 'data-active': String(w.active) }),
    columns: [
      { title: 'Name', cell: (w) => w.name },
      { title: 'Schedule', cell: scheduleText },
      { title: 'Time zone', cell: (w) => w.timeZone },
      {
        title: 'Matchers',
        cell: (w) =>
          w.matchers.length === 0
            ? h('span', { class: 'muted' }, 'every series')
            : h('ul', { class: 'matchers' }, ...w.matchers.map((m) => h('li', null, h('code', null, m)))),
      },
      {
        title: 'Now / next (your time)',
        cell: (w) =>
          w.active
            ? [h('span', { class: 'status status-active' }, 'active'), ` until ${fmtTime(w.occurrence.end)}`]
            : `next ${fmtTime(w.occurrence.start)} – ${fmtTime(w.occurrence.end)}`,
      },
      { title: 'Source', cell: (w) => w.source },
      { title: 'Comment', class: 'expl', cell: (w) => w.comment || '—' },
    ],
  });
}
