/**
 * Receivers: `GET /api/receivers` (configured receivers, secrets redacted, with their latest
 * delivery) and `POST /api/receivers/:name/test` (send one test notification now and answer
 * with the receiver's outcome, as Grafana's contact-point "Test" does).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { publicUrlOf, redactUrl } from '../../config/index.js';
import type { ApiContext } from '../context.js';
import { ApiError, zodValidationError } from '../errors.js';
import { actorOf } from '../principal.js';

const testBody = z
  .object({
    /** Who asks; optional when signed in (the principal's name is used). */
    by: z.string().min(1).max(200).optional(),
  })
  .strict();

/** Registers the receiver routes. */
export function receiverRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const store = () => ctx.runtime.storage.store;

  app.get('/api/receivers', async () => ({
    items: ctx.config.alerting.receivers.map((r) => ({
      name: r.name,
      type: r.type,
      url: r.type === 'email' ? `smtp://${r.smtp.host}:${r.smtp.port}` : redactUrl(r.url),
      minSeverity: r.minSeverity,
      lastDelivery: store().deliveries({ receiver: r.name, limit: 1 })[0] ?? null,
    })),
  }));

  /**
   * 200 `{receiver, status: "ok"|"failed", error, permanent, durationMs}` whatever the receiver
   * answered (its failure is the test's result, not an error of this request); 404 for an
   * unknown receiver; 400 for a bad body.
   */
  app.post<{ Params: { name: string } }>('/api/receivers/:name/test', async (req) => {
    const parsed = testBody.safeParse(req.body ?? {});
    if (!parsed.success) throw zodValidationError(parsed.error);
    const publicUrl = publicUrlOf(ctx.config);
    const by = actorOf(req, parsed.data.by);
    const result = ctx.receiverTester ? await ctx.receiverTester(req.params.name, publicUrl, by) : null;
    if (result === null) throw new ApiError('NOT_FOUND', `no receiver named "${req.params.name}"`);
    const { outcome, durationMs } = result;
    ctx.logger.info(
      { receiver: req.params.name, by, ok: outcome.ok, error: outcome.error },
      'receiver test notification',
    );
    return {
      receiver: req.params.name,
      status: outcome.ok ? 'ok' : 'failed',
      error: outcome.error,
      permanent: outcome.permanent,
      durationMs,
    };
  });
}
