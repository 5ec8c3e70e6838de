/**
 * The part of the Prometheus Alertmanager API v2 that tools use to read alerts and manage
 * silences, so that `amtool --alertmanager.url=<Vigil>` (alert query, silence add / query /
 * expire) and other Alertmanager clients work against Vigil unchanged:
 *
 * - `GET /api/v2/status`: cluster (always `disabled`: Vigil is its own single source of truth),
 *   version and uptime.
 * - `GET /api/v2/alerts?filter=&active=&silenced=&inhibited=`: open alerts (firing and
 *   acknowledged), labelled as in notifications (`alertname="vigil_<type>"`, series labels,
 *   `service`, `endpoint`, `metric`, `severity`, `type`, `incident`).
 * - `GET /api/v2/silences?filter=`, `POST /api/v2/silences`, `GET /api/v2/silence/:id`,
 *   `DELETE /api/v2/silence/:id`: the same silences as `/api/silences`, in Alertmanager's shapes
 *   (times as RFC 3339 strings).
 *
 * Shapes follow Alertmanager's OpenAPI specification (`api/v2/openapi.yaml`, release 0.25).
 * Errors keep Vigil's JSON error body (code, message, issues).
 * @see https://github.com/prometheus/alertmanager/blob/v0.25.0/api/v2/openapi.yaml
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { alertLabels } from '../../alerting/routing/labels.js';
import {
  type Matcher,
  MatcherSyntaxError,
  matcherMatches,
  parseMatcher,
} from '../../alerting/routing/matchers.js';
import {
  inhibitedBy,
  type Silence,
  silencedBy,
  silenceMatcherSchema,
  silenceState,
} from '../../alerting/silences/index.js';
import { publicUrlOf } from '../../config/index.js';
import type { Alert, Labels } from '../../model/types.js';
import type { ApiContext } from '../context.js';
import { ApiError, validationError, zodValidationError } from '../errors.js';
import { actorOf } from '../principal.js';
import { assertSilenceAllowed } from './silences.js';

/** Alertmanager's "zero" time, the `endsAt` of alerts that have not ended. */
const ZERO_TIME = '0001-01-01T00:00:00.000Z';

const iso = (t: number): string => new Date(t).toISOString();

/** An RFC 3339 date-time as Unix ms. */
const dateTime = z.iso.datetime({ offset: true }).transform((s) => Date.parse(s));

/** Body of `POST /api/v2/silences` (Alertmanager's `postableSilence`). */
const postableSilence = z
  .object({
    /** Set to replace an existing silence (Vigil keeps its id). */
    id: z.string().min(1).max(200).optional(),
    matchers: z.array(silenceMatcherSchema).min(1).max(50),
    startsAt: dateTime,
    endsAt: dateTime,
    createdBy: z.string().min(1).max(200),
    comment: z.string().max(2000),
  })
  .strip();

const boolParam = z.enum(['true', 'false']).transform((v) => v === 'true');

const alertsQuery = z
  .object({
    filter: z.union([z.string(), z.array(z.string())]).optional(),
    active: boolParam.optional(),
    silenced: boolParam.optional(),
    inhibited: boolParam.optional(),
    unprocessed: boolParam.optional(),
    receiver: z.string().optional(),
  })
  .strip();

const silencesQuery = z.object({ filter: z.union([z.string(), z.array(z.string())]).optional() }).strip();

/**
 * Parses the `filter` query parameters (Alertmanager matchers such as `service="api"`).
 * @throws {ApiError} 400 naming `filter` when one is not a matcher.
 */
function filters(raw: string | string[] | undefined): Matcher[] {
  const texts = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return texts.map((text, i) => {
    try {
      return parseMatcher(text);
    } catch (err) {
      if (!(err instanceof MatcherSyntaxError)) throw err;
      throw validationError([
        { path: ['query', 'filter', i], code: 'invalid_matcher', message: err.message },
      ]);
    }
  });
}

/** A silence in Alertmanager's `gettableSilence` shape. */
function gettableSilence(s: Silence, now: number) {
  return {
    id: s.id,
    status: { state: silenceState(s, now) },
    updatedAt: iso(s.startsAt),
    matchers: s.matchers.map((m) => ({
      name: m.name,
      value: m.value,
      isRegex: m.isRegex,
      isEqual: m.isEqual,
    })),
    startsAt: iso(s.startsAt),
    endsAt: iso(s.endsAt),
    createdBy: s.createdBy,
    comment: s.comment,
  };
}

/** The labels of a silence's matchers that are plain equalities (for `filter` on silences). */
function silenceLabels(s: Silence): Labels {
  return Object.fromEntries(s.matchers.filter((m) => !m.isRegex && m.isEqual).map((m) => [m.name, m.value]));
}

/** Registers the Alertmanager-compatible routes. */
export function alertmanagerRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { runtime } = ctx;
  const openAlerts = (): Alert[] => [
    ...runtime.storage.store.alerts({ status: 'firing', limit: 10_000 }).items,
    ...runtime.storage.store.alerts({ status: 'acknowledged', limit: 10_000 }).items,
  ];

  app.get('/api/v2/status', async () => ({
    cluster: { status: 'disabled', peers: [] },
    versionInfo: {
      version: ctx.version,
      branch: 'vigil',
      revision: ctx.version,
      buildUser: 'vigil',
      buildDate: iso(ctx.startedAt),
      goVersion: `node ${process.version}`,
    },
    config: { original: '' },
    uptime: iso(ctx.startedAt),
  }));

  app.get('/api/v2/alerts', async (req) => {
    const parsed = alertsQuery.safeParse(req.query ?? {});
    if (!parsed.success) throw zodValidationError(parsed.error, ['query']);
    const q = parsed.data;
    const matchers = filters(q.filter);
    const now = Date.now();
    const silences = runtime.pipeline.silences;
    const open = openAlerts();
    const base = publicUrlOf(ctx.config);
    const out = [];
    for (const a of open) {
      const labels: Labels = { alertname: `vigil_${a.type}`, ...alertLabels(a) };
      if (!matchers.every((m) => matcherMatches(m, labels))) continue;
      const silencedByIds = silencedBy(labels, silences, now);
      const inhibitedByIds = ctx.config.alerting.inhibit ? inhibitedBy(a, open) : [];
      const suppressed = silencedByIds.length > 0 || inhibitedByIds.length > 0;
      if (q.silenced === false && silencedByIds.length > 0) continue;
      if (q.inhibited === false && inhibitedByIds.length > 0) continue;
      if (q.active === false && !suppressed) continue;
      out.push({
        labels,
        annotations: {
          summary: a.summary,
          vigil_alert_id: a.id,
          vigil_status: a.status,
          ...(a.acknowledgedBy ? { acknowledged_by: a.acknowledgedBy } : {}),
        },
        startsAt: iso(a.startsAt),
        updatedAt: iso(Math.max(a.lastAnomalyAt, a.acknowledgedAt ?? 0)),
        endsAt: ZERO_TIME,
        generatorURL: `${base}/#/alerts/${encodeURIComponent(a.id)}`,
        fingerprint: a.seriesId,
        receivers: ctx.config.alerting.receivers.map((r) => ({ name: r.name })),
        status: {
          state: suppressed ? 'suppressed' : 'active',
          silencedBy: silencedByIds,
          inhibitedBy: inhibitedByIds,
        },
      });
    }
    return out;
  });

  app.get('/api/v2/silences', async (req) => {
    const parsed = silencesQuery.safeParse(req.query ?? {});
    if (!parsed.success) throw zodValidationError(parsed.error, ['query']);
    const matchers = filters(parsed.data.filter);
    const now = Date.now();
    return runtime.pipeline.silences
      .filter((s) => matchers.every((m) => matcherMatches(m, silenceLabels(s))))
      .map((s) => gettableSilence(s, now));
  });

  app.get<{ Params: { id: string } }>('/api/v2/silence/:id', async (req) => {
    const s = runtime.pipeline.silences.find((x) => x.id === req.params.id);
    if (!s) throw new ApiError('NOT_FOUND', `no silence with id ${req.params.id}`);
    return gettableSilence(s, Date.now());
  });

  app.post('/api/v2/silences', async (req) => {
    const parsed = postableSilence.safeParse(req.body ?? {});
    if (!parsed.success) throw zodValidationError(parsed.error);
    const body = parsed.data;
    const now = Date.now();
    assertSilenceAllowed(ctx, body.startsAt, body.endsAt, now);
    if (body.id !== undefined && !runtime.pipeline.silences.some((s) => s.id === body.id)) {
      throw new ApiError('NOT_FOUND', `no silence with id ${body.id}`);
    }
    const silence: Silence = {
      id: body.id ?? randomUUID(),
      matchers: body.matchers,
      // A start in the past means now (Alertmanager does the same).
      startsAt: Math.max(body.startsAt, now),
      endsAt: body.endsAt,
      createdBy: actorOf(req, body.createdBy),
      comment: body.comment,
    };
    runtime.silence({ op: 'upsert', silence }, now);
    return { silenceID: silence.id };
  });

  app.delete<{ Params: { id: string } }>('/api/v2/silence/:id', async (req) => {
    const existing = runtime.pipeline.silences.find((s) => s.id === req.params.id);
    if (!existing) throw new ApiError('NOT_FOUND', `no silence with id ${req.params.id}`);
    if (silenceState(existing, Date.now()) === 'expired') {
      throw new ApiError('CONFLICT', `silence ${existing.id} has already expired`);
    }
    runtime.silence({ op: 'expire', id: existing.id }, Date.now());
    return {};
  });
}
