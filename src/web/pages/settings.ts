/**
 * Settings (read-only): the effective configuration from `GET /config` (secrets already
 * redacted by the server), the webhook receivers with their last delivery and the maintenance
 * windows (schedule, time zone, matchers, active now or next occurrence).
 */
import { errorBox } from '../components/widgets.js';
import { api, type MaintenanceWindow, type Receiver } from '../lib/api.js';
import { type Child, h, replace } from '../lib/dom.js';
import { fmtDuration, fmtTime } from '../lib/format.js';
import { href } from '../lib/router.js';
import { Disposer, type MountPage } from './page.js';

export const mountSettings: MountPage = (root) => {
  const d = new Disposer();
  const config = h('div', { 'data-testid': 'config' }, h('p', { class: 'muted' }, 'Loading…'));
  const receivers = h('div', { 'data-testid': 'receivers' }, h('p', { class: 'muted' }, 'Loading…'));
  const maintenance = h('div', { 'data-testid': 'maintenance' }, h('p', { class: 'muted' }, 'Loading…'));
  replace(
    root,
    h('h1', null, 'Settings'),
    h(
      'p',
      { class: 'muted' },
      'Read-only. Change the configuration file or VIGIL_* environment variables and restart Vigil.',
    ),
    h('section', { class: 'panel' }, h('h2', null, 'Webhook receivers'), receivers),
    h(
      'section',
      { class: 'panel' },
      h('h2', null, 'Maintenance windows'),
      h(
        'p',
        { class: 'muted' },
        'While a window is active, matching alerts are muted and matching series are scored without being learned from.',
      ),
      maintenance,
    ),
    h('section', { class: 'panel' }, h('h2', null, 'Effective configuration'), config),
  );
  api.config().then(
    (c) => replace(config, tree(c)),
    (err: unknown) => replace(config, errorBox(err)),
  );
  api.receivers().then(
    (r) => {
      replace(receivers, receiverTable(r.items), ...r.items.map((x) => recentDeliveries(x.name)));
    },
    (err: unknown) => replace(receivers, errorBox(err)),
  );
  api.maintenance().then(
    (r) => replace(maintenance, maintenanceTable(r.items)),
    (err: unknown) => replace(maintenance, errorBox(err)),
  );
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
  const body = h('div', null, h('p', { class: 'muted' }, 'Loading…'));
  api.deliveries({ receiver: name, limit: 10 }).then(
    (r) =>
      replace(
        body,
        r.items.length === 0
          ? h('p', { class: 'empty' }, 'No deliveries yet.')
          : h(
              'div',
              { class: 'table-scroll' },
              h(
                'table',
                { class: 'list' },
                h(
                  'thead',
                  null,
                  h(
                    'tr',
                    null,
                    ...['Created', 'Alert', 'Version', 'Status', 'Attempts', 'Last error'].map((t) =>
                      h('th', { scope: 'col' }, t),
                    ),
                  ),
                ),
                h(
                  'tbody',
                  null,
                  ...r.items.map((x) =>
                    h(
                      'tr',
                      null,
                      h('td', null, fmtTime(x.createdAt)),
                      h('td', null, h('a', { href: href(['alerts', x.alertId]) }, x.alertId)),
                      h('td', { class: 'num' }, String(x.alertVersion)),
                      h('td', null, h('span', { class: `status status-${x.status}` }, x.status)),
                      h('td', { class: 'num' }, String(x.attempts)),
                      h('td', null, x.lastError ?? '—'),
                    ),
                  ),
                ),
              ),
            ),
      ),
    (err: unknown) => replace(body, errorBox(err)),
  );
  return h(
    'details',
    { class: 'deliveries', 'data-receiver': name },
    h('summary', null, `Last deliveries of ${name}`),
    body,
  );
}

function receiverTable(items: readonly Receiver[]): HTMLElement {
  if (items.length === 0) return h('p', { class: 'empty' }, 'No receivers configured.');
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'list' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ...['Name', 'Type', 'URL', 'Last delivery', 'Attempts', 'Error'].map((t) =>
            h('th', { scope: 'col' }, t),
          ),
        ),
      ),
      h(
        'tbody',
        null,
        ...items.map((r) => {
          const dl = r.lastDelivery;
          return h(
            'tr',
            null,
            h('td', null, r.name),
            h('td', null, r.type),
            h('td', null, h('code', null, r.url)),
            h(
              'td',
              null,
              dl
                ? [
                    h('span', { class: `status status-${dl.status}` }, dl.status),
                    ` ${fmtTime(dl.lastAttemptAt ?? dl.createdAt)}`,
                  ]
                : 'never',
            ),
            h('td', { class: 'num' }, dl ? String(dl.attempts) : '—'),
            h('td', null, dl?.lastError ?? '—'),
          );
        }),
      ),
    ),
  );
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
  if (items.length === 0) return h('p', { class: 'empty' }, 'No maintenance windows.');
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'list' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ...['Name', 'Schedule', 'Time zone', 'Matchers', 'Now / next (your time)', 'Source', 'Comment'].map(
            (t) => h('th', { scope: 'col' }, t),
          ),
        ),
      ),
      h(
        'tbody',
        null,
        ...items.map((w) =>
          h(
            'tr',
            { 'data-window': w.name, 'data-active': String(w.active) },
            h('td', null, w.name),
            h('td', null, scheduleText(w)),
            h('td', null, w.timeZone),
            h(
              'td',
              null,
              w.matchers.length === 0
                ? h('span', { class: 'muted' }, 'every series')
                : h('ul', { class: 'matchers' }, ...w.matchers.map((m) => h('li', null, h('code', null, m)))),
            ),
            h(
              'td',
              null,
              w.active
                ? [
                    h('span', { class: 'status status-active' }, 'active'),
                    ` until ${fmtTime(w.occurrence.end)}`,
                  ]
                : `next ${fmtTime(w.occurrence.start)} – ${fmtTime(w.occurrence.end)}`,
            ),
            h('td', null, w.source),
            h('td', { class: 'expl' }, w.comment || '—'),
          ),
        ),
      ),
    ),
  );
}
