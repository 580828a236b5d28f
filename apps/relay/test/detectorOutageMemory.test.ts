import { randomBytes } from 'node:crypto';
import { startHubSpotSimulator, type HubSpotSimulator } from '@sync-doctor/hubspot-simulator';
import type { RelayConfig } from '../src/config.js';
import { admin, createPortal, POSTGRES_URL, postgresSchema, tempDir } from './helpers.js';
import { signalsConfig, startSignalsRelay, type SignalsRelay } from './signalsHelpers.js';

// After HubSpot itself failed a check (5xx, no answer), the detector calls no stall for
// RELAY_DETECTOR_OUTAGE_CATCH_UP_MS (1 h) while the connector works off its backlog. That time
// was kept in the leading instance's memory only: after a restart, or with a new leader, the
// first check once HubSpot was back called the backlog a stall (a suspicion and an alert for
// every portal). It is kept in the store now, on both stores.

const PORTAL = '4790';

const stores: [
  string,
  () => Promise<{ overrides: Partial<RelayConfig>; cleanup: () => Promise<void> }>,
][] = [
  [
    'sqlite',
    async () => {
      // One data directory, opened by one relay after the other.
      const dir = tempDir();
      return { overrides: { dataDir: dir.path }, cleanup: async () => dir.remove() };
    },
  ],
  [
    'postgres',
    async () => {
      const { schema, drop } = await postgresSchema();
      return {
        overrides: { databaseUrl: POSTGRES_URL, databaseSchema: schema },
        cleanup: drop,
      };
    },
  ],
];

describe.each(stores)('the detector after a change of leader on %s', (_kind, setup) => {
  let sim: HubSpotSimulator;
  let overrides: Partial<RelayConfig>;
  let cleanup: () => Promise<void>;
  let dataDir: string | undefined;
  let relay: SignalsRelay | null = null;
  const secretKey = randomBytes(32);

  beforeAll(async () => {
    sim = await startHubSpotSimulator({
      scenario: 'stalled',
      portalId: PORTAL,
      searchRequestsPerSecond: 1000,
    });
    ({ overrides, cleanup } = await setup());
    dataDir = overrides.dataDir;
  });
  afterAll(async () => {
    await relay?.close();
    await sim.close();
    await cleanup();
  });

  /** A relay on the suite's store; the first check on its own timer would be up to an hour away. */
  const leader = async (outageCatchUpMs?: number) => {
    relay = await startSignalsRelay({
      ...(dataDir ? { dataDir } : {}),
      secretKey,
      overrides,
      signals: signalsConfig({
        detector: {
          enabled: true,
          baseUrl: sim.url,
          intervalMs: 3_600_000,
          requestSpacingMs: 0,
          retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxRetryAfterMs: 30_000 },
          ...(outageCatchUpMs !== undefined ? { thresholds: { outageCatchUpMs } } : {}),
        },
        alerts: { enabled: false },
      }),
    });
    expect(relay.app.hubspotDetector!.running).toBe(true);
    return relay;
  };
  const stop = async () => {
    await relay?.close();
    relay = null;
  };
  const check = async (r: SignalsRelay) => {
    const response = await r.app.inject({
      method: 'POST',
      url: `/v1/admin/portals/${PORTAL}/hubspot/check`,
      headers: admin,
    });
    expect(response.statusCode).toBe(200);
    return response.json();
  };

  test('a leader sees HubSpot fail and stops; the next one, started later, still gives the connector its catch-up time, and no longer once it is over', async () => {
    const first = await leader();
    await createPortal(first.app, PORTAL);
    // HubSpot is down: every search answers 503 (the connector cannot sync meanwhile either).
    sim.injectFault({ status: 503, times: 1_000 });
    const put = await first.app.inject({
      method: 'PUT',
      url: `/v1/admin/portals/${PORTAL}/hubspot`,
      headers: admin,
      payload: { token: sim.accessToken },
    });
    expect(put.statusCode).toBe(200);
    const down = await check(first);
    expect(down).toMatchObject({ verdict: 'inconclusive', transition: null });
    expect(down.error).toMatch(/503|INTERNAL_ERROR|internal error/i);
    await stop();

    // HubSpot is back; nothing synced for hours (the outage), so records look stuck. A new
    // leader, started later, checks: the connector is still catching up, no stall is called.
    sim.clearFaults();
    const second = await leader();
    const back = await check(second);
    expect(back).toMatchObject({ verdict: 'inconclusive', transition: null, state: 'clear' });
    expect(back.warnings).toEqual([
      expect.stringContaining(`HubSpot failed a check at ${down.at} (5xx or no answer)`),
    ]);
    // Nothing recorded: the portal never had a signal.
    expect(back.status).toBeNull();
    await stop();

    // The stored failure counts for the catch-up time only: past it (here 1 ms), the same
    // evidence is a stall.
    const third = await leader(1);
    const after = await check(third);
    expect(after).toMatchObject({ verdict: 'stalled', transition: 'suspected' });
    expect(after.status.state).toBe('suspected');
  });
});
