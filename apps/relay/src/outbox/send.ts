import type { FastifyBaseLogger } from 'fastify';
import type { ClaimedDelivery } from '../store/types.js';
import type { Lease } from './lease.js';

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

/** Whether a send that failed with `code` may still be processed by Salesforce (see MAY_STILL_LAND). */
export function mayStillLand(code: string): boolean {
  return MAY_STILL_LAND.has(code);
}

/** How long a send may take: half the lease (at least 1 s), so the lease outlives it. */
export function sendTimeoutMs(leaseMs: number): number {
  return Math.max(1000, Math.floor(leaseMs / 2));
}

/** Sends into Salesforce with a deadline, and waits out a send the relay stopped waiting for. */
export class Sender {
  constructor(private readonly deps: { config: { leaseMs: number }; log: FastifyBaseLogger }) {}

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
  async send<T>(sending: Promise<T>, deliveries: ClaimedDelivery[], lease: Lease): Promise<T> {
    let ended = false;
    const tracked = sending.finally(() => {
      ended = true;
    });
    try {
      return await withTimeout(tracked, sendTimeoutMs(this.deps.config.leaseMs));
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
    const until = Date.now() + ABANDONED_SEND_TIMEOUTS * sendTimeoutMs(config.leaseMs);
    while (Date.now() < until) {
      let timer: NodeJS.Timeout | undefined;
      const tick = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), Math.min(config.leaseMs / 4, until - Date.now()));
      });
      const done = await Promise.race([ended, tick]).finally(() => clearTimeout(timer));
      if (done) return;
      // Lost all the same (the database was out longer than the lease): the failure recorded
      // next finds the changes another run's, and changes nothing.
      await lease.keep(deliveries).catch(() => false);
    }
    log.error(
      { deliveries: deliveries.length, portalId: deliveries[0]?.portalId },
      'a send the relay stopped waiting for has still not ended; its changes are given back',
    );
  }
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
