import { admin, createPortal, signed, startTestRelay, waitFor, type TestRelay } from './helpers.js';

describe('signed suspension webhook', () => {
  let relay: TestRelay;
  let secret: string;
  const portalId = '4471337';
  const url = `/v1/portals/${portalId}/suspensions`;
  const body = (n: number, extra: Record<string, unknown> = {}) => ({
    reason: 'API_LIMIT_EXCEEDED',
    title: `Salesforce org API limit exceeded (${n})`,
    occurredAt: new Date().toISOString(),
    eventId: `evt-${n}`,
    ...extra,
  });

  beforeAll(async () => {
    relay = await startTestRelay();
    ({ signingSecret: secret } = await createPortal(relay.app, portalId));
  });
  afterAll(() => relay.close());

  const stored = async () => (await relay.app.store.listChanges(portalId, { limit: 500 })).items;

  test('a correctly signed suspension is accepted, stored, and shown as the state', async () => {
    const request = signed(secret, body(1));
    const response = await relay.app.inject({ method: 'POST', url, ...request });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({
      duplicate: false,
      status: { state: 'suspended', reason: 'API_LIMIT_EXCEEDED', source: 'webhook' },
    });
    const state = await relay.app.inject({
      method: 'GET',
      url: `/v1/portals/${portalId}/state`,
      headers: admin,
    });
    expect(state.json()).toMatchObject({
      portalId,
      state: 'suspended',
      reason: 'API_LIMIT_EXCEEDED',
      title: 'Salesforce org API limit exceeded (1)',
    });
  });

  test('without a reason, the reason is classified from the title (English and Danish)', async () => {
    const en = await relay.app.inject({
      method: 'POST',
      url,
      ...signed(secret, {
        title: 'Salesforce field permissions missing',
        occurredAt: new Date().toISOString(),
        eventId: 'cls-en',
      }),
    });
    expect(en.json().status.reason).toBe('FIELD_PERMISSIONS_MISSING');
    const da = await relay.app.inject({
      method: 'POST',
      url,
      ...signed(secret, {
        title: 'Salesforce-organisation låst',
        occurredAt: new Date().toISOString(),
        eventId: 'cls-da',
      }),
    });
    expect(da.json().status.reason).toBe('ORG_LOCKED');
  });

  test('wrong signature, wrong secret, stale and future timestamps, missing headers: 401 and nothing stored', async () => {
    const before = (await stored()).length;
    const good = signed(secret, body(50));
    const cases = [
      {
        ...good,
        headers: { ...good.headers, 'x-sync-doctor-signature': 'v1=' + '0'.repeat(64) },
        code: 'SIGNATURE_MISMATCH',
      },
      { ...signed('sdwh_not-the-secret', body(51)), code: 'SIGNATURE_MISMATCH' },
      {
        ...signed(secret, body(52), Math.floor(Date.now() / 1000) - 301),
        code: 'TIMESTAMP_OUT_OF_WINDOW',
      },
      {
        ...signed(secret, body(53), Math.floor(Date.now() / 1000) + 400),
        code: 'TIMESTAMP_OUT_OF_WINDOW',
      },
      {
        payload: JSON.stringify(body(54)),
        headers: { 'content-type': 'application/json' },
        code: 'SIGNATURE_MISSING',
      },
      {
        ...good,
        headers: { ...good.headers, 'x-sync-doctor-timestamp': 'yesterday' },
        code: 'TIMESTAMP_INVALID',
      },
      // The body was changed after signing.
      { ...good, payload: good.payload.replace('evt-50', 'evt-99'), code: 'SIGNATURE_MISMATCH' },
    ];
    for (const { code, ...request } of cases) {
      const response = await relay.app.inject({ method: 'POST', url, ...request });
      expect([response.statusCode, response.json().code]).toEqual([401, code]);
    }
    expect((await stored()).length).toBe(before);
  });

  test('a timestamp within the 5-minute window is accepted', async () => {
    const response = await relay.app.inject({
      method: 'POST',
      url,
      ...signed(secret, body(60), Math.floor(Date.now() / 1000) - 290),
    });
    expect(response.statusCode).toBe(202);
  });

  test('a replayed request (same signed body) is idempotent: 200 duplicate, one change, one delivery', async () => {
    const request = signed(secret, body(70));
    const first = await relay.app.inject({ method: 'POST', url, ...request });
    const replay = await relay.app.inject({ method: 'POST', url, ...request });
    const redelivery = await relay.app.inject({
      method: 'POST',
      url,
      ...signed(secret, body(70, { title: 'resent later' })),
    });
    expect([first.statusCode, replay.statusCode, redelivery.statusCode]).toEqual([202, 200, 200]);
    expect(replay.json().duplicate).toBe(true);
    expect(replay.json().change.id).toBe(first.json().change.id);
    expect((await stored()).filter((c) => c.eventId === 'evt-70')).toHaveLength(1);
    await waitFor(
      () => relay.publisher.published.some((p) => p.status.title?.includes('(70)')),
      5000,
      'delivery',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(relay.publisher.published.filter((p) => p.status.title?.includes('(70)'))).toHaveLength(
      1,
    );
  });

  test('a rotated secret: the old one stops working, the new one works', async () => {
    const rotated = await relay.app.inject({
      method: 'POST',
      url: `/v1/admin/portals/${portalId}/signing-secret/rotate`,
      headers: admin,
    });
    const fresh = rotated.json().signingSecret as string;
    expect(fresh).toMatch(/^sdwh_/);
    expect(
      (await relay.app.inject({ method: 'POST', url, ...signed(secret, body(80)) })).statusCode,
    ).toBe(401);
    expect(
      (await relay.app.inject({ method: 'POST', url, ...signed(fresh, body(81)) })).statusCode,
    ).toBe(202);
    secret = fresh;
  });

  test('an unknown portal is a 404 that names it', async () => {
    const response = await relay.app.inject({
      method: 'POST',
      url: '/v1/portals/999/suspensions',
      ...signed(secret, body(90)),
    });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({
      code: 'UNKNOWN_PORTAL',
      error: expect.stringContaining('999'),
    });
  });

  test('clear: signed or with the admin token; the state turns cleared and history lists both', async () => {
    const cleared = await relay.app.inject({
      method: 'POST',
      url: `/v1/portals/${portalId}/clear`,
      ...signed(secret, { eventId: 'clear-1' }),
    });
    expect(cleared.statusCode).toBe(202);
    expect(cleared.json().status).toMatchObject({ state: 'cleared', source: 'manual' });
    const byAdmin = await relay.app.inject({
      method: 'POST',
      url: `/v1/portals/${portalId}/clear`,
      headers: { ...admin, 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(byAdmin.statusCode).toBe(202);
    const unsigned = await relay.app.inject({
      method: 'POST',
      url: `/v1/portals/${portalId}/clear`,
      headers: { 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(unsigned.statusCode).toBe(401);
    const history = await relay.app.inject({
      method: 'GET',
      url: `/v1/portals/${portalId}/history?limit=3`,
      headers: admin,
    });
    expect(history.json().items.map((c: { state: string }) => c.state)).toEqual([
      'cleared',
      'cleared',
      'suspended',
    ]);
    expect(history.json().nextCursor).toEqual(expect.any(String));
  });

  test('clear with the admin token and no body at all (no Content-Type) is accepted', async () => {
    const response = await relay.app.inject({
      method: 'POST',
      url: `/v1/portals/${portalId}/clear`,
      headers: admin,
    });
    expect(response.statusCode).toBe(202);
    expect(response.json().status).toMatchObject({ state: 'cleared', source: 'manual' });
  });

  test('clear with a wrong admin token and no signature says the token is wrong, not that a signature is missing', async () => {
    const before = (await stored()).length;
    const response = await relay.app.inject({
      method: 'POST',
      url: `/v1/portals/${portalId}/clear`,
      headers: { authorization: 'Bearer not-the-admin-token-at-all' },
    });
    expect([response.statusCode, response.json().code]).toEqual([401, 'ADMIN_TOKEN_INVALID']);
    // A signed request that also carries some other Authorization header is judged by its signature.
    const signedClear = signed(secret, { eventId: 'clear-with-other-authorization' });
    const both = await relay.app.inject({
      method: 'POST',
      url: `/v1/portals/${portalId}/clear`,
      payload: signedClear.payload,
      headers: { ...signedClear.headers, authorization: 'Basic cHJveHk6cHJveHk=' },
    });
    expect(both.statusCode).toBe(202);
    expect((await stored()).length).toBe(before + 1);
  });

  test('a signature in uppercase hex is accepted; a wrong one in uppercase is still refused', async () => {
    const request = signed(secret, body(100));
    const upper = request.headers['x-sync-doctor-signature'].replace(
      /^v1=(.*)$/,
      (_all, hex: string) => `v1=${hex.toUpperCase()}`,
    );
    const accepted = await relay.app.inject({
      method: 'POST',
      url,
      payload: request.payload,
      headers: { ...request.headers, 'x-sync-doctor-signature': upper },
    });
    expect(accepted.statusCode).toBe(202);
    const forged = signed('sdwh_not-the-secret', body(101));
    const refused = await relay.app.inject({
      method: 'POST',
      url,
      payload: forged.payload,
      headers: {
        ...forged.headers,
        'x-sync-doctor-signature': forged.headers['x-sync-doctor-signature']
          .toUpperCase()
          .replace('V1=', 'v1='),
      },
    });
    expect([refused.statusCode, refused.json().code]).toEqual([401, 'SIGNATURE_MISMATCH']);
  });
});
