import { createServer, type Server, type Socket } from 'node:net';
import { startHubSpotSimulator, type HubSpotSimulator } from '@sync-doctor/hubspot-simulator';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { hubspotStoreOf } from '../src/store/hubspotStore.js';
import { admin, createPortal, POSTGRES_URL, postgresSchema, tempDir, waitFor } from './helpers.js';
import { detectorInstances } from './signalsHelpers.js';

// The detector's last check of a portal (GET .../hubspot lastCheck) was kept in the leading
// instance's memory: behind a load balancer every other instance answered null, and a restart or
// a change of leader forgot it. A check another instance handed over and the leader accepted (202)
// was lost if the leader stopped before running it. Both are kept in the store now.

const TOKEN = 'pat-na1-11111111-2222-3333-4444-555555555555';

const hubspotOf = async (app: FastifyInstance, portalId: string) => {
  const answer = await app.inject({
    method: 'GET',
    url: `/v1/admin/portals/${portalId}/hubspot`,
    headers: admin,
  });
  expect(answer.statusCode).toBe(200);
  return answer.json();
};

/**
 * The portal's lastCheck once a newly leading instance has scheduled the portal. The detector reads
 * the portals in the background after it takes the lead (its start does not wait for the store),
 * so for those first milliseconds the last check shows with nextCheckAt null: not scheduled yet.
 */
const scheduledLastCheck = (app: FastifyInstance, portalId: string) =>
  waitFor(
    async () => {
      const { lastCheck } = await hubspotOf(app, portalId);
      return lastCheck?.nextCheckAt ? lastCheck : false;
    },
    5_000,
    `the new leader to schedule portal ${portalId}`,
  );

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

const check = (app: FastifyInstance, portalId: string) =>
  app.inject({
    method: 'POST',
    url: `/v1/admin/portals/${portalId}/hubspot/check`,
    headers: admin,
  });

/** Every column of the portal's stored last check, as text: what a dump of the database shows. */
async function storedRow(schema: string, portalId: string): Promise<string> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    const rows = await client.query(
      `SELECT * FROM "${schema}".portal_hubspot_checks WHERE portal_id = $1`,
      [portalId],
    );
    return JSON.stringify(rows.rows);
  } finally {
    await client.end();
  }
}

describe('the last check on several instances (PostgreSQL)', () => {
  let sim: HubSpotSimulator;
  let schema: string;
  let drop: () => Promise<void>;
  const instances = detectorInstances(() => ({
    databaseUrl: POSTGRES_URL,
    databaseSchema: schema,
  }));
  const start = (instanceId: string, detector: boolean) =>
    instances.start(
      instanceId,
      detector ? { enabled: true, baseUrl: sim.url } : { enabled: false },
    );
  const stop = (app: FastifyInstance) => instances.stop(app);

  beforeAll(async () => {
    sim = await startHubSpotSimulator({
      scenario: 'stalled',
      portalId: '4901',
      searchRequestsPerSecond: 1000,
    });
    ({ schema, drop } = await postgresSchema());
  });
  // Each test starts its own leader: one a failed test left running would keep the lead.
  afterEach(() => instances.closeAll());
  afterAll(async () => {
    await instances.closeAll();
    await sim?.close();
    await drop?.();
  });

  test('both instances answer the same lastCheck after a check, and it survives a restart of the leader', async () => {
    const leader = await start('relay-a', true);
    const other = await start('relay-b', false);
    expect(leader.hubspotDetector!.running).toBe(true);
    await createPortal(leader, '4901');
    await putToken(other, '4901', sim.accessToken);
    expect((await hubspotOf(other, '4901')).lastCheck).toBeNull();

    const ran = await check(leader, '4901');
    expect(ran.statusCode).toBe(200);
    const onLeader = (await hubspotOf(leader, '4901')).lastCheck;
    expect(onLeader).toMatchObject({
      verdict: 'stalled',
      state: 'suspected',
      error: null,
      failingSince: null,
      checkedBy: 'relay-a',
      nextCheckAt: expect.any(String),
    });
    const onOther = await hubspotOf(other, '4901');
    expect(onOther.detectorRunning).toBe(false);
    // The same check; when the next is due only the instance running the detector knows.
    expect(onOther.lastCheck).toEqual({ ...onLeader, nextCheckAt: null });
    // No token in the stored row, sealed or not.
    const row = await storedRow(schema, '4901');
    expect(row).toContain('stalled');
    expect(row).not.toContain(sim.accessToken);
    const { tokenSealed } = (await hubspotStoreOf(leader.store).getHubSpotToken('4901'))!;
    expect(row).not.toContain(tokenSealed);

    // The leader restarts: the check is still what both answer.
    await stop(leader);
    expect((await hubspotOf(other, '4901')).lastCheck).toEqual({ ...onLeader, nextCheckAt: null });
    const restarted = await start('relay-a2', true);
    expect(restarted.hubspotDetector!.running).toBe(true);
    const after = await scheduledLastCheck(restarted, '4901');
    expect(after).toMatchObject({ ...onLeader, nextCheckAt: expect.any(String) });
    await stop(restarted);
    await stop(other);
  });

  test('a check the leader accepted is recorded until its outcome is applied, and one it did not finish is run by the next leader', async () => {
    // A HubSpot that takes the request and never answers: the handed-over check hangs.
    const sockets: Socket[] = [];
    let answering = false;
    const silent: Server = createServer((socket) => {
      if (answering) socket.destroy();
      else sockets.push(socket);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const hanging = await instances.start('relay-h', {
      enabled: true,
      baseUrl: `http://127.0.0.1:${port}`,
    });
    const other = await start('relay-c', false);
    try {
      expect(hanging.hubspotDetector!.running).toBe(true);
      await createPortal(other, '4902');
      await putToken(other, '4902', TOKEN);
      const queued = await check(other, '4902');
      expect(queued.statusCode).toBe(202);
      const { requestId } = queued.json();
      // Accepted means recorded: a leader that stopped now would leave it to the next.
      expect(await hubspotStoreOf(other.store).pendingHubSpotChecks()).toEqual([
        { portalId: '4902', requestId, requestedAt: expect.any(String) },
      ]);
      await waitFor(() => sockets.length > 0, 5_000, 'the check to reach HubSpot');
      // HubSpot drops the connection: the check ends (inconclusive) and is no longer pending.
      answering = true;
      for (const socket of sockets) socket.destroy();
      await waitFor(
        async () => (await hubspotStoreOf(other.store).pendingHubSpotChecks()).length === 0,
        10_000,
        'the handed-over check to be marked done',
      );
      expect((await hubspotOf(other, '4902')).lastCheck).toMatchObject({
        verdict: 'inconclusive',
        error: expect.any(String),
        checkedBy: 'relay-h',
      });
    } finally {
      answering = true;
      for (const socket of sockets) socket.destroy();
      await stop(hanging);
      silent.close();
    }

    // A leader that accepted a check and stopped before running it (a crash) left this behind.
    sim.resetRequests();
    await putToken(other, '4902', sim.accessToken);
    expect(await hubspotStoreOf(other.store).requestHubSpotCheck('4902', 'left-behind')).toBe(true);
    expect((await hubspotOf(other, '4902')).lastCheck).toBeNull();
    const next = await start('relay-d', true);
    expect(next.hubspotDetector!.running).toBe(true);
    await next.hubspotDetector!.takenOver;
    expect(await hubspotStoreOf(other.store).pendingHubSpotChecks()).toEqual([]);
    // Checked with the token now stored (HubSpot answered; it failed minutes ago, so the detector
    // holds a stall back for the connector's catch-up: no verdict asserted).
    expect((await hubspotOf(other, '4902')).lastCheck).toMatchObject({
      error: null,
      checkedBy: 'relay-d',
    });
    expect(sim.requests.length).toBeGreaterThan(0);
    await stop(next);
    await stop(other);
  });
});

describe('the last check on one instance (SQLite)', () => {
  test('survives a restart', async () => {
    const sim = await startHubSpotSimulator({
      scenario: 'stalled',
      portalId: '4903',
      searchRequestsPerSecond: 1000,
    });
    const dir = tempDir();
    const instances = detectorInstances();
    const detector = { enabled: true, baseUrl: sim.url };
    try {
      const first = await instances.start('one', detector, dir.path);
      await createPortal(first, '4903');
      await putToken(first, '4903', sim.accessToken);
      expect((await check(first, '4903')).statusCode).toBe(200);
      const shown = (await hubspotOf(first, '4903')).lastCheck;
      expect(shown).toMatchObject({ verdict: 'stalled', checkedBy: 'one' });
      await instances.stop(first);
      const second = await instances.start('two', detector, dir.path);
      expect(await scheduledLastCheck(second, '4903')).toEqual({
        ...shown,
        nextCheckAt: expect.any(String),
      });
    } finally {
      await instances.closeAll();
      dir.remove();
      await sim.close();
    }
  });
});
