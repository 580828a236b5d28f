import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { ImapFlow } from 'imapflow';
import pino from 'pino';
// The throwaway Dovecot and fake authorization server of the hubspot-signals tests, reused as is.
import type { Dovecot } from '../../../packages/hubspot-signals/test/helpers/dovecot.js';
import type { FakeAuthServer } from '../../../packages/hubspot-signals/test/helpers/oauthServer.js';
import { LOG_REDACTIONS } from '../src/app.js';
import { ConfigError, ENVIRONMENT_HELP, loadConfig } from '../src/config.js';
import { decryptSecret } from '../src/crypto/secrets.js';
import { hubspotStoreOf } from '../src/store/hubspotStore.js';
import { startChildRelay, type ChildRelay } from './childRelay.js';
import { admin, createPortal, tempDir, waitFor } from './helpers.js';
import {
  getMailbox,
  putMailbox,
  refusedTokenLine,
  startOAuthMailbox,
  startTlsAuthServer,
  stopOAuthMailbox,
  suspensionNotice,
} from './mailboxOAuthHelpers.js';
import {
  mailboxSignals,
  signalsConfig,
  startSignalsRelay,
  type SignalsRelay,
} from './signalsHelpers.js';

jest.setTimeout(60_000);

// Microsoft 365 / Exchange Online takes no IMAP password any more: a mailbox logs in with an OAuth
// 2.0 token (client credentials) instead. The admin API and the environment take the client, keep
// its secret sealed like a password, and never show or log it.

const USER = 'hubspot-alerts@example.com';
const SECRET_MARK = 'cs-never-shown-';
const m365 = (secret = `${SECRET_MARK}${randomBytes(6).toString('hex')}`) => ({
  kind: 'microsoft365',
  tenantId: 'contoso.onmicrosoft.com',
  clientId: '00000000-1111-2222-3333-444444444444',
  clientSecret: secret,
});
describe('mailbox OAuth settings in the admin API', () => {
  let relay: SignalsRelay;
  beforeAll(async () => {
    // The production rule: no private targets, no plain text to loopback.
    relay = await startSignalsRelay({
      signals: signalsConfig({ alerts: { enabled: false } }),
      overrides: { allowPrivateTargets: false },
    });
    await createPortal(relay.app, '5100', null);
  });
  afterAll(() => relay.close());

  const base = { host: 'outlook.office365.com', user: USER };
  test.each([
    ['neither password nor oauth', { ...base }, 'INVALID_MAILBOX', 'give password, or oauth'],
    [
      'both password and oauth',
      { ...base, password: 'pw', oauth: m365() },
      'INVALID_MAILBOX',
      'give either password or oauth, not both',
    ],
    [
      'microsoft365 without a tenant',
      { ...base, oauth: { ...m365(), tenantId: undefined } },
      'INVALID_MAILBOX',
      'oauth.tenantId is required with kind microsoft365',
    ],
    [
      'microsoft365 with a token URL',
      { ...base, oauth: { ...m365(), tokenUrl: 'https://login.example.com/token' } },
      'INVALID_MAILBOX',
      'oauth.tokenUrl is not taken with kind microsoft365',
    ],
    [
      'client-credentials without a token URL',
      { ...base, oauth: { kind: 'client-credentials', clientId: 'c', clientSecret: 's' } },
      'INVALID_MAILBOX',
      'oauth.tokenUrl is not a URL',
    ],
    [
      'an http token URL',
      {
        ...base,
        oauth: {
          kind: 'client-credentials',
          tokenUrl: 'http://login.example.com/token',
          clientId: 'c',
          clientSecret: 's',
        },
      },
      'INVALID_MAILBOX',
      'oauth.tokenUrl must use https',
    ],
    [
      'a token URL on loopback',
      {
        ...base,
        oauth: {
          kind: 'client-credentials',
          tokenUrl: 'https://127.0.0.1:8443/token',
          clientId: 'c',
          clientSecret: 's',
        },
      },
      'INVALID_MAILBOX',
      'not a public address',
    ],
    [
      'a token URL on the metadata service',
      {
        ...base,
        oauth: {
          kind: 'client-credentials',
          tokenUrl: 'https://169.254.169.254/token',
          clientId: 'c',
          clientSecret: 's',
        },
      },
      'INVALID_MAILBOX',
      'not a public address',
    ],
    [
      'a token URL with credentials in it',
      {
        ...base,
        oauth: {
          kind: 'client-credentials',
          tokenUrl: 'https://id:pw@login.example.com/token',
          clientId: 'c',
          clientSecret: 's',
        },
      },
      'INVALID_MAILBOX',
      'must not carry a user name or password',
    ],
    ['an unknown kind', { ...base, oauth: { ...m365(), kind: 'google' } }, null, 'kind'],
    [
      'an empty client secret',
      { ...base, oauth: { ...m365(), clientSecret: '' } },
      null,
      'clientSecret',
    ],
    [
      'a field the kind does not have',
      { ...base, oauth: { ...m365(), refreshToken: 'x' } },
      null,
      'additional',
    ],
  ])('refuses %s with a 400 that says why', async (_what, payload, code, message) => {
    const response = await putMailbox(relay, '5100', payload);
    expect(response.statusCode).toBe(400);
    const body = response.json();
    if (code) expect(body.code).toBe(code);
    expect(JSON.stringify(body)).toContain(message);
    expect(response.body).not.toContain(SECRET_MARK);
  });

  test('keeps the client secret sealed, never returns it, and says the mailbox logs in with OAuth', async () => {
    const oauth = m365();
    const put = await putMailbox(relay, '5100', { ...base, oauth });
    expect(put.statusCode).toBe(200);
    const expected = {
      portalId: '5100',
      configured: true,
      host: 'outlook.office365.com',
      tls: 'implicit',
      user: USER,
      auth: 'oauth',
      oauth: {
        kind: 'microsoft365',
        tenantId: 'contoso.onmicrosoft.com',
        clientId: oauth.clientId,
      },
      mailbox: 'INBOX',
    };
    expect(put.json()).toMatchObject(expected);
    expect(put.body).not.toContain(oauth.clientSecret);
    const get = await getMailbox(relay, '5100');
    expect(get.json()).toMatchObject(expected);
    expect(get.body).not.toContain(oauth.clientSecret);
    expect(get.body).not.toContain('clientSecret');

    // Stored as the password is: inside the sealed settings, nowhere in clear.
    const row = (await hubspotStoreOf(relay.app.store).listMailboxes()).find(
      (m) => m.portalId === '5100',
    )!;
    expect(row.settingsSealed).not.toContain(oauth.clientSecret);
    expect(JSON.parse(decryptSecret(relay.app.config.secretKey, row.settingsSealed))).toMatchObject(
      { oauth },
    );

    // A generic endpoint shows its URL without the query, and back to a password shows that.
    const generic = await putMailbox(relay, '5100', {
      ...base,
      oauth: {
        kind: 'client-credentials',
        tokenUrl: 'https://idp.example.com/oauth2/token?tenant=acme',
        scope: 'imap',
        clientId: 'relay',
        clientSecret: oauth.clientSecret,
      },
    });
    expect(generic.json()).toMatchObject({
      auth: 'oauth',
      oauth: {
        kind: 'client-credentials',
        tokenUrl: 'https://idp.example.com/oauth2/token',
        scope: 'imap',
        clientId: 'relay',
      },
    });
    expect(generic.body).not.toContain(oauth.clientSecret);
    const password = await putMailbox(relay, '5100', { ...base, password: 'an-app-password' });
    expect(password.json()).toMatchObject({ auth: 'password' });
    expect(password.json().oauth).toBeUndefined();
  });

  test('a change from password to OAuth and back keeps no stale secret in the store', async () => {
    const sealed = async () =>
      JSON.parse(
        decryptSecret(
          relay.app.config.secretKey,
          (await hubspotStoreOf(relay.app.store).listMailboxes()).find(
            (m) => m.portalId === '5100',
          )!.settingsSealed,
        ),
      ) as Record<string, unknown>;
    const password = `pw-${randomBytes(6).toString('hex')}`;
    expect((await putMailbox(relay, '5100', { ...base, password })).statusCode).toBe(200);
    const oauth = m365();
    expect((await putMailbox(relay, '5100', { ...base, oauth })).statusCode).toBe(200);
    const withOAuth = await sealed();
    expect(withOAuth).toMatchObject({ oauth });
    expect(withOAuth).not.toHaveProperty('password');
    expect(JSON.stringify(withOAuth)).not.toContain(password);
    expect((await putMailbox(relay, '5100', { ...base, password })).statusCode).toBe(200);
    const back = await sealed();
    expect(back).toMatchObject({ password });
    expect(back).not.toHaveProperty('oauth');
    expect(JSON.stringify(back)).not.toContain(oauth.clientSecret);
    expect((await getMailbox(relay, '5100')).json()).toMatchObject({ auth: 'password' });
  });

  test('the OpenAPI document describes the oauth body, its secret as write-only, and the auth field', async () => {
    const spec = (await relay.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const operation = spec.paths['/v1/admin/portals/{portalId}/mailbox'];
    const body = operation.put.requestBody.content['application/json'].schema;
    expect(body.properties.password).toBeDefined();
    expect(body.required).not.toContain('password');
    const oauth = body.properties.oauth;
    expect(oauth.properties.kind).toMatchObject({
      type: 'string',
      enum: ['microsoft365', 'client-credentials', 'google-service-account'],
    });
    expect(Object.keys(oauth.properties)).toEqual(
      expect.arrayContaining([
        'tenantId',
        'tokenUrl',
        'scope',
        'clientId',
        'clientSecret',
        'clientEmail',
        'privateKey',
      ]),
    );
    expect(oauth.required).toEqual(['kind']);
    expect(oauth.properties.clientSecret.writeOnly).toBe(true);
    expect(oauth.properties.privateKey.writeOnly).toBe(true);
    expect(body.properties.password.writeOnly).toBe(true);
    const view = operation.get.responses['200'].content['application/json'].schema;
    expect(view.properties.auth).toBeDefined();
    expect(view.required).toContain('auth');
    expect(Object.keys(view.properties.oauth.properties)).not.toContain('clientSecret');
    expect(Object.keys(view.properties.oauth.properties)).not.toContain('privateKey');
  });

  test('the log redacts a client secret and tokens wherever a mailbox setting carries them', () => {
    const lines: string[] = [];
    const log = pino(
      { redact: { paths: LOG_REDACTIONS, censor: '[redacted]' } },
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    const oauth = m365();
    log.info({ mailbox: { host: 'h', oauth } }, 'settings');
    log.info({ body: { oauth } }, 'body');
    log.info({ oauth }, 'oauth');
    log.info({ answer: { access_token: 'at-should-not-show' } }, 'answer');
    // ImapFlow's spelling of the token, in the auth it is given.
    log.info({ imap: { auth: { user: USER, accessToken: 'at-should-not-show' } } }, 'imap');
    log.info({ auth: { user: USER, accessToken: 'at-should-not-show' } }, 'auth');
    expect(lines).toHaveLength(6);
    for (const line of lines) {
      expect(line).not.toContain(oauth.clientSecret);
      expect(line).not.toContain('at-should-not-show');
    }
  });
});

describe('the shared mailbox from the environment', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());
  const load = (env: Record<string, string>) =>
    loadConfig({ RELAY_DATA_DIR: dir.path, RELAY_IMAP_HOST: 'outlook.office365.com', ...env });
  const m365Env = {
    RELAY_IMAP_USER: USER,
    RELAY_IMAP_OAUTH_TENANT_ID: 'contoso.onmicrosoft.com',
    RELAY_IMAP_OAUTH_CLIENT_ID: 'app',
    RELAY_IMAP_OAUTH_CLIENT_SECRET: 'env-secret',
  };

  test('reads Microsoft 365 and generic client credentials', () => {
    expect(load(m365Env).signals.mailbox.shared).toMatchObject({
      user: USER,
      oauth: {
        kind: 'microsoft365',
        tenantId: 'contoso.onmicrosoft.com',
        clientId: 'app',
        clientSecret: 'env-secret',
      },
    });
    expect(load(m365Env).signals.mailbox.shared!.password).toBeUndefined();
    expect(
      load({
        RELAY_IMAP_USER: USER,
        RELAY_IMAP_OAUTH_TOKEN_URL: 'https://idp.example.com/token',
        RELAY_IMAP_OAUTH_SCOPE: 'imap',
        RELAY_IMAP_OAUTH_CLIENT_ID: 'app',
        RELAY_IMAP_OAUTH_CLIENT_SECRET: 'env-secret',
      }).signals.mailbox.shared!.oauth,
    ).toEqual({
      kind: 'client-credentials',
      tokenUrl: 'https://idp.example.com/token',
      scope: 'imap',
      clientId: 'app',
      clientSecret: 'env-secret',
    });
    expect(ENVIRONMENT_HELP).toContain('RELAY_IMAP_OAUTH_TENANT_ID');
    expect(ENVIRONMENT_HELP).toContain('RELAY_IMAP_OAUTH_TOKEN_URL');
  });

  test.each([
    [
      { ...m365Env, RELAY_IMAP_PASSWORD: 'pw' },
      'RELAY_IMAP_PASSWORD and RELAY_IMAP_OAUTH_* are both set',
    ],
    [{ RELAY_IMAP_USER: USER }, 'RELAY_IMAP_PASSWORD, or RELAY_IMAP_OAUTH_CLIENT_ID'],
    [
      { ...m365Env, RELAY_IMAP_OAUTH_TOKEN_URL: 'https://idp.example.com/token' },
      'RELAY_IMAP_OAUTH_TENANT_ID and RELAY_IMAP_OAUTH_TOKEN_URL are both set',
    ],
    [
      { ...m365Env, RELAY_IMAP_OAUTH_TENANT_ID: '' },
      'RELAY_IMAP_OAUTH_TENANT_ID (Microsoft 365) or RELAY_IMAP_OAUTH_TOKEN_URL is required',
    ],
    [
      { ...m365Env, RELAY_IMAP_OAUTH_CLIENT_SECRET: '' },
      'RELAY_IMAP_OAUTH_CLIENT_SECRET is required',
    ],
    [
      { ...m365Env, RELAY_IMAP_OAUTH_SCOPE: 'x' },
      'RELAY_IMAP_OAUTH_SCOPE is only taken with RELAY_IMAP_OAUTH_TOKEN_URL',
    ],
    [
      {
        RELAY_IMAP_USER: USER,
        RELAY_IMAP_OAUTH_TOKEN_URL: 'http://idp.example.com/token',
        RELAY_IMAP_OAUTH_CLIENT_ID: 'app',
        RELAY_IMAP_OAUTH_CLIENT_SECRET: 'env-secret',
      },
      'RELAY_IMAP_OAUTH_TOKEN_URL must use https',
    ],
    [
      { ...m365Env, RELAY_IMAP_OAUTH_TENANT_ID: 'contoso/../x' },
      'RELAY_IMAP_OAUTH_TENANT_ID is required with kind microsoft365',
    ],
    [{ ...m365Env, RELAY_IMAP_HOST: '' }, 'RELAY_IMAP_OAUTH_* is set without RELAY_IMAP_HOST'],
  ])('refuses at start, naming the variable: %#', (env, message) => {
    let refusal = '';
    try {
      load(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      refusal = (error as Error).message;
    }
    expect(refusal).toContain(message);
    expect(refusal).not.toContain('env-secret');
  });
});

// A mailbox that accepts only OAuth tokens (Dovecot's oauth2 passdb, checking every XOAUTH2 or
// OAUTHBEARER login against the test's introspection endpoint).
describe('reading a mailbox that takes only OAuth tokens (real Dovecot)', () => {
  let auth: FakeAuthServer;
  let dovecot: Dovecot;
  let imap: ImapFlow;
  beforeAll(async () => {
    ({ auth, dovecot, imap } = await startOAuthMailbox(USER));
  });
  afterAll(() => stopOAuthMailbox({ auth, dovecot, imap }));

  const notice = (id: string, hub: string) => suspensionNotice(USER, id, hub);

  /** Resolves once the portal is suspended by a notice read from the mailbox (source email). */
  const suspendedByEmail = (relay: SignalsRelay, portalId: string, what: string) =>
    waitFor(
      async () => {
        const state = (
          await relay.app.inject({
            method: 'GET',
            url: `/v1/portals/${portalId}/state`,
            headers: admin,
          })
        ).json();
        return state.state === 'suspended' && state.source === 'email';
      },
      20_000,
      what,
    );

  test('the shared mailbox with OAuth client credentials is read', async () => {
    await imap.mailboxCreate('SharedOAuth');
    const signals = mailboxSignals();
    signals.mailbox.shared = {
      host: dovecot.host,
      port: dovecot.port,
      tls: 'none',
      user: USER,
      oauth: {
        kind: 'client-credentials',
        tokenUrl: auth.tokenUrl,
        clientId: auth.clientId,
        clientSecret: auth.clientSecret,
      },
      mailbox: 'SharedOAuth',
    };
    const requests = auth.tokenRequests.length;
    const relay = await startSignalsRelay({ signals });
    try {
      await createPortal(relay.app, '5300');
      // After the portal exists: a notice for an unknown hub would be refused for good.
      await imap.append('SharedOAuth', notice('oauth-shared-1', '5300'));
      await suspendedByEmail(relay, '5300', 'the notice read from the shared OAuth-only mailbox');
      expect(auth.tokenRequests.slice(requests)[0]).toEqual({
        grant_type: 'client_credentials',
        client_id: auth.clientId,
      });
    } finally {
      await relay.close();
    }
  });

  test("a portal's mailbox set with OAuth client credentials is read, and a refused client is its lastError", async () => {
    await imap.mailboxCreate('PortalOAuth');
    await imap.append('PortalOAuth', notice('oauth-portal-1', '5200'));
    const relay = await startSignalsRelay({ signals: mailboxSignals() });
    try {
      await createPortal(relay.app, '5200');
      const mailbox = {
        host: dovecot.host,
        port: dovecot.port,
        tls: 'none',
        user: USER,
        mailbox: 'PortalOAuth',
      };
      const wrong = `${SECRET_MARK}${randomBytes(6).toString('hex')}`;
      const oauth = {
        kind: 'client-credentials',
        tokenUrl: auth.tokenUrl,
        scope: 'https://outlook.office365.com/.default',
        clientId: auth.clientId,
        clientSecret: wrong,
      };
      expect((await putMailbox(relay, '5200', { ...mailbox, oauth })).statusCode).toBe(200);
      // The token endpoint refuses the client: the mailbox's lastError says so, without the secret.
      const refused = await waitFor(
        async () => {
          const view = (await getMailbox(relay, '5200')).json();
          return view.lastError ? view : false;
        },
        20_000,
        'the refused token request',
      );
      expect(refused).toMatchObject({ auth: 'oauth', reading: true, connected: false });
      expect(refused.lastError).toMatch(
        /^OAUTH_TOKEN_REFUSED: token endpoint http:\/\/127\.0\.0\.1:\d+\/tenant\/oauth2\/v2\.0\/token refused the client credentials: HTTP 401 invalid_client: AADSTS7000215/,
      );
      expect(JSON.stringify(refused)).not.toContain(wrong);

      // The admin puts the right secret: a token is fetched, Dovecot accepts it, the notice is read.
      const issuedBefore = auth.issued.length;
      const put = await putMailbox(relay, '5200', {
        ...mailbox,
        oauth: { ...oauth, clientSecret: auth.clientSecret },
      });
      expect(put.statusCode).toBe(200);
      expect(put.body).not.toContain(auth.clientSecret);
      await suspendedByEmail(relay, '5200', 'the notice read from the OAuth-only mailbox');
      const view = (await getMailbox(relay, '5200')).json();
      expect(view).toMatchObject({
        auth: 'oauth',
        reading: true,
        connected: true,
        lastError: null,
      });
      // The relay's login used a token of the fake endpoint, which the introspection accepted.
      const relayTokens = auth.issued.slice(issuedBefore);
      expect(relayTokens.length).toBeGreaterThan(0);
      expect(auth.accepted.some((token) => relayTokens.includes(token))).toBe(true);
    } finally {
      await relay.close();
    }
  });
});

// The relay as production runs it: a refused token request is logged, the client secret and any
// token never are.
describe('the log of a refused OAuth client (built relay)', () => {
  const dir = tempDir();
  let child: ChildRelay | undefined;
  let auth: FakeAuthServer | undefined;
  afterAll(async () => {
    await child?.kill('SIGKILL');
    await auth?.stop();
    dir.remove();
  });

  test('names the endpoint and the OAuth error, never the secret', async () => {
    const tls = await startTlsAuthServer(USER, dir.path);
    auth = tls.auth;
    const wrong = `${SECRET_MARK}${randomBytes(8).toString('hex')}`;
    child = await startChildRelay({
      ...tls.env,
      RELAY_IMAP_OAUTH_CLIENT_ID: auth.clientId,
      RELAY_IMAP_OAUTH_CLIENT_SECRET: wrong,
    });
    const running = child;
    const line = await refusedTokenLine(running, 'invalid_client');
    expect(line).toContain('could not open the notification mailbox');
    expect(line).toContain(`${auth.origin}/tenant/oauth2/v2.0/token`);
    expect(line).toContain('AADSTS7000215');
    expect(running.output.join('\n')).not.toContain(wrong);
    expect(auth.tokenRequests[0]).toMatchObject({
      grant_type: 'client_credentials',
      client_id: auth.clientId,
    });
  });
});
