/**
 * One incident: its blast radius (services, series, open alerts, since when), its member
 * alerts (links to each alert) and its timeline. Refetched when one of its alerts changes on
 * the live feed.
 */
import { errorBox, sevBadge, statusBadge } from '../components/widgets.js';
import { api, type Incident, type IncidentMember } from '../lib/api.js';
import { debounce, h, replace } from '../lib/dom.js';
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
    h(
      'div',
      { class: 'two-col' },
      h('section', { class: 'panel' }, h('h2', null, 'Alerts'), members),
      h('section', { class: 'panel' }, h('h2', null, 'Timeline'), timeline),
    ),
  );

  function renderHead(x: Incident): void {
    const row = (k: string, v: Node | string) => [h('dt', null, k), h('dd', null, v)];
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
          card('Services', fmtNum(br.services.length), br.services.join(', ')),
          card('Series', fmtNum(br.series)),
          card('Open alerts', fmtNum(br.openAlerts), undefined, br.openAlerts > 0),
          card('Since', fmtAgo(br.since), fmtTime(br.since)),
        ),
      ),
      h(
        'dl',
        { class: 'facts' },
        row('Started', fmtTime(x.startedAt)),
        row('Updated', fmtTime(x.updatedAt)),
        row('Resolved', fmtTime(x.resolvedAt)),
        row('Id', x.id),
      ),
    );
  }

  function renderMembers(list: readonly IncidentMember[]): void {
    if (list.length === 0) {
      replace(members, h('p', { class: 'empty' }, 'No alerts.'));
      return;
    }
    replace(
      members,
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
              ...['Alert', 'Severity', 'Status', 'Since', 'Resolved'].map((t) =>
                h('th', { scope: 'col' }, t),
              ),
            ),
          ),
          h(
            'tbody',
            null,
            ...list.map((m) =>
              h(
                'tr',
                { 'data-alert-id': m.alertId, 'data-status': m.status },
                h(
                  'td',
                  null,
                  h(
                    'a',
                    { href: href(['alerts', m.alertId]) },
                    [m.service, m.endpoint, m.metric].filter((p) => p !== '').join(' · '),
                  ),
                ),
                h('td', null, sevBadge(m.severity)),
                h('td', null, statusBadge(m.status)),
                h('td', null, h('time', null, fmtTime(m.since))),
                h('td', null, h('time', null, fmtTime(m.resolvedAt))),
              ),
            ),
          ),
        ),
      ),
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

  const loadSoon = debounce(() => void load(), 300);
  d.add(() => loadSoon.cancel());
  d.add(
    live.onMessage((m) => {
      // A new alert may join this incident too: refetch on any alert of the incident or a new one.
      if (m.type === 'alert' && (alertIds.has(m.alert.id) || m.alert.incidentId === id)) loadSoon();
    }),
  );
  d.add(live.onResync(() => void load()));
  void load();
  return { unmount: () => d.dispose() };
};

function card(title: string, value: string, sub?: string, bad = false): HTMLElement {
  return h(
    'div',
    { class: bad ? 'card card-bad' : 'card' },
    h('div', { class: 'card-title' }, title),
    h('div', { class: 'card-value' }, value),
    sub ? h('div', { class: 'card-sub' }, sub) : null,
  );
}
