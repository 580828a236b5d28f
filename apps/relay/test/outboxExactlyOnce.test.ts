import type { RelayedStatus } from '@sync-doctor/core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import type { RelayConfig } from '../src/config.js';
import type { DeliveryTarget, PublishedBatch, StatusPublisher } from '../src/publisher/types.js';
import type { DeliveryRecord } from '../src/store/types.js';
import { createPortal, salesforceError, signed, tempDir, testConfig, waitFor } from './helpers.js';

// Ways a change could reach Salesforce twice through one instance's outbox, with a publisher that
// keeps what "Salesforce" holds (the events published, the status record), so its landed check
// answers as the real one does.

class LandingPublisher implements StatusPublisher {
  readonly batchMax = 200;
  /** Titles of the events published, in order. */
  readonly events: string[] = [];
  record: RelayedStatus | null = null;
  calls = 0;
  /** The next sends land and then fail with these errors: an answer lost on the way back. */
  lostAnswers: Error[] = [];
  /** The next landed checks fail with these errors. */
  checkFaults: Error[] = [];
  /** The next sends fail with these errors before anything lands. */
  sendFaults: Error[] = [];
  /** The next send takes this long before it lands (within the relay's send timeout). */
  slowOnceMs = 0;
  /** Sends not answered yet. */
  inFlight = 0;

  private async land(statuses: readonly RelayedStatus[]): Promise<void> {
    this.calls += 1;
    const fault = this.sendFaults.shift();
    if (fault) throw fault;
    this.inFlight += 1;
    try {
      const ms = this.slowOnceMs;
      this.slowOnceMs = 0;
      if (ms) await new Promise((resolve) => setTimeout(resolve, ms));
      for (const status of statuses) this.events.push(status.title ?? '');
      this.record = statuses[statuses.length - 1]!;
      const lost = this.lostAnswers.shift();
      if (lost) throw lost;
    } finally {
      this.inFlight -= 1;
    }
  }

  async publish(_target: DeliveryTarget, status: RelayedStatus) {
    await this.land([status]);
    return { id: 'a0X1', created: false };
  }

  async publishBatch(
    _target: DeliveryTarget,
    statuses: readonly RelayedStatus[],
  ): Promise<PublishedBatch> {
    await this.land(statuses);
    return { id: 'a0X1', created: false, eventIds: statuses.map(() => undefined) };
  }

  async landedCount(_target: DeliveryTarget, statuses: readonly RelayedStatus[]) {
    const fault = this.checkFaults.shift();
    if (fault) throw fault;
    for (let i = statuses.length - 1; i >= 0; i--)
      if (this.record && statuses[i]!.title === this.record.title) return i + 1;
    return 0;
  }

  async isDelivered(target: DeliveryTarget, status: RelayedStatus) {
    return (await this.landedCount(target, [status])) === 1;
  }

  async ping(): Promise<void> {}
}

const outbox: RelayConfig['outbox'] = {
  enabled: true,
  pollIntervalMs: 20,
  // The least the configuration allows: a send may take 1 s.
  leaseMs: 2000,
  batchSize: 20,
  maxAttempts: 5,
  baseDelayMs: 5,
  maxDelayMs: 20,
};

describe('outbox: a change is published once', () => {
  let app: FastifyInstance;
  let dir: ReturnType<typeof tempDir>;
  let publisher: LandingPublisher;
  let secret: string;
  const portalId = '6001';

  beforeEach(async () => {
    dir = tempDir();
    publisher = new LandingPublisher();
    app = await buildApp(testConfig(dir.path, { publisher, outbox }));
    await app.ready();
    secret = (await createPortal(app, portalId)).signingSecret;
    await app.outbox.stop();
  });
  afterEach(async () => {
    await app.close();
    dir.remove();
  });

  async function queue(count: number): Promise<string[]> {
    for (let n = 1; n <= count; n++) {
      const answer = await app.inject({
        method: 'POST',
        url: `/v1/portals/${portalId}/suspensions`,
        ...signed(secret, {
          reason: 'ORG_LOCKED',
          title: `${portalId}#${n}`,
          occurredAt: new Date(Date.UTC(2026, 10, 1, 10, 0, n)).toISOString(),
          eventId: `${portalId}-${n}`,
        }),
      });
      expect(answer.statusCode).toBe(202);
    }
    return Array.from({ length: count }, (_, i) => `${portalId}#${i + 1}`);
  }
  async function delivered(count: number): Promise<DeliveryRecord[]> {
    return waitFor(
      async () => {
        const page = await app.store.listDeliveries(portalId, { limit: 50, cursor: null });
        return (
          page.items.length === count &&
          page.items.every((d) => d.state === 'delivered') && [...page.items]
        );
      },
      15_000,
      `${count} deliveries recorded`,
    );
  }
  async function settle(): Promise<void> {
    await app.outbox.stop();
    // Every send has answered (the worker's stop waits for its runs; this does not trust it).
    await waitFor(() => publisher.inFlight === 0, 5000, 'the sends answered');
  }

  test.each([
    ['a single change', 1],
    ['a batch', 4],
  ])(
    '%s whose answer was lost is not sent again when the "what landed?" check fails',
    async (_kind, count) => {
      const expected = await queue(count);
      // The first send lands, but its answer is lost (the connection dropped)...
      publisher.lostAnswers.push(
        Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      );
      // ...and the next attempt's question "did it land?" gets a 503 instead of an answer.
      publisher.checkFaults.push(salesforceError('SERVER_UNAVAILABLE', 503));
      app.outbox.start();
      const items = await delivered(count);
      await settle();
      // Not knowing whether it landed is no reason to send it again: it is asked again later.
      expect(publisher.events).toEqual(expected);
      expect(items.every((d) => d.result?.reconciled === true)).toBe(true);
    },
  );

  test.each([
    ['a single change', 1],
    ['a batch', 4],
  ])(
    '%s whose "what landed?" check is refused for good is sent, not given up unsent',
    async (_kind, count) => {
      const expected = await queue(count);
      // The first send fails on the way (nothing landed), and the next attempt's check is refused
      // with an error no retry mends (a field the query names is missing, say). Salesforce cannot
      // say what landed; given up, the org would keep showing the old status for good, while a
      // send of something that had landed costs one more event (an open page reloads twice).
      publisher.sendFaults.push(salesforceError('SERVER_UNAVAILABLE', 503));
      publisher.checkFaults.push(salesforceError('INVALID_FIELD', 400));
      app.outbox.start();
      const items = await delivered(count);
      await settle();
      expect(publisher.events).toEqual(expected);
      expect(items.every((d) => d.result?.reconciled === undefined && d.attempts === 2)).toBe(true);
    },
  );

  test.each([
    ['a single change', 1],
    ['a batch', 4],
  ])(
    '%s whose portal lookup took most of the lease is not sent by a second run',
    async (_kind, count) => {
      const expected = await queue(count);
      // The run's lookup of the portal (its cache missed; the database was slow) takes 1.5 s of
      // the 2 s lease, and the send then takes 0.9 s (within the 1 s the relay waits for one).
      const find = app.portals.find.bind(app.portals);
      let slow = true;
      app.portals.find = async (id: string) => {
        const portal = await find(id);
        if (slow) {
          slow = false;
          await new Promise((resolve) => setTimeout(resolve, 1500));
        }
        return portal;
      };
      publisher.slowOnceMs = 900;
      app.outbox.start();
      await delivered(count);
      await waitFor(() => publisher.calls >= 1 && publisher.inFlight === 0, 10_000, 'the send');
      await settle();
      // The lease ran out in the middle of that send, and the next round took the changes over
      // and sent them too, unless the run renewed its lease before sending.
      expect(publisher.events).toEqual(expected);
    },
  );
});
