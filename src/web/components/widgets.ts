/**
 * Small shared widgets: severity and status badges, series links, errors, figure cards, panels,
 * fact lists, row action buttons, filter fields and the pager.
 */
import type { Alert, Anomaly, Severity } from '../lib/api.js';
import { type Child, h, replace } from '../lib/dom.js';
import { seriesName } from '../lib/format.js';
import { href } from '../lib/router.js';

/** Severity badge. */
export function sevBadge(s: Severity): HTMLElement {
  return h('span', { class: `sev sev-${s}` }, s);
}

/** Status badge of an alert, an incident (`open`) or a silence (`pending`, `active`, `expired`). */
export function statusBadge(s: Alert['status'] | 'open' | 'pending' | 'active' | 'expired'): HTMLElement {
  return h('span', { class: `status status-${s}` }, s);
}

/** Explorer link for series `seriesId` around moment `t` (Unix ms): ±30 min, `t` marked. */
export function seriesAtHref(a: Pick<Anomaly, 'seriesId' | 't'>): string {
  return href(['series'], { ids: a.seriesId, from: a.t - 30 * 60_000, to: a.t + 30 * 60_000, at: a.t });
}

/** Link, labelled with the series name, to the series explorer at the anomaly's moment. */
export function seriesAtLink(
  a: Pick<Anomaly, 'seriesId' | 't'> & Parameters<typeof seriesName>[0],
): HTMLElement {
  return h('a', { href: seriesAtHref(a), class: 'series-link' }, seriesName(a));
}

/** A visible error message (role=alert). */
export function errorBox(err: unknown): HTMLElement {
  return h('p', { class: 'error', role: 'alert' }, err instanceof Error ? err.message : String(err));
}

/** Options of {@link card}. */
export interface CardOptions {
  /** A smaller line under the value; omitted when empty. */
  readonly sub?: string;
  /** `data-testid` of the card. */
  readonly testid?: string;
  /** Marks the figure as bad (`card-bad`). */
  readonly bad?: boolean;
}

/**
 * A figure card: title, value and an optional line under it.
 * @example card('Series', '12', { sub: 'in the catalog', testid: 'series-count' })
 */
export function card(title: string, value: string, opts: CardOptions = {}): HTMLElement {
  return h(
    'div',
    { class: opts.bad ? 'card card-bad' : 'card', 'data-testid': opts.testid },
    h('div', { class: 'card-title' }, title),
    h('div', { class: 'card-value' }, value),
    opts.sub ? h('div', { class: 'card-sub' }, opts.sub) : null,
  );
}

/** A titled panel: `section.panel` with an `h2` heading, then `children`. */
export function panel(title: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'panel' }, h('h2', null, title), ...children);
}

/** A `dl.facts` of `[term, value]` rows; null rows are left out. */
export function factList(rows: readonly (readonly [string, Node | string] | null)[]): HTMLElement {
  return h(
    'dl',
    { class: 'facts' },
    ...rows.map((r) => (r === null ? null : [h('dt', null, r[0]), h('dd', null, r[1])])),
  );
}

/** Options of {@link rowAction}. */
export interface RowActionOptions<T> {
  /** Button text, e.g. `Expire`. */
  readonly text: string;
  /** `data-action` of the button. */
  readonly action: string;
  /** Accessible name saying what it acts on, e.g. `Expire silence service="x"`. */
  readonly label: string;
  /** Where a failure is shown (emptied when the button is pressed). */
  readonly errors: Element;
  /** Does the work; a rejection re-enables the button and shows its message in `errors`. */
  readonly run: () => Promise<T>;
  /** Gets the answer of `run` (the button stays disabled). */
  readonly done: (value: T) => void;
}

/** A small button acting on one row of a list, disabled while its request runs. */
export function rowAction<T>(opts: RowActionOptions<T>): HTMLButtonElement {
  const button = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-small',
      'data-action': opts.action,
      'aria-label': opts.label,
      onclick: () => {
        button.disabled = true;
        replace(opts.errors);
        opts.run().then(opts.done, (err: unknown) => {
          button.disabled = false;
          replace(opts.errors, errorBox(err));
        });
      },
    },
    opts.text,
  );
  return button;
}

/** A labelled <select> whose options are `[value, text]` pairs. */
export function select(
  label: string,
  value: string,
  options: readonly (readonly [string, string])[],
  onChange: (v: string) => void,
): HTMLElement {
  const sel = h(
    'select',
    { onchange: () => onChange(sel.value) },
    ...options.map(([v, t]) => h('option', { value: v, selected: v === value }, t)),
  );
  return h('label', { class: 'field' }, h('span', null, label), sel);
}

/** A labelled text input that calls `onInput` (debounced by the caller). */
export function textInput(
  label: string,
  value: string,
  onInput: (v: string) => void,
  placeholder = '',
): HTMLElement {
  const input = h('input', { type: 'search', value, placeholder, oninput: () => onInput(input.value) });
  return h('label', { class: 'field' }, h('span', null, label), input);
}

/** Previous/next pager for `offset`/`limit` lists. */
export function pager(
  total: number,
  offset: number,
  limit: number,
  go: (offset: number) => void,
): HTMLElement {
  const to = Math.min(total, offset + limit);
  return h(
    'nav',
    { class: 'pager', 'aria-label': 'Pages' },
    h(
      'button',
      { type: 'button', disabled: offset === 0, onclick: () => go(Math.max(0, offset - limit)) },
      '‹ Newer',
    ),
    h('span', null, total === 0 ? '0 items' : `${offset + 1}–${to} of ${total}`),
    h('button', { type: 'button', disabled: to >= total, onclick: () => go(offset + limit) }, 'Older ›'),
  );
}
