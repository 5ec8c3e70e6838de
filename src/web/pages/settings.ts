/**
 * Settings (read-only): the effective configuration from `GET /config` (secrets already
 * redacted by the server) and the webhook receivers with their last delivery.
 */
import { errorBox } from '../components/widgets.js';
import { api, type Receiver } from '../lib/api.js';
import { type Child, h, replace } from '../lib/dom.js';
import { fmtTime } from '../lib/format.js';
import { href } from '../lib/router.js';
import { Disposer, type MountPage } from './page.js';

export const mountSettings: MountPage = (root) => {
  const d = new Disposer();
  const config = h('div', { 'data-testid': 'config' }, h('p', { class: 'muted' }, 'Loading…'));
  const receivers = h('div', { 'data-testid': 'receivers' }, h('p', { class: 'muted' }, 'Loading…'));
  replace(
    root,
    h('h1', null, 'Settings'),
    h(
      'p',
      { class: 'muted' },
      'Read-only. Change the configuration file or VIGIL_* environment variables and restart Vigil.',
    ),
    h('section', { class: 'panel' }, h('h2', null, 'Webhook receivers'), receivers),
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
