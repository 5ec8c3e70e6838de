/**
 * Child process entry: `n` WebSocket subscribers of a live feed, counting the messages they
 * receive. `connect` opens them (resolves once each got its `hello`); `arm` resets the counters
 * and starts the clock; `collect` answers once no message arrived for `quietMs` (after the first
 * one) or `timeoutMs` after `arm`, with the count and the time from `arm` to the last message.
 */
import WebSocket from 'ws';
import { serveParent } from '../child.js';

let sockets: WebSocket[] = [];
let count = 0;
let closed = 0;
let lastAt = 0;
let armedAt = 0;
let sampleMessage = '';

async function connect(url: string, n: number): Promise<object> {
  const opened = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(url);
          ws.once('message', () => resolve(ws));
          ws.once('error', reject);
          ws.on('close', () => {
            closed++;
          });
        }),
    ),
  );
  for (const ws of opened) {
    ws.on('message', (raw) => {
      count++;
      lastAt = performance.now();
      if (sampleMessage === '') sampleMessage = String(raw);
    });
  }
  sockets = opened;
  return { type: 'connected', clients: opened.length };
}

function arm(): object {
  count = 0;
  closed = 0;
  sampleMessage = '';
  armedAt = performance.now();
  lastAt = armedAt;
  return { type: 'armed' };
}

async function collect(quietMs: number, timeoutMs: number): Promise<object> {
  for (;;) {
    await new Promise((r) => setTimeout(r, Math.min(20, quietMs)));
    const now = performance.now();
    if (count > 0 && now - lastAt >= quietMs) break;
    if (now - armedAt >= timeoutMs) break;
  }
  return {
    type: 'measured',
    count,
    elapsedMs: lastAt - armedAt,
    closed,
    sampleBytes: Buffer.byteLength(sampleMessage),
  };
}

serveParent(async (msg) => {
  if (msg.type === 'connect') return connect(msg.url as string, msg.n as number);
  if (msg.type === 'arm') return arm();
  if (msg.type === 'collect') return collect(msg.quietMs as number, msg.timeoutMs as number);
  if (msg.type === 'close') {
    for (const ws of sockets) ws.close();
    return { type: 'closed' };
  }
  throw new Error(`unknown message ${msg.type}`);
});
