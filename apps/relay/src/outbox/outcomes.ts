import type { FastifyBaseLogger } from 'fastify';
import type { RelayConfig } from '../config.js';
import { describeFailure, retryDelayMs, STORAGE_FULL, storageFullHint } from '../domain/retry.js';
import type { RelayMetrics } from '../plugins/metrics.js';
import type { DeliveryTarget } from '../publisher/types.js';
import type { ClaimedDelivery, RelayStore } from '../store/types.js';
import type { Lease } from './lease.js';
import {
  nextRecoveryAt,
  recoveryEndedText,
  recoveryScheduledText,
  type RecoveryConfig,
} from './recovery.js';
import { mayStillLand, sendTimeoutMs } from './send.js';

/**
 * How long a status sent again after a connection change waits: the portals' cache on other
 * instances (2 s) may still hold the old connection, and one of them could claim it first.
 */
export const RESEND_DELAY_MS = 2000;

type Failure = ReturnType<typeof describeFailure>;

type Outcome = 'delivered' | 'reconciled';

/**
 * Records what became of a run's deliveries: delivered or reconciled (completed), failed
 * (retried with backoff or given up), or found not the run's any more. Counts each outcome only
 * once it is recorded, and logs it.
 */
export class OutcomeRecorder {
  constructor(
    private readonly deps: {
      store: RelayStore;
      config: Pick<RelayConfig['outbox'], 'leaseMs' | 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs'>;
      log: FastifyBaseLogger;
      metrics?: RelayMetrics;
      /** Automatic re-queue of what passing trouble made give up (recovery.ts); absent: none. */
      recovery?: RecoveryConfig;
    },
  ) {}

  /**
   * Records a batch as delivered (or reconciled), each delivery with its own result, in one
   * transaction; then, once, sends the newest status again if the connection changed meanwhile.
   * False when some were not this run's any more (see `recorded`).
   */
  async recordBatch(
    deliveries: ClaimedDelivery[],
    resultOf: (delivery: ClaimedDelivery, index: number) => Record<string, unknown>,
    target: DeliveryTarget,
    lease: Lease,
    outcome: Outcome,
  ): Promise<boolean> {
    const recorded = await this.deps.store.completeDeliveries(
      lease.owner,
      deliveries.map((delivery, i) => ({ id: delivery.id, result: resultOf(delivery, i) })),
      target.configVersion,
    );
    if (recorded.length > 0) this.deps.metrics?.deliveries.inc({ outcome }, recorded.length);
    if (recorded.length === deliveries.length)
      return this.recorded(deliveries[deliveries.length - 1]!, true, outcome, target, {
        counted: true,
      });
    const lost = deliveries.find((d) => !recorded.includes(d.id))!;
    return this.recorded(lost, false, outcome, target);
  }

  /**
   * Counts a completion only when it was recorded under this run's lease. When the lease ran out
   * first (a slow attempt on a loaded machine), another run (here or on another instance) owns
   * the delivery now and will find it landed (isDelivered) and count it: counting it here too
   * would report one change delivered twice. The rest of this run is that run's too, so it stops.
   */
  async recorded(
    delivery: ClaimedDelivery,
    recorded: boolean,
    outcome: Outcome,
    target: DeliveryTarget,
    options: { counted?: boolean } = {},
  ): Promise<boolean> {
    if (recorded) {
      if (!options.counted) this.deps.metrics?.deliveries.inc({ outcome });
      // The admin may have pointed the portal at another org while this one was on its way (or
      // while this run, which looked its connection up once, went on): the newest status then
      // goes again, to the connection set now. A no-op when the connection is the one used.
      await this.deps.store
        .resendLatest(delivery.portalId, {
          sentWithVersion: target.configVersion,
          at: new Date(Date.now() + RESEND_DELAY_MS),
        })
        .catch((error: unknown) =>
          // The delivery is recorded; the run goes on. Setting a connection resends as well.
          this.deps.log.warn(
            { err: error, portalId: delivery.portalId },
            'could not check whether the connection changed during the delivery',
          ),
        );
      // Sync errors uploaded while this status was on its way found it pending and left it to
      // carry them, but it went with the summary read before: the newest status goes again.
      // Nothing to do (one cheap read) when none came meanwhile.
      if (delivery.syncErrorsReportId !== undefined)
        await this.deps.store
          .carrySyncErrors(delivery.portalId, { carried: delivery.syncErrorsReportId })
          .catch((error: unknown) =>
            // The next delivery of the portal carries them all the same.
            this.deps.log.warn(
              { err: error, portalId: delivery.portalId },
              'could not check whether sync errors were uploaded during the delivery',
            ),
          );
      return true;
    }
    return this.notRecorded(delivery);
  }

  /**
   * Counts and logs a completion or failure that found its delivery not this run's: the lease
   * ran out, or the portal was deleted meanwhile. Resolves to false (the run stops).
   */
  async notRecorded(delivery: ClaimedDelivery): Promise<false> {
    // The other way a completion finds no row: the portal was deleted (with its outbox) while
    // its delivery was in flight. That is no lost lease, and nobody takes it over.
    const gone =
      (await this.deps.store.getPortal(delivery.portalId).catch(() => undefined)) === null;
    if (gone) {
      this.deps.metrics?.deliveries.inc({ outcome: 'portal_deleted' });
      this.deps.log.info(
        { delivery: delivery.id, portalId: delivery.portalId },
        'delivery finished after its portal was deleted; nothing left to record',
      );
      return false;
    }
    this.deps.metrics?.deliveries.inc({ outcome: 'lease_lost' });
    this.deps.log.warn(
      { delivery: delivery.id, portalId: delivery.portalId },
      'delivery lease expired before its outcome was recorded; another round takes it over',
    );
    return false;
  }

  /** Records a failed attempt of one change: retried with backoff while it has attempts left. */
  async fail(delivery: ClaimedDelivery, lease: Lease, error: unknown, what: string): Promise<void> {
    const { store, log, metrics } = this.deps;
    const failure = describeFailure(error);
    const retry = failure.retryable && delivery.attempts < this.attemptsFor(delivery);
    const retryAt = retry
      ? new Date(Date.now() + this.retryDelay(failure.code, delivery.attempts))
      : null;
    // Given up on passing trouble (an outage longer than the backoff): re-queued by itself once
    // the org answers again (recovery.ts). Settings to fix and refusals are not retryable.
    const recoverAt = failure.retryable && !retry ? this.recoverAt(delivery) : null;
    const text = this.givenUpText(
      delivery,
      failureText(failure),
      recoverAt,
      failure.retryable && !retry,
    );
    // Not this run's any more (the portal deleted, the lease lost): nothing was retried or given
    // up here, and counting it would count a change twice (or one that is gone).
    if (!(await store.failDelivery(delivery.id, lease.owner, text, retryAt, recoverAt))) {
      await this.notRecorded(delivery);
      return;
    }
    metrics?.deliveries.inc({ outcome: retry ? 'retry' : 'failed' });
    log.warn(
      {
        delivery: delivery.id,
        portalId: delivery.portalId,
        attempt: delivery.attempts,
        code: failure.code,
        retryAt,
        ...(recoverAt ? { autoRequeueCheckAt: recoverAt } : {}),
      },
      // Given up at once (see storageFullHint): the line says what a person has to do.
      failure.code === STORAGE_FULL ? `${what}: ${storageFullHint(delivery.portalId)}` : what,
    );
  }

  /**
   * Fails every change of a batch with one failure (a passing one of the batch's send, or its
   * "what landed?" check that got no answer). Nothing of an all-or-none batch landed (a timeout
   * may have: the next attempt asks). Each change counts its own attempts: the head may be on its
   * last while the changes queued behind it during its backoff are on their first, and those are
   * retried (given up, the head is superseded once they land), as they would be sent one by one.
   * The retried ones wait together, with the backoff of the oldest of them, so they go again as
   * one batch. A failure that is not passing gives every change up.
   */
  async failBatch(
    pending: ClaimedDelivery[],
    lease: Lease,
    failure: Failure,
    what: string,
  ): Promise<void> {
    const { store, log, metrics } = this.deps;
    const head = pending[0]!;
    const retried = failure.retryable
      ? pending.filter((d) => d.attempts < this.attemptsFor(d))
      : [];
    const retryAt = retried[0]
      ? new Date(Date.now() + this.retryDelay(failure.code, retried[0].attempts))
      : null;
    const message = failureText(failure);
    // Newest first, the head last: while the head is leased no round (here or on another
    // instance) claims the portal, so none can take the changes already failed here while
    // later ones are still this run's, and deliver them out of order.
    const failed: ClaimedDelivery[] = [];
    for (const delivery of [...pending].reverse()) {
      const recoverAt =
        failure.retryable && !retried.includes(delivery) ? this.recoverAt(delivery) : null;
      if (
        await store.failDelivery(
          delivery.id,
          lease.owner,
          this.givenUpText(
            delivery,
            message,
            recoverAt,
            failure.retryable && !retried.includes(delivery),
          ),
          retried.includes(delivery) ? retryAt : null,
          recoverAt,
        )
      )
        failed.push(delivery);
    }
    // Counted only as recorded; what was not is another run's, or gone with its portal.
    const retriedHere = failed.filter((d) => retried.includes(d)).length;
    if (retriedHere > 0) metrics?.deliveries.inc({ outcome: 'retry' }, retriedHere);
    if (retriedHere < failed.length)
      metrics?.deliveries.inc({ outcome: 'failed' }, failed.length - retriedHere);
    if (failed.length < pending.length) {
      await this.notRecorded(pending.find((d) => !failed.includes(d))!);
      if (failed.length === 0) return;
    }
    log.warn(
      {
        deliveries: pending.length,
        portalId: head.portalId,
        attempt: head.attempts,
        code: failure.code,
        retryAt,
        givenUp: pending.length - retried.length,
      },
      what,
    );
  }

  /**
   * A "what landed?" check that got no answer. A passing failure (503, timeout, row lock) fails
   * the attempt as a send's would: retried, it asks again, and nothing goes out before the relay
   * knows it has not landed, so what did is not published twice. A refusal no retry mends (a
   * field or object the query names missing, access to it lost) would fail every retry the same
   * way and give the change up unsent: the org would keep showing an old suspension state for
   * good. The change is sent then, as if nothing had landed: at worst its event goes out twice
   * (an open Sync Doctor page reloads twice; the status record is an upsert), and when the send
   * is refused too, the change is given up with the send's own error, the one an admin can act on.
   */
  landedCheckRefused(deliveries: ClaimedDelivery[], failure: Failure): void {
    this.deps.log.warn(
      {
        deliveries: deliveries.length,
        portalId: deliveries[0]?.portalId,
        code: failure.code,
        error: failureText(failure),
      },
      'Salesforce refused the "what landed?" check; sending as if nothing had landed',
    );
  }

  /**
   * The attempts a delivery gets: RELAY_OUTBOX_MAX_ATTEMPTS, but one once the relay re-queued it
   * by itself. The check's GET /limits still answers while an org refuses only writes (read-only
   * maintenance, a spent daily API or hourly event allocation): re-queued with all its attempts,
   * such a delivery cost 1 + 12 calls at every check, hourly for 3 days. Failing once more on
   * passing trouble, it goes straight back to the spaced checks (one call each, plus this attempt).
   */
  private attemptsFor(delivery: ClaimedDelivery): number {
    return delivery.recoveries > 0 ? 1 : this.deps.config.maxAttempts;
  }

  /**
   * A failure as lastError keeps it: with the next check's time when one is due, and when a
   * delivery the relay re-queued by itself is given up once RELAY_OUTBOX_RECOVERY_FOR_MS has
   * passed, with the note that the checks ended (else it read as a plain failure).
   */
  private givenUpText(
    delivery: ClaimedDelivery,
    message: string,
    recoverAt: Date | null,
    givenUpOnPassingTrouble: boolean,
  ): string {
    if (recoverAt) return recoveryScheduledText(message, recoverAt);
    if (givenUpOnPassingTrouble && this.deps.recovery?.enabled && delivery.recoverSince)
      return recoveryEndedText(message, delivery.portalId);
    return message;
  }

  /** When a delivery given up on passing trouble is next checked for an automatic re-queue. */
  private recoverAt(delivery: ClaimedDelivery): Date | null {
    const since = delivery.recoverSince ? Date.parse(delivery.recoverSince) : null;
    return nextRecoveryAt(since, Date.now(), this.deps.recovery);
  }

  /**
   * The wait before a failed delivery is tried again: the backoff, but after a send that was
   * already on its way when the relay stopped waiting (its own timeout, or no answer to a request
   * sent), at least as long again. Salesforce may still finish that request; the next attempt asks
   * what landed before it sends, and asked at once it would miss a late commit and publish every
   * event of it a second time.
   */
  private retryDelay(code: string, attempts: number): number {
    const { config } = this.deps;
    const backoff = retryDelayMs(attempts, config.baseDelayMs, config.maxDelayMs);
    return mayStillLand(code) ? Math.max(backoff, sendTimeoutMs(config.leaseMs)) : backoff;
  }
}

/** A failure as a delivery's lastError shows it: 'SERVER_UNAVAILABLE (503): ...'. */
function failureText(failure: Failure): string {
  return `${failure.code}${failure.statusCode ? ` (${failure.statusCode})` : ''}: ${failure.message}`;
}
