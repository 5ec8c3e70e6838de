/**
 * One incident: its blast radius (services, series, open alerts, since when), its member
 * alerts (links to each alert) and its timeline. Refetched when one of its alerts changes on
 * the live feed.
 */
import { reloadOnLive } from '../components/load.js';
import { dataTable } from '../components/table.js';
import { card, errorBox, factList, panel, sevBadge, statusBadge } from '../components/widgets.js';
import { api, type Incident, type IncidentMember } from '../lib/api.js';
import { h, replace } from '../lib/dom.js';
import { fmtAgo, fmtNum, fmtTime } from '../lib/format.js';
import { href } from '../lib/router.js';
import { Disposer, type MountPage } from './page.js';

export const mountIncident: MountPage = (root, { route, live }) => {
  const d = new Disposer();
  const id = route.path[1] ?? '';
  const head = h('div', { 'data-testid': 'incident-detail' });
  const members = h('div', { 'data-testid': 'incident-alerts' });
  const timeline = h('ol', { class: 'timeline', 'data-testid': 'incident-timeline' });
  let alertIds = new Set<string>();

  replace(
    root,
    h('p', null, h('a', { href: href(['incidents']) }, '← Incidents')),
    head,
    h('div', { class: 'two-col' }, panel('Alerts', members), panel('Timeline', timeline)),
  );

  function renderHead(x: Incident): void {
    const br = x.blastRadius;
    replace(
      head,
      h('h1', null, x.title || `Incident ${x.id}`),
      h('p', { class: 'badges' }, sevBadge(x.severity), ' ', statusBadge(x.status)),
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'blast-title' },
        h('h2', { id: 'blast-title' }, 'Blast radius'),
        h('p', { 'data-testid': 'blast-summary' }, br.summary),
        h(
          'div',
          { class: 'cards' },
          card('Services', fmtNum(br.services.length), { sub: br.services.join(', ') }),
          card('Series', fmtNum(br.series)),
          card('Open alerts', fmtNum(br.openAlerts), { bad: br.openAlerts > 0 }),
          card('Since', fmtAgo(br.since), { sub: fmtTime(br.since) }),
        ),
      ),
      factList([
        ['Started', fmtTime(x.startedAt)],
        ['Updated', fmtTime(x.updatedAt)],
        ['Resolved', fmtTime(x.resolvedAt)],
        ['Id', x.id],
      ]),
    );
  }

  function renderMembers(list: readonly IncidentMember[]): void {
    replace(
      members,
      dataTable(list, {
        empty: 'No alerts.',
        rowAttrs: (m) => ({ 'data-alert-id': m.alertId, 'data-status': m.status }),
        columns: [
          {
            title: 'Alert',
            cell: (m) =>
              h(
                'a',
                { href: href(['alerts', m.alertId]) },
                [m.service, m.endpoint, m.metric].filter((p) => p !== '').join(' · '),
              ),
          },
          { title: 'Severity', cell: (m) => sevBadge(m.severity) },
          { title: 'Status', cell: (m) => statusBadge(m.status) },
          { title: 'Since', cell: (m) => h('time', null, fmtTime(m.since)) },
          { title: 'Resolved', cell: (m) => h('time', null, fmtTime(m.resolvedAt)) },
        ],
      }),
    );
  }

  function renderTimeline(x: Incident): void {
    if (x.timeline.length === 0) {
      replace(timeline, h('li', { class: 'empty' }, 'Nothing yet.'));
      return;
    }
    replace(
      timeline,
      ...x.timeline.map((e) =>
        h(
          'li',
          { 'data-action': e.action },
          h('time', null, fmtTime(e.at)),
          ' ',
          h('strong', null, e.action.replaceAll('_', ' ')),
          ' ',
          e.text,
          e.alertId ? [' ', h('a', { href: href(['alerts', e.alertId]), class: 'more' }, 'alert')] : null,
        ),
      ),
    );
  }

  async function load(): Promise<void> {
    try {
      const res = await api.incident(id);
      alertIds = new Set(res.incident.alerts.map((m) => m.alertId));
      renderHead(res.incident);
      renderMembers(res.incident.alerts);
      renderTimeline(res.incident);
    } catch (err) {
      replace(head, h('h1', null, `Incident ${id}`), errorBox(err));
    }
  }

  // A new version of this incident (an alert joined, changed status or severity, it resolved),
  // or a change of one of its alerts (anomaly counts and scores are not incident versions).
  reloadOnLive(
    d,
    live,
    load,
    (m) =>
      (m.type === 'incident' && m.incident.id === id) || (m.type === 'alert' && alertIds.has(m.alert.id)),
  );
  void load();
  return { unmount: () => d.dispose() };
};
