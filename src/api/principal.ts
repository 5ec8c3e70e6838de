/**
 * Who made a request, for the records it creates (silences, feedback, maintenance windows):
 * the signed-in principal's name when there is one, never what the body claims, else the
 * claimed name (authentication off), else `anonymous`.
 */
import type { FastifyRequest } from 'fastify';

/** @example actorOf(req, body.createdBy) // 'alice' when alice is signed in, whatever body.createdBy says */
export function actorOf(req: FastifyRequest, claimed: string | undefined): string {
  const p = req.vigilPrincipal;
  return p && p.kind !== 'anonymous' ? p.name : (claimed ?? 'anonymous');
}
