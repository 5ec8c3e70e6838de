/**
 * Child process entry: the fan-out baseline, a raw `ws` broadcast server. Sends `hello` on
 * connect (as Vigil does); `POST /broadcast {"count": n, "template": {...}}` serializes `n`
 * events (one `JSON.stringify` each, like Vigil's bus listener) and sends each to every client.
 */
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { serveParent } from '../child.js';

const server = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/broadcast') {
    res.writeHead(404).end();
    return;
  }
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c: string) => {
    body += c;
  });
  req.on('end', () => {
    const { count, template } = JSON.parse(body) as { count: number; template: Record<string, unknown> };
    for (let i = 0; i < count; i++) {
      const data = JSON.stringify({ ...template, n: i });
      for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(data);
    }
    res
      .writeHead(202, { 'content-type': 'application/json' })
      .end(JSON.stringify({ sent: count * wss.clients.size }));
  });
});
const wss = new WebSocketServer({ server, path: '/api/live', maxPayload: 64 * 1024 });
wss.on('connection', (socket) => socket.send(JSON.stringify({ type: 'hello', serverTime: Date.now() })));

serveParent(async (msg) => {
  if (msg.type !== 'listen') throw new Error(`unknown message ${msg.type}`);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { type: 'listening', url: `http://127.0.0.1:${port}` };
});
