import { randomBytes } from 'node:crypto';
import { STATUS_OBJECT, type RelayedStatus } from '@sync-doctor/core';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import type { RelayConfig } from '../src/config.js';
import { SalesforcePublisher } from '../src/publisher/salesforce.js';
import type { DeliveryTarget } from '../src/publisher/types.js';
import type { DeliveryRecord } from '../src/store/types.js';
import { admin, POSTGRES_URL, postgresSchema, tempDir, testConfig, waitFor } from './helpers.js';
import {
  createConnectedPortal,
  fastOutbox,
  jwtApp,
  jwtConnection,
  publishedTitles,
  sendNumbered,
} from './orgDelivery.js';

// A portal's backlog goes into Salesforce in batches: one composite request (one API call)
// carries up to 200 consecutive changes (every event, in order, and the status record once),
// against the org simulator, which accepts what Salesforce accepts (sObject Collections inside a
// composite, 200 records, all or none). Each change stays its own delivery.

const jwt = jwtApp('3MVG9relay.batch.consumer.key');
const rateLimit = { perIpPerMinute: 100_000, perPortalPerMinute: 100_000 };
const outbox = fastOutbox({ maxAttempts: 20, maxDelayMs: 100 });

/** The real publisher, with a hook before each batch it sends (to break the org mid-backlog). */
class HookedPublisher extends SalesforcePublisher {
  batches = 0;
  beforeBatch: (n: number, statuses: readonly RelayedStatus[]) => readonly RelayedStatus[] = (
    _n,
    statuses,
  ) => statuses;
  beforeOne: (status: RelayedStatus) => RelayedStatus = (status) => status;

  constructor() {
    super(15_000, { allowPrivateNetworks: true });
  }

  override publishBatch(target: DeliveryTarget, statuses: readonly RelayedStatus[]) {
    this.batches += 1;
    return super.publishBatch(target, this.beforeBatch(this.batches, statuses));
  }

  override publish(target: DeliveryTarget, status: RelayedStatus) {
    return super.publish(target, this.beforeOne(status));
  }
}

/** The composite requests the org received for a portal's status. */
const composites = (sim: OrgSimulator, portalId: string) =>
  sim.requests.filter(
    (r) =>
      /\/composite$/.test(r.path.split('?')[0]!) &&
      JSON.stringify(r.body).includes(`/Portal_Id__c/${portalId}"`),
  );
const numbered = (portalId: string, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${portalId}#${from + i}`);

async function allDeliveries(app: FastifyInstance, portalId: string): Promise<DeliveryRecord[]> {
  const items: DeliveryRecord[] = [];
  let cursor: string | null = null;
  do {
    const page = await app.store.listDeliveries(portalId, { limit: 500, cursor });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items.sort((a, b) => a.changeId - b.changeId);
}

async function delivered(app: FastifyInstance, portalId: string, count: number) {
  return waitFor(
    async () => {
      const items = await allDeliveries(app, portalId);
      return items.length === count && items.every((d) => d.state === 'delivered') && items;
    },
    30_000,
    `${count} deliveries of ${portalId} recorded`,
  );
}

describe('backlog delivery in batches (SQLite)', () => {
  let sim: OrgSimulator;
  let app: FastifyInstance;
  let dir: ReturnType<typeof tempDir>;
  const publisher = new HookedPublisher();

  beforeAll(async () => {
    sim = await startOrgSimulator({
      fixture: 'read-only-contacts',
      jwtPublicKey: jwt.publicKey,
      clientId: jwt.clientId,
    });
    dir = tempDir();
    app = await buildApp(testConfig(dir.path, { outbox, publisher, rateLimit }));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await sim.close();
    dir.remove();
  });
  beforeEach(() => {
    publisher.batches = 0;
    publisher.beforeBatch = (_n, statuses) => statuses;
    publisher.beforeOne = (status) => status;
    sim.clearFaults();
  });

  /** Stores `count` changes while the outbox is stopped (Salesforce down), then lets it go. */
  async function backlog(portalId: string, secret: string, count: number): Promise<void> {
    await app.outbox.stop();
    for (let n = 1; n <= count; n++)
      expect((await sendNumbered(app, secret, portalId, n, 'batch')).statusCode).toBe(202);
    sim.resetRequests();
    app.outbox.start();
  }

  test('a single change costs one API call, the very request it cost before batches', async () => {
    const secret = await createConnectedPortal(app, '9100001', jwtConnection(jwt, sim));
    await delivered(app, '9100001', 0);
    sim.resetRequests();
    expect((await sendNumbered(app, secret, '9100001', 1, 'one')).statusCode).toBe(202);
    const [delivery] = await delivered(app, '9100001', 1);
    expect(sim.requests.filter((r) => r.path.startsWith('/services/data/'))).toHaveLength(1);
    const body = composites(sim, '9100001')[0]!.body as {
      allOrNone: boolean;
      collateSubrequests?: boolean;
      compositeRequest: Array<{ method: string; url: string; referenceId: string }>;
    };
    expect(body.allOrNone).toBe(true);
    expect(body).not.toHaveProperty('collateSubrequests');
    expect(body.compositeRequest.map((s) => [s.referenceId, s.method])).toEqual([
      ['status', 'PATCH'],
      ['event', 'POST'],
    ]);
    expect(body.compositeRequest[1]!.url).toMatch(/\/sobjects\/Sync_Doctor_Event__e$/);
    expect(publisher.batches).toBe(0);
    expect(delivery!.result).toEqual({
      id: expect.any(String),
      created: true,
      eventId: expect.any(String),
    });
  });

  test('a backlog of 60 changes goes in one API call, in order, each change delivered with its own event id', async () => {
    const secret = await createConnectedPortal(app, '9100002', jwtConnection(jwt, sim));
    await backlog('9100002', secret, 60);
    const items = await delivered(app, '9100002', 60);
    expect(publishedTitles(sim, '9100002')).toEqual(numbered('9100002', 1, 60));
    // ceil(60 / 200) composite requests, and nothing else.
    expect(composites(sim, '9100002')).toHaveLength(1);
    expect(sim.requests.filter((r) => r.path.startsWith('/services/data/'))).toHaveLength(1);
    const record = sim
      .records(STATUS_OBJECT.name)
      .find((r) => r[STATUS_OBJECT.fields.portalId] === '9100002');
    expect(record).toMatchObject({ [STATUS_OBJECT.fields.title]: '9100002#60' });
    // GET deliveries: every change delivered, once, with its own event.
    const page = await app.inject({
      method: 'GET',
      url: '/v1/portals/9100002/deliveries?limit=100',
      headers: admin,
    });
    const listed = page.json().items as Array<{
      state: string;
      attempts: number;
      result: { id: string; eventId: string; batch: number };
    }>;
    expect(listed).toHaveLength(60);
    expect(listed.every((d) => d.state === 'delivered' && d.attempts === 1)).toBe(true);
    expect(new Set(listed.map((d) => d.result.eventId)).size).toBe(60);
    expect(new Set(listed.map((d) => d.result.id)).size).toBe(1);
    expect(listed.every((d) => d.result.batch === 60)).toBe(true);
    expect(items.map((d) => d.attempts)).toEqual(Array(60).fill(1));
  });

  test('a 503 burst mid-backlog: the failed batch is retried whole, nothing twice, order kept', async () => {
    const secret = await createConnectedPortal(app, '9100003', jwtConnection(jwt, sim));
    // 450 changes: batches of 200, 200 and 50; the second meets three 503s.
    publisher.beforeBatch = (n, statuses) => {
      if (n === 2) sim.injectFault({ path: '/composite', fault: 'SERVER_UNAVAILABLE', times: 3 });
      return statuses;
    };
    await backlog('9100003', secret, 450);
    const items = await delivered(app, '9100003', 450);
    expect(publishedTitles(sim, '9100003')).toEqual(numbered('9100003', 1, 450));
    const calls = composites(sim, '9100003');
    expect(calls.filter((r) => r.status === 503)).toHaveLength(3);
    expect(calls.filter((r) => r.status === 200)).toHaveLength(3);
    // Before each retry of the batch, one read asks whether an earlier attempt landed.
    const reads = sim.requests.filter((r) => r.path.includes('/query'));
    expect(reads).toHaveLength(3);
    expect(items.map((d) => d.attempts)).toEqual([
      ...Array(200).fill(1),
      ...Array(200).fill(4),
      ...Array(50).fill(1),
    ]);
  });

  test('a batch whose attempt landed unrecorded is not sent again: the changes that landed are reconciled with one read', async () => {
    const secret = await createConnectedPortal(app, '9100004', jwtConnection(jwt, sim));
    // The first batch lands, but its answer is lost (a timeout, a reset connection).
    const lose = publisher.publishBatch.bind(publisher);
    let lost = false;
    publisher.publishBatch = async (target, statuses) => {
      const result = await lose(target, statuses);
      if (!lost) {
        lost = true;
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      }
      return result;
    };
    try {
      await backlog('9100004', secret, 30);
      const items = await delivered(app, '9100004', 30);
      expect(publishedTitles(sim, '9100004')).toEqual(numbered('9100004', 1, 30));
      expect(items.every((d) => d.attempts === 2 && d.result?.reconciled === true)).toBe(true);
      expect(composites(sim, '9100004')).toHaveLength(1);
    } finally {
      publisher.publishBatch = lose;
    }
  });

  test('a change Salesforce refuses for good holds nobody back: those before it go as a batch, it alone fails, the rest follow as a batch', async () => {
    const secret = await createConnectedPortal(app, '9100005', jwtConnection(jwt, sim));
    // Change 7 carries a state longer than the event's State__c (16): the org refuses its event.
    const poison = (status: RelayedStatus): RelayedStatus =>
      status.title === '9100005#7'
        ? { ...status, state: 'suspended-far-too-long' as RelayedStatus['state'] }
        : status;
    publisher.beforeBatch = (_n, statuses) => statuses.map(poison);
    publisher.beforeOne = poison;
    await backlog('9100005', secret, 30);
    const items = await delivered(app, '9100005', 30);
    expect(publishedTitles(sim, '9100005')).toEqual([
      ...numbered('9100005', 1, 6),
      ...numbered('9100005', 8, 30),
    ]);
    // The refused batch, changes 1-6, change 7 on its own, changes 8-30.
    expect(composites(sim, '9100005')).toHaveLength(4);
    const seventh = items[6]!;
    expect(seventh).toMatchObject({
      state: 'delivered',
      result: { supersededBy: items[7]!.changeId },
      lastError: expect.stringContaining('(400)'),
    });
    expect(items.filter((d) => d.result?.eventId).length).toBe(29);
  });
});

describe('backlog delivery in batches: two relay instances on PostgreSQL', () => {
  test('every change once, in order, in ceil(n/200) calls, whichever instance claims', async () => {
    const sim = await startOrgSimulator({
      fixture: 'read-only-contacts',
      jwtPublicKey: jwt.publicKey,
      clientId: jwt.clientId,
    });
    const { schema, drop } = await postgresSchema();
    const overrides: Partial<RelayConfig> = {
      databaseUrl: POSTGRES_URL,
      databaseSchema: schema,
      secretKey: randomBytes(32),
      outbox,
      rateLimit,
    };
    const dirs = [tempDir(), tempDir()];
    const apps = [
      await buildApp(testConfig(dirs[0]!.path, { ...overrides, instanceId: 'relay-a' })),
      await buildApp(testConfig(dirs[1]!.path, { ...overrides, instanceId: 'relay-b' })),
    ];
    try {
      await Promise.all(apps.map((a) => a.ready()));
      const [a, b] = apps as [FastifyInstance, FastifyInstance];
      const secret = await createConnectedPortal(a, '9200001', jwtConnection(jwt, sim));
      await Promise.all(apps.map((x) => x.outbox.stop()));
      // Half the signals reach one instance, half the other.
      for (let n = 1; n <= 450; n++)
        expect((await sendNumbered(n % 2 ? a : b, secret, '9200001', n, 'pg')).statusCode).toBe(
          202,
        );
      sim.resetRequests();
      for (const x of apps) x.outbox.start();
      const items = await delivered(a, '9200001', 450);
      expect(publishedTitles(sim, '9200001')).toEqual(numbered('9200001', 1, 450));
      expect(items.every((d) => d.attempts === 1)).toBe(true);
      expect(composites(sim, '9200001')).toHaveLength(3);
    } finally {
      for (const x of apps) await x.close();
      await sim.close();
      await drop();
      for (const d of dirs) d.remove();
    }
  });
});
