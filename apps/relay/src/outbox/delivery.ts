import type { FastifyBaseLogger } from 'fastify';
import { describeFailure } from '../domain/retry.js';
import type { RelayMetrics } from '../plugins/metrics.js';
import type { DeliveryTarget, StatusPublisher } from '../publisher/types.js';
import type { ClaimedDelivery, RelayStore } from '../store/types.js';
import type { Lease } from './lease.js';
import type { OutcomeRecorder } from './outcomes.js';
import type { Sender } from './send.js';
import { SyncErrorsCarrier } from './syncErrors.js';

const NOT_CONFIGURED =
  'NOT_CONFIGURED: the portal has no Salesforce connection configured yet; delivered once one is set';

interface DelivererDependencies {
  store: RelayStore;
  publisher: StatusPublisher;
  log: FastifyBaseLogger;
  metrics?: RelayMetrics;
  sender: Sender;
  outcomes: OutcomeRecorder;
  /** True once the worker is stopping: a run gives back what it has not started. */
  stopping: () => boolean;
}

/**
 * Delivers one run (consecutive changes of one portal, claimed together under one lease) into
 * Salesforce: in one request when the publisher sends batches, else one change a request; in
 * order, stopping at the first that fails, and asking what landed before sending a change again.
 */
export class Deliverer {
  private readonly syncErrors: SyncErrorsCarrier;

  /** Portals whose org was said (logged) to lack Sync_Errors__c, by this process. */
  private readonly toldLacksSyncErrors = new Set<string>();

  constructor(private readonly deps: DelivererDependencies) {
    this.syncErrors = new SyncErrorsCarrier(deps);
  }

  async deliverRun(
    claimed: ClaimedDelivery[],
    target: DeliveryTarget | null,
    lease: Lease,
  ): Promise<void> {
    // Parked runs (no connection) send nothing: they get the summary when they are sent.
    const run = target ? await this.syncErrors.attach(claimed, target) : claimed;
    if (target && run.length > 1 && this.deps.publisher.publishBatch) {
      await this.deliverBatch(run, target, lease);
      return;
    }
    await this.deliverOneByOne(run, target, lease);
  }

  /** Delivers a run one change a request, in order; stops at the first that fails. */
  private async deliverOneByOne(
    run: ClaimedDelivery[],
    target: DeliveryTarget | null,
    lease: Lease,
    options: { landedChecked?: boolean } = {},
  ): Promise<boolean> {
    for (let i = 0; i < run.length; i++) {
      const rest = run.slice(i);
      if (this.deps.stopping() && i > 0) {
        await lease.release(rest);
        return false;
      }
      // Keep the lease well ahead of a long run (the first change too: looking the portal up
      // took some of it); if it was lost, another run owns the rest.
      if (!(await lease.keep(rest))) return false;
      if (!(await this.deliver(run[i]!, target, lease, options))) {
        await lease.release(rest.slice(1));
        return false;
      }
    }
    return true;
  }

  /**
   * Delivers a run of consecutive changes of one portal in one request (publishBatch): every
   * change's event, in order, and the status record once, with the last change's status, all or
   * none. Each change is still recorded as its own delivery (its own event id). What the
   * one-by-one path guarantees holds here too:
   * - sent again (an earlier attempt may have landed unrecorded), the changes that landed are
   *   found with one read (landedCount) and recorded as reconciled, and only the rest is sent;
   * - a passing failure (503, row lock, request limit, timeout) fails the whole batch, nothing of
   *   it landed (all or none), and every change of it is retried with the same backoff, together;
   * - a permanent refusal of one change must not hold the others back: the changes before it go
   *   as a batch, then that change alone, exactly as it would without batches (given up with its
   *   own error if Salesforce refuses it again, supersededBy once a later change lands); the rest
   *   is given back and goes as a batch in the next round. A refusal of the request as a whole
   *   (no change named) is taken as the head change's, as before batches. The changes before a
   *   refused one are split no further: refused again, they go one by one (at most three calls
   *   a change given up, where shrinking batches would cost a call for every shorter one).
   * Resolves to false when the run stopped before its end (the rest was given back or is
   * another run's, here or on another instance).
   */
  private async deliverBatch(
    run: ClaimedDelivery[],
    target: DeliveryTarget,
    lease: Lease,
    options: { landedChecked?: boolean; split?: boolean } = {},
  ): Promise<boolean> {
    const { publisher, log, metrics, sender, outcomes } = this.deps;
    let pending = run;
    if (!options.landedChecked && pending.some((d) => d.attempts > 1)) {
      if (!publisher.landedCount) return this.deliverOneByOne(pending, target, lease);
      // An earlier attempt may have landed unrecorded (crash, timeout): look before sending twice.
      // No answer is no "nothing landed" (see landedCheckRefused).
      let landed: number;
      try {
        landed = await publisher.landedCount(
          target,
          pending.map((d) => d.status),
        );
      } catch (error) {
        const failure = describeFailure(error);
        if (failure.retryable) {
          await outcomes.failBatch(pending, lease, failure, 'landed check failed');
          return false;
        }
        outcomes.landedCheckRefused(pending, failure);
        landed = 0;
      }
      if (landed > 0) {
        const reconciled = pending.slice(0, landed);
        if (
          !(await outcomes.recordBatch(
            reconciled,
            (d) => withRecoveries(d, { reconciled: true }),
            target,
            lease,
            'reconciled',
          ))
        )
          return false;
        pending = pending.slice(landed);
      }
      if (pending.length === 0) return true;
    }
    if (pending.length === 1)
      return this.deliverOneByOne(pending, target, lease, { landedChecked: true });
    // The read above (its session renewal included) is not bounded by the lease, nor is the
    // portal's lookup before it: when they outlived it, another run owns the batch now, found
    // the same answer and sends it; sending here too would publish every event twice.
    if (!(await lease.keep(pending))) {
      metrics?.deliveries.inc({ outcome: 'lease_lost' });
      return false;
    }
    const started = process.hrtime.bigint();
    const head = pending[0]!;
    try {
      const result = await sender.send(
        publisher.publishBatch!(
          target,
          pending.map((d) => d.status),
        ),
        pending,
        lease,
      );
      metrics?.deliveryDuration.observe(Number(process.hrtime.bigint() - started) / 1e9);
      return await outcomes.recordBatch(
        pending,
        (delivery, i) =>
          withRecoveries(delivery, {
            id: result.id,
            created: result.created,
            ...(result.eventIds[i] ? { eventId: result.eventIds[i] } : {}),
            batch: pending.length,
            ...this.syncErrorsLeftOut(head, result.syncErrorsLeftOut),
          }),
        target,
        lease,
        'delivered',
      );
    } catch (error) {
      const failure = describeFailure(error);
      if (failure.retryable) {
        await outcomes.failBatch(pending, lease, failure, 'batch delivery failed');
        return false;
      }
      // Refused for good: find the change it is about (see above). The batch rolled back, so
      // nothing of it needs the "landed already?" check.
      if (options.split === false) {
        // The changes before a refused one, refused again: the refusal is not that change's
        // (a validation rule, trigger or lock on the status record names every batch's last
        // change). Splitting again would spend a call for every shorter batch, quadratic in a
        // backlog; one by one, the head goes alone (given up with its own error or delivered)
        // and the rest is given back, as without batches.
        return this.deliverOneByOne(pending, target, lease, { landedChecked: true });
      }
      const named = (error as { batchIndex?: unknown } | null)?.batchIndex;
      const bad =
        typeof named === 'number' && Number.isInteger(named) && named >= 0 && named < pending.length
          ? named
          : 0;
      log.warn(
        { deliveries: pending.length, portalId: head.portalId, code: failure.code, change: bad },
        'batch refused; sending the refused change on its own',
      );
      if (!(await lease.keep(pending))) return false;
      if (bad > 0) {
        if (
          !(await this.deliverBatch(pending.slice(0, bad), target, lease, {
            landedChecked: true,
            split: false,
          }))
        ) {
          await lease.release(pending.slice(bad));
          return false;
        }
      }
      if (!(await lease.keep(pending.slice(bad)))) return false;
      await this.deliver(pending[bad]!, target, lease, { landedChecked: true });
      await lease.release(pending.slice(bad + 1));
      return false;
    }
  }

  /**
   * The result's note when the status went without its sync errors (the org lacks
   * Sync_Errors__c), logged once per portal by this process; the result says it every time.
   */
  private syncErrorsLeftOut(
    delivery: ClaimedDelivery,
    note: string | undefined,
  ): { syncErrorsLeftOut?: string } {
    if (!note) return {};
    if (!this.toldLacksSyncErrors.has(delivery.portalId)) {
      this.toldLacksSyncErrors.add(delivery.portalId);
      this.deps.log.warn({ portalId: delivery.portalId }, note);
    }
    return { syncErrorsLeftOut: note };
  }

  /** Resolves to true when the delivery is done (delivered or reconciled), false when it failed. */
  private async deliver(
    delivery: ClaimedDelivery,
    target: DeliveryTarget | null,
    lease: Lease,
    options: { landedChecked?: boolean } = {},
  ): Promise<boolean> {
    const { store, publisher, metrics, sender, outcomes } = this.deps;
    if (!target) {
      // Not a failure: parked until the portal has a connection (setting one re-queues it at once;
      // resumeWaiting() catches a connection set on another instance). If the store already has
      // one (this instance's portal cache is up to PORTAL_CACHE_MS old), it stays pending and is
      // tried again once the cache has caught up.
      await store.awaitConnection(
        delivery.id,
        lease.owner,
        NOT_CONFIGURED,
        new Date(Date.now() + 2000),
      );
      metrics?.deliveries.inc({ outcome: 'not_configured' });
      return false;
    }
    if (delivery.attempts > 1 && !options.landedChecked && publisher.isDelivered) {
      // An earlier attempt may have landed unrecorded (crash, timeout): look before sending twice.
      // No answer is no "it did not land" (see landedCheckRefused).
      let landed: boolean;
      try {
        landed = await publisher.isDelivered(target, delivery.status);
      } catch (error) {
        const failure = describeFailure(error);
        if (failure.retryable) {
          await outcomes.fail(delivery, lease, error, 'landed check failed');
          return false;
        }
        outcomes.landedCheckRefused([delivery], failure);
        landed = false;
      }
      if (landed)
        return outcomes.recorded(
          delivery,
          await store.completeDelivery(
            delivery.id,
            lease.owner,
            withRecoveries(delivery, { reconciled: true }),
            target.configVersion,
          ),
          'reconciled',
          target,
        );
    }
    // As in deliverBatch: the read above, or the run before this send, may have outlived the
    // lease; the change is another run's then (on this instance or another), which sends it.
    if (!(await lease.keep([delivery]))) {
      metrics?.deliveries.inc({ outcome: 'lease_lost' });
      return false;
    }
    const started = process.hrtime.bigint();
    try {
      const result = await sender.send(
        publisher.publish(target, delivery.status),
        [delivery],
        lease,
      );
      metrics?.deliveryDuration.observe(Number(process.hrtime.bigint() - started) / 1e9);
      return outcomes.recorded(
        delivery,
        await store.completeDelivery(
          delivery.id,
          lease.owner,
          withRecoveries(delivery, {
            ...result,
            ...this.syncErrorsLeftOut(delivery, result.syncErrorsLeftOut),
          }),
          target.configVersion,
        ),
        'delivered',
        target,
      );
    } catch (error) {
      await outcomes.fail(delivery, lease, error, 'delivery failed');
      return false;
    }
  }
}

/**
 * A delivery's result, with the sync-errors report its status carried (SyncErrorsCarrier), and
 * how many times the relay re-queued it by itself after an outage
 * (recovery.ts), so GET /deliveries still says so once it has landed.
 */
function withRecoveries<T extends object>(
  delivery: ClaimedDelivery,
  result: T,
): T & { autoRequeued?: number; syncErrorsReportId?: number } {
  return {
    ...result,
    // Only when it carried one: a portal without an export keeps the results it had.
    ...(delivery.syncErrorsReportId ? { syncErrorsReportId: delivery.syncErrorsReportId } : {}),
    ...(delivery.recoveries > 0 ? { autoRequeued: delivery.recoveries } : {}),
  };
}
