import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { STATUS_OBJECT } from '@sync-doctor/core';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { admin, tempDir, testConfig, waitFor } from './helpers.js';
import {
  createConnectedPortal,
  deliveriesOf,
  fastOutbox,
  jwtApp,
  jwtConnection,
  publishedTitles,
  sendNumbered,
} from './orgDelivery.js';

// The log-in side of delivering into Salesforce (JWT bearer per portal), against the org
// simulator: a login server that is down for a while, a session that expires mid-run, and a grant
// Salesforce refuses.
describe('delivery: JWT log-in and session failures', () => {
  const jwt = jwtApp('3MVG9relay.login.consumer.key');
  let sim: OrgSimulator;
  let app: FastifyInstance;
  let dir: ReturnType<typeof tempDir>;
  const secrets: Record<string, string> = {};

  beforeAll(async () => {
    sim = await startOrgSimulator({
      fixture: 'read-only-contacts',
      jwtPublicKey: jwt.publicKey,
      clientId: jwt.clientId,
    });
    dir = tempDir();
    app = await buildApp(testConfig(dir.path, { outbox: fastOutbox() }));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await sim.close();
    dir.remove();
  });

  const createPortal = async (id: string, username = sim.adminUser.Username) => {
    secrets[id] = await createConnectedPortal(app, id, jwtConnection(jwt, sim, username));
  };
  const send = (portalId: string, n: number) =>
    sendNumbered(app, secrets[portalId]!, portalId, n, 'login');
  const events = (portalId: string) => publishedTitles(sim, portalId);
  const deliveries = (portalId: string) => deliveriesOf(app, portalId);

  test('a login server that is down (503 page, then unknown_error "retry your request") is retried, not given up', async () => {
    await createPortal('7100001');
    sim.injectFault({ path: '/services/oauth2/token', fault: 'SERVER_UNAVAILABLE', times: 2 });
    sim.injectFault({ path: '/services/oauth2/token', fault: 'INTERNAL_SERVER_ERROR', times: 1 });
    expect((await send('7100001', 1)).statusCode).toBe(202);
    const [delivery] = await waitFor(
      async () => {
        const items = await deliveries('7100001');
        return items[0]?.state === 'pending' ? undefined : items;
      },
      10_000,
      'the delivery to end',
    );
    // Three log-ins failed (the reachability check may have met one of them): the delivery was
    // tried again after each one it met, and landed once.
    const logins = sim.requests.filter((r) => r.path === '/services/oauth2/token');
    expect(logins.slice(0, 3).map((r) => r.status)).toEqual([503, 503, 500]);
    expect(delivery!.state).toBe('delivered');
    expect(delivery!.attempts).toBeGreaterThan(1);
    expect(events('7100001')).toEqual(['7100001#1']);
  });

  test('a session that expires mid-run is renewed by one new JWT grant, within the attempt: no failure counted', async () => {
    await createPortal('7100002');
    expect((await send('7100002', 1)).statusCode).toBe(202);
    await waitFor(
      async () => (await deliveries('7100002'))[0]?.state === 'delivered',
      10_000,
      'first',
    );
    sim.resetRequests();
    // Salesforce answers 401 INVALID_SESSION_ID once the session has expired or been revoked.
    sim.injectFault({ path: '/composite', fault: 'INVALID_SESSION_ID', times: 1 });
    expect((await send('7100002', 2)).statusCode).toBe(202);
    const [latest] = await waitFor(
      async () => {
        const items = await deliveries('7100002');
        return items[0]?.state === 'pending' ? undefined : items;
      },
      10_000,
      'the second delivery to end',
    );
    expect(latest).toMatchObject({ state: 'delivered', attempts: 1, lastError: null });
    const calls = sim.requests.map((r) => `${r.path.split('?')[0]} ${r.status}`);
    expect(calls.filter((c) => c.startsWith('/services/oauth2/token'))).toEqual([
      '/services/oauth2/token 200',
    ]);
    expect(events('7100002')).toEqual(['7100002#1', '7100002#2']);
  });

  test('an org without the package: the failure names the missing object, later changes are not held back, and after installing, a re-queue delivers them in order', async () => {
    await createPortal('7100003');
    sim.org.schema.dropObject(STATUS_OBJECT.name);
    try {
      for (const n of [1, 2]) expect((await send('7100003', n)).statusCode).toBe(202);
      const failed = await waitFor(
        async () => {
          const items = await deliveries('7100003');
          return items.length === 2 && items.every((d) => d.state === 'failed') ? items : undefined;
        },
        10_000,
        'both deliveries given up',
      );
      for (const delivery of failed) {
        expect(delivery.attempts).toBe(1);
        expect(delivery.lastError).toMatch(/^NOT_FOUND \(404\): /);
        expect(delivery.lastError).toContain(`${STATUS_OBJECT.name} is not in the org`);
        expect(delivery.lastError).toContain('Sync Doctor package');
      }
    } finally {
      sim.useFixture('read-only-contacts');
    }
    const retry = await app.inject({
      method: 'POST',
      url: '/v1/admin/portals/7100003/deliveries/retry',
      headers: admin,
    });
    expect(retry.json()).toEqual({ requeued: 2 });
    await waitFor(() => events('7100003').length === 2, 10_000, 'redelivery');
    expect(events('7100003')).toEqual(['7100003#1', '7100003#2']);
  });

  test('a My Domain change: the old instance URL redirects (301), so the relay logs in again and delivers at the new one, in the same attempt', async () => {
    // The org's API first at `old` (a proxy in front of the simulator), then moved: `old` answers
    // every request with a redirect to the simulator, as Salesforce does for a previous My Domain,
    // and new log-ins are told the new instance_url.
    let moved = false;
    const old = createServer((req, res) => {
      if (moved) {
        res.writeHead(301, { location: `${sim.url}${req.url}` }).end();
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter(
            (e): e is [string, string] => typeof e[1] === 'string' && e[0] !== 'host',
          ),
        );
        const body = chunks.length ? Buffer.concat(chunks) : undefined;
        void fetch(`${sim.url}${req.url}`, { method: req.method, headers, body }).then(
          async (answer) => {
            res.writeHead(answer.status, {
              'content-type': answer.headers.get('content-type') ?? 'application/json',
            });
            res.end(Buffer.from(await answer.arrayBuffer()));
          },
          () => res.writeHead(502).end(),
        );
      });
    });
    await new Promise<void>((resolve) => old.listen(0, '127.0.0.1', resolve));
    const oldUrl = `http://127.0.0.1:${(old.address() as AddressInfo).port}`;
    sim.setInstanceUrl(oldUrl);
    try {
      await createPortal('7100004');
      expect((await send('7100004', 1)).statusCode).toBe(202);
      await waitFor(
        async () => (await deliveries('7100004'))[0]?.state === 'delivered',
        10_000,
        'delivery through the old instance URL',
      );
      moved = true;
      sim.setInstanceUrl(null);
      sim.resetRequests();
      expect((await send('7100004', 2)).statusCode).toBe(202);
      const [latest] = await waitFor(
        async () => {
          const items = await deliveries('7100004');
          return items[0]?.state === 'pending' ? undefined : items;
        },
        10_000,
        'the delivery after the move to end',
      );
      expect(latest).toMatchObject({ state: 'delivered', attempts: 1, lastError: null });
      expect(events('7100004')).toEqual(['7100004#1', '7100004#2']);
    } finally {
      sim.setInstanceUrl(null);
      await new Promise<void>((resolve) => old.close(() => resolve()));
    }
  });

  test('an expired session does not show the org unreachable in /health: the ping renews it like a delivery does', async () => {
    await createPortal('7100005');
    expect((await send('7100005', 1)).statusCode).toBe(202);
    await waitFor(
      async () => (await deliveries('7100005'))[0]?.state === 'delivered',
      10_000,
      'the delivery',
    );
    // The ping's GET /limits finds the session expired (401 INVALID_SESSION_ID) once.
    sim.injectFault({ path: '/limits', fault: 'INVALID_SESSION_ID', times: 1 });
    // (Every portal's org is pinged at once; whichever ping meets the 401 must renew.)
    const health = await app.inject({ method: 'GET', url: '/health', headers: admin });
    const orgs = health.json().salesforce as Record<string, string>;
    expect(orgs['7100005']).toBe('ok');
    expect(Object.values(orgs).filter((state) => state !== 'ok')).toEqual([]);
    // The landed-already check (a query) renews it too: a retried delivery is not sent twice.
    sim.injectFault({ path: '/query', fault: 'INVALID_SESSION_ID', times: 1 });
    const status = (await app.store.getStatus('7100005'))!;
    const target = app.portals.deliveryTarget((await app.store.getPortal('7100005'))!)!;
    await expect(app.publisher.isDelivered!(target, status)).resolves.toBe(true);
  });

  test('a grant Salesforce refuses fails at once and says what to fix, in the delivery and in /health', async () => {
    // Salesforce's words for a user that is not pre-authorized (or a username, consumer key and
    // certificate that do not belong together) are "user hasn't approved this consumer".
    await createPortal('7100006', 'nobody@acme.example');
    expect((await send('7100006', 1)).statusCode).toBe(202);
    const [failed] = await waitFor(
      async () => {
        const items = await deliveries('7100006');
        return items[0]?.state === 'failed' ? items : undefined;
      },
      10_000,
      'the delivery given up',
    );
    expect(failed!.attempts).toBe(1);
    expect(failed!.lastError).toContain("user hasn't approved this consumer");
    expect(failed!.lastError).toMatch(/pre-authorized/);
    const health = await app.inject({ method: 'GET', url: '/health', headers: admin });
    expect(health.json().salesforce['7100006']).toMatch(
      /^unreachable: .*user hasn't approved this consumer.*pre-authorized/,
    );
  });

  test('an access-token connection whose token expired fails at once, saying so: nothing can renew it', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/admin/portals',
      headers: admin,
      payload: {
        id: '7100007',
        salesforce: { kind: 'token', instanceUrl: sim.url, accessToken: sim.accessToken },
      },
    });
    expect(response.statusCode).toBe(201);
    secrets['7100007'] = response.json().signingSecret;
    sim.expireSession(sim.accessToken);
    expect((await send('7100007', 1)).statusCode).toBe(202);
    const [failed] = await waitFor(
      async () => {
        const items = await deliveries('7100007');
        return items[0]?.state === 'pending' ? undefined : items;
      },
      10_000,
      'the delivery to end',
    );
    expect(failed).toMatchObject({ state: 'failed', attempts: 1 });
    expect(failed!.lastError).toMatch(/^INVALID_SESSION_ID \(401\): /);
    expect(failed!.lastError).toMatch(/cannot be renewed.*JWT/);
  });
});
