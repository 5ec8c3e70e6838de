/**
 * Alerts list with filters (status, severity, service, time) and inline acknowledge /
 * resolve. Alert events on the live feed refetch the current page (debounced).
 */
import { alertActions } from '../components/alert-actions.js';
import { anyOf, RANGE_OPTIONS, rangeStart, SEVERITY_OPTIONS } from '../components/filters.js';
import { mountListPage } from '../components/list-page.js';
import { dataTable } from '../components/table.js';
import { sevBadge, statusBadge } from '../components/widgets.js';
import { type Alert, api } from '../lib/api.js';
import { h } from '../lib/dom.js';
import { fmtAgo, fmtNum, fmtTime, seriesName } from '../lib/format.js';
import { href } from '../lib/router.js';
import { Disposer, type MountPage } from './page.js';

export const mountAlerts: MountPage = (root, ctx) => {
  const d = new Disposer();
  mountListPage(root, ctx, d, {
    title: 'Alerts',
    filters: [
      { key: 'status', label: 'Status', options: anyOf(['firing', 'acknowledged', 'resolved']) },
      { key: 'severity', label: 'Severity', options: SEVERITY_OPTIONS },
      { key: 'service', label: 'Service' },
      { key: 'range', label: 'Time', options: RANGE_OPTIONS },
    ],
    testid: 'alerts',
    empty: 'No alerts match these filters.',
    fetch: (f, page) =>
      api.alerts({
        status: f.status,
        severity: f.severity,
        service: f.service,
        from: rangeStart(f.range),
        ...page,
      }),
    render: (items, list) => {
      const now = Date.now();
      const ago = (t: number) => h('time', { title: fmtTime(t) }, fmtAgo(t, now));
      return dataTable<Alert>(items, {
        rowAttrs: (a) => ({ 'data-alert-id': a.id, 'data-status': a.status }),
        columns: [
          { title: 'Severity', cell: (a) => sevBadge(a.severity) },
          { title: 'Status', cell: (a) => statusBadge(a.status) },
          { title: 'Alert', cell: (a) => h('a', { href: href(['alerts', a.id]) }, a.summary || a.id) },
          {
            title: 'Series',
            cell: (a) =>
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
          },
          { title: 'Started', cell: (a) => ago(a.startsAt) },
          { title: 'Last anomaly', cell: (a) => ago(a.lastAnomalyAt) },
          { title: 'Count', class: 'num', cell: (a) => fmtNum(a.anomalyCount) },
          { title: 'Actions', cell: (a) => alertActions(a, () => void list.load()) },
        ],
      });
    },
    reloadOn: (m) => m.type === 'alert',
  });
  return { unmount: () => d.dispose() };
};
