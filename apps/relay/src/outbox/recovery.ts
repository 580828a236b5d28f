import type { FastifyBaseLogger } from 'fastify';
import type { Counter } from 'prom-client';
import type { RelayConfig } from '../config.js';
import { AUTO_RETRY_NOTE, describeFailure } from '../domain/retry.js';
import type { PortalsService } from '../plugins/portals.js';
import { CHECK_TIMEOUT_MS } from '../plugins/salesforceReachability.js';
import type { StatusPublisher } from '../publisher/types.js';
import type { DeliveryRecord, RelayStore } from '../store/types.js';

export type RecoveryConfig = RelayConfig['deliveryRecovery'];

/** What a delivery re-queued automatically shows until it is sent. */
const REQUEUED = /^AUTO-RETRY: re-queued automatically at [^;]*; it had failed with: /;

/**
 * When the relay next checks whether the org of a delivery given up on passing trouble answers
 * again: `firstDelayMs` after the first give-up, then as far apart as the outage has lasted (so
 * checks double their spacing), at most `maxDelayMs`; null once the outage has lasted `forMs`
 * (or the recovery is off). `since`: the first give-up (ms), now when this is it.
 */
export function nextRecoveryAt(
  since: number | null,
  now: number,
  config: RecoveryConfig | undefined,
): Date | null {
  if (!config?.enabled) return null;
  const start = since ?? now;
  const elapsed = Math.max(0, now - start);
  if (elapsed >= config.forMs) return null;
  const wait = Math.min(config.maxDelayMs, Math.max(config.firstDelayMs, elapsed));
  return new Date(now + wait);
}

/** The failure as lastError shows it while an automatic re-queue is due at `at`. */
export function recoveryScheduledText(error: string, at: Date): string {
  return `${baseError(error)} [AUTO-RETRY: re-queued by itself once Salesforce answers again; next check at ${at.toISOString()}]`;
}

/** The failure as lastError shows it once the automatic re-queues have stopped. */
export function recoveryEndedText(error: string, portalId: string): string {
  return `${baseError(error)} [AUTO-RETRY ended: Salesforce did not answer within RELAY_OUTBOX_RECOVERY_FOR_MS; re-queue with POST /v1/admin/portals/${portalId}/deliveries/retry]`;
}

/** A failure's own text, without what the automatic re-queue added to it. */
function baseError(error: string): string {
  return error.replace(AUTO_RETRY_NOTE, '').replace(REQUEUED, '');
}

/**
 * How a check's ping failed, or null when the org answered. No answer within CHECK_TIMEOUT_MS is
 * passing trouble (an org that hangs is not back): taken as a refusal, it would re-queue into an
 * org that cannot take it, each re-queue costing up to RELAY_OUTBOX_MAX_ATTEMPTS calls.
 */
async function pingFailure(
  ping: Promise<void>,
): Promise<ReturnType<typeof describeFailure> | null> {
  let timer: NodeJS.Timeout | undefined;
  const silent = new Promise<'silent'>((resolve) => {
    timer = setTimeout(() => resolve('silent'), CHECK_TIMEOUT_MS);
    timer.unref();
  });
  try {
    if ((await Promise.race([ping.then(() => 'answered' as const), silent])) === 'answered')
      return null;
    ping.catch(() => undefined);
    return {
      code: 'TIMEOUT',
      statusCode: null,
      message: `no answer within ${CHECK_TIMEOUT_MS} ms`,
      retryable: true,
    };
  } catch (error) {
    return describeFailure(error);
  } finally {
    clearTimeout(timer);
  }
}

interface RecoveryDependencies {
  store: RelayStore;
  portals: PortalsService;
  publisher: StatusPublisher;
  config: RecoveryConfig;
  log: FastifyBaseLogger;
  /** Counts automatic re-queues (one per delivery re-queued). */
  requeues?: Counter;
  /** Called after a re-queue, so the outbox takes it at once. */
  wake: () => void;
}

/** Portals checked per pass at most; the rest wait for the next pass. */
const PER_PASS = 50;

/**
 * How long a check taken by an instance stays its own: the ping takes at most CHECK_TIMEOUT_MS;
 * an instance that stops meanwhile leaves the check to whoever finds it due after this.
 */
const CHECK_LEASE_MS = 60_000;

/**
 * Re-queues by itself a portal's newest delivery given up on passing trouble (Salesforce down
 * longer than the backoff), once the org answers again: without it Salesforce kept a stale status
 * until the portal's next change or POST .../deliveries/retry. A due delivery costs one cheap
 * call (the publisher's ping, as /health's) to its org; answered (or refused for a reason a
 * retry does not mend, which the delivery then reports itself), the portal's failed deliveries
 * are re-queued as the retry route does: only those newer than everything delivered, in order,
 * with one attempt each (outcomes.ts): GET /limits answers during outages that refuse only writes
 * (read-only maintenance, a spent API or event allocation), and failing again the delivery goes
 * back to the spaced checks, so a check costs two calls at most, not 1 + RELAY_OUTBOX_MAX_ATTEMPTS.
 * Not answered, the next check is as far off as the outage has lasted (5 min, 10, 20, 40, then
 * hourly by default), for at most 3 days. Every instance looks for due checks, but each check is
 * taken by one (claimRecoveryCheck, a compare-and-set on its due time) before it calls the org,
 * and the re-queue is one conditional transaction: however many instances share the database,
 * one call per due check and one re-queue, with no lock session of its own (leadership.ts).
 */
export class DeliveryRecovery {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private passesDone = 0;

  constructor(private readonly deps: RecoveryDependencies) {}

  /** How often due checks are looked for: at most every 30 s, sooner with a short first delay. */
  get intervalMs(): number {
    return Math.max(10, Math.min(30_000, Math.floor(this.deps.config.firstDelayMs / 2)));
  }

  start(): void {
    if (!this.stopped || !this.deps.config.enabled) return;
    this.stopped = false;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.pass()
        .catch((error: unknown) =>
          this.deps.log.warn({ err: error }, 'automatic re-queue pass failed; trying again'),
        )
        .finally(() => {
          this.running = null;
          this.schedule();
        });
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Passes finished (each looked for due checks after it started), for whoever waits for one. */
  get passes(): number {
    return this.passesDone;
  }

  /** One pass: every due delivery checked (one call to its org) and re-queued or put off. */
  async pass(): Promise<void> {
    try {
      const due = await this.deps.store.dueRecoveries(new Date(), PER_PASS);
      for (const delivery of due) {
        if (this.stopped) return;
        await this.recover(delivery).catch((error: unknown) =>
          this.deps.log.warn(
            { err: error, portalId: delivery.portalId, delivery: delivery.id },
            'automatic re-queue check failed; trying again',
          ),
        );
      }
    } finally {
      this.passesDone += 1;
    }
  }

  private async recover(delivery: DeliveryRecord): Promise<void> {
    const { store, portals, publisher, config, log } = this.deps;
    const until = new Date(Date.now() + CHECK_LEASE_MS);
    // Another instance took this check first (or handled it): nothing to do here.
    if (!(await store.claimRecoveryCheck(delivery.id, delivery.recoverAt!, until))) return;
    const expected = until.toISOString();
    const portal = await store.getPortal(delivery.portalId);
    if (!portal) return;
    const target = portals.deliveryTarget(portal);
    // Without a connection the re-queued delivery waits for one (waitingForConnection); without a
    // ping the schedule alone decides, each re-queue costing what one attempt costs.
    if (target && publisher.ping) {
      const failure = await pingFailure(publisher.ping(target));
      if (failure) {
        if (failure.retryable) {
          const now = Date.now();
          const since = delivery.recoverSince ? Date.parse(delivery.recoverSince) : now;
          const next = nextRecoveryAt(since, now, config);
          const error = delivery.lastError ?? failure.code;
          await store.postponeRecovery(
            delivery.id,
            expected,
            next,
            next ? recoveryScheduledText(error, next) : recoveryEndedText(error, delivery.portalId),
          );
          log.info(
            {
              portalId: delivery.portalId,
              delivery: delivery.id,
              code: failure.code,
              nextCheckAt: next?.toISOString() ?? null,
            },
            next
              ? 'Salesforce still does not answer; automatic re-queue put off'
              : 'Salesforce did not answer for RELAY_OUTBOX_RECOVERY_FOR_MS; no more automatic re-queues',
          );
          return;
        }
        // Answered with a refusal a retry does not mend (a log-in refused, say): re-queued, the
        // delivery fails with it and says what to fix, rather than showing the old outage.
      }
    }
    const at = new Date();
    const requeued = await store.recoverRequeue(
      delivery.id,
      expected,
      (previous) =>
        `AUTO-RETRY: re-queued automatically at ${at.toISOString()} (time ${delivery.recoveries + 1}); it had failed with: ${baseError(previous ?? '')}`,
    );
    if (requeued === 0) return;
    this.deps.requeues?.inc(requeued);
    log.info(
      {
        portalId: delivery.portalId,
        delivery: delivery.id,
        requeued,
        recoveries: delivery.recoveries + 1,
        failedSince: delivery.recoverSince,
      },
      'Salesforce answers again: re-queued the delivery given up during its outage',
    );
    this.deps.wake();
  }
}
