/**
 * A tiny stand-in for the parts of Vigil's HTTP API that `runReplay` talks to, served over a real socket by
 * {@link CaptureServer}: it records `/api/batch` items, serves `/api/series` from them (lastSeen = newest
 * timestamp), and serves the anomalies and alerts the test puts in.
 */
import { type CapturedRequest, CaptureServer, type Reply } from '../agent/capture-server.js';

export interface BatchItem {
  type: string;
  service: string;
  endpoint: string;
  metrics: { value: number };
  timestamp: number;
}

export class FakeVigil {
  readonly server: CaptureServer;
  readonly items: BatchItem[] = [];
  anomalies: Array<Record<string, unknown>> = [];
  alerts: Array<Record<string, unknown>> = [];
  /** Items rejected per request (by index within the request), for testing the rejected path. */
  rejectIndex: number | undefined;

  constructor() {
    this.server = new CaptureServer((req) => this.#handle(req));
  }

  listen(): Promise<string> {
    return this.server.listen();
  }

  close(): Promise<void> {
    return this.server.close();
  }

  static seriesId(endpoint: string): string {
    return `sid-${endpoint}`;
  }

  #handle(req: CapturedRequest): Reply {
    const u = new URL(req.url, 'http://x');
    const q = u.searchParams;
    const page = (list: unknown[]): Reply => {
      const limit = Number(q.get('limit') ?? 50);
      const offset = Number(q.get('offset') ?? 0);
      return { status: 200, body: { total: list.length, items: list.slice(offset, offset + limit) } };
    };
    switch (`${req.method} ${u.pathname}`) {
      case 'POST /api/batch': {
        const items = (req.body as { metrics: BatchItem[] }).metrics;
        const bad = this.rejectIndex;
        items.forEach((it, i) => {
          if (i !== bad) this.items.push(it);
        });
        const errors =
          bad === undefined
            ? []
            : [{ index: bad, issues: [{ path: ['metrics', bad], code: 'x', message: 'nope' }] }];
        return {
          status: 202,
          body: { accepted: items.length - errors.length, rejected: errors.length, errors, seq: 1 },
        };
      }
      case 'GET /api/series': {
        const ofEndpoint = this.items.filter(
          (i) => i.service === q.get('service') && i.endpoint === q.get('endpoint'),
        );
        if (ofEndpoint.length === 0) return page([]);
        const endpoint = q.get('endpoint') ?? '';
        return page([
          {
            id: FakeVigil.seriesId(endpoint),
            service: q.get('service'),
            endpoint,
            metric: 'value',
            labels: {},
            lastSeen: Math.max(...ofEndpoint.map((i) => i.timestamp)),
          },
        ]);
      }
      case 'GET /api/anomalies':
        return page(
          this.anomalies.filter(
            (a) => a.service === q.get('service') && (!q.has('seriesId') || a.seriesId === q.get('seriesId')),
          ),
        );
      case 'GET /api/alerts':
        return page(this.alerts.filter((a) => a.service === q.get('service')));
      default:
        return { status: 404, body: { statusCode: 404 } };
    }
  }
}

/** An anomaly record as the API serves it, with the fields the replay reads. */
export function anomaly(
  endpoint: string,
  t: number,
  score: number,
  service = 'replay',
): Record<string, unknown> {
  return {
    id: `${endpoint}-${t}`,
    seriesId: FakeVigil.seriesId(endpoint),
    service,
    endpoint,
    metric: 'value',
    t,
    value: 1,
    score,
    type: 'spike',
    severity: 'high',
  };
}

/** An alert record as the API serves it. */
export function alert(
  id: string,
  endpoint: string,
  startsAt: number,
  service = 'replay',
): Record<string, unknown> {
  return {
    id,
    seriesId: FakeVigil.seriesId(endpoint),
    service,
    endpoint,
    metric: 'value',
    status: 'firing',
    severity: 'high',
    startsAt,
    lastAnomalyAt: startsAt + 300_000,
    resolvedAt: null,
    anomalyCount: 2,
    maxScore: 0.99,
    type: 'spike',
  };
}
