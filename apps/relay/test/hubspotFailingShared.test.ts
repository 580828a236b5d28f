import { startHubSpotSimulator, type HubSpotSimulator } from '@sync-doctor/hubspot-simulator';
import type { FastifyInstance } from 'fastify';
import { admin, createPortal, POSTGRES_URL, postgresSchema, tempDir } from './helpers.js';
import { detectorInstances } from './signalsHelpers.js';

// /health's list of portals whose stalled-sync check fails (signals.detector.failing, and each
// portal's reason under signals.failing for the admin) came from the leading instance's memory:
// behind a balancer the other instances answered 0 and no reason, and a restart or a change of
// leader forgot it until the next check. It is read from the checks kept in the store
// (migration 15) now, as the access checks' are: every instance answers the same.

const REFUSED = 'pat-na1-11111111-2222-3333-4444-555555555555';

const putToken = async (app: FastifyInstance, portalId: string, token: string) =>
  expect(
    (
      await app.inject({
        method: 'PUT',
        url: `/v1/admin/portals/${portalId}/hubspot`,
        headers: admin,
        payload: { token },
      })
    ).statusCode,
  ).toBe(200);

const checkNow = async (app: FastifyInstance, portalId: string) =>
  expect(
    (
      await app.inject({
        method: 'POST',
        url: `/v1/admin/portals/${portalId}/hubspot/check`,
        headers: admin,
      })
    ).statusCode,
  ).toBe(200);

/** What /health says of the detector: the count anyone sees, and the admin's reasons. */
async function detectorHealth(app: FastifyInstance) {
  const open = (await app.inject({ method: 'GET', url: '/health' })).json();
  const byAdmin = (await app.inject({ method: 'GET', url: '/health', headers: admin })).json();
  return { failing: open.signals.detector.failing, reasons: byAdmin.signals.failing };
}

const refusedHealth = (portalId: string) => ({
  failing: 1,
  reasons: { [portalId]: expect.stringMatching(/refused the access token \(401\)/) },
});

describe("/health's failing detector checks on several instances (PostgreSQL)", () => {
  let sim: HubSpotSimulator;
  let schema: string;
  let drop: () => Promise<void>;
  const instances = detectorInstances(() => ({
    databaseUrl: POSTGRES_URL,
    databaseSchema: schema,
  }));
  const start = (instanceId: string) =>
    instances.start(instanceId, { enabled: true, baseUrl: sim.url });

  beforeAll(async () => {
    sim = await startHubSpotSimulator({
      scenario: 'stalled',
      portalId: '4911',
      searchRequestsPerSecond: 1000,
    });
    ({ schema, drop } = await postgresSchema());
  });
  afterAll(async () => {
    await instances.closeAll();
    await sim?.close();
    await drop?.();
  });

  test('every instance lists the same failing portal, also after the leader restarts, until a new token', async () => {
    const leader = await start('relay-a');
    const other = await start('relay-b');
    expect([leader.hubspotDetector!.running, other.hubspotDetector!.running]).toEqual([
      true,
      false,
    ]);
    await createPortal(leader, '4911');
    await putToken(leader, '4911', REFUSED);
    await checkNow(leader, '4911');
    expect(await detectorHealth(leader)).toEqual(refusedHealth('4911'));
    expect(await detectorHealth(other)).toEqual(refusedHealth('4911'));

    // The leader goes and comes back: no check has run since, and both still say so.
    await instances.stop(leader);
    expect(await detectorHealth(other)).toEqual(refusedHealth('4911'));
    const restarted = await start('relay-a2');
    expect(await detectorHealth(restarted)).toEqual(refusedHealth('4911'));

    // A new token (stored through any instance): what the refused one found no longer applies.
    await putToken(restarted, '4911', sim.accessToken);
    for (const app of [other, restarted])
      expect(await detectorHealth(app)).toEqual({ failing: 0, reasons: {} });
  });
});

describe("/health's failing detector checks on one instance (SQLite)", () => {
  test('survive a restart', async () => {
    const dir = tempDir();
    const instances = detectorInstances();
    const detector = { enabled: true, baseUrl: 'http://127.0.0.1:9' };
    try {
      const first = await instances.start('one', detector, dir.path);
      await createPortal(first, '4912');
      await putToken(first, '4912', REFUSED);
      await checkNow(first, '4912');
      const shown = await detectorHealth(first);
      expect(shown).toEqual({ failing: 1, reasons: { '4912': expect.any(String) } });
      await instances.stop(first);
      const second = await instances.start('two', detector, dir.path);
      expect(await detectorHealth(second)).toEqual(shown);
    } finally {
      await instances.closeAll();
      dir.remove();
    }
  });
});
