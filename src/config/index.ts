/**
 * Vigil's configuration: one schema with defaults and units, read from an optional JSON
 * file and `VIGIL_*` environment variables, validated once at start, frozen.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { maintenanceWindowSchema } from '../alerting/maintenance/window.js';
import { noDataRuleSchema } from '../alerting/no-data/watch.js';
import { type ReceiverConfig, receiverConfigSchema, redactReceiver } from '../alerting/receivers/config.js';
import { routeTreeSchema } from '../alerting/routing/schema.js';
import { unknownReceivers } from '../alerting/routing/tree.js';
import { redactSecurityConfig, SECURITY_ENV, securityConfigSchema } from '../security/config.js';

export type { ReceiverConfig };

/** The configuration schema; every field has a default, unknown keys are rejected. */
export const configSchema = z
  .object({
    server: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8080),
        /** Largest request body accepted, bytes. */
        bodyLimitBytes: z
          .number()
          .int()
          .min(1024)
          .default(8 * 1024 * 1024),
        /** Most items in one `/api/batch` request. */
        maxBatchItems: z.number().int().min(1).default(10_000),
        /** Public URL of the dashboard, for links in notifications; default http://host:port. */
        publicUrl: z.string().optional(),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 8080, bodyLimitBytes: 8 * 1024 * 1024, maxBatchItems: 10_000 }),
    storage: z
      .object({
        dataDir: z.string().min(1).default('./data'),
        /** WAL fsync policy: `always` survives power loss per request; `interval` at most 100 ms of loss on power loss; all survive `kill -9`. */
        fsync: z.enum(['always', 'interval', 'never']).default('interval'),
        /** Derived rows are committed at least this often, ms. */
        flushIntervalMs: z.number().int().min(5).max(10_000).default(100),
        /** Detector and alert state checkpoint period, ms. */
        checkpointIntervalMs: z.number().int().min(100).default(10_000),
        /** Points kept per series, measured back from its newest point, ms (default 7 d). */
        pointsRetentionMs: z
          .number()
          .int()
          .min(60_000)
          .default(7 * 24 * 3600_000),
        /** Log messages kept per service. */
        logsPerService: z.number().int().min(0).default(1000),
        /**
         * Events kept, ms (default 90 d, at least 1 h): anomalies (by event time), resolved alerts
         * with their history, finished deliveries, resolved incidents and feedback that stopped
         * applying are deleted this long after they happened (see `Store.prune`). Open alerts and
         * incidents, their anomalies, and pending deliveries are never deleted.
         */
        eventsRetentionMs: z
          .number()
          .int()
          .min(3_600_000)
          .default(90 * 24 * 3600_000),
      })
      .strict()
      .default({
        dataDir: './data',
        fsync: 'interval',
        flushIntervalMs: 100,
        checkpointIntervalMs: 10_000,
        pointsRetentionMs: 7 * 24 * 3600_000,
        logsPerService: 1000,
        eventsRetentionMs: 90 * 24 * 3600_000,
      }),
    detection: z
      .object({
        /** The one knob, 0..1: higher flags more. */
        sensitivity: z.number().min(0).max(1).default(0.5),
        /** Event-time window of request/error/log rate series, ms. */
        rateWindowMs: z.number().int().min(1000).default(60_000),
        /** Timestamps further than this in the future are rejected, ms. */
        maxFutureMs: z.number().int().min(0).default(300_000),
      })
      .strict()
      .default({ sensitivity: 0.5, rateWindowMs: 60_000, maxFutureMs: 300_000 }),
    alerting: z
      .object({
        /** Anomalous points within `triggerWindowMs` needed to open an alert (1 = first anomaly opens). */
        triggerCount: z.number().int().min(1).default(1),
        triggerWindowMs: z.number().int().min(0).default(300_000),
        /** The series must be normal this long (event time) before an alert auto-resolves, ms. */
        recoveryWindowMs: z.number().int().min(0).default(600_000),
        /** Anomalies scoring at least this are `critical` immediately. */
        criticalScore: z.number().min(0).max(1).default(0.999),
        /** Webhook, Slack, Teams, PagerDuty and email receivers; names are unique. */
        receivers: z.array(receiverConfigSchema).default([]),
        /** Routing tree (Alertmanager semantics); without it every receiver gets every change at once. */
        routing: routeTreeSchema.optional(),
        /** An open critical alert mutes lower-severity alerts of the same service. */
        inhibit: z.boolean().default(true),
        /** Recurring maintenance windows: matching alerts muted, matching series not learned from. */
        maintenance: z.array(maintenanceWindowSchema).default([]),
        /** How long before a silence ends its creator's receivers get a reminder, ms (0 = none). */
        silenceReminderMs: z.number().int().min(0).default(3_600_000),
        /** Series that must keep reporting: a `no_data` alert when one is silent longer than its rule allows. */
        noData: z.array(noDataRuleSchema).max(100).default([]),
        /** Retry policy of every receiver's deliveries. */
        delivery: z
          .object({
            /** Attempts before a delivery is marked failed. */
            maxAttempts: z.number().int().min(1).max(100).default(8),
            /** First retry delay, ms; doubles per attempt (full jitter) up to `maxDelayMs`. */
            baseDelayMs: z.number().int().min(10).default(1000),
            /** Longest retry delay, ms. */
            maxDelayMs: z.number().int().min(10).default(300_000),
            /** Per-request (HTTP) or per-connection (SMTP) timeout, ms. */
            timeoutMs: z.number().int().min(100).max(120_000).default(5000),
          })
          .strict()
          .refine((d) => d.maxDelayMs >= d.baseDelayMs, {
            path: ['maxDelayMs'],
            message: 'must be at least baseDelayMs',
          })
          .default({ maxAttempts: 8, baseDelayMs: 1000, maxDelayMs: 300_000, timeoutMs: 5000 }),
      })
      .strict()
      .superRefine((alerting, ctx) => {
        const names = new Set<string>();
        for (const [i, r] of alerting.receivers.entries()) {
          if (names.has(r.name))
            ctx.addIssue({
              code: 'custom',
              path: ['receivers', i, 'name'],
              message: `duplicate receiver name "${r.name}"`,
            });
          names.add(r.name);
        }
        const rules = new Set<string>();
        for (const [i, r] of alerting.noData.entries()) {
          if (rules.has(r.name))
            ctx.addIssue({
              code: 'custom',
              path: ['noData', i, 'name'],
              message: `duplicate no-data rule name "${r.name}"`,
            });
          rules.add(r.name);
        }
        const windows = new Set<string>();
        for (const [i, w] of alerting.maintenance.entries()) {
          if (windows.has(w.name))
            ctx.addIssue({
              code: 'custom',
              path: ['maintenance', i, 'name'],
              message: `duplicate maintenance window name "${w.name}"`,
            });
          windows.add(w.name);
        }
        if (alerting.routing) {
          for (const issue of unknownReceivers(alerting.routing, names))
            ctx.addIssue({ code: 'custom', path: ['routing', ...issue.path], message: issue.message });
        }
      })
      .default({
        triggerCount: 1,
        triggerWindowMs: 300_000,
        recoveryWindowMs: 600_000,
        criticalScore: 0.999,
        receivers: [],
        inhibit: true,
        maintenance: [],
        silenceReminderMs: 3_600_000,
        noData: [],
        delivery: { maxAttempts: 8, baseDelayMs: 1000, maxDelayMs: 300_000, timeoutMs: 5000 },
      }),
    agent: z
      .object({
        enabled: z.boolean().default(true),
        intervalMs: z.number().int().min(500).default(5000),
      })
      .strict()
      .default({ enabled: true, intervalMs: 5000 }),
    log: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      })
      .strict()
      .default({ level: 'info' }),
    /** Authentication, TLS, CORS, rate and body limits, outgoing-request guard (see src/security/config.ts). */
    security: securityConfigSchema,
  })
  .strict();

/** The validated, frozen configuration. */
export type Config = Readonly<z.infer<typeof configSchema>>;

/** A configuration that failed validation; `issues` name each bad key. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    readonly issues: readonly string[],
  ) {
    super(`${message}\n${issues.map((i) => `  - ${i}`).join('\n')}`);
  }
}

type Json = Record<string, unknown>;

function setPath(target: Json, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Json;
  }
  node[path[path.length - 1] as string] = value;
}

/** Environment variables understood, with the config path each sets and how it is parsed. */
const ENV: ReadonlyArray<readonly [string, readonly string[], (s: string) => unknown]> = [
  ['VIGIL_HOST', ['server', 'host'], String],
  ['VIGIL_PORT', ['server', 'port'], Number],
  ['VIGIL_PUBLIC_URL', ['server', 'publicUrl'], String],
  ['VIGIL_DATA_DIR', ['storage', 'dataDir'], String],
  ['VIGIL_FSYNC', ['storage', 'fsync'], String],
  ['VIGIL_SENSITIVITY', ['detection', 'sensitivity'], Number],
  ['VIGIL_LOG_LEVEL', ['log', 'level'], String],
  ['VIGIL_AGENT', ['agent', 'enabled'], (s) => s !== '0' && s !== 'false'],
  ...SECURITY_ENV,
];

/**
 * Builds the configuration from (lowest to highest precedence) defaults, a JSON file,
 * `VIGIL_*` environment variables and explicit overrides (CLI flags).
 * @param options.file path of a JSON config file, or undefined
 * @param options.env environment (default `process.env`)
 * @param options.overrides dotted-path → value, e.g. `{'server.port': 0}`
 * @throws {ConfigError} listing every invalid or unknown key
 */
export function loadConfig(
  options: { file?: string | undefined; env?: NodeJS.ProcessEnv; overrides?: Record<string, unknown> } = {},
): Config {
  let raw: Json = {};
  if (options.file) {
    try {
      raw = JSON.parse(readFileSync(resolve(options.file), 'utf8')) as Json;
    } catch (err) {
      throw new ConfigError(`cannot read config file ${options.file}`, [(err as Error).message]);
    }
  }
  const env = options.env ?? process.env;
  for (const [name, path, parse] of ENV) {
    const value = env[name];
    if (value !== undefined && value !== '') setPath(raw, path, parse(value));
  }
  for (const [key, value] of Object.entries(options.overrides ?? {})) {
    if (value !== undefined) setPath(raw, key.split('.'), value);
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(
      'invalid configuration',
      result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  return deepFreeze(result.data);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Replaces secrets (URL credentials, query tokens, header values) by `[redacted]` for display. */
export function redactConfig(config: Config): unknown {
  return {
    ...config,
    security: redactSecurityConfig(config.security),
    alerting: {
      ...config.alerting,
      receivers: config.alerting.receivers.map(redactReceiver),
    },
  };
}

/**
 * Keeps only the scheme and host of a URL: user info, path and query may all carry tokens
 * (Slack and Teams webhook URLs keep theirs in the path).
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    const hasSecretParts = u.username || u.password || u.pathname.length > 1 || u.search;
    return `${u.protocol}//${u.host}${hasSecretParts ? '/[redacted]' : '/'}`;
  } catch {
    return '[invalid url]';
  }
}

/**
 * The dashboard's base URL for links (notifications, Alertmanager API): `server.publicUrl`, else
 * `http://<host>:<port>` of the configured listen address; no trailing slash.
 */
export function publicUrlOf(config: Pick<Config, 'server'>): string {
  return (config.server.publicUrl ?? `http://${config.server.host}:${config.server.port}`).replace(/\/$/, '');
}
