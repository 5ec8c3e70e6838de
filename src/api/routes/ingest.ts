/**
 * Ingest routes: `/api/metrics`, `/api/business-metrics`, `/api/logs`, `/api/batch`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IngestItem } from '../../ingest/items.js';
import {
  type NormalizeResult,
  normalizeBatch,
  normalizeOne,
  type RequestKind,
} from '../../ingest/normalize.js';
import type { ApiContext } from '../context.js';
import { ApiError, validationError } from '../errors.js';

const MAX_KEY_LENGTH = 200;

/** Idempotency key from the `Idempotency-Key` header or a body's `batch_id`. */
function idempotencyKey(req: FastifyRequest, route: string): string | undefined {
  const header = req.headers['idempotency-key'];
  let key: unknown = Array.isArray(header) ? header[0] : header;
  const body = req.body as { batch_id?: unknown } | null;
  if (key === undefined && body && typeof body === 'object' && 'batch_id' in body) key = body.batch_id;
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw validationError([
      {
        path: ['Idempotency-Key'],
        code: 'invalid_idempotency_key',
        message: `idempotency key (header or batch_id) must be a string of 1 to ${MAX_KEY_LENGTH} characters`,
      },
    ]);
  }
  return `${route}\u0000${key}`;
}

const SINGLE_ROUTES: ReadonlyArray<readonly [string, RequestKind]> = [
  ['/api/metrics', 'application'],
  ['/api/business-metrics', 'business'],
  ['/api/logs', 'log'],
];

/** Registers the ingest routes. */
export function ingestRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { runtime, metrics, config } = ctx;

  const submit = (
    route: string,
    items: IngestItem[],
    accepted: number,
    rejected: number,
    key: string | undefined,
  ) => {
    const started = performance.now();
    const outcome = runtime.ingest(items, { accepted, rejected, points: items.length }, key, Date.now());
    if (!outcome.duplicate) {
      metrics.detectionSeconds.observe({ route }, (performance.now() - started) / 1000);
      metrics.pointsAccepted.inc({ route }, items.length);
      if (rejected > 0) metrics.pointsRejected.inc({ route }, rejected);
    }
    return outcome;
  };

  for (const [route, kind] of SINGLE_ROUTES) {
    app.post(route, async (req, reply) => {
      const key = idempotencyKey(req, route);
      const r: NormalizeResult = normalizeOne(kind, req.body, {
        now: Date.now(),
        maxFutureMs: config.detection.maxFutureMs,
      });
      if (!r.ok) {
        metrics.pointsRejected.inc({ route }, 1);
        throw validationError(r.issues);
      }
      app.vigilSecurity.admitIngest(req, r.items);
      const outcome = submit(route, r.items, 1, 0, key);
      return reply.code(202).send({
        ...outcome.answer,
        errors: [],
        seq: outcome.seq,
        duplicate: outcome.duplicate,
      });
    });
  }

  app.post('/api/batch', async (req, reply) => {
    const route = '/api/batch';
    const key = idempotencyKey(req, route);
    const r = normalizeBatch(
      req.body,
      { now: Date.now(), maxFutureMs: config.detection.maxFutureMs },
      config.server.maxBatchItems,
    );
    if (!r.ok) throw validationError(r.issues);
    const { items, accepted, errors } = r.result;
    if (accepted === 0) {
      metrics.pointsRejected.inc({ route }, errors.length);
      if (errors.length === 0) {
        throw validationError([
          { path: ['metrics'], code: 'too_small', message: 'metrics must hold at least one item' },
        ]);
      }
      throw new ApiError(
        'VALIDATION_FAILED',
        `none of the ${errors.length} batch items is valid`,
        errors.flatMap((e) => e.issues),
      );
    }
    app.vigilSecurity.admitIngest(req, items);
    const outcome = submit(route, items, accepted, errors.length, key);
    return reply
      .code(202)
      .send({ ...outcome.answer, errors, seq: outcome.seq, duplicate: outcome.duplicate });
  });
}
