import { randomBytes } from 'node:crypto';
import { startHubSpotSimulator, type HubSpotSimulator } from '@sync-doctor/hubspot-simulator';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import type { RelayConfig } from '../src/config.js';
import { hubspotStoreOf } from '../src/store/hubspotStore.js';
import {
  admin,
  captureLogs,
  createPortal,
  POSTGRES_URL,
  postgresSchema,
  tempDir,
  testConfig,
  waitFor,
} from './helpers.js';
import { detectorOnly } from './signalsHelpers.js';

// Several instances on PostgreSQL behind a load balancer: one leads the HubSpot-signals detector.
// POST .../hubspot/check answered 503 DETECTOR_OFF ("this instance must lead") on every other
// instance, logged at error level with a stack and counted as a 5xx (RelayHttp5xxHigh): an admin
// got it at random. Another instance now hands the check to the leader (202), and where no
// instance runs the detector the answer is a 409 that says so, logged as the refusal it is.

const PORTAL = '4801';
const secretKey = randomBytes(32);

interface Instance {
  app: FastifyInstance;
  logs: ReturnType<typeof captureLogs>;
  close(): Promise<void>;
}

async function instance(
  overrides: Partial<RelayConfig>,
  detector: { enabled: boolean; baseUrl?: string },
): Promise<Instance> {
  const dir = tempDir();
  const logs = captureLogs({ level: 'info' });
  const app = await buildApp(
    testConfig(dir.path, {
      secretKey,
      ...overrides,
      signals: detectorOnly(detector),
    }),
    { loggerInstance: logs.logger },
  );
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

const check = (app: FastifyInstance, portalId = PORTAL) =>
  app.inject({
    method: 'POST',
    url: `/v1/admin/portals/${portalId}/hubspot/check`,
    headers: admin,
  });

/** The portal, with a HubSpot token saved, so only the detector's state decides the check's answer. */
async function portalWithToken(app: FastifyInstance): Promise<void> {
  await createPortal(app, PORTAL);
  await app.inject({
    method: 'PUT',
    url: `/v1/admin/portals/${PORTAL}/hubspot`,
    headers: admin,
    payload: { token: 'pat-na1-00000000-0000-0000-0000-000000000000' },
  });
}

/** lastCheck of GET .../hubspot, as this instance answers it. */
const lastCheckOn = async (app: FastifyInstance) =>
  (
    await app.inject({
      method: 'GET',
      url: `/v1/admin/portals/${PORTAL}/hubspot`,
      headers: admin,
    })
  ).json().lastCheck;

/** Nothing this instance logged at error level (50) or above. */
const errorsLogged = (i: Instance) => i.logs.entries().filter((e) => e.level >= 50);

const fiveHundreds = async (app: FastifyInstance): Promise<string[]> =>
  (await app.inject({ method: 'GET', url: '/metrics', headers: admin })).body
    .split('\n')
    .filter((line) => /^relay_http_request_duration_seconds_count\{.*status="5\d\d"/.test(line));

describe('POST .../hubspot/check on an instance that does not lead the detector (PostgreSQL)', () => {
  let sim: HubSpotSimulator;
  let drop: () => Promise<void>;
  let leader: Instance;
  let other: Instance;
  let detectorOff: Instance;

  beforeAll(async () => {
    sim = await startHubSpotSimulator({
      scenario: 'stalled',
      portalId: PORTAL,
      searchRequestsPerSecond: 1000,
    });
    const pg = await postgresSchema();
    drop = pg.drop;
    const overrides = { databaseUrl: POSTGRES_URL, databaseSchema: pg.schema };
    leader = await instance(overrides, { enabled: true, baseUrl: sim.url });
    other = await instance(overrides, { enabled: true, baseUrl: sim.url });
    // RELAY_DETECTOR off on this one: a load balancer sends it the check all the same.
    detectorOff = await instance(overrides, { enabled: false });
  });
  afterAll(async () => {
    await detectorOff?.close();
    await other?.close();
    await leader?.close();
    await sim?.close();
    await drop?.();
  });

  test('is handed to the leading instance, which runs it: 202, the outcome applied, nothing logged as an error', async () => {
    expect(leader.app.hubspotDetector!.running).toBe(true);
    expect(other.app.hubspotDetector!.running).toBe(false);
    await createPortal(leader.app, PORTAL);
    // The token is stored through the other instance: the leader has not read it yet.
    const put = await other.app.inject({
      method: 'PUT',
      url: `/v1/admin/portals/${PORTAL}/hubspot`,
      headers: admin,
      payload: { token: sim.accessToken },
    });
    expect(put.statusCode).toBe(200);
    sim.resetRequests();

    const queued = await check(other.app);
    expect(queued.statusCode).toBe(202);
    expect(queued.json()).toMatchObject({
      portalId: PORTAL,
      queued: true,
      requestId: expect.any(String),
      status: `/v1/portals/${PORTAL}/state`,
      hubspot: `/v1/admin/portals/${PORTAL}/hubspot`,
    });

    // The leader ran the check (HubSpot was asked) and applied it: the state any instance reads.
    const state = await waitFor(
      async () => {
        const answer = await other.app.inject({
          method: 'GET',
          url: `/v1/portals/${PORTAL}/state`,
          headers: admin,
        });
        const body = answer.statusCode === 200 ? answer.json() : null;
        return body?.state === 'suspected' ? body : false;
      },
      15_000,
      'the suspicion the leader raised',
    );
    expect(state.state).toBe('suspected');
    expect(sim.requests.length).toBeGreaterThan(0);
    // Every instance answers the same lastCheck (kept in the store); only the leader knows when
    // the next check is due.
    const shown = await waitFor(
      async () => {
        const last = await lastCheckOn(other.app);
        return last?.verdict === 'stalled' ? last : false;
      },
      15_000,
      'the check the leader ran, as another instance shows it',
    );
    expect(shown).toMatchObject({ verdict: 'stalled', error: null, nextCheckAt: null });
    const { nextCheckAt, ...onLeader } = await lastCheckOn(leader.app);
    expect(typeof nextCheckAt).toBe('string');
    expect(onLeader).toEqual({ ...shown, nextCheckAt: undefined });
    expect(await lastCheckOn(detectorOff.app)).toEqual(shown);
    // The request was recorded while it ran, and removed once its outcome was applied.
    await waitFor(
      async () => (await hubspotStoreOf(other.app.store).pendingHubSpotChecks()).length === 0,
      5_000,
      'the handed-over check to be marked done',
    );

    // An instance with the detector off hands it over too.
    expect(detectorOff.app.hubspotDetector).toBeUndefined();
    expect((await check(detectorOff.app)).statusCode).toBe(202);

    // The leader itself answers with the check's outcome, as before.
    const direct = await check(leader.app);
    expect(direct.statusCode).toBe(200);
    expect(direct.json()).toMatchObject({ verdict: 'stalled' });

    for (const i of [leader, other, detectorOff]) {
      expect(errorsLogged(i)).toEqual([]);
      expect(await fiveHundreds(i.app)).toEqual([]);
    }
  });

  test('a token removed through another instance is dropped by the leader at once, not at its next read', async () => {
    expect(await lastCheckOn(other.app)).not.toBeNull();
    expect(leader.app.hubspotDetector!.nextCheckAt(PORTAL)).not.toBeNull();
    const removed = await other.app.inject({
      method: 'DELETE',
      url: `/v1/admin/portals/${PORTAL}/hubspot`,
      headers: admin,
    });
    expect(removed.statusCode).toBe(204);
    // The leader's timer reads the tokens again only every interval (an hour here).
    expect(await hubspotStoreOf(leader.app.store).getHubSpotCheck(PORTAL)).toBeNull();
    await waitFor(
      async () =>
        leader.app.hubspotDetector!.nextCheckAt(PORTAL) === null &&
        !(await leader.app.hubspotDetector!.failing()).has(PORTAL),
      5_000,
      'the leader to forget the removed token',
    );
  });
});

describe('POST .../hubspot/check where no instance runs the detector', () => {
  test('SQLite, RELAY_DETECTOR off: 409 DETECTOR_OFF that says so, not logged as an error', async () => {
    const relay = await instance({}, { enabled: false });
    try {
      await portalWithToken(relay.app);
      const answer = await check(relay.app);
      expect(answer.statusCode).toBe(409);
      expect(answer.json()).toMatchObject({
        code: 'DETECTOR_OFF',
        error: expect.stringMatching(/RELAY_DETECTOR=on/),
      });
      expect(errorsLogged(relay)).toEqual([]);
      expect(await fiveHundreds(relay.app)).toEqual([]);
    } finally {
      await relay.close();
    }
  });

  test('PostgreSQL, no instance leads it: 409 DETECTOR_OFF once no instance took the check', async () => {
    const { schema, drop } = await postgresSchema();
    const relay = await instance(
      { databaseUrl: POSTGRES_URL, databaseSchema: schema },
      { enabled: false },
    );
    try {
      await portalWithToken(relay.app);
      const answer = await check(relay.app);
      expect(answer.statusCode).toBe(409);
      expect(answer.json()).toMatchObject({
        code: 'DETECTOR_OFF',
        error: expect.stringMatching(/no instance/),
      });
      expect(errorsLogged(relay)).toEqual([]);
    } finally {
      await relay.close();
      await drop();
    }
  });
});
