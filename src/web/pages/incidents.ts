/**
 * Incidents list (alerts that fire together on one service or call chain) with filters
 * (status, service): severity, title, services, blast radius, start and status. Incident events
 * on the live feed (a new version of any incident) refetch the current page (debounced).
 */
import { anyOf } from '../components/filters.js';
import { mountListPage } from '../components/list-page.js';
import { dataTable } from '../components/table.js';
import { sevBadge, statusBadge } from '../components/widgets.js';
import { api, type Incident } from '../lib/api.js';
import { h } from '../lib/dom.js';
import { fmtAgo, fmtTime } from '../lib/format.js';
import { href } from '../lib/router.js';
import { Disposer, type MountPage } from './page.js';

export const mountIncidents: MountPage = (root, ctx) => {
  const d = new Disposer();
  mountListPage(root, ctx, d, {
    title: 'Incidents',
    intro:
      'Alerts that fire together on one service, or on services that call each other, grouped with their blast radius.',
    filters: [
      { key: 'status', label: 'Status', options: anyOf(['open', 'resolved']) },
      { key: 'service', label: 'Service' },
    ],
    testid: 'incidents',
    empty: 'No incidents match these filters.',
    fetch: (f, page) => api.incidents({ status: f.status, service: f.service, ...page }),
    render: (items) => {
      const now = Date.now();
      return dataTable<Incident>(items, {
        rowAttrs: (x) => ({ 'data-incident-id': x.id, 'data-status': x.status }),
        columns: [
          { title: 'Severity', cell: (x) => sevBadge(x.severity) },
          { title: 'Incident', cell: (x) => h('a', { href: href(['incidents', x.id]) }, x.title || x.id) },
          { title: 'Services', cell: (x) => x.blastRadius.services.join(', ') },
          { title: 'Blast radius', class: 'expl', cell: (x) => x.blastRadius.summary },
          {
            title: 'Started',
            cell: (x) => h('time', { title: fmtTime(x.startedAt) }, fmtAgo(x.startedAt, now)),
          },
          { title: 'Status', cell: (x) => statusBadge(x.status) },
        ],
      });
    },
    reloadOn: (m) => m.type === 'incident',
  });
  return { unmount: () => d.dispose() };
};
