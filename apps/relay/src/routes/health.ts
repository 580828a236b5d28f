import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { OPERATIONS_ROUTE } from '../plugins/loadShedding.js';

const SALESFORCE_CHECK_TTL_MS = 30_000;
const CHECK_TIMEOUT_MS = 3_000;

const timeout = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref())]);

/**
 * `/health/live`: the process answers (even under load). `/health`: readiness, i.e. the database
 * answers and the relay is not shedding load (503 if not), plus Salesforce reachability per
 * portal (cached 30 s; an unreachable org is reported but does not make the relay unready: the
 * outbox keeps its changes until it is back).
 */
const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  let salesforceCache: { at: number; result: Record<string, string> } | null = null;

  async function salesforceReachability(): Promise<Record<string, string>> {
    if (salesforceCache && Date.now() - salesforceCache.at < SALESFORCE_CHECK_TTL_MS) return salesforceCache.result;
    const result: Record<string, string> = {};
    const portals = await app.store.listPortals();
    await Promise.all(
      portals.map(async (portal) => {
        const target = app.portals.deliveryTarget(portal);
        if (!target) return void (result[portal.id] = 'not configured');
        if (!app.publisher.ping) return void (result[portal.id] = 'unknown');
        try {
          await timeout(app.publisher.ping(target), CHECK_TIMEOUT_MS);
          result[portal.id] = 'ok';
        } catch (error) {
          result[portal.id] = `unreachable: ${(error as Error).message}`.slice(0, 300);
        }
      }),
    );
    salesforceCache = { at: Date.now(), result };
    return result;
  }

  app.get('/health/live', { config: OPERATIONS_ROUTE, schema: { tags: ['operations'], summary: 'Liveness', response: { 200: Type.Object({ status: Type.Literal('ok') }) } } }, async () => ({ status: 'ok' as const }));

  app.get(
    '/health',
    {
      config: OPERATIONS_ROUTE,
      schema: {
        tags: ['operations'],
        summary: 'Readiness: database, load, Salesforce per portal, outbox',
        response: {
          '2xx': Type.Object({}, { additionalProperties: true }),
          503: Type.Object({}, { additionalProperties: true }),
        },
      },
    },
    async (request, reply) => {
      let database = 'ok';
      try {
        await timeout(app.store.ping(), CHECK_TIMEOUT_MS);
      } catch (error) {
        database = `unavailable: ${(error as Error).message}`.slice(0, 300);
      }
      // Overloaded (load shedding, loadShedding.ts): not ready, so the load balancer sends
      // traffic elsewhere until the instance recovers; alive all the same (/health/live).
      const pressure = request.pressure ?? null;
      const ready = database === 'ok' && pressure === null;
      const body = {
        status: ready ? 'ok' : pressure ? 'overloaded' : 'unavailable',
        store: app.store.kind,
        database,
        ...(pressure ? { pressure } : {}),
        // Skipped when not ready: an overloaded instance answers its balancer at once.
        salesforce: ready ? await salesforceReachability() : {},
        outbox: ready ? await app.store.countDeliveries() : null,
        instance: app.config.instanceId,
      };
      return reply.status(ready ? 200 : 503).send(body);
    },
  );
};

export default healthRoutes;
