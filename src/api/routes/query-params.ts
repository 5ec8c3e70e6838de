/**
 * Query-string parameters shared by the read routes, and their parsing: a bad parameter is a
 * 400 naming it (`query.<name>`); unknown parameters are refused (`unknown_parameter`).
 */
import { z } from 'zod';
import { zodIssues } from '../../ingest/normalize.js';
import { parseTimestamp } from '../../ingest/timestamp.js';
import { SEVERITIES, type Severity } from '../../model/types.js';
import { validationError } from '../errors.js';

/** A time query parameter (RFC 3339 or Unix s/ms), as Unix ms. */
export const time = z
  .string()
  .max(64)
  .transform((s, c) => {
    const r = parseTimestamp(s, 0, Number.POSITIVE_INFINITY);
    if (!r.ok) {
      c.addIssue({ code: 'custom', message: r.message });
      return z.NEVER;
    }
    return r.ms;
  });
/** A `limit` parameter: 1–max, default dflt. */
export const limit = (max: number, dflt: number) => z.coerce.number().int().min(1).max(max).default(dflt);
/** An `offset` parameter. */
export const offset = z.coerce.number().int().min(0).max(1_000_000).default(0);
export const severity = z.enum(SEVERITIES as [Severity, ...Severity[]]);
/** A free-text parameter (≤ 500 characters). */
export const text = z.string().max(500);

/** Parses a query string with a schema, answering 400 naming each bad parameter. */
export function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.infer<T> {
  const r = schema.safeParse(query ?? {});
  if (!r.success) {
    throw validationError(
      zodIssues(r.error, ['query']).map((i) =>
        i.code === 'unrecognized_keys' ? { ...i, code: 'unknown_parameter' } : i,
      ),
    );
  }
  return r.data;
}

/** Drops keys whose value is undefined (for exactOptionalPropertyTypes). */
export function defined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as never;
}
