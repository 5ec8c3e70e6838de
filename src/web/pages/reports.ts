/**
 * Alert-quality report for the last 24 h, 7 d or 30 d: totals (alerts, notifications sent and
 * failed, flap rate, quick auto-resolves, acknowledgements and time to acknowledge, false
 * positives), one row per receiver and the noisiest series (links to the series explorer).
 */
import { latest, loading } from '../components/load.js';
import { dataTable } from '../components/table.js';
import { card, errorBox, panel } from '../components/widgets.js';
import { type AlertQualityReport, api, type QualityFigures } from '../lib/api.js';
import { type Child, h, replace } from '../lib/dom.js';
import { fmtDuration, fmtNum, fmtPct, fmtTime } from '../lib/format.js';
import { href, replaceQuery } from '../lib/router.js';
import { Disposer, type MountPage } from './page.js';

const PERIODS = [
  ['24h', 'Last 24 h', 86_400_000],
  ['7d', 'Last 7 d', 7 * 86_400_000],
  ['30d', 'Last 30 d', 30 * 86_400_000],
] as const;

const pct = (r: number | null) => (r === null ? '—' : fmtPct(r));
const dur = (ms: number | null) => (ms === null ? '—' : fmtDuration(Math.round(ms / 1000)));

/** Column headers and cells of the per-receiver and per-series tables. */
const COLUMNS: readonly (readonly [string, (f: QualityFigures) => string])[] = [
  ['Alerts', (f) => fmtNum(f.alerts)],
  ['Sent', (f) => fmtNum(f.notificationsSent)],
  ['Failed', (f) => fmtNum(f.notificationsFailed)],
  ['Flap rate', (f) => pct(f.flapRate)],
  ['Quick auto-resolve', (f) => pct(f.quickAutoResolveShare)],
  ['Acknowledged', (f) => fmtNum(f.acknowledged)],
  ['Ack median', (f) => dur(f.timeToAckMedianMs)],
  ['Ack p90', (f) => dur(f.timeToAckP90Ms)],
  ['False positives', (f) => fmtNum(f.falsePositives)],
];

export const mountReports: MountPage = (root, { route }) => {
  const d = new Disposer();
  let period = PERIODS.find((p) => p[0] === route.query.get('range'))?.[0] ?? '7d';
  const body = h('div', { 'data-testid': 'report' }, loading());
  const buttons = PERIODS.map(([key, text]) =>
    h(
      'button',
      {
        type: 'button',
        class: 'btn',
        'data-range': key,
        'aria-pressed': String(key === period),
        onclick: () => {
          period = key;
          for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.range === key));
          replaceQuery({ range: key });
          void load();
        },
      },
      text,
    ),
  );

  replace(
    root,
    h('h1', null, 'Alert quality'),
    h(
      'p',
      { class: 'muted' },
      'How noisy alerting has been: flapping alerts, alerts that resolve on their own within minutes, time to acknowledge and alerts marked "not an anomaly".',
    ),
    h(
      'div',
      { class: 'toolbar' },
      h('div', { class: 'seg-group', role: 'group', 'aria-label': 'Period' }, ...buttons),
    ),
    body,
  );

  const load = latest(
    () => {
      const ms = PERIODS.find((p) => p[0] === period)?.[2] ?? 7 * 86_400_000;
      const to = Date.now();
      return api.alertQuality({ from: to - ms, to });
    },
    render,
    (err) => replace(body, errorBox(err)),
  );

  function render(r: AlertQualityReport): void {
    const t = r.total;
    replace(
      body,
      h('p', { class: 'muted' }, `${fmtTime(r.from)} – ${fmtTime(r.to)}`),
      h(
        'section',
        { class: 'cards', 'aria-label': 'Totals', 'data-testid': 'report-totals' },
        card('Alerts', fmtNum(t.alerts), { sub: 'opened in the period', testid: 'q-alerts' }),
        card('Notifications', fmtNum(t.notificationsSent), {
          sub: `${fmtNum(t.notificationsFailed)} failed`,
          testid: 'q-notifications',
          bad: t.notificationsFailed > 0,
        }),
        card('Flap rate', pct(t.flapRate), {
          sub: `reopened within ${fmtDuration(r.flapWindowMs / 1000)} of resolving`,
          testid: 'q-flap',
        }),
        card('Quick auto-resolve', pct(t.quickAutoResolveShare), {
          sub: `resolved on their own within ${fmtDuration(r.quickResolveMs / 1000)}`,
          testid: 'q-quick',
        }),
        card('Time to acknowledge', dur(t.timeToAckMedianMs), {
          sub: `median; p90 ${dur(t.timeToAckP90Ms)}; ${fmtNum(t.acknowledged)} acknowledged`,
          testid: 'q-ack',
        }),
        card('False positives', fmtNum(t.falsePositives), { sub: 'marked "not an anomaly"', testid: 'q-fp' }),
      ),
      panel(
        'Per receiver',
        figuresTable('Receiver', r.receivers, (x) => x.receiver, {
          testid: 'receivers-quality',
          empty: 'No notifications in this period.',
        }),
      ),
      panel(
        'Noisiest series',
        figuresTable(
          'Series',
          r.noisiestSeries,
          (x) =>
            h(
              'a',
              { href: href(['series'], { ids: x.seriesId, from: r.from, to: r.to }) },
              [x.service, x.endpoint, x.metric].filter((p) => p !== '').join(' · '),
            ),
          { testid: 'noisiest-series', empty: 'No alerts in this period.' },
        ),
      ),
    );
  }

  void load();
  return { unmount: () => d.dispose() };
};

/** A table of quality figures, one row per item headed by `name(item)` under the header `first`. */
function figuresTable<T extends QualityFigures>(
  first: string,
  items: readonly T[],
  name: (item: T) => Child,
  opts: { readonly testid: string; readonly empty: string },
): HTMLElement {
  return dataTable<T>(items, {
    ...opts,
    columns: [
      { title: first, rowHeader: true, cell: name },
      ...COLUMNS.map(([title, cell]) => ({ title, class: 'num', cell })),
    ],
  });
}
