/**
 * Alerts list with filters (status, severity, service, time) and inline acknowledge /
 * resolve. Alert events on the live feed refetch the current page (debounced).
 */
import { alertActions } from '../components/alert-actions.js';
import { errorBox, pager, select, sevBadge, statusBadge, textInput } from '../components/widgets.js';
import { type Alert, api } from '../lib/api.js';
import { debounce, h, replace } from '../lib/dom.js';
import { fmtAgo, fmtNum, fmtTime, RANGES, seriesName } from '../lib/format.js';
import { href, replaceQuery } from '../lib/router.js';
import { Disposer, type MountPage } from './page.js';

const LIMIT = 50;
const SEV_OPTIONS = [
  ['', 'any'],
  ['critical', 'critical'],
  ['high', 'high'],
  ['medium', 'medium'],
  ['low', 'low'],
  ['info', 'info'],
] as const;
const RANGE_OPTIONS = [
  ['', 'any time'],
  ...Object.keys(RANGES).map((r) => [r, `last ${r}`] as const),
] as const;

export const mountAlerts: MountPage = (root, { route, live }) => {
  const d = new Disposer();
  const q = route.query;
  const f = {
    status: q.get('status') ?? '',
    severity: q.get('severity') ?? '',
    service: q.get('service') ?? '',
    range: q.get('range') ?? '',
    offset: Math.max(0, Number(q.get('offset') ?? 0) || 0),
  };
  const body = h('div', { 'data-testid': 'alerts' });
  const changed = () => {
    replaceQuery({ ...f, offset: f.offset || undefined });
    void load();
  };
  const serviceSoon = debounce(changed, 250);
  d.add(() => serviceSoon.cancel());

  replace(
    root,
    h('h1', null, 'Alerts'),
    h(
      'form',
      { class: 'filters', role: 'search', onsubmit: (ev) => ev.preventDefault() },
      select(
        'Status',
        f.status,
        [
          ['', 'any'],
          ['firing', 'firing'],
          ['acknowledged', 'acknowledged'],
          ['resolved', 'resolved'],
        ],
        (v) => {
          f.status = v;
          f.offset = 0;
          changed();
        },
      ),
      select('Severity', f.severity, SEV_OPTIONS, (v) => {
        f.severity = v;
        f.offset = 0;
        changed();
      }),
      textInput('Service', f.service, (v) => {
        f.service = v;
        f.offset = 0;
        serviceSoon();
      }),
      select('Time', f.range, RANGE_OPTIONS, (v) => {
        f.range = v;
        f.offset = 0;
        changed();
      }),
    ),
    body,
  );

  let seq = 0;
  async function load(): Promise<void> {
    const mine = ++seq;
    try {
      const page = await api.alerts({
        status: f.status,
        severity: f.severity,
        service: f.service,
        from: f.range && RANGES[f.range] ? Date.now() - (RANGES[f.range] as number) : undefined,
        limit: LIMIT,
        offset: f.offset,
      });
      if (mine !== seq) return;
      render(page.items, page.total);
    } catch (err) {
      if (mine === seq) replace(body, errorBox(err));
    }
  }

  function render(items: readonly Alert[], total: number): void {
    if (items.length === 0) {
      replace(body, h('p', { class: 'empty' }, 'No alerts match these filters.'));
      return;
    }
    const now = Date.now();
    replace(
      body,
      h(
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
              ...['Severity', 'Status', 'Alert', 'Series', 'Started', 'Last anomaly', 'Count', 'Actions'].map(
                (t) => h('th', { scope: 'col' }, t),
              ),
            ),
          ),
          h(
            'tbody',
            null,
            ...items.map((a) =>
              h(
                'tr',
                { 'data-alert-id': a.id, 'data-status': a.status },
                h('td', null, sevBadge(a.severity)),
                h('td', null, statusBadge(a.status)),
                h('td', null, h('a', { href: href(['alerts', a.id]) }, a.summary || a.id)),
                h(
                  'td',
                  null,
                  h(
                    'a',
                    {
                      href: href(['series'], {
                        ids: a.seriesId,
                        from: a.startsAt - 30 * 60_000,
                        to: (a.resolvedAt ?? now) + 5 * 60_000,
                      }),
                    },
                    seriesName(a),
                  ),
                ),
                h('td', null, h('time', { title: fmtTime(a.startsAt) }, fmtAgo(a.startsAt, now))),
                h('td', null, h('time', { title: fmtTime(a.lastAnomalyAt) }, fmtAgo(a.lastAnomalyAt, now))),
                h('td', { class: 'num' }, fmtNum(a.anomalyCount)),
                h(
                  'td',
                  null,
                  alertActions(a, () => void load()),
                ),
              ),
            ),
          ),
        ),
      ),
      pager(total, f.offset, LIMIT, (o) => {
        f.offset = o;
        changed();
      }),
    );
  }

  const loadSoon = debounce(() => void load(), 300);
  d.add(() => loadSoon.cancel());
  d.add(live.onMessage((m) => m.type === 'alert' && loadSoon()));
  d.add(live.onResync(() => void load()));
  void load();
  return { unmount: () => d.dispose() };
};
