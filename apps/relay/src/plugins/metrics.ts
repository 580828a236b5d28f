import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface RelayMetrics {
  registry: Registry;
  signals: Counter<'source' | 'outcome'>;
  deliveries: Counter<'outcome'>;
  deliveryDuration: Histogram;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: RelayMetrics;
  }
}

/**
 * A metric's labelled children, looked up by one string key built from the label values:
 * prom-client would otherwise hash the label object on every observation. Label values here come
 * from finite sets (routes, methods, statuses, sources), so the map stays small.
 */
export function labelledChildren<T extends string, C>(metric: { labels(labels: Record<T, string>): C }): (labels: Record<T, string>) => C {
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
      signals: new Counter({ name: 'relay_signals_total', help: 'Signals received, by source and outcome', labelNames: ['source', 'outcome'], registers: [registry] }),
      deliveries: new Counter({ name: 'relay_deliveries_total', help: 'Delivery attempts into Salesforce, by outcome', labelNames: ['outcome'], registers: [registry] }),
      deliveryDuration: new Histogram({ name: 'relay_delivery_seconds', help: 'Time to deliver one change into Salesforce', registers: [registry] }),
      httpDuration: new Histogram({
        name: 'relay_http_request_seconds',
        help: 'HTTP request duration by route',
        labelNames: ['method', 'route', 'status'],
        buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
        registers: [registry],
      }),
    };
    new Gauge({
      name: 'relay_outbox_deliveries',
      help: 'Outbox entries by state',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        const counts = await app.store.countDeliveries();
        for (const [state, count] of Object.entries(counts)) this.set({ state }, count);
      },
    });
    app.decorate('metrics', metrics);

    const httpTimer = labelledChildren(metrics.httpDuration);
    app.addHook('onResponse', (request, reply, done) => {
      httpTimer({ method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) }).observe(reply.elapsedTime / 1000);
      done();
    });

    app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
      void reply.header('content-type', registry.contentType);
      return registry.metrics();
    });
  },
  { name: 'relay-metrics', dependencies: ['relay-store'] },
);
