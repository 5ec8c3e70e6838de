/**
 * Alert actions: acknowledge and resolve, each recorded with who, when and a note.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { ApiError, zodValidationError } from '../errors.js';

const actionBody = z
  .object({
    by: z.string().min(1).max(200).optional(),
    note: z.string().max(2000).optional(),
  })
  .strict();

/** Registers `POST /api/alerts/:id/acknowledge` and `POST /api/alerts/:id/resolve`. */
export function alertRoutes(app: FastifyInstance, ctx: ApiContext): void {
  for (const action of ['acknowledge', 'resolve'] as const) {
    app.post<{ Params: { id: string } }>(`/api/alerts/:id/${action}`, async (req) => {
      const parsed = actionBody.safeParse(req.body ?? {});
      if (!parsed.success) {
        throw zodValidationError(parsed.error);
      }
      const result = ctx.runtime.alertAction(
        {
          action,
          alertId: req.params.id,
          by:
            req.vigilPrincipal && req.vigilPrincipal.kind !== 'anonymous'
              ? req.vigilPrincipal.name
              : (parsed.data.by ?? null),
          note: parsed.data.note ?? null,
        },
        Date.now(),
      );
      if (result === 'not_found') throw new ApiError('NOT_FOUND', `no alert with id ${req.params.id}`);
      if (result === 'already_resolved')
        throw new ApiError('CONFLICT', `alert ${req.params.id} is already resolved`);
      return { alert: result };
    });
  }
}
