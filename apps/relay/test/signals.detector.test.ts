import { randomBytes } from 'node:crypto';
import { startHubSpotSimulator, type HubSpotSimulator } from '@sync-doctor/hubspot-simulator';
import { applySignal } from '../src/domain/signal.js';
import { hubspotStoreOf } from '../src/store/hubspotStore.js';
import { admin, createPortal, POSTGRES_URL, postgresSchema, signed, waitFor } from './helpers.js';
import { signalsConfig, startSignalsRelay, type SignalsRelay } from './signalsHelpers.js';

// The relay's stalled-sync detector against the HubSpot simulator on loopback: the official
// @hubspot/api-client pointed at it by base path, the token stored through the admin API.

const PORTAL = '4711';
const detectorOn = (baseUrl: string, intervalMs = 600_000) =>
  signalsConfig({
    detector: { enabled: true, baseUrl, intervalMs, requestSpacingMs: 0 },
    alerts: { enabled: false },
  });

describe('stalled-sync detector in the relay', () => {
  let sim: HubSpotSimulator;
  let relay: SignalsRelay;

  beforeAll(async () => {
    sim = await startHubSpotSimulator({
      scenario: 'stalled',
      portalId: PORTAL,
      searchRequestsPerSecond: 1000,
    });
    relay = await startSignalsRelay({ signals: detectorOn(sim.url) });
  });
  afterAll(async () => {
    await relay?.close();
    await sim?.close();
  });

  const state = async () =>
    (
      await relay.app.inject({ method: 'GET', url: `/v1/portals/${PORTAL}/state`, headers: admin })
    ).json();
  const check = () =>
    relay.app.inject({
      method: 'POST',
      url: `/v1/admin/portals/${PORTAL}/hubspot/check`,
      headers: admin,
    });

  it('stores the token sealed and never shows it', async () => {
    await createPortal(relay.app, PORTAL);
    const put = await relay.app.inject({
      method: 'PUT',
      url: `/v1/admin/portals/${PORTAL}/hubspot`,
      headers: admin,
      payload: { token: sim.accessToken },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ portalId: PORTAL, configured: true, detectorRunning: true });
    expect(put.body).not.toContain(sim.accessToken);
    const get = await relay.app.inject({
      method: 'GET',
      url: `/v1/admin/portals/${PORTAL}/hubspot`,
      headers: admin,
    });
    expect(get.json()).toMatchObject({ configured: true });
    expect(get.body).not.toContain(sim.accessToken);
    const sealed = await hubspotStoreOf(relay.app.store).getHubSpotToken(PORTAL);
    expect(sealed!.tokenSealed).not.toContain(sim.accessToken);
  });

  it('refuses bad token requests with a clear 4xx', async () => {
    const missing = await relay.app.inject({
      method: 'PUT',
      url: `/v1/admin/portals/${PORTAL}/hubspot`,
      headers: admin,
      payload: {},
    });
    expect(missing.statusCode).toBe(400);
    const spaces = await relay.app.inject({
      method: 'PUT',
      url: `/v1/admin/portals/${PORTAL}/hubspot`,
      headers: admin,
      payload: { token: 'has spaces in it' },
    });
    expect(spaces.statusCode).toBe(400);
    const unknown = await relay.app.inject({
      method: 'PUT',
      url: '/v1/admin/portals/999/hubspot',
      headers: admin,
      payload: { token: 'pat-na1-0123456789' },
    });
    expect(unknown.statusCode).toBe(404);
    const noAdmin = await relay.app.inject({
      method: 'PUT',
      url: `/v1/admin/portals/${PORTAL}/hubspot`,
      payload: { token: 'pat-na1-0123456789' },
    });
    expect(noAdmin.statusCode).toBe(401);
    await createPortal(relay.app, '4712');
    const noToken = await relay.app.inject({
      method: 'POST',
      url: '/v1/admin/portals/4712/hubspot/check',
      headers: admin,
    });
    expect(noToken.statusCode).toBe(409);
  });

  it('raises a suspected suspension with the evidence when the sync stalled, and lifts it when it resumed', async () => {
    sim.resetRequests();
    const stalled = await check();
    expect(stalled.statusCode).toBe(200);
    expect(stalled.json()).toMatchObject({ verdict: 'stalled', transition: 'suspected' });
    // The token reached HubSpot (the simulator accepted it): it was decrypted, not lost.
    expect(sim.requests.length).toBeGreaterThan(0);
    expect(sim.requests.every((r) => r.authorization === 'valid')).toBe(true);
    const suspected = await state();
    expect(suspected).toMatchObject({
      portalId: PORTAL,
      state: 'suspected',
      source: 'detector',
      reason: null,
      title: 'Salesforce sync appears stalled',
    });
    expect(suspected.excerpt).toMatch(/most recently changed records with a Salesforce id/);
    // Since is when the evidence says the sync stopped (the portal's last sync, about 6 hours
    // before the check in the simulator's stalled scenario), not when the detector noticed;
    // lastSeenAt is the check.
    const observed = stalled.json();
    const lastSyncAt: string = observed.evidence.lastSyncAt;
    expect(Date.parse(observed.at) - Date.parse(lastSyncAt)).toBeGreaterThan(5.9 * 3600_000);
    expect(suspected.since).toBe(lastSyncAt);
    expect(suspected.lastSeenAt).toBe(observed.at);
    expect(suspected.history[0]).toMatchObject({ at: lastSyncAt, state: 'suspected' });

    // A second check of the same outage changes nothing (same eventId, and already suspected).
    await check();
    const history = (
      await relay.app.inject({
        method: 'GET',
        url: `/v1/portals/${PORTAL}/history`,
        headers: admin,
      })
    ).json();
    expect(history.items.filter((c: { source: string }) => c.source === 'detector')).toHaveLength(
      1,
    );
    // The change is dated the same way, and says so (with the check's time) in the history.
    expect(history.items[0]).toMatchObject({
      source: 'detector',
      occurredAt: lastSyncAt,
      dated: 'last-sync',
      dateNote: `nothing synced with Salesforce since ${lastSyncAt}; detected at ${observed.at}`,
    });

    sim.setScenario('resumed');
    const resumed = await check();
    expect(resumed.json()).toMatchObject({ verdict: 'syncing', transition: 'lifted' });
    expect(await state()).toMatchObject({ state: 'cleared', source: 'detector' });
  });

  it('a refused token shows in GET /hubspot (lastCheck.error), changes no state, and a new token clears it', async () => {
    const PORTAL_B = '4714';
    await createPortal(relay.app, PORTAL_B);
    const get = async () =>
      (
        await relay.app.inject({
          method: 'GET',
          url: `/v1/admin/portals/${PORTAL_B}/hubspot`,
          headers: admin,
        })
      ).json();
    await relay.app.inject({
      method: 'PUT',
      url: `/v1/admin/portals/${PORTAL_B}/hubspot`,
      headers: admin,
      payload: { token: 'pat-na1-revoked-0000000000' },
    });
    expect((await get()).lastCheck).toBeNull();
    sim.setScenario('stalled');
    const refused = await relay.app.inject({
      method: 'POST',
      url: `/v1/admin/portals/${PORTAL_B}/hubspot/check`,
      headers: admin,
    });
    expect(refused.json()).toMatchObject({ verdict: 'inconclusive', transition: null });
    const shown = await get();
    expect(shown.lastCheck).toMatchObject({
      verdict: 'inconclusive',
      error: expect.stringMatching(/refused the access token \(401\)/),
    });
    expect(shown.lastCheck.failingSince).toBe(shown.lastCheck.at);
    expect(typeof shown.lastCheck.nextCheckAt).toBe('string');
    expect(
      (
        await relay.app.inject({
          method: 'GET',
          url: `/v1/portals/${PORTAL_B}/state`,
          headers: admin,
        })
      ).json().state,
    ).not.toBe('suspected');
    // /health says a check fails (a count for the balancer, the reason for the admin) and stays ready.
    const health = await relay.app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json().signals).toEqual({ detector: { running: true, failing: 1 } });
    const adminHealth = (
      await relay.app.inject({ method: 'GET', url: '/health', headers: admin })
    ).json();
    expect(adminHealth.signals.failing).toEqual({
      [PORTAL_B]: expect.stringMatching(/refused the access token \(401\)/),
    });

    await relay.app.inject({
      method: 'PUT',
      url: `/v1/admin/portals/${PORTAL_B}/hubspot`,
      headers: admin,
      payload: { token: sim.accessToken },
    });
    expect((await get()).lastCheck).toBeNull();
    expect((await relay.app.inject({ method: 'GET', url: '/health' })).json().signals).toEqual({
      detector: { running: true, failing: 0 },
    });
    await relay.app.inject({
      method: 'POST',
      url: `/v1/admin/portals/${PORTAL_B}/hubspot/check`,
      headers: admin,
    });
    expect((await get()).lastCheck).toMatchObject({
      verdict: 'stalled',
      error: null,
      failingSince: null,
    });
  });

  it('never overrides nor lifts a suspension HubSpot confirmed', async () => {
    const { signingSecret } = await createPortal(relay.app, '4713');
    await relay.app.inject({
      method: 'PUT',
      url: '/v1/admin/portals/4713/hubspot',
      headers: admin,
      payload: { token: sim.accessToken },
    });
    const body = {
      reason: 'FIELD_PERMISSIONS_MISSING',
      occurredAt: new Date().toISOString(),
      eventId: 'confirmed-1',
    };
    const webhook = await relay.app.inject({
      method: 'POST',
      url: '/v1/portals/4713/suspensions',
      ...signed(signingSecret, body),
    });
    expect(webhook.statusCode).toBe(202);
    const confirmed = {
      state: 'suspended',
      reason: 'FIELD_PERMISSIONS_MISSING',
      source: 'webhook',
      // A suspicion dated hours back by its evidence changes nothing here either, since included.
      since: body.occurredAt,
    };

    sim.setScenario('stalled');
    expect(
      (
        await relay.app.inject({
          method: 'POST',
          url: '/v1/admin/portals/4713/hubspot/check',
          headers: admin,
        })
      ).json().verdict,
    ).toBe('stalled');
    expect(
      (
        await relay.app.inject({ method: 'GET', url: '/v1/portals/4713/state', headers: admin })
      ).json(),
    ).toMatchObject(confirmed);

    sim.setScenario('resumed');
    expect(
      (
        await relay.app.inject({
          method: 'POST',
          url: '/v1/admin/portals/4713/hubspot/check',
          headers: admin,
        })
      ).json().verdict,
    ).toBe('syncing');
    expect(
      (
        await relay.app.inject({ method: 'GET', url: '/v1/portals/4713/state', headers: admin })
      ).json(),
    ).toMatchObject(confirmed);
  });

  it("applySignal: a suspicion's since is its occurredAt (the evidence), its lastSeenAt the later seenAt (the check)", () => {
    const signal = {
      portalId: '1',
      source: 'detector' as const,
      state: 'suspected' as const,
      reason: null,
      title: null,
      excerpt: null,
      occurredAt: '2026-11-29T09:30:00.000Z',
      seenAt: '2026-11-29T14:05:00.000Z',
      eventId: 'd1',
    };
    expect(applySignal(null, signal)).toMatchObject({
      state: 'suspected',
      since: '2026-11-29T09:30:00.000Z',
      lastSeenAt: '2026-11-29T14:05:00.000Z',
      history: [{ at: '2026-11-29T09:30:00.000Z', state: 'suspected' }],
    });
    // A seenAt before occurredAt (or none, or not a date) says nothing later: lastSeenAt is occurredAt.
    for (const seenAt of ['2026-11-29T08:00:00.000Z', 'not a date', undefined])
      expect(applySignal(null, { ...signal, seenAt }).lastSeenAt).toBe('2026-11-29T09:30:00.000Z');
  });

  it('applySignal keeps a confirmed suspension even when a detector lift races in after it', () => {
    const at = '2026-11-28T22:00:00.000Z';
    const suspended = applySignal(null, {
      portalId: '1',
      source: 'email',
      state: 'suspended',
      reason: 'ORG_LOCKED',
      title: null,
      excerpt: null,
      occurredAt: at,
      eventId: 'e1',
    });
    const lifted = applySignal(suspended, {
      portalId: '1',
      source: 'detector',
      state: 'cleared',
      reason: null,
      title: 'Salesforce sync resumed',
      excerpt: null,
      occurredAt: at,
      eventId: 'd1',
    });
    expect(lifted).toMatchObject({ state: 'suspended', reason: 'ORG_LOCKED', source: 'email' });
    const suspected = applySignal(null, {
      portalId: '1',
      source: 'detector',
      state: 'suspected',
      reason: null,
      title: null,
      excerpt: null,
      occurredAt: at,
      eventId: 'd2',
    });
    expect(
      applySignal(suspected, {
        portalId: '1',
        source: 'detector',
        state: 'cleared',
        reason: null,
        title: null,
        excerpt: null,
        occurredAt: at,
        eventId: 'd3',
      }),
    ).toMatchObject({ state: 'cleared' });
  });
});

describe('a token without a scope the detector uses', () => {
  it('says in GET /hubspot which objects are not checked and which scope to add', async () => {
    const sim = await startHubSpotSimulator({
      scenario: 'healthy',
      portalId: '4721',
      scopes: ['crm.objects.companies.read', 'crm.objects.deals.read'],
      searchRequestsPerSecond: 1000,
    });
    const relay = await startSignalsRelay({ signals: detectorOn(sim.url) });
    try {
      await createPortal(relay.app, '4721');
      await relay.app.inject({
        method: 'PUT',
        url: '/v1/admin/portals/4721/hubspot',
        headers: admin,
        payload: { token: sim.accessToken },
      });
      const checked = await relay.app.inject({
        method: 'POST',
        url: '/v1/admin/portals/4721/hubspot/check',
        headers: admin,
      });
      const missing = expect.stringMatching(
        /contacts are not checked.*crm\.objects\.contacts\.read/,
      );
      expect(checked.json()).toMatchObject({ verdict: 'syncing', warnings: [missing] });
      const shown = (
        await relay.app.inject({
          method: 'GET',
          url: '/v1/admin/portals/4721/hubspot',
          headers: admin,
        })
      ).json();
      expect(shown.lastCheck).toMatchObject({ error: null, warnings: [missing] });
    } finally {
      await relay.close();
      await sim.close();
    }
  });
});

describe('a suspicion cleared while nothing syncs', () => {
  it('is raised again at the next check that finds the same stall, not swallowed as a duplicate', async () => {
    const sim = await startHubSpotSimulator({
      scenario: 'stalled',
      portalId: '4720',
      searchRequestsPerSecond: 1000,
    });
    const relay = await startSignalsRelay({ signals: detectorOn(sim.url) });
    try {
      await createPortal(relay.app, '4720');
      await relay.app.inject({
        method: 'PUT',
        url: '/v1/admin/portals/4720/hubspot',
        headers: admin,
        payload: { token: sim.accessToken },
      });
      const check = () =>
        relay.app.inject({
          method: 'POST',
          url: '/v1/admin/portals/4720/hubspot/check',
          headers: admin,
        });
      const state = async () =>
        (
          await relay.app.inject({ method: 'GET', url: '/v1/portals/4720/state', headers: admin })
        ).json();
      expect((await check()).json()).toMatchObject({ transition: 'suspected' });
      // Someone clicks "Clear Suspension" (recorded through the relay), but the sync stays stopped.
      const cleared = await relay.app.inject({
        method: 'POST',
        url: '/v1/portals/4720/clear',
        headers: admin,
        payload: { note: 'cleared in HubSpot' },
      });
      expect(cleared.statusCode).toBe(202);
      expect(await state()).toMatchObject({ state: 'cleared', source: 'manual' });
      const again = await check();
      expect(again.json()).toMatchObject({ verdict: 'stalled', transition: 'suspected' });
      expect(await state()).toMatchObject({ state: 'suspected', source: 'detector' });
      // Checks after that are the same outage again: one more suspicion, not one per check.
      await check();
      const history = (
        await relay.app.inject({
          method: 'GET',
          url: '/v1/portals/4720/history',
          headers: admin,
        })
      ).json();
      expect(history.items.map((c: { source: string }) => c.source)).toEqual([
        'detector',
        'manual',
        'detector',
      ]);
    } finally {
      await relay.close();
      await sim.close();
    }
  });
});

describe('detector scheduling', () => {
  it('checks portals with a token on its own timer (no admin call) and records what it found', async () => {
    const sim = await startHubSpotSimulator({
      scenario: 'stalled',
      portalId: '5150',
      searchRequestsPerSecond: 1000,
    });
    const relay = await startSignalsRelay({ signals: detectorOn(sim.url, 1500) });
    try {
      await createPortal(relay.app, '5150');
      await relay.app.inject({
        method: 'PUT',
        url: '/v1/admin/portals/5150/hubspot',
        headers: admin,
        payload: { token: sim.accessToken },
      });
      // The scheduler re-reads the portals every interval: the new token is picked up, then checked.
      await waitFor(
        async () =>
          (
            await relay.app.inject({ method: 'GET', url: '/v1/portals/5150/state', headers: admin })
          ).json().state === 'suspected',
        15_000,
        'a suspected state',
      );
    } finally {
      await relay.close();
      await sim.close();
    }
  });

  it('a token it cannot decrypt stops only its own portal: the others are still checked', async () => {
    const sim = await startHubSpotSimulator({
      scenario: 'stalled',
      portalId: '5151',
      searchRequestsPerSecond: 1000,
    });
    const relay = await startSignalsRelay({ signals: detectorOn(sim.url, 1500) });
    try {
      await createPortal(relay.app, '5151');
      await createPortal(relay.app, '5152');
      // 5152's sealed token cannot be opened (restored from another relay's backup, or damaged).
      await hubspotStoreOf(relay.app.store).setHubSpotToken('5152', 'v1:AAAA:BBBB:CCCC');
      await relay.app.inject({
        method: 'PUT',
        url: '/v1/admin/portals/5151/hubspot',
        headers: admin,
        payload: { token: sim.accessToken },
      });
      await waitFor(
        async () =>
          (
            await relay.app.inject({ method: 'GET', url: '/v1/portals/5151/state', headers: admin })
          ).json().state === 'suspected',
        15_000,
        'a suspected state for the portal with a good token',
      );
      // The unreadable one says why it is not checked, and what to do.
      const unreadable = (
        await relay.app.inject({
          method: 'GET',
          url: '/v1/admin/portals/5152/hubspot',
          headers: admin,
        })
      ).json();
      expect(unreadable.lastCheck.error).toMatch(/cannot be decrypted.*store the token again/);
    } finally {
      await relay.close();
      await sim.close();
    }
  });

  it('is off unless configured: no detector, and the check endpoint says so', async () => {
    const relay = await startSignalsRelay({ signals: signalsConfig() });
    try {
      expect(relay.app.hubspotDetector).toBeUndefined();
      await createPortal(relay.app, '6000');
      await relay.app.inject({
        method: 'PUT',
        url: '/v1/admin/portals/6000/hubspot',
        headers: admin,
        payload: { token: 'pat-na1-0123456789' },
      });
      const response = await relay.app.inject({
        method: 'POST',
        url: '/v1/admin/portals/6000/hubspot/check',
        headers: admin,
      });
      // A refusal, not a failure of the relay (detectorHandoff.test.ts): 409, never a 5xx.
      expect(response.statusCode).toBe(409);
      expect(response.json().code).toBe('DETECTOR_OFF');
    } finally {
      await relay.close();
    }
  });

  it('runs on one instance only when several share PostgreSQL (advisory lock)', async () => {
    const { schema, drop } = await postgresSchema();
    const secretKey = randomBytes(32);
    const overrides = { databaseUrl: POSTGRES_URL, databaseSchema: schema };
    const relays: SignalsRelay[] = [];
    try {
      for (let i = 0; i < 2; i++)
        relays.push(
          await startSignalsRelay({
            secretKey,
            signals: detectorOn('http://127.0.0.1:9'),
            overrides,
          }),
        );
      expect(relays.map((r) => r.app.hubspotDetector!.running).sort()).toEqual([false, true]);
      // RELAY_SIGNALS_LEADER=0 never leads, whatever the lock says.
      relays.push(
        await startSignalsRelay({
          secretKey,
          signals: { ...detectorOn('http://127.0.0.1:9'), leader: 'off' },
          overrides,
        }),
      );
      expect(relays[2]!.app.hubspotDetector!.running).toBe(false);
    } finally {
      for (const r of relays) await r.close();
      await drop();
    }
  });
});
