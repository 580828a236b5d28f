import type { Verdict } from '@sync-doctor/core';
import fp from 'fastify-plugin';
import {
  ACCESS_ALERT_PREFIX,
  accessAlertKind,
  buildAccessAlert,
  type AccessAlertRecord,
} from '../access/alert.js';
import { checkAccess, failureReason, type AccessFinding } from '../access/check.js';
import type { DeliveryTarget } from '../publisher/types.js';
import { leadWhileRunning } from '../signals/leader.js';
import { signalsStoreOf } from '../store/signalsStore.js';

/** The last check of a portal's integration user (GET /v1/portals/:portalId/access). */
export interface AccessCheck {
  /** When the last check ran, whether or not it concluded. */
  checkedAt: string;
  /** The last concluded check: the core's verdict, the user judged, its error and warning findings. */
  verdict: Verdict | null;
  concludedAt: string | null;
  integrationUser: { id: string | null; username: string } | null;
  findings: AccessFinding[];
  /** Why the last check could not conclude; null when it did. */
  error: string | null;
  /** First of the consecutive checks that could not conclude. */
  failingSince: string | null;
  /** HTTP requests to Salesforce the last check sent. */
  requests: number;
}

export interface AccessWatchService {
  /** True while this instance runs the watch (it holds the lead). */
  readonly running: boolean;
  /** Checks the portal now (outside its timer); null when this instance does not run the watch or the portal has no connection. */
  checkNow(portalId: string): Promise<AccessCheck | null>;
  /** The portal's last check here, with when the next is due (null: none yet, or not running here). */
  lastCheck(portalId: string): (AccessCheck & { nextCheckAt: string | null }) | null;
  /** The portals whose last check here could not conclude, with why (for /health). */
  failing(): Map<string, string>;
}

declare module 'fastify' {
  interface FastifyInstance {
    accessWatch?: AccessWatchService;
  }
}

const JITTER = 0.2;
/** How often the portal list is read again, so a new connection is watched without a restart. */
const REFRESH_MS = 60_000;

interface Watched {
  target: DeliveryTarget;
  timer: NodeJS.Timeout | null;
  dueAt: number;
}

/**
 * The access watch: for every portal with a Salesforce connection, on a jittered timer, reads the
 * org over the portal's own session (the publisher's: collectSnapshot, 3 requests, plus 1 to find
 * the integration user when none is configured), judges the integration user with the core's
 * default requirements (access/check.ts), keeps the outcome in memory for GET access and /health,
 * and queues an alert into the alert outbox when the access got worse or was restored
 * (access/alert.ts). What was last alerted is read back from that outbox, which is durable and
 * unique per (target, key): a restart, or another instance taking the lead, alerts nothing twice.
 * Runs on one instance only (signals/leader.ts), like the stalled-sync detector.
 */
export default fp(
  async (app) => {
    const { config } = app;
    const settings = config.signals.accessWatch;
    const alertsStore = signalsStoreOf(app.store);
    const log = app.log.child({ component: 'access-watch' });
    const checks = new Map<string, AccessCheck>();
    const watched = new Map<string, Watched>();
    const inFlight = new Set<Promise<unknown>>();
    let running = false;
    let refresher: NodeJS.Timeout | null = null;
    // One check at a time per relay: a relay with many portals never reads them all at once.
    let queue: Promise<unknown> = Promise.resolve();

    const track = <T>(p: Promise<T>): Promise<T> => {
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p)).catch(() => undefined);
      return p;
    };
    const serial = <T>(work: () => Promise<T>): Promise<T> => {
      const next = queue.then(work, work);
      queue = next.catch(() => undefined);
      return next;
    };

    /** Queues an alert per target when the findings call for one (see accessAlertKind). */
    const alertIfChanged = async (portalId: string, check: AccessCheck): Promise<void> => {
      const targets = await alertsStore.listAlertTargets(portalId);
      if (targets.length === 0) return;
      const last = await alertsStore.lastAlertWithPrefix(portalId, ACCESS_ALERT_PREFIX);
      const previous = (last?.message.access as AccessAlertRecord | undefined) ?? null;
      const kind = accessAlertKind(previous, check.findings);
      if (!kind) return;
      const message = buildAccessAlert({
        portalId,
        kind,
        previousKey: last?.dedupKey ?? null,
        previousErrors: previous?.kind === 'worse' ? previous.errors : [],
        findings: check.findings,
        user: check.integrationUser ?? { id: null, username: 'unknown' },
        checkedAt: check.checkedAt,
        appUrl: config.signals.alerts.appUrl,
      });
      const queued = await alertsStore.enqueueAlerts(
        targets.map((target) => ({
          portalId,
          targetId: target.id,
          // Not a status change: the access alerts' rows carry no change.
          changeId: 0,
          dedupKey: String(message.key),
          message,
        })),
        null,
      );
      if (queued > 0) log.info({ portalId, kind, queued }, 'access alert queued');
      app.alerts?.wake();
    };

    const runCheck = async (portalId: string): Promise<AccessCheck | null> => {
      const target = watched.get(portalId)?.target;
      const publisher = app.publisher;
      if (!target || !publisher.withSession) return null;
      const relayUser = target.salesforce.kind === 'jwt' ? target.salesforce.username : null;
      const outcome = await publisher
        .withSession(target, (conn) =>
          checkAccess(conn, { integrationUser: target.salesforce.integrationUser, relayUser }),
        )
        // A log-in that fails (a revoked key, an unreachable org) is a check that cannot conclude.
        .catch((error: unknown) => ({
          concluded: false as const,
          requests: 0,
          error: failureReason(error, relayUser),
        }));
      // The portal went (deleted, or its connection removed) or the watch stopped meanwhile.
      if (!running || watched.get(portalId)?.target !== target) return null;
      const checkedAt = new Date().toISOString();
      const previous = checks.get(portalId);
      let check: AccessCheck;
      if (outcome.concluded) {
        check = {
          checkedAt,
          verdict: outcome.verdict,
          concludedAt: checkedAt,
          integrationUser: outcome.user,
          findings: outcome.findings,
          error: null,
          failingSince: null,
          requests: outcome.requests,
        };
      } else {
        check = {
          checkedAt,
          verdict: previous?.verdict ?? null,
          concludedAt: previous?.concludedAt ?? null,
          integrationUser: previous?.integrationUser ?? null,
          findings: previous?.findings ?? [],
          error: outcome.error,
          failingSince: previous?.failingSince ?? checkedAt,
          requests: outcome.requests,
        };
        log.warn({ portalId, error: outcome.error }, 'access check could not conclude');
      }
      checks.set(portalId, check);
      if (outcome.concluded) {
        try {
          await alertIfChanged(portalId, check);
        } catch (error) {
          // The next check tries again: what was alerted is read from the outbox, not from here.
          log.warn({ portalId, err: error }, 'could not queue the access alert');
        }
      }
      return check;
    };

    const schedule = (portalId: string, delay: number): void => {
      const entry = watched.get(portalId);
      if (!entry || !running) return;
      if (entry.timer) clearTimeout(entry.timer);
      entry.dueAt = Date.now() + delay;
      entry.timer = setTimeout(() => {
        entry.timer = null;
        void track(
          serial(() => runCheck(portalId))
            .catch((error: unknown) => log.warn({ portalId, err: error }, 'access check failed'))
            .finally(() =>
              schedule(
                portalId,
                Math.round(settings.intervalMs * (1 + JITTER * (2 * Math.random() - 1))),
              ),
            ),
        );
      }, delay);
      entry.timer.unref();
    };

    const forget = (portalId: string): void => {
      const entry = watched.get(portalId);
      if (entry?.timer) clearTimeout(entry.timer);
      watched.delete(portalId);
      checks.delete(portalId);
    };

    /** Watches every portal with a connection; a changed connection is checked with the new one. */
    const refresh = async (): Promise<void> => {
      const seen = new Set<string>();
      for (const portal of await app.store.listPortals()) {
        const target = app.portals.deliveryTarget(portal);
        if (!target) continue;
        seen.add(portal.id);
        const entry = watched.get(portal.id);
        if (entry) {
          if (entry.target.configVersion !== target.configVersion) entry.target = target;
          continue;
        }
        watched.set(portal.id, { target, timer: null, dueAt: 0 });
        // Spread first checks over the whole interval, as the detector does.
        schedule(portal.id, Math.round(Math.random() * settings.intervalMs));
      }
      for (const id of [...watched.keys()]) if (!seen.has(id)) forget(id);
    };

    const start = async () => {
      running = true;
      await track(refresh()).catch((error: unknown) =>
        log.warn({ err: error }, 'could not list the portals to watch'),
      );
      refresher = setInterval(
        () =>
          void track(refresh()).catch((error: unknown) =>
            log.warn({ err: error }, 'could not list the portals to watch'),
          ),
        Math.min(REFRESH_MS, settings.intervalMs),
      );
      refresher.unref();
    };
    const stop = async () => {
      running = false;
      if (refresher) clearInterval(refresher);
      refresher = null;
      for (const id of [...watched.keys()]) forget(id);
      checks.clear();
      await Promise.allSettled([...inFlight]);
    };

    app.portals.onDeleted((portalId) => forget(portalId));

    app.decorate('accessWatch', {
      get running() {
        return running;
      },
      async checkNow(portalId: string) {
        if (!running) return null;
        await track(refresh());
        if (!watched.has(portalId)) return null;
        return track(serial(() => runCheck(portalId)));
      },
      lastCheck(portalId: string) {
        const check = running ? checks.get(portalId) : undefined;
        if (!check) return null;
        const due = watched.get(portalId)?.dueAt;
        return { ...check, nextCheckAt: due ? new Date(due).toISOString() : null };
      },
      failing() {
        const failing = new Map<string, string>();
        if (running)
          for (const [portalId, check] of checks)
            if (check.error) failing.set(portalId, check.error);
        return failing;
      },
    } satisfies AccessWatchService);

    // Before the store closes: a check in flight finishes and records (or drops) its outcome.
    leadWhileRunning(app, 'access-watch', log, start, stop);
  },
  {
    name: 'relay-access-watch',
    dependencies: ['relay-store', 'relay-portals', 'relay-outbox'],
  },
);
