import { admin, createPortal, signed, startTestRelay, type TestRelay } from './helpers.js';

// GET state sends a body serialised once per status, with an ETag; it must still change the
// moment the status does (security headers: securityHeaders.test.ts).
describe('GET state: cached body and ETag', () => {
  let relay: TestRelay;
  beforeAll(async () => {
    relay = await startTestRelay();
  });
  afterAll(() => relay.close());

  test('same status, same body and ETag; a new signal changes both at once; If-None-Match gives 304', async () => {
    const portalId = '5500001';
    const { signingSecret } = await createPortal(relay.app, portalId, null);
    const state = (headers: Record<string, string> = {}) =>
      relay.app.inject({
        method: 'GET',
        url: `/v1/portals/${portalId}/state`,
        headers: { ...admin, ...headers },
      });

    const blank = await state();
    expect(blank.statusCode).toBe(200);
    expect(blank.json()).toEqual({
      portalId,
      state: 'cleared',
      reason: null,
      title: null,
      since: null,
      lastSeenAt: null,
      clearedAt: null,
      source: null,
      excerpt: null,
      history: [],
    });
    expect(blank.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(blank.headers['x-content-type-options']).toBe('nosniff');

    const { payload, headers } = signed(signingSecret, {
      reason: 'ORG_LOCKED',
      title: 'Salesforce org locked',
      occurredAt: new Date().toISOString(),
      eventId: 'etag-1',
    });
    const accepted = await relay.app.inject({
      method: 'POST',
      url: `/v1/portals/${portalId}/suspensions`,
      headers,
      payload,
    });
    expect(accepted.statusCode).toBe(202);

    const first = await state();
    const again = await state();
    expect(first.json()).toMatchObject({
      state: 'suspended',
      reason: 'ORG_LOCKED',
      title: 'Salesforce org locked',
    });
    // The input answers the same status without its history (a sender has no use for it).
    const { history, ...head } = first.json();
    expect(accepted.json().status).toEqual(head);
    expect(history).toHaveLength(1);
    expect(again.body).toBe(first.body);
    expect(first.headers.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(first.headers.etag).not.toBe(blank.headers.etag);

    const notModified = await state({ 'if-none-match': first.headers.etag as string });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.body).toBe('');

    const cleared = await relay.app.inject({
      method: 'POST',
      url: `/v1/portals/${portalId}/clear`,
      headers: { ...admin, 'content-type': 'application/json' },
      payload: {},
    });
    expect(cleared.statusCode).toBe(202);
    const after = await state({ 'if-none-match': first.headers.etag as string });
    expect(after.statusCode).toBe(200);
    expect(after.json()).toMatchObject({ state: 'cleared', reason: 'ORG_LOCKED' });
    expect(after.json().history).toHaveLength(2);
    expect(after.headers.etag).not.toBe(first.headers.etag);
  });
});
