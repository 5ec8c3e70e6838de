/**
 * Silences: `GET /api/silences`, `POST /api/silences`, `DELETE /api/silences/:id`. Every change
 * is a `silence` record in the ingest log, so it survives restarts and replays exactly.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type Silence, silenceMatcherSchema, silenceState } from '../../alerting/silences/index.js';
import type { ApiContext } from '../context.js';
import { ApiError, validationError, zodValidationError } from '../errors.js';
import { actorOf } from '../principal.js';

const createBody = z
  .object({
    matchers: z.array(silenceMatcherSchema).min(1).max(50),
    /** Unix ms; default now. */
    startsAt: z.number().int().min(0).optional(),
    /** Unix ms; mandatory: every silence ends. */
    endsAt: z.number().int().min(0),
    /** Who created it; optional when signed in (the principal's name is used), else `anonymous`. */
    createdBy: z.string().min(1).max(200).optional(),
    comment: z.string().max(2000).default(''),
  })
  .strict();

/** A silence as answered, with its state now. */
function view(s: Silence, now: number) {
  return { ...s, state: silenceState(s, now) };
}

/**
 * Checks what every new silence needs (here and in the Alertmanager API): an end in the future
 * and after its start (times Unix ms), and a receiver to mute.
 * @throws {ApiError} 400 naming `endsAt`, or 409 when no receiver is configured
 */
export function assertSilenceAllowed(ctx: ApiContext, startsAt: number, endsAt: number, now: number): void {
  if (endsAt <= Math.max(startsAt, now)) {
    throw validationError([
      { path: ['endsAt'], code: 'too_small', message: 'endsAt must be in the future and after startsAt' },
    ]);
  }
  if (ctx.config.alerting.receivers.length === 0) {
    throw new ApiError(
      'CONFLICT',
      'no receivers are configured: silences mute notifications, so configure a receiver first',
    );
  }
}

/** Registers the silence routes. */
export function silenceRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { runtime } = ctx;

  app.get('/api/silences', async () => {
    const now = Date.now();
    return { items: runtime.pipeline.silences.map((s) => view(s, now)) };
  });

  app.post('/api/silences', async (req, reply) => {
    const parsed = createBody.safeParse(req.body ?? {});
    if (!parsed.success) {
      throw zodValidationError(parsed.error);
    }
    const now = Date.now();
    const startsAt = parsed.data.startsAt ?? now;
    assertSilenceAllowed(ctx, startsAt, parsed.data.endsAt, now);
    const createdBy = actorOf(req, parsed.data.createdBy);
    const silence: Silence = { id: randomUUID(), ...parsed.data, createdBy, startsAt };
    runtime.silence({ op: 'upsert', silence }, now);
    return reply.code(201).send({ silence: view(silence, now) });
  });

  app.delete<{ Params: { id: string } }>('/api/silences/:id', async (req) => {
    const existing = runtime.pipeline.silences.find((s) => s.id === req.params.id);
    if (!existing) throw new ApiError('NOT_FOUND', `no silence with id ${req.params.id}`);
    const now = Date.now();
    runtime.silence({ op: 'expire', id: existing.id }, now);
    const updated = runtime.pipeline.silences.find((s) => s.id === existing.id) ?? existing;
    return { silence: view(updated, now) };
  });
}
