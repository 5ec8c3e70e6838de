/**
 * The live feed never lets a slow client slow ingestion: a client that stops reading is cut off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RunningVigil } from '../../src/server.js';
import { get, post, startTestVigil, tempDir, waitFor } from '../helpers/vigil.js';

let vigil: RunningVigil;
let cleanup: () => void;

beforeAll(async () => {
  const tmp = tempDir();
  cleanup = tmp.cleanup;
  vigil = await startTestVigil(tmp.dir);
});
afterAll(async () => {
  await vigil.close();
  cleanup();
});

async function liveClients(): Promise<number> {
  const text = (await get(`${vigil.url}/metrics`)).body as string;
  return Number(/^vigil_live_clients (\d+)/m.exec(text)?.[1]);
}

describe('live feed back-pressure', () => {
  it('drops a client that stops reading, while ingestion keeps answering', async () => {
    const slow = new WebSocket(`${vigil.url.replace('http', 'ws')}/api/live`);
    await new Promise((r) => slow.once('open', r));
    const fast = new WebSocket(`${vigil.url.replace('http', 'ws')}/api/live`);
    let fastGot = 0;
    fast.on('message', () => {
      fastGot++;
    });
    await new Promise((r) => fast.once('open', r));
    expect(await liveClients()).toBe(2);
    // Stop reading on the slow client: its TCP window fills, then the server's buffer grows.
    (slow as unknown as { _socket: { pause(): void } })._socket.pause();
    slow.send(JSON.stringify({ subscribe: { points: '*' } }));
    fast.send(JSON.stringify({ subscribe: { points: '*' } }));
    const pad = 'p'.repeat(150);
    let sent = 0;
    await waitFor(
      async () => {
        const items = Array.from({ length: 500 }, (_, i) => ({
          type: 'metric',
          service: 'flood',
          endpoint: `${pad}${i % 50}`,
          metrics: { x: sent + i },
          timestamp: Date.UTC(2026, 0, 1) + sent + i,
        }));
        sent += 500;
        const r = await post(`${vigil.url}/api/batch`, { metrics: items });
        expect(r.status).toBe(202);
        return (await liveClients()) === 1;
      },
      30_000,
      0,
    );
    expect(fastGot).toBeGreaterThan(500);
    fast.close();
  });
});
