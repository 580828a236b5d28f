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
import { hubspotStoreOf, type HubSpotCheckRecord } from '../store/hubspotStore.js';

interface HubSpotDetectorService {
  /** True while this instance runs the checks (it holds the lead). */
  readonly running: boolean;
  /** Checks one portal now (outside its timer) and applies the outcome; null when this instance does not run the detector. */
  checkNow(portalId: string): Promise<DetectorObservation | null>;
  /** When this instance has the portal's next check due (null: not scheduled, or this instance does not run the detector). */
  nextCheckAt(portalId: string): string | null;
  /** The portal's token was replaced or removed: what the old one found no longer applies, and the old token is not used again. */
  forget(portalId: string): void;
  /**
   * The portals whose last check could not conclude, with why (for /health and the metric): read
   * from the store, so every instance answers the same, whichever runs the checks.
   */
  failing(): Promise<Map<string, string>>;
  /** Resolves once the checks left by a previous leader (taken over with the lead) have run. */
  readonly takenOver: Promise<void>;
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

    // What each portal's last check found is kept in the store (migration 15), so a refused token
    // or an unreachable HubSpot shows in GET /v1/admin/portals/:id/hubspot on every instance and
    // after a restart or a change of leader. It is saved only while the token the check used (as
    // listPortals last read it, sealed) is still the portal's. /health and the metric read the
    // failing ones from there too (they were kept in the leader's memory: the other instances
    // behind a balancer answered none, and a restart forgot them).
    const sealedTokens = new Map<string, string>();
    const errorText = (error: unknown) =>
      error instanceof Error ? { message: error.message } : String(error);
    const saveCheck = async (
      portalId: string,
      check: Omit<HubSpotCheckRecord, 'failingSince' | 'checkedBy'>,
    ): Promise<void> => {
      const tokenSealed = sealedTokens.get(portalId);
      if (tokenSealed === undefined) return;
      try {
        // Nothing is saved when the token changed or went meanwhile: what it found does not apply.
        await store.saveHubSpotCheck(portalId, tokenSealed, {
          ...check,
          checkedBy: config.instanceId,
        });
      } catch (error) {
        // The outcome is still applied as a signal; only GET .../hubspot misses this check.
        log.warn({ portalId, err: errorText(error) }, "could not save the detector's last check");
      }
    };
    const apply = async (observation: DetectorObservation): Promise<void> => {
      await saveCheck(observation.portalId, {
        at: observation.at,
        verdict: observation.verdict,
        state: observation.state,
        error: observation.error ?? null,
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
          sealedTokens.clear();
          for (const row of rows) sealedTokens.set(row.portalId, row.tokenSealed);
          const portals = [];
          for (const row of rows) {
            let accessToken: string;
            try {
              accessToken = decryptSecret(config.secretKey, row.tokenSealed);
            } catch {
              // One token this relay cannot open (sealed under another secret key, damaged) leaves
              // its portal out, never the others: a throw here would stop every portal's checks.
              await saveCheck(row.portalId, {
                at: new Date().toISOString(),
                verdict: 'inconclusive',
                state: detectorPreviousState(await app.store.getStatus(row.portalId)),
                error: UNREADABLE_TOKEN,
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
    // The request is recorded in the store before it is accepted, and removed once the check ran
    // and its outcome was applied: a leader that stops in between (crash, lost lead) leaves it to
    // the next, which runs it when it takes the lead (takeOver).
    let unlistenHandoffs: (() => Promise<void>) | null = null;
    const takeHandoff = async (requestId: string, portalId: string): Promise<void> => {
      const running = scheduler;
      if (!running) return;
      // No token (removed meanwhile): nothing to check, so not accepted.
      if (!(await store.requestHubSpotCheck(portalId, requestId))) return;
      await store.tellDetector({ kind: 'accepted', requestId });
      log.info({ portalId, requestId }, 'checking a portal at the request of another instance');
      await running.refresh();
      const [observation] = await running.runNow(portalId);
      // Applied (a stopping scheduler still finishes its checks), or still leading: done. Else
      // the next leader runs it.
      if (observation || scheduler === running) await store.hubSpotCheckDone(portalId, requestId);
    };
    /** The checks a previous leader accepted and did not run to their outcome: run them now. */
    const takeOver = async (running: DetectorScheduler): Promise<void> => {
      for (const pending of await store.pendingHubSpotChecks()) {
        if (scheduler !== running) return;
        log.info(
          { portalId: pending.portalId, requestId: pending.requestId },
          'running a check the previous leading instance accepted and did not finish',
        );
        const [observation] = await running.runNow(pending.portalId);
        if (!observation && scheduler !== running) return;
        await store.hubSpotCheckDone(pending.portalId, pending.requestId);
      }
    };
    let takenOver: Promise<void> = Promise.resolve();
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
                err: errorText(error),
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
      const unlisten = unlistenHandoffs;
      unlistenHandoffs = null;
      await unlisten?.();
      // The checks in flight finish and save their outcome (under the tokens last read).
      await running?.stop();
    };

    app.decorate('hubspotDetector', {
      get running() {
        return scheduler !== null;
      },
      nextCheckAt(portalId: string) {
        const due = scheduler?.nextRuns().get(portalId);
        return due ? new Date(due).toISOString() : null;
      },
      forget,
      failing() {
        return store.failingHubSpotChecks();
      },
      get takenOver() {
        return takenOver;
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
        // In the background: the lead (and the relay's start) does not wait for HubSpot.
        const running = scheduler;
        if (running)
          takenOver = takeOver(running).catch((error: unknown) =>
            log.warn(
              { err: errorText(error) },
              'could not run the checks the previous leading instance left',
            ),
          );
      },
      stop,
    );
  },
  { name: 'relay-hubspot-detector', dependencies: ['relay-store', 'relay-change-feed'] },
);
