/**
 * Operations routes: `/health`, `/metrics`, `/config`, `/api/stats`.
 */
import type { FastifyInstance } from 'fastify';
import { redactConfig } from '../../config/index.js';
import { SEVERITIES, type Severity } from '../../model/types.js';
import type { ApiContext } from '../context.js';

/** Width of the anomaly-rate buckets in `/api/stats`, ms. */
const STRIP_BUCKET_MS = 10 * 60_000;
/** Span of the anomaly-rate strip, ms. */
const STRIP_SPAN_MS = 6 * 3600_000;

/** Registers the operations routes. */
export function opsRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { runtime } = ctx;
  const store = () => runtime.storage.store;

  app.get('/health', async (_req, reply) => {
    const health = store().health();
    const failure = runtime.storeFailure;
    const ok = health.ok && failure === null;
    return reply.code(ok ? 200 : 503).send({
      status: ok ? 'ok' : 'unavailable',
      store: failure === null ? health : { ...health, ok: false, detail: failure },
      uptimeS: Math.round((Date.now() - ctx.startedAt) / 1000),
      version: ctx.version,
    });
  });

  app.get('/metrics', async (_req, reply) => {
    const body = await ctx.metrics.registry.metrics();
    return reply.type(ctx.metrics.registry.contentType).send(body);
  });

  app.get('/config', async () => redactConfig(ctx.config));

  let lastRate = { at: Date.now(), points: 0, perSec: 0 };
  app.get('/api/stats', async () => {
    const accepted = (await ctx.metrics.pointsAccepted.get()).values.reduce((a, v) => a + v.value, 0);
    const rejected = (await ctx.metrics.pointsRejected.get()).values.reduce((a, v) => a + v.value, 0);
    const now = Date.now();
    if (now - lastRate.at >= 1000) {
      lastRate = {
        at: now,
        points: accepted,
        perSec: ((accepted - lastRate.points) * 1000) / (now - lastRate.at),
      };
    }
    const open = { critical: 0, high: 0, medium: 0, low: 0, info: 0 } as Record<Severity, number>;
    for (const status of ['firing', 'acknowledged'] as const) {
      const counts = store().countAlerts(status);
      for (const s of SEVERITIES) open[s] += counts[s];
    }
    return {
      version: ctx.version,
      uptimeS: Math.round((now - ctx.startedAt) / 1000),
      ingest: {
        pointsAccepted: accepted,
        pointsRejected: rejected,
        ratePerSec: Math.round(lastRate.perSec * 10) / 10,
      },
      seriesCount: runtime.pipeline.series.size,
      alertsOpen: open,
      store: store().health(),
      anomalyRatePerService: anomalyStrip(ctx, now),
    };
  });
}

/** Anomalies per service in 10-minute buckets over the last 6 hours (grouped in the store). */
function anomalyStrip(ctx: ApiContext, now: number) {
  const from = Math.floor((now - STRIP_SPAN_MS) / STRIP_BUCKET_MS) * STRIP_BUCKET_MS;
  const byService = new Map<string, Array<{ t: number; anomalies: number }>>();
  for (const { service, t, anomalies } of ctx.runtime.storage.store.anomalyCounts(from, STRIP_BUCKET_MS)) {
    const list = byService.get(service) ?? [];
    list.push({ t, anomalies });
    byService.set(service, list);
  }
  return [...byService.entries()].map(([service, buckets]) => ({ service, buckets }));
}
