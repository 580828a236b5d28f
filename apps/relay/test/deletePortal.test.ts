import { randomBytes } from 'node:crypto';
import {
  admin,
  createPortal,
  listen,
  POSTGRES_URL,
  postgresSchema,
  signed,
  startTestRelay,
  waitFor,
  type TestRelay,
} from './helpers.js';

// DELETE /v1/admin/portals/:portalId: everything of the portal goes, every cache forgets it, its
// open streams end.

const csv =
  'Error type,Object,Field,Error message\nFIELD_PERMISSION,Contact,Industry,Field is not writeable\n';
const email = (hub: string) =>
  [
    'From: HubSpot <noreply@hubspot.com>',
    'Subject: Salesforce integration suspended',
    'Message-ID: <del-1@hubspot.com>',
    `Date: ${new Date().toUTCString()}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Your Salesforce integration for hub ${hub} has been suspended: Salesforce org API limit exceeded.`,
    '',
  ].join('\r\n');

/** Opens a stream and resolves once its opening status arrived; `ended` resolves when the server ends it. */
async function openStream(
  base: string,
  portalId: string,
): Promise<{ ended: Promise<string>; abort: () => void }> {
  const controller = new AbortController();
  const response = await fetch(`${base}/v1/portals/${portalId}/stream`, {
    headers: admin,
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  let text = '';
  let opened!: () => void;
  const openedPromise = new Promise<void>((resolve) => (opened = resolve));
  const ended = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return text;
      text += Buffer.from(value).toString('utf8');
      if (/event: status\n/.test(text)) opened();
    }
  })();
  await openedPromise;
  return {
    ended,
    abort: () => {
      ended.catch(() => undefined);
      controller.abort();
    },
  };
}

describe('DELETE /v1/admin/portals/:portalId', () => {
  let relay: TestRelay;
  let base: string;

  beforeAll(async () => {
    relay = await startTestRelay();
    base = await listen(relay.app);
  });
  afterAll(() => relay.close());

  const del = (portalId: string, headers: Record<string, string> = admin) =>
    relay.app.inject({ method: 'DELETE', url: `/v1/admin/portals/${portalId}`, headers });

  test('removes the portal and all it kept; its next signed request is a 404 at once; its stream ends; a second DELETE is a 404', async () => {
    const portalId = '8800001';
    const { signingSecret, inboundToken } = await createPortal(relay.app, portalId);
    const other = await createPortal(relay.app, '8800002');
    const webhook = (secret: string, id: string, eventId: string) =>
      relay.app.inject({
        method: 'POST',
        url: `/v1/portals/${id}/suspensions`,
        ...signed(secret, { reason: 'ORG_LOCKED', occurredAt: new Date().toISOString(), eventId }),
      });
    expect((await webhook(signingSecret, portalId, 'd-1')).statusCode).toBe(202);
    expect((await webhook(other.signingSecret, '8800002', 'o-1')).statusCode).toBe(202);
    expect(
      (
        await relay.app.inject({
          method: 'POST',
          url: `/v1/inbound/email?token=${encodeURIComponent(inboundToken)}`,
          headers: { 'content-type': 'message/rfc822' },
          payload: email(portalId),
        })
      ).statusCode,
    ).toBe(202);
    expect(
      (
        await relay.app.inject({
          method: 'POST',
          url: `/v1/portals/${portalId}/sync-errors`,
          headers: { ...admin, 'content-type': 'text/csv' },
          payload: csv,
        })
      ).statusCode,
    ).toBe(201);
    await waitFor(
      () => relay.publisher.published.filter((p) => p.target.portalId === portalId).length === 2,
      5000,
      'deliveries',
    );
    // Warm every cache: the portal (signature checks), the status, Salesforce reachability.
    expect(
      (
        await relay.app.inject({
          method: 'GET',
          url: `/v1/portals/${portalId}/state`,
          headers: admin,
        })
      ).json().state,
    ).toBe('suspended');
    expect(
      (await relay.app.inject({ method: 'GET', url: '/health', headers: admin })).json().salesforce,
    ).toHaveProperty(portalId);
    const stream = await openStream(base, portalId);
    const otherStream = await openStream(base, '8800002');

    // The admin token is required, as on every admin route.
    expect((await del(portalId, {})).statusCode).toBe(401);
    expect(
      (await del(portalId, { authorization: 'Bearer not-the-admin-token-at-all' })).statusCode,
    ).toBe(401);

    const deleted = await del(portalId);
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    await expect(stream.ended).resolves.toMatch(/event: status/);

    // Within the portal cache's 2 seconds: the signed request is refused as unknown, nothing stored.
    const after = await webhook(signingSecret, portalId, 'd-2');
    expect([after.statusCode, after.json().code]).toEqual([404, 'UNKNOWN_PORTAL']);
    for (const path of ['state', 'history', 'deliveries', 'stream']) {
      const read = await relay.app.inject({
        method: 'GET',
        url: `/v1/portals/${portalId}/${path}`,
        headers: admin,
      });
      expect([path, read.statusCode, read.json().code]).toEqual([path, 404, 'UNKNOWN_PORTAL']);
    }
    expect(
      (
        await relay.app.inject({
          method: 'GET',
          url: `/v1/admin/portals/${portalId}`,
          headers: admin,
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await relay.app.inject({
          method: 'POST',
          url: `/v1/inbound/email?token=${encodeURIComponent(inboundToken)}`,
          headers: { 'content-type': 'message/rfc822' },
          payload: email(portalId),
        })
      ).statusCode,
    ).toBe(401);
    const health = (
      await relay.app.inject({ method: 'GET', url: '/health', headers: admin })
    ).json();
    expect(health.salesforce).not.toHaveProperty(portalId);
    expect(health.salesforce).toHaveProperty('8800002');
    expect(await relay.app.store.listDeliveries(portalId, { limit: 10 })).toEqual({
      items: [],
      nextCursor: null,
    });
    expect(await relay.app.store.latestSyncErrorReport(portalId)).toBeNull();
    expect(
      (await relay.app.inject({ method: 'GET', url: '/v1/admin/portals', headers: admin }))
        .json()
        .map((p: { id: string }) => p.id),
    ).not.toContain(portalId);

    // Retrying the DELETE does nothing more; an unknown or malformed id is told apart.
    expect([(await del(portalId)).statusCode, (await del(portalId)).json().code]).toEqual([
      404,
      'UNKNOWN_PORTAL',
    ]);
    expect((await del('no-such-portal')).statusCode).toBe(404);
    expect((await del('bad%20id')).statusCode).toBe(400);

    // The other portal, its stream included, is untouched.
    expect(
      (
        await relay.app.inject({ method: 'GET', url: '/v1/portals/8800002/state', headers: admin })
      ).json().state,
    ).toBe('suspended');
    expect((await webhook(other.signingSecret, '8800002', 'o-2')).statusCode).toBe(202);
    otherStream.abort();

    // The id can be configured again, from nothing.
    const again = await createPortal(relay.app, portalId);
    expect(again.signingSecret).not.toBe(signingSecret);
    expect((await webhook(signingSecret, portalId, 'd-3')).statusCode).toBe(401);
    const state = (
      await relay.app.inject({
        method: 'GET',
        url: `/v1/portals/${portalId}/state`,
        headers: admin,
      })
    ).json();
    expect(state).toMatchObject({ state: 'cleared', reason: null, since: null, history: [] });
    expect((await webhook(again.signingSecret, portalId, 'd-1')).statusCode).toBe(202);
  });

  test('is in the OpenAPI description', async () => {
    const spec = (await relay.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const operation = spec.paths['/v1/admin/portals/{portalId}'].delete;
    expect(operation.tags).toEqual(['admin']);
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['204', '401', '404']));
    expect(operation.security).toEqual([{ adminToken: [] }]);
  });
});

describe('DELETE of a portal with several instances on PostgreSQL', () => {
  test('the other instance forgets it at once (its caches were warm) and ends its streams', async () => {
    const { schema, drop } = await postgresSchema();
    const secretKey = randomBytes(32);
    const overrides = { databaseUrl: POSTGRES_URL, databaseSchema: schema, secretKey };
    const a = await startTestRelay(overrides);
    const b = await startTestRelay(overrides);
    try {
      const { signingSecret } = await createPortal(a.app, '8800010');
      const send = (relay: TestRelay, eventId: string) =>
        relay.app.inject({
          method: 'POST',
          url: '/v1/portals/8800010/suspensions',
          ...signed(signingSecret, {
            reason: 'ORG_LOCKED',
            occurredAt: new Date().toISOString(),
            eventId,
          }),
        });
      expect((await send(b, 'pg-1')).statusCode).toBe(202);
      const stream = await openStream(await listen(b.app), '8800010');
      expect(
        (await a.app.inject({ method: 'DELETE', url: '/v1/admin/portals/8800010', headers: admin }))
          .statusCode,
      ).toBe(204);
      await expect(stream.ended).resolves.toMatch(/event: status/);
      const after = await send(b, 'pg-2');
      expect([after.statusCode, after.json().code]).toEqual([404, 'UNKNOWN_PORTAL']);
      expect(
        (await b.app.inject({ method: 'DELETE', url: '/v1/admin/portals/8800010', headers: admin }))
          .statusCode,
      ).toBe(404);
    } finally {
      await a.close();
      await b.close();
      await drop();
    }
  });
});
