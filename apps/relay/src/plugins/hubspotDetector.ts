import {
  detectorPreviousState,
  detectorSignalFor,
  startDetectorScheduler,
  type DetectorObservation,
  type DetectorScheduler,
} from '@sync-doctor/hubspot-signals';
import fp from 'fastify-plugin';
import { decryptSecret } from '../crypto/secrets.js';
import { leadWhileRunning } from '../leadership.js';
import { hubspotStoreOf } from '../store/hubspotStore.js';

interface HubSpotDetectorService {
  /** True while this instance runs the checks (it holds the lead). */
  readonly running: boolean;
  /** Checks one portal now (outside its timer) and applies the outcome; null when this instance does not run the detector. */
  checkNow(portalId: string): Promise<DetectorObservation | null>;
  /** The last check of the portal on this instance (null: none yet, or this instance does not run the detector). */
  lastCheck(portalId: string): DetectorLastCheck | null;
  /** The portal's token was replaced or removed: what the old one found no longer applies, and the old token is not used again. */
  forget(portalId: string): void;
  /** The portals whose last check here could not conclude, with why (for /health). */
  failing(): Map<string, string>;
}

interface DetectorLastCheck {
  at: string;
  verdict: string;
  state: string;
  /** Why the check could not conclude (token refused, HubSpot down, rate-limited). */
  error: string | null;
  /** First of the consecutive failed checks. */
  failingSince: string | null;
  /** What the check could not watch although it concluded, e.g. contacts without the token's scope for them. */
  warnings: string[];
  nextCheckAt: string | null;
}

const UNREADABLE_TOKEN =
  "the portal's stored HubSpot token cannot be decrypted with this relay's secret key (RELAY_SECRET_KEY changed, or the row is damaged): store the token again (PUT /v1/admin/portals/:portalId/hubspot)";

declare module 'fastify' {
  interface FastifyInstance {
    hubspotDetector?: HubSpotDetectorService;
  }
}

/**
 * The stalled-sync detector (packages/hubspot-signals): for every portal with a HubSpot token,
 * checks HubSpot's CRM API on a jittered timer and feeds what it concludes into the relay's one
 * signal path. The merge rule is detectorSignalFor's (a suspicion never replaces a confirmed
 * suspension, the detector only lifts what it raised) and applySignal's, inside the transaction.
 * A suspicion is dated by its evidence (occurredAt and so `since`: the portal's last sync, see
 * suspicionSince) and confirmed at the check (seenAt, so `lastSeenAt`).
 * Runs on one instance only (see leadership.ts).
 */
export default fp(
  async (app) => {
    const { config } = app;
    const settings = config.signals.detector;
    const store = hubspotStoreOf(app.store);
    const log = app.log.child({ component: 'hubspot-detector' });
    let scheduler: DetectorScheduler | null = null;

    // What each portal's last check found, so a refused token or an unreachable HubSpot shows in
    // GET /v1/admin/portals/:id/hubspot instead of only in the log.
    const lastChecks = new Map<string, Omit<DetectorLastCheck, 'nextCheckAt'>>();
    const apply = async (observation: DetectorObservation): Promise<void> => {
      const previous = lastChecks.get(observation.portalId);
      lastChecks.set(observation.portalId, {
        at: observation.at,
        verdict: observation.verdict,
        state: observation.state,
        error: observation.error ?? null,
        failingSince: observation.error ? (previous?.failingSince ?? observation.at) : null,
        warnings: observation.warnings ?? [],
      });
      const signal = detectorSignalFor(
        await app.store.getStatus(observation.portalId),
        observation,
      );
      if (signal) await app.changes.record(signal);
    };

    const start = () => {
      scheduler = startDetectorScheduler({
        intervalMs: settings.intervalMs,
        listPortals: async () => {
          const rows = await store.listHubSpotTokens();
          const portals = [];
          for (const row of rows) {
            let accessToken: string;
            try {
              accessToken = decryptSecret(config.secretKey, row.tokenSealed);
            } catch {
              // One token this relay cannot open (sealed under another secret key, damaged) leaves
              // its portal out, never the others: a throw here would stop every portal's checks.
              const at = new Date().toISOString();
              const previous = lastChecks.get(row.portalId);
              lastChecks.set(row.portalId, {
                at,
                verdict: 'inconclusive',
                state: previous?.state ?? 'clear',
                error: UNREADABLE_TOKEN,
                failingSince: previous?.error ? previous.failingSince : at,
                warnings: [],
              });
              log.warn({ portalId: row.portalId }, UNREADABLE_TOKEN);
              continue;
            }
            portals.push({
              portalId: row.portalId,
              accessToken,
              ...(settings.baseUrl ? { basePath: settings.baseUrl } : {}),
            });
          }
          return portals;
        },
        previousState: async (portalId) =>
          detectorPreviousState(await app.store.getStatus(portalId)),
        onObservation: apply,
        // When HubSpot itself last failed a check, kept in the store: a restart or a new leader
        // still gives the connector its catch-up time after HubSpot's outage (outageCatchUpMs).
        hubspotFailures: {
          load: (portalId) => store.lastHubSpotFailure(portalId),
          save: (portalId, failedAt) => store.saveHubSpotFailure(portalId, failedAt),
        },
        // The token is never logged: errors carry the portal id and HubSpot's answer only.
        onError: (portalId, error) =>
          log.warn(
            { portalId, err: error instanceof Error ? { message: error.message } : String(error) },
            'detector check failed',
          ),
        check: {
          ...(settings.requestSpacingMs !== undefined
            ? { requestSpacingMs: settings.requestSpacingMs }
            : {}),
          ...(settings.thresholds ? { thresholds: settings.thresholds } : {}),
          ...(settings.retryPolicy ? { retryPolicy: settings.retryPolicy } : {}),
        },
      });
    };
    const forget = (portalId: string): void => {
      lastChecks.delete(portalId);
      // The scheduler re-reads tokens every interval; re-read now, so a removed token is not used
      // again and a new one is checked from now on, not up to an interval later.
      scheduler?.refresh().catch((error: unknown) =>
        log.warn(
          {
            portalId,
            err: error instanceof Error ? { message: error.message } : String(error),
          },
          'detector could not re-read the portals',
        ),
      );
    };

    // Several instances on PostgreSQL: the others hand their POST .../hubspot/check here
    // (detectorHandoff.ts). The request is taken at once (they wait for that, not for the check),
    // then the portals are read again (its token may have been stored on another instance since
    // the last read) and the portal checked; the outcome is applied as any check's.
    let unlistenHandoffs: (() => Promise<void>) | null = null;
    const takeHandoff = async (requestId: string, portalId: string): Promise<void> => {
      const running = scheduler;
      if (!running) return;
      await store.tellDetector({ kind: 'accepted', requestId });
      log.info({ portalId, requestId }, 'checking a portal at the request of another instance');
      await running.refresh();
      await running.runNow(portalId);
    };
    const hearHandoffs = async () => {
      if (!store.shared) return;
      try {
        const unlisten = await store.hearDetector((message) => {
          if (message.kind === 'forget') return forget(message.portalId);
          if (message.kind !== 'check') return;
          takeHandoff(message.requestId, message.portalId).catch((error: unknown) =>
            log.warn(
              {
                portalId: message.portalId,
                err: error instanceof Error ? { message: error.message } : String(error),
              },
              'could not run a check handed over by another instance',
            ),
          );
        });
        // The lead was lost (or lost and taken again) while LISTEN was being set up.
        if (!scheduler || unlistenHandoffs) await unlisten();
        else unlistenHandoffs = unlisten;
      } catch (error) {
        // The timer's checks go on; the other instances answer that no instance took the check.
        log.warn(
          { err: error instanceof Error ? { message: error.message } : String(error) },
          'could not listen for checks handed over by other instances',
        );
      }
    };

    const stop = async () => {
      const running = scheduler;
      scheduler = null;
      lastChecks.clear();
      const unlisten = unlistenHandoffs;
      unlistenHandoffs = null;
      await unlisten?.();
      await running?.stop();
    };

    app.decorate('hubspotDetector', {
      get running() {
        return scheduler !== null;
      },
      lastCheck(portalId: string) {
        const last = scheduler ? lastChecks.get(portalId) : undefined;
        if (!last || !scheduler) return null;
        const due = scheduler.nextRuns().get(portalId);
        return { ...last, nextCheckAt: due ? new Date(due).toISOString() : null };
      },
      forget,
      failing() {
        const failing = new Map<string, string>();
        if (scheduler)
          for (const [portalId, last] of lastChecks)
            if (last.error) failing.set(portalId, last.error);
        return failing;
      },
      async checkNow(portalId: string) {
        if (!scheduler) return null;
        const [observation] = await scheduler.runNow(portalId);
        return observation ?? null;
      },
    } satisfies HubSpotDetectorService);

    // Before the store closes: an in-flight check may still record its outcome.
    leadWhileRunning(
      app,
      'hubspot-detector',
      log,
      async () => {
        start();
        await hearHandoffs();
      },
      stop,
    );
  },
  { name: 'relay-hubspot-detector', dependencies: ['relay-store', 'relay-change-feed'] },
);
