import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { verifyBodySignature } from '@sync-doctor/hubspot-signals';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import type { RelayConfig } from '../src/config.js';
import { admin, POSTGRES_URL, postgresSchema, tempDir, testConfig, waitFor } from './helpers.js';
import { createConnectedPortal, jwtApp, jwtConnection } from './orgDelivery.js';
import { signalsConfig } from './signalsHelpers.js';

// The access watch against the org simulator: the relay reads each portal's org over the portal's
// JWT connection (the publisher's session), judges HubSpot's integration user with the core, and
// alerts a signed webhook on a local HTTP server through the alert outbox.

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

async function receiver() {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200);
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
  return { url, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const jwt = jwtApp('3MVG9access.watch.consumer.key');
const SECRET = 'whsec-access-watch-0123456789';
const HOUR = 3_600_000;

describe('access watch', () => {
  let sim: OrgSimulator;
  let hook: Awaited<ReturnType<typeof receiver>>;

  beforeAll(async () => {
    sim = await startOrgSimulator({
      fixture: 'healthy',
      jwtPublicKey: jwt.publicKey,
      clientId: jwt.clientId,
    });
    hook = await receiver();
  });
  afterAll(async () => {
    await hook.close();
    await sim.close();
  });
  beforeEach(() => {
    sim.useFixture('healthy');
    hook.received.length = 0;
  });

  const relayConfig = (
    dataDir: string,
    secretKey: Buffer,
    watch: { enabled?: boolean; intervalMs?: number } = {},
    overrides: Partial<RelayConfig> = {},
  ) =>
    testConfig(dataDir, {
      secretKey,
      signals: signalsConfig({
        accessWatch: { enabled: true, intervalMs: HOUR, ...watch },
        alerts: { pollIntervalMs: 20 },
      }),
      ...overrides,
    });

  const start = async (config: RelayConfig): Promise<FastifyInstance> => {
    const app = await buildApp(config);
    await app.ready();
    return app;
  };

  const addWebhook = async (app: FastifyInstance, portalId: string) => {
    const response = await app.inject({
      method: 'POST',
      url: `/v1/admin/portals/${portalId}/alert-targets`,
      headers: admin,
      payload: { kind: 'webhook', id: 'ops', url: hook.url, secret: SECRET },
    });
    expect(response.statusCode).toBe(201);
  };
  const access = async (app: FastifyInstance, portalId: string) => {
    const response = await app.inject({
      method: 'GET',
      url: `/v1/portals/${portalId}/access`,
      headers: admin,
    });
    expect(response.statusCode).toBe(200);
    return response.json();
  };
  /** Every alert the outbox holds for the portal has been sent (or there is none). */
  const alertsSettled = async (app: FastifyInstance, portalId: string) => {
    await app.alerts!.runOnce();
    const page = await app.inject({
      method: 'GET',
      url: `/v1/portals/${portalId}/alerts`,
      headers: admin,
    });
    return (page.json().items as { status: string }[]).every((a) => a.status === 'sent');
  };
  const bodies = () => hook.received.map((r) => JSON.parse(r.body) as Record<string, unknown>);

  it('alerts once when the access gets worse, never again for the same findings (also after a restart), and once when restored', async () => {
    const dir = tempDir();
    const secretKey = randomBytes(32);
    let app = await start(relayConfig(dir.path, secretKey));
    try {
      await createConnectedPortal(app, '8100', jwtConnection(jwt, sim));
      await addWebhook(app, '8100');
      expect(await access(app, '8100')).toMatchObject({ watching: true, status: 'pending' });

      // Healthy: nothing to say.
      const healthy = await app.accessWatch!.checkNow('8100');
      expect(healthy).toMatchObject({ verdict: 'healthy', error: null, findings: [] });
      // One composite to find the user, three to read it.
      expect(healthy!.requests).toBe(4);
      expect(await access(app, '8100')).toMatchObject({
        status: 'healthy',
        verdict: 'healthy',
        integrationUser: { username: sim.integrationUser.Username, id: sim.integrationUser.Id },
        findings: [],
        error: null,
      });
      await waitFor(() => alertsSettled(app, '8100'), 10_000, 'alerts settled');
      expect(hook.received).toHaveLength(0);

      // Someone takes Edit on Contact away from the HubSpot permission set.
      sim.useFixture('read-only-contacts');
      const worse = await app.accessWatch!.checkNow('8100');
      expect(worse!.verdict).toBe('blocked');
      await waitFor(() => hook.received.length === 1, 10_000, 'the access alert');
      const delivered = hook.received[0]!;
      expect(
        verifyBodySignature({
          secret: SECRET,
          timestamp: delivered.headers['x-sync-doctor-timestamp'] as string,
          signature: delivered.headers['x-sync-doctor-signature'] as string,
          rawBody: delivered.body,
        }),
      ).toBe(true);
      const alert = bodies()[0]!;
      expect(alert).toMatchObject({
        type: 'sync-doctor.access.worse',
        portalId: '8100',
        integrationUser: { username: sim.integrationUser.Username },
      });
      expect(String(alert.headline)).toContain('cannot Create and Edit Contact records');
      expect(alert.findings).toEqual([
        expect.objectContaining({
          severity: 'error',
          subject: 'Contact',
          rule: 'object-permissions',
          reason: 'OBJECT_PERMISSIONS_MISSING',
          new: true,
          remedy: expect.stringContaining('Edit on Contact'),
        }),
      ]);
      expect((alert.remedy as string[]).length).toBeGreaterThan(0);
      expect(await access(app, '8100')).toMatchObject({
        status: 'blocked',
        verdict: 'blocked',
        findings: [
          expect.objectContaining({
            severity: 'error',
            subject: 'Contact',
            rule: 'object-permissions',
            message: expect.stringContaining('cannot Create and Edit Contact'),
            remedy: expect.any(String),
          }),
        ],
      });

      // The same findings again: no second alert.
      await app.accessWatch!.checkNow('8100');
      await waitFor(() => alertsSettled(app, '8100'), 10_000, 'alerts settled');
      expect(hook.received).toHaveLength(1);

      // A restart keeps the check (stored) and what was alerted (the alert outbox holds it).
      const before = await access(app, '8100');
      await app.close();
      app = await start(relayConfig(dir.path, secretKey));
      expect(await access(app, '8100')).toMatchObject({
        status: 'blocked',
        checkedAt: before.checkedAt,
        findings: before.findings,
      });
      expect((await app.accessWatch!.checkNow('8100'))!.verdict).toBe('blocked');
      await waitFor(() => alertsSettled(app, '8100'), 10_000, 'alerts settled');
      expect(hook.received).toHaveLength(1);

      // Fixed: one "restored" alert, and only one.
      sim.useFixture('healthy');
      await app.accessWatch!.checkNow('8100');
      await waitFor(() => hook.received.length === 2, 10_000, 'the restored alert');
      expect(bodies()[1]).toMatchObject({
        type: 'sync-doctor.access.restored',
        portalId: '8100',
        findings: [],
      });
      expect(await access(app, '8100')).toMatchObject({ status: 'healthy', findings: [] });
      await app.accessWatch!.checkNow('8100');
      await waitFor(() => alertsSettled(app, '8100'), 10_000, 'alerts settled');
      expect(hook.received).toHaveLength(2);

      // Broken again after the restore: a new episode, alerted again.
      sim.useFixture('read-only-contacts');
      await app.accessWatch!.checkNow('8100');
      await waitFor(() => hook.received.length === 3, 10_000, 'the second worse alert');
      expect(bodies()[2]).toMatchObject({ type: 'sync-doctor.access.worse' });
    } finally {
      await app.close();
      dir.remove();
    }
  });

  it('a relay user that may not read permissions makes a check that cannot conclude, shown in GET access and /health', async () => {
    const dir = tempDir();
    const app = await start(relayConfig(dir.path, randomBytes(32)));
    try {
      // Sam Sales (Standard User) is API enabled but lacks "View Setup and Configuration".
      await createConnectedPortal(app, '8200', jwtConnection(jwt, sim, 'sam.sales@acme.example'));
      await addWebhook(app, '8200');
      const check = await app.accessWatch!.checkNow('8200');
      expect(check!.error).toMatch(
        /the relay's Salesforce user sam\.sales@acme\.example may not read permissions.*"View Setup and Configuration".*INVALID_TYPE/,
      );
      const body = await access(app, '8200');
      expect(body).toMatchObject({
        status: 'failing',
        verdict: null,
        error: check!.error,
        failingSince: check!.checkedAt,
      });
      // A second failure keeps the first one's date.
      await app.accessWatch!.checkNow('8200');
      expect((await access(app, '8200')).failingSince).toBe(check!.checkedAt);

      const health = await app.inject({ method: 'GET', url: '/health', headers: admin });
      expect(health.json().signals).toMatchObject({
        accessWatch: { running: true, failing: 1 },
        failing: { '8200': `access: ${check!.error}` },
      });
      // Without the admin token: counts only.
      const anonymous = (await app.inject({ method: 'GET', url: '/health' })).json();
      expect(anonymous.signals).toEqual({
        accessWatch: { running: true, failing: 1, partial: 0, unreadSections: {} },
      });
      // And for Prometheus (deploy/prometheus: AccessWatchFailing).
      const metrics = await app.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.body).toMatch(/^relay_access_checks_failing 1$/m);
      // No alert for a check that could not conclude.
      await waitFor(() => alertsSettled(app, '8200'), 10_000, 'alerts settled');
      expect(hook.received).toHaveLength(0);
    } finally {
      await app.close();
      dir.remove();
    }
  });

  it('a tie between candidates is a check that cannot conclude, naming them', async () => {
    const dir = tempDir();
    const app = await start(relayConfig(dir.path, randomBytes(32)));
    try {
      await createConnectedPortal(app, '8250', jwtConnection(jwt, sim));
      // Without the permission set, two active users hold HubSpot OAuth tokens: a tie.
      sim.useFixture('missing-permission-set');
      const check = await app.accessWatch!.checkNow('8250');
      expect(check!.error).toMatch(
        /^2 users are equally likely to be HubSpot's integration user: .*hubspot\.integration@acme\.example \(HubSpot Integration; HubSpot OAuth token\).*sam\.sales@acme\.example .*Set integrationUser/,
      );
      expect(await access(app, '8250')).toMatchObject({ status: 'failing', error: check!.error });
    } finally {
      await app.close();
      dir.remove();
    }
  });

  it('checks the configured integration user (username or User Id), validated by the admin API', async () => {
    const dir = tempDir();
    const app = await start(relayConfig(dir.path, randomBytes(32)));
    try {
      await createConnectedPortal(app, '8300', {
        ...jwtConnection(jwt, sim),
        integrationUser: sim.integrationUser.Id,
      });
      const view = await app.inject({
        method: 'GET',
        url: '/v1/admin/portals/8300',
        headers: admin,
      });
      expect(view.json().salesforce.integrationUser).toBe(sim.integrationUser.Id);
      const check = await app.accessWatch!.checkNow('8300');
      // No search for candidates: the snapshot's 3 requests only.
      expect(check).toMatchObject({
        verdict: 'healthy',
        requests: 3,
        integrationUser: { id: sim.integrationUser.Id },
      });

      // A user that does not exist is a check that cannot conclude, not a crash.
      const put = await app.inject({
        method: 'PUT',
        url: '/v1/admin/portals/8300/salesforce',
        headers: admin,
        payload: { ...jwtConnection(jwt, sim), integrationUser: 'nobody@acme.example' },
      });
      expect(put.statusCode).toBe(200);
      const missing = await app.accessWatch!.checkNow('8300');
      expect(missing!.error).toMatch(/could not read the org/);

      for (const bad of ['not a user', 'x'.repeat(81), '006000000000000AAA', '']) {
        const refused = await app.inject({
          method: 'PUT',
          url: '/v1/admin/portals/8300/salesforce',
          headers: admin,
          payload: { ...jwtConnection(jwt, sim), integrationUser: bad },
        });
        expect(refused.statusCode).toBe(400);
      }
    } finally {
      await app.close();
      dir.remove();
    }
  });

  it("checks a portal deleted and created again under the same id (deletion not heard here) in the new portal's org", async () => {
    // Same id, same connection version (1): only when the portal was created tells them apart.
    const other = await startOrgSimulator({
      fixture: 'healthy',
      jwtPublicKey: jwt.publicKey,
      clientId: jwt.clientId,
    });
    const dir = tempDir();
    const app = await start(relayConfig(dir.path, randomBytes(32)));
    try {
      await createConnectedPortal(app, '8450', jwtConnection(jwt, sim));
      expect(await app.accessWatch!.checkNow('8450')).toMatchObject({ verdict: 'healthy' });

      // Another instance deletes it while this one hears nothing (LISTEN down, the portal held by
      // no stream), then it is created again, pointing at another org.
      expect(await app.store.deletePortal('8450')).toBe(true);
      await createConnectedPortal(app, '8450', jwtConnection(jwt, other));
      sim.resetRequests();
      other.resetRequests();

      const check = await app.accessWatch!.checkNow('8450');
      expect(check).toMatchObject({ verdict: 'healthy', error: null });
      // Before: the deleted portal's target and session, so the deleted portal's org.
      expect(sim.requests).toEqual([]);
      expect(other.requests.length).toBeGreaterThan(0);
      expect(await access(app, '8450')).toMatchObject({
        status: 'healthy',
        integrationUser: { username: other.integrationUser.Username },
      });
    } finally {
      await app.close();
      dir.remove();
      await other.close();
    }
  });

  it('runs on its timer and stops on close', async () => {
    const dir = tempDir();
    const app = await start(relayConfig(dir.path, randomBytes(32), { intervalMs: 200 }));
    try {
      await createConnectedPortal(app, '8400', jwtConnection(jwt, sim));
      await app.accessWatch!.checkNow('8400');
      // As an operator sees it: GET /v1/portals/:id/access, read from the store.
      const first = (await access(app, '8400')).checkedAt;
      expect(first).toEqual(expect.any(String));
      await waitFor(
        async () => (await access(app, '8400')).checkedAt !== first,
        15_000,
        'a check by the timer',
      );
      await waitFor(
        async () => (await access(app, '8400')).nextCheckAt,
        5_000,
        'the next check time stored',
      );
    } finally {
      await app.close();
      dir.remove();
    }
    expect(app.accessWatch!.running).toBe(false);
  });

  it('is off with RELAY_ACCESS_WATCH=off and on a non-leading instance', async () => {
    const dir = tempDir();
    const off = await start(relayConfig(dir.path, randomBytes(32), { enabled: false }));
    try {
      await createConnectedPortal(off, '8500', jwtConnection(jwt, sim));
      expect(off.accessWatch).toBeUndefined();
      expect(await access(off, '8500')).toMatchObject({
        watching: false,
        configured: true,
        status: 'off',
      });
    } finally {
      await off.close();
      dir.remove();
    }
  });

  it('answers for a portal without a connection, refuses strangers, and is in the OpenAPI document', async () => {
    const dir = tempDir();
    const app = await start(relayConfig(dir.path, randomBytes(32)));
    try {
      const created = await app.inject({
        method: 'POST',
        url: '/v1/admin/portals',
        headers: admin,
        payload: { id: '8700' },
      });
      expect(created.statusCode).toBe(201);
      expect(await app.accessWatch!.checkNow('8700')).toBeNull();
      expect(await access(app, '8700')).toMatchObject({
        watching: true,
        configured: false,
        status: 'off',
        checkedAt: null,
      });
      const anonymous = await app.inject({ method: 'GET', url: '/v1/portals/8700/access' });
      expect(anonymous.statusCode).toBe(401);
      const unknown = await app.inject({
        method: 'GET',
        url: '/v1/portals/nope/access',
        headers: admin,
      });
      expect(unknown.statusCode).toBe(404);
      const docs = await app.inject({ method: 'GET', url: '/docs/json' });
      expect(Object.keys(docs.json().paths)).toContain('/v1/portals/{portalId}/access');
    } finally {
      await app.close();
      dir.remove();
    }
  });

  it('runs on one instance only when several share PostgreSQL (advisory lock)', async () => {
    const { schema, drop } = await postgresSchema();
    const secretKey = randomBytes(32);
    const apps: FastifyInstance[] = [];
    try {
      for (let i = 0; i < 2; i++)
        apps.push(
          await start(
            relayConfig(
              tempDir().path,
              secretKey,
              {},
              {
                databaseUrl: POSTGRES_URL,
                databaseSchema: schema,
              },
            ),
          ),
        );
      expect(apps.map((a) => a.accessWatch!.running).sort()).toEqual([false, true]);
      const leader = apps.find((a) => a.accessWatch!.running)!;
      const follower = apps.find((a) => !a.accessWatch!.running)!;
      await createConnectedPortal(leader, '8600', jwtConnection(jwt, sim));
      sim.resetRequests();
      expect(await follower.accessWatch!.checkNow('8600')).toBeNull();
      expect(sim.requests).toHaveLength(0);
      // The watch is on for the deployment: pending on both until the leader has checked.
      expect(await access(follower, '8600')).toMatchObject({
        watching: true,
        running: false,
        status: 'pending',
      });
      const check = (await leader.accessWatch!.checkNow('8600'))!;
      expect(check.verdict).toBe('healthy');
      // Behind a load balancer either instance answers, the same: the leader's stored check.
      const fromLeader = await access(leader, '8600');
      const fromFollower = await access(follower, '8600');
      expect(fromLeader).toMatchObject({
        watching: true,
        running: true,
        status: 'healthy',
        checkedAt: check.checkedAt,
        checkedBy: leader.config.instanceId,
        requirements: { source: 'default', updatedAt: null },
      });
      expect(fromFollower).toEqual({ ...fromLeader, running: false });

      // A check that cannot conclude is in every instance's /health and metric.
      const put = await follower.inject({
        method: 'PUT',
        url: '/v1/admin/portals/8600/salesforce',
        headers: admin,
        payload: jwtConnection(jwt, sim, 'sam.sales@acme.example'),
      });
      expect(put.statusCode).toBe(200);
      await waitFor(
        async () => (await leader.accessWatch!.checkNow('8600'))?.error,
        10_000,
        'the leader checking with the new connection',
      );
      for (const app of apps) {
        const health = await app.inject({ method: 'GET', url: '/health', headers: admin });
        expect(health.json().signals).toMatchObject({
          accessWatch: { running: app === leader, failing: 1 },
          failing: { '8600': expect.stringMatching(/^access: .*may not read permissions/) },
        });
        const metrics = await app.inject({ method: 'GET', url: '/metrics' });
        expect(metrics.body).toMatch(/^relay_access_checks_failing 1$/m);
        expect(await access(app, '8600')).toMatchObject({ status: 'failing' });
      }
    } finally {
      for (const a of apps) await a.close();
      await drop();
    }
  });
});
