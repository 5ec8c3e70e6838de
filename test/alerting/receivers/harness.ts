/** Test harness: a capturing HTTP server on port 0, a real SQLite outbox, notifications. */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Notification, parseNotification } from '../../../src/alerting/receivers/index.js';
import { Notifier } from '../../../src/alerting/routing/index.js';
import type { Alert, AlertAction, Delivery } from '../../../src/model/types.js';
import { SqliteStore } from '../../../src/store/sqlite/index.js';
import { makeAlert, tree } from '../routing/fixtures.js';

export interface Captured {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** Reply of the capture server: status and optional headers, per request number (from 0). */
export type Responder = (
  index: number,
  req: Captured,
) => { status: number; headers?: Record<string, string>; body?: string };

/** Starts an HTTP server on 127.0.0.1:0 that records every request. */
export async function captureServer(respond: Responder = () => ({ status: 200 })) {
  const requests: Captured[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const captured = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      const reply = respond(requests.length, captured);
      requests.push(captured);
      res.writeHead(reply.status, reply.headers ?? {});
      res.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A real SQLite store in a temporary directory. */
export function tempStore() {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-receivers-'));
  const store = SqliteStore.open(dir);
  return {
    store,
    put(deliveries: readonly Delivery[]) {
      store.commit({
        throughSeq: 0,
        series: [],
        points: [],
        anomalies: [],
        alerts: [],
        alertEvents: [],
        deliveries,
        logs: [],
      });
    },
    close() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The real notifier with one receiver (groupWait 0, one group per service, every change at once). */
export function notifierFor(receiver: string, perAlert: boolean): Notifier {
  return new Notifier({
    tree: tree({ receiver, groupBy: ['service'], groupWaitMs: 0, groupIntervalMs: 0 }),
    receivers: [{ name: receiver, minSeverity: 'info', perAlert }],
    publicUrl: 'https://vigil.example.com',
  });
}

/** Action that produces an alert in this state. */
export function actionOf(a: Alert): AlertAction {
  return a.status === 'resolved' ? 'resolved' : a.status === 'acknowledged' ? 'acknowledged' : 'opened';
}

/** Deliveries for `receiver` produced by a fresh notifier for alerts changing at `now`. */
export function deliveriesFor(
  receiver: string,
  perAlert: boolean,
  alerts: readonly Alert[],
  now = 5_000_000,
): Delivery[] {
  const n = notifierFor(receiver, perAlert);
  for (const a of alerts) n.alertChanged(a, actionOf(a), { value: 950, expected: 120 }, now);
  return n.flush(now);
}

/** A one-alert notification. */
export function notificationOf(receiver: string, alert: Alert = makeAlert()): Notification {
  const [d] = deliveriesFor(receiver, false, [alert]);
  if (!d) throw new Error('no delivery');
  return parseNotification(d.payload);
}

/** An alert whose text fields carry markup and injection attempts. */
export const HOSTILE = makeAlert({
  id: '66',
  service: '<script>alert(1)</script>',
  summary: 'value <b>9</b> & "quotes" \'single\' <img src=x onerror=alert(2)>',
  note: '<script>steal()</script>',
  labels: { region: '<eu>' },
});

export const SILENT_LOGGER = {
  warn() {},
  info() {},
  error() {},
  debug() {},
} as unknown as import('pino').Logger;
