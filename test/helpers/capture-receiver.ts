/**
 * A capturing HTTP receiver on loopback: records method, path, headers and body of every
 * request, and answers each one as the test decides at that moment — a status (with optional
 * headers), or `hold` to keep the request open without ever answering.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver saw, and what became of it. */
export interface CapturedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Arrival time, Unix ms. */
  readonly at: number;
  /** Status answered, `held` while held open, `aborted` when the client went away while held. */
  outcome: number | 'held' | 'aborted';
}

/** How to answer a request: a status (and headers), or keep it open. */
export type Answer = { status: number; headers?: Record<string, string> } | 'hold';

/** Decides the answer of the request number `index` (from 0). */
export type Responder = (index: number, req: CapturedRequest) => Answer;

/** A running capture receiver. */
export interface CaptureReceiver {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** Every request seen, in arrival order. */
  readonly requests: CapturedRequest[];
  /** Replaces the responder for the requests to come. */
  respond(responder: Responder): void;
  /** Drops every held request (destroys its socket). */
  dropHeld(): void;
  /** Drops held requests, closes every connection and stops listening. */
  close(): Promise<void>;
}

/** Starts a capture receiver on 127.0.0.1 with a free port. */
export async function startCaptureReceiver(
  initial: Responder = () => ({ status: 200 }),
): Promise<CaptureReceiver> {
  let responder = initial;
  const requests: CapturedRequest[] = [];
  const held = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const captured: CapturedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
        outcome: 'held',
      };
      const answer = responder(requests.length, captured);
      requests.push(captured);
      if (answer === 'hold') {
        held.add(res);
        res.on('close', () => {
          held.delete(res);
          if (captured.outcome === 'held') captured.outcome = 'aborted';
        });
        return;
      }
      captured.outcome = answer.status;
      res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
      res.end(answer.status < 300 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const dropHeld = () => {
    for (const res of held) res.destroy();
    held.clear();
  };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respond(r) {
      responder = r;
    },
    dropHeld,
    close() {
      dropHeld();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
