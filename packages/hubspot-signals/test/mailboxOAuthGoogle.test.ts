import { generateKeyPairSync } from 'node:crypto';
import type { ImapFlow } from 'imapflow';
import {
  createTokenClient,
  GOOGLE_IMAP_SCOPE,
  GOOGLE_TOKEN_URL,
  MailboxConfigError,
  tokenEndpointOf,
  TokenRequestError,
  validateMailboxOAuth,
  type GoogleServiceAccountOAuth,
  type MailboxMessage,
  type MailboxReader,
} from '../src/index.js';
import {
  dovecotReader,
  startOAuthDovecot,
  suspensionNotice,
  type Dovecot,
} from './helpers/dovecot.js';
import { startAuthServer, type FakeAuthServer } from './helpers/oauthServer.js';

jest.setTimeout(60_000);

// Google Workspace: a service account with domain-wide delegation reads a user's mailbox. Its
// token is bought with a JWT signed by its private key; the fake token endpoint checks the
// signature with the public key and the claims, as Google's does.

const USER = 'hubspot-alerts@example.com';
let auth: FakeAuthServer;
beforeAll(async () => {
  auth = await startAuthServer(USER);
});
afterEach(() => {
  auth.mode = 'ok';
});
afterAll(async () => {
  await auth?.stop();
});

/** The service account the fake endpoint knows, its token URL the fake's. */
const google = (patch: Partial<GoogleServiceAccountOAuth> = {}): GoogleServiceAccountOAuth => ({
  kind: 'google-service-account',
  clientEmail: auth.serviceAccount.clientEmail,
  privateKey: auth.serviceAccount.privateKey,
  tokenUrl: auth.tokenUrl,
  ...patch,
});

const clientOf = (oauth = google(), user = USER) =>
  createTokenClient({ oauth, user, allowPlainOnLoopback: true });

async function failure(promise: Promise<unknown>): Promise<TokenRequestError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TokenRequestError);
    return error as TokenRequestError;
  }
  throw new Error('the token request succeeded');
}

/** The base64 body of the PEM key, the part a leak would show. */
const keyBody = (pem: string) => pem.split('\n').slice(1, 3).join('');

describe('Google service account token requests', () => {
  it('posts a jwt-bearer assertion signed with the key, naming the account, the user, the scope and the endpoint', async () => {
    const before = auth.assertions.length;
    const requests = auth.tokenRequests.length;
    const token = await clientOf().getToken();
    expect(token).toBe(auth.issued[auth.issued.length - 1]);
    // The endpoint verified the signature with the public key, then checked the claims.
    expect(auth.tokenRequests.slice(requests)).toEqual([
      { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer' },
    ]);
    const claims = auth.assertions.slice(before);
    expect(claims).toHaveLength(1);
    const c = claims[0] as Record<string, number | string>;
    expect(c).toMatchObject({
      iss: auth.serviceAccount.clientEmail,
      sub: USER,
      scope: GOOGLE_IMAP_SCOPE,
      aud: auth.tokenUrl,
    });
    expect(c.exp as number).toBeGreaterThan(Date.now() / 1000);
    expect((c.exp as number) - (c.iat as number)).toBeLessThanOrEqual(3600);
    expect(Math.abs((c.iat as number) - Date.now() / 1000)).toBeLessThan(120);
  });

  it('caches the token like any other, and signs a new assertion for the next one', async () => {
    const client = clientOf();
    const first = await client.getToken();
    expect(await client.getToken()).toBe(first);
    const before = auth.assertions.length;
    client.invalidate();
    expect(await client.getToken()).not.toBe(first);
    expect(auth.assertions.length).toBe(before + 1);
  });

  it('defaults to Google’s token endpoint and the mail scope', () => {
    const oauth: GoogleServiceAccountOAuth = { ...google() };
    delete oauth.tokenUrl;
    expect(tokenEndpointOf(oauth)).toEqual({
      tokenUrl: GOOGLE_TOKEN_URL,
      scope: GOOGLE_IMAP_SCOPE,
    });
    expect(GOOGLE_TOKEN_URL).toBe('https://oauth2.googleapis.com/token');
    expect(GOOGLE_IMAP_SCOPE).toBe('https://mail.google.com/');
  });

  it('is refused, as OAUTH_TOKEN_REFUSED, when signed by another key; the key never shows', async () => {
    const other = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey;
    const error = await failure(clientOf(google({ privateKey: other })).getToken());
    expect(error.code).toBe('OAUTH_TOKEN_REFUSED');
    expect(error.message).toContain(
      "refused the service account's assertion: HTTP 400 invalid_grant: Invalid JWT Signature.",
    );
    expect(error.message).not.toContain(keyBody(other));
  });

  it('is refused for a user the account may not act for (sub) and without delegation', async () => {
    const wrongUser = await failure(clientOf(google(), 'someone-else@example.com').getToken());
    expect(wrongUser.code).toBe('OAUTH_TOKEN_REFUSED');
    expect(wrongUser.message).toContain('invalid_grant: Invalid email or User ID');
    auth.mode = 'refuse';
    const noDelegation = await failure(clientOf().getToken());
    expect(noDelegation.code).toBe('OAUTH_TOKEN_REFUSED');
    expect(noDelegation.message).toContain('HTTP 401 unauthorized_client');
  });

  it('keeps the assertion out of the error when the endpoint repeats it', async () => {
    auth.mode = 'echo';
    const error = await failure(clientOf().getToken());
    expect(error.message).toContain('invalid_grant: assertion [redacted] is not accepted');
    expect(error.message).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
  });

  it('needs the mailbox user to act for', () => {
    expect(() => createTokenClient({ oauth: google(), allowPlainOnLoopback: true })).toThrow(
      'the mailbox user is required',
    );
  });
});

describe('Google service account settings', () => {
  const ec = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
  const ok = () => ({
    kind: 'google-service-account' as const,
    clientEmail: 'reader@project.iam.gserviceaccount.com',
    privateKey: auth.serviceAccount.privateKey,
  });

  it('takes a PEM RSA key (PKCS#8 or PKCS#1) and the account e-mail', () => {
    expect(() => validateMailboxOAuth(ok())).not.toThrow();
    const pkcs1 = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey;
    expect(() => validateMailboxOAuth({ ...ok(), privateKey: pkcs1 })).not.toThrow();
  });

  const broken = `-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC${'A'.repeat(60)}\n-----END PRIVATE KEY-----\n`;
  it.each([
    ['no key', { privateKey: '' }, 'oauth.privateKey is required'],
    ['not PEM', { privateKey: 'just-some-secret-text-here' }, 'oauth.privateKey is not a PEM'],
    ['a damaged key', { privateKey: broken }, 'oauth.privateKey cannot be read as a private key'],
    ['an EC key', { privateKey: ec }, 'oauth.privateKey is not an RSA key'],
    ['no e-mail', { clientEmail: '' }, 'oauth.clientEmail is required'],
    ['not an e-mail', { clientEmail: 'reader' }, 'oauth.clientEmail is required'],
    ['a client secret', { clientSecret: 'x' }, 'oauth.clientSecret is not taken'],
    ['an http token URL', { tokenUrl: 'http://oauth2.example.com/token' }, 'must use https'],
    ['an empty scope', { scope: '' }, 'oauth.scope must be a non-empty string'],
  ])('refuses %s with a clear message that never repeats the key', (_what, patch, message) => {
    const oauth = { ...ok(), ...patch } as GoogleServiceAccountOAuth;
    let refusal: unknown;
    try {
      validateMailboxOAuth(oauth);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(MailboxConfigError);
    expect((refusal as Error).message).toContain(message);
    if (oauth.privateKey.includes('-----BEGIN'))
      expect((refusal as Error).message).not.toContain(keyBody(oauth.privateKey));
    expect((refusal as Error).message).not.toContain('just-some-secret-text-here');
  });
});

// The service account reads an OAuth-only Dovecot (XOAUTH2 only, as Gmail offers it): the token
// the jwt-bearer grant bought is what Dovecot's introspection accepts for the user.
describe('a mailbox read with a Google service account (real Dovecot)', () => {
  let dovecot: Dovecot;
  let admin: ImapFlow;
  const readers: MailboxReader[] = [];
  beforeAll(async () => {
    ({ dovecot, admin } = await startOAuthDovecot(auth, USER));
  });
  afterEach(async () => {
    await Promise.all(readers.splice(0).map((r) => r.stop()));
  });
  afterAll(async () => {
    await admin?.logout().catch(() => undefined);
    await dovecot?.stop();
  });

  const notice = (id: string) => suspensionNotice(USER, id);

  const reader = (folder: string, handed: MailboxMessage[], oauth = google()) => {
    const r = dovecotReader(dovecot, folder, { user: USER, oauth }, handed);
    readers.push(r);
    return r;
  };

  it('logs in with XOAUTH2 using the token of its signed assertion and reads the notice', async () => {
    await admin.mailboxCreate('Google1');
    await admin.append('Google1', notice('google-first'));
    const handed: MailboxMessage[] = [];
    const issued = auth.issued.length;
    const r = reader('Google1', handed);
    await r.start();
    expect(r.lastError).toBeNull();
    expect(handed.map((m) => m.messageId)).toEqual(['<google-first@notifications.hubspot.com>']);
    const tokens = auth.issued.slice(issued);
    expect(tokens).toHaveLength(1);
    expect(auth.accepted).toContain(tokens[0]);
  });

  it('shows a refused assertion as OAUTH_TOKEN_REFUSED in lastError, without the key, and connects once fixed', async () => {
    await admin.mailboxCreate('Google2');
    await admin.append('Google2', notice('google-refused'));
    const handed: MailboxMessage[] = [];
    const other = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey;
    const wrong = reader('Google2', handed, google({ privateKey: other }));
    await expect(wrong.start()).rejects.toThrow('Invalid JWT Signature');
    expect(wrong.lastError).toMatch(
      /^OAUTH_TOKEN_REFUSED: token endpoint http:\/\/127\.0\.0\.1:\d+\/tenant\/oauth2\/v2\.0\/token refused the service account's assertion: HTTP 400 invalid_grant: Invalid JWT Signature\./,
    );
    expect(wrong.lastError).not.toContain(keyBody(other));
    expect(handed).toEqual([]);
    const fixed = reader('Google2', handed);
    await fixed.start();
    expect(fixed.lastError).toBeNull();
    expect(handed.map((m) => m.messageId)).toEqual(['<google-refused@notifications.hubspot.com>']);
  });
});
