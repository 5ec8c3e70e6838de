/**
 * Silences: time-bounded mutes of the notifications of alerts whose labels match every
 * matcher. The list (state, matchers, ends in, creator, comment, "Expire") and a form to
 * create one (matcher rows, duration presets or a custom end, comment). The list is fetched
 * again when the live feed reports a silence created or expired (by anyone), and every 30 s so
 * states and "ends in" stay current as silences start and end on their own.
 */
import { errorText } from '../components/dialog.js';
import { anyOf, filterForm, readFilters } from '../components/filters.js';
import { latest, loading, reloadOnLive } from '../components/load.js';
import { fmtMatcher, silenceFields } from '../components/silence-form.js';
import { dataTable } from '../components/table.js';
import { errorBox, panel, rowAction, statusBadge } from '../components/widgets.js';
import { api, type Silence } from '../lib/api.js';
import { h, replace } from '../lib/dom.js';
import { fmtDuration, fmtTime } from '../lib/format.js';
import { replaceQuery } from '../lib/router.js';
import { Disposer, type MountPage } from './page.js';

const STATE_ORDER: Record<Silence['state'], number> = { active: 0, pending: 1, expired: 2 };
const FILTERS = [{ key: 'state', label: 'State', options: anyOf(['active', 'pending', 'expired']) }] as const;

export const mountSilences: MountPage = (root, { route, live }) => {
  const d = new Disposer();
  const f = readFilters(route.query, ['state']);
  const body = h('div', { 'data-testid': 'silences' }, loading());
  const listError = h('div');
  const fields = silenceFields();
  const formStatus = h('p', { class: 'error', role: 'alert', hidden: true, 'data-testid': 'silence-error' });
  const formDone = h('p', { class: 'notice', role: 'status', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Create silence');
  const form = h(
    'form',
    {
      class: 'silence-form',
      'data-testid': 'silence-form',
      'aria-labelledby': 'new-silence-title',
      onsubmit: (ev) => {
        ev.preventDefault();
        formStatus.hidden = true;
        formDone.hidden = true;
        submit.disabled = true;
        Promise.resolve()
          .then(() => api.createSilence(fields.value()))
          .then(
            (res) => {
              fields.reset();
              formDone.textContent = `Silence created, ${res.silence.state} until ${fmtTime(res.silence.endsAt)}.`;
              formDone.hidden = false;
              void load();
            },
            (err: unknown) => {
              formStatus.textContent = errorText(err);
              formStatus.hidden = false;
            },
          )
          .finally(() => {
            submit.disabled = false;
          });
      },
    },
    ...fields.nodes,
    formStatus,
    formDone,
    h('div', { class: 'dialog-buttons' }, submit),
  );

  replace(
    root,
    h('h1', null, 'Silences'),
    h(
      'p',
      { class: 'muted' },
      'A silence mutes the notifications of the alerts whose labels match all its matchers, until it ends. Alerts still open and show on the dashboard.',
    ),
    h(
      'div',
      { class: 'silences-layout' },
      panel(
        'Silences',
        filterForm(FILTERS, f, (filter, value) => {
          f[filter.key] = value;
          replaceQuery(f);
          render();
        }),
        listError,
        body,
      ),
      h('section', { class: 'panel' }, h('h2', { id: 'new-silence-title' }, 'New silence'), form),
    ),
  );

  let items: readonly Silence[] = [];
  const load = latest(
    () => api.silences(),
    (res) => {
      items = res.items;
      render();
    },
    (err) => replace(body, errorBox(err)),
  );

  function render(): void {
    const now = Date.now();
    const shown = items
      .filter((s) => f.state === '' || s.state === f.state)
      .sort((a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || b.endsAt - a.endsAt);
    replace(
      body,
      dataTable(shown, {
        empty: items.length === 0 ? 'No silences.' : 'No silences in this state.',
        rowAttrs: (s) => ({ 'data-silence-id': s.id, 'data-state': s.state }),
        columns: [
          { title: 'State', cell: (s) => statusBadge(s.state) },
          {
            title: 'Matchers',
            cell: (s) =>
              h(
                'ul',
                { class: 'matchers' },
                ...s.matchers.map((m) => h('li', null, h('code', null, fmtMatcher(m)))),
              ),
          },
          { title: 'Ends', cell: (s) => endsText(s, now) },
          { title: 'Created by', cell: (s) => s.createdBy },
          { title: 'Comment', class: 'comment', cell: (s) => s.comment || '—' },
          {
            title: 'Actions',
            cell: (s) =>
              s.state === 'expired'
                ? null
                : rowAction({
                    text: 'Expire',
                    action: 'expire',
                    label: `Expire silence ${s.matchers.map(fmtMatcher).join(', ')}`,
                    errors: listError,
                    run: () => api.expireSilence(s.id),
                    done: () => void load(),
                  }),
          },
        ],
      }),
    );
  }

  const timer = setInterval(() => {
    fields.refresh();
    void load();
  }, 30_000);
  d.add(() => clearInterval(timer));
  reloadOnLive(d, live, load, (m) => m.type === 'silence');
  void load();
  return { unmount: () => d.dispose() };
};

/** When a silence starts / ends, relative to `now`, with the exact time as a tooltip. */
function endsText(s: Silence, now: number): HTMLElement {
  if (s.state === 'expired') return h('time', { title: fmtTime(s.endsAt) }, `ended ${fmtTime(s.endsAt)}`);
  const inText = `in ${fmtDuration(Math.max(0, s.endsAt - now) / 1000)}`;
  return h(
    'span',
    null,
    h('time', { title: fmtTime(s.endsAt), 'data-testid': 'ends-in' }, inText),
    s.state === 'pending' ? h('span', { class: 'feed-meta' }, ` starts ${fmtTime(s.startsAt)}`) : null,
  );
}
