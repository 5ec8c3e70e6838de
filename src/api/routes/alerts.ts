/**
 * Alert actions: acknowledge (optionally until `expiresInMs` from now: if the alert still fires
 * then, it fires again and notifies again) and resolve, each recorded with who, when and a note.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { ApiError, validationError, zodValidationError } from '../errors.js';

/** Longest acknowledgement expiry, ms (30 days). */
const MAX_ACK_MS = 30 * 86_400_000;

const actionBody = z
  .object({
    by: z.string().min(1).max(200).optional(),
    note: z.string().max(2000).optional(),
    /** Acknowledge only: the acknowledgement lapses after this long, ms (1 min – 30 d). */
    expiresInMs: z.number().int().min(60_000).max(MAX_ACK_MS).optional(),
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
      if (action === 'resolve' && parsed.data.expiresInMs !== undefined) {
        throw validationError([
          { path: ['expiresInMs'], code: 'not_allowed', message: 'only an acknowledgement expires' },
        ]);
      }
      const now = Date.now();
      const result = ctx.runtime.alertAction(
        {
          action,
          alertId: req.params.id,
          by:
            req.vigilPrincipal && req.vigilPrincipal.kind !== 'anonymous'
              ? req.vigilPrincipal.name
              : (parsed.data.by ?? null),
          note: parsed.data.note ?? null,
          ...(parsed.data.expiresInMs === undefined ? {} : { ackExpiresAt: now + parsed.data.expiresInMs }),
        },
        now,
      );
      if (result === 'not_found') throw new ApiError('NOT_FOUND', `no alert with id ${req.params.id}`);
      if (result === 'already_resolved')
        throw new ApiError('CONFLICT', `alert ${req.params.id} is already resolved`);
      return { alert: result };
    });
  }
}
