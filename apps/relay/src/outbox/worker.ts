import type { FastifyBaseLogger } from 'fastify';
import type { RelayConfig } from '../config.js';
import { describeFailure, retryDelayMs } from '../domain/retry.js';
import type { RelayMetrics } from '../plugins/metrics.js';
import type { PortalsService } from '../plugins/portals.js';
import type { StatusPublisher } from '../publisher/types.js';
import type { DeliveryRecord, RelayStore } from '../store/types.js';

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
    const byPortal = new Map<string, DeliveryRecord[]>();
    for (const delivery of claimed) byPortal.set(delivery.portalId, [...(byPortal.get(delivery.portalId) ?? []), delivery]);
    // Portals in parallel; each portal's run strictly one after the other.
    await Promise.all([...byPortal.values()].map((run) => this.deliverRun(run)));
    return claimed.length > 0;
  }

  private async deliverRun(run: DeliveryRecord[]): Promise<void> {
    const { store, config, instanceId } = this.deps;
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
      if (!(await this.deliver(run[i]!))) {
        await store.releaseDeliveries(rest.slice(1), instanceId);
        return;
      }
    }
  }

  /** Resolves to true when the delivery is done (delivered or reconciled), false when it failed. */
  private async deliver(delivery: DeliveryRecord): Promise<boolean> {
    const { store, portals, publisher, config, instanceId, log, metrics } = this.deps;
    const portal = await store.getPortal(delivery.portalId);
    const target = portal ? portals.deliveryTarget(portal) : null;
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
      if (landed) {
        await store.completeDelivery(delivery.id, instanceId, { reconciled: true });
        metrics?.deliveries.inc({ outcome: 'reconciled' });
        return true;
      }
    }
    try {
      const result = await withTimeout(publisher.publish(target, delivery.status), Math.max(1000, Math.floor(config.leaseMs / 2)));
      await store.completeDelivery(delivery.id, instanceId, result);
      metrics?.deliveries.inc({ outcome: 'delivered' });
      metrics?.deliveryDuration.observe(Number(process.hrtime.bigint() - started) / 1e9);
      return true;
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
