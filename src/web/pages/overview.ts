/**
 * Overview: health of Vigil (ingest rate, series, store), open alerts by severity, the
 * per-service anomaly heat strip and the latest anomalies. Anomalies and alerts arrive
 * over the live feed; the figures in `/api/stats` are refetched every 5 s and after each
 * live event (debounced), and everything is refetched after a reconnect.
 */

import { SEVERITIES } from '../../model/types.js';
import { heatStrip } from '../components/heatstrip.js';
import { card, errorBox, seriesAtLink, sevBadge } from '../components/widgets.js';
import { type Anomaly, api, type Stats } from '../lib/api.js';
import { debounce, h, replace } from '../lib/dom.js';
import { fmtAgo, fmtDuration, fmtNum, fmtPct, fmtTime } from '../lib/format.js';
import { href } from '../lib/router.js';
import { Disposer, type MountPage } from './page.js';

const LATEST = 25;

export const mountOverview: MountPage = (root, { live }) => {
  const d = new Disposer();
  const health = h('section', { class: 'cards', 'aria-label': 'Vigil health', 'data-testid': 'health' });
  const alerts = h('section', { class: 'panel', 'aria-labelledby': 'ov-alerts' });
  const heat = h('div', { 'data-testid': 'heat' });
  const list = h('ol', { class: 'feed', 'data-testid': 'latest-anomalies' });
  let latest: Anomaly[] = [];

  replace(
    root,
    h('h1', null, 'Overview'),
    health,
    alerts,
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'ov-heat' },
      h('h2', { id: 'ov-heat' }, 'Anomaly rate per service, last 6 h'),
      heat,
    ),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'ov-latest' },
      h(
        'h2',
        { id: 'ov-latest' },
        'Latest anomalies ',
        h('a', { href: href(['anomalies']), class: 'more' }, 'all →'),
      ),
      list,
    ),
  );

  function renderStats(s: Stats): void {
    replace(
      health,
      card('Ingest rate', `${fmtNum(s.ingest.ratePerSec)} pts/s`, {
        sub: s.ingest.requests === undefined ? 'points per second' : `${fmtNum(s.ingest.requests)} requests`,
        testid: 'ingest-rate',
      }),
      card('Points since start', fmtNum(s.ingest.pointsAccepted), {
        sub: `${fmtNum(s.ingest.pointsRejected)} rejected`,
        testid: 'points',
        bad: s.ingest.pointsRejected > 0 && s.ingest.pointsRejected > s.ingest.pointsAccepted,
      }),
      card('Series', fmtNum(s.seriesCount), { sub: 'in the catalog', testid: 'series-count' }),
      card('Store', s.store.ok ? 'OK' : 'Unavailable', {
        sub: `${s.store.detail} · ${fmtNum(s.store.latencyMs)} ms`,
        testid: 'store',
        bad: !s.store.ok,
      }),
      card('Vigil', `v${s.version}`, { sub: `up ${fmtDuration(s.uptimeS)}`, testid: 'uptime' }),
    );
    const total = SEVERITIES.reduce((n, sev) => n + (s.alertsOpen[sev] ?? 0), 0);
    replace(
      alerts,
      h(
        'h2',
        { id: 'ov-alerts' },
        `Open alerts: ${total} `,
        h('a', { href: href(['alerts'], { status: 'firing' }), class: 'more' }, 'all →'),
      ),
      h(
        'ul',
        { class: 'sev-counts', 'data-testid': 'open-alerts' },
        ...SEVERITIES.map((sev) =>
          h(
            'li',
            null,
            h(
              'a',
              {
                href: href(['alerts'], { status: 'firing', severity: sev }),
                class: `sev-count sev-${sev}`,
                'data-severity': sev,
              },
              h('span', { class: 'n' }, String(s.alertsOpen[sev] ?? 0)),
              h('span', null, sev),
            ),
          ),
        ),
      ),
    );
    const keepScroll = heat.firstElementChild?.scrollLeft;
    replace(heat, heatStrip(s.anomalyRatePerService));
    // Newest buckets are on the right: keep them in view on narrow screens.
    const scroller = heat.firstElementChild;
    if (scroller)
      scroller.scrollLeft = keepScroll !== undefined && keepScroll > 0 ? keepScroll : scroller.scrollWidth;
  }

  function renderLatest(): void {
    if (latest.length === 0) {
      replace(list, h('li', { class: 'empty' }, 'No anomalies yet.'));
      return;
    }
    const now = Date.now();
    replace(
      list,
      ...latest.map((a) =>
        h(
          'li',
          { class: 'feed-item', 'data-anomaly-id': a.id },
          sevBadge(a.severity),
          h('span', { class: 'feed-series' }, seriesAtLink(a)),
          h(
            'span',
            { class: 'feed-meta' },
            `${a.type.replace('_', ' ')} · score ${fmtNum(a.score)} · conf ${fmtPct(a.confidence)} · `,
            h('time', { datetime: new Date(a.t).toISOString(), title: fmtTime(a.t) }, fmtAgo(a.t, now)),
          ),
          h('span', { class: 'feed-expl' }, a.explanation),
        ),
      ),
    );
  }

  let statsError = false;
  const loadStats = () =>
    api.stats().then(
      (s) => {
        statsError = false;
        renderStats(s);
      },
      (err: unknown) => {
        if (!statsError) replace(health, errorBox(err));
        statsError = true;
      },
    );
  const loadLatest = () =>
    api.anomalies({ limit: LATEST }).then(
      (p) => {
        latest = [...p.items];
        renderLatest();
      },
      (err: unknown) => replace(list, h('li', null, errorBox(err))),
    );

  const statsSoon = debounce(() => void loadStats(), 750);
  d.add(() => statsSoon.cancel());
  d.add(
    live.onMessage((m) => {
      if (m.type === 'anomaly') {
        if (!latest.some((a) => a.id === m.anomaly.id)) {
          latest = [m.anomaly, ...latest].sort((a, b) => b.t - a.t).slice(0, LATEST);
          renderLatest();
        }
        statsSoon();
      } else if (m.type === 'alert') statsSoon();
    }),
  );
  d.add(
    live.onResync(() => {
      void loadStats();
      void loadLatest();
    }),
  );
  const timer = setInterval(() => {
    void loadStats();
    renderLatest();
  }, 5000);
  d.add(() => clearInterval(timer));
  void loadStats();
  void loadLatest();
  return { unmount: () => d.dispose() };
};
