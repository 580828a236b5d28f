import type { onResponseHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { constantTimeEqual } from '../crypto/secrets.js';
import { HttpError } from '../errors.js';
import { LATEST_SCHEMA_VERSION } from '../store/migrations.js';
import { RELAY_VERSION } from '../version.js';
import { DurationHistogram } from './durationHistogram.js';
import { OPERATIONS_ROUTE } from './loadShedding.js';
import { CHECK_TIMEOUT_MS, timeout } from './salesforceReachability.js';

/** Hosts only this machine reaches: /metrics there needs no token to stay private. */
const LOOPBACK_HOST = /^(127(\.\d{1,3}){3}|::1|localhost)$/i;

export interface RelayMetrics {
  registry: Registry;
  signals: Counter<'source' | 'outcome'>;
  deliveries: Counter<'outcome'>;
  /** Notification e-mails a portal's sender policy refused (inputs/senderPolicy.ts), by why. */
  inboundEmailRefused: Counter<'reason'>;
  deliveryDuration: Histogram;
  httpDuration: DurationHistogram;
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: RelayMetrics;
    /** Counts an answer no route matched (the not-found handler's), which no route's hook sees. */
    observeUnmatched(method: string, status: number, milliseconds: number): void;
  }
}

/**
 * A metric's labelled children, looked up by one string key built from the label values:
 * prom-client would otherwise hash the label object on every observation. Label values here come
 * from finite sets (routes, methods, statuses, sources), so the map stays small.
 */
export function labelledChildren<T extends string, C>(metric: {
  labels(labels: Record<T, string>): C;
}): (labels: Record<T, string>) => C {
  const children = new Map<string, C>();
  return (labels) => {
    const key = Object.values(labels).join('\u0000');
    let child = children.get(key);
    if (!child) {
      child = metric.labels(labels);
      children.set(key, child);
    }
    return child;
  };
}

/** Prometheus metrics on a registry of this app (not the global one: several apps may share a process). */
export default fp(
  async (app) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const metrics: RelayMetrics = {
      registry,
      signals: new Counter({
        name: 'relay_signals_total',
        help: 'Signals received, by source and outcome',
        labelNames: ['source', 'outcome'],
        registers: [registry],
      }),
      deliveries: new Counter({
        name: 'relay_deliveries_total',
        help: 'Delivery attempts into Salesforce, by outcome',
        labelNames: ['outcome'],
        registers: [registry],
      }),
      inboundEmailRefused: new Counter({
        name: 'relay_inbound_email_refused_total',
        help: "Notification e-mails refused by their portal's sender policy (any path: HTTP or mailbox), by reason: NO_TRUSTED_RESULTS (no Authentication-Results of the portal's inbound service), NOT_AUTHENTICATED (it vouches for no allowed domain), UNCHECKABLE (posted by a service that gives no verdict naming the signing domain: Mailgun, Postmark)",
        labelNames: ['reason'],
        registers: [registry],
      }),
      deliveryDuration: new Histogram({
        name: 'relay_delivery_duration_seconds',
        help: 'Time to deliver one change into Salesforce',
        registers: [registry],
      }),
      httpDuration: new DurationHistogram(
        'relay_http_request_duration_seconds',
        'HTTP request duration by route',
        ['method', 'route', 'status'],
        [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
        registry,
      ),
    };
    new Gauge({
      name: 'relay_outbox_deliveries',
      help: 'Outbox entries by state',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        // A database that does not answer leaves this family empty instead of failing the whole
        // scrape: relay_database_up = 0 must reach Prometheus exactly then.
        this.reset();
        let counts;
        try {
          counts = await timeout(app.store.countDeliveries(), CHECK_TIMEOUT_MS);
        } catch {
          return;
        }
        for (const [state, count] of Object.entries(counts)) this.set({ state }, count);
      },
    });
    // The usual *_build_info series: constant, one per process, for joins and for the
    // RelayVersionsMixed alert (an upgrade left half-way). schema_version too: it changes with
    // every new migration, even where the package version was not raised.
    new Gauge({
      name: 'relay_build_info',
      help: 'Always 1; its labels say what this instance runs: the relay version, the newest store migration it knows (schema_version), the Node.js version and the store (sqlite or postgres)',
      labelNames: ['version', 'schema_version', 'nodejs', 'store'],
      registers: [registry],
    }).set(
      {
        version: RELAY_VERSION,
        schema_version: String(LATEST_SCHEMA_VERSION),
        nodejs: process.versions.node,
        store: app.store.kind,
      },
      1,
    );
    new Counter({
      name: 'relay_database_conflicts_total',
      help: 'PostgreSQL transactions rolled back because another held rows they needed (a deadlock, a serialization failure), by outcome: retried (run again at once; the caller saw nothing) or gave_up (rolled back on the last of 3 attempts: a request answered 503 DATABASE_CONFLICT, a background round tried again on its next poll). Always 0 on SQLite',
      labelNames: ['outcome'],
      registers: [registry],
      collect() {
        // Counted by the store as they happen (store/postgres.ts); read, not kept twice.
        const { retried, gaveUp } = app.store.databaseConflicts();
        this.reset();
        this.inc({ outcome: 'retried' }, retried);
        this.inc({ outcome: 'gave_up' }, gaveUp);
      },
    });
    app.decorate('metrics', metrics);

    // Each route gets its own onResponse hook, which knows the route's path, so no request builds
    // request.routeOptions (a new object per call) to learn it; the series of each method and
    // status is found once. Answers no route matched are counted by the not-found and error handlers.
    const timerOf = (route: string) => {
      // Keyed by method, then by the status as a number: no string is built per request.
      const byMethod = new Map<string, Map<number, (seconds: number) => void>>();
      return (method: string, status: number, milliseconds: number) => {
        let byStatus = byMethod.get(method);
        if (!byStatus) byMethod.set(method, (byStatus = new Map()));
        let observe = byStatus.get(status);
        if (!observe) {
          observe = metrics.httpDuration.seriesOf([method, route, String(status)]);
          byStatus.set(status, observe);
        }
        observe(milliseconds / 1000);
      };
    };
    app.addHook('onRoute', (route) => {
      const time = timerOf(route.url);
      const hook: onResponseHookHandler = (request, reply, done) => {
        time(request.method, reply.statusCode, reply.elapsedTime);
        done();
      };
      route.onResponse = route.onResponse
        ? [...(Array.isArray(route.onResponse) ? route.onResponse : [route.onResponse]), hook]
        : [hook];
    });
    const timeUnmatched = timerOf('unmatched');
    app.decorate('observeUnmatched', (method: string, status: number, milliseconds: number) =>
      timeUnmatched(method, status, milliseconds),
    );

    // RELAY_METRICS_TOKEN: the exposition names every portal and whether it is suspended, which
    // unauthenticated /health keeps to counts. The admin token works too.
    const { metricsToken, adminToken } = app.config;
    const mayScrape = (authorization: string | undefined): boolean => {
      const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
      if (token === undefined) return false;
      // Both compared, so the time taken does not tell which one matched.
      const metrics = constantTimeEqual(token, metricsToken!);
      const admin = adminToken !== null && constantTimeEqual(token, adminToken);
      return metrics || admin;
    };
    if (metricsToken === null && !LOOPBACK_HOST.test(app.config.host))
      app.log.warn(
        { host: app.config.host },
        'GET /metrics names every portal and whether it is suspended to anyone who reaches it: set RELAY_METRICS_TOKEN (Prometheus: authorization.credentials_file)',
      );
    // Never throttled or shed (infrastructure reads it), and each exposition queries the store
    // (outbox counts, the oldest undelivered change): scrapes that arrive while one is being
    // rendered share its result, so a flood of them costs the store one query set at a time.
    let rendering: Promise<string> | null = null;
    const render = () =>
      (rendering ??= registry.metrics().finally(() => {
        rendering = null;
      }));
    app.get(
      '/metrics',
      { config: OPERATIONS_ROUTE, schema: { hide: true } },
      async (request, reply) => {
        // Answered by the one error handler, as every refusal is (logged, in the API's shape).
        if (metricsToken !== null && !mayScrape(request.headers.authorization))
          throw new HttpError(
            401,
            'METRICS_TOKEN_INVALID',
            'send the metrics token (RELAY_METRICS_TOKEN) as "Authorization: Bearer <token>"',
            undefined,
            { 'www-authenticate': 'Bearer' },
          );
        void reply.header('content-type', registry.contentType);
        return render();
      },
    );
  },
  { name: 'relay-metrics', dependencies: ['relay-config', 'relay-errors', 'relay-store'] },
);
