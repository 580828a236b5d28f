import { randomBytes } from 'node:crypto';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import type { DeliveryRecord } from '../src/store/types.js';
import {
  captureLogs,
  createPortal,
  POSTGRES_URL,
  postgresSchema,
  suspension,
  tempDir,
  testConfig,
  waitFor,
} from './helpers.js';
import { fastOutbox, publishedTitles } from './orgDelivery.js';

// Several relays sharing PostgreSQL: a delivery given up during a Salesforce outage is re-queued
// by one of them once the org answers again, and only once: each due check is taken by one
// instance (a compare-and-set on its due time) before it calls the org, and the re-queue is one
// conditional transaction. No leader lock is needed, so RELAY_SIGNALS_LEADER changes nothing.
describe('automatic re-queue on two relays sharing PostgreSQL', () => {
  let org: OrgSimulator;
  let schema: Awaited<ReturnType<typeof postgresSchema>>;
  const secretKey = randomBytes(32);
  const everything = /\/services\/data\//;

  beforeAll(async () => {
    org = await startOrgSimulator({ fixture: 'healthy' });
    schema = await postgresSchema();
  });
  afterAll(async () => {
    await org.close();
    await schema.drop();
  });
  afterEach(() => org.clearFaults());

  async function startRelay(leader: 'auto' | 'off') {
    const dir = tempDir();
    const logs = captureLogs({ level: 'info' });
    const config = testConfig(dir.path, {
      databaseUrl: POSTGRES_URL,
      databaseSchema: schema.schema,
      secretKey,
      outbox: fastOutbox({ maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 }),
      deliveryRecovery: { enabled: true, firstDelayMs: 200, maxDelayMs: 400, forMs: 600_000 },
    });
    config.signals = { ...config.signals, leader };
    const app = await buildApp(config, { loggerInstance: logs.logger });
    await app.ready();
    return {
      app,
      logs,
      close: async () => {
        await app.close();
        dir.remove();
      },
    };
  }
  type Relay = Awaited<ReturnType<typeof startRelay>>;

  const requeuedMetric = async (app: FastifyInstance): Promise<number> => {
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    return Number(/^relay_delivery_auto_requeues_total (\d+)/m.exec(text)?.[1] ?? NaN);
  };
  const requeueLines = (relays: Relay[], portalId: string) =>
    relays.flatMap((r) =>
      r.logs
        .entries()
        .filter((e) => e.portalId === portalId && /re-queued the delivery given up/.test(e.msg)),
    );

  async function outageThenRecovery(relays: Relay[], portalId: string): Promise<void> {
    const [a, b] = relays as [Relay, Relay];
    const deliveries = async (): Promise<DeliveryRecord[]> =>
      (await a.app.store.listDeliveries(portalId, { limit: 20 })).items;
    await createPortal(a.app, portalId, {
      kind: 'token',
      instanceUrl: org.url,
      accessToken: org.accessToken,
    });
    org.injectFault({ path: everything, fault: 'SERVER_UNAVAILABLE' });
    // One change stored on each instance; both given up during the outage.
    await a.app.changes.record(suspension(portalId, 1));
    await b.app.changes.record(suspension(portalId, 2));
    await waitFor(
      async () => {
        const items = await deliveries();
        return items.length === 2 && items.every((d) => d.state === 'failed' && d.recoverAt);
      },
      15_000,
      'both changes given up with an automatic re-queue due',
    );
    org.clearFaults();
    const pingsBefore = org.requests.filter((r) => r.path.includes('/limits')).length;
    await waitFor(
      async () => {
        const items = await deliveries();
        return items.length === 2 && items.every((d) => d.state === 'delivered');
      },
      15_000,
      'both changes delivered after the outage',
    );
    // Later passes (on either instance) find nothing more to do: each instance finished two more
    // passes, the second started after this point.
    const passes = relays.map((r) => r.app.deliveryRecovery!.passes);
    await waitFor(
      () => relays.every((r, i) => r.app.deliveryRecovery!.passes >= passes[i]! + 2),
      15_000,
      'two more re-queue passes on each instance',
    );
    // Counted before /metrics is scraped: a scrape checks every org's reachability too.
    const pings = org.requests.filter((r) => r.path.includes('/limits')).length - pingsBefore;
    expect(publishedTitles(org, portalId)).toEqual(['event 1', 'event 2']);
    expect((await deliveries()).map((d) => d.recoveries)).toEqual([1, 1]);
    expect((await requeuedMetric(a.app)) + (await requeuedMetric(b.app))).toBe(2);
    expect(requeueLines(relays, portalId)).toEqual([expect.objectContaining({ requeued: 2 })]);
    // One GET /limits once the org answers: one instance checked, not one per instance.
    expect(pings).toBe(1);
  }

  test('one instance checks the org and re-queues, once', async () => {
    const relays = [await startRelay('auto'), await startRelay('auto')];
    try {
      await outageThenRecovery(relays, '9910001');
    } finally {
      for (const relay of relays) await relay.close();
    }
  });

  test('the same with RELAY_SIGNALS_LEADER=0 on both: no leader lock needed', async () => {
    const relays = [await startRelay('off'), await startRelay('off')];
    try {
      await outageThenRecovery(relays, '9910002');
    } finally {
      for (const relay of relays) await relay.close();
    }
  });
});
