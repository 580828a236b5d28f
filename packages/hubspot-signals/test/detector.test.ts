import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RelayedStatus } from '@sync-doctor/core';
import {
  startHubSpotSimulator,
  type HubSpotSimulator,
  type SearchRequest,
} from '@sync-doctor/hubspot-simulator';
import {
  checkPortal,
  detectorPreviousState,
  detectorSignalFor,
  suspicionSince,
  type CheckOptions,
  type DetectorObservation,
  type DetectorPortal,
} from '../src/index.js';

let sim: HubSpotSimulator;
afterEach(async () => sim?.close());

const portalOf = (s: HubSpotSimulator, extra: Partial<DetectorPortal> = {}): DetectorPortal => ({
  portalId: s.portalId,
  accessToken: s.accessToken,
  basePath: s.url,
  ...extra,
});
const sleeps: number[] = [];
const fast: CheckOptions = {
  requestSpacingMs: 0,
  sleep: async (ms) => void sleeps.push(ms),
  random: () => 0.5,
};
beforeEach(() => sleeps.splice(0));

describe('stalled-sync detector against the HubSpot simulator (official client, basePath)', () => {
  it('healthy portal: syncing, no transition, six searches with the Salesforce id filters', async () => {
    sim = await startHubSpotSimulator({ scenario: 'healthy', searchRequestsPerSecond: 100 });
    const obs = await checkPortal(portalOf(sim), fast);
    expect(obs.verdict).toBe('syncing');
    expect(obs.transition).toBeNull();
    expect(obs.state).toBe('clear');
    expect(obs.requests).toBe(6);
    expect(sim.requests).toHaveLength(6);
    expect(sim.requests.every((r) => r.authorization === 'valid' && r.status === 200)).toBe(true);
    const contactSample = sim.requests.find(
      (r) => r.objectType === 'contacts' && (r.body as SearchRequest).limit === 100,
    )!.body as SearchRequest;
    expect(contactSample.filterGroups.map((g) => g.filters[0]!.propertyName)).toEqual([
      'salesforcecontactid',
      'salesforceleadid',
    ]);
    expect(contactSample.sorts).toEqual([
      { propertyName: 'lastmodifieddate', direction: 'DESCENDING' },
    ]);
    expect(obs.evidence!.sampled).toBeGreaterThan(90);
    expect(obs.evidence!.lagging).toBe(0);
    expect(obs.evidence!.sinceLastSyncMs!).toBeLessThan(2 * 3600_000);
  });

  it('stalled portal: raises a suspected suspension with the evidence; resumed portal: lifts it', async () => {
    sim = await startHubSpotSimulator({ scenario: 'stalled', searchRequestsPerSecond: 100 });
    const obs = await checkPortal(portalOf(sim), fast);
    expect(obs.verdict).toBe('stalled');
    expect(obs.transition).toBe('suspected');
    const e = obs.evidence!;
    expect(e.lagging).toBeGreaterThanOrEqual(5);
    expect(e.sinceLastSyncMs!).toBeGreaterThan(5.9 * 3600_000);
    expect(e.oldestLagMs!).toBeGreaterThan(e.sinceLastSyncMs! - 3600_000);
    expect(e.examples).toHaveLength(5);
    for (const x of e.examples) {
      const record = sim.records(x.objectType).find((r) => r.id === x.id)!;
      expect(Object.values(record.properties)).toContain(x.salesforceId);
      expect(x.lagMs!).toBeGreaterThan(2 * 3600_000);
    }
    // HubSpot-only records (changed most recently) are never counted.
    expect(e.examples.every((x) => Number(x.id) % 1000 < 500)).toBe(true);

    // Already suspected: no second transition.
    const again = await checkPortal(portalOf(sim), { ...fast, previous: 'suspected' });
    expect(again.transition).toBeNull();
    expect(again.state).toBe('suspected');

    sim.setScenario('resumed');
    const lifted = await checkPortal(portalOf(sim), { ...fast, previous: 'suspected' });
    expect(lifted.verdict).toBe('syncing');
    expect(lifted.transition).toBe('lifted');
    expect(lifted.state).toBe('clear');
  });

  it('a quiet portal (nothing changed since the last sync, long ago) stays inconclusive', async () => {
    sim = await startHubSpotSimulator({ scenario: 'healthy', searchRequestsPerSecond: 100 });
    const longAgo = Date.now() - 3 * 24 * 3600_000;
    for (const type of ['contacts', 'companies', 'deals'] as const) {
      for (const r of sim.records(type)) {
        const ms = longAgo - Number(r.id) * 60_000;
        r.properties.hs_lastmodifieddate = r.properties.lastmodifieddate = new Date(
          ms,
        ).toISOString();
        if (r.properties.salesforcelastsynctime)
          r.properties.salesforcelastsynctime = new Date(ms - 5000).toISOString();
      }
    }
    const obs = await checkPortal(portalOf(sim), fast);
    expect(obs.verdict).toBe('inconclusive');
    expect(obs.evidence!.lagging).toBe(0);
    expect(obs.transition).toBeNull();
  });

  it('a stall of the records people work on (synced just before the outage, changed again after it) is flagged', async () => {
    // The sync stopped 3 hours ago; the only changes since are to 8 contacts that had synced minutes
    // before the outage: each one's own lag (modified minus its own sync) is under 2 hours.
    sim = await startHubSpotSimulator({ scenario: 'healthy', searchRequestsPerSecond: 100 });
    const now = Date.now();
    const outage = now - 3 * 3600_000;
    for (const type of ['contacts', 'companies', 'deals'] as const) {
      let touched = 0;
      for (const r of sim.records(type)) {
        if (!r.properties.salesforcelastsynctime) continue;
        let modified = outage - 3600_000 - Number(r.id) * 60_000;
        let synced = modified - 5000;
        if (type === 'contacts' && touched < 8) {
          synced = outage - 10 * 60_000 - touched * 60_000;
          modified = outage + 20 * 60_000 + touched * 10 * 60_000;
          touched += 1;
        }
        r.properties.hs_lastmodifieddate = new Date(modified).toISOString();
        if (type === 'contacts') r.properties.lastmodifieddate = r.properties.hs_lastmodifieddate;
        r.properties.salesforcelastsynctime = new Date(synced).toISOString();
      }
    }
    const obs = await checkPortal(portalOf(sim), fast);
    expect(obs.evidence!.sinceLastSyncMs!).toBeGreaterThan(2 * 3600_000);
    expect(obs.evidence!.lagging).toBe(8);
    expect(obs.verdict).toBe('stalled');
  });

  it('respects Retry-After on 429 (real wait), then completes', async () => {
    sim = await startHubSpotSimulator({
      scenario: 'rate-limited',
      rateLimitedRequests: 1,
      retryAfterSeconds: 1,
      searchRequestsPerSecond: 100,
    });
    const obs = await checkPortal(portalOf(sim), { requestSpacingMs: 0 });
    expect(obs.verdict).toBe('syncing');
    expect(obs.requests).toBe(7);
    const [limited, retried] = sim.requests;
    expect(limited!.status).toBe(429);
    expect(retried!.status).toBe(200);
    expect(Date.parse(retried!.at) - Date.parse(limited!.at)).toBeGreaterThanOrEqual(1000);
  });

  it('stops the check and reports retryAfterMs when HubSpot asks for a long wait', async () => {
    sim = await startHubSpotSimulator({ searchRequestsPerSecond: 100 });
    sim.injectFault({ status: 429, retryAfterSeconds: 120 });
    const obs = await checkPortal(portalOf(sim), fast);
    expect(obs.verdict).toBe('inconclusive');
    expect(obs.retryAfterMs).toBe(120_000);
    expect(obs.evidence).toBeNull();
    expect(sim.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('backs off exponentially on 5xx, and a persistent failure of one object leaves the others', async () => {
    sim = await startHubSpotSimulator({ scenario: 'stalled', searchRequestsPerSecond: 100 });
    sim.injectFault({ path: '/contacts/', status: 503, times: 2 });
    sim.injectFault({ path: '/deals/', status: 500, times: 10 });
    const obs = await checkPortal(portalOf(sim), fast);
    expect(sleeps).toEqual([1000, 2000, 1000, 2000]); // contacts twice, deals twice, then deals gives up
    expect(obs.evidence!.perObject.contacts!.error).toBeUndefined();
    expect(obs.evidence!.perObject.deals!.error).toMatch(/500/);
    // Deals could not be read, so whether anything synced is not known: no stall on the detector's own failure.
    expect(obs.verdict).toBe('inconclusive');
    expect(obs.transition).toBeNull();
  });

  it('a read failure of the object that syncs never reads as a stall (contacts 5xx, companies left unsynced)', async () => {
    // Contacts sync fine; companies and deals still carry Salesforce ids but their sync was turned off long ago.
    sim = await startHubSpotSimulator({ scenario: 'healthy', searchRequestsPerSecond: 100 });
    const lastSync = new Date(Date.now() - 30 * 24 * 3600_000).toISOString();
    for (const type of ['companies', 'deals'] as const)
      for (const r of sim.records(type))
        if (r.properties.salesforcelastsynctime) r.properties.salesforcelastsynctime = lastSync;
    const healthy = await checkPortal(portalOf(sim), fast);
    expect(healthy.verdict).toBe('syncing');
    sim.injectFault({ path: '/contacts/', status: 503, times: 10 });
    const obs = await checkPortal(portalOf(sim), fast);
    expect(obs.evidence!.perObject.contacts!.error).toMatch(/503/);
    expect(obs.verdict).toBe('inconclusive');
    expect(obs.transition).toBeNull();
  });

  it('without the deals scope, deals are skipped with a clear note and the rest still decides', async () => {
    sim = await startHubSpotSimulator({
      scenario: 'stalled',
      scopes: ['crm.objects.contacts.read', 'crm.objects.companies.read'],
      searchRequestsPerSecond: 100,
    });
    const obs = await checkPortal(portalOf(sim), fast);
    expect(obs.evidence!.perObject.deals!.error).toMatch(/crm\.objects\.deals\.read/);
    expect(obs.verdict).toBe('stalled');
    const bad = await checkPortal(portalOf(sim, { accessToken: 'pat-na1-revoked' }), fast);
    expect(bad.verdict).toBe('inconclusive');
    expect(bad.error).toMatch(/401/);
  });

  it('a token without the contacts scope says so in every check, even when the others conclude', async () => {
    sim = await startHubSpotSimulator({
      scenario: 'healthy',
      scopes: ['crm.objects.companies.read', 'crm.objects.deals.read'],
      searchRequestsPerSecond: 100,
    });
    const obs = await checkPortal(portalOf(sim), fast);
    expect(obs.verdict).toBe('syncing');
    expect(obs.error).toBeUndefined();
    // The admin sees why contacts are not watched, and what to add, without reading the evidence.
    expect(obs.warnings).toEqual([
      expect.stringMatching(/contacts are not checked.*crm\.objects\.contacts\.read/),
    ]);
    await sim.close();
    sim = await startHubSpotSimulator({ scenario: 'healthy', searchRequestsPerSecond: 100 });
    expect((await checkPortal(portalOf(sim), fast)).warnings).toBeUndefined();
  });

  it('a 403 that is not a missing scope leaves a hole in the evidence: no stall, no scope advice', async () => {
    sim = await startHubSpotSimulator({ scenario: 'stalled', searchRequestsPerSecond: 100 });
    // Deals answered 403 for another reason than a scope (an edge block page, an account
    // restriction): they may be the records that still sync, so nothing may be concluded.
    sim.injectFault({ path: '/deals/', status: 403, category: 'FORBIDDEN', times: 10 });
    const obs = await checkPortal(portalOf(sim), fast);
    expect(obs.evidence!.perObject.deals!.error).toMatch(/403/);
    expect(obs.verdict).toBe('inconclusive');
    expect(obs.transition).toBeNull();
    expect(obs.warnings).toBeUndefined();
  });

  it('a refused token (401) stops the check at once and says what to do', async () => {
    sim = await startHubSpotSimulator({ scenario: 'stalled', searchRequestsPerSecond: 100 });
    const bad = await checkPortal(portalOf(sim, { accessToken: 'pat-na1-revoked' }), {
      ...fast,
      previous: 'suspected',
    });
    expect(sim.requests).toHaveLength(1);
    expect(bad.requests).toBe(1);
    expect(bad.error).toMatch(/refused the access token \(401\).*store a new/);
    expect(bad.evidence).toBeNull();
    expect(bad).toMatchObject({ verdict: 'inconclusive', state: 'suspected', transition: null });
  });

  it('a HubSpot that accepts the connection but never answers fails the check instead of holding it', async () => {
    // Node's fetch waits 5 minutes for headers, and the scheduler runs one check at a time.
    const hung: import('node:http').IncomingMessage[] = [];
    const server = createServer((req) => void hung.push(req));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const obs = await checkPortal(
        { portalId: '1', accessToken: 'pat-na1-x', basePath: `http://127.0.0.1:${port}` },
        {
          ...fast,
          retryPolicy: {
            maxAttempts: 2,
            baseDelayMs: 1,
            maxRetryAfterMs: 30_000,
            requestTimeoutMs: 200,
          },
        },
      );
      expect(obs.verdict).toBe('inconclusive');
      expect(obs.transition).toBeNull();
      expect(obs.requests).toBe(6); // 3 object types, 2 attempts each
      expect(hung).toHaveLength(6);
      expect(obs.error).toMatch(/did not answer within 200 ms/);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }, 10_000);

  it("an HTML error page (HubSpot's edge during an outage) is quoted briefly, not dumped with its headers", async () => {
    const page = `<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>${'<p>Bad gateway</p>'.repeat(500)}</body></html>`;
    const server = createServer((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html; charset=UTF-8', 'cf-ray': '8f00-AMS' });
      res.end(page);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const obs = await checkPortal(
        { portalId: '1', accessToken: 'pat-na1-x', basePath: `http://127.0.0.1:${port}` },
        { ...fast, retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxRetryAfterMs: 30_000 } },
      );
      expect(obs.verdict).toBe('inconclusive');
      // What an admin reads in lastCheck.error and /health: the status and the page's gist.
      expect(obs.error).toMatch(
        /^HubSpot search on contacts failed \(502\): HTTP 502: 502 Bad Gateway Bad gateway/,
      );
      expect(obs.error).not.toMatch(/Headers|cf-ray|<html|<p>/i);
      expect(obs.error!.length).toBeLessThan(1000);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it.each([
    ['a time past the end of JavaScript dates', '99999999999999999999'],
    ['a number too big to be one', '9'.repeat(400)],
    ['a date no one can read', '2026-13-45T99:99:99Z'],
  ])(
    'a record whose sync time is %s counts as one without a sync time, not as an error of the check',
    async (_case, value) => {
      // Eligible records (changed before the grace period), so the evidence is built from them.
      const changed = String(Date.now() - 3 * 3600_000);
      const server = createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          const objectType = /objects\/(\w+)\/search/.exec(req.url ?? '')?.[1] ?? 'contacts';
          const properties = {
            salesforcelastsynctime: value,
            lastmodifieddate: changed,
            hs_lastmodifieddate: changed,
            salesforcecontactid: '003000000000001',
            salesforceaccountid: '001000000000001',
            hs_salesforceopportunityid: '006000000000001',
          };
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              total: 1,
              results: [
                {
                  id: `${objectType}-1`,
                  properties,
                  createdAt: '2026-01-01T00:00:00.000Z',
                  updatedAt: '2026-01-01T00:00:00.000Z',
                  archived: false,
                },
              ],
            }),
          );
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      try {
        const obs = await checkPortal(
          { portalId: '1', accessToken: 'pat-na1-x', basePath: `http://127.0.0.1:${port}` },
          { ...fast, retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxRetryAfterMs: 30_000 } },
        );
        expect(obs.error).toBeUndefined();
        expect(obs.evidence).toMatchObject({ lastSyncAt: null, sampled: 3, lagging: 3 });
        expect(obs.evidence!.examples.every((e) => e.lastSyncAt === null)).toBe(true);
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    },
  );

  it.each([
    ["'<' after '<' without a '>'", '<'.repeat(100_000)],
    ['<style> after <style> never closed', '<style>'.repeat(30_000)],
  ])(
    'an error page of %s is quoted at once, not after seconds of blocked event loop',
    async (_case, page) => {
      const server = createServer((_req, res) => {
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end(`<title>502 Bad Gateway</title>${page}`);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      try {
        const started = Date.now();
        const obs = await checkPortal(
          { portalId: '1', accessToken: 'pat-na1-x', basePath: `http://127.0.0.1:${port}` },
          { ...fast, retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxRetryAfterMs: 30_000 } },
        );
        expect(Date.now() - started).toBeLessThan(5000);
        expect(obs.verdict).toBe('inconclusive');
        expect(obs.error).toMatch(/failed \(502\): HTTP 502: 502 Bad Gateway/);
        expect(obs.error!.length).toBeLessThan(1000);
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    },
    120_000,
  );

  it('a connection HubSpot refuses says so, not just "fetch failed"', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve)); // nothing listens there now
    const obs = await checkPortal(
      { portalId: '1', accessToken: 'pat-na1-x', basePath: `http://127.0.0.1:${port}` },
      { ...fast, retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxRetryAfterMs: 30_000 } },
    );
    expect(obs.verdict).toBe('inconclusive');
    expect(obs.error).toMatch(/^HubSpot search on contacts failed: fetch failed \(ECONNREFUSED\)/);
  });

  it("stays under HubSpot's search limit with the default request spacing", async () => {
    sim = await startHubSpotSimulator({ scenario: 'healthy' }); // 5 searches per second
    const obs = await checkPortal(portalOf(sim));
    expect(sim.requests.every((r) => r.status === 200)).toBe(true);
    expect(obs.requests).toBe(6);
  });
});

describe('merging detector observations into the relay status', () => {
  const status = (
    state: RelayedStatus['state'],
    source: RelayedStatus['source'],
  ): RelayedStatus => ({
    portalId: '4711',
    state,
    reason: state === 'suspended' ? 'FIELD_PERMISSIONS_MISSING' : null,
    title: null,
    since: '2026-01-01T00:00:00.000Z',
    lastSeenAt: null,
    clearedAt: null,
    source,
    excerpt: null,
    history: [],
  });

  it('raises suspected from nothing, never over a confirmed suspension, and lifts only its own', async () => {
    sim = await startHubSpotSimulator({ scenario: 'stalled', searchRequestsPerSecond: 100 });
    const stalled = await checkPortal(portalOf(sim), fast);
    const signal = detectorSignalFor(null, stalled)!;
    expect(signal).toMatchObject({
      state: 'suspected',
      source: 'detector',
      reason: null,
      portalId: sim.portalId,
    });
    expect(signal.excerpt).toMatch(/last synced a record with Salesforce 6 h/);
    // Examples name each object in the singular ("company", not "companie").
    expect(signal.excerpt).toMatch(/company 2\d{3} \(Salesforce 001/);
    expect(signal.excerpt).not.toMatch(/companie /);
    expect(signal.eventId).toBe(detectorSignalFor(status('cleared', 'manual'), stalled)!.eventId);
    expect(detectorSignalFor(status('suspended', 'email'), stalled)).toBeNull();
    expect(detectorSignalFor(status('suspected', 'detector'), stalled)).toBeNull();

    sim.setScenario('resumed');
    const resumed = await checkPortal(portalOf(sim), {
      ...fast,
      previous: detectorPreviousState(status('suspected', 'detector')),
    });
    expect(detectorSignalFor(status('suspected', 'detector'), resumed)).toMatchObject({
      state: 'cleared',
      title: 'Salesforce sync resumed',
    });
    expect(detectorSignalFor(status('suspended', 'email'), resumed)).toBeNull();
    expect(detectorPreviousState(status('suspended', 'email'))).toBe('clear');
  });

  it("dates a suspicion from the portal's last sync (the evidence), not from the check; the check is its lastSeenAt", async () => {
    sim = await startHubSpotSimulator({ scenario: 'stalled', searchRequestsPerSecond: 100 });
    const stalled = await checkPortal(portalOf(sim), fast);
    const lastSyncAt = stalled.evidence!.lastSyncAt!;
    // The simulator's connector stopped about 6 hours before the check.
    expect(Date.parse(stalled.at) - Date.parse(lastSyncAt)).toBeGreaterThan(5.9 * 3600_000);
    const signal = detectorSignalFor(null, stalled)!;
    expect(signal.occurredAt).toBe(lastSyncAt);
    expect(signal.seenAt).toBe(stalled.at);
    expect(signal.detail).toMatchObject({
      dated: 'last-sync',
      detectedAt: stalled.at,
      evidence: { lastSyncAt },
    });
    expect(String(signal.detail.dateNote)).toContain(
      `nothing synced with Salesforce since ${lastSyncAt}`,
    );
    // The eventId names the same instant: one outage, one suspicion.
    expect(signal.eventId).toBe(`detector:${sim.portalId}:suspected:${lastSyncAt}`);

    // A lift is dated by the check that saw records sync again.
    sim.setScenario('resumed');
    const resumed = await checkPortal(portalOf(sim), { ...fast, previous: 'suspected' });
    const lift = detectorSignalFor(status('suspected', 'detector'), resumed)!;
    expect(lift.occurredAt).toBe(resumed.at);
    expect(lift.seenAt).toBe(resumed.at);
  });

  it('dates a suspicion from the check when the evidence gives no usable time (none, or one after the check)', () => {
    const observation = (lastSyncAt: string | null): DetectorObservation => ({
      portalId: '4711',
      at: '2026-11-29T14:05:00.000Z',
      verdict: 'stalled',
      state: 'suspected',
      transition: 'suspected',
      requests: 6,
      evidence: {
        checkedAt: '2026-11-29T14:05:00.000Z',
        lastSyncAt,
        sinceLastSyncMs: null,
        sampled: 20,
        lagging: 8,
        oldestLagMs: null,
        examples: [],
        perObject: {},
      },
    });
    expect(suspicionSince(observation('2026-11-29T09:30:00.000Z'))).toMatchObject({
      at: '2026-11-29T09:30:00.000Z',
      dated: 'last-sync',
    });
    // Never in the future: a sync time after the check is a clock or data error, not evidence.
    const ahead = detectorSignalFor(null, observation('2026-11-29T15:00:00.000Z'))!;
    expect(ahead.occurredAt).toBe('2026-11-29T14:05:00.000Z');
    expect(ahead.detail).toMatchObject({ dated: 'detection' });
    expect(String(ahead.detail.dateNote)).toMatch(/after the check/);
    // No record carries a sync time: nothing dates the stall.
    const never = detectorSignalFor(null, observation(null))!;
    expect(never.occurredAt).toBe('2026-11-29T14:05:00.000Z');
    expect(never.detail).toMatchObject({
      dated: 'detection',
      detectedAt: '2026-11-29T14:05:00.000Z',
    });
    // No lower bound: a sync long before any look at the portal still dates the suspicion.
    expect(suspicionSince(observation('2024-01-02T03:04:05.000Z')).at).toBe(
      '2024-01-02T03:04:05.000Z',
    );
  });
});
