import { STATUS_OBJECT } from '@sync-doctor/core';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { admin, tempDir, testConfig, waitFor } from './helpers.js';
import {
  createConnectedPortal,
  fastOutbox,
  jwtApp,
  jwtConnection,
  publishedTitles,
  sendNumbered,
} from './orgDelivery.js';

// The real path: the outbox delivers with @sync-doctor/salesforce's publishStatus, logging in
// with the JWT bearer flow, into the org simulator, which injects Salesforce's transient faults.
describe('delivery into the org simulator', () => {
  const jwt = jwtApp('3MVG9relay.test.consumer.key');
  let sim: OrgSimulator;
  let app: FastifyInstance;
  let dir: ReturnType<typeof tempDir>;
  const secrets: Record<string, string> = {};
  const portals = ['7000001', '7000002', '7000003'];

  beforeAll(async () => {
    sim = await startOrgSimulator({
      fixture: 'read-only-contacts',
      jwtPublicKey: jwt.publicKey,
      clientId: jwt.clientId,
    });
    dir = tempDir();
    app = await buildApp(
      testConfig(dir.path, {
        outbox: fastOutbox({ maxAttempts: 20, maxDelayMs: 100 }),
      }),
    );
    await app.ready();
    for (const id of portals)
      secrets[id] = await createConnectedPortal(app, id, jwtConnection(jwt, sim));
  });
  afterAll(async () => {
    await app.close();
    await sim.close();
    dir.remove();
  });

  const send = (portalId: string, n: number) =>
    sendNumbered(app, secrets[portalId]!, portalId, n, 'sim');
  const events = (portalId: string) => publishedTitles(sim, portalId);

  test('503 bursts, lock errors and limit-exceeded: every change arrives, once, in order per portal', async () => {
    sim.injectFault({ path: '/composite', fault: 'SERVER_UNAVAILABLE', times: 4 });
    sim.injectFault({ path: '/composite', fault: 'UNABLE_TO_LOCK_ROW', times: 3 });
    sim.injectFault({ path: '/composite', fault: 'REQUEST_LIMIT_EXCEEDED', times: 2 });
    const perPortal = 8;
    for (let n = 1; n <= perPortal; n++)
      for (const id of portals) expect((await send(id, n)).statusCode).toBe(202);
    await waitFor(
      () => portals.every((id) => events(id).length >= perPortal),
      30_000,
      'all events',
    );
    for (const id of portals)
      expect(events(id)).toEqual(Array.from({ length: perPortal }, (_, i) => `${id}#${i + 1}`));
    // The status record holds the latest state of each portal.
    const records = sim.records(STATUS_OBJECT.name);
    for (const id of portals) {
      const record = records.find((r) => r[STATUS_OBJECT.fields.portalId] === id);
      expect(record).toMatchObject({
        [STATUS_OBJECT.fields.state]: 'suspended',
        [STATUS_OBJECT.fields.reason]: 'UNKNOWN_ERROR',
        [STATUS_OBJECT.fields.title]: `${id}#${perPortal}`,
      });
    }
    // The event lands a moment before the relay records the delivery as done.
    const allDeliveries = async () =>
      (await Promise.all(portals.map((id) => app.store.listDeliveries(id, { limit: 50 })))).flatMap(
        (page) => page.items,
      );
    await waitFor(
      async () => (await allDeliveries()).every((d) => d.state === 'delivered'),
      10_000,
      'deliveries recorded',
    );
    const retried = await allDeliveries();
    expect(retried).toHaveLength(perPortal * portals.length);
    // Every failed composite request (503 and 403 REQUEST_LIMIT_EXCEEDED at the top; a row lock
    // comes back inside a 200) cost the outbox one retry.
    const failedRequests = sim.requests.filter(
      (r) => r.path.includes('/composite') && r.status >= 400,
    ).length;
    expect(failedRequests).toBeGreaterThanOrEqual(6);
    expect(retried.reduce((sum, d) => sum + d.attempts - 1, 0)).toBeGreaterThanOrEqual(
      failedRequests,
    );
  });

  test('health reports the database and each org reachable (per portal with the admin token)', async () => {
    const health = await app.inject({ method: 'GET', url: '/health', headers: admin });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({
      status: 'ok',
      database: 'ok',
      portals: { ok: portals.length },
      salesforce: Object.fromEntries(portals.map((id) => [id, 'ok'])),
    });
  });
});
