import { admin, createPortal, signed, startTestRelay, type TestRelay } from './helpers.js';

// A signed request is good for the signature window (5 minutes) to anyone who holds a copy of it
// (a proxy's or a load balancer's log, a captured request). A suspension carries its eventId, so
// sending it again changes nothing; a clear may come without one ("Clear Suspension" clicked,
// the body optional), and each copy was a new clearance: a clear captured before a suspension
// arrived, sent again within the window, cleared the new suspension.

describe('a signed clear sent again', () => {
  let relay: TestRelay;
  let secret: string;
  const portalId = '6650001';

  beforeAll(async () => {
    relay = await startTestRelay();
    ({ signingSecret: secret } = await createPortal(relay.app, portalId));
  });
  afterAll(() => relay.close());

  const suspend = (eventId: string) =>
    relay.app.inject({
      method: 'POST',
      url: `/v1/portals/${portalId}/suspensions`,
      ...signed(secret, {
        title: 'Salesforce org API limit exceeded',
        occurredAt: new Date().toISOString(),
        eventId,
      }),
    });
  /** A signed clear with no body at all (no Content-Type either), as "Clear Suspension" may send it. */
  const signedEmpty = (timestamp?: number) => {
    const headers: Record<string, string> = { ...signed(secret, '', timestamp).headers };
    delete headers['content-type'];
    return { payload: '', headers };
  };
  const clear = (request: { payload: string; headers: Record<string, string> }) =>
    relay.app.inject({ method: 'POST', url: `/v1/portals/${portalId}/clear`, ...request });
  const state = async () =>
    (
      await relay.app.inject({
        method: 'GET',
        url: `/v1/portals/${portalId}/state`,
        headers: admin,
      })
    ).json().state;

  test('without an eventId, the very same request (empty body) is a duplicate: it clears nothing new', async () => {
    expect((await suspend('replay-s1')).statusCode).toBe(202);
    const captured = signedEmpty();
    expect((await clear(captured)).statusCode).toBe(202);
    expect((await suspend('replay-s2')).statusCode).toBe(202);
    const again = await clear(captured);
    expect([again.statusCode, again.json().duplicate]).toEqual([200, true]);
    expect(await state()).toBe('suspended');
  });

  test('with a body but no eventId, the same: one clearance per signed request', async () => {
    const captured = signed(secret, { note: 'cleared in HubSpot' });
    expect((await clear(captured)).statusCode).toBe(202);
    expect((await suspend('replay-s3')).statusCode).toBe(202);
    expect((await clear(captured)).json().duplicate).toBe(true);
    expect(await state()).toBe('suspended');
  });

  test('another signed clear (its own timestamp) still clears, and so does the admin token, every time', async () => {
    const later = signedEmpty(Math.floor(Date.now() / 1000) + 1);
    expect((await clear(later)).statusCode).toBe(202);
    expect(await state()).toBe('cleared');
    expect((await suspend('replay-s4')).statusCode).toBe(202);
    const byAdmin = { payload: '{}', headers: { ...admin, 'content-type': 'application/json' } };
    expect((await clear(byAdmin)).statusCode).toBe(202);
    expect((await suspend('replay-s5')).statusCode).toBe(202);
    expect((await clear(byAdmin)).statusCode).toBe(202);
    expect(await state()).toBe('cleared');
  });
});
