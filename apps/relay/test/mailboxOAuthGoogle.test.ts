import { generateKeyPairSync } from 'node:crypto';
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

// Google Workspace: the shared mailbox is read by a service account with domain-wide delegation
// (RELAY_IMAP_OAUTH_CLIENT_EMAIL and RELAY_IMAP_OAUTH_PRIVATE_KEY). Its private key never shows in
// an error or the log.

const USER = 'hubspot-alerts@example.com';
const EMAIL = 'relay-reader@project.iam.gserviceaccount.com';
const rsaKey = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
/** The base64 body of a PEM key: what a leak would show. */
const keyBody = (pem: string) => pem.split('\n').slice(1, 3).join('');

describe('a Google service account for the shared mailbox from the environment', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());
  const key = rsaKey();
  const load = (env: Record<string, string>) =>
    loadConfig({
      RELAY_DATA_DIR: dir.path,
      RELAY_IMAP_HOST: 'imap.gmail.com',
      RELAY_IMAP_USER: USER,
      ...env,
    });

  test('reads the account e-mail and its PEM key, newlines written \\n too', () => {
    const expected = {
      kind: 'google-service-account',
      clientEmail: EMAIL,
      privateKey: key,
    };
    expect(
      load({ RELAY_IMAP_OAUTH_CLIENT_EMAIL: EMAIL, RELAY_IMAP_OAUTH_PRIVATE_KEY: key }).signals
        .mailbox.shared,
    ).toMatchObject({ user: USER, oauth: expected });
    const oneLine = key.replace(/\n/g, '\\n');
    expect(oneLine).not.toContain('\n');
    expect(
      load({ RELAY_IMAP_OAUTH_CLIENT_EMAIL: EMAIL, RELAY_IMAP_OAUTH_PRIVATE_KEY: oneLine }).signals
        .mailbox.shared!.oauth,
    ).toEqual(expected);
    expect(ENVIRONMENT_HELP).toContain('RELAY_IMAP_OAUTH_CLIENT_EMAIL');
    expect(ENVIRONMENT_HELP).toContain('RELAY_IMAP_OAUTH_PRIVATE_KEY');
  });

  const ec = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
  test.each([
    [{ RELAY_IMAP_OAUTH_CLIENT_EMAIL: EMAIL }, 'RELAY_IMAP_OAUTH_PRIVATE_KEY is required'],
    [{ RELAY_IMAP_OAUTH_PRIVATE_KEY: key }, 'RELAY_IMAP_OAUTH_CLIENT_EMAIL is required'],
    [
      { RELAY_IMAP_OAUTH_CLIENT_EMAIL: EMAIL, RELAY_IMAP_OAUTH_PRIVATE_KEY: ec },
      'RELAY_IMAP_OAUTH_PRIVATE_KEY is not an RSA key',
    ],
    [
      {
        RELAY_IMAP_OAUTH_CLIENT_EMAIL: EMAIL,
        RELAY_IMAP_OAUTH_PRIVATE_KEY: key.slice(0, 200),
      },
      'RELAY_IMAP_OAUTH_PRIVATE_KEY cannot be read as a private key',
    ],
    [
      {
        RELAY_IMAP_OAUTH_CLIENT_EMAIL: EMAIL,
        RELAY_IMAP_OAUTH_PRIVATE_KEY: key,
        RELAY_IMAP_OAUTH_CLIENT_SECRET: 'x',
      },
      'RELAY_IMAP_OAUTH_CLIENT_SECRET is not taken with RELAY_IMAP_OAUTH_CLIENT_EMAIL',
    ],
    [
      {
        RELAY_IMAP_OAUTH_CLIENT_EMAIL: EMAIL,
        RELAY_IMAP_OAUTH_PRIVATE_KEY: key,
        RELAY_IMAP_PASSWORD: 'pw',
      },
      'RELAY_IMAP_PASSWORD and RELAY_IMAP_OAUTH_* are both set',
    ],
  ])('refuses at start, naming the variable, never the key: %#', (env, message) => {
    let refusal = '';
    try {
      load(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      refusal = (error as Error).message;
    }
    expect(refusal).toContain(message);
    expect(refusal).not.toContain(keyBody(key));
    expect(refusal).not.toContain(keyBody(ec));
  });

  test('the log redacts the private key and the assertion wherever a mailbox setting carries them', () => {
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
    const oauth = { kind: 'google-service-account', clientEmail: EMAIL, privateKey: key };
    log.info({ mailbox: { host: 'imap.gmail.com', oauth } }, 'settings');
    log.info({ shared: { user: USER, oauth } }, 'shared');
    log.info({ oauth }, 'oauth');
    log.info({ form: { assertion: 'eyJhbGciOiJSUzI1NiJ9.should-not-show.sig' } }, 'form');
    expect(lines).toHaveLength(4);
    for (const line of lines) {
      expect(line).not.toContain(keyBody(key));
      expect(line).not.toContain('should-not-show');
    }
  });
});

describe('a Google service account in the admin API', () => {
  let relay: SignalsRelay;
  beforeAll(async () => {
    relay = await startSignalsRelay({
      signals: signalsConfig({ alerts: { enabled: false } }),
      overrides: { allowPrivateTargets: false },
    });
    await createPortal(relay.app, '5500', null);
  });
  afterAll(() => relay.close());

  const key = rsaKey();
  const base = { host: 'imap.gmail.com', user: USER };
  const account = (patch: Record<string, unknown> = {}) => ({
    kind: 'google-service-account',
    clientEmail: EMAIL,
    privateKey: key,
    ...patch,
  });
  const ec = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;

  test.each([
    ['no private key', { privateKey: undefined }, 'oauth.privateKey is required'],
    ['a text that is no key', { privateKey: 'not a key at all' }, 'oauth.privateKey is not a PEM'],
    ['a cut key', { privateKey: key.slice(0, 300) }, 'oauth.privateKey cannot be read'],
    ['an EC key', { privateKey: ec }, 'oauth.privateKey is not an RSA key'],
    ['no account e-mail', { clientEmail: undefined }, 'oauth.clientEmail is required'],
    ['a client secret', { clientSecret: 's' }, 'oauth.clientSecret is not taken'],
    [
      'a token URL on the metadata service',
      { tokenUrl: 'https://169.254.169.254/token' },
      'not a public address',
    ],
  ])(
    'refuses %s with a 400 that says why, never repeating the key',
    async (_what, patch, message) => {
      const response = await putMailbox(relay, '5500', { ...base, oauth: account(patch) });
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('INVALID_MAILBOX');
      expect(JSON.stringify(response.json())).toContain(message);
      expect(response.body).not.toContain(keyBody(key));
      expect(response.body).not.toContain(keyBody(ec));
    },
  );

  test('keeps the private key sealed and never returns it', async () => {
    const put = await putMailbox(relay, '5500', { ...base, oauth: account() });
    expect(put.statusCode).toBe(200);
    const expected = {
      auth: 'oauth',
      oauth: { kind: 'google-service-account', clientEmail: EMAIL },
    };
    expect(put.json()).toMatchObject(expected);
    expect(put.json().oauth).toEqual(expected.oauth);
    const get = await getMailbox(relay, '5500');
    expect(get.json()).toMatchObject(expected);
    for (const body of [put.body, get.body]) {
      expect(body).not.toContain(keyBody(key));
      expect(body).not.toContain('privateKey');
    }
    const row = (await hubspotStoreOf(relay.app.store).listMailboxes()).find(
      (m) => m.portalId === '5500',
    )!;
    expect(row.settingsSealed).not.toContain(keyBody(key));
    expect(JSON.parse(decryptSecret(relay.app.config.secretKey, row.settingsSealed))).toMatchObject(
      { oauth: account() },
    );
  });
});

// The shared mailbox, an OAuth-only Dovecot, read by the service account: the token of its signed
// assertion (verified by the fake endpoint with the account's public key) is what Dovecot accepts.
describe('the shared mailbox read by a Google service account (real Dovecot)', () => {
  let auth: FakeAuthServer;
  let dovecot: Dovecot;
  let imap: ImapFlow;
  beforeAll(async () => {
    ({ auth, dovecot, imap } = await startOAuthMailbox(USER));
  });
  afterAll(() => stopOAuthMailbox({ auth, dovecot, imap }));

  test('suspends the portal the notice names', async () => {
    await imap.mailboxCreate('SharedGoogle');
    const signals = mailboxSignals({
      host: dovecot.host,
      port: dovecot.port,
      tls: 'none',
      user: USER,
      oauth: {
        kind: 'google-service-account',
        clientEmail: auth.serviceAccount.clientEmail,
        privateKey: auth.serviceAccount.privateKey,
        tokenUrl: auth.tokenUrl,
      },
      mailbox: 'SharedGoogle',
    });
    const assertions = auth.assertions.length;
    const relay = await startSignalsRelay({ signals });
    try {
      await createPortal(relay.app, '5400');
      await imap.append('SharedGoogle', suspensionNotice(USER, 'google-shared-1', '5400'));
      await waitFor(
        async () => {
          const state = (
            await relay.app.inject({ method: 'GET', url: '/v1/portals/5400/state', headers: admin })
          ).json();
          return state.state === 'suspended' && state.source === 'email';
        },
        20_000,
        'the notice read by the service account',
      );
      expect(auth.assertions.slice(assertions)[0]).toMatchObject({
        iss: auth.serviceAccount.clientEmail,
        sub: USER,
        scope: 'https://mail.google.com/',
        aud: auth.tokenUrl,
      });
      expect(relay.app.mailboxes?.lastError('shared')).toBeNull();
    } finally {
      await relay.close();
    }
  });
});

// A portal's mailbox set through the admin API, read by the service account; a key the endpoint
// does not know is the mailbox's lastError.
describe("a portal's mailbox read by a Google service account (real Dovecot)", () => {
  let auth: FakeAuthServer;
  let dovecot: Dovecot;
  let imap: ImapFlow;
  beforeAll(async () => {
    ({ auth, dovecot, imap } = await startOAuthMailbox(USER));
  });
  afterAll(() => stopOAuthMailbox({ auth, dovecot, imap }));

  test('a refused assertion is its lastError, without the key; the right key reads the notice', async () => {
    await imap.mailboxCreate('PortalGoogle');
    await imap.append('PortalGoogle', suspensionNotice(USER, 'google-portal-1', '5600'));
    const relay = await startSignalsRelay({
      signals: mailboxSignals(),
    });
    try {
      await createPortal(relay.app, '5600');
      const mailbox = {
        host: dovecot.host,
        port: dovecot.port,
        tls: 'none',
        user: USER,
        mailbox: 'PortalGoogle',
      };
      const wrong = rsaKey();
      const oauth = {
        kind: 'google-service-account',
        clientEmail: auth.serviceAccount.clientEmail,
        privateKey: wrong,
        tokenUrl: auth.tokenUrl,
      };
      expect((await putMailbox(relay, '5600', { ...mailbox, oauth })).statusCode).toBe(200);
      const refused = await waitFor(
        async () => {
          const view = (await getMailbox(relay, '5600')).json();
          return view.lastError ? view : false;
        },
        20_000,
        'the refused assertion',
      );
      expect(refused).toMatchObject({ auth: 'oauth', reading: true, connected: false });
      expect(refused.lastError).toMatch(
        /^OAUTH_TOKEN_REFUSED: token endpoint http:\/\/127\.0\.0\.1:\d+\/tenant\/oauth2\/v2\.0\/token refused the service account's assertion: HTTP 400 invalid_grant: Invalid JWT Signature\./,
      );
      expect(JSON.stringify(refused)).not.toContain(keyBody(wrong));

      const put = await putMailbox(relay, '5600', {
        ...mailbox,
        oauth: { ...oauth, privateKey: auth.serviceAccount.privateKey },
      });
      expect(put.statusCode).toBe(200);
      expect(put.body).not.toContain(keyBody(auth.serviceAccount.privateKey));
      await waitFor(
        async () => {
          const state = (
            await relay.app.inject({ method: 'GET', url: '/v1/portals/5600/state', headers: admin })
          ).json();
          return state.state === 'suspended' && state.source === 'email';
        },
        20_000,
        "the notice read from the portal's mailbox",
      );
      expect((await getMailbox(relay, '5600')).json()).toMatchObject({
        connected: true,
        lastError: null,
      });
    } finally {
      await relay.close();
    }
  });
});

// The relay as production runs it: a refused assertion is logged with the OAuth error, the key
// never is.
describe('the log of a refused service account (built relay)', () => {
  const dir = tempDir();
  let child: ChildRelay | undefined;
  let auth: FakeAuthServer | undefined;
  afterAll(async () => {
    await child?.kill('SIGKILL');
    await auth?.stop();
    dir.remove();
  });

  test('names the endpoint and the OAuth error, never the key', async () => {
    const tls = await startTlsAuthServer(USER, dir.path);
    auth = tls.auth;
    // A key the endpoint does not know: the signature does not verify.
    const wrong = rsaKey();
    child = await startChildRelay({
      ...tls.env,
      RELAY_IMAP_OAUTH_CLIENT_EMAIL: auth.serviceAccount.clientEmail,
      RELAY_IMAP_OAUTH_PRIVATE_KEY: wrong.replace(/\n/g, '\\n'),
    });
    const running = child;
    const line = await refusedTokenLine(running, 'invalid_grant');
    expect(line).toContain('could not open the notification mailbox');
    expect(line).toContain(`${auth.origin}/tenant/oauth2/v2.0/token`);
    expect(line).toContain('Invalid JWT Signature');
    const output = running.output.join('\n');
    expect(output).not.toContain(keyBody(wrong));
    expect(output).not.toMatch(/eyJhbGciOiJSUzI1NiIs[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{20,}/);
    expect(auth.tokenRequests[0]).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    });
  });
});
