import { randomUUID } from 'node:crypto';
import type { RelayedStatus } from '@sync-doctor/core';
import {
  alertEventFromStatus,
  alertRetryDelay,
  buildAlert,
  sendAlert,
  type AlertMessage,
  type AlertTarget,
} from '@sync-doctor/hubspot-signals';
import fp from 'fastify-plugin';
import { decryptSecret } from '../crypto/secrets.js';
import {
  alertStoreOf,
  type AlertDeliveryRecord,
  type AlertTargetRecord,
  type NewAlertDelivery,
  type OutboxHorizon,
} from '../store/alertStore.js';
import { roundFailureLogger } from '../store/sqlDb.js';
import { onChangeRecorded } from './changeFeed.js';

interface AlertsService {
  /** Runs a round now (or right after the current one): fill the alert outbox, send what is due. */
  wake(): void;
  /** The admin API changed targets: re-read them. */
  targetsChanged(): void;
  /** One full round, awaited (tests, admin). */
  runOnce(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    alerts?: AlertsService;
  }
}

/** The alert sweep's cursor; the admin API creates it before a portal's first target, so no history is alerted. */
export const ALERT_CURSOR = 'alerts';
const CURSOR = ALERT_CURSOR;
const SWEEP_BATCH = 200;
const SEND_BATCH = 20;
const TARGETS_CACHE_MS = 5000;
/**
 * A relay transaction open this long holds the sweep's cursor back (see outboxHorizon): said in
 * the log, at most once per this interval, with its pid, so an operator can find it.
 */
const HELD_WARN_MS = 60_000;

export function decryptTarget(key: Buffer, record: AlertTargetRecord): AlertTarget {
  return { ...(JSON.parse(decryptSecret(key, record.targetSealed)) as AlertTarget), id: record.id };
}

/**
 * Alerts out (packages/hubspot-signals): on every stored change where a portal's state or reason
 * changed, one alert per target of the portal goes into the durable alert outbox
 * (`alert_deliveries`, unique on target and dedup key), and a worker sends it with `sendAlert`,
 * retrying with `alertRetryDelay` and marking it failed when that gives up.
 *
 * The outbox is filled right after the change commits, from the change stream (the Salesforce
 * outbox rows, one per change, written in the change's own transaction), not inside that
 * transaction: the ingestion hot path stays untouched. A cursor in the store makes this durable:
 * a crash between the commit and the alert insert is caught up at the next start. Several
 * instances may sweep at once; the unique dedup key makes that idempotent.
 */
export default fp(
  async (app) => {
    const { config } = app;
    const settings = config.signals.alerts;
    const store = alertStoreOf(app.store);
    const log = app.log.child({ component: 'alerts' });
    const roundFailures = roundFailureLogger(log, 'alert round failed');
    const owner = `${config.instanceId}:alerts:${randomUUID().slice(0, 8)}`;
    let targets: { at: number; byPortal: Map<string, AlertTargetRecord[]>; count: number } | null =
      null;
    let timer: NodeJS.Timeout | null = null;
    let running: Promise<void> | null = null;
    let again = false;
    let stopped = true;

    // A deleted portal's targets went with it.
    app.portals.onDeleted(() => (targets = null));

    const loadTargets = async () => {
      if (targets && Date.now() - targets.at < TARGETS_CACHE_MS) return targets;
      const all = await store.listAlertTargets();
      const byPortal = new Map<string, AlertTargetRecord[]>();
      for (const t of all) byPortal.set(t.portalId, [...(byPortal.get(t.portalId) ?? []), t]);
      targets = { at: Date.now(), byPortal, count: all.length };
      return targets;
    };

    let heldWarnedAt = 0;
    let untrackedWarned = false;
    let hiddenWarned = false;
    const warnIfHeld = (horizon: OutboxHorizon | null) => {
      if (!horizon) return;
      if (horizon.hidden && !hiddenWarned) {
        hiddenWarned = true;
        log.warn(
          "PostgreSQL hides from the relay's role when other relay sessions' transactions began (pg_stat_activity): the alert sweep assumes none stays open over 10 s, so a change committed later may raise no alert; grant the role pg_read_all_stats",
        );
      }
      if (!horizon.tracking && !untrackedWarned) {
        untrackedWarned = true;
        log.warn(
          'track_activities is off in PostgreSQL: the alert sweep cannot see open transactions and assumes none stays open over 10 s; a change committed later may raise no alert',
        );
      }
      const held = horizon.heldBy;
      const now = Date.now();
      if (!held || now - held.sinceMs < HELD_WARN_MS || now - heldWarnedAt < HELD_WARN_MS) return;
      heldWarnedAt = now;
      log.warn(
        { pid: held.pid, openForMs: Math.round(now - held.sinceMs) },
        'a relay database transaction has been open over a minute: the alert sweep re-reads every change since it began until it ends',
      );
    };

    /** Queues an alert per target for every change since the cursor where state or reason changed. */
    const sweep = async (byPortal: Map<string, AlertTargetRecord[]>) => {
      let position = await store.alertCursor(CURSOR);
      // PostgreSQL commits ids in any order: the cursor only passes rows below which nothing can
      // still be stored. Unsettled rows are read again next round (queueing again is a no-op).
      // Read before the rows (see outboxHorizon).
      const horizon = await store.outboxHorizon();
      warnIfHeld(horizon);
      for (;;) {
        const changes = await store.statusChangesAfter(position, SWEEP_BATCH, horizon);
        if (changes.length === 0) return;
        // Each portal's status after its latest change read so far in this batch: the next
        // change's "before", without a query. Writes of one portal commit in id order (its status
        // row is locked), so within one read it is what statusBefore would read. A sweep held
        // back by an open transaction re-reads every change since; this keeps that to one query
        // per portal and batch, not one per change. Not across batches: a change committed after
        // one batch was read, with an id below its end, is read in none of this sweep's, and the
        // portal's next change, in a later batch, follows it (a portal deleted and created again
        // meanwhile starts over just the same).
        const lastAfter = new Map<string, RelayedStatus>();
        const queued: NewAlertDelivery[] = [];
        let advanceTo: number | null = null;
        for (const change of changes) {
          if (change.settled) advanceTo = change.position;
          const portalTargets = byPortal.get(change.portalId);
          if (!portalTargets) continue;
          const before = lastAfter.has(change.portalId)
            ? lastAfter.get(change.portalId)!
            : await store.statusBefore(change.portalId, change.position);
          const after = change.after;
          lastAfter.set(change.portalId, after);
          // Only real changes: a repeated signal, a suspicion under a confirmed suspension, or a
          // first-ever "cleared" tell nobody anything new.
          if (
            before
              ? before.state === after.state && before.reason === after.reason
              : after.state === 'cleared'
          )
            continue;
          const alert = buildAlert(alertEventFromStatus(after, before, settings.appUrl));
          for (const target of portalTargets) {
            // A target hears of changes from its creation on, never of history.
            if (change.createdAtMs < Date.parse(target.createdAt)) continue;
            queued.push({
              portalId: change.portalId,
              targetId: target.id,
              changeId: change.changeId,
              dedupKey: alert.key,
              message: alert as unknown as Record<string, unknown>,
            });
          }
        }
        const count = await store.enqueueAlerts(
          queued,
          advanceTo === null ? null : { name: CURSOR, position: advanceTo },
        );
        if (count > 0) log.info({ queued: count }, 'alerts queued');
        position = changes[changes.length - 1]!.position;
        if (changes.length < SWEEP_BATCH) return;
      }
    };

    const send = async (row: AlertDeliveryRecord) => {
      const record = await store.getAlertTarget(row.portalId, row.targetId);
      if (!record) {
        await store.failAlert(row.id, owner, 'the alert target was deleted', null);
        return;
      }
      try {
        await sendAlert(
          decryptTarget(config.secretKey, record),
          row.message as unknown as AlertMessage,
          {
            allowPrivateNetworks: config.allowPrivateTargets,
            ...(settings.sendTimeoutMs ? { timeoutMs: settings.sendTimeoutMs } : {}),
          },
        );
        await store.completeAlert(row.id, owner);
      } catch (error) {
        const delay = alertRetryDelay(row.attempts, error, settings.retry);
        const message = error instanceof Error ? error.message : String(error);
        await store.failAlert(
          row.id,
          owner,
          message,
          delay === null ? null : new Date(Date.now() + delay),
        );
        log.warn(
          {
            portalId: row.portalId,
            targetId: row.targetId,
            attempt: row.attempts,
            retryInMs: delay,
            error: message,
          },
          delay === null ? 'alert failed for good' : 'alert failed; will retry',
        );
      }
    };

    const round = async (): Promise<void> => {
      const current = await loadTargets();
      if (current.count === 0) return;
      await sweep(current.byPortal);
      for (let i = 0; i < 5; i++) {
        const claimed = await store.claimAlerts(owner, {
          leaseMs: settings.leaseMs,
          limit: SEND_BATCH,
        });
        if (claimed.length === 0) return;
        await Promise.all(claimed.map(send));
      }
    };

    const wake = (): void => {
      if (stopped) return;
      if (running) {
        again = true;
        return;
      }
      if (timer) clearTimeout(timer);
      timer = null;
      running = round()
        .then(() => roundFailures.succeeded())
        .catch((error: unknown) => roundFailures.failed(error))
        .then(() => {
          running = null;
          if (stopped) return;
          if (again) {
            again = false;
            // At once, not on a later tick: `running` is never null while a woken round is due,
            // so runOnce (which waits while a round runs) waits for it too, instead of starting
            // its own beside it.
            wake();
            return;
          }
          timer = setTimeout(wake, settings.pollIntervalMs);
          timer.unref();
        });
    };

    app.decorate('alerts', {
      wake,
      targetsChanged() {
        targets = null;
        wake();
      },
      async runOnce() {
        // Every round woken before this call (and the ones they chain) ends first.
        while (running) await running;
        await round();
      },
    } satisfies AlertsService);
    onChangeRecorded(app.changes, wake);

    app.addHook('onReady', async () => {
      stopped = false;
      wake();
    });
    // Before the store closes: sends in flight finish and record their outcome.
    app.addHook('preClose', async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    });
  },
  { name: 'relay-alerts', dependencies: ['relay-store', 'relay-change-feed', 'relay-portals'] },
);
