import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import { buildApp } from '../src/app.js';
import { instanceUrlCheck, SalesforcePublisher } from '../src/publisher/salesforce.js';
import { admin, createPortal, signed, tempDir, testConfig, waitFor } from './helpers.js';
import { jwtApp, jwtConnection } from './orgDelivery.js';

// A JWT login server accepted when the connection was saved answers, with the session, the
// instance_url the relay is to call. Unless RELAY_ALLOW_PRIVATE_TARGETS=true that URL must pass the
// relay's rule for outbound targets (https, public addresses) before the session goes there. The
// org simulator answers its own loopback http URL: here it stands for a login server answering an
// internal instance_url.

describe('the instance_url a Salesforce login answers', () => {
  const keys = jwtApp('3MVG9relay.instance.url');
  let sim: OrgSimulator;
  const jwt = () => jwtConnection(keys, sim);

  beforeAll(async () => {
    sim = await startOrgSimulator({
      fixture: 'healthy',
      jwtPublicKey: keys.publicKey,
      clientId: keys.clientId,
    });
  });
  afterAll(async () => sim.close());
  beforeEach(() => sim.resetRequests());

  it('is refused by default, and the session never goes there', async () => {
    const dir = tempDir();
    // The real publisher (no test publisher), with the production default for private targets.
    const app = await buildApp(testConfig(dir.path, { allowPrivateTargets: false }));
    await app.ready();
    try {
      const { signingSecret } = await createPortal(app, '7300001', null);
      // Stands for a login URL that passed the admin API's check when saved (the simulator can only be on loopback).
      await app.portals.setSalesforce('7300001', jwt());
      const sent = await app.inject({
        method: 'POST',
        url: '/v1/portals/7300001/suspensions',
        ...signed(signingSecret, {
          reason: 'ORG_LOCKED',
          occurredAt: new Date().toISOString(),
          eventId: 'iu-1',
        }),
      });
      expect(sent.statusCode).toBe(202);
      const error = await waitFor(
        async () => {
          const items = (
            await app.inject({
              method: 'GET',
              url: '/v1/portals/7300001/deliveries',
              headers: admin,
            })
          ).json().items as { lastError: string | null }[];
          return items[0]?.lastError ?? undefined;
        },
        10_000,
        'the delivery to fail',
      );
      // Since every socket is checked where it connects (salesforceDestination.test.ts), the login
      // server on loopback is refused before the assertion goes there: nothing reaches the simulator,
      // so its loopback instance_url is never even answered. The instance_url rule itself is below.
      expect(error).toContain(
        'DESTINATION_REFUSED: The JWT bearer token request failed: 127.0.0.1 is not a public address',
      );
      expect(sim.requests).toEqual([]);
    } finally {
      await app.close();
      dir.remove();
    }
  });

  it('goes through with RELAY_ALLOW_PRIVATE_TARGETS=true, as before', async () => {
    const publisher = new SalesforcePublisher(5000, { allowPrivateNetworks: true });
    await expect(
      publisher.ping({
        portalId: '7300002',
        configVersion: 1,
        portalCreatedAt: '2026-11-01T00:00:00.000Z',
        salesforce: jwt(),
      }),
    ).resolves.toBeUndefined();
    expect(sim.requests.some((r) => r.path.endsWith('/limits'))).toBe(true);
  });

  it.each([
    ['plain http', 'http://127.0.0.1:8443', /must use https/],
    ['loopback', 'https://127.0.0.1', /not a public address/],
    ['the metadata service', 'https://169.254.169.254', /not a public address/],
    ['a private address', 'https://10.0.0.7', /not a public address/],
    ['an IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]', /not a public address/],
    ['localhost', 'https://localhost', /not a public address/],
  ])('the rule refuses %s', async (_label, url, message) => {
    await expect(instanceUrlCheck({})(new URL(url), 'instance_url')).rejects.toThrow(message);
  });

  it('the rule passes a public https address, and leaves the URLs an admin set to the save-time check', async () => {
    await expect(
      instanceUrlCheck({})(new URL('https://8.8.8.8'), 'instance_url'),
    ).resolves.toBeUndefined();
    await expect(
      instanceUrlCheck({})(new URL('http://127.0.0.1:1'), 'loginUrl'),
    ).resolves.toBeUndefined();
  });
});
