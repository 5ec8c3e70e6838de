/**
 * Errors of the API: the shared HTTP error catalogue (`src/http/errors.ts`) and helpers that
 * turn validation problems into a 400 naming each field.
 */
import type { z } from 'zod';
import { HttpError } from '../http/errors.js';
import { type Issue, zodIssues } from '../ingest/normalize.js';

export { ERROR_CATALOGUE, type ErrorBody, type ErrorCode } from '../http/errors.js';

/** An error the API answers with a catalogue code. */
export class ApiError extends HttpError {
  override readonly name = 'ApiError';
}

/** A 400 listing validation issues; the message names the first one. */
export function validationError(issues: readonly Issue[]): ApiError {
  const first = issues[0];
  const where = first && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return new ApiError('VALIDATION_FAILED', first ? `${where}${first.message}${more}` : undefined, issues);
}

/** A 400 from a failed Zod parse of a body or query; `prefix` goes before every path (e.g. `query`). */
export function zodValidationError(error: z.ZodError, prefix: ReadonlyArray<string | number> = []): ApiError {
  return validationError(zodIssues(error, prefix));
}
