/**
 * The one catalogue of errors Vigil answers over HTTP, shared by the API (`src/api`) and the
 * security layer (`src/security`), each code with its status and a default message. Every
 * error body has the shape {@link ErrorBody}; the README's error table lists the same codes (a
 * test keeps the two in step).
 */

export const ERROR_CATALOGUE = {
  VALIDATION_FAILED: { status: 400, message: 'the request is invalid; see issues' },
  INVALID_JSON: { status: 400, message: 'the body is not valid JSON' },
  EMPTY_BODY: { status: 400, message: 'the body is empty; a JSON object is expected' },
  UNAUTHORIZED: {
    status: 401,
    message: 'authentication required: send X-API-Key, Authorization: Bearer, or sign in',
  },
  FORBIDDEN: { status: 403, message: 'the credential does not allow this' },
  CSRF_REJECTED: { status: 403, message: 'cross-site request refused' },
  CARDINALITY_LIMIT: { status: 400, message: 'the credential has reached its series limit' },
  RATE_LIMITED: { status: 429, message: 'too many requests; retry after the Retry-After delay' },
  NOT_FOUND: { status: 404, message: 'no such resource' },
  CONFLICT: { status: 409, message: 'the resource is not in a state that allows this' },
  BODY_TOO_LARGE: { status: 413, message: 'the body is larger than the limit' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'send application/json' },
  STORE_UNAVAILABLE: { status: 503, message: 'the store cannot write right now; retry later' },
  INTERNAL: { status: 500, message: 'internal error' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** One problem of a request: where (`path`, e.g. `['metrics', 3, 'timestamp']`), what and why. */
export interface ErrorIssue {
  readonly path: ReadonlyArray<string | number>;
  readonly code: string;
  readonly message: string;
}

/** HTTP reason phrases of the statuses in the catalogue. */
const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Body of every error answer. */
export interface ErrorBody<C extends ErrorCode = ErrorCode> {
  readonly statusCode: number;
  readonly error: string;
  readonly code: C;
  readonly message: string;
  readonly issues: readonly ErrorIssue[];
}

/** An error answered with a catalogue code; `toBody()` is what the client receives. */
export class HttpError<C extends ErrorCode = ErrorCode> extends Error {
  override readonly name: string = 'HttpError';
  readonly statusCode: number;
  constructor(
    readonly code: C,
    message?: string,
    readonly issues: readonly ErrorIssue[] = [],
    /** Seconds, sent as `Retry-After` (429, 503). */
    readonly retryAfterS?: number,
  ) {
    super(message ?? ERROR_CATALOGUE[code].message);
    this.statusCode = ERROR_CATALOGUE[code].status;
  }

  toBody(): ErrorBody<C> {
    return {
      statusCode: this.statusCode,
      error: REASONS[this.statusCode] ?? 'Error',
      code: this.code,
      message: this.message,
      issues: this.issues,
    };
  }
}
