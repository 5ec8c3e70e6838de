/**
 * Anomalies list with filters (service, severity, type, time): type, score, confidence,
 * explanation, a link to the series at that moment and "Not an anomaly…" per row. New
 * anomalies from the live feed are prepended when they match the filters and the first page
 * is shown.
 */
import { feedbackButton } from '../components/feedback.js';
import { anyOf, RANGE_OPTIONS, rangeStart, SEVERITY_OPTIONS } from '../components/filters.js';
import { LIST_LIMIT, mountListPage } from '../components/list-page.js';
import { dataTable } from '../components/table.js';
import { seriesAtHref, seriesAtLink, sevBadge } from '../components/widgets.js';
import { type Anomaly, api } from '../lib/api.js';
import { h } from '../lib/dom.js';
import { fmtNum, fmtPct, fmtTime } from '../lib/format.js';
import { href } from '../lib/router.js';
import { Disposer, type MountPage } from './page.js';

const TYPES = ['spike', 'drop', 'level_shift', 'trend_change', 'outlier', 'pattern_change'] as const;

export const mountAnomalies: MountPage = (root, ctx) => {
  const d = new Disposer();
  const notice = h('p', { class: 'notice', role: 'status', hidden: true });
  const say = (text: string) => {
    notice.textContent = text;
    notice.hidden = false;
  };

  const list = mountListPage(root, ctx, d, {
    title: 'Anomalies',
    filters: [
      { key: 'service', label: 'Service' },
      { key: 'severity', label: 'Severity', options: SEVERITY_OPTIONS },
      { key: 'type', label: 'Type', options: anyOf(TYPES, (t) => t.replace('_', ' ')) },
      { key: 'range', label: 'Time', options: RANGE_OPTIONS },
    ],
    // `seriesId` comes from links ("anomalies of this series"); the form only offers to drop it.
    keys: ['service', 'severity', 'type', 'range', 'seriesId'],
    formExtra: (f) =>
      f.seriesId
        ? h(
            'a',
            { href: href(['anomalies'], { ...f, seriesId: undefined, offset: undefined }), class: 'btn' },
            'All series ✕',
          )
        : null,
    before: notice,
    testid: 'anomalies',
    empty: 'No anomalies match these filters.',
    fetch: (f, page) =>
      api.anomalies({
        service: f.service,
        severity: f.severity,
        type: f.type,
        seriesId: f.seriesId,
        from: rangeStart(f.range),
        ...page,
      }),
    render: (items) =>
      dataTable<Anomaly>(items, {
        rowAttrs: (a) => ({ 'data-anomaly-id': a.id }),
        columns: [
          { title: 'Time', cell: (a) => h('a', { href: seriesAtHref(a) }, fmtTime(a.t)) },
          { title: 'Severity', cell: (a) => sevBadge(a.severity) },
          { title: 'Series', cell: (a) => seriesAtLink(a) },
          { title: 'Type', cell: (a) => a.type.replace('_', ' ') },
          { title: 'Value', class: 'num', cell: (a) => fmtNum(a.value) },
          {
            title: 'Expected',
            class: 'num',
            cell: (a) => `${fmtNum(a.expected)} (${fmtNum(a.lower)} … ${fmtNum(a.upper)})`,
          },
          { title: 'Score', class: 'num', cell: (a) => fmtNum(a.score) },
          { title: 'Confidence', class: 'num', cell: (a) => fmtPct(a.confidence) },
          {
            title: 'Explanation',
            class: 'expl',
            cell: (a) => [
              a.explanation,
              a.outOfDeclaredRange ? h('span', { class: 'tag' }, 'outside declared range') : null,
            ],
          },
          {
            title: 'Alert',
            cell: (a) => (a.alertId ? h('a', { href: href(['alerts', a.alertId]) }, 'alert') : '—'),
          },
          {
            title: 'Feedback',
            cell: (a) =>
              feedbackButton(
                { kind: 'anomalies', id: a.id, label: `${fmtTime(a.t)} · ${a.explanation}` },
                (fb) =>
                  say(
                    fb.scope === 'series'
                      ? `Recorded: not an anomaly for this series until ${fmtTime(fb.expiresAt)}.`
                      : `Recorded: the anomaly of ${fmtTime(a.t)} is not an anomaly.`,
                  ),
                true,
              ),
          },
        ],
      }),
  });

  /** Whether a live anomaly belongs in the list as filtered. */
  function matches(a: Anomaly): boolean {
    const f = list.filters;
    const from = rangeStart(f.range);
    return (
      (f.service === '' || a.service === f.service) &&
      (f.severity === '' || a.severity === f.severity) &&
      (f.type === '' || a.type === f.type) &&
      (f.seriesId === '' || a.seriesId === f.seriesId) &&
      (from === undefined || a.t >= from)
    );
  }

  d.add(
    ctx.live.onMessage((m) => {
      if (m.type !== 'anomaly' || list.offset !== 0 || !matches(m.anomaly)) return;
      if (list.items.some((a) => a.id === m.anomaly.id)) return;
      list.show([m.anomaly, ...list.items].sort((a, b) => b.t - a.t).slice(0, LIST_LIMIT), list.total + 1);
    }),
  );
  return { unmount: () => d.dispose() };
};
