/**
 * Anomalies list with filters (service, severity, type, time): type, score, confidence,
 * explanation, a link to the series at that moment and "Not an anomaly…" per row. New
 * anomalies from the live feed are prepended when they match the filters and the first page
 * is shown.
 */
import { feedbackButton } from '../components/feedback.js';
import {
  errorBox,
  pager,
  select,
  seriesAtHref,
  seriesAtLink,
  sevBadge,
  textInput,
} from '../components/widgets.js';
import { type Anomaly, api } from '../lib/api.js';
import { debounce, h, replace } from '../lib/dom.js';
import { fmtNum, fmtPct, fmtTime, RANGES } from '../lib/format.js';
import { href, replaceQuery } from '../lib/router.js';
import { Disposer, type MountPage } from './page.js';

const LIMIT = 50;
const TYPES = ['spike', 'drop', 'level_shift', 'trend_change', 'outlier', 'pattern_change'] as const;

export const mountAnomalies: MountPage = (root, { route, live }) => {
  const d = new Disposer();
  const q = route.query;
  const f = {
    service: q.get('service') ?? '',
    severity: q.get('severity') ?? '',
    type: q.get('type') ?? '',
    range: q.get('range') ?? '',
    seriesId: q.get('seriesId') ?? '',
    offset: Math.max(0, Number(q.get('offset') ?? 0) || 0),
  };
  let items: Anomaly[] = [];
  let total = 0;
  const body = h('div', { 'data-testid': 'anomalies' });
  const notice = h('p', { class: 'notice', role: 'status', hidden: true });
  const changed = () => {
    f.offset = 0;
    replaceQuery({ ...f, offset: undefined });
    void load();
  };
  const serviceSoon = debounce(changed, 250);
  d.add(() => serviceSoon.cancel());

  replace(
    root,
    h('h1', null, 'Anomalies'),
    h(
      'form',
      { class: 'filters', role: 'search', onsubmit: (ev) => ev.preventDefault() },
      textInput('Service', f.service, (v) => {
        f.service = v;
        serviceSoon();
      }),
      select(
        'Severity',
        f.severity,
        [['', 'any'], ...['critical', 'high', 'medium', 'low', 'info'].map((s) => [s, s] as const)],
        (v) => {
          f.severity = v;
          changed();
        },
      ),
      select('Type', f.type, [['', 'any'], ...TYPES.map((t) => [t, t.replace('_', ' ')] as const)], (v) => {
        f.type = v;
        changed();
      }),
      select(
        'Time',
        f.range,
        [['', 'any time'], ...Object.keys(RANGES).map((r) => [r, `last ${r}`] as const)],
        (v) => {
          f.range = v;
          changed();
        },
      ),
      f.seriesId
        ? h(
            'a',
            { href: href(['anomalies'], { ...f, seriesId: undefined, offset: undefined }), class: 'btn' },
            'All series ✕',
          )
        : null,
    ),
    notice,
    body,
  );

  const fromMs = () => (f.range && RANGES[f.range] ? Date.now() - (RANGES[f.range] as number) : undefined);

  let seq = 0;
  async function load(): Promise<void> {
    const mine = ++seq;
    try {
      const page = await api.anomalies({
        service: f.service,
        severity: f.severity,
        type: f.type,
        seriesId: f.seriesId,
        from: fromMs(),
        limit: LIMIT,
        offset: f.offset,
      });
      if (mine !== seq) return;
      items = [...page.items];
      total = page.total;
      render();
    } catch (err) {
      if (mine === seq) replace(body, errorBox(err));
    }
  }

  function matches(a: Anomaly): boolean {
    const from = fromMs();
    return (
      (f.service === '' || a.service === f.service) &&
      (f.severity === '' || a.severity === f.severity) &&
      (f.type === '' || a.type === f.type) &&
      (f.seriesId === '' || a.seriesId === f.seriesId) &&
      (from === undefined || a.t >= from)
    );
  }

  function render(): void {
    if (items.length === 0) {
      replace(body, h('p', { class: 'empty' }, 'No anomalies match these filters.'));
      return;
    }
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
              ...[
                'Time',
                'Severity',
                'Series',
                'Type',
                'Value',
                'Expected',
                'Score',
                'Confidence',
                'Explanation',
                'Alert',
                'Feedback',
              ].map((t) => h('th', { scope: 'col' }, t)),
            ),
          ),
          h(
            'tbody',
            null,
            ...items.map((a) =>
              h(
                'tr',
                { 'data-anomaly-id': a.id },
                h('td', null, h('a', { href: seriesAtHref(a) }, fmtTime(a.t))),
                h('td', null, sevBadge(a.severity)),
                h('td', null, seriesAtLink(a)),
                h('td', null, a.type.replace('_', ' ')),
                h('td', { class: 'num' }, fmtNum(a.value)),
                h('td', { class: 'num' }, `${fmtNum(a.expected)} (${fmtNum(a.lower)} … ${fmtNum(a.upper)})`),
                h('td', { class: 'num' }, fmtNum(a.score)),
                h('td', { class: 'num' }, fmtPct(a.confidence)),
                h(
                  'td',
                  { class: 'expl' },
                  a.explanation,
                  a.outOfDeclaredRange ? h('span', { class: 'tag' }, 'outside declared range') : null,
                ),
                h('td', null, a.alertId ? h('a', { href: href(['alerts', a.alertId]) }, 'alert') : '—'),
                h(
                  'td',
                  null,
                  feedbackButton(
                    { kind: 'anomalies', id: a.id, label: `${fmtTime(a.t)} · ${a.explanation}` },
                    (fb) => {
                      notice.textContent =
                        fb.scope === 'series'
                          ? `Recorded: not an anomaly for this series until ${fmtTime(fb.expiresAt)}.`
                          : `Recorded: the anomaly of ${fmtTime(a.t)} is not an anomaly.`;
                      notice.hidden = false;
                    },
                    true,
                  ),
                ),
              ),
            ),
          ),
        ),
      ),
      pager(total, f.offset, LIMIT, (o) => {
        f.offset = o;
        replaceQuery({ ...f, offset: o || undefined });
        void load();
      }),
    );
  }

  d.add(
    live.onMessage((m) => {
      if (m.type !== 'anomaly' || f.offset !== 0 || !matches(m.anomaly)) return;
      if (items.some((a) => a.id === m.anomaly.id)) return;
      items = [m.anomaly, ...items].sort((a, b) => b.t - a.t).slice(0, LIMIT);
      total += 1;
      render();
    }),
  );
  d.add(live.onResync(() => void load()));
  void load();
  return { unmount: () => d.dispose() };
};
