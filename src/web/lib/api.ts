/**
 * Typed client for Vigil's REST API (contract: notes/api.md). The records it answers are the
 * server's own types, imported type-only (erased from the bundle): src/model/types.ts, and the
 * alert-quality report and feedback modules of src/alerting, which are pure.
 * Every function rejects with {@link ApiError} on a non-2xx answer or a network failure.
 */
import type { Feedback, FeedbackScope } from '../../alerting/feedback/feedback.js';
import type {
  AlertQualityReport,
  QualityFigures,
  ReceiverQuality,
  SeriesQuality,
} from '../../alerting/quality/report.js';
import type {
  Alert,
  AlertEvent,
  AlertStatus,
  Anomaly,
  Delivery,
  Incident,
  IncidentEvent,
  IncidentMember,
  PointRecord,
  SeriesInfo,
  Severity,
} from '../../model/types.js';

/** A failed API call: HTTP status (0 for network errors), the server's `code` and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A page of a list endpoint. */
export interface Page<T> {
  readonly total: number;
  readonly items: readonly T[];
}

/** `GET /api/stats`. */
export interface Stats {
  readonly version: string;
  readonly uptimeS: number;
  readonly ingest: {
    readonly pointsAccepted: number;
    readonly pointsRejected: number;
    /** In the contract (notes/api.md) but not sent by every server version. */
    readonly requests?: number;
    readonly ratePerSec: number;
  };
  readonly seriesCount: number;
  readonly alertsOpen: Readonly<Record<Severity, number>>;
  readonly store: { readonly ok: boolean; readonly detail: string; readonly latencyMs: number };
  readonly anomalyRatePerService: readonly {
    readonly service: string;
    /** Bucket start (Unix ms), anomalies, and points when the server reports them; buckets may be sparse. */
    readonly buckets: readonly { readonly t: number; readonly anomalies: number; readonly points?: number }[];
  }[];
}

/** A receiver as `GET /api/receivers` lists it (URL redacted; email: `smtp://host:port`). */
export interface Receiver {
  readonly name: string;
  readonly type: string;
  readonly url: string;
  readonly lastDelivery: Delivery | null;
}

/** Answer of `POST /api/receivers/:name/test`: what the receiver did with one test notification. */
export interface ReceiverTestResult {
  readonly receiver: string;
  readonly status: 'ok' | 'failed';
  /** Why it failed (e.g. `HTTP 503`), null when ok. */
  readonly error: string | null;
  /** Retrying could not help (e.g. HTTP 404, a refused destination). */
  readonly permanent: boolean;
  /** Time the attempt took, ms. */
  readonly durationMs: number;
}

/** Query parameters: undefined and empty values are left out. */
export type Query = Readonly<Record<string, string | number | undefined>>;

function withQuery(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  return qs === '' ? path : `${path}?${qs}`;
}

/** What `GET /api/auth/me` answers: the signed-in principal, and whether auth is on at all. */
export interface Me {
  readonly kind: 'user' | 'key' | 'anonymous';
  readonly name: string;
  readonly role?: string;
  readonly scopes: readonly string[];
  readonly services: readonly string[] | null;
  readonly authEnabled: boolean;
}

/** What `POST /api/auth/login` answers. */
export interface LoginResult {
  readonly user: { readonly username: string; readonly role: string };
  /** Session end, Unix ms. */
  readonly expiresAt: number;
}

const LOGIN = '/api/auth/login';
const ME = '/api/auth/me';
let unauthorized: ((err: ApiError) => void) | null = null;

/**
 * Sets the function called when any API call (other than sign-in) answers 401: the session
 * is missing or has ended. The call still rejects with its {@link ApiError}.
 */
export function onUnauthorized(fn: ((err: ApiError) => void) | null): void {
  unauthorized = fn;
}

type Method = 'GET' | 'POST' | 'DELETE';

async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  // CSRF marker the server requires on state-changing requests made with the session cookie.
  if (method !== 'GET') headers['x-vigil-csrf'] = '1';
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (err) {
    throw new ApiError(0, 'NETWORK', `network error: ${err instanceof Error ? err.message : String(err)}`);
  }
  const text = await res.text();
  let data: unknown = null;
  if (text !== '') {
    try {
      data = JSON.parse(text);
    } catch {
      throw new ApiError(
        res.status,
        'BAD_JSON',
        `${method} ${path}: answer is not JSON (HTTP ${res.status})`,
      );
    }
  }
  if (!res.ok) {
    // The server answers `{statusCode, error, code, message, issues}`; accept the nested
    // `{error: {code, message}}` shape too.
    const raw = (data ?? {}) as { error?: unknown; code?: unknown; message?: unknown };
    const d = (raw.error !== null && typeof raw.error === 'object' ? raw.error : raw) as {
      code?: unknown;
      message?: unknown;
    };
    const err = new ApiError(
      res.status,
      typeof d.code === 'string' ? d.code : `HTTP_${res.status}`,
      typeof d.message === 'string' ? d.message : `${method} ${path} failed with HTTP ${res.status}`,
    );
    if (res.status === 401 && path !== LOGIN && path !== ME) unauthorized?.(err);
    throw err;
  }
  return data as T;
}

/** GET a JSON document. */
export const getJson = <T>(path: string, query?: Query): Promise<T> =>
  request<T>('GET', withQuery(path, query));

/** Sign-in, sign-out and the current principal. */
export const auth = {
  /** Rejects with status 401 when nobody is signed in (auth on). */
  me: () => getJson<Me>(ME),
  /** Sets the session cookie; rejects with 401 on a wrong user name or password, 429 when rate limited. */
  login: (username: string, password: string) => request<LoginResult>('POST', LOGIN, { username, password }),
  /** Ends the session and clears the cookie. */
  logout: () => request<{ ok: boolean }>('POST', '/api/auth/logout'),
};

export const api = {
  stats: () => getJson<Stats>('/api/stats'),
  health: () => getJson<{ status: string }>('/health'),
  config: () => getJson<unknown>('/config'),
  series: (q: Query) => getJson<Page<SeriesInfo>>('/api/series', q),
  seriesInfo: (id: string) => getJson<SeriesInfo>(`/api/series/${encodeURIComponent(id)}`),
  points: (id: string, q: { from: number; to: number; limit: number }) =>
    getJson<{ series: SeriesInfo; points: PointRecord[] }>(`/api/series/${encodeURIComponent(id)}/points`, q),
  anomalies: (q: Query) => getJson<Page<Anomaly>>('/api/anomalies', q),
  alerts: (q: Query) => getJson<Page<Alert>>('/api/alerts', q),
  alert: (id: string) =>
    getJson<{ alert: Alert; history: AlertEvent[]; anomalies: Anomaly[] }>(
      `/api/alerts/${encodeURIComponent(id)}`,
    ),
  alertAction: (id: string, action: 'acknowledge' | 'resolve', body: AlertActionBody) =>
    request<{ alert: Alert }>('POST', `/api/alerts/${encodeURIComponent(id)}/${action}`, body),
  receivers: () => getJson<{ items: Receiver[] }>('/api/receivers'),
  /** Sends one test notification to receiver `name` now (resolves with its outcome, ok or not). */
  testReceiver: (name: string) =>
    request<ReceiverTestResult>('POST', `/api/receivers/${encodeURIComponent(name)}/test`, {}),
  deliveries: (q: Query) => getJson<{ items: Delivery[] }>('/api/deliveries', q),
  incidents: (q: Query) => getJson<Page<Incident>>('/api/incidents', q),
  incident: (id: string) =>
    getJson<{ incident: Incident; alerts: Alert[] }>(`/api/incidents/${encodeURIComponent(id)}`),
  silences: () => getJson<{ items: Silence[] }>('/api/silences'),
  createSilence: (body: NewSilence) => request<{ silence: Silence }>('POST', '/api/silences', body),
  expireSilence: (id: string) =>
    request<{ silence: Silence }>('DELETE', `/api/silences/${encodeURIComponent(id)}`),
  feedback: (q: Query) => getJson<{ items: Feedback[] }>('/api/feedback', q),
  /** "Not an anomaly" on every anomaly of an alert (`kind` alerts) or on one anomaly. */
  giveFeedback: (kind: 'alerts' | 'anomalies', id: string, body: NewFeedback) =>
    request<{ feedback: Feedback }>('POST', `/api/${kind}/${encodeURIComponent(id)}/feedback`, body),
  revokeFeedback: (id: string) =>
    request<{ feedback: Feedback }>('DELETE', `/api/feedback/${encodeURIComponent(id)}`),
  maintenance: () => getJson<{ items: MaintenanceWindow[] }>('/api/maintenance'),
  alertQuality: (q: { from?: number; to?: number }) =>
    getJson<AlertQualityReport>('/api/reports/alert-quality', q),
};

/** Body of `POST /api/alerts/:id/acknowledge|resolve`. */
export interface AlertActionBody {
  readonly by?: string;
  readonly note?: string;
  /** Acknowledge only: the acknowledgement lapses after this long, ms (1 min – 30 d). */
  readonly expiresInMs?: number;
}

/** A silence matcher (Alertmanager's shape): `=` `!=` `=~` `!~` as isRegex × isEqual. */
export interface SilenceMatcher {
  readonly name: string;
  readonly value: string;
  readonly isRegex: boolean;
  readonly isEqual: boolean;
}

/** A silence as `GET /api/silences` lists it, with its state now. */
export interface Silence {
  readonly id: string;
  readonly matchers: readonly SilenceMatcher[];
  readonly startsAt: number;
  readonly endsAt: number;
  readonly createdBy: string;
  readonly comment: string;
  readonly state: 'pending' | 'active' | 'expired';
}

/** Body of `POST /api/silences`. */
export interface NewSilence {
  readonly matchers: readonly SilenceMatcher[];
  readonly startsAt?: number;
  readonly endsAt: number;
  readonly createdBy: string;
  readonly comment: string;
}

/** Body of `POST /api/alerts/:id/feedback` and `POST /api/anomalies/:id/feedback`. */
export interface NewFeedback {
  readonly scope: FeedbackScope;
  /** Series scope only: 1–90 days (server default 7). */
  readonly days?: number;
  readonly reason: string;
  readonly by?: string;
}

/** A maintenance window as `GET /api/maintenance` lists it. */
export interface MaintenanceWindow {
  readonly id: string;
  readonly source: 'config' | 'api';
  readonly name: string;
  readonly matchers: readonly string[];
  readonly timeZone: string;
  readonly weekly?: readonly {
    readonly days: readonly string[];
    readonly start: string;
    readonly end: string;
  }[];
  readonly cron?: string;
  readonly durationMs?: number;
  readonly comment?: string;
  readonly createdBy: string | null;
  readonly createdAt: number | null;
  readonly active: boolean;
  /** The current occurrence when active, else the next one. */
  readonly occurrence: { readonly start: number; readonly end: number };
}

export type {
  Alert,
  AlertEvent,
  AlertQualityReport,
  AlertStatus,
  Anomaly,
  Delivery,
  Feedback,
  FeedbackScope,
  Incident,
  IncidentEvent,
  IncidentMember,
  PointRecord,
  QualityFigures,
  ReceiverQuality,
  SeriesInfo,
  SeriesQuality,
  Severity,
};
