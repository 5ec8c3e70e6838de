/**
 * One alert: its fields and actions (acknowledge with an optional expiry, resolve, "Silence…"
 * prefilled with its service and metric, "Not an anomaly…"), its incident, the timeline of
 * transitions, the anomalies behind it, the feedback given on it and its series chart around
 * the alert's time span. Refetched on its live events.
 */
import { alertActions } from '../components/alert-actions.js';
import { createSeriesChart, type SeriesChart } from '../components/chart.js';
import { feedbackButton, feedbackPanel } from '../components/feedback.js';
import { reloadOnLive } from '../components/load.js';
import { openSilenceDialog } from '../components/silence-form.js';
import { emptyState } from '../components/table.js';
import { errorBox, factList, panel, seriesAtHref, sevBadge, statusBadge } from '../components/widgets.js';
import { type Alert, type AlertEvent, type Anomaly, api } from '../lib/api.js';
import { h, replace } from '../lib/dom.js';
import { fmtDuration, fmtNum, fmtPct, fmtTime, seriesName } from '../lib/format.js';
import { href } from '../lib/router.js';
import { Disposer, type MountPage } from './page.js';

export const mountAlert: MountPage = (root, { route, live }) => {
  const d = new Disposer();
  const id = route.path[1] ?? '';
  const head = h('div', { 'data-testid': 'alert-detail' });
  const timeline = h('ol', { class: 'timeline', 'data-testid': 'timeline' });
  const anomaliesBody = h('div');
  const feedback = feedbackPanel({ alertId: id });
  const notice = h('p', { class: 'notice', role: 'status', 'data-testid': 'alert-notice', hidden: true });
  const chartNote = h('p', { class: 'muted' });
  let chart: SeriesChart | null = null;
  let chartSeries = '';
  const chartBox = h('div');

  replace(
    root,
    h('p', null, h('a', { href: href(['alerts']) }, '← Alerts')),
    head,
    notice,
    panel('Series', chartNote, chartBox),
    h('div', { class: 'two-col' }, panel('Timeline', timeline), panel('Anomalies', anomaliesBody)),
    panel('Feedback (not an anomaly)', feedback.el),
  );

  function say(text: string): void {
    notice.textContent = text;
    notice.hidden = false;
  }

  function renderHead(a: Alert): void {
    replace(
      head,
      h('h1', null, a.summary || `Alert ${a.id}`),
      h(
        'p',
        { class: 'badges' },
        sevBadge(a.severity),
        ' ',
        statusBadge(a.status),
        ' ',
        alertActions(a, () => void load()),
        h(
          'span',
          { class: 'actions' },
          h(
            'button',
            {
              type: 'button',
              class: 'btn',
              'data-action': 'silence',
              onclick: () =>
                openSilenceDialog(
                  [
                    { name: 'service', value: a.service, isRegex: false, isEqual: true },
                    { name: 'metric', value: a.metric, isRegex: false, isEqual: true },
                  ],
                  (sil) =>
                    say(
                      `Silence created until ${fmtTime(sil.endsAt)}: notifications of matching alerts are muted. See Silences.`,
                    ),
                  h('p', { class: 'muted' }, `Mutes notifications of alerts matching: ${a.summary}`),
                ),
            },
            'Silence…',
          ),
          feedbackButton({ kind: 'alerts', id: a.id, label: a.summary || a.id }, (f) => {
            say(
              f.scope === 'series'
                ? `Recorded: not an anomaly for this series until ${fmtTime(f.expiresAt)}.`
                : 'Recorded: these points are not anomalies.',
            );
            feedback.add(f);
            void load();
          }),
        ),
      ),
      factList([
        ['Series', h('a', { href: href(['series'], { ids: a.seriesId }) }, seriesName(a))],
        [
          'Incident',
          a.incidentId
            ? h(
                'a',
                { href: href(['incidents', a.incidentId]), 'data-testid': 'incident-link' },
                a.incidentId,
              )
            : '—',
        ],
        ['Type', a.type.replace('_', ' ')],
        ['Started', fmtTime(a.startsAt)],
        ['Last anomaly', fmtTime(a.lastAnomalyAt)],
        ['Resolved', fmtTime(a.resolvedAt)],
        ['Anomalies', fmtNum(a.anomalyCount)],
        ['Max score', fmtNum(a.maxScore)],
        [
          'Acknowledged',
          a.acknowledgedAt === null
            ? '—'
            : `${fmtTime(a.acknowledgedAt)}${a.acknowledgedBy ? ` by ${a.acknowledgedBy}` : ''}`,
        ],
        a.ackExpiresAt !== null && a.ackExpiresAt !== undefined
          ? [
              'Acknowledged until',
              h(
                'span',
                { 'data-testid': 'ack-expires' },
                fmtTime(a.ackExpiresAt),
                a.status === 'acknowledged' && a.ackExpiresAt > Date.now()
                  ? ` (in ${fmtDuration((a.ackExpiresAt - Date.now()) / 1000)}; then it fires again if still open)`
                  : '',
              ),
            ]
          : null,
        ['Resolved by', a.resolvedBy ?? '—'],
        ['Note', a.note ?? '—'],
        ['Id', a.id],
      ]),
    );
  }

  function renderTimeline(events: readonly AlertEvent[]): void {
    replace(
      timeline,
      ...events.map((e) =>
        h(
          'li',
          { 'data-action': e.action },
          h('time', null, fmtTime(e.at)),
          ' ',
          h('strong', null, e.action.replace('_', ' ')),
          ' → ',
          statusBadge(e.status),
          ' ',
          sevBadge(e.severity),
          e.by ? ` by ${e.by}` : '',
          e.note ? h('q', { class: 'note' }, e.note) : null,
        ),
      ),
    );
  }

  function renderAnomalies(list: readonly Anomaly[]): void {
    if (list.length === 0) {
      replace(anomaliesBody, emptyState('No anomalies recorded.'));
      return;
    }
    replace(
      anomaliesBody,
      h(
        'ul',
        { class: 'feed' },
        ...list.map((x) =>
          h(
            'li',
            { class: 'feed-item' },
            sevBadge(x.severity),
            h('a', { href: seriesAtHref(x), class: 'feed-series' }, fmtTime(x.t)),
            h(
              'span',
              { class: 'feed-meta' },
              `${x.type.replace('_', ' ')} · value ${fmtNum(x.value)} · expected ${fmtNum(x.expected)} · score ${fmtNum(x.score)} · conf ${fmtPct(x.confidence)}`,
            ),
            h('span', { class: 'feed-expl' }, x.explanation),
          ),
        ),
      ),
    );
  }

  async function loadChart(a: Alert, anomalies: readonly Anomaly[]): Promise<void> {
    const from = a.startsAt - 30 * 60_000;
    const to = (a.resolvedAt ?? Math.max(Date.now(), a.lastAnomalyAt)) + 5 * 60_000;
    if (!chart || chartSeries !== a.seriesId) {
      chart?.destroy();
      chart = createSeriesChart({ label: seriesName(a), syncKey: `alert-${a.id}`, marker: a.startsAt });
      chartSeries = a.seriesId;
      replace(chartBox, chart.el);
    }
    chart.setRange(from, to);
    const pts = await api.points(a.seriesId, { from, to, limit: 10_000 });
    chartNote.textContent = `${fmtTime(from)} – ${fmtTime(to)}; the dashed line marks the first anomaly.`;
    chart.setPoints(pts.points);
    chart.setAnomalies(anomalies);
  }

  async function load(): Promise<void> {
    try {
      const res = await api.alert(id);
      renderHead(res.alert);
      renderTimeline(res.history);
      renderAnomalies(res.anomalies);
      void feedback.load();
      await loadChart(res.alert, res.anomalies);
    } catch (err) {
      replace(head, h('h1', null, `Alert ${id}`), errorBox(err));
    }
  }

  reloadOnLive(
    d,
    live,
    load,
    (m) => (m.type === 'alert' && m.alert.id === id) || (m.type === 'anomaly' && m.anomaly.alertId === id),
  );
  d.add(() => chart?.destroy());
  void load();
  return { unmount: () => d.dispose() };
};
