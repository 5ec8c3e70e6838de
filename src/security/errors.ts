/**
 * Errors answered by the security layer: the codes of the shared HTTP error catalogue
 * (`src/http/errors.ts`) that authentication, authorization, CSRF and rate limits use.
 */
import { ERROR_CATALOGUE, type ErrorIssue, HttpError } from '../http/errors.js';

/** The catalogue codes the security layer answers. */
export type SecurityErrorCode =
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'CSRF_REJECTED'
  | 'VALIDATION_FAILED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RATE_LIMITED'
  | 'CARDINALITY_LIMIT';

/** One problem, as in the API's validation errors. */
export type SecurityIssue = ErrorIssue;

/** Status and default message of each security code (a view of the shared catalogue). */
export const SECURITY_ERRORS: { readonly [C in SecurityErrorCode]: (typeof ERROR_CATALOGUE)[C] } =
  ERROR_CATALOGUE;

/** An error of the security layer; `retryAfterS` is sent as `Retry-After` with 429. */
export class SecurityError extends HttpError<SecurityErrorCode> {
  override readonly name = 'SecurityError';
}
