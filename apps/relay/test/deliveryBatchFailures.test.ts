import { randomBytes } from 'node:crypto';
import type { RelayedStatus } from '@sync-doctor/core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import type { RelayConfig } from '../src/config.js';
import type { DeliveryTarget, PublishedBatch, StatusPublisher } from '../src/publisher/types.js';
import type { DeliveryRecord } from '../src/store/types.js';
import {
  createPortal,
  POSTGRES_URL,
  postgresSchema,
  salesforceError,
  signed,
  tempDir,
  testConfig,
  waitFor,
} from './helpers.js';

// How the batched outbox (publishBatch) treats failures, with a publisher that keeps what
// "Salesforce" holds: the events it published and the status record (the last status landed),
// so landedCount answers as the real one does.

class BatchingPublisher implements StatusPublisher {
  readonly batchMax = 200;
  /** Titles of the events published, in order. */
  readonly events: string[] = [];
  record: RelayedStatus | null = null;
  calls = { one: 0, batch: 0 };
  /** Answers the next calls (one or batch alike) with these errors, in order. */
  faults: Error[] = [];
  /**
   * Refuses every call, one or batch: a refusal of the status record itself (a validation rule,
   * a trigger, a locked record), which a batch names as its last change's, as publishStatuses does.
   */
  refuseAll: Error | null = null;
  /**
   * The next batch call lands only after this many ms, however long the caller waits: Salesforce
   * finishing a request the relay stopped waiting for.
   */
  landLateOnceMs = 0;
  /** Settles once that late batch has landed. */
  landedLate: Promise<void> | null = null;
  /** Runs once landedCount has read what landed, before it answers (a slow answer). */
  afterLandedRead: () => Promise<void> = async () => {};
  /** Runs when a call (one or batch) is about to land, after its faults: a slow send. */
  beforeLand: () => Promise<void> = async () => {};
  /** Calls (one or batch) not answered yet. */
  inFlight = 0;

  private land(statuses: readonly RelayedStatus[]): void {
    for (const status of statuses) this.events.push(status.title ?? '');
    this.record = statuses[statuses.length - 1]!;
  }

  async publish(_target: DeliveryTarget, status: RelayedStatus) {
    this.calls.one += 1;
    const fault = this.faults.shift() ?? this.refuseAll;
    if (fault) throw fault;
    this.inFlight += 1;
    await this.beforeLand().finally(() => (this.inFlight -= 1));
    this.land([status]);
    return { id: 'a0X1', created: false, eventId: `e${this.events.length}` };
  }

  async publishBatch(
    _target: DeliveryTarget,
    statuses: readonly RelayedStatus[],
  ): Promise<PublishedBatch> {
    this.calls.batch += 1;
    const fault = this.faults.shift();
    if (fault) throw fault;
    if (this.refuseAll)
      throw Object.assign(new Error(this.refuseAll.message), this.refuseAll, {
        batchIndex: statuses.length - 1,
      });
    if (this.landLateOnceMs) {
      const ms = this.landLateOnceMs;
      this.landLateOnceMs = 0;
      const late = new Promise<void>((resolve) => setTimeout(resolve, ms));
      this.landedLate = late;
      await late;
    }
    this.inFlight += 1;
    await this.beforeLand().finally(() => (this.inFlight -= 1));
    const first = this.events.length;
    this.land(statuses);
    return { id: 'a0X1', created: false, eventIds: statuses.map((_, i) => `e${first + i + 1}`) };
  }

  async landedCount(_target: DeliveryTarget, statuses: readonly RelayedStatus[]) {
    let landed = 0;
    for (let i = statuses.length - 1; i >= 0 && landed === 0; i--)
      if (this.record && statuses[i]!.title === this.record.title) landed = i + 1;
    await this.afterLandedRead();
    return landed;
  }

  async isDelivered(target: DeliveryTarget, status: RelayedStatus) {
    return (await this.landedCount(target, [status])) === 1;
  }

  async ping(): Promise<void> {}
}

/** Stores `count` signed suspensions of a portal, titled `<portal>#<n>`, in order. */
async function queueSuspensions(
  app: FastifyInstance,
  portalId: string,
  signingSecret: string,
  count: number,
): Promise<void> {
  for (let n = 1; n <= count; n++) {
    const answer = await app.inject({
      method: 'POST',
      url: `/v1/portals/${portalId}/suspensions`,
      ...signed(signingSecret, {
        reason: 'ORG_LOCKED',
        title: `${portalId}#${n}`,
        occurredAt: new Date(Date.UTC(2026, 10, 1, 10, 0, n)).toISOString(),
        eventId: `${portalId}-${n}`,
      }),
    });
    expect(answer.statusCode).toBe(202);
  }
}

const outbox: RelayConfig['outbox'] = {
  enabled: true,
  pollIntervalMs: 20,
  leaseMs: 5000,
  batchSize: 20,
  maxAttempts: 2,
  baseDelayMs: 5,
  maxDelayMs: 20,
};

describe('batched delivery: failures', () => {
  let app: FastifyInstance;
  let dir: ReturnType<typeof tempDir>;
  let publisher: BatchingPublisher;
  const secrets: Record<string, string> = {};

  async function start(overrides: Partial<RelayConfig['outbox']> = {}) {
    dir = tempDir();
    publisher = new BatchingPublisher();
    app = await buildApp(testConfig(dir.path, { publisher, outbox: { ...outbox, ...overrides } }));
    await app.ready();
  }
  afterEach(async () => {
    await app.close();
    dir.remove();
  });

  async function portal(id: string) {
    secrets[id] = (await createPortal(app, id)).signingSecret;
  }
  const send = (portalId: string, n: number) =>
    app.inject({
      method: 'POST',
      url: `/v1/portals/${portalId}/suspensions`,
      ...signed(secrets[portalId]!, {
        reason: 'ORG_LOCKED',
        title: `${portalId}#${n}`,
        occurredAt: new Date(Date.UTC(2026, 10, 1, 10, 0, n)).toISOString(),
        eventId: `${portalId}-${n}`,
      }),
    });
  async function deliveries(portalId: string): Promise<DeliveryRecord[]> {
    const page = await app.store.listDeliveries(portalId, { limit: 500, cursor: null });
    return [...page.items].sort((a, b) => a.changeId - b.changeId);
  }
  const settled = (portalId: string, count: number) =>
    waitFor(
      async () => {
        const items = await deliveries(portalId);
        return (
          items.length === count &&
          items.every((d) => d.state === 'delivered' || d.state === 'failed') &&
          items
        );
      },
      15_000,
      `${count} deliveries of ${portalId} settled`,
    );

  test('a passing failure of a batch gives up only the changes that used their attempts: the fresh ones behind a retried head are retried', async () => {
    // Retries ~0.5-1 s apart: long enough to queue changes behind the waiting head.
    await start({ baseDelayMs: 1000, maxDelayMs: 1000 });
    await portal('5001');
    // The head fails once on its own (attempt 1 of 2)...
    await app.outbox.stop();
    publisher.faults.push(salesforceError('SERVER_UNAVAILABLE', 503));
    expect((await send('5001', 1)).statusCode).toBe(202);
    app.outbox.start();
    await waitFor(async () => publisher.calls.one === 1, 5000, 'the first attempt');
    await app.outbox.stop();
    // ...then three fresh changes queue behind it, and the batch of all four fails the same way:
    // the head's last attempt, but the first of the others.
    for (let n = 2; n <= 4; n++) expect((await send('5001', n)).statusCode).toBe(202);
    publisher.faults.push(salesforceError('SERVER_UNAVAILABLE', 503));
    app.outbox.start();
    const items = await settled('5001', 4);
    expect(items.map((d) => d.state)).toEqual(['delivered', 'delivered', 'delivered', 'delivered']);
    expect(items[0]!.result).toEqual({ supersededBy: items[1]!.changeId });
    expect(items[0]!.attempts).toBe(2);
    expect(items.slice(1).map((d) => d.attempts)).toEqual([2, 2, 2]);
    expect(publisher.events).toEqual(['5001#2', '5001#3', '5001#4']);
  });

  test('a refusal of the status record itself costs a few calls a change, not a call for every shorter batch', async () => {
    await start({ maxAttempts: 5 });
    await portal('5002');
    await app.outbox.stop();
    for (let n = 1; n <= 20; n++) expect((await send('5002', n)).statusCode).toBe(202);
    publisher.refuseAll = salesforceError('FIELD_CUSTOM_VALIDATION_EXCEPTION', 400);
    app.outbox.start();
    const items = await settled('5002', 20);
    // Every change is tried and given up with the org's own error, once, in order.
    expect(items.map((d) => d.state)).toEqual(Array(20).fill('failed'));
    expect(items.map((d) => d.attempts)).toEqual(Array(20).fill(1));
    expect(items.every((d) => d.lastError?.includes('FIELD_CUSTOM_VALIDATION_EXCEPTION'))).toBe(
      true,
    );
    expect(publisher.events).toEqual([]);
    // One by one this costs 20 calls; batches that shrink by one change a call cost 210.
    expect(publisher.calls.one + publisher.calls.batch).toBeLessThanOrEqual(3 * 20);
  });
});

describe('batched delivery: a batch Salesforce finishes after the relay stopped waiting', () => {
  test('is asked about only once Salesforce has had as long again, so its late commit is found, not published twice', async () => {
    const dir = tempDir();
    const publisher = new BatchingPublisher();
    // The send waits lease/2 = 1 s; the backoff alone (5-20 ms) would ask "what landed?" at once.
    const app = await buildApp(
      testConfig(dir.path, { publisher, outbox: { ...outbox, leaseMs: 2000, maxAttempts: 5 } }),
    );
    try {
      await app.ready();
      const { signingSecret } = await createPortal(app, '5003');
      await app.outbox.stop();
      await queueSuspensions(app, '5003', signingSecret, 5);
      // The batch lands 1.5 s after it was sent: 0.5 s after the relay gave up waiting.
      publisher.landLateOnceMs = 1500;
      app.outbox.start();
      await waitFor(
        async () => {
          const page = await app.store.listDeliveries('5003', { limit: 10, cursor: null });
          return page.items.length === 5 && page.items.every((d) => d.state === 'delivered');
        },
        15_000,
        'the five changes delivered',
      );
      // Salesforce finished the first request too; it published once, and the retry sent nothing.
      await publisher.landedLate;
      expect(publisher.events).toEqual(['5003#1', '5003#2', '5003#3', '5003#4', '5003#5']);
      const page = await app.store.listDeliveries('5003', { limit: 10, cursor: null });
      expect(page.items.every((d) => d.result?.reconciled === true)).toBe(true);
      expect(publisher.calls.batch).toBe(1);
    } finally {
      await app.close();
      dir.remove();
    }
  });
});

describe('a run whose landed check outlived its lease, taken over by the same instance', () => {
  // A run's lease runs out while it waits for Salesforce's answer to "what landed?", and the
  // instance's own next round takes the changes over. The lease's owner is the same instance,
  // so only a lease of its own per claim tells the slow run that the changes are not its any
  // more; with the instance's name as the owner, both runs sent every change.
  test.each([
    ['a batch', 5],
    ['a single change', 1],
  ])('%s is sent by the run that took it over only', async (_kind, count) => {
    const dir = tempDir();
    const publisher = new BatchingPublisher();
    const app = await buildApp(
      testConfig(dir.path, { publisher, outbox: { ...outbox, leaseMs: 500, maxAttempts: 10 } }),
    );
    try {
      await app.ready();
      const { signingSecret } = await createPortal(app, '5004');
      await app.outbox.stop();
      await queueSuspensions(app, '5004', signingSecret, count);
      const calls = () => publisher.calls.one + publisher.calls.batch;
      // The first attempt fails, so the second asks what landed first. That answer comes only
      // once the lease ran out and the next round (of this instance) is sending the changes...
      publisher.faults.push(salesforceError('SERVER_UNAVAILABLE', 503));
      let slow = true;
      publisher.afterLandedRead = async () => {
        if (!slow) return;
        slow = false;
        await waitFor(() => calls() >= 2, 10_000, 'the run that took the changes over');
      };
      // ...and that send lands only once the slow run has had its chance to send too (it polls
      // every 20 ms), well within the lease, so no third run takes the changes over.
      publisher.beforeLand = async () => {
        await waitFor(() => calls() >= 3, 300, 'a second send').catch(() => undefined);
      };
      app.outbox.start();
      const expected = Array.from({ length: count }, (_, i) => `5004#${i + 1}`);
      await waitFor(
        async () => {
          const page = await app.store.listDeliveries('5004', { limit: 10, cursor: null });
          return page.items.length === count && page.items.every((d) => d.state === 'delivered');
        },
        15_000,
        'every change delivered',
      );
      await waitFor(() => !slow, 10_000, 'the slow landed check');
      await app.outbox.stop();
      // Every send has answered (the worker's stop waits for its runs; this does not trust it).
      await waitFor(() => publisher.inFlight === 0, 5000, 'the sends answered');
      expect(publisher.events).toEqual(expected);
    } finally {
      await app.close();
      dir.remove();
    }
  });
});

describe('batched delivery: two instances on PostgreSQL', () => {
  test('a batch whose landed check outlived its lease is not sent by both instances', async () => {
    const publisher = new BatchingPublisher();
    const { schema, drop } = await postgresSchema();
    const dirs = [tempDir(), tempDir()];
    const overrides: Partial<RelayConfig> = {
      databaseUrl: POSTGRES_URL,
      databaseSchema: schema,
      secretKey: randomBytes(32),
      publisher,
      outbox: { ...outbox, leaseMs: 500, maxAttempts: 10 },
    };
    const apps = [
      await buildApp(testConfig(dirs[0]!.path, { ...overrides, instanceId: 'relay-a' })),
      await buildApp(testConfig(dirs[1]!.path, { ...overrides, instanceId: 'relay-b' })),
    ];
    try {
      await Promise.all(apps.map((a) => a.ready()));
      const [a] = apps as [FastifyInstance, FastifyInstance];
      const { signingSecret } = await createPortal(a, '5003');
      await Promise.all(apps.map((x) => x.outbox.stop()));
      await queueSuspensions(a, '5003', signingSecret, 5);
      // The first attempt fails (a timeout, say), so the next one first asks what landed; that
      // answer comes only after the lease ran out and the other instance delivered the batch.
      publisher.faults.push(salesforceError('SERVER_UNAVAILABLE', 503));
      let slow = true;
      publisher.afterLandedRead = async () => {
        if (!slow) return;
        slow = false;
        await waitFor(() => publisher.events.length >= 5, 10_000, 'the other instance');
      };
      for (const x of apps) x.outbox.start();
      await waitFor(
        async () => {
          const page = await a.store.listDeliveries('5003', { limit: 50, cursor: null });
          return page.items.length === 5 && page.items.every((d) => d.state === 'delivered');
        },
        15_000,
        'the five deliveries recorded',
      );
      // Both runs ended: the slow one has answered and sent, or not.
      await waitFor(() => !slow, 10_000, 'the slow landed check');
      await Promise.all(apps.map((x) => x.outbox.stop()));
      // Salesforce finished the first request too; it published once, and the retry sent nothing.
      await publisher.landedLate;
      expect(publisher.events).toEqual(['5003#1', '5003#2', '5003#3', '5003#4', '5003#5']);
    } finally {
      for (const x of apps) await x.close();
      await drop();
      for (const d of dirs) d.remove();
    }
  });
});
