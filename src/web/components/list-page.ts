/**
 * A paged, filtered list page (Alerts, Incidents, Anomalies): title, filter form, the list
 * and a pager. Filters and the page offset live in the URL query (rewritten in place on
 * every change, so the list is a deep link); a change of filter goes back to the first page.
 * Only the latest request's answer is shown; a failed load shows the error where the list
 * was, and the list is fetched again after the live feed reconnects and, debounced, on the
 * live messages the page asks for.
 */
import type { Page } from '../lib/api.js';
import { type Child, debounce, h, replace } from '../lib/dom.js';
import type { LiveMessage } from '../lib/live.js';
import { replaceQuery } from '../lib/router.js';
import type { Disposer, PageContext } from '../pages/page.js';
import { type Filter, filterForm, readFilters, readOffset } from './filters.js';
import { latest, reloadOnLive } from './load.js';
import { emptyState } from './table.js';
import { errorBox, pager } from './widgets.js';

/** Rows per page. */
export const LIST_LIMIT = 50;
/** Quiet time after the last keystroke in a text filter before the list is fetched, ms. */
const TYPING_MS = 250;

/** What a list page shows and how it fetches; `K` are its filter keys. */
export interface ListPageOptions<T, K extends string> {
  /** The page heading (`h1`). */
  readonly title: string;
  /** A line under the heading (`p.muted`). */
  readonly intro?: string;
  /** The fields of the filter form, in order. */
  readonly filters: readonly Filter<K>[];
  /** Every filter key kept in the URL, in URL order (default: the form's keys); may include keys without a field. */
  readonly keys?: readonly K[];
  /** More children of the filter form after the fields, given the filters read from the URL. */
  readonly formExtra?: (filters: Readonly<Record<K, string>>) => Child;
  /** Children between the form and the list, e.g. a status line. */
  readonly before?: Child;
  /** `data-testid` of the element holding the list. */
  readonly testid: string;
  /** Text shown when no item matches. */
  readonly empty: string;
  /** Fetches one page; rejects with the error to show. */
  readonly fetch: (
    filters: Readonly<Record<K, string>>,
    page: { readonly limit: number; readonly offset: number },
  ) => Promise<Page<T>>;
  /** Renders the items of a non-empty page (e.g. with {@link dataTable}). */
  readonly render: (items: readonly T[], list: ListPage<T, K>) => Child;
  /** Fetch again (debounced) on the live messages for which this returns true. */
  readonly reloadOn?: (m: LiveMessage) => boolean;
}

/** A mounted list page. */
export interface ListPage<T, K extends string> {
  /** Current filter values (as in the URL). */
  readonly filters: Readonly<Record<K, string>>;
  /** Offset of the page shown. */
  readonly offset: number;
  /** Items of the page shown, and the total matching. */
  readonly items: readonly T[];
  readonly total: number;
  /** Fetches the current page again. Never rejects: failures are shown. */
  load(): Promise<void>;
  /** Shows `items` of `total` without fetching, e.g. with an item from the live feed added. */
  show(items: readonly T[], total: number): void;
}

/**
 * Mounts a list page into `root` and fetches its first page.
 * @param root - the page's element, replaced whole.
 * @param ctx - the page context: the route (filters and `offset` are read from its query) and the live feed.
 * @param d - the page's disposer; timers and live listeners are released through it.
 * @param opts - see {@link ListPageOptions}.
 * @returns the handle used by the page's own live handling.
 */
export function mountListPage<T, K extends string>(
  root: HTMLElement,
  ctx: PageContext,
  d: Disposer,
  opts: ListPageOptions<T, K>,
): ListPage<T, K> {
  const keys = opts.keys ?? opts.filters.map((f) => f.key);
  const filters = readFilters(ctx.route.query, keys);
  let offset = readOffset(ctx.route.query);
  let items: readonly T[] = [];
  let total = 0;
  const body = h('div', { 'data-testid': opts.testid });

  const list: ListPage<T, K> = {
    filters,
    get offset() {
      return offset;
    },
    get items() {
      return items;
    },
    get total() {
      return total;
    },
    load: latest(
      () => opts.fetch(filters, { limit: LIST_LIMIT, offset }),
      (page) => list.show(page.items, page.total),
      (err) => replace(body, errorBox(err)),
    ),
    show(next, n) {
      items = next;
      total = n;
      if (items.length === 0) {
        replace(body, emptyState(opts.empty));
        return;
      }
      replace(
        body,
        opts.render(items, list),
        pager(total, offset, LIST_LIMIT, (o) => goTo(o)),
      );
    },
  };

  function goTo(o: number): void {
    offset = o;
    replaceQuery({ ...filters, offset: offset || undefined });
    void list.load();
  }
  const typed = debounce(() => goTo(0), TYPING_MS);
  d.add(() => typed.cancel());

  replace(
    root,
    h('h1', null, opts.title),
    opts.intro === undefined ? null : h('p', { class: 'muted' }, opts.intro),
    filterForm(
      opts.filters,
      filters,
      (f, value) => {
        filters[f.key] = value;
        if (f.options) goTo(0);
        else typed();
      },
      opts.formExtra?.(filters),
    ),
    opts.before,
    body,
  );

  reloadOnLive(d, ctx.live, list.load, opts.reloadOn);
  void list.load();
  return list;
}
