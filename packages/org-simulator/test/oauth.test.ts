import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { startOrgSimulator, type OrgSimulator } from '../src/index.js';
import { API } from './helpers.js';

const CLIENT_ID = '3MVG9-sync-doctor-test';
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });

function jwt(claims: Record<string, unknown>, key: KeyObject = privateKey, alg = 'RS256'): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg, typ: 'JWT' })}.${encode(claims)}`;
  return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), key).toString('base64url')}`;
}

const claimsFor = (sub: string, overrides: Record<string, unknown> = {}) => ({
  iss: CLIENT_ID,
  sub,
  aud: 'https://login.salesforce.com',
  exp: Math.floor(Date.now() / 1000) + 180,
  ...overrides,
});

async function token(
  sim: OrgSimulator,
  form: Record<string, string>,
): Promise<{ status: number; body: Record<string, string> }> {
  const res = await fetch(`${sim.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

const jwtGrant = (assertion: string) => ({
  grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
  assertion,
});

let sim: OrgSimulator;
beforeAll(async () => {
  sim = await startOrgSimulator({
    fixture: 'healthy',
    jwtPublicKey: publicKey,
    clientId: CLIENT_ID,
  });
});
afterAll(() => sim.close());

describe('JWT bearer flow', () => {
  test('a signed assertion for a known user returns a working session', async () => {
    const { status, body } = await token(
      sim,
      jwtGrant(jwt(claimsFor('hubspot.integration@acme.example'))),
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ instance_url: sim.url, token_type: 'Bearer', scope: 'api' });
    expect(body.id).toBe(`${sim.url}/id/${sim.org.organizationId}/${sim.integrationUser.Id}`);
    expect(Number(body.issued_at)).toBeGreaterThan(0);
    expect(body.signature).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(body.refresh_token).toBeUndefined();
    const res = await fetch(`${sim.url}${API}/limits`, {
      headers: { Authorization: `Bearer ${body.access_token}` },
    });
    expect(res.status).toBe(200);
    const identity = await fetch(body.id!, {
      headers: { Authorization: `Bearer ${body.access_token}` },
    });
    expect(await identity.json()).toMatchObject({
      username: 'hubspot.integration@acme.example',
      user_id: sim.integrationUser.Id,
    });
  });

  test.each([
    [
      'a signature by another key',
      jwt(claimsFor('admin@acme.example'), other.privateKey),
      'invalid_grant',
      'invalid assertion',
    ],
    [
      'an unknown user',
      jwt(claimsFor('nobody@acme.example')),
      'invalid_grant',
      "user hasn't approved this consumer",
    ],
    [
      'an inactive user',
      jwt(claimsFor('old.hubspot@acme.example')),
      'invalid_grant',
      'inactive user',
    ],
    [
      'another audience',
      jwt(claimsFor('admin@acme.example', { aud: 'https://example.com' })),
      'invalid_grant',
      'audience is invalid',
    ],
    [
      'an expired assertion',
      jwt(claimsFor('admin@acme.example', { exp: Math.floor(Date.now() / 1000) - 10 })),
      'invalid_grant',
      'expired authorization code',
    ],
    [
      'an assertion valid for more than 3 minutes',
      jwt(claimsFor('admin@acme.example', { exp: Math.floor(Date.now() / 1000) + 600 })),
      'invalid_grant',
      'expired authorization code',
    ],
    [
      'another client id',
      jwt(claimsFor('admin@acme.example', { iss: 'someone-else' })),
      'invalid_client_id',
      'client identifier invalid',
    ],
    ['a malformed assertion', 'not.a.jwt', 'invalid_grant', 'invalid assertion'],
  ])('%s is refused with 400', async (_what, assertion, error, description) => {
    const { status, body } = await token(sim, jwtGrant(assertion));
    expect(status).toBe(400);
    expect(body).toEqual({ error, error_description: description });
  });

  test('unsupported grant types and GET are refused', async () => {
    expect(await token(sim, { grant_type: 'password' })).toEqual({
      status: 400,
      body: { error: 'unsupported_grant_type', error_description: 'grant type not supported' },
    });
    expect((await fetch(`${sim.url}/services/oauth2/token`)).status).toBe(405);
  });

  test('after a My Domain change (setInstanceUrl) new log-ins are told the new instance_url', async () => {
    const grant = () => token(sim, jwtGrant(jwt(claimsFor(sim.adminUser.Username))));
    sim.setInstanceUrl('https://acme-new.my.salesforce.com');
    try {
      expect((await grant()).body.instance_url).toBe('https://acme-new.my.salesforce.com');
    } finally {
      sim.setInstanceUrl(null);
    }
    expect((await grant()).body.instance_url).toBe(sim.url);
  });

  test('injected faults answer as the token endpoint does: an HTML 503 page, or unknown_error (retry your request)', async () => {
    const grant = jwtGrant(jwt(claimsFor(sim.adminUser.Username)));
    const post = () =>
      fetch(`${sim.url}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(grant).toString(),
      });
    sim.injectFault({ path: '/services/oauth2/token', fault: 'SERVER_UNAVAILABLE', times: 1 });
    sim.injectFault({ path: '/services/oauth2/token', fault: 'INTERNAL_SERVER_ERROR', times: 1 });
    const down = await post();
    expect(down.status).toBe(503);
    expect(down.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await down.text()).toContain('unavailable');
    const passing = await post();
    expect(passing.status).toBe(500);
    expect(await passing.json()).toEqual({
      error: 'unknown_error',
      error_description: 'retry your request',
    });
    expect((await post()).status).toBe(200);
  });
});

describe('refresh token flow and expired sessions', () => {
  test('an expired session gets 401; the refresh token gives a new session that works', async () => {
    const own = await startOrgSimulator({ fixture: 'healthy', clientId: CLIENT_ID });
    try {
      own.expireSession();
      const expired = await fetch(`${own.url}${API}/limits`, {
        headers: { Authorization: `Bearer ${own.accessToken}` },
      });
      expect(expired.status).toBe(401);
      expect(await expired.json()).toEqual([
        { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
      ]);
      const refreshed = await token(own, {
        grant_type: 'refresh_token',
        refresh_token: own.refreshToken,
        client_id: CLIENT_ID,
      });
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.access_token).not.toBe(own.accessToken);
      const again = await fetch(`${own.url}${API}/limits`, {
        headers: { Authorization: `Bearer ${refreshed.body.access_token}` },
      });
      expect(again.status).toBe(200);
      expect(
        (
          await token(own, {
            grant_type: 'refresh_token',
            refresh_token: 'nope',
            client_id: CLIENT_ID,
          })
        ).body.error,
      ).toBe('invalid_grant');
      // Without a public key the signature is not checked, but the claims still are.
      const unsigned = await token(
        own,
        jwtGrant(jwt(claimsFor('admin@acme.example'), other.privateKey)),
      );
      expect(unsigned.status).toBe(200);
    } finally {
      await own.close();
    }
  });

  test('a user without API Enabled gets a session, but every call is API_CURRENTLY_DISABLED', async () => {
    const disabled = await startOrgSimulator({ fixture: 'api-disabled', jwtPublicKey: publicKey });
    try {
      const { body } = await token(
        disabled,
        jwtGrant(jwt(claimsFor('hubspot.integration@acme.example'))),
      );
      const res = await fetch(`${disabled.url}${API}/limits`, {
        headers: { Authorization: `Bearer ${body.access_token}` },
      });
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual([
        { message: 'API is disabled for this User', errorCode: 'API_CURRENTLY_DISABLED' },
      ]);
    } finally {
      await disabled.close();
    }
  });
});
