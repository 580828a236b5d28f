import type { FastifyBaseLogger } from 'fastify';
import type { RelayConfig } from '../config.js';
import type { RelayMetrics } from '../plugins/metrics.js';
import type { PortalsService } from '../plugins/portals.js';
import type { StatusPublisher } from '../publisher/types.js';
import { roundFailureLogger } from '../store/sqlDb.js';
import type { ClaimedDelivery, RelayStore } from '../store/types.js';
import { Deliverer } from './delivery.js';
import { Lease, LeaseOwners } from './lease.js';
import { OutcomeRecorder } from './outcomes.js';
import { Sender } from './send.js';
import { DeliveryTargets } from './targets.js';

export { RESEND_DELAY_MS } from './outcomes.js';

/**
 * How many queued changes of one portal a round may take at once (delivered in order) when the
 * publisher sends one change a request. A publisher that sends batches (publishBatch) is given up
 * to its batchMax instead, so a backlog goes in as few API calls as it allows.
 */
const PER_PORTAL = 20;

interface OutboxDependencies {
  store: RelayStore;
  portals: PortalsService;
  publisher: StatusPublisher;
  config: RelayConfig['outbox'];
  /** Automatic re-queue of deliveries given up on passing trouble (recovery.ts). */
  recovery?: RelayConfig['deliveryRecovery'];
  instanceId: string;
  log: FastifyBaseLogger;
  metrics?: RelayMetrics;
}

/**
 * How many poll intervals apart the worker re-queues deliveries waiting for a connection whose
 * portal has one now: a connection set on another instance (or set while this one was parking a
 * delivery) is picked up within this.
 */
const RESUME_EVERY_POLLS = 10;

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
 *
 * This class schedules rounds and claims; a run is delivered by Deliverer (delivery.ts), its
 * lease kept by Lease (lease.ts), its sends bounded by Sender (send.ts) and their outcomes
 * recorded by OutcomeRecorder (outcomes.ts).
 */
export class OutboxWorker {
  private timer: NodeJS.Timeout | null = null;
  private timerAt = 0;
  private running: Promise<void> | null = null;
  private lastRoundAt = 0;
  private lastResumeAt = 0;
  private stopped = true;
  private again = false;
  private readonly targets: DeliveryTargets;
  /**
   * Runs in flight, by their lease. A portal can have two for a moment: a run whose lease ran
   * out (a slow answer from Salesforce) and the run that took its changes over, here or on
   * another instance; the old one stops at its next renewal. `stop()` waits for both.
   */
  private readonly runs = new Map<string, Promise<void>>();
  private readonly owners: LeaseOwners;
  private readonly deliverer: Deliverer;

  private readonly roundFailures: ReturnType<typeof roundFailureLogger>;

  constructor(private readonly deps: OutboxDependencies) {
    this.roundFailures = roundFailureLogger(deps.log, 'outbox round failed');
    this.owners = new LeaseOwners(deps.instanceId);
    this.targets = new DeliveryTargets(deps.portals);
    const { store, publisher, config, log, metrics } = deps;
    this.deliverer = new Deliverer({
      store,
      publisher,
      log,
      metrics,
      sender: new Sender({ config, log }),
      outcomes: new OutcomeRecorder({ store, config, log, metrics, recovery: deps.recovery }),
      stopping: () => this.stopped,
    });
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
    this.targets.forget(portalId);
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
    const owner = this.owners.next();
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
      const lease = new Lease(owner, run, claimedAt, { store, config });
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
    const target = await this.targets.find(run[0]!.portalId);
    await this.deliverer.deliverRun(run, target, lease);
  }
}
