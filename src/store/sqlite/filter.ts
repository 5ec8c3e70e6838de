/** Building blocks of the store's dynamic queries: filters, limits, `LIKE` patterns. */
import type { TimeRange } from '../types.js';

/** Accumulates `WHERE` clauses and their parameters. */
export class Filter {
  readonly clauses: string[] = [];
  readonly params: unknown[] = [];
  add(clause: string, ...params: unknown[]): void {
    this.clauses.push(clause);
    this.params.push(...params);
  }
  get sql(): string {
    return this.clauses.length === 0 ? '' : ` WHERE ${this.clauses.join(' AND ')}`;
  }
}

/** A non-negative integer limit, or `fallback` when absent. */
export const limitOf = (limit: number | undefined, fallback: number): number =>
  limit === undefined ? fallback : Math.max(0, Math.floor(limit));
/** A non-negative integer offset, 0 when absent. */
export const offsetOf = (offset: number | undefined): number =>
  offset === undefined ? 0 : Math.max(0, Math.floor(offset));
/** Escapes `%`, `_` and `\` for `LIKE … ESCAPE '\'`. */
export const likePattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Adds an inclusive `from`/`to` range on `column`. */
export function addRange(f: Filter, column: string, range: TimeRange): void {
  if (range.from !== undefined) f.add(`${column} >= ?`, range.from);
  if (range.to !== undefined) f.add(`${column} <= ?`, range.to);
}
