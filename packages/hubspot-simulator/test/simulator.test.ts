import { startHubSpotSimulator, type HubSpotSimulator, type SearchResponse } from '../src/index.js';

/** What a search answers: a page of records, or HubSpot's error body (message, category, policyName). */
type SearchAnswer = SearchResponse & { message?: string; category?: string; policyName?: string };

let sim: HubSpotSimulator;
afterEach(async () => sim?.close());

async function search(
  objectType: string,
  body: unknown,
  token: string | null = sim.accessToken,
  raw?: string,
) {
  const res = await fetch(`${sim.url}/crm/v3/objects/${objectType}/search`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: raw ?? JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as SearchAnswer };
}

const synced = { filters: [{ propertyName: 'salesforceaccountid', operator: 'HAS_PROPERTY' }] };

describe('HubSpot simulator: search', () => {
  it('filters, sorts newest first and pages with the after cursor until the end', async () => {
    sim = await startHubSpotSimulator({ scenario: 'healthy', searchRequestsPerSecond: 100 });
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const { status, body } = await search('companies', {
        filterGroups: [synced],
        sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'DESCENDING' }],
        properties: ['salesforceaccountid', 'salesforcelastsynctime'],
        limit: 15,
        ...(after ? { after } : {}),
      });
      expect(status).toBe(200);
      expect(body.total).toBe(40);
      seen.push(...body.results.map((r) => r.properties.hs_lastmodifieddate!));
      for (const r of body.results) expect(r.properties.salesforceaccountid).toMatch(/^001/);
      after = body.paging?.next?.after;
      pages += 1;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(40);
    expect([...seen].sort().reverse()).toEqual(seen);
  });

  it('ORs filter groups and ANDs filters, compares datetimes given as epoch milliseconds', async () => {
    sim = await startHubSpotSimulator();
    const cutoff = Date.now() - 2 * 3600_000;
    const { body } = await search('contacts', {
      filterGroups: [
        {
          filters: [
            { propertyName: 'salesforcecontactid', operator: 'HAS_PROPERTY' },
            { propertyName: 'lastmodifieddate', operator: 'LTE', value: String(cutoff) },
          ],
        },
        {
          filters: [
            { propertyName: 'salesforceleadid', operator: 'HAS_PROPERTY' },
            { propertyName: 'lastmodifieddate', operator: 'LTE', value: String(cutoff) },
          ],
        },
      ],
      limit: 200,
    });
    const all = sim
      .records('contacts')
      .filter(
        (r) =>
          (r.properties.salesforcecontactid || r.properties.salesforceleadid) &&
          Date.parse(r.properties.lastmodifieddate!) <= cutoff,
      );
    expect(body.total).toBe(all.length);
    expect(body.results.some((r) => r.properties.email)).toBe(true); // default properties
    expect(body.total).toBeGreaterThan(0);
  });

  it('answers bad requests as HubSpot does: 400 for invalid bodies, 401 without a token, 403 without the scope', async () => {
    sim = await startHubSpotSimulator({
      scopes: ['crm.objects.contacts.read'],
      searchRequestsPerSecond: 100,
    });
    expect((await search('contacts', { limit: 201 })).status).toBe(400);
    expect(
      (await search('contacts', { filterGroups: Array(6).fill(synced) })).body.message,
    ).toMatch(/limit is 5/);
    expect(
      (
        await search('contacts', {
          filterGroups: [{ filters: [{ propertyName: 'x', operator: 'NOPE', value: '1' }] }],
        })
      ).status,
    ).toBe(400);
    expect((await search('contacts', { after: 9990, limit: 20 })).status).toBe(400);
    const malformed = await search('contacts', null, sim.accessToken, '{"limit": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.category).toBe('VALIDATION_ERROR');
    expect((await search('contacts', {}, null)).status).toBe(401);
    expect((await search('contacts', {}, 'pat-na1-wrong')).status).toBe(401);
    const denied = await search('deals', {});
    expect(denied.status).toBe(403);
    expect(denied.body.category).toBe('MISSING_SCOPES');
    expect((await search('tickets', {})).status).toBe(404);
    expect(sim.requests.map((r) => r.status)).toEqual([
      400, 400, 400, 400, 400, 401, 401, 403, 404,
    ]);
    // The date-versioned path of HubSpot's 2026 API reference answers the same way.
    const dated = await fetch(`${sim.url}/crm/objects/2026-03/contacts/search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sim.accessToken}`, 'content-type': 'application/json' },
      body: '{"limit":3}',
    });
    expect(dated.status).toBe(200);
    expect(((await dated.json()) as SearchResponse).results).toHaveLength(3);
  });
});

describe('HubSpot simulator: limits and faults', () => {
  it('sends the rate-limit headers and 429 + Retry-After beyond the per-second search limit', async () => {
    sim = await startHubSpotSimulator({ searchRequestsPerSecond: 3 });
    const results = await Promise.all(Array.from({ length: 5 }, () => search('companies', {})));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = results.find((r) => r.status === 429)!;
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.body.policyName).toBe('SECONDLY');
    // HubSpot's 429 body: errorType RATE_LIMIT, policyName and groupName, and no category (the
    // bodies quoted in HubSpot/hubspot-api-python#117 and HGData/mk-node-hubspot#84).
    expect(limited.body).toMatchObject({
      status: 'error',
      message: 'You have reached your secondly limit.',
      errorType: 'RATE_LIMIT',
      groupName: expect.any(String),
    });
    expect(limited.body).not.toHaveProperty('category');
    const ok = results.find((r) => r.status === 200)!;
    expect(ok.headers.get('x-hubspot-ratelimit-secondly')).toBe('3');
    expect(Number(ok.headers.get('x-hubspot-ratelimit-daily-remaining'))).toBeLessThan(625_000);
  });

  it('injects 5xx and 429 faults a given number of times, and the rate-limited scenario starts with 429s', async () => {
    sim = await startHubSpotSimulator({
      scenario: 'rate-limited',
      rateLimitedRequests: 2,
      retryAfterSeconds: 7,
      searchRequestsPerSecond: 100,
    });
    expect((await search('contacts', {})).headers.get('retry-after')).toBe('7');
    expect((await search('contacts', {})).status).toBe(429);
    expect((await search('contacts', {})).status).toBe(200);
    sim.injectFault({ path: '/deals/', status: 503, times: 2 });
    expect((await search('deals', {})).status).toBe(503);
    expect((await search('companies', {})).status).toBe(200);
    expect((await search('deals', {})).status).toBe(503);
    expect((await search('deals', {})).status).toBe(200);
  });

  it('generates stalled data: records changed after the outage keep an old sync time; resumed data is synced again', async () => {
    sim = await startHubSpotSimulator({ scenario: 'stalled' });
    const lag = (r: { properties: Record<string, string | null> }) =>
      Date.parse(r.properties.hs_lastmodifieddate!) -
      Date.parse(r.properties.salesforcelastsynctime!);
    const syncedDeals = sim.records('deals').filter((r) => r.properties.hs_salesforceopportunityid);
    expect(syncedDeals.filter((r) => lag(r) > 2 * 3600_000).length).toBeGreaterThanOrEqual(15);
    sim.setScenario('resumed');
    expect(sim.scenario).toBe('resumed');
    expect(
      sim
        .records('deals')
        .filter((r) => r.properties.hs_salesforceopportunityid && lag(r) > 3600_000),
    ).toEqual([]);
  });
});
