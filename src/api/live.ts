/**
 * The live feed at `/api/live`: anomalies, alert, incident and silence changes pushed to every
 * WebSocket client as they happen, and points of the series a client subscribed to. A client whose socket buffers
 * more than {@link MAX_BUFFERED_BYTES} is disconnected (terminated) instead of slowing
 * ingestion or growing memory.
 */
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { LiveEvent, PointRecord } from '../model/types.js';
import type { ApiContext } from './context.js';

/** Bytes a client may have unsent before it is dropped. */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

const clientMessage = z.union([
  z.object({
    subscribe: z.object({ points: z.union([z.literal('*'), z.array(z.string().max(64)).max(1000)]) }),
  }),
  z.object({
    unsubscribe: z.object({ points: z.union([z.literal('*'), z.array(z.string().max(64)).max(1000)]) }),
  }),
]);

interface Client {
  readonly socket: WebSocket;
  allPoints: boolean;
  readonly points: Set<string>;
}

/** Registers the WebSocket route and wires it to the bus and the runtime's point stream. */
export function liveRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const clients = new Set<Client>();
  const pointSubscribers = new Map<string, number>();
  let allPointClients = 0;

  /** Text frame options: the payload is UTF-8 encoded once per event, not once per client. */
  const TEXT = { binary: false } as const;
  const send = (c: Client, data: Buffer) => {
    if (c.socket.readyState !== c.socket.OPEN) return;
    if (c.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      // A client this far behind cannot read a close frame either: cut it off.
      c.socket.terminate();
      return;
    }
    c.socket.send(data, TEXT);
  };

  const unsubscribeBus = ctx.runtime.storage.bus.subscribe((event: LiveEvent) => {
    if (clients.size === 0) return;
    const data = Buffer.from(JSON.stringify(event));
    for (const c of clients) send(c, data);
  });

  ctx.runtime.pointListener = (point: PointRecord) => {
    if (allPointClients === 0 && !pointSubscribers.has(point.seriesId)) return;
    const data = Buffer.from(JSON.stringify({ type: 'point', point }));
    for (const c of clients) if (c.allPoints || c.points.has(point.seriesId)) send(c, data);
  };

  const setPoints = (c: Client, ids: '*' | string[], on: boolean) => {
    if (ids === '*') {
      if (c.allPoints !== on) allPointClients += on ? 1 : -1;
      c.allPoints = on;
      return;
    }
    for (const id of ids) {
      if (on === c.points.has(id)) continue;
      if (on) c.points.add(id);
      else c.points.delete(id);
      const n = (pointSubscribers.get(id) ?? 0) + (on ? 1 : -1);
      if (n > 0) pointSubscribers.set(id, n);
      else pointSubscribers.delete(id);
    }
  };

  app.get('/api/live', { websocket: true }, (socket) => {
    const client: Client = { socket, allPoints: false, points: new Set() };
    clients.add(client);
    ctx.metrics.liveClients.set(clients.size);
    socket.send(JSON.stringify({ type: 'hello', serverTime: Date.now() }));
    socket.on('message', (raw) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(String(raw));
      } catch {
        socket.send(JSON.stringify({ type: 'error', message: 'messages must be JSON' }));
        return;
      }
      const r = clientMessage.safeParse(parsed);
      if (!r.success) {
        socket.send(
          JSON.stringify({
            type: 'error',
            message: 'expected {"subscribe":{"points":[ids]|"*"}} or {"unsubscribe":{"points":[ids]|"*"}}',
          }),
        );
        return;
      }
      if ('subscribe' in r.data) setPoints(client, r.data.subscribe.points, true);
      else setPoints(client, r.data.unsubscribe.points, false);
      socket.send(
        JSON.stringify({ type: 'subscribed', points: client.allPoints ? '*' : [...client.points] }),
      );
    });
    socket.on('close', () => {
      setPoints(client, '*', false);
      setPoints(client, [...client.points], false);
      clients.delete(client);
      ctx.metrics.liveClients.set(clients.size);
    });
  });

  app.addHook('onClose', async () => {
    unsubscribeBus();
    ctx.runtime.pointListener = null;
    for (const c of clients) c.socket.close(1001, 'server shutting down');
  });
}
