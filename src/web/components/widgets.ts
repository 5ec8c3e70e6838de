/** Small shared widgets: severity and status badges, series links, errors, empty states, pager. */
import type { Alert, Anomaly, Severity } from '../lib/api.js';
import { h } from '../lib/dom.js';
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
