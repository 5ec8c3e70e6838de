/**
 * Prometheus metrics about Vigil itself, exposed at `GET /metrics`.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { ReceiverAttempts } from '../alerting/receivers/sender.js';
import { silenceState } from '../alerting/silences/index.js';
import type { Runtime } from '../pipeline/runtime.js';

/** The metrics one app instance exposes (its own registry, so several apps can run in one process). */
export interface VigilMetrics {
  readonly registry: Registry;
  readonly pointsAccepted: Counter<'route'>;
  readonly pointsRejected: Counter<'route'>;
  readonly requestsRejected: Counter<'code'>;
  /** Time to log and apply one ingest request (detection included), seconds. */
  readonly detectionSeconds: Histogram<'route'>;
  readonly liveClients: Gauge;
}

/**
 * Creates the registry, reading gauges and counters from the runtime at scrape time.
 * @param deliveries the delivery attempts per receiver so far (`DeliverySender.attemptCounts`);
 *   without it the notification counters stay empty.
 */
export function createMetrics(
  runtime: Runtime,
  deliveries?: () => readonly ReceiverAttempts[],
): VigilMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'vigil_' });
  const pipeline = runtime.pipeline;
  new Gauge({
    name: 'vigil_series',
    help: 'Series known to the detector',
    registers: [registry],
    collect() {
      this.set(pipeline.series.size);
    },
  });
  new Gauge({
    name: 'vigil_open_alerts',
    help: 'Alerts firing or acknowledged',
    registers: [registry],
    collect() {
      this.set(pipeline.alerts.openCount);
    },
  });
  new Counter({
    name: 'vigil_samples_detected_total',
    help: 'Samples scored by the detectors (derived rate samples included)',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(pipeline.counters.samples);
    },
  });
  new Counter({
    name: 'vigil_anomalies_total',
    help: 'Anomalous samples flagged',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(pipeline.counters.anomalies);
    },
  });
  new Counter({
    name: 'vigil_items_failed_total',
    help: 'Accepted items the pipeline could not apply (each is logged as an error)',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(pipeline.counters.failedItems);
    },
  });
  new Counter({
    name: 'vigil_notifications_total',
    help: 'Notification attempts that a receiver accepted',
    labelNames: ['receiver', 'type'],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of deliveries?.() ?? []) this.inc({ receiver: r.receiver, type: r.type }, r.delivered);
    },
  });
  new Counter({
    name: 'vigil_notifications_failed_total',
    help: 'Notification attempts that failed (retried with backoff, or given up after the last attempt)',
    labelNames: ['receiver', 'type'],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of deliveries?.() ?? []) this.inc({ receiver: r.receiver, type: r.type }, r.failed);
    },
  });
  new Gauge({
    name: 'vigil_silences',
    help: 'Silences by state (expired ones are kept for a day)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const now = Date.now();
      const counts = { active: 0, pending: 0, expired: 0 };
      for (const s of pipeline.silences) counts[silenceState(s, now)]++;
      for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
    },
  });
  new Gauge({
    name: 'vigil_open_incidents',
    help: 'Incidents with an alert still open',
    registers: [registry],
    collect() {
      this.set(pipeline.incidents.openCount);
    },
  });
  new Gauge({
    name: 'vigil_ingest_log_bytes',
    help: 'Size of the write-ahead ingest log on disk',
    registers: [registry],
    collect() {
      this.set(runtime.storage.log.sizeBytes());
    },
  });
  new Gauge({
    name: 'vigil_store_writable',
    help: '1 when the store accepts writes, 0 while it fails',
    registers: [registry],
    collect() {
      this.set(runtime.storeFailure === null ? 1 : 0);
    },
  });
  return {
    registry,
    pointsAccepted: new Counter({
      name: 'vigil_points_accepted_total',
      help: 'Points accepted by ingest routes',
      labelNames: ['route'],
      registers: [registry],
    }),
    pointsRejected: new Counter({
      name: 'vigil_points_rejected_total',
      help: 'Points (or batch items) rejected by ingest routes',
      labelNames: ['route'],
      registers: [registry],
    }),
    requestsRejected: new Counter({
      name: 'vigil_http_errors_total',
      help: 'Requests answered with an error, by error code',
      labelNames: ['code'],
      registers: [registry],
    }),
    detectionSeconds: new Histogram({
      name: 'vigil_detection_duration_seconds',
      help: 'Time to log and apply one ingest request, detection included',
      labelNames: ['route'],
      buckets: [0.00001, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.1, 0.5],
      registers: [registry],
    }),
    liveClients: new Gauge({
      name: 'vigil_live_clients',
      help: 'Connected live-feed clients',
      registers: [registry],
    }),
  };
}
