import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { RelayConfig } from '../config.js';
import { describeFailure, retryDelayMs } from '../domain/retry.js';
import type { RelayMetrics } from '../plugins/metrics.js';
import type { PortalsService } from '../plugins/portals.js';
import type { DeliveryTarget, StatusPublisher } from '../publisher/types.js';
import { roundFailureLogger } from '../store/sqlDb.js';
import type { ClaimedDelivery, RelayStore } from '../store/types.js';

/**
 * How many queued changes of one portal a round may take at once (delivered in order) when the
 * publisher sends one change a request. A publisher that sends batches (publishBatch) is given up
 * to its batchMax instead, so a backlog goes in as few API calls as it allows.
 */
const PER_PORTAL = 20;

export interface OutboxDependencies {
  store: RelayStore;
  portals: PortalsService;
  publisher: StatusPublisher;
  config: RelayConfig['outbox'];
  instanceId: string;
  log: FastifyBaseLogger;
  metrics?: RelayMetrics;
}

/**
 * A run's claim: the owner its changes are leased under, and when the lease of each change it
 * still holds was last set (claimed or renewed; the stored lease_until is at least that plus the
 * lease). Before every send the run renews what has aged past a third of the lease, so a send,
 * which may take half of it, always ends while the change is still the run's (see keepLease).
 */
interface Lease {
  owner: string;
  setAt: Map<number, number>;
}

const NOT_CONFIGURED =
  'NOT_CONFIGURED: the portal has no Salesforce connection configured yet; delivered once one is set';

/**
 * How many poll intervals apart the worker re-queues deliveries waiting for a connection whose
 * portal has one now: a connection set on another instance (or set while this one was parking a
 * delivery) is picked up within this.
 */
const RESUME_EVERY_POLLS = 10;

/**
 * How long a status sent again after a connection change waits: the portals' cache on other
 * instances (2 s) may still hold the old connection, and one of them could claim it first.
 */
export const RESEND_DELAY_MS = 2000;

/**
 * Rounds are at least this far apart. Every stored signal wakes the worker; under a burst that
 * meant a claim transaction for nearly every signal, almost always finding nothing new to claim
 * (the portal's run was still in flight). A change waits at most this long more.
 */
const MIN_ROUND_SPACING_MS = 20;

/**
 * Delivers stored changes into Salesforce. Each round leases the head delivery of every portal
 * with nothing in flight (see RelayStore.claimDeliveries) and starts one run per portal; runs go
 * on independently, so a slow org holds up only its own portal, and each run wakes the worker
 * when it ends. A lease that is not completed (crash, SIGKILL) expires and another round, on
 * this or another instance, takes the delivery again, after asking Salesforce whether the earlier
 * attempt landed (StatusPublisher.isDelivered), so a crash mid-request does not deliver twice.
 * Never two deliveries of one portal at once.
 */
export class OutboxWorker {
  private timer: NodeJS.Timeout | null = null;
  private timerAt = 0;
  private running: Promise<void> | null = null;
  private lastRoundAt = 0;
  private lastResumeAt = 0;
  private stopped = true;
  private again = false;
  private readonly targets = new Map<string, { sealed: string; target: DeliveryTarget }>();
  /**
   * Runs in flight, by their lease. A portal can have two for a moment: a run whose lease ran
   * out (a slow answer from Salesforce) and the run that took its changes over, here or on
   * another instance; the old one stops at its next renewal. `stop()` waits for both.
   */
  private readonly runs = new Map<string, Promise<void>>();
  /**
   * Every claim leases under an owner of its own: `<instance id>#<process nonce>.<claim>`. With
   * the instance's id as the owner, a run whose lease ran out could not tell that this very
   * instance's next round had claimed its changes again: its renewal succeeded and both runs sent
   * every change. The nonce does the same for two processes given one RELAY_INSTANCE_ID.
   */
  private readonly leasePrefix: string;
  private claims = 0;

  private readonly roundFailures: ReturnType<typeof roundFailureLogger>;

  constructor(private readonly deps: OutboxDependencies) {
    this.roundFailures = roundFailureLogger(deps.log, 'outbox round failed');
    this.leasePrefix = `${deps.instanceId}#${randomBytes(4).toString('hex')}`;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.wake();
  }

  /** Runs a round as soon as the spacing allows (or right after the current one). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    const due = this.lastRoundAt + MIN_ROUND_SPACING_MS;
    if (Date.now() < due) {
      this.schedule(due - Date.now());
      return;
    }
    this.clearTimer();
    this.lastRoundAt = Date.now();
    this.running = this.round()
      .then((claimed) => {
        this.roundFailures.succeeded();
        return claimed;
      })
      .catch((error: unknown) => {
        this.roundFailures.failed(error);
        return false;
      })
      .then((claimed) => {
        this.running = null;
        if (this.stopped) return;
        if (claimed || this.again) {
          this.again = false;
          this.wake();
        } else {
          this.schedule(this.deps.config.pollIntervalMs);
        }
      });
  }

  /** A round in `ms` unless one is already due sooner. */
  private schedule(ms: number): void {
    const at = Date.now() + ms;
    if (this.timer && this.timerAt <= at) return;
    this.clearTimer();
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.wake();
    }, ms);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Forgets a deleted portal's delivery target (its unsealed Salesforce connection). */
  forgetPortal(portalId: string): void {
    this.targets.delete(portalId);
  }

  /** Stops claiming and waits for the round and the runs in flight (a run gives back what it has not started). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    await this.running;
    await Promise.all(this.runs.values());
  }

  /**
   * One round: claims and starts runs, without waiting for them. Resolves to true when it claimed
   * something (more may be waiting). A portal with a run in flight has its head leased, so it is
   * not claimed again until that lease runs out; then the new claim's lease, its own, is what the
   * old run's next renewal finds gone.
   */
  async round(): Promise<boolean> {
    const { store, config } = this.deps;
    if (Date.now() - this.lastResumeAt >= config.pollIntervalMs * RESUME_EVERY_POLLS) {
      this.lastResumeAt = Date.now();
      await store.resumeWaitingDeliveries();
    }
    const free = config.batchSize - this.runs.size;
    if (free <= 0) return false;
    const { publisher } = this.deps;
    const owner = `${this.leasePrefix}.${++this.claims}`;
    // Read before the claim: the lease it sets runs from a moment no earlier than this.
    const claimedAt = Date.now();
    const claimed = await store.claimDeliveries(owner, {
      leaseMs: config.leaseMs,
      limit: free,
      perPortal: publisher.publishBatch
        ? Math.max(1, publisher.batchMax ?? PER_PORTAL)
        : PER_PORTAL,
    });
    const byPortal = new Map<string, ClaimedDelivery[]>();
    for (const delivery of claimed)
      byPortal.set(delivery.portalId, [...(byPortal.get(delivery.portalId) ?? []), delivery]);
    for (const [portalId, run] of byPortal) {
      const key = `${owner}/${portalId}`;
      const lease: Lease = { owner, setAt: new Map(run.map((d) => [d.id, claimedAt])) };
      const running = this.deliverRun(run, lease)
        .catch((error: unknown) =>
          this.deps.log.error({ err: error, portalId }, 'outbox run failed'),
        )
        .finally(() => {
          this.runs.delete(key);
          this.wake();
        });
      this.runs.set(key, running);
    }
    return claimed.length > 0;
  }

  private async deliverRun(run: ClaimedDelivery[], lease: Lease): Promise<void> {
    // One portal lookup per run, not per delivery: a run is at most PER_PORTAL changes (or one
    // batch) of one portal taken at one instant, so a connection changed meanwhile applies from
    // the next run (as it would to a request already in flight).
    const target = await this.target(run[0]!.portalId);
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
    const { store } = this.deps;
    for (let i = 0; i < run.length; i++) {
      const rest = run.slice(i);
      if (this.stopped && i > 0) {
        await store.releaseDeliveries(
          rest.map((d) => d.id),
          lease.owner,
        );
        return false;
      }
      // Keep the lease well ahead of a long run (the first change too: looking the portal up
      // took some of it); if it was lost, another run owns the rest.
      if (!(await this.keepLease(rest, lease))) return false;
      if (!(await this.deliver(run[i]!, target, lease, options))) {
        await store.releaseDeliveries(
          rest.slice(1).map((d) => d.id),
          lease.owner,
        );
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
    const { store, publisher, log, metrics } = this.deps;
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
          await this.failBatch(pending, lease, failure, 'landed check failed');
          return false;
        }
        this.landedCheckRefused(pending, failure);
        landed = 0;
      }
      if (landed > 0) {
        const reconciled = pending.slice(0, landed);
        if (
          !(await this.recordBatch(
            reconciled,
            () => ({ reconciled: true }),
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
    if (!(await this.keepLease(pending, lease))) {
      metrics?.deliveries.inc({ outcome: 'lease_lost' });
      return false;
    }
    const started = process.hrtime.bigint();
    try {
      const result = await this.send(
        publisher.publishBatch!(
          target,
          pending.map((d) => d.status),
        ),
        pending,
        lease,
      );
      metrics?.deliveryDuration.observe(Number(process.hrtime.bigint() - started) / 1e9);
      return await this.recordBatch(
        pending,
        (_delivery, i) => ({
          id: result.id,
          created: result.created,
          ...(result.eventIds[i] ? { eventId: result.eventIds[i] } : {}),
          batch: pending.length,
        }),
        target,
        lease,
        'delivered',
      );
    } catch (error) {
      const failure = describeFailure(error);
      const head = pending[0]!;
      if (failure.retryable) {
        await this.failBatch(pending, lease, failure, 'batch delivery failed');
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
      if (!(await this.keepLease(pending, lease))) return false;
      if (bad > 0) {
        if (
          !(await this.deliverBatch(pending.slice(0, bad), target, lease, {
            landedChecked: true,
            split: false,
          }))
        ) {
          await store.releaseDeliveries(
            pending.slice(bad).map((d) => d.id),
            lease.owner,
          );
          return false;
        }
      }
      if (!(await this.keepLease(pending.slice(bad), lease))) return false;
      await this.deliver(pending[bad]!, target, lease, { landedChecked: true });
      await store.releaseDeliveries(
        pending.slice(bad + 1).map((d) => d.id),
        lease.owner,
      );
      return false;
    }
  }

  /**
   * Waits for a send for at most sendTimeoutMs (a timeout fails the attempt with ETIMEDOUT, as
   * before). But the send is not over when the relay stops waiting: the publisher may still be
   * logging in, or renewing an expired session, and then send its request, well after the
   * deadline. Given back at once, the change would be asked about ("what landed?") by its next
   * attempt before that request was even sent, and sent a second time. So on a timeout the run
   * holds the changes' lease until the send has ended (at most ABANDONED_SEND_TIMEOUTS timeouts
   * more), and only then fails the attempt; the retry asks once Salesforce has had as long again
   * to finish the send's last request (retryDelay).
   */
  private async send<T>(
    sending: Promise<T>,
    deliveries: ClaimedDelivery[],
    lease: Lease,
  ): Promise<T> {
    let ended = false;
    const tracked = sending.finally(() => {
      ended = true;
    });
    try {
      return await withTimeout(tracked, this.sendTimeoutMs());
    } catch (error) {
      if (!ended) await this.waitOut(tracked, deliveries, lease);
      throw error;
    }
  }

  /** Waits for a send the relay stopped waiting for to end, keeping its changes' lease meanwhile. */
  private async waitOut(
    sending: Promise<unknown>,
    deliveries: ClaimedDelivery[],
    lease: Lease,
  ): Promise<void> {
    const { config, log } = this.deps;
    const ended = sending.then(
      () => true,
      () => true,
    );
    const until = Date.now() + ABANDONED_SEND_TIMEOUTS * this.sendTimeoutMs();
    while (Date.now() < until) {
      let timer: NodeJS.Timeout | undefined;
      const tick = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), Math.min(config.leaseMs / 4, until - Date.now()));
      });
      const done = await Promise.race([ended, tick]).finally(() => clearTimeout(timer));
      if (done) return;
      // Lost all the same (the database was out longer than the lease): the failure recorded
      // next finds the changes another run's, and changes nothing.
      await this.keepLease(deliveries, lease).catch(() => false);
    }
    log.error(
      { deliveries: deliveries.length, portalId: deliveries[0]?.portalId },
      'a send the relay stopped waiting for has still not ended; its changes are given back',
    );
  }

  /** How long a send may take: half the lease (at least 1 s), so the lease outlives it. */
  private sendTimeoutMs(): number {
    return Math.max(1000, Math.floor(this.deps.config.leaseMs / 2));
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
    return MAY_STILL_LAND.has(code) ? Math.max(backoff, this.sendTimeoutMs()) : backoff;
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
  private landedCheckRefused(
    deliveries: ClaimedDelivery[],
    failure: ReturnType<typeof describeFailure>,
  ): void {
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
   * Fails every change of a batch with one failure (a passing one of the batch's send, or its
   * "what landed?" check that got no answer). Nothing of an all-or-none batch landed (a timeout
   * may have: the next attempt asks). Each change counts its own attempts: the head may be on its
   * last while the changes queued behind it during its backoff are on their first, and those are
   * retried (given up, the head is superseded once they land), as they would be sent one by one.
   * The retried ones wait together, with the backoff of the oldest of them, so they go again as
   * one batch. A failure that is not passing gives every change up.
   */
  private async failBatch(
    pending: ClaimedDelivery[],
    lease: Lease,
    failure: ReturnType<typeof describeFailure>,
    what: string,
  ): Promise<void> {
    const { store, config, log, metrics } = this.deps;
    const head = pending[0]!;
    const retried = failure.retryable ? pending.filter((d) => d.attempts < config.maxAttempts) : [];
    const retryAt = retried[0]
      ? new Date(Date.now() + this.retryDelay(failure.code, retried[0].attempts))
      : null;
    const message = failureText(failure);
    // Newest first, the head last: while the head is leased no round (here or on another
    // instance) claims the portal, so none can take the changes already failed here while
    // later ones are still this run's, and deliver them out of order.
    const failed: ClaimedDelivery[] = [];
    for (const delivery of [...pending].reverse())
      if (
        await store.failDelivery(
          delivery.id,
          lease.owner,
          message,
          retried.includes(delivery) ? retryAt : null,
        )
      )
        failed.push(delivery);
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
   * Makes sure the lease of `deliveries` outlasts a send begun now: renewed when it was last set
   * more than a third of the lease ago, so at least two thirds are left, more than a send may
   * take (half). False when the lease was lost: another run (here or on another instance) owns
   * them now and sends them; sending here too would publish them twice.
   */
  private async keepLease(deliveries: ClaimedDelivery[], lease: Lease): Promise<boolean> {
    const { store, config } = this.deps;
    // Read before the renewal: the lease it sets runs from a moment no earlier than this.
    const now = Date.now();
    if (deliveries.every((d) => now - (lease.setAt.get(d.id) ?? 0) <= config.leaseMs / 3))
      return true;
    const ids = deliveries.map((d) => d.id);
    if ((await store.renewLeases(ids, lease.owner, config.leaseMs)) < ids.length) return false;
    for (const id of ids) lease.setAt.set(id, now);
    return true;
  }

  /**
   * Records a batch as delivered (or reconciled), each delivery with its own result, in one
   * transaction; then, once, sends the newest status again if the connection changed meanwhile.
   * False when some were not this run's any more (see `recorded`).
   */
  private async recordBatch(
    deliveries: ClaimedDelivery[],
    resultOf: (delivery: ClaimedDelivery, index: number) => Record<string, unknown>,
    target: DeliveryTarget,
    lease: Lease,
    outcome: 'delivered' | 'reconciled',
  ): Promise<boolean> {
    const recorded = await this.deps.store.completeDeliveries(
      lease.owner,
      deliveries.map((delivery, i) => ({ id: delivery.id, result: resultOf(delivery, i) })),
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
  private async recorded(
    delivery: ClaimedDelivery,
    recorded: boolean,
    outcome: 'delivered' | 'reconciled',
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
      return true;
    }
    return this.notRecorded(delivery);
  }

  /**
   * Counts and logs a completion or failure that found its delivery not this run's: the lease
   * ran out, or the portal was deleted meanwhile. Resolves to false (the run stops).
   */
  private async notRecorded(delivery: ClaimedDelivery): Promise<false> {
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

  /** Resolves to true when the delivery is done (delivered or reconciled), false when it failed. */
  /**
   * The portal's delivery target. Unsealing the Salesforce connection (AES-GCM and JSON) is kept
   * for as long as the sealed form and its version are unchanged, so a rotation or a new
   * connection is used from the next lookup on (at once when made on this instance, within the
   * portals' 2-second cache when made on another).
   */
  private async target(portalId: string): Promise<DeliveryTarget | null> {
    // Through the portals' short cache: one read per run cost a query per delivery under load.
    const portal = await this.deps.portals.find(portalId);
    if (!portal || !portal.salesforceSealed) {
      this.targets.delete(portalId);
      return null;
    }
    const known = this.targets.get(portalId);
    if (
      known &&
      known.sealed === portal.salesforceSealed &&
      known.target.configVersion === portal.salesforceVersion
    )
      return known.target;
    const target = this.deps.portals.deliveryTarget(portal);
    if (target) {
      if (this.targets.size > 10_000) this.targets.clear();
      this.targets.set(portalId, { sealed: portal.salesforceSealed, target });
    }
    return target;
  }

  private async deliver(
    delivery: ClaimedDelivery,
    target: DeliveryTarget | null,
    lease: Lease,
    options: { landedChecked?: boolean } = {},
  ): Promise<boolean> {
    const { store, publisher, metrics } = this.deps;
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
          await this.fail(delivery, lease, error, 'landed check failed');
          return false;
        }
        this.landedCheckRefused([delivery], failure);
        landed = false;
      }
      if (landed)
        return this.recorded(
          delivery,
          await store.completeDelivery(delivery.id, lease.owner, { reconciled: true }),
          'reconciled',
          target,
        );
    }
    // As in deliverBatch: the read above, or the run before this send, may have outlived the
    // lease; the change is another run's then (on this instance or another), which sends it.
    if (!(await this.keepLease([delivery], lease))) {
      metrics?.deliveries.inc({ outcome: 'lease_lost' });
      return false;
    }
    const started = process.hrtime.bigint();
    try {
      const result = await this.send(publisher.publish(target, delivery.status), [delivery], lease);
      metrics?.deliveryDuration.observe(Number(process.hrtime.bigint() - started) / 1e9);
      return this.recorded(
        delivery,
        await store.completeDelivery(delivery.id, lease.owner, result),
        'delivered',
        target,
      );
    } catch (error) {
      await this.fail(delivery, lease, error, 'delivery failed');
      return false;
    }
  }

  /** Records a failed attempt of one change: retried with backoff while it has attempts left. */
  private async fail(
    delivery: ClaimedDelivery,
    lease: Lease,
    error: unknown,
    what: string,
  ): Promise<void> {
    const { store, config, log, metrics } = this.deps;
    const failure = describeFailure(error);
    const retry = failure.retryable && delivery.attempts < config.maxAttempts;
    const retryAt = retry
      ? new Date(Date.now() + this.retryDelay(failure.code, delivery.attempts))
      : null;
    // Not this run's any more (the portal deleted, the lease lost): nothing was retried or given
    // up here, and counting it would count a change twice (or one that is gone).
    if (!(await store.failDelivery(delivery.id, lease.owner, failureText(failure), retryAt))) {
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
      },
      what,
    );
  }
}

/**
 * How many send timeouts more a run waits for a send it stopped waiting for to end. The
 * publisher's own requests time out after as long (plugins/outbox.ts); a send is at most a
 * log-in, the request, a renewal of the session and the request again, and after a redirect the
 * same again at the new address.
 */
const ABANDONED_SEND_TIMEOUTS = 6;

/**
 * Failures after which the request may still be processed by Salesforce: the relay's own send
 * timeout and the transport's timeouts once the request was sent. (A connect timeout sent nothing.)
 */
const MAY_STILL_LAND = new Set([
  'ETIMEDOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'REQUEST_TIMEOUT',
  'ECONNRESET',
]);

/** A failure as a delivery's lastError shows it: 'SERVER_UNAVAILABLE (503): ...'. */
function failureText(failure: ReturnType<typeof describeFailure>): string {
  return `${failure.code}${failure.statusCode ? ` (${failure.statusCode})` : ''}: ${failure.message}`;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          Object.assign(new Error(`no answer from Salesforce within ${ms} ms`), {
            code: 'ETIMEDOUT',
          }),
        ),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
