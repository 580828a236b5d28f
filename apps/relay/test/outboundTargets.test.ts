import { createServer, type Server } from 'node:http';
import { admin, createPortal, startTestRelay, type TestRelay } from './helpers.js';

// What an admin token, or a stolen one, can make the relay call. By default: https to public
// addresses only, for alert targets, SMTP and IMAP hosts and Salesforce URLs; the tests' own
// simulators on 127.0.0.1 are reached through RELAY_ALLOW_PRIVATE_TARGETS (allowPrivateTargets).

describe('outbound destinations set through the admin API (SSRF)', () => {
  let relay: TestRelay;
  let receiver: Server;
  let hits = 0;
  let receiverUrl: string;
  const portalId = '6660001';

  beforeAll(async () => {
    receiver = createServer((_req, res) => {
      hits++;
      res.end('ok');
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const address = receiver.address();
    receiverUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
    relay = await startTestRelay({ allowPrivateTargets: false });
    await createPortal(relay.app, portalId, null);
  });
  afterAll(async () => {
    await relay.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  const addTarget = (payload: Record<string, unknown>) =>
    relay.app.inject({
      method: 'POST',
      url: `/v1/admin/portals/${portalId}/alert-targets`,
      headers: admin,
      payload,
    });

  test.each([
    [
      'a webhook on loopback over http',
      { kind: 'webhook', url: 'http://127.0.0.1:5432/', secret: 'a-secret-of-16-chars' },
    ],
    [
      'the metadata service',
      {
        kind: 'webhook',
        url: 'https://169.254.169.254/latest/meta-data/iam/',
        secret: 'a-secret-of-16-chars',
      },
    ],
    [
      'a private address',
      { kind: 'webhook', url: 'https://10.0.0.7/hook', secret: 'a-secret-of-16-chars' },
    ],
    ['IPv6 loopback', { kind: 'slack', webhookUrl: 'https://[::1]/services/x' }],
    [
      'loopback as an IPv4-mapped IPv6 address',
      { kind: 'slack', webhookUrl: 'https://[::ffff:127.0.0.1]/services/x' },
    ],
    ['localhost by name', { kind: 'slack', webhookUrl: 'https://localhost/services/x' }],
    [
      'an SMTP host on the private network',
      {
        kind: 'email',
        from: 'a@example.com',
        to: ['b@example.com'],
        smtp: { host: '192.168.1.25', port: 25, tls: 'starttls' },
      },
    ],
    [
      'plain SMTP to loopback',
      {
        kind: 'email',
        from: 'a@example.com',
        to: ['b@example.com'],
        smtp: { host: '127.0.0.1', tls: 'none', allowPlainOnLoopback: true },
      },
    ],
  ])('an alert target to %s is refused with 400', async (_name, target) => {
    const response = await addTarget(target);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'INVALID_ALERT_TARGET' });
  });

  test('a webhook receiver on loopback is never called, not even by a test-send', async () => {
    expect(
      (
        await addTarget({
          kind: 'webhook',
          id: 'local',
          url: receiverUrl,
          secret: 'a-secret-of-16-chars',
        })
      ).statusCode,
    ).toBe(400);
    expect(hits).toBe(0);
  });

  test('a public https target is accepted', async () => {
    const response = await addTarget({
      kind: 'webhook',
      id: 'ops',
      url: 'https://hooks.example.com/sync-doctor',
      secret: 'a-secret-of-16-chars',
    });
    expect(response.statusCode).toBe(201);
  });

  test('a mailbox on a private address is refused with 400', async () => {
    for (const host of ['127.0.0.1', '169.254.169.254', 'localhost', '10.0.0.8']) {
      const response = await relay.app.inject({
        method: 'PUT',
        url: `/v1/admin/portals/${portalId}/mailbox`,
        headers: admin,
        payload: { host, user: 'u', password: 'p' },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        code: 'INVALID_MAILBOX',
        error: expect.stringMatching(/not a public address/),
      });
    }
  });

  test.each([
    [
      'a token session on loopback',
      { kind: 'token', instanceUrl: 'http://127.0.0.1:9', accessToken: 'token-for-tests' },
    ],
    [
      'a token session over http',
      {
        kind: 'token',
        instanceUrl: 'http://acme.my.salesforce.com',
        accessToken: 'token-for-tests',
      },
    ],
    [
      'a JWT login at the metadata service',
      {
        kind: 'jwt',
        clientId: 'c',
        username: 'relay@example.com',
        loginUrl: 'https://169.254.169.254',
        privateKey: 'x'.repeat(64),
      },
    ],
  ])(
    'a Salesforce connection to %s is refused with 400, on create and on PUT',
    async (_name, salesforce) => {
      const put = await relay.app.inject({
        method: 'PUT',
        url: `/v1/admin/portals/${portalId}/salesforce`,
        headers: admin,
        payload: salesforce,
      });
      expect(put.statusCode).toBe(400);
      expect(put.json()).toMatchObject({ code: 'INVALID_SALESFORCE_URL' });
      const create = await relay.app.inject({
        method: 'POST',
        url: '/v1/admin/portals',
        headers: admin,
        payload: { id: '6660099', salesforce },
      });
      expect(create.statusCode).toBe(400);
      expect(create.json()).toMatchObject({ code: 'INVALID_SALESFORCE_URL' });
    },
  );

  test('a Salesforce connection to a public https URL is accepted', async () => {
    const put = await relay.app.inject({
      method: 'PUT',
      url: `/v1/admin/portals/${portalId}/salesforce`,
      headers: admin,
      payload: {
        kind: 'token',
        instanceUrl: 'https://acme.my.salesforce.com',
        accessToken: 'token-for-tests',
      },
    });
    expect(put.statusCode).toBe(200);
  });
});

describe('RELAY_ALLOW_PRIVATE_TARGETS', () => {
  test('is off unless "true", and then lets loopback targets through', async () => {
    const { loadConfig } = await import('../src/config.js');
    expect(loadConfig({ RELAY_SECRET_KEY: 'a'.repeat(64) }).allowPrivateTargets).toBe(false);
    expect(
      loadConfig({ RELAY_SECRET_KEY: 'a'.repeat(64), RELAY_ALLOW_PRIVATE_TARGETS: 'true' })
        .allowPrivateTargets,
    ).toBe(true);
    const relay = await startTestRelay({ allowPrivateTargets: true });
    try {
      await createPortal(relay.app, '6660002');
      const response = await relay.app.inject({
        method: 'POST',
        url: '/v1/admin/portals/6660002/alert-targets',
        headers: admin,
        payload: {
          kind: 'webhook',
          url: 'http://127.0.0.1:9/hook',
          secret: 'a-secret-of-16-chars',
        },
      });
      expect(response.statusCode).toBe(201);
    } finally {
      await relay.close();
    }
  });
});

describe('a Salesforce URL the schema lets through but WHATWG URL refuses', () => {
  const malformed = [
    'https://a.com:99999',
    'https://[1.2.3.4]',
    'https://a%00b.com',
    'https://[fe80::1%25x]',
  ];
  const connections = (url: string) => [
    { kind: 'token', instanceUrl: url, accessToken: 'token-for-tests' },
    {
      kind: 'jwt',
      clientId: 'c',
      username: 'relay@example.com',
      loginUrl: url,
      privateKey: 'x'.repeat(64),
    },
  ];

  test.each([false, true])(
    'is a 400 INVALID_SALESFORCE_URL, never a 500, and nothing is stored (private targets allowed: %s)',
    async (allowPrivateTargets) => {
      const relay = await startTestRelay({ allowPrivateTargets });
      try {
        await createPortal(relay.app, '6660003', null);
        for (const url of malformed)
          for (const salesforce of connections(url)) {
            const put = await relay.app.inject({
              method: 'PUT',
              url: '/v1/admin/portals/6660003/salesforce',
              headers: admin,
              payload: salesforce,
            });
            expect([url, put.statusCode]).toEqual([url, 400]);
            expect(put.json()).toMatchObject({
              code: 'INVALID_SALESFORCE_URL',
              error: expect.stringMatching(/is not a valid URL/),
            });
            const create = await relay.app.inject({
              method: 'POST',
              url: '/v1/admin/portals',
              headers: admin,
              payload: { id: '6660004', salesforce },
            });
            expect([url, create.statusCode]).toEqual([url, 400]);
            expect(create.json()).toMatchObject({ code: 'INVALID_SALESFORCE_URL' });
          }
        const portal = await relay.app.inject({
          method: 'GET',
          url: '/v1/admin/portals/6660003',
          headers: admin,
        });
        expect(portal.json().salesforce).toEqual({ configured: false });
        const missing = await relay.app.inject({
          method: 'GET',
          url: '/v1/admin/portals/6660004',
          headers: admin,
        });
        expect(missing.statusCode).toBe(404);
      } finally {
        await relay.close();
      }
    },
  );
});
