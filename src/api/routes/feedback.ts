/**
 * "Not an anomaly" feedback and maintenance windows. Every change is a log record (`feedback`,
 * `maintenance`), so it survives restarts and replays exactly.
 * - `POST /api/anomalies/:id/feedback`, `POST /api/alerts/:id/feedback`:
 *   `{scope: 'point'|'series', days?, reason, by?}` → 201 `{feedback}`;
 * - `GET /api/feedback` (`seriesId`, `alertId`, `anomalyId`, `limit`), `DELETE /api/feedback/:id` (revoke);
 * - `GET /api/maintenance`, `POST /api/maintenance` (a window), `DELETE /api/maintenance/:id`.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type Feedback, markedDeviation } from '../../alerting/feedback/feedback.js';
import { maintenanceWindowSchema } from '../../alerting/maintenance/window.js';
import type { Anomaly } from '../../model/types.js';
import type { MaintenanceEntry } from '../../pipeline/pipeline.js';
import type { ApiContext } from '../context.js';
import { ApiError, zodValidationError } from '../errors.js';
import { actorOf } from '../principal.js';
import { limit, parseQuery, text } from './query-params.js';

const DAY_MS = 86_400_000;

const feedbackBody = z
  .object({
    /** `point`: only the marked anomalies; `series`: the series' band widens for `days`. */
    scope: z.enum(['point', 'series']),
    /** Series scope: how long it applies, days (default 7). */
    days: z.number().int().min(1).max(90).optional(),
    /** Why it is not an anomaly (kept for the audit trail). */
    reason: z.string().min(1).max(2000),
    by: z.string().min(1).max(200).optional(),
  })
  .strict()
  .refine((b) => b.scope === 'series' || b.days === undefined, {
    path: ['days'],
    message: 'days applies to the series scope only',
  });

const feedbackQuery = z
  .object({
    seriesId: text.optional(),
    alertId: text.optional(),
    anomalyId: text.optional(),
    limit: limit(1000, 100),
  })
  .strict();

const createdBySchema = z.string().min(1).max(200).optional();

/** Registers the feedback and maintenance routes. */
export function feedbackRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { runtime } = ctx;
  const store = () => runtime.storage.store;

  const record = (
    req: FastifyRequest,
    target: { seriesId: string; alertId: string | null; anomalies: readonly Anomaly[] },
  ) => {
    const parsed = feedbackBody.safeParse(req.body ?? {});
    if (!parsed.success) throw zodValidationError(parsed.error);
    const b = parsed.data;
    const now = Date.now();
    // The largest marked deviation sets how far the band widens.
    let side: Feedback['side'] = 'above';
    let ratio = 1;
    for (const a of target.anomalies) {
      const d = markedDeviation(a);
      if (d.ratio >= ratio) ({ side, ratio } = d);
    }
    const feedback: Feedback = {
      id: randomUUID(),
      seriesId: target.seriesId,
      alertId: target.alertId,
      anomalyIds: target.anomalies.slice(0, 1000).map((a) => a.id),
      scope: b.scope,
      side,
      ratio,
      createdBy: actorOf(req, b.by),
      reason: b.reason,
      createdAt: now,
      expiresAt: b.scope === 'series' ? now + (b.days ?? 7) * DAY_MS : null,
      revokedAt: null,
      revokedBy: null,
    };
    runtime.feedback({ op: 'add', feedback }, now);
    return feedback;
  };

  app.post<{ Params: { id: string } }>('/api/anomalies/:id/feedback', async (req, reply) => {
    runtime.flush(); // the anomaly may be applied but not yet written
    const anomaly = store().anomalies({ id: req.params.id, limit: 1 }).items[0];
    if (!anomaly) throw new ApiError('NOT_FOUND', `no anomaly with id ${req.params.id}`);
    const feedback = record(req, { seriesId: anomaly.seriesId, alertId: null, anomalies: [anomaly] });
    return reply.code(201).send({ feedback });
  });

  app.post<{ Params: { id: string } }>('/api/alerts/:id/feedback', async (req, reply) => {
    runtime.flush(); // its latest anomalies may be applied but not yet written
    const alert = store().getAlert(req.params.id) ?? runtime.pipeline.alerts.openAlert(req.params.id);
    if (!alert) throw new ApiError('NOT_FOUND', `no alert with id ${req.params.id}`);
    const anomalies = store().alertAnomalies(alert.id, 1000);
    const feedback = record(req, { seriesId: alert.seriesId, alertId: alert.id, anomalies });
    return reply.code(201).send({ feedback });
  });

  app.get('/api/feedback', async (req) => {
    const q = parseQuery(feedbackQuery, req.query);
    return {
      items: store().feedback({
        limit: q.limit,
        ...(q.seriesId === undefined ? {} : { seriesId: q.seriesId }),
        ...(q.alertId === undefined ? {} : { alertId: q.alertId }),
        ...(q.anomalyId === undefined ? {} : { anomalyId: q.anomalyId }),
      }),
    };
  });

  app.delete<{ Params: { id: string } }>('/api/feedback/:id', async (req) => {
    const existing = store().feedback({ id: req.params.id, limit: 1 })[0];
    if (!existing) throw new ApiError('NOT_FOUND', `no feedback with id ${req.params.id}`);
    if (existing.revokedAt !== null)
      throw new ApiError('CONFLICT', `feedback ${existing.id} is already revoked`);
    const now = Date.now();
    const feedback: Feedback = { ...existing, revokedAt: now, revokedBy: actorOf(req, undefined) };
    runtime.feedback({ op: 'revoke', feedback }, now);
    return { feedback };
  });

  const view = (
    m: {
      entry: MaintenanceEntry;
      window: { activeAt(t: number): boolean; occurrenceAt(t: number): { start: number; end: number } };
    },
    now: number,
  ) => ({
    id: m.entry.id,
    source: m.entry.source,
    createdBy: m.entry.createdBy,
    createdAt: m.entry.createdAt,
    ...m.entry.window,
    active: m.window.activeAt(now),
    /** The current occurrence when active, else the next one. */
    occurrence: m.window.occurrenceAt(now),
  });

  app.get('/api/maintenance', async () => {
    const now = Date.now();
    return { items: runtime.pipeline.maintenance.map((m) => view(m, now)) };
  });

  app.post('/api/maintenance', async (req, reply) => {
    const body = req.body ?? {};
    const { createdBy: claimed, ...rest } =
      typeof body === 'object' && !Array.isArray(body)
        ? (body as Record<string, unknown>)
        : { createdBy: undefined };
    const by = createdBySchema.safeParse(claimed);
    if (!by.success) throw zodValidationError(by.error, ['createdBy']);
    const parsed = maintenanceWindowSchema.safeParse(
      typeof body === 'object' && !Array.isArray(body) ? rest : body,
    );
    if (!parsed.success) throw zodValidationError(parsed.error);
    const window = parsed.data;
    const createdBy = by.data;
    if (runtime.pipeline.maintenance.some((m) => m.entry.window.name === window.name)) {
      throw new ApiError('CONFLICT', `a maintenance window named "${window.name}" exists`);
    }
    const now = Date.now();
    const entry: MaintenanceEntry = {
      id: randomUUID(),
      source: 'api',
      window,
      createdBy: actorOf(req, createdBy),
      createdAt: now,
    };
    runtime.maintenance({ op: 'upsert', entry }, now);
    const created = runtime.pipeline.maintenance.find((m) => m.entry.id === entry.id);
    return reply.code(201).send({ window: created ? view(created, now) : entry });
  });

  app.delete<{ Params: { id: string } }>('/api/maintenance/:id', async (req) => {
    const existing = runtime.pipeline.maintenance.find((m) => m.entry.id === req.params.id);
    if (!existing) throw new ApiError('NOT_FOUND', `no maintenance window with id ${req.params.id}`);
    if (existing.entry.source === 'config') {
      throw new ApiError('CONFLICT', 'configured maintenance windows are changed in the configuration file');
    }
    runtime.maintenance({ op: 'delete', id: existing.entry.id }, Date.now());
    return { deleted: existing.entry.id };
  });
}
