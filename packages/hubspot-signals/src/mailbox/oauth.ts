import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { assertAllowedHost, type OutboundPolicy } from '../alerts/destination.js';
import { guardedPost, PostFailedError, type PostAnswer } from '../alerts/guardedPost.js';

/**
 * OAuth 2.0 client-credentials authentication for a notification mailbox (SASL XOAUTH2 or
 * OAUTHBEARER, as the IMAP server offers). Microsoft 365 / Exchange Online no longer accepts
 * passwords for IMAP: an app registered in Microsoft Entra with the IMAP.AccessAsApp permission
 * gets an app-only token from the tenant's token endpoint with the scope
 * https://outlook.office365.com/.default, and logs in to the mailbox it was granted with it.
 *
 * A mailbox's OAuth login (`MailboxOAuth`, below) is one of two families, named by what the relay
 * holds to ask for a token. `ClientSecretOAuth`: an app's client id and secret, traded for a token
 * with the client-credentials grant:
 * - `microsoft365`: tenantId (directory id or a verified domain), clientId, clientSecret;
 * - `client-credentials`: any RFC 6749 token endpoint (tokenUrl, an optional scope).
 *
 * Google Workspace (`GoogleServiceAccountOAuth`) logs in with a service account's private key instead.
 */
export type ClientSecretOAuth =
  | { kind: 'microsoft365'; tenantId: string; clientId: string; clientSecret: string }
  | {
      kind: 'client-credentials';
      tokenUrl: string;
      clientId: string;
      clientSecret: string;
      scope?: string;
    };

/**
 * Google Workspace: a service account with domain-wide delegation reads the mailbox of a user of
 * the domain. Its token is asked for with a JWT it signs (RS256, its private key) naming itself
 * (iss), the mailbox user (sub), the scope and the token endpoint (aud), valid an hour at most
 * (RFC 7523's jwt-bearer grant, Google's "OAuth 2.0 for Server to Server Applications").
 * clientEmail and privateKey are the client_email and private_key of the service account's JSON
 * key; tokenUrl (its token_uri) defaults to https://oauth2.googleapis.com/token, scope to
 * https://mail.google.com/ (https://www.googleapis.com/auth/gmail.imap_admin also works for IMAP).
 */
export interface GoogleServiceAccountOAuth {
  kind: 'google-service-account';
  clientEmail: string;
  /** PEM (PKCS#8 or PKCS#1) RSA private key. */
  privateKey: string;
  tokenUrl?: string;
  scope?: string;
}

/**
 * A mailbox's OAuth login, of any kind: what an admin stores (the admin API's `oauth`), what the
 * relay reads from RELAY_IMAP_OAUTH_*, and what the reader and the token client take, as it is.
 */
export type MailboxOAuth = ClientSecretOAuth | GoogleServiceAccountOAuth;

export type MailboxOAuthKind = MailboxOAuth['kind'];

export const MICROSOFT_365_IMAP_SCOPE = 'https://outlook.office365.com/.default';
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
export const GOOGLE_IMAP_SCOPE = 'https://mail.google.com/';

/** A mailbox configuration that can never work (no host, plain text to a remote host, an http token URL...). */
export class MailboxConfigError extends Error {}

/**
 * A token request that failed: OAUTH_TOKEN_REFUSED, the endpoint answered 400/401/403 (an OAuth
 * error such as invalid_client: a wrong or expired secret, an unknown app or tenant, no consent);
 * DESTINATION_REFUSED, the endpoint's address is not one the relay may connect to; both stay so
 * until an admin changes something (`refused`). OAUTH_TOKEN_FAILED: anything else (a timeout, a
 * 5xx, a refused connection, an answer without a token). The message names the endpoint and the
 * OAuth error, never the client secret nor a token.
 */
export class TokenRequestError extends Error {
  constructor(
    message: string,
    readonly code: 'OAUTH_TOKEN_REFUSED' | 'DESTINATION_REFUSED' | 'OAUTH_TOKEN_FAILED',
    readonly status?: number,
    readonly oauthError?: string,
  ) {
    super(message);
    this.name = 'TokenRequestError';
  }

  get refused(): boolean {
    return this.code !== 'OAUTH_TOKEN_FAILED';
  }
}

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|::1|\[::1\])$/i;
/** A Microsoft Entra tenant: its directory (GUID) id, or a domain name such as contoso.onmicrosoft.com. */
const TENANT = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,253}[A-Za-z0-9])?$/;

/** Where the token is asked for, and for what scope. */
export function tokenEndpointOf(oauth: MailboxOAuth): { tokenUrl: string; scope?: string } {
  if (oauth.kind === 'google-service-account')
    return {
      tokenUrl: oauth.tokenUrl ?? GOOGLE_TOKEN_URL,
      scope: oauth.scope ?? GOOGLE_IMAP_SCOPE,
    };
  if (oauth.kind === 'microsoft365')
    return {
      tokenUrl: `https://login.microsoftonline.com/${encodeURIComponent(oauth.tenantId)}/oauth2/v2.0/token`,
      scope: MICROSOFT_365_IMAP_SCOPE,
    };
  return { tokenUrl: oauth.tokenUrl, ...(oauth.scope ? { scope: oauth.scope } : {}) };
}

const nonEmpty = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.trim() !== '' && value.length <= max;

/**
 * Checks an OAuth configuration before it is stored and before a reader uses it: every field of
 * its kind present and none of the other kind, and a token URL that is https (http only to a
 * loopback host, with `allowPlainOnLoopback`, the rule of plain-text IMAP) without a user name or
 * password in it. With `outbound`, the token URL's host must also pass the relay's outbound rule
 * (no loopback, private or link-local address unless allowed); names are checked again, resolved,
 * at every token request.
 */
export function validateMailboxOAuth(
  oauth: MailboxOAuth,
  options: { allowPlainOnLoopback?: boolean; outbound?: OutboundPolicy } = {},
): void {
  if (!oauth || typeof oauth !== 'object') throw new MailboxConfigError('oauth must be an object');
  const has = (field: string) => (oauth as Record<string, unknown>)[field] !== undefined;
  if (oauth.kind === 'google-service-account') {
    for (const field of ['clientId', 'clientSecret', 'tenantId'])
      if (has(field))
        throw new MailboxConfigError(
          `oauth.${field} is not taken with kind google-service-account (the service account signs its token request with its private key)`,
        );
    if (!nonEmpty(oauth.clientEmail, 320) || !/^[^\s@]+@[^\s@]+$/.test(oauth.clientEmail))
      throw new MailboxConfigError(
        "oauth.clientEmail is required with kind google-service-account: the service account's e-mail address (client_email of its JSON key)",
      );
    serviceAccountKey(oauth.privateKey);
    if (oauth.scope !== undefined && !nonEmpty(oauth.scope, 1024))
      throw new MailboxConfigError('oauth.scope must be a non-empty string when given');
    if (oauth.tokenUrl !== undefined) validateTokenUrl(oauth.tokenUrl, options);
    return;
  }
  if (!nonEmpty(oauth.clientId, 255)) throw new MailboxConfigError('oauth.clientId is required');
  if (!nonEmpty(oauth.clientSecret, 2048))
    throw new MailboxConfigError('oauth.clientSecret is required');
  if (oauth.kind === 'microsoft365') {
    for (const field of ['tokenUrl', 'scope'])
      if (has(field))
        throw new MailboxConfigError(
          `oauth.${field} is not taken with kind microsoft365 (the relay uses Microsoft's token endpoint and ${MICROSOFT_365_IMAP_SCOPE}); use kind client-credentials for another endpoint`,
        );
    if (typeof oauth.tenantId !== 'string' || !TENANT.test(oauth.tenantId))
      throw new MailboxConfigError(
        'oauth.tenantId is required with kind microsoft365: the directory (tenant) id, a GUID, or a verified domain such as contoso.onmicrosoft.com',
      );
    return;
  }
  if (oauth.kind !== 'client-credentials')
    throw new MailboxConfigError(
      `oauth.kind must be microsoft365, client-credentials or google-service-account, got ${printable(String((oauth as { kind?: unknown }).kind)).slice(0, 60)}`,
    );
  if (has('tenantId'))
    throw new MailboxConfigError(
      'oauth.tenantId is only taken with kind microsoft365; give the full tokenUrl with kind client-credentials',
    );
  if (oauth.scope !== undefined && !nonEmpty(oauth.scope, 1024))
    throw new MailboxConfigError('oauth.scope must be a non-empty string when given');
  validateTokenUrl(oauth.tokenUrl, options);
}

/** A token URL: https (http to loopback only where allowed), no credentials, the outbound rule. */
function validateTokenUrl(
  tokenUrl: string,
  options: { allowPlainOnLoopback?: boolean; outbound?: OutboundPolicy },
): void {
  let url: URL;
  try {
    url = new URL(tokenUrl);
  } catch {
    throw new MailboxConfigError('oauth.tokenUrl is not a URL');
  }
  if (url.username || url.password)
    throw new MailboxConfigError(
      'oauth.tokenUrl must not carry a user name or password (the credentials are sent in the request body)',
    );
  const plainAllowed = options.allowPlainOnLoopback === true && LOOPBACK.test(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && plainAllowed))
    throw new MailboxConfigError(
      'oauth.tokenUrl must use https (http only to a loopback host, where the relay allows plain-text IMAP to loopback)',
    );
  if (options.outbound) assertAllowedHost(url.hostname, options.outbound);
}

/**
 * The service account's private key, parsed: an RSA private key in PEM (PKCS#8, as Google's JSON
 * keys carry it, or PKCS#1). The error never repeats the key nor the parser's words about it.
 */
function serviceAccountKey(pem: unknown): KeyObject {
  const refuse = (why: string) =>
    new MailboxConfigError(
      `oauth.privateKey ${why}: give the private_key of the service account's JSON key (-----BEGIN PRIVATE KEY----- ...)`,
    );
  if (!nonEmpty(pem, 16_384)) throw refuse('is required with kind google-service-account');
  if (!/-----BEGIN (?:RSA )?PRIVATE KEY-----/.test(pem)) throw refuse('is not a PEM private key');
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw refuse('cannot be read as a private key');
  }
  if (key.asymmetricKeyType !== 'rsa') throw refuse('is not an RSA key (RS256 needs one)');
  return key;
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** The lifetime of a service account's assertion: Google takes an hour at most. */
const ASSERTION_LIFETIME_S = 3600;

/** A signed JWT asking for a token for `user` (RFC 7523 2.1; Google's claim set). */
function serviceAccountAssertion(
  oauth: GoogleServiceAccountOAuth,
  key: KeyObject,
  user: string,
  nowMs: number,
): string {
  const { tokenUrl, scope } = tokenEndpointOf(oauth);
  const iat = Math.floor(nowMs / 1000);
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const claims = base64url(
    JSON.stringify({
      iss: oauth.clientEmail,
      sub: user,
      scope,
      aud: tokenUrl,
      iat,
      exp: iat + ASSERTION_LIFETIME_S,
    }),
  );
  const signature = sign('RSA-SHA256', Buffer.from(`${header}.${claims}`), key);
  return `${header}.${claims}.${base64url(signature)}`;
}

export interface TokenClientOptions {
  oauth: MailboxOAuth;
  /**
   * The mailbox user: with a Google service account, the user whose mailbox it reads (the JWT's
   * sub, domain-wide delegation). Required for that kind.
   */
  user?: string;
  /** The relay's outbound rule for the token endpoint (destination.ts); none: no address rule. */
  outbound?: OutboundPolicy;
  allowPlainOnLoopback?: boolean;
  /** For the whole request, connection to last byte (default 10 s). */
  timeoutMs?: number;
  /**
   * A token is fetched again this long before it expires (default 5 minutes, at most half its
   * lifetime), so a connection never starts with a token about to lapse.
   */
  refreshMarginMs?: number;
  now?: () => number;
}

export interface TokenClient {
  /** A token valid for at least the refresh margin: the cached one, or a new one (one request at a time). */
  getToken(): Promise<string>;
  /** Forgets the cached token (the server refused it): the next getToken asks for a new one. */
  invalidate(): void;
}

/** The largest token answer read (Microsoft's are a few KB). */
const MAX_ANSWER_BYTES = 64 * 1024;

/** The longest a token is kept, whatever its expires_in says (Microsoft's last 60 to 90 minutes). */
const MAX_LIFETIME_MS = 24 * 60 * 60_000;

/** The endpoint as named in errors and logs: origin and path, no query. */
const endpointName = (url: URL) => `${url.origin}${url.pathname}`;

/**
 * Text from the endpoint on its way into an error (and from there a log line, lastError, /health):
 * no control characters (terminal escapes, a carriage return forging a log line), one space for
 * each run of them.
 */
const printable = (text: string) =>
  text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Replaces the secret wherever a text repeats it: as given, and as the request body carried it
 * (form-encoded: '~' is %7E, a space '+') or a URL would (percent-encoded), in either hex case.
 */
function secretScrubber(...secrets: string[]): (text: string) => string {
  const forms = new Set(
    secrets.flatMap((secret) => [
      secret,
      new URLSearchParams({ s: secret }).toString().slice(2),
      encodeURIComponent(secret),
      JSON.stringify(secret).slice(1, -1),
    ]),
  );
  const pattern = new RegExp(
    [...forms]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|'),
    'gi',
  );
  return (text) => text.replace(pattern, '[redacted]');
}

export function createTokenClient(options: TokenClientOptions): TokenClient {
  validateMailboxOAuth(options.oauth, {
    ...(options.allowPlainOnLoopback !== undefined
      ? { allowPlainOnLoopback: options.allowPlainOnLoopback }
      : {}),
  });
  const { tokenUrl, scope } = tokenEndpointOf(options.oauth);
  const url = new URL(tokenUrl);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const margin = options.refreshMarginMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  const oauth = options.oauth;
  const name = endpointName(url);
  if (oauth.kind === 'google-service-account' && !options.user)
    throw new MailboxConfigError(
      'a Google service account reads the mailbox of a user: the mailbox user is required',
    );
  const key = oauth.kind === 'google-service-account' ? serviceAccountKey(oauth.privateKey) : null;
  // Whatever an endpoint answers, an error text never repeats the secret (some echo the request):
  // the client secret, or the private key and the assertion it signed (a credential for an hour).
  let scrub = secretScrubber(
    oauth.kind === 'google-service-account' ? oauth.privateKey : oauth.clientSecret,
  );

  let cached: { token: string; refreshAt: number } | null = null;
  let inflight: Promise<string> | null = null;

  /** The request's body: the client credentials, or a service account's assertion signed now. */
  const bodyOf = (): string => {
    if (oauth.kind !== 'google-service-account')
      return new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: oauth.clientId,
        client_secret: oauth.clientSecret,
        ...(scope ? { scope } : {}),
      }).toString();
    const assertion = serviceAccountAssertion(oauth, key!, options.user!, now());
    scrub = secretScrubber(oauth.privateKey, assertion);
    return new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion,
    }).toString();
  };

  async function fetchToken(): Promise<string> {
    const at = now();
    let answer: PostAnswer;
    try {
      answer = await guardedPost(url, bodyOf(), {
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        ...(options.outbound ? { policy: options.outbound } : {}),
        timeoutMs,
        maxAnswerBytes: MAX_ANSWER_BYTES,
        refuseLongerAnswer: true,
      });
    } catch (error) {
      // Signing the assertion (bodyOf) may fail too: any failure is named, the secret scrubbed.
      throw new TokenRequestError(
        `token endpoint ${name}: ${scrub((error as Error).message)}`,
        error instanceof PostFailedError && error.refused
          ? 'DESTINATION_REFUSED'
          : 'OAUTH_TOKEN_FAILED',
      );
    }
    let parsed: Record<string, unknown> | null = null;
    try {
      const value: unknown = JSON.parse(answer.text);
      if (value && typeof value === 'object' && !Array.isArray(value))
        parsed = value as Record<string, unknown>;
    } catch {
      // named below
    }
    if (answer.status < 200 || answer.status >= 300) {
      // The secret is taken out before the text is cut: a cut through it would leave a piece.
      const oauthError =
        typeof parsed?.error === 'string'
          ? printable(scrub(parsed.error)).slice(0, 100) || undefined
          : undefined;
      const description =
        typeof parsed?.error_description === 'string'
          ? printable(scrub(parsed.error_description).split(/\r?\n/)[0]!).slice(0, 300) || undefined
          : undefined;
      const refused = answer.status === 400 || answer.status === 401 || answer.status === 403;
      throw new TokenRequestError(
        scrub(
          `token endpoint ${name} ${refused ? `refused the ${key ? "service account's assertion" : 'client credentials'}` : 'failed'}: HTTP ${answer.status}${oauthError ? ` ${oauthError}` : ''}${description ? `: ${description}` : ''}`,
        ),
        refused ? 'OAUTH_TOKEN_REFUSED' : 'OAUTH_TOKEN_FAILED',
        answer.status,
        oauthError,
      );
    }
    const token = parsed?.access_token;
    if (typeof token !== 'string' || token === '' || /[\x00-\x1f\x7f\s]/.test(token))
      throw new TokenRequestError(
        `token endpoint ${name} answered HTTP ${answer.status} without a usable access_token`,
        'OAUTH_TOKEN_FAILED',
        answer.status,
      );
    const type = parsed?.token_type;
    if (type !== undefined && (typeof type !== 'string' || type.toLowerCase() !== 'bearer'))
      throw new TokenRequestError(
        `token endpoint ${name} issued a token of type ${printable(scrub(String(type))).slice(0, 40)}, not Bearer`,
        'OAUTH_TOKEN_FAILED',
        answer.status,
      );
    // expires_in is RECOMMENDED (RFC 6749 5.1), a number; Microsoft's older endpoints sent a string.
    const raw = parsed?.expires_in;
    const seconds = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
    const lifetimeMs =
      typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0
        ? Math.min(seconds * 1000, MAX_LIFETIME_MS)
        : 0;
    // Without a lifetime the token serves this connection only; with one, it is used until the
    // margin (at most half its life) before it runs out, and never longer than a day (an absurd
    // expires_in would otherwise keep it for ever, past its real expiry).
    cached = {
      token,
      refreshAt: at + lifetimeMs - Math.min(margin, lifetimeMs / 2),
    };
    return token;
  }

  return {
    getToken() {
      if (cached && now() < cached.refreshAt) return Promise.resolve(cached.token);
      if (!inflight)
        inflight = fetchToken().finally(() => {
          inflight = null;
        });
      return inflight;
    },
    invalidate() {
      cached = null;
    },
  };
}
