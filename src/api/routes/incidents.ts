/**
 * Incidents and the alert-quality report:
 * - `GET /api/incidents` (`status`, `service`, `from`, `to`, `limit`, `offset`), newest first;
 * - `GET /api/incidents/:id`: the incident (timeline, blast radius) and its alerts;
 * - `GET /api/reports/alert-quality` (`from`, `to`, `flapWindowMs`, `quickResolveMs`, `top`):
 *   notifications, flap rate, quick auto-resolves, time to acknowledge, noisiest series.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { alertQualityReport } from '../../alerting/quality/report.js';
import type { ApiContext } from '../context.js';
import { ApiError, validationError } from '../errors.js';
import { defined, limit, offset, parseQuery, text, time } from './query-params.js';

const incidentsQuery = z
  .object({
    status: z.enum(['open', 'resolved']).optional(),
    service: text.optional(),
    from: time.optional(),
    to: time.optional(),
    limit: limit(1000, 100),
    offset,
  })
  .strict();

const reportQuery = z
  .object({
    from: time.optional(),
    to: time.optional(),
    flapWindowMs: z.coerce
      .number()
      .int()
      .min(0)
      .max(7 * 86_400_000)
      .optional(),
    quickResolveMs: z.coerce.number().int().min(0).max(86_400_000).optional(),
    top: z.coerce.number().int().min(1).max(100).default(10),
  })
  .strict();

/** Default report period: the last 7 days, ms. */
const DEFAULT_REPORT_MS = 7 * 86_400_000;
/** Most alerts and deliveries a report reads. */
const REPORT_ROWS = 100_000;

/** Registers the incident and report routes. */
export function incidentRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const store = () => ctx.runtime.storage.store;

  app.get('/api/incidents', async (req) => store().incidents(defined(parseQuery(incidentsQuery, req.query))));

  app.get<{ Params: { id: string } }>('/api/incidents/:id', async (req) => {
    const incident = ctx.runtime.pipeline.incidents.get(req.params.id) ?? store().getIncident(req.params.id);
    if (!incident) throw new ApiError('NOT_FOUND', `no incident with id ${req.params.id}`);
    return { incident, alerts: store().alerts({ incidentId: incident.id, limit: 1000 }).items };
  });

  app.get('/api/reports/alert-quality', async (req) => {
    const q = parseQuery(reportQuery, req.query);
    const to = q.to ?? Date.now();
    const from = q.from ?? to - DEFAULT_REPORT_MS;
    if (from > to) {
      throw validationError([
        { path: ['query', 'from'], code: 'too_big', message: 'from must not be after to' },
      ]);
    }
    return alertQualityReport(store().alertQualityData(from, to, REPORT_ROWS), {
      from,
      to,
      top: q.top,
      ...(q.flapWindowMs === undefined ? {} : { flapWindowMs: q.flapWindowMs }),
      ...(q.quickResolveMs === undefined ? {} : { quickResolveMs: q.quickResolveMs }),
    });
  });
}
