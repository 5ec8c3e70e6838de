/**
 * A real HTTP server on 127.0.0.1, port 0, that records every request and answers through a handler
 * the test can swap. Used instead of mocking `fetch`.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedRequest {
  readonly method: string;
  /** Path and query, e.g. `/api/anomalies?service=replay`. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON body, or the raw text when it is not JSON; undefined when empty. */
  readonly body: unknown;
  /** Wall time the request was complete, ms (performance.now()). */
  readonly at: number;
}

export interface Reply {
  readonly status: number;
  readonly body?: unknown;
}

export type Handler = (req: CapturedRequest, index: number) => Reply | Promise<Reply>;

/** 202 with the ingest answer of the API contract, counting the items of a batch. */
export const accept: Handler = (req, index) => {
  const items = (req.body as { metrics?: unknown[] } | undefined)?.metrics;
  return { status: 202, body: { accepted: items?.length ?? 1, rejected: 0, errors: [], seq: index + 1 } };
};

export class CaptureServer {
  readonly requests: CapturedRequest[] = [];
  handler: Handler;
  readonly #server: Server;
  #port = 0;

  constructor(handler: Handler = accept) {
    this.handler = handler;
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        if (text !== '') {
          try {
            body = JSON.parse(text);
          } catch {
            body = text;
          }
        }
        const captured: CapturedRequest = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body,
          at: performance.now(),
        };
        const index = this.requests.length;
        this.requests.push(captured);
        void Promise.resolve(this.handler(captured, index)).then((reply) => {
          res.writeHead(reply.status, { 'content-type': 'application/json' });
          res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
        });
      });
    });
  }

  /** Listens on `port` (0 = any free port) and resolves with the base URL. */
  async listen(port = 0): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, '127.0.0.1', () => resolve());
    });
    this.#port = (this.#server.address() as AddressInfo).port;
    return this.url;
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** Requests to `path` (without query), in arrival order. */
  to(path: string): CapturedRequest[] {
    return this.requests.filter((r) => r.url.split('?')[0] === path);
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** Polls `condition` every 10 ms until it holds; throws after `timeoutMs` with `what` in the message. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A port that was free a moment ago and has nothing listening on it now. */
export async function freePort(): Promise<number> {
  const s = new CaptureServer();
  const url = await s.listen();
  await s.close();
  return Number(new URL(url).port);
}

/** The `metrics` items of a captured `/api/batch` request (empty when there is no such request). */
export function batchItems<T = Record<string, unknown>>(req: CapturedRequest | undefined): T[] {
  return (req?.body as { metrics?: T[] } | undefined)?.metrics ?? [];
}
