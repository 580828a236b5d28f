import { STATUS_OBJECT } from '@sync-doctor/core';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { describeFailure } from '../src/domain/retry.js';
import { SalesforcePublisher } from '../src/publisher/salesforce.js';
import { admin, createPortal, signed, tempDir, testConfig, waitFor } from './helpers.js';
import { jwtApp, jwtConnection } from './orgDelivery.js';

// Every socket the relay opens to Salesforce resolves through its rule for outbound targets
// (destination.ts), so a login or instance URL that passed the check when it was saved (a public
// name then) and resolves to loopback, a private network or the metadata service now (DNS
// rebinding, a changed record) gets nothing: not the JWT assertion, not the session. Here the org
// simulator listens on `localhost`, a name that resolves to loopback, standing for such a name;
// the connections are stored directly, as a save that passed the admin API's check.

describe('Salesforce connections are checked where the socket connects', () => {
  const keys = jwtApp('3MVG9relay.destination');
  let sim: OrgSimulator;
  const jwt = () => jwtConnection(keys, sim);
  const token = () => ({
    kind: 'token' as const,
    instanceUrl: sim.url,
    accessToken: sim.accessToken,
  });

  beforeAll(async () => {
    sim = await startOrgSimulator({
      fixture: 'healthy',
      jwtPublicKey: keys.publicKey,
      clientId: keys.clientId,
      host: 'localhost',
    });
    expect(sim.url).toMatch(/^http:\/\/localhost:\d+$/);
  });
  afterAll(async () => sim.close());
  beforeEach(() => sim.resetRequests());

  async function withRelay(
    allowPrivateTargets: boolean,
    run: (app: FastifyInstance) => Promise<void>,
  ): Promise<void> {
    const dir = tempDir();
    // The real publisher (no test publisher).
    const app = await buildApp(testConfig(dir.path, { allowPrivateTargets }));
    await app.ready();
    try {
      await run(app);
    } finally {
      await app.close();
      dir.remove();
    }
  }

  const deliveries = async (app: FastifyInstance, portalId: string) =>
    (
      await app.inject({ method: 'GET', url: `/v1/portals/${portalId}/deliveries`, headers: admin })
    ).json().items as {
      state: string;
      attempts: number;
      nextAttemptAt: string | null;
      lastError: string | null;
    }[];

  async function suspend(
    app: FastifyInstance,
    portalId: string,
    salesforce: ReturnType<typeof jwt> | ReturnType<typeof token>,
  ): Promise<void> {
    const { signingSecret } = await createPortal(app, portalId, null);
    await app.portals.setSalesforce(portalId, salesforce);
    const sent = await app.inject({
      method: 'POST',
      url: `/v1/portals/${portalId}/suspensions`,
      ...signed(signingSecret, {
        reason: 'ORG_LOCKED',
        occurredAt: new Date().toISOString(),
        eventId: `dest-${portalId}`,
      }),
    });
    expect(sent.statusCode).toBe(202);
  }

  it.each([
    [
      'JWT: the token request to the login URL (the signed assertion)',
      '7400001',
      jwt,
      'The JWT bearer token request failed: ',
    ],
    ['a session: the composite call to the instance URL (the bearer token)', '7400002', token, ''],
  ])(
    '%s is refused and never sent; the delivery fails at once, with the reason',
    async (_label, portalId, salesforce, prefix) => {
      await withRelay(false, async (app) => {
        await suspend(app, portalId, salesforce());
        const failed = await waitFor(
          async () => (await deliveries(app, portalId)).find((d) => d.state === 'failed'),
          10_000,
          'the delivery to fail',
        );
        expect(failed.lastError).toMatch(
          new RegExp(
            `^DESTINATION_REFUSED: ${prefix}localhost resolves to (127\\.0\\.0\\.1|::1), which is not a public address .*unless RELAY_ALLOW_PRIVATE_TARGETS=true$`,
          ),
        );
        // Not taken for a passing fault: it is not tried again (the outbox polls every 20 ms, backoff 5-50 ms).
        await new Promise((resolve) => setTimeout(resolve, 400));
        expect(await deliveries(app, portalId)).toEqual([
          expect.objectContaining({ state: 'failed', attempts: 1 }),
        ]);
        expect(sim.requests).toEqual([]);
      });
    },
  );

  it('the readiness ping and the landed-already check go the same way (nothing sent)', async () => {
    const publisher = new SalesforcePublisher(5000, {});
    const target = {
      portalId: '7400003',
      configVersion: 1,
      portalCreatedAt: '2026-11-01T00:00:00.000Z',
      salesforce: token(),
    };
    // Both go through the data layer's sendRest now: the refusal arrives as its typed error.
    await expect(publisher.ping(target)).rejects.toMatchObject({
      errorCode: 'DESTINATION_REFUSED',
    });
    const status = {
      portalId: '7400003',
      state: 'suspended',
      lastSeenAt: null,
      history: [],
    } as never;
    await expect(publisher.isDelivered(target, status)).rejects.toMatchObject({
      errorCode: 'DESTINATION_REFUSED',
    });
    expect(sim.requests).toEqual([]);
  });

  it('with RELAY_ALLOW_PRIVATE_TARGETS=true the same connection delivers, through the same checked path', async () => {
    await withRelay(true, async (app) => {
      await suspend(app, '7400004', jwt());
      await waitFor(
        async () => (await deliveries(app, '7400004')).find((d) => d.state === 'delivered'),
        10_000,
        'the delivery',
      );
      expect(
        sim.records(STATUS_OBJECT.name).some((r) => r[STATUS_OBJECT.fields.portalId] === '7400004'),
      ).toBe(true);
      expect(sim.requests.map((r) => r.path)).toContain('/services/oauth2/token');
    });
  });

  it('a refusal is never retried, whatever its message says', () => {
    const refused = Object.assign(
      new Error('fetch failed: socket hang up (ECONNREFUSED named in a host)'),
      { errorCode: 'DESTINATION_REFUSED' },
    );
    expect(describeFailure(refused)).toMatchObject({
      code: 'DESTINATION_REFUSED',
      retryable: false,
    });
    expect(
      describeFailure(Object.assign(new Error('fetch failed'), { code: 'DESTINATION_REFUSED' })),
    ).toMatchObject({ retryable: false });
    expect(
      describeFailure(
        Object.assign(new Error('instance_url refused'), { errorCode: 'URL_REFUSED' }),
      ),
    ).toMatchObject({ retryable: false });
  });
});
