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
export interface PortalReachabilityCounts {
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
 * only Salesforce is spared repeated pings.
 */
export default fp(
  async (app) => {
    const cache = new Map<
      string,
      { at: number; createdAt: string; salesforceVersion: number; state: string }
    >();
    // A deleted portal is not reported again.
    app.portals.onDeleted((portalId) => cache.delete(portalId));

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
            cached.salesforceVersion === portal.salesforceVersion &&
            now - cached.at < SALESFORCE_CHECK_TTL_MS
          )
            return void (result[portal.id] = cached.state);
          const state = await reachabilityOf(portal);
          cache.set(portal.id, {
            at: now,
            createdAt: portal.createdAt,
            salesforceVersion: portal.salesforceVersion,
            state,
          });
          result[portal.id] = state;
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
