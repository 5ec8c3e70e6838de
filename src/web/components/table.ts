/**
 * Data tables in the dashboard's one table markup: `div.table-scroll > table.list`, a header
 * row of `<th scope="col">`, one `<tr>` per row built from the columns, and an empty state
 * (`p.empty`) instead of a table when there is nothing to list.
 */
import { type Attrs, type Child, h } from '../lib/dom.js';

/** One column of {@link dataTable}. */
export interface Column<T> {
  /** Header text. */
  readonly title: string;
  /** The content of this column's cell for `row`. */
  readonly cell: (row: T) => Child;
  /** Class of the cell, e.g. `num` (figures) or `expl` (wrapping text). */
  readonly class?: string;
  /** The cell heads its row: `<th scope="row">` instead of `<td>`. */
  readonly rowHeader?: boolean;
}

/** Options of {@link dataTable}. */
export interface TableOptions<T> {
  readonly columns: readonly Column<T>[];
  /** Attributes of a row's `<tr>`, e.g. `{ 'data-alert-id': a.id }`. */
  readonly rowAttrs?: (row: T) => Attrs;
  /** `data-testid` of the `<table>`. */
  readonly testid?: string;
  /** Text of the empty state shown instead of the table when `rows` is empty (default: an empty table). */
  readonly empty?: string;
}

/** The empty state of a list: `<p class="empty">text</p>`. */
export function emptyState(text: string): HTMLElement {
  return h('p', { class: 'empty' }, text);
}

/**
 * Builds a scrollable table of `rows`, or the empty state when there are none and
 * `opts.empty` is given. Cell text is set as text, never parsed as HTML.
 * @param rows - the records, one table row each, in order.
 * @param opts - columns, row attributes, test id and empty-state text.
 * @returns `div.table-scroll` holding `table.list`, or `p.empty`.
 * @example dataTable(alerts, { columns: [{ title: 'Id', cell: (a) => a.id }], empty: 'No alerts.' })
 */
export function dataTable<T>(rows: readonly T[], opts: TableOptions<T>): HTMLElement {
  if (rows.length === 0 && opts.empty !== undefined) return emptyState(opts.empty);
  const { columns } = opts;
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'list', 'data-testid': opts.testid },
      h('thead', null, h('tr', null, ...columns.map((c) => h('th', { scope: 'col' }, c.title)))),
      h(
        'tbody',
        null,
        ...rows.map((row) =>
          h(
            'tr',
            opts.rowAttrs?.(row) ?? null,
            ...columns.map((c) =>
              c.rowHeader
                ? h('th', { scope: 'row', class: c.class }, c.cell(row))
                : h('td', { class: c.class }, c.cell(row)),
            ),
          ),
        ),
      ),
    ),
  );
}
