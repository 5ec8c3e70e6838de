/**
 * Incidents list (alerts that fire together on one service or call chain) with filters
 * (status, service): severity, title, services, blast radius, start and status. Alert events
 * on the live feed refetch the current page (debounced): incidents change with their alerts.
 */
import { errorBox, pager, select, sevBadge, statusBadge, textInput } from '../components/widgets.js';
import { api, type Incident } from '../lib/api.js';
import { debounce, h, replace } from '../lib/dom.js';
import { fmtAgo, fmtTime } from '../lib/format.js';
import { href, replaceQuery } from '../lib/router.js';
import { Disposer, type MountPage } from './page.js';

const LIMIT = 50;

export const mountIncidents: MountPage = (root, { route, live }) => {
  const d = new Disposer();
  const q = route.query;
  const f = {
    status: q.get('status') ?? '',
    service: q.get('service') ?? '',
    offset: Math.max(0, Number(q.get('offset') ?? 0) || 0),
  };
  const body = h('div', { 'data-testid': 'incidents' });
  const changed = () => {
    replaceQuery({ ...f, offset: f.offset || undefined });
    void load();
  };
  const serviceSoon = debounce(changed, 250);
  d.add(() => serviceSoon.cancel());

  replace(
    root,
    h('h1', null, 'Incidents'),
    h(
      'p',
      { class: 'muted' },
      'Alerts that fire together on one service, or on services that call each other, grouped with their blast radius.',
    ),
    h(
      'form',
      { class: 'filters', role: 'search', onsubmit: (ev) => ev.preventDefault() },
      select(
        'Status',
        f.status,
        [
          ['', 'any'],
          ['open', 'open'],
          ['resolved', 'resolved'],
        ],
        (v) => {
          f.status = v;
          f.offset = 0;
          changed();
        },
      ),
      textInput('Service', f.service, (v) => {
        f.service = v;
        f.offset = 0;
        serviceSoon();
      }),
    ),
    body,
  );

  let seq = 0;
  async function load(): Promise<void> {
    const mine = ++seq;
    try {
      const page = await api.incidents({
        status: f.status,
        service: f.service,
        limit: LIMIT,
        offset: f.offset,
      });
      if (mine !== seq) return;
      render(page.items, page.total);
    } catch (err) {
      if (mine === seq) replace(body, errorBox(err));
    }
  }

  function render(items: readonly Incident[], total: number): void {
    if (items.length === 0) {
      replace(body, h('p', { class: 'empty' }, 'No incidents match these filters.'));
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
              ...['Severity', 'Incident', 'Services', 'Blast radius', 'Started', 'Status'].map((t) =>
                h('th', { scope: 'col' }, t),
              ),
            ),
          ),
          h(
            'tbody',
            null,
            ...items.map((x) =>
              h(
                'tr',
                { 'data-incident-id': x.id, 'data-status': x.status },
                h('td', null, sevBadge(x.severity)),
                h('td', null, h('a', { href: href(['incidents', x.id]) }, x.title || x.id)),
                h('td', null, x.blastRadius.services.join(', ')),
                h('td', { class: 'expl' }, x.blastRadius.summary),
                h('td', null, h('time', { title: fmtTime(x.startedAt) }, fmtAgo(x.startedAt, now))),
                h('td', null, statusBadge(x.status)),
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
