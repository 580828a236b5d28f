import fp from 'fastify-plugin';
import { describeFailure } from '../domain/retry.js';
import type { PortalRecord } from '../store/types.js';

const SALESFORCE_CHECK_TTL_MS = 30_000;
/** How long one check (a database read, a Salesforce ping) may take before it counts as failed. */
export const CHECK_TIMEOUT_MS = 3_000;

export const timeout = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref(),
    ),
  ]);

/** How many portals' Salesforce orgs answer, fail, or are not set up. */
interface PortalReachabilityCounts {
  ok: number;
  unreachable: number;
  notConfigured: number;
  unknown: number;
}

export function countPortals(reachability: Record<string, string>): PortalReachabilityCounts {
  const counts = { ok: 0, unreachable: 0, notConfigured: 0, unknown: 0 };
  for (const state of Object.values(reachability)) {
    if (state === 'ok') counts.ok++;
    else if (state === 'not configured') counts.notConfigured++;
    else if (state === 'unknown') counts.unknown++;
    else counts.unreachable++;
  }
  return counts;
}

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Each portal's Salesforce reachability: `ok`, `not configured`, `unknown` (the publisher
     * cannot ping) or `unreachable: <error>`. /health and /metrics share it, so a scrape and a
     * load balancer's polling together still ping each org at most once per 30 s.
     */
    salesforceReachability(): Promise<Record<string, string>>;
  }
}

/**
 * Salesforce reachability, cached 30 s per portal and connection: a portal created (also one
 * deleted and created again under the same id, whose connection version starts over), or a
 * connection set or changed (on any instance), is checked at the next call, not after the 30 s;
 * only Salesforce is spared repeated pings. A portal's answer older than 30 s is given as it is
 * while a new check runs in the background: a slow or silent org must not make GET /health (a
 * load balancer's or Kubernetes' readiness probe, often with a 1 s timeout) wait up to 3 s. Calls
 * at the same moment share one check per portal.
 */
export default fp(
  async (app) => {
    interface Reachability {
      at: number;
      createdAt: string;
      salesforceVersion: number;
      state: string;
    }
    const cache = new Map<string, Reachability>();
    const checking = new Map<string, { key: string; done: Promise<string> }>();
    // A deleted portal is not reported again.
    app.portals.onDeleted((portalId) => {
      cache.delete(portalId);
      checking.delete(portalId);
    });

    async function reachabilityOf(portal: PortalRecord): Promise<string> {
      const target = app.portals.deliveryTarget(portal);
      if (!target) return 'not configured';
      if (!app.publisher.ping) return 'unknown';
      try {
        await timeout(app.publisher.ping(target), CHECK_TIMEOUT_MS);
        return 'ok';
      } catch (error) {
        // A log-in Salesforce refused says what to fix, as the delivery's lastError does.
        return `unreachable: ${describeFailure(error).message}`.slice(0, 500);
      }
    }

    /** One check per portal and connection at a time; its outcome is cached when it ends. */
    function check(portal: PortalRecord): Promise<string> {
      const key = `${portal.createdAt}\u0000${portal.salesforceVersion}`;
      const running = checking.get(portal.id);
      if (running?.key === key) return running.done;
      const at = Date.now();
      const done = reachabilityOf(portal)
        .catch((error: unknown) => `unreachable: ${String((error as Error)?.message ?? error)}`)
        .then((state) => {
          if (checking.get(portal.id)?.done === done) {
            checking.delete(portal.id);
            cache.set(portal.id, {
              at,
              createdAt: portal.createdAt,
              salesforceVersion: portal.salesforceVersion,
              state,
            });
          }
          return state;
        });
      checking.set(portal.id, { key, done });
      return done;
    }

    app.decorate('salesforceReachability', async () => {
      const result: Record<string, string> = {};
      const portals = await app.store.listPortals();
      const now = Date.now();
      await Promise.all(
        portals.map(async (portal) => {
          const cached = cache.get(portal.id);
          if (
            cached &&
            cached.createdAt === portal.createdAt &&
            cached.salesforceVersion === portal.salesforceVersion
          ) {
            if (now - cached.at >= SALESFORCE_CHECK_TTL_MS) void check(portal);
            return void (result[portal.id] = cached.state);
          }
          result[portal.id] = await check(portal);
        }),
      );
      // Portals deleted on another instance.
      for (const id of cache.keys()) if (!(id in result)) cache.delete(id);
      return result;
    });
  },
  {
    name: 'relay-salesforce-reachability',
    dependencies: ['relay-store', 'relay-portals', 'relay-outbox'],
  },
);
