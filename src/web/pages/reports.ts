/**
 * Alert-quality report for the last 24 h, 7 d or 30 d: totals (alerts, notifications sent and
 * failed, flap rate, quick auto-resolves, acknowledgements and time to acknowledge, false
 * positives), one row per receiver and the noisiest series (links to the series explorer).
 */
import { errorBox } from '../components/widgets.js';
import { type AlertQualityReport, api, type QualityFigures } from '../lib/api.js';
import { h, replace } from '../lib/dom.js';
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
  const body = h('div', { 'data-testid': 'report' }, h('p', { class: 'muted' }, 'Loading…'));
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

  let seq = 0;
  async function load(): Promise<void> {
    const mine = ++seq;
    const ms = PERIODS.find((p) => p[0] === period)?.[2] ?? 7 * 86_400_000;
    const to = Date.now();
    try {
      const r = await api.alertQuality({ from: to - ms, to });
      if (mine === seq) render(r);
    } catch (err) {
      if (mine === seq) replace(body, errorBox(err));
    }
  }

  function render(r: AlertQualityReport): void {
    const t = r.total;
    const card = (title: string, value: string, sub: string, testid: string, bad = false) =>
      h(
        'div',
        { class: bad ? 'card card-bad' : 'card', 'data-testid': testid },
        h('div', { class: 'card-title' }, title),
        h('div', { class: 'card-value' }, value),
        h('div', { class: 'card-sub' }, sub),
      );
    replace(
      body,
      h('p', { class: 'muted' }, `${fmtTime(r.from)} – ${fmtTime(r.to)}`),
      h(
        'section',
        { class: 'cards', 'aria-label': 'Totals', 'data-testid': 'report-totals' },
        card('Alerts', fmtNum(t.alerts), 'opened in the period', 'q-alerts'),
        card(
          'Notifications',
          fmtNum(t.notificationsSent),
          `${fmtNum(t.notificationsFailed)} failed`,
          'q-notifications',
          t.notificationsFailed > 0,
        ),
        card(
          'Flap rate',
          pct(t.flapRate),
          `reopened within ${fmtDuration(r.flapWindowMs / 1000)} of resolving`,
          'q-flap',
        ),
        card(
          'Quick auto-resolve',
          pct(t.quickAutoResolveShare),
          `resolved on their own within ${fmtDuration(r.quickResolveMs / 1000)}`,
          'q-quick',
        ),
        card(
          'Time to acknowledge',
          dur(t.timeToAckMedianMs),
          `median; p90 ${dur(t.timeToAckP90Ms)}; ${fmtNum(t.acknowledged)} acknowledged`,
          'q-ack',
        ),
        card('False positives', fmtNum(t.falsePositives), 'marked "not an anomaly"', 'q-fp'),
      ),
      h(
        'section',
        { class: 'panel' },
        h('h2', null, 'Per receiver'),
        r.receivers.length === 0
          ? h('p', { class: 'empty' }, 'No notifications in this period.')
          : table(
              'Receiver',
              r.receivers.map((x) => [x.receiver, x]),
              'receivers-quality',
            ),
      ),
      h(
        'section',
        { class: 'panel' },
        h('h2', null, 'Noisiest series'),
        r.noisiestSeries.length === 0
          ? h('p', { class: 'empty' }, 'No alerts in this period.')
          : table(
              'Series',
              r.noisiestSeries.map((x) => [
                h(
                  'a',
                  {
                    href: href(['series'], { ids: x.seriesId, from: r.from, to: r.to }),
                  },
                  [x.service, x.endpoint, x.metric].filter((p) => p !== '').join(' · '),
                ),
                x,
              ]),
              'noisiest-series',
            ),
      ),
    );
  }

  void load();
  return { unmount: () => d.dispose() };
};

function table(
  first: string,
  rows: readonly (readonly [Node | string, QualityFigures])[],
  testid: string,
): HTMLElement {
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'list', 'data-testid': testid },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { scope: 'col' }, first),
          ...COLUMNS.map(([t]) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h(
        'tbody',
        null,
        ...rows.map(([name, f]) =>
          h(
            'tr',
            null,
            h('th', { scope: 'row' }, name),
            ...COLUMNS.map(([, cell]) => h('td', { class: 'num' }, cell(f))),
          ),
        ),
      ),
    ),
  );
}
