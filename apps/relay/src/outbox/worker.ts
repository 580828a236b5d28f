import type { FastifyBaseLogger } from 'fastify';
import type { RelayConfig } from '../config.js';
import { describeFailure, retryDelayMs } from '../domain/retry.js';
import type { RelayMetrics } from '../plugins/metrics.js';
import type { PortalsService } from '../plugins/portals.js';
import type { DeliveryTarget, StatusPublisher } from '../publisher/types.js';
import type { ClaimedDelivery, RelayStore } from '../store/types.js';

/** How many queued changes of one portal a round may take at once (delivered in order). */
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
 * Delivers stored changes into Salesforce. Each round leases the head delivery of every portal
 * (see RelayStore.claimDeliveries), delivers them concurrently across portals, and records the
 * outcome. A lease that is not completed (crash, SIGKILL) expires and another round, on this or
 * another instance, takes the delivery again, after asking Salesforce whether the earlier attempt
 * landed (StatusPublisher.isDelivered), so a crash mid-request does not deliver twice. Never two
 * deliveries of one portal at once.
 */
export class OutboxWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private again = false;
  private readonly targets = new Map<string, { sealed: string; target: DeliveryTarget }>();

  constructor(private readonly deps: OutboxDependencies) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.wake();
  }

  /** Runs a round now (or right after the current one). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.round()
      .catch((error: unknown) => this.deps.log.error({ err: error }, 'outbox round failed'))
      .then((busy) => {
        this.running = null;
        if (this.stopped) return;
        if (busy || this.again) {
          this.again = false;
          setImmediate(() => this.wake());
        } else {
          this.timer = setTimeout(() => this.wake(), this.deps.config.pollIntervalMs);
          this.timer.unref();
        }
      });
  }

  /** Stops claiming and waits for the deliveries in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One round; resolves to true when it delivered something (more may be waiting). */
  async round(): Promise<boolean> {
    const { store, config, instanceId } = this.deps;
    const claimed = await store.claimDeliveries(instanceId, { leaseMs: config.leaseMs, limit: config.batchSize, perPortal: PER_PORTAL });
    const byPortal = new Map<string, ClaimedDelivery[]>();
    for (const delivery of claimed) byPortal.set(delivery.portalId, [...(byPortal.get(delivery.portalId) ?? []), delivery]);
    // Portals in parallel; each portal's run strictly one after the other.
    await Promise.all([...byPortal.values()].map((run) => this.deliverRun(run)));
    return claimed.length > 0;
  }

  private async deliverRun(run: ClaimedDelivery[]): Promise<void> {
    const { store, config, instanceId } = this.deps;
    // One portal lookup per run, not per delivery: a run is at most PER_PORTAL changes of one
    // portal taken at one instant, so a connection changed meanwhile applies from the next run
    // (as it would to a request already in flight).
    const target = await this.target(run[0]!.portalId);
    let leasedAt = Date.now();
    for (let i = 0; i < run.length; i++) {
      const rest = run.slice(i).map((d) => d.id);
      if (this.stopped && i > 0) {
        await store.releaseDeliveries(rest, instanceId);
        return;
      }
      // Keep the lease well ahead of a long run; if it was lost, another instance owns the rest.
      if (i > 0 && Date.now() - leasedAt > config.leaseMs / 3) {
        if ((await store.renewLeases(rest, instanceId, config.leaseMs)) < rest.length) return;
        leasedAt = Date.now();
      }
      if (!(await this.deliver(run[i]!, target))) {
        await store.releaseDeliveries(rest.slice(1), instanceId);
        return;
      }
    }
  }

  /**
   * Counts a completion only when it was recorded under this instance's lease. When the lease ran
   * out first (a slow attempt on a loaded machine), another instance owns the delivery now and
   * will find it landed (isDelivered) and count it: counting it here too would report one
   * change delivered twice. The rest of this run is that instance's too, so the run stops.
   */
  private recorded(delivery: ClaimedDelivery, recorded: boolean, outcome: 'delivered' | 'reconciled'): boolean {
    this.deps.metrics?.deliveries.inc({ outcome: recorded ? outcome : 'lease_lost' });
    if (!recorded) this.deps.log.warn({ delivery: delivery.id, portalId: delivery.portalId }, 'delivery lease expired before its completion was recorded; another round takes it over');
    return recorded;
  }

  /** Resolves to true when the delivery is done (delivered or reconciled), false when it failed. */
  /**
   * The portal's delivery target. Unsealing the Salesforce connection (AES-GCM and JSON) is kept
   * for as long as the sealed form and its version are unchanged, so a rotation or a new
   * connection is used from the next lookup on.
   */
  private async target(portalId: string): Promise<DeliveryTarget | null> {
    const portal = await this.deps.store.getPortal(portalId);
    if (!portal || !portal.salesforceSealed) {
      this.targets.delete(portalId);
      return null;
    }
    const known = this.targets.get(portalId);
    if (known && known.sealed === portal.salesforceSealed && known.target.configVersion === portal.salesforceVersion) return known.target;
    const target = this.deps.portals.deliveryTarget(portal);
    if (target) {
      if (this.targets.size > 10_000) this.targets.clear();
      this.targets.set(portalId, { sealed: portal.salesforceSealed, target });
    }
    return target;
  }

  private async deliver(delivery: ClaimedDelivery, target: DeliveryTarget | null): Promise<boolean> {
    const { store, publisher, config, instanceId, log, metrics } = this.deps;
    if (!target) {
      // Kept as failed; configuring the portal's Salesforce connection re-queues it.
      await store.failDelivery(delivery.id, instanceId, 'NOT_CONFIGURED: the portal has no Salesforce connection', null);
      metrics?.deliveries.inc({ outcome: 'not_configured' });
      return false;
    }
    const started = process.hrtime.bigint();
    if (delivery.attempts > 1 && publisher.isDelivered) {
      // An earlier attempt may have landed unrecorded (crash, timeout): look before sending twice.
      const landed = await publisher.isDelivered(target, delivery.status).catch(() => false);
      if (landed) return this.recorded(delivery, await store.completeDelivery(delivery.id, instanceId, { reconciled: true }), 'reconciled');
    }
    try {
      const result = await withTimeout(publisher.publish(target, delivery.status), Math.max(1000, Math.floor(config.leaseMs / 2)));
      metrics?.deliveryDuration.observe(Number(process.hrtime.bigint() - started) / 1e9);
      return this.recorded(delivery, await store.completeDelivery(delivery.id, instanceId, result), 'delivered');
    } catch (error) {
      const failure = describeFailure(error);
      const retry = failure.retryable && delivery.attempts < config.maxAttempts;
      const retryAt = retry ? new Date(Date.now() + retryDelayMs(delivery.attempts, config.baseDelayMs, config.maxDelayMs)) : null;
      await store.failDelivery(delivery.id, instanceId, `${failure.code}${failure.statusCode ? ` (${failure.statusCode})` : ''}: ${failure.message}`, retryAt);
      metrics?.deliveries.inc({ outcome: retry ? 'retry' : 'failed' });
      log.warn({ delivery: delivery.id, portalId: delivery.portalId, attempt: delivery.attempts, code: failure.code, retryAt }, 'delivery failed');
      return false;
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer from Salesforce within ${ms} ms`), { code: 'ETIMEDOUT' })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
