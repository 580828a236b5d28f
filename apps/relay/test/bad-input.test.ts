import type { InjectOptions } from 'fastify';
import { signPayload } from '../src/crypto/signature.js';
import { connect } from 'node:net';
import { generateKeyPairSync } from 'node:crypto';
import { API_SECURITY_HEADERS } from '../src/plugins/security.js';
import { admin, createPortal, listen, startTestRelay, type TestRelay } from './helpers.js';

// Every malformed request is a clear 4xx, never a 500, never a stack trace, and stores nothing.
describe('bad input', () => {
  let relay: TestRelay;
  let secret: string;
  let token: string;
  const portalId = '5550001';
  const url = `/v1/portals/${portalId}/suspensions`;

  beforeAll(async () => {
    relay = await startTestRelay({
      limits: {
        jsonBodyBytes: 64 * 1024,
        emailBodyBytes: 256 * 1024,
        emailKeepBytes: 1024,
        csvBodyBytes: 512 * 1024,
      },
    });
    ({ signingSecret: secret, inboundToken: token } = await createPortal(relay.app, portalId));
  });
  afterAll(() => relay.close());

  const now = () => String(Math.floor(Date.now() / 1000));
  const signedRaw = (payload: string | Buffer, contentType: string | null = 'application/json') => {
    const timestamp = now();
    return {
      payload,
      headers: {
        ...(contentType ? { 'content-type': contentType } : {}),
        'x-sync-doctor-timestamp': timestamp,
        'x-sync-doctor-signature': signPayload(secret, timestamp, payload),
      },
    };
  };
  const valid = {
    reason: 'ORG_LOCKED',
    occurredAt: '2026-11-28T10:00:00Z',
    eventId: 'bad-input-valid',
  };
  const json = (value: unknown) => JSON.stringify(value);

  type Case = [name: string, request: () => InjectOptions, status: number, code?: string];
  const cases: Case[] = [
    [
      'malformed JSON',
      () => ({ method: 'POST', url, ...signedRaw('{"eventId": ') }),
      400,
      'MALFORMED_JSON',
    ],
    ['empty JSON body', () => ({ method: 'POST', url, ...signedRaw('') }), 400],
    // Refused before JSON.parse (inputs/jsonShape.ts): what keeps a RELAY_JSON_LIMIT raised to
    // megabytes from holding the event loop for seconds.
    [
      'JSON nested 65 deep',
      () => ({ method: 'POST', url, ...signedRaw(`{"a":${'['.repeat(64)}${']'.repeat(64)}}`) }),
      400,
      'JSON_TOO_DEEP',
    ],
    [
      'invalid UTF-8 in JSON',
      () => ({
        method: 'POST',
        url,
        ...signedRaw(
          Buffer.concat([
            Buffer.from('{"title":"'),
            Buffer.from([0xc3, 0x28, 0xff]),
            Buffer.from('","eventId":"x","occurredAt":"2026-11-28T10:00:00Z"}'),
          ]),
        ),
      }),
      400,
      'INVALID_UTF8',
    ],
    [
      'text/plain body',
      () => ({ method: 'POST', url, ...signedRaw(json(valid), 'text/plain') }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    ['no Content-Type', () => ({ method: 'POST', url, ...signedRaw(json(valid), null) }), 415],
    [
      // A client that promises more bytes than it sends: the body is incomplete, so nothing is read.
      'Content-Length larger than the body',
      () => {
        const request = signedRaw(json(valid));
        const headers = { ...request.headers, 'content-length': '4096' };
        return { method: 'POST', url, ...request, headers };
      },
      400,
      'INVALID_CONTENT_LENGTH',
    ],
    [
      'form-encoded body',
      () => ({
        method: 'POST',
        url,
        ...signedRaw('reason=ORG_LOCKED', 'application/x-www-form-urlencoded'),
      }),
      415,
    ],
    [
      'body over the JSON limit',
      () => ({
        method: 'POST',
        url,
        ...signedRaw(json({ ...valid, message: 'x'.repeat(70 * 1024) })),
      }),
      413,
      'BODY_TOO_LARGE',
    ],
    [
      'a JSON array',
      () => ({ method: 'POST', url, ...signedRaw('[1,2,3]') }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a JSON string',
      () => ({ method: 'POST', url, ...signedRaw('"hello"') }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'unknown reason code',
      () => ({ method: 'POST', url, ...signedRaw(json({ ...valid, reason: 'BANANAS' })) }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'occurredAt not a date',
      () => ({ method: 'POST', url, ...signedRaw(json({ ...valid, occurredAt: 'last tuesday' })) }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'occurredAt in 2099 (a suspension cannot start in the future)',
      () => ({
        method: 'POST',
        url,
        ...signedRaw(json({ ...valid, occurredAt: '2099-01-01T00:00:00Z', eventId: 'future' })),
      }),
      400,
      'OCCURRED_AT_IN_FUTURE',
    ],
    [
      'clear with occurredAt in 2099',
      () => ({
        method: 'POST',
        url: `/v1/portals/${portalId}/clear`,
        headers: admin,
        payload: { occurredAt: '2099-01-01T00:00:00Z' },
      }),
      400,
      'OCCURRED_AT_IN_FUTURE',
    ],
    [
      'missing eventId',
      () => ({
        method: 'POST',
        url,
        ...signedRaw(json({ reason: 'ORG_LOCKED', occurredAt: valid.occurredAt })),
      }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'empty eventId',
      () => ({ method: 'POST', url, ...signedRaw(json({ ...valid, eventId: '' })) }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'unknown property (typo)',
      () => ({ method: 'POST', url, ...signedRaw(json({ ...valid, reson: 'ORG_LOCKED' })) }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      '__proto__ property',
      () => ({
        method: 'POST',
        url,
        ...signedRaw(
          '{"__proto__":{"admin":true},"reason":"ORG_LOCKED","occurredAt":"2026-11-28T10:00:00Z","eventId":"p"}',
        ),
      }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'no reason, title or message',
      () => ({
        method: 'POST',
        url,
        ...signedRaw(json({ occurredAt: valid.occurredAt, eventId: 'nothing' })),
      }),
      400,
      'REASON_MISSING',
    ],
    [
      'deeply nested JSON',
      () => ({ method: 'POST', url, ...signedRaw('['.repeat(5000) + ']'.repeat(5000)) }),
      400,
      'JSON_TOO_DEEP',
    ],
    [
      'unknown portal',
      () => ({ method: 'POST', url: '/v1/portals/123/suspensions', ...signedRaw(json(valid)) }),
      404,
      'UNKNOWN_PORTAL',
    ],
    [
      'portal id with bad characters',
      () => ({ method: 'GET', url: '/v1/portals/a%20b%3Bdrop/state', headers: admin }),
      400,
      'INVALID_PORTAL_ID',
    ],
    ['unknown route', () => ({ method: 'GET', url: '/v1/nothing-here' }), 404, 'ROUTE_NOT_FOUND'],
    [
      'a malformed percent-encoding in the URL',
      () => ({ method: 'GET', url: '/v1/portals/%E0%A4%A/state', headers: admin }),
      400,
      'BAD_URL',
    ],
    ['wrong method', () => ({ method: 'DELETE', url }), 404],
    [
      'history with a forged cursor',
      () => ({ method: 'GET', url: `/v1/portals/${portalId}/history?cursor=Zm9v`, headers: admin }),
      400,
      'INVALID_CURSOR',
    ],
    [
      'history with limit 0',
      () => ({ method: 'GET', url: `/v1/portals/${portalId}/history?limit=0`, headers: admin }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'history with limit "many"',
      () => ({ method: 'GET', url: `/v1/portals/${portalId}/history?limit=many`, headers: admin }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'state without admin token',
      () => ({ method: 'GET', url: `/v1/portals/${portalId}/state` }),
      401,
      'ADMIN_TOKEN_INVALID',
    ],
    [
      'admin with a wrong token',
      () => ({
        method: 'GET',
        url: '/v1/admin/portals',
        headers: { authorization: 'Bearer nope-nope-nope-nope' },
      }),
      401,
    ],
    [
      'admin: portal with a bad id',
      () => ({
        method: 'POST',
        url: '/v1/admin/portals',
        headers: admin,
        payload: { id: '../../etc' },
      }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      // Salesforce keeps 32 characters of it (Portal_Id__c): a longer one would fail every delivery.
      'admin: portal with an id longer than Salesforce keeps',
      () => ({
        method: 'POST',
        url: '/v1/admin/portals',
        headers: admin,
        payload: { id: '1'.repeat(33) },
      }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'portal id longer than Salesforce keeps, in the URL',
      () => ({ method: 'GET', url: `/v1/portals/${'1'.repeat(33)}/state`, headers: admin }),
      400,
      'INVALID_PORTAL_ID',
    ],
    [
      'admin: duplicate portal',
      () => ({
        method: 'POST',
        url: '/v1/admin/portals',
        headers: admin,
        payload: { id: portalId },
      }),
      409,
      'PORTAL_EXISTS',
    ],
    [
      'admin: Salesforce JWT without a key',
      () => ({
        method: 'PUT',
        url: `/v1/admin/portals/${portalId}/salesforce`,
        headers: admin,
        payload: {
          kind: 'jwt',
          clientId: 'x',
          username: 'u@x',
          loginUrl: 'https://login.salesforce.com',
        },
      }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'admin: Salesforce JWT with a key that is not one',
      () => ({
        method: 'PUT',
        url: `/v1/admin/portals/${portalId}/salesforce`,
        headers: admin,
        payload: {
          kind: 'jwt',
          clientId: 'x',
          username: 'u@x',
          loginUrl: 'https://login.salesforce.com',
          privateKey: `-----BEGIN PRIVATE KEY-----\n${'A'.repeat(120)}\n-----END PRIVATE KEY-----`,
        },
      }),
      400,
      'INVALID_PRIVATE_KEY',
    ],
    [
      'admin: Salesforce JWT with an EC key (RS256 needs RSA)',
      () => ({
        method: 'PUT',
        url: `/v1/admin/portals/${portalId}/salesforce`,
        headers: admin,
        payload: {
          kind: 'jwt',
          clientId: 'x',
          username: 'u@x',
          loginUrl: 'https://login.salesforce.com',
          privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' })
            .privateKey.export({ type: 'pkcs8', format: 'pem' })
            .toString(),
        },
      }),
      400,
      'INVALID_PRIVATE_KEY',
    ],
    [
      'admin: new portal with a Salesforce JWT key that is not one',
      () => ({
        method: 'POST',
        url: '/v1/admin/portals',
        headers: admin,
        payload: {
          id: '5550099',
          salesforce: {
            kind: 'jwt',
            clientId: 'x',
            username: 'u@x',
            loginUrl: 'https://login.salesforce.com',
            privateKey: `-----BEGIN PRIVATE KEY-----\n${'B'.repeat(120)}\n-----END PRIVATE KEY-----`,
          },
        },
      }),
      400,
      'INVALID_PRIVATE_KEY',
    ],
    [
      'admin: Salesforce login URL that is not a URL',
      () => ({
        method: 'PUT',
        url: `/v1/admin/portals/${portalId}/salesforce`,
        headers: admin,
        payload: { kind: 'token', instanceUrl: 'javascript:alert(1)', accessToken: 'abcdefghijk' },
      }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'admin: unknown portal',
      () => ({
        method: 'POST',
        url: '/v1/admin/portals/777/signing-secret/rotate',
        headers: admin,
      }),
      404,
      'UNKNOWN_PORTAL',
    ],
    [
      'e-mail over the limit',
      () => ({
        method: 'POST',
        url: `/v1/inbound/email?token=${token}`,
        headers: { 'content-type': 'message/rfc822' },
        payload: 'Subject: x\r\n\r\n' + 'x'.repeat(300 * 1024),
      }),
      413,
      'BODY_TOO_LARGE',
    ],
    [
      'e-mail empty',
      () => ({
        method: 'POST',
        url: `/v1/inbound/email?token=${token}`,
        headers: { 'content-type': 'message/rfc822' },
        payload: '',
      }),
      400,
    ],
    [
      'CSV empty',
      () => ({
        method: 'POST',
        url: `/v1/portals/${portalId}/sync-errors`,
        headers: { ...admin, 'content-type': 'text/csv' },
        payload: '',
      }),
      400,
    ],
    [
      'CSV without known columns',
      () => ({
        method: 'POST',
        url: `/v1/portals/${portalId}/sync-errors`,
        headers: { ...admin, 'content-type': 'text/csv' },
        payload: 'a,b,c\n1,2,3\n',
      }),
      422,
      'CSV_COLUMNS_UNKNOWN',
    ],
    [
      'CSV with a quote inside an unquoted field',
      () => ({
        method: 'POST',
        url: `/v1/portals/${portalId}/sync-errors`,
        headers: { ...admin, 'content-type': 'text/csv' },
        payload: 'Error type,Message\nab"c,def\n',
      }),
      422,
      'CSV_MALFORMED',
    ],
    [
      'CSV with an unclosed quote',
      () => ({
        method: 'POST',
        url: `/v1/portals/${portalId}/sync-errors`,
        headers: { ...admin, 'content-type': 'text/csv' },
        payload: 'Error type,Object\n"Field permission,Contact\n',
      }),
      422,
      'CSV_MALFORMED',
    ],
    [
      'CSV over the limit',
      () => ({
        method: 'POST',
        url: `/v1/portals/${portalId}/sync-errors`,
        headers: { ...admin, 'content-type': 'text/csv' },
        payload: 'Error type,Object\n' + 'Field permission,Contact\n'.repeat(30_000),
      }),
      413,
      'BODY_TOO_LARGE',
    ],
    [
      'CSV unsigned and without token',
      () => ({
        method: 'POST',
        url: `/v1/portals/${portalId}/sync-errors`,
        headers: { 'content-type': 'text/csv' },
        payload: 'Error type\nx\n',
      }),
      401,
      'SIGNATURE_MISSING',
    ],
  ];

  // A rest parameter keeps jest from taking a 4th argument for a `done` callback.
  test.each(cases)('%s', async (...[, request, status, code]: Case) => {
    const before = await counts();
    const response = await relay.app.inject(request());
    expect(response.statusCode).toBe(status);
    const body = response.json();
    expect(body).toMatchObject({ statusCode: status, error: expect.any(String) });
    if (code) expect(body.code).toBe(code);
    expect(response.body).not.toMatch(/\bat .+\.(ts|js):\d+/); // no stack trace
    expect(await counts()).toEqual(before);
  });

  async function counts() {
    const changes = (await relay.app.store.listChanges(portalId, { limit: 200 })).items.length;
    const deliveries = (await relay.app.store.listDeliveries(portalId, { limit: 200 })).items
      .length;
    const report = await relay.app.store.latestSyncErrorReport(portalId);
    return { changes, deliveries, report: report?.id ?? null };
  }

  test('a portal refused for its Salesforce key is not created, and the key is not echoed', async () => {
    const privateKey = `-----BEGIN PRIVATE KEY-----\n${'C'.repeat(120)}\n-----END PRIVATE KEY-----`;
    const refused = await relay.app.inject({
      method: 'POST',
      url: '/v1/admin/portals',
      headers: admin,
      payload: {
        id: '5550098',
        salesforce: {
          kind: 'jwt',
          clientId: 'x',
          username: 'u@x',
          loginUrl: 'https://login.salesforce.com',
          privateKey,
        },
      },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatch(/RSA private key/);
    expect(refused.body).not.toContain('C'.repeat(120));
    expect(
      (await relay.app.inject({ method: 'GET', url: '/v1/admin/portals/5550098', headers: admin }))
        .statusCode,
    ).toBe(404);
  });

  test('errors Fastify raises before routing keep the API shape and its security headers', async () => {
    const response = await relay.app.inject({ method: 'GET', url: '/v1/portals/%E0%A4%A/state' });
    expect(response.json()).toEqual({
      statusCode: 400,
      code: 'BAD_URL',
      error: expect.stringContaining('percent-encoding'),
    });
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    for (const [name, value] of Object.entries(API_SECURITY_HEADERS))
      expect([name, response.headers[name]]).toEqual([name, value]);
  });

  test("a method Node's HTTP parser refuses (curl -X FOO) is answered in the API shape too", async () => {
    const probe = await startTestRelay();
    try {
      const base = new URL(await listen(probe.app));
      const socket = connect(Number(base.port), base.hostname);
      socket.end(`FOO /v1/portals/${portalId}/state HTTP/1.1\r\nHost: ${base.host}\r\n\r\n`);
      let raw = '';
      for await (const chunk of socket) raw += String(chunk);
      const [head, body] = raw.split('\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(head).toMatch(/\r\nx-content-type-options: nosniff\r\n/);
      expect(JSON.parse(body!)).toEqual({
        statusCode: 400,
        code: 'UNKNOWN_METHOD',
        error: expect.any(String),
      });
    } finally {
      await probe.close();
    }
  });

  test('after all of that the relay still works', async () => {
    const response = await relay.app.inject({ method: 'POST', url, ...signedRaw(json(valid)) });
    expect(response.statusCode).toBe(202);
  });
});
