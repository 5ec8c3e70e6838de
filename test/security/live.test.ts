/**
 * The live feed (WebSocket) needs the read scope, and a cookie-authenticated handshake must
 * come from the dashboard's own origin (cross-site WebSocket hijacking).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type SecureVigil, startSecureVigil } from './real.js';

/** Opens the socket and resolves with the first message, or the handshake's HTTP status. */
function open(url: string, headers: Record<string, string>): Promise<{ message?: string; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/api/live`, { headers });
    ws.on('message', (data) => {
      resolve({ message: String(data) });
      ws.terminate();
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      res.destroy();
      ws.terminate();
    });
    ws.on('error', () => resolve({ status: -1 }));
  });
}

describe('live feed authorization', () => {
  let s: SecureVigil;
  beforeAll(async () => {
    s = await startSecureVigil();
  });
  afterAll(() => s.close());

  it('refuses an anonymous or ingest-only client, and a cookie from another origin', async () => {
    expect((await open(s.url, {})).status).toBe(401);
    expect((await open(s.url, s.as.ingestKey)).status).toBe(403);
    expect(
      (await open(s.url, { cookie: s.as.viewer.cookie ?? '', origin: 'https://evil.example' })).status,
    ).toBe(403);
  });

  it('greets a viewer from the dashboard origin and a read key', async () => {
    expect((await open(s.url, s.as.viewer)).message).toContain('"hello"');
    expect((await open(s.url, s.as.readKey)).message).toContain('"hello"');
  });
});
