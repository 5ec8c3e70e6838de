/**
 * Builds the HTTP app (Fastify): routes, live feed, dashboard files and the one error boundary.
 * `buildApp` returns an unstarted app; only `main` listens.
 */
import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  LogController,
} from 'fastify';
import type { Logger } from 'pino';
import type { DeliverySender } from '../alerting/receivers/sender.js';
import type { Config } from '../config/index.js';
import type { Runtime } from '../pipeline/runtime.js';
import { httpsOptions, SecurityError, securityPlugin } from '../security/index.js';
import type { AuthStore } from '../security/types.js';
import { StoreUnavailableError } from '../store/types.js';
import type { ApiContext } from './context.js';
import { ApiError, type ErrorCode } from './errors.js';
import { liveRoutes } from './live.js';
import { createMetrics } from './metrics.js';
import { alertmanagerRoutes } from './routes/alertmanager.js';
import { alertRoutes } from './routes/alerts.js';
import { feedbackRoutes } from './routes/feedback.js';
import { incidentRoutes } from './routes/incidents.js';
import { ingestRoutes } from './routes/ingest.js';
import { opsRoutes } from './routes/ops.js';
import { queryRoutes } from './routes/query.js';
import { receiverRoutes } from './routes/receivers.js';
import { silenceRoutes } from './routes/silences.js';

/** What the app needs besides its config. */
export interface AppDeps {
  readonly runtime: Runtime;
  readonly logger: Logger;
  /** Users, sessions, API keys and audit log (`SqliteAuthStore`). */
  readonly authStore: AuthStore;
  /** Folder of the dashboard's production build; not served when absent. */
  readonly webRoot?: string;
  readonly version?: string;
  /** Sends receiver test notifications (`POST /api/receivers/:name/test`). */
  readonly receiverTester?: DeliverySender['sendTest'];
  /** Delivery attempts per receiver, for `/metrics` (`DeliverySender.attemptCounts`). */
  readonly deliveryAttempts?: DeliverySender['attemptCounts'];
}

/** Fastify error codes mapped to catalogue codes. */
const FASTIFY_CODES: Readonly<Record<string, ErrorCode>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'EMPTY_BODY',
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_JSON',
};

const NON_SPA_PREFIXES = ['/api/', '/health', '/metrics', '/config'];

/**
 * Builds the app.
 * @param config validated configuration
 * @param deps runtime (already started), logger, dashboard folder
 */
export async function buildApp(config: Config, deps: AppDeps): Promise<FastifyInstance> {
  const tls = httpsOptions(config.security);
  const app = Fastify({
    loggerInstance: deps.logger as unknown as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.server.bodyLimitBytes,
    connectionTimeout: 30_000,
    requestTimeout: 60_000,
    keepAliveTimeout: 65_000,
    return503OnClosing: true,
    ...(tls ? { https: tls } : {}),
  }) as unknown as FastifyInstance;
  const ctx: ApiContext = {
    config,
    runtime: deps.runtime,
    metrics: createMetrics(deps.runtime, deps.deliveryAttempts),
    logger: deps.logger,
    startedAt: Date.now(),
    version: deps.version ?? '0.0.0',
    ...(deps.receiverTester ? { receiverTester: deps.receiverTester } : {}),
  };

  app.setErrorHandler((err: FastifyError | ApiError | StoreUnavailableError | Error, req, reply) => {
    if (err instanceof SecurityError) {
      ctx.metrics.requestsRejected.inc({ code: err.code });
      if (err.retryAfterS !== undefined) reply.header('retry-after', String(err.retryAfterS));
      return reply.code(err.statusCode).send(err.toBody());
    }
    let apiError: ApiError;
    if (err instanceof ApiError) apiError = err;
    else if (err instanceof StoreUnavailableError) apiError = new ApiError('STORE_UNAVAILABLE', err.message);
    else if (err instanceof SyntaxError) {
      const message = `the body is not valid JSON: ${err.message}`;
      apiError = new ApiError('INVALID_JSON', message, [{ path: [], code: 'invalid_json', message }]);
    } else if ('code' in err && typeof err.code === 'string' && FASTIFY_CODES[err.code]) {
      const code = FASTIFY_CODES[err.code] as ErrorCode;
      const message =
        code === 'BODY_TOO_LARGE'
          ? `the body is larger than ${config.server.bodyLimitBytes} bytes`
          : err.message;
      apiError = new ApiError(code, message, [{ path: [], code: code.toLowerCase(), message }]);
    } else if (
      'statusCode' in err &&
      typeof err.statusCode === 'number' &&
      err.statusCode >= 400 &&
      err.statusCode < 500
    ) {
      apiError = new ApiError(err.statusCode === 404 ? 'NOT_FOUND' : 'VALIDATION_FAILED', err.message);
    } else {
      req.log.error({ err, reqId: req.id }, 'unhandled error');
      apiError = new ApiError('INTERNAL', `internal error (request ${req.id})`);
    }
    ctx.metrics.requestsRejected.inc({ code: apiError.code });
    if (apiError.code === 'STORE_UNAVAILABLE') reply.header('retry-after', '5');
    return reply.code(apiError.statusCode).send(apiError.toBody());
  });

  const store = () => deps.runtime.storage.store;
  await app.register(securityPlugin, {
    config,
    authStore: deps.authStore,
    logger: deps.logger,
    lookup: {
      alertService: (id) =>
        (store().getAlert(id) ?? deps.runtime.pipeline.alerts.openAlert(id))?.service ?? null,
      seriesService: (id) => store().getSeries(id)?.service ?? null,
    },
  });
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });
  ingestRoutes(app, ctx);
  queryRoutes(app, ctx);
  alertRoutes(app, ctx);
  opsRoutes(app, ctx);
  silenceRoutes(app, ctx);
  receiverRoutes(app, ctx);
  alertmanagerRoutes(app, ctx);
  incidentRoutes(app, ctx);
  feedbackRoutes(app, ctx);
  await app.register(async (scope) => liveRoutes(scope, ctx));

  const webRoot = deps.webRoot && existsSync(deps.webRoot) ? deps.webRoot : null;
  if (webRoot) await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: ['index.html'] });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    if (webRoot && req.method === 'GET' && !NON_SPA_PREFIXES.some((p) => path.startsWith(p))) {
      return reply.type('text/html').sendFile('index.html');
    }
    if (!webRoot && req.method === 'GET' && path === '/') {
      return reply
        .type('text/plain')
        .send('Vigil is running. The dashboard is not built (run `npm run build`); the API is under /api.');
    }
    const e = new ApiError('NOT_FOUND', `no route ${req.method} ${path}`);
    return reply.code(404).send(e.toBody());
  });
  return app;
}
