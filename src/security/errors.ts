/**
 * Errors answered by the security layer, in the same body shape as the API's catalogue
 * (`src/api/errors.ts`): `{statusCode, error, code, message, issues}`.
 */

/** One problem, as in the API's validation errors. */
export interface SecurityIssue {
  readonly path: ReadonlyArray<string | number>;
  readonly code: string;
  readonly message: string;
}

export const SECURITY_ERRORS = {
  UNAUTHORIZED: {
    status: 401,
    message: 'authentication required: send X-API-Key, Authorization: Bearer, or sign in',
  },
  FORBIDDEN: { status: 403, message: 'the credential does not allow this' },
  CSRF_REJECTED: { status: 403, message: 'cross-site request refused' },
  VALIDATION_FAILED: { status: 400, message: 'the request is invalid; see issues' },
  NOT_FOUND: { status: 404, message: 'no such resource' },
  CONFLICT: { status: 409, message: 'the resource is not in a state that allows this' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'send application/json' },
  RATE_LIMITED: { status: 429, message: 'too many requests; retry after the Retry-After delay' },
  CARDINALITY_LIMIT: { status: 400, message: 'the credential has reached its series limit' },
} as const satisfies Record<string, { status: number; message: string }>;

export type SecurityErrorCode = keyof typeof SECURITY_ERRORS;

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
};

/** An error with a catalogue code; `toBody()` is what the client receives. */
export class SecurityError extends Error {
  override readonly name = 'SecurityError';
  readonly statusCode: number;
  constructor(
    readonly code: SecurityErrorCode,
    message?: string,
    readonly issues: readonly SecurityIssue[] = [],
    /** Seconds, sent as `Retry-After` with 429. */
    readonly retryAfterS?: number,
  ) {
    super(message ?? SECURITY_ERRORS[code].message);
    this.statusCode = SECURITY_ERRORS[code].status;
  }

  toBody(): {
    statusCode: number;
    error: string;
    code: SecurityErrorCode;
    message: string;
    issues: readonly SecurityIssue[];
  } {
    return {
      statusCode: this.statusCode,
      error: REASONS[this.statusCode] ?? 'Error',
      code: this.code,
      message: this.message,
      issues: this.issues,
    };
  }
}
