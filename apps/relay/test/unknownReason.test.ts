import { admin, createPortal, signed, startTestRelay, type TestRelay } from './helpers.js';

// A signal the classifier cannot read (reason null) must not erase the reason of the suspension
// it arrives during; after a clearance it starts a new suspension with no known reason.
describe('a signal with no recognised reason', () => {
  let relay: TestRelay;
  let secret: string;
  const portalId = '5550001';

  beforeAll(async () => {
    relay = await startTestRelay();
    ({ signingSecret: secret } = await createPortal(relay.app, portalId));
  });
  afterAll(() => relay.close());

  const base = Date.now() - 60 * 60_000;
  const at = (minute: number) => new Date(base + minute * 60_000).toISOString();
  const webhook = (body: Record<string, unknown>) =>
    relay.app.inject({
      method: 'POST',
      url: `/v1/portals/${portalId}/suspensions`,
      ...signed(secret, body),
    });
  const state = async () =>
    (
      await relay.app.inject({
        method: 'GET',
        url: `/v1/portals/${portalId}/state`,
        headers: admin,
      })
    ).json();

  test('during an active suspension it keeps the known reason, title and since; lastSeenAt and source follow it; history records it as it came', async () => {
    const known = await webhook({
      title: 'Salesforce org API limit exceeded',
      message: 'HubSpot paused the sync.',
      occurredAt: at(1),
      eventId: 'known-1',
    });
    expect(known.statusCode).toBe(202);
    expect(known.json().status).toMatchObject({
      state: 'suspended',
      reason: 'API_LIMIT_EXCEEDED',
      since: at(1),
    });

    const unreadable = await webhook({
      message: 'Something odd happened to your integration',
      occurredAt: at(2),
      eventId: 'unknown-1',
    });
    expect(unreadable.statusCode).toBe(202);
    // The change is stored as it was told: no reason.
    expect(unreadable.json().change).toMatchObject({
      reason: null,
      excerpt: 'Something odd happened to your integration',
    });
    const after = await state();
    expect(after).toMatchObject({
      state: 'suspended',
      reason: 'API_LIMIT_EXCEEDED',
      title: 'Salesforce org API limit exceeded',
      excerpt: 'HubSpot paused the sync.',
      since: at(1),
      lastSeenAt: at(2),
      source: 'webhook',
      clearedAt: null,
    });
    expect(after.history.slice(0, 2)).toEqual([
      { at: at(2), state: 'suspended', reason: null, source: 'webhook', title: null },
      {
        at: at(1),
        state: 'suspended',
        reason: 'API_LIMIT_EXCEEDED',
        source: 'webhook',
        title: 'Salesforce org API limit exceeded',
      },
    ]);
    // What is delivered into Salesforce keeps the reason too.
    expect(unreadable.json().status.reason).toBe('API_LIMIT_EXCEEDED');
  });

  test('a new known reason still replaces the old one (arrival order decides)', async () => {
    const other = await webhook({ reason: 'ORG_LOCKED', occurredAt: at(3), eventId: 'known-2' });
    expect(other.json().status).toMatchObject({
      state: 'suspended',
      reason: 'ORG_LOCKED',
      since: at(3),
    });
    const unreadable = await webhook({
      message: 'Still broken, no idea why',
      occurredAt: at(4),
      eventId: 'unknown-2',
    });
    expect(unreadable.json().status).toMatchObject({
      state: 'suspended',
      reason: 'ORG_LOCKED',
      since: at(3),
      lastSeenAt: at(4),
    });
  });

  test('after a clearance, an unreadable signal is a new suspension whose reason is unknown (null)', async () => {
    const cleared = await relay.app.inject({
      method: 'POST',
      url: `/v1/portals/${portalId}/clear`,
      headers: admin,
      payload: { occurredAt: at(5) },
    });
    expect(cleared.json().status).toMatchObject({
      state: 'cleared',
      reason: 'ORG_LOCKED',
      clearedAt: at(5),
    });
    const unreadable = await webhook({
      message: 'Something odd happened again',
      occurredAt: at(6),
      eventId: 'unknown-3',
    });
    expect(unreadable.json().status).toMatchObject({
      state: 'suspended',
      reason: null,
      title: null,
      excerpt: 'Something odd happened again',
      since: at(6),
      clearedAt: null,
    });
  });

  test('a reason learnt during a suspension of unknown reason names it without moving its since', async () => {
    // Continues the suspension of unknown reason that began at minute 6 in the test above.
    const named = await webhook({
      title: 'Salesforce Organization locked',
      occurredAt: at(7),
      eventId: 'known-3',
    });
    expect(named.json().status).toMatchObject({
      state: 'suspended',
      reason: 'ORG_LOCKED',
      title: 'Salesforce Organization locked',
      since: at(6),
      lastSeenAt: at(7),
    });
  });
});
