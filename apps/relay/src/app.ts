import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RelayConfig } from './config.js';
import accessWatchPlugin from './plugins/accessWatch.js';
import alertingMetricsPlugin from './plugins/alertingMetrics.js';
import alertsPlugin from './plugins/alerts.js';
import bodyPacePlugin from './plugins/bodyPace.js';
import clockCheckPlugin from './plugins/clockCheck.js';
import configPlugin from './plugins/config.js';
import connectionsPlugin from './plugins/connections.js';
import lingeringClosePlugin from './plugins/lingeringClose.js';
import errorsPlugin, { answerClientError, answerFrameworkError } from './plugins/errors.js';
import hubspotDetectorPlugin from './plugins/hubspotDetector.js';
import loadSheddingPlugin from './plugins/loadShedding.js';
import mailboxPlugin from './plugins/mailbox.js';
import metricsPlugin from './plugins/metrics.js';
import outboxPlugin from './plugins/outbox.js';
import portalsPlugin from './plugins/portals.js';
import salesforceReachabilityPlugin from './plugins/salesforceReachability.js';
import securityPlugin from './plugins/security.js';
import changeFeedPlugin from './plugins/changeFeed.js';
import ssePlugin from './plugins/sse.js';
import storePlugin from './plugins/store.js';
import swaggerPlugin from './plugins/swagger.js';
import healthRoutes from './routes/health.js';
import v1Routes from './routes/v1/index.js';

/** Never let a secret reach the logs: headers that carry them, and any field named like one. */
export const LOG_REDACTIONS = [
  'req.headers.authorization',
  'req.headers["x-sync-doctor-signature"]',
  'req.headers["x-sync-doctor-token"]',
  'privateKey',
  'accessToken',
  'signingSecret',
  'inboundToken',
  '*.privateKey',
  '*.accessToken',
  '*.signingSecret',
  '*.inboundToken',
  '*.secretKey',
  '*.adminToken',
  'token',
  'password',
  'secret',
  '*.token',
  '*.password',
  '*.secret',
  '*.pass',
  // Alert webhook URLs carry their credential in the path or query (Slack's do).
  'webhookUrl',
  '*.webhookUrl',
  // A mailbox's OAuth client secret ({ oauth: { clientSecret } }, one level further down in a
  // mailbox's settings) and the tokens it buys, in both spellings.
  'clientSecret',
  '*.clientSecret',
  '*.*.clientSecret',
  // A Google service account's private key ({ oauth: { privateKey } }) and the assertion it signs.
  '*.*.privateKey',
  'assertion',
  '*.assertion',
  'client_secret',
  '*.client_secret',
  'access_token',
  '*.access_token',
  // ImapFlow's spelling, in the { user, accessToken } auth a reader gives it.
  'accessToken',
  '*.accessToken',
  '*.*.accessToken',
];

export function loggerOptions(config: RelayConfig): FastifyServerOptions['logger'] {
  if (!config.logEnabled) return false;
  return {
    level: config.logLevel,
    // Synchronous writes to stdout. pino's default buffers lines and flushes them at exit with a
    // loop that retries every failed write (sonic-boom 4): when whatever read stdout is gone (a log
    // shipper that died, a journald restart), the relay hung at exit and no signal could stop it.
    // Written one at a time, a broken pipe fails the write, pino stops logging, the relay goes on
    // and exits when told. A line is also never lost in a buffer when the process is killed.
    stream: pino.destination({ dest: 1, sync: true }),
    redact: { paths: LOG_REDACTIONS, censor: '[redacted]' },
    serializers: {
      // The inbound e-mail token may travel in the query string: log the path only.
      req: (request: { method: string; url: string; ip?: string }) => ({
        method: request.method,
        url: request.url.split('?')[0],
        remoteAddress: request.ip,
      }),
    },
  };
}

/** GET /health, /health/live and /metrics (with or without a query string). */
const OPERATIONS_PATH = /^\/(health(\/live)?|metrics)(\?|$)/;

/**
 * One access-log line per request, when it ends, instead of Fastify's two (an "incoming request"
 * with the path, a "request completed" with only the status, to be joined by request id): method,
 * path (without its query string: the req serializer), client, status and duration together.
 * The probes of balancers, Kubernetes and Prometheus, every few seconds, are at debug while they
 * succeed; so is "incoming request".
 */
class AccessLog extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const fields = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...fields, err: error }, 'request errored');
    else if (OPERATIONS_PATH.test(request.url) && reply.statusCode < 400)
      reply.log.debug(fields, 'request completed');
    else reply.log.info(fields, 'request completed');
  }
}

/** An incoming X-Request-Id is kept when it is a plain token, so it cannot forge log content. */
const REQUEST_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

function requestIdGenerator(): (request: { headers: Record<string, unknown> }) => string {
  const prefix = randomBytes(6).toString('hex');
  let next = 0;
  return (request) => {
    const given = request.headers['x-request-id'];
    if (typeof given === 'string' && REQUEST_ID.test(given)) return given;
    next = (next + 1) % Number.MAX_SAFE_INTEGER;
    return `${prefix}-${next.toString(36)}`;
  };
}

/**
 * The relay as a Fastify instance, not yet listening. Embedders (the preview) may register more
 * routes on it before `listen`/`ready`. Every concern is its own plugin, registered in the order
 * of their dependencies.
 */
export async function buildApp(
  config: RelayConfig,
  options: { loggerInstance?: FastifyBaseLogger } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.loggerInstance
      ? { loggerInstance: options.loggerInstance }
      : { logger: loggerOptions(config) }),
    bodyLimit: config.limits.jsonBodyBytes,
    // Behind a load balancer the client address comes from X-Forwarded-For (rate limits per IP),
    // but only from the peers configured as proxies (RELAY_TRUST_PROXY).
    trustProxy: config.trustProxy,
    logController: new AccessLog(),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Request ids unique across instances and restarts (Fastify's default, req-1, req-2..., starts
    // again in every process), or the one a load balancer or client sent in X-Request-Id, so a
    // request can be followed from the balancer's log into this one; every answer carries it.
    requestIdHeader: false,
    genReqId: requestIdGenerator(),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
    // What fails before routing (a malformed URL, a request Node's parser refuses) is answered in
    // the API's error shape too.
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(configPlugin, { config });
  await app.register(connectionsPlugin);
  // Early refusals (413, 415, 503, an upload refused part-way) reach clients still sending.
  await app.register(lingeringClosePlugin);
  // Every request body keeps a pace, or a client trickling one held its connection for ever.
  await app.register(bodyPacePlugin);
  // Security first: the not-found handler (errors) is rate-limited with its limiter.
  await app.register(securityPlugin);
  await app.register(errorsPlugin);
  await app.register(storePlugin);
  await app.register(metricsPlugin);
  await app.register(loadSheddingPlugin);
  await app.register(swaggerPlugin);
  await app.register(portalsPlugin);
  await app.register(changeFeedPlugin);
  await app.register(ssePlugin);
  await app.register(outboxPlugin);
  // HubSpot-side signals, each only when configured (signalsConfig.ts), so a relay without them runs as before.
  if (config.signals.detector.enabled) await app.register(hubspotDetectorPlugin);
  if (config.signals.mailbox.enabled) await app.register(mailboxPlugin);
  if (config.signals.alerts.enabled) await app.register(alertsPlugin);
  // The integration user's access in each portal's org, checked on a timer (after alerts: it alerts).
  if (config.signals.accessWatch.enabled) await app.register(accessWatchPlugin);
  await app.register(salesforceReachabilityPlugin);
  // The gauges alerts are written on (deploy/prometheus/relay-alerts.yml), from what /health reads.
  await app.register(alertingMetricsPlugin);
  await app.register(clockCheckPlugin);
  await app.register(healthRoutes);
  await app.register(v1Routes, { prefix: '/v1' });
  return app as unknown as FastifyInstance;
}
