import { SUSPENSION_REASONS } from '@sync-doctor/core';
import {
  POSTGRES_URL,
  admin,
  createPortal,
  postgresSchema,
  signed,
  startTestRelay,
  type TestRelay,
} from './helpers.js';

// PostgreSQL's text cannot hold U+0000; SQLite's can. A request carrying one must be stored all the
// same (U+FFFD in its place, on both stores): a 500 would have HubSpot and inbound-mail services
// retry it forever, and it would never be stored.
describe.each(['sqlite', 'postgres'] as const)('U+0000 in what a request carries: %s', (kind) => {
  let relay: TestRelay;
  let drop: () => Promise<void> = async () => undefined;
  let secret: string;
  let inboundToken: string;
  const portalId = '5550001';

  beforeAll(async () => {
    if (kind === 'postgres') {
      const { schema, drop: dropSchema } = await postgresSchema();
      drop = dropSchema;
      relay = await startTestRelay({ databaseUrl: POSTGRES_URL, databaseSchema: schema });
    } else {
      relay = await startTestRelay();
    }
    ({ signingSecret: secret, inboundToken } = await createPortal(relay.app, portalId));
  });
  afterAll(async () => {
    await relay.close();
    await drop();
  });

  test('a signed webhook with U+0000 in its title is accepted and stored, U+FFFD in its place', async () => {
    const body = {
      reason: 'API_LIMIT_EXCEEDED',
      title: 'API limit exceeded\u0000',
      occurredAt: new Date().toISOString(),
      eventId: 'nul-1',
    };
    const response = await relay.app.inject({
      method: 'POST',
      url: `/v1/portals/${portalId}/suspensions`,
      ...signed(secret, body),
    });
    expect(response.statusCode).toBe(202);
    expect(response.json().status).toMatchObject({
      state: 'suspended',
      title: 'API limit exceeded\uFFFD',
    });
    const history = await relay.app.inject({
      method: 'GET',
      url: `/v1/portals/${portalId}/history`,
      headers: admin,
    });
    expect(history.json().items[0]).toMatchObject({
      eventId: 'nul-1',
      title: 'API limit exceeded\uFFFD',
    });
  });

  test('an inbound e-mail with a NUL byte is accepted and stored', async () => {
    const title = SUSPENSION_REASONS.ORG_LOCKED.titles.en;
    const raw = Buffer.from(
      [
        'From: HubSpot <noreply@notifications.hubspot.com>',
        'Subject: Your HubSpot-Salesforce integration has been suspended',
        'Message-ID: <nul-byte@notifications.hubspot.com>',
        'Content-Type: text/plain; charset=utf-8',
        '',
        `${title}\0`,
        `https://app.hubspot.com/integrations-settings/${portalId}/installed/salesforce/sync-health`,
      ].join('\r\n'),
    );
    const response = await relay.app.inject({
      method: 'POST',
      url: `/v1/inbound/email?token=${inboundToken}`,
      headers: { 'content-type': 'message/rfc822' },
      payload: raw,
    });
    expect(response.statusCode).toBe(202);
    expect(response.json().status).toMatchObject({
      state: 'suspended',
      reason: 'ORG_LOCKED',
      source: 'email',
    });
  });

  test('a portal named with U+0000 is created', async () => {
    const response = await relay.app.inject({
      method: 'POST',
      url: '/v1/admin/portals',
      headers: admin,
      payload: { id: '5550002', name: 'a\u0000b' },
    });
    expect(response.statusCode).toBe(201);
    const portal = await relay.app.inject({
      method: 'GET',
      url: '/v1/admin/portals/5550002',
      headers: admin,
    });
    expect(portal.json()).toMatchObject({ id: '5550002', name: 'a\uFFFDb' });
  });
});
