/**
 * Read routes: series catalog, points, anomalies, alerts, deliveries, logs.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { ApiError } from '../errors.js';
import { defined, limit, offset, parseQuery, severity, text, time } from './query-params.js';

const seriesQuery = z
  .object({
    search: text.optional(),
    service: text.optional(),
    endpoint: text.optional(),
    metric: text.optional(),
    limit: limit(1000, 100),
    offset,
  })
  .strict();
const pointsQuery = z
  .object({ from: time.optional(), to: time.optional(), limit: limit(100_000, 10_000) })
  .strict();
const anomaliesQuery = z
  .object({
    from: time.optional(),
    to: time.optional(),
    service: text.optional(),
    severity: severity.optional(),
    type: text.optional(),
    seriesId: text.optional(),
    limit: limit(1000, 100),
    offset,
  })
  .strict();
const alertsQuery = z
  .object({
    status: z.enum(['firing', 'acknowledged', 'resolved']).optional(),
    severity: severity.optional(),
    service: text.optional(),
    seriesId: text.optional(),
    from: time.optional(),
    to: time.optional(),
    limit: limit(1000, 100),
    offset,
  })
  .strict();
const deliveriesQuery = z
  .object({
    receiver: text.optional(),
    alertId: text.optional(),
    status: z.enum(['pending', 'delivered', 'failed']).optional(),
    limit: limit(1000, 100),
  })
  .strict();
const logsQuery = z.object({ service: text.optional(), limit: limit(1000, 100) }).strict();
const fingerprintsQuery = z
  .object({ service: text.optional(), from: time.optional(), to: time.optional(), limit: limit(360, 60) })
  .strict();
const correlationsQuery = z
  .object({ from: time.optional(), to: time.optional(), limit: limit(1000, 100) })
  .strict();

/** Registers the read routes. */
export function queryRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const store = () => ctx.runtime.storage.store;

  app.get('/api/series', async (req) => store().listSeries(defined(parseQuery(seriesQuery, req.query))));

  app.get<{ Params: { id: string } }>('/api/series/:id', async (req) => {
    const s = store().getSeries(req.params.id);
    if (!s) throw new ApiError('NOT_FOUND', `no series with id ${req.params.id}`);
    return s;
  });

  app.get<{ Params: { id: string } }>('/api/series/:id/points', async (req) => {
    const q = parseQuery(pointsQuery, req.query);
    const series = store().getSeries(req.params.id);
    if (!series) throw new ApiError('NOT_FOUND', `no series with id ${req.params.id}`);
    return { series, points: store().points(req.params.id, defined(q)) };
  });

  app.get('/api/anomalies', async (req) => store().anomalies(defined(parseQuery(anomaliesQuery, req.query))));

  app.get('/api/alerts', async (req) => store().alerts(defined(parseQuery(alertsQuery, req.query))));

  app.get<{ Params: { id: string } }>('/api/alerts/:id', async (req) => {
    const alert = store().getAlert(req.params.id) ?? ctx.runtime.pipeline.alerts.openAlert(req.params.id);
    if (!alert) throw new ApiError('NOT_FOUND', `no alert with id ${req.params.id}`);
    return {
      alert,
      history: store().alertHistory(alert.id),
      anomalies: store().alertAnomalies(alert.id, 500),
    };
  });

  app.get('/api/deliveries', async (req) => ({
    items: store().deliveries(defined(parseQuery(deliveriesQuery, req.query))),
  }));

  app.get('/api/fingerprints', async (req) => {
    const q = parseQuery(fingerprintsQuery, req.query);
    const system = ctx.runtime.pipeline.system;
    const services = system.fingerprints(q.service).map(({ service, points }) => {
      const inRange = points.filter(
        (p) =>
          (q.from === undefined || p.fingerprint.windowEnd >= q.from) &&
          (q.to === undefined || p.fingerprint.windowStart <= q.to),
      );
      return {
        service,
        points: inRange.slice(-q.limit).map(({ fingerprint, verdict }) => ({
          ...fingerprint,
          score: verdict.score,
          anomalous: verdict.anomalous,
          warmup: verdict.warmup,
          contributions: verdict.contributions,
          expected: verdict.expected,
        })),
      };
    });
    return { windowMs: system.fingerprintWindowMs, services };
  });

  app.get('/api/correlations', async (req) => {
    const q = parseQuery(correlationsQuery, req.query);
    const groups = ctx.runtime.pipeline.system
      .groups()
      .filter((g) => (q.from === undefined || g.last >= q.from) && (q.to === undefined || g.first <= q.to));
    return { total: groups.length, groups: groups.slice(-q.limit).reverse() };
  });

  app.get('/api/logs', async (req) => {
    const q = parseQuery(logsQuery, req.query);
    return { items: store().recentLogs(q.service, q.limit) };
  });
}
