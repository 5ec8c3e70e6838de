/**
 * Filter forms of list pages (`form.filters`, role=search): labelled selects and search
 * inputs whose values live in the URL query, so a filtered list is a deep link. Also the
 * option lists several pages share (severity, time range) and reading filters from a query.
 */
import { SEVERITIES } from '../../model/types.js';
import { type Child, h } from '../lib/dom.js';
import { RANGES } from '../lib/format.js';
import { select, textInput } from './widgets.js';

/** `[value, text]` pairs of a select. */
export type Options = readonly (readonly [string, string])[];

/** One field of a filter form: a select when `options` is given, else a search text input. */
export interface Filter<K extends string> {
  /** URL query key and filter name, e.g. `status`. */
  readonly key: K;
  /** Visible label, e.g. `Status`. */
  readonly label: string;
  readonly options?: Options;
}

/** `any` (value '') followed by each value, shown as `text(value)` (default the value itself). */
export function anyOf(values: readonly string[], text: (value: string) => string = (v) => v): Options {
  return [['', 'any'], ...values.map((v) => [v, text(v)] as const)];
}

/** Severity filter options: any, then critical … info. */
export const SEVERITY_OPTIONS: Options = anyOf(SEVERITIES);

/** Time filter options: any time, then `last <range>` for each preset of {@link RANGES}. */
export const RANGE_OPTIONS: Options = [
  ['', 'any time'],
  ...Object.keys(RANGES).map((r) => [r, `last ${r}`] as const),
];

/**
 * Start of a time filter's window, Unix ms.
 * @param range - a key of {@link RANGES}, or '' for any time.
 * @param now - the end of the window, Unix ms (default the clock).
 * @returns `now − range`, or undefined for '' or an unknown key (no lower bound).
 */
export function rangeStart(range: string, now = Date.now()): number | undefined {
  const ms = range === '' ? undefined : RANGES[range];
  return ms === undefined ? undefined : now - ms;
}

/** The values of `keys` in `query`, '' for each one missing. */
export function readFilters<K extends string>(query: URLSearchParams, keys: readonly K[]): Record<K, string> {
  return Object.fromEntries(keys.map((k) => [k, query.get(k) ?? ''])) as Record<K, string>;
}

/** The `offset` query value: a non-negative integer, 0 when missing or invalid. */
export function readOffset(query: URLSearchParams): number {
  return Math.max(0, Number(query.get('offset') ?? 0) || 0);
}

/**
 * Builds a filter form showing `values`. Submitting it does nothing (changes apply as they
 * are made), so Enter in a field never reloads the page.
 * @param filters - the fields, in order.
 * @param values - the current value of each field.
 * @param onChange - called with the field and its new value on every change (on every
 *   keystroke for text inputs: debounce in the caller).
 * @param extra - more children after the fields, e.g. a "clear" link.
 */
export function filterForm<K extends string>(
  filters: readonly Filter<K>[],
  values: Readonly<Record<K, string>>,
  onChange: (filter: Filter<K>, value: string) => void,
  ...extra: Child[]
): HTMLFormElement {
  return h(
    'form',
    { class: 'filters', role: 'search', onsubmit: (ev) => ev.preventDefault() },
    ...filters.map((f) =>
      f.options
        ? select(f.label, values[f.key], f.options, (v) => onChange(f, v))
        : textInput(f.label, values[f.key], (v) => onChange(f, v)),
    ),
    ...extra,
  );
}
