/**
 * Child process entry: the baseline HTTP server of the ingest scenarios, a bare Fastify app with
 * - `POST /parse/batch`: parses and validates a batch body with Vigil's own `normalizeBatch`
 *   (same Zod schemas) and answers 202 with the counts: the parse ceiling;
 * - `POST /parse/metrics`: the same for one `/api/metrics` body (`normalizeOne`);
 * - `POST /noop`: parses the JSON body (Fastify's parser) and answers 202 `{}`.
 * Same body limit as Vigil's default. Prints nothing; reports its URL over IPC.
 */
import Fastify from 'fastify';
import { normalizeBatch, normalizeOne } from '../../ingest/normalize.js';
import { serveParent } from '../child.js';

const app = Fastify({ logger: false, bodyLimit: 8 * 1024 * 1024 });
const ctx = () => ({ now: Date.now(), maxFutureMs: 300_000 });

app.post('/parse/batch', async (req, reply) => {
  const r = normalizeBatch(req.body, ctx(), 10_000);
  if (!r.ok) return reply.code(400).send({ issues: r.issues });
  return reply
    .code(202)
    .send({ accepted: r.result.accepted, rejected: r.result.errors.length, points: r.result.items.length });
});
app.post('/parse/metrics', async (req, reply) => {
  const r = normalizeOne('application', req.body, ctx());
  if (!r.ok) return reply.code(400).send({ issues: r.issues });
  return reply.code(202).send({ accepted: 1, rejected: 0, points: r.items.length });
});
app.post('/noop', async (_req, reply) => reply.code(202).send({}));

serveParent(async (msg) => {
  if (msg.type !== 'listen') throw new Error(`unknown message ${msg.type}`);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { type: 'listening', url: `http://127.0.0.1:${port}` };
});
