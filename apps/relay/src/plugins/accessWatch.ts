import { requirementsFromDocument, type Requirements } from '@sync-doctor/core';
import fp from 'fastify-plugin';
import {
  ACCESS_ALERT_PREFIX,
  accessAlertKind,
  buildAccessAlert,
  type AccessAlertRecord,
} from '../access/alert.js';
import { checkAccess, failureReason } from '../access/check.js';
import type { DeliveryTarget } from '../publisher/types.js';
import { leadWhileRunning } from '../leadership.js';
import {
  accessStoreOf,
  type AccessCheckRecord,
  type AccessRequirementsUsed,
} from '../store/accessStore.js';
import { PortalGoneError } from '../store/types.js';
import { alertStoreOf } from '../store/alertStore.js';

/** The last check of a portal's integration user (GET /v1/portals/:portalId/access), as stored. */
type AccessCheck = AccessCheckRecord;

interface AccessWatchService {
  /** True while this instance runs the watch (it holds the lead). */
  readonly running: boolean;
  /** Checks the portal now (outside its timer); null when this instance does not run the watch or the portal has no connection. */
  checkNow(portalId: string): Promise<AccessCheck | null>;
  /** The portals whose last check could not conclude, with why, from the store (for /health and the metric). */
  failing(): Promise<Map<string, string>>;
  /**
   * The portals whose findings on record (the last concluded check) leave sections unread
   * (ACCESS_SECTION_UNREAD: frozen state, Login History, connected app), with those sections, from
   * the store (for /health and the metric). Expected with the README's relay user: not a failure.
   */
  unread(): Promise<Map<string, string[]>>;
  /** The portal's requirements changed: when this instance runs the watch, its next check comes soon. */
  recheckSoon(portalId: string): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    accessWatch?: AccessWatchService;
  }
}

const JITTER = 0.2;
/** How often the portal list is read again, so a new connection is watched without a restart. */
const REFRESH_MS = 60_000;
/** How soon a portal is checked after its requirements changed. */
const SOON_MS = 2_000;

interface Watched {
  target: DeliveryTarget;
  timer: NodeJS.Timeout | null;
  dueAt: number;
  /** When the requirements this portal's checks use were set (null: the defaults). */
  requirementsVersion: string | null;
}

/** The requirements a portal's check uses: its stored document through the core's rules, else the defaults. */
function requirementsOf(
  stored: { document: Record<string, unknown>; updatedAt: string } | null,
): { requirements?: Requirements; used: AccessRequirementsUsed } | { error: string } {
  if (!stored) return { used: { source: 'default', updatedAt: null } };
  try {
    return {
      requirements: requirementsFromDocument(stored.document),
      used: { source: 'portal', updatedAt: stored.updatedAt },
    };
  } catch (error) {
    // Checked when set; only a core with stricter rules than the relay that stored it gets here.
    return {
      error: `the portal's access requirements (set ${stored.updatedAt}) are no longer valid: ${(error as Error).message}; set them again (PUT /v1/admin/portals/:portalId/access-requirements)`,
    };
  }
}

/**
 * The access watch: for every portal with a Salesforce connection, on a jittered timer, reads the
 * org over the portal's own session (the publisher's: collectSnapshot, 3 requests, plus 1 to find
 * the integration user when none is configured), judges the integration user with the portal's
 * requirements (set with the admin API; else the core's defaults; access/check.ts), keeps the
 * outcome in the store (accessStore.ts), which every instance reads for GET access, /health and
 * the metric, and queues an alert into the alert outbox when the access got worse or was restored
 * (access/alert.ts). What was last alerted is read back from that outbox, which is durable and
 * unique per (target, key): a restart, or another instance taking the lead, alerts nothing twice.
 * Runs on one instance only (leadership.ts), like the stalled-sync detector.
 */
export default fp(
  async (app) => {
    const { config } = app;
    const settings = config.signals.accessWatch;
    const alertsStore = alertStoreOf(app.store);
    const accessStore = accessStoreOf(app.store);
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
      const entry = watched.get(portalId);
      const target = entry?.target;
      const publisher = app.publisher;
      if (!entry || !target || !publisher.withSession) return null;
      const relayUser = target.salesforce.kind === 'jwt' ? target.salesforce.username : null;
      // Read at every check: a PUT on any instance is used by the next check here.
      const stored = await accessStore.getAccessRequirements(portalId);
      const judged = requirementsOf(stored);
      entry.requirementsVersion = stored?.updatedAt ?? null;
      const outcome =
        'error' in judged
          ? { concluded: false as const, requests: 0, error: judged.error }
          : await publisher
              .withSession(target, (conn) =>
                checkAccess(conn, {
                  integrationUser: target.salesforce.integrationUser,
                  relayUser,
                  ...(judged.requirements ? { requirements: judged.requirements } : {}),
                }),
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
      // What the instance that led before this one found, after a failover or a restart.
      const previous = checks.get(portalId) ?? (await accessStore.getAccessCheck(portalId));
      // A timer's check is followed by the next one's scheduling (which stores its time); a
      // check out of turn (checkNow) leaves the timer as it is.
      const nextCheckAt = entry.dueAt > Date.now() ? new Date(entry.dueAt).toISOString() : null;
      let check: AccessCheck;
      if (outcome.concluded) {
        check = {
          checkedAt,
          verdict: outcome.verdict,
          concludedAt: checkedAt,
          integrationUser: outcome.user,
          findings: outcome.findings,
          requirements: 'used' in judged ? judged.used : null,
          error: null,
          failingSince: null,
          requests: outcome.requests,
          checkedBy: config.instanceId,
          nextCheckAt,
        };
      } else {
        check = {
          checkedAt,
          verdict: previous?.verdict ?? null,
          concludedAt: previous?.concludedAt ?? null,
          integrationUser: previous?.integrationUser ?? null,
          findings: previous?.findings ?? [],
          requirements: previous?.requirements ?? null,
          error: outcome.error,
          failingSince: previous?.failingSince ?? checkedAt,
          requests: outcome.requests,
          checkedBy: config.instanceId,
          nextCheckAt,
        };
        log.warn({ portalId, error: outcome.error }, 'access check could not conclude');
      }
      checks.set(portalId, check);
      try {
        await accessStore.saveAccessCheck(portalId, check);
      } catch (error) {
        // Deleted meanwhile: its check goes with it. Otherwise the next check writes again.
        if (!(error instanceof PortalGoneError))
          log.warn({ portalId, err: error }, 'could not store the access check');
      }
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
      // Every instance answers GET access with when the next check is due.
      void track(
        accessStore.setAccessCheckDue(portalId, new Date(entry.dueAt).toISOString()),
      ).catch((error: unknown) =>
        log.warn({ portalId, err: error }, 'could not store the next check time'),
      );
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

    /**
     * Watches every portal with a connection; a changed connection is checked with the new one,
     * changed requirements (set on any instance) soon.
     */
    const refresh = async (): Promise<void> => {
      const seen = new Set<string>();
      const versions = await accessStore.accessRequirementsVersions();
      for (const portal of await app.store.listPortals()) {
        const target = app.portals.deliveryTarget(portal);
        if (!target) continue;
        seen.add(portal.id);
        const version = versions.get(portal.id) ?? null;
        let entry = watched.get(portal.id);
        // Deleted and created again under the same id (its deletion not heard here): another
        // portal, whose version starts over, so only when it was created tells. What this entry
        // holds (the old org's target, its last check, failingSince) is the deleted one's.
        if (entry && entry.target.portalCreatedAt !== target.portalCreatedAt) {
          forget(portal.id);
          entry = undefined;
        }
        if (entry) {
          if (entry.target.configVersion !== target.configVersion) entry.target = target;
          if (entry.requirementsVersion !== version && entry.dueAt - Date.now() > SOON_MS) {
            entry.requirementsVersion = version;
            schedule(portal.id, SOON_MS);
          }
          continue;
        }
        watched.set(portal.id, { target, timer: null, dueAt: 0, requirementsVersion: version });
        // Spread first checks over the whole interval, as the detector does.
        schedule(portal.id, Math.round(Math.random() * settings.intervalMs));
      }
      for (const id of [...watched.keys()])
        if (!seen.has(id)) {
          forget(id);
          // Its connection was removed (a deleted portal's check went with it): no longer watched.
          await accessStore.deleteAccessCheck(id);
        }
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
      failing() {
        return accessStore.failingAccessChecks();
      },
      unread() {
        return accessStore.unreadAccessSections();
      },
      recheckSoon(portalId: string) {
        const entry = running ? watched.get(portalId) : undefined;
        if (entry && entry.dueAt - Date.now() > SOON_MS) schedule(portalId, SOON_MS);
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
