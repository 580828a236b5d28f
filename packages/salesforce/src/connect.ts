import { readFile } from 'node:fs/promises';
import type { LookupFunction } from 'node:net';
import { pageText } from '@sync-doctor/core';
import { Connection, OAuth2 } from 'jsforce';
import { JWT_BEARER_GRANT, jwtAudience, signJwtAssertion } from './auth/jwt.js';
import { sfOrgDisplay, type SfCommand } from './auth/sfCli.js';
import { InputError, SalesforceError, abortedError } from './errors.js';
import { lookupTransport, proxiedTransport } from './lookupTransport.js';
import { proxyFor } from './proxyTunnel.js';
import { describeGiven, scrubSecrets } from './secrets.js';
import {
  DEFAULT_TIMEOUT_MS,
  guardConnection,
  guardTransport,
  jsforceProxyChoice,
  setAbortSignal,
  setRequestTimeout,
  setSessionRefresher,
  setSessionUsername,
  type JsforceTransport,
  type SessionRefresher,
} from './transport.js';
import { SALESFORCE_API_VERSION } from './version.js';

interface CommonOptions {
  /** Abort a request that takes longer (default 120 s). */
  timeoutMs?: number;
  /**
   * Stops everything the connection does once it aborts, and is kept on the connection: the
   * requests in flight are aborted (their sockets closed), later ones are not sent, the Salesforce
   * CLI (kind 'sf-cli', at log-in and at a renewal) is killed with what it started, and each
   * rejects with a SalesforceError ABORTED, which is no passing failure: the caller decided to stop,
   * and tells its own reasons apart (a deadline of its own, a Ctrl-C) by `signal.reason`. An
   * already aborted signal makes connect reject at once, without sending anything.
   */
  signal?: AbortSignal;
  /**
   * Called with every URL a session or a JWT assertion is about to be sent to (the login URL, the
   * instance URL given, and the `instance_url` a token endpoint or the Salesforce CLI answers, at
   * log-in and at each renewal) before anything is sent there; throwing refuses it (the relay
   * passes its rule for outbound targets: https to public addresses). `what` says where the URL
   * came from: `loginUrl` and `instanceUrl` from these options (or the Salesforce CLI),
   * `instance_url` from a token endpoint's answer. Without it, as for the CLI, only the https
   * rule of normalizeOrgUrl applies.
   */
  checkUrl?: (url: URL, what: UrlOrigin) => Promise<void> | void;
  /**
   * Resolves the host of every request's socket: the token requests (log-in, renewals) and the
   * REST calls alike (lookupTransport.ts). An error refuses the connection, so nothing is sent;
   * the error reaches the caller with its `code` as `errorCode`. Because it runs where the socket
   * connects, a name that resolved elsewhere when checkUrl saw it (DNS rebinding) is caught too.
   * Address literals are passed to it as well. The relay passes its rule for outbound targets
   * (public addresses only). Without it (the CLI): system DNS, and the proxy jsforce would take
   * from HTTPS_PROXY / HTTP_PROXY (http, https, socks5 or socks5h) when set, NO_PROXY applied.
   */
  lookup?: LookupFunction;
}

/** Where a URL checked by `checkUrl` came from. */
export type UrlOrigin = 'loginUrl' | 'instanceUrl' | 'instance_url';

/** An instance URL and an access token (a session id), optionally with a refresh token to renew it. */
export interface TokenConnectOptions extends CommonOptions {
  kind?: 'token';
  instanceUrl: string;
  accessToken: string;
  refreshToken?: string;
  /** Connected app consumer key, needed with refreshToken. */
  clientId?: string;
  clientSecret?: string;
  loginUrl?: string;
}

/** OAuth 2.0 JWT bearer flow: a connected app with a certificate, pre-authorised for the user. */
export interface JwtConnectOptions extends CommonOptions {
  kind: 'jwt';
  clientId: string;
  privateKey?: string;
  privateKeyFile?: string;
  username: string;
  /** https://login.salesforce.com (default), https://test.salesforce.com or a My Domain URL. */
  loginUrl?: string;
}

/** An org the Salesforce CLI has authorised, by alias or username. */
export interface SfCliConnectOptions extends CommonOptions {
  kind: 'sf-cli';
  targetOrg: string;
  /** Path of the `sf` executable (default: `sf` on PATH). */
  sfBinary?: string;
  /**
   * How the error messages spell the Salesforce CLI in the commands they suggest ('sf org login
   * web …'): 'npx sf' for one installed as a project's dev dependency. Default 'sf'.
   */
  sfCommand?: SfCommand;
}

export type ConnectOptions = TokenConnectOptions | JwtConnectOptions | SfCliConnectOptions;

export const DEFAULT_LOGIN_URL = 'https://login.salesforce.com';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** A host name with no scheme in front ('acme.my.salesforce.com'), which https:// would make a URL. */
const BARE_HOST = /^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?\/?$/i;

/**
 * An https URL (http only for loopback: the org simulator), without path or trailing slash. A
 * value refused is an InputError that quotes it only when it clearly is no secret (a session id
 * given to the URL flag by mistake is described by its length), and never its user name,
 * password, path or query.
 */
export function normalizeOrgUrl(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    const hint = BARE_HOST.test(value) ? ': put https:// in front of it' : '';
    throw new InputError(`${what} is not a URL: ${describeGiven(value)}${hint}`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    const shown = describeGiven(url.host ? `${url.protocol}//${url.host}` : value);
    throw new InputError(
      `${what} must use https (a token must never travel in clear text), not ${shown}`,
    );
  }
  return url.origin;
}

/** Why a file could not be read, from its error code: Node's message names the path, which may be a secret given in the wrong place. */
function readProblem(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'there is no such file (ENOENT)';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code})`;
    case 'EISDIR':
      return 'it is a directory, not a file (EISDIR)';
    case 'ENAMETOOLONG':
      return 'the path is too long (ENAMETOOLONG)';
    default:
      return typeof code === 'string' ? code : 'it cannot be read';
  }
}

/**
 * The transport under the guard when the caller gave no `lookup`. jsforce's own (node-fetch up to
 * 3.10.16, undici's fetch since 3.10.19) pipes the response body on without its errors, so a
 * connection dropped after the headers (ECONNRESET, a socket closed mid-body) left the request
 * hanging until the deadline, reported as REQUEST_TIMEOUT, and it ignores the connection's
 * AbortSignal: an aborted request's socket stayed open until the timeout. So every request takes
 * lookupTransport.ts's proxiedTransport: directly with the system's resolver, or through the proxy
 * jsforce would choose (NO_PROXY applied), on a socket an abort closes. An HTTP proxy is asked for
 * a tunnel to the host's name as jsforce did (behind a proxy the name may not resolve locally: the
 * proxy resolves it), a socks5h:// proxy too, a socks5:// one for the address resolved here.
 * jsforce 3.10.16's transport knew no SOCKS: it sent an HTTP CONNECT to the SOCKS port and waited
 * for the timeout (undici's knows socks5:// only). A setting this package cannot use (SOCKS4, not
 * a URL) is an InputError (urlCheck: at connect).
 */
function baseTransport(lookup: LookupFunction | undefined): JsforceTransport {
  return lookup ? lookupTransport(lookup) : proxiedTransport(jsforceProxyChoice);
}

/** The proxy a request to `url` takes: an InputError for a setting this package cannot use. */
function proxyChoice(url: URL, lookup: LookupFunction | undefined): URL | null {
  return lookup ? proxyFor(url) : jsforceProxyChoice(url);
}

function newConnection(
  instanceUrl: string,
  accessToken: string,
  loginUrl: string | undefined,
  lookup: LookupFunction | undefined,
): Connection {
  // No oauth2 client and no refreshFn: jsforce then installs no refresh delegate of its own (see transport.ts).
  const conn = new Connection({
    instanceUrl,
    accessToken,
    version: SALESFORCE_API_VERSION,
    ...(loginUrl ? { loginUrl } : {}),
  });
  guardConnection(conn, baseTransport(lookup));
  return conn;
}

/**
 * A token client whose requests follow no redirect and time out like the connection's
 * (transport.ts), and resolve with the caller's lookup when given.
 */
function newOAuth2(
  config: ConstructorParameters<typeof OAuth2>[0],
  options: CommonOptions,
): OAuth2 {
  const oauth2 = new OAuth2(config);
  const holder = oauth2 as unknown as { _transport: JsforceTransport };
  holder._transport = guardTransport(
    baseTransport(options.lookup),
    () => options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    () => options.signal,
  );
  return oauth2;
}

type UrlCheck = (value: string, what: UrlOrigin) => Promise<string>;

/** normalizeOrgUrl, then the caller's checkUrl: a refused URL is a SalesforceError naming where and why. */
function urlCheck(options: CommonOptions): UrlCheck {
  return async (value, what) => {
    const origin = normalizeOrgUrl(value, what);
    // A proxy setting that cannot be used (SOCKS4, not a URL) is refused before anything is sent.
    proxyChoice(new URL(origin), options.lookup);
    if (!options.checkUrl) return origin;
    try {
      await options.checkUrl(new URL(origin), what);
    } catch (error) {
      throw new SalesforceError({
        errorCode: 'URL_REFUSED',
        message: `${what} ${origin} is refused: ${(error as Error)?.message ?? String(error)}`,
      });
    }
    return origin;
  };
}

async function install(
  conn: Connection,
  token: { access_token: string; instance_url?: string },
  check: UrlCheck,
): Promise<void> {
  // The new instance URL is checked before the new session is installed, so a refused one is never called with it.
  const instanceUrl = token.instance_url
    ? await check(token.instance_url, 'instance_url')
    : undefined;
  conn.accessToken = token.access_token;
  if (instanceUrl) conn.instanceUrl = instanceUrl;
}

/** Errors of the OAuth token endpoint (`{ error, error_description }`, which jsforce puts in name and message). */
function oauthError(
  error: unknown,
  what: string,
  secrets: readonly (string | null | undefined)[] = [],
): SalesforceError {
  if (error instanceof SalesforceError) return error;
  const e = error as { name?: string; message?: string; code?: string; statusCode?: unknown };
  // What jsforce or the network said may hold what the request carried: taken out (secrets.ts).
  const networkCode = typeof e?.code === 'string' ? e.code : undefined;
  // An answer that is no OAuth error document (a login server down for maintenance answers an
  // HTML 503 page): jsforce names it ERROR_HTTP_<status> with the page as its message. Its status
  // is kept, so a caller can tell a server that is down (retry) from a grant refused (fix it).
  const http = /^ERROR_HTTP_(\d{3})$/.exec(typeof e?.name === 'string' ? e.name : '');
  const errorCode =
    networkCode ??
    (http ? `HTTP_${http[1]}` : e?.name && e.name !== 'Error' ? e.name : 'OAUTH_ERROR');
  const detail = http
    ? `the token endpoint answered HTTP ${http[1]}${quotedPage(e?.message)}`
    : (e?.message ?? String(error));
  return new SalesforceError({
    errorCode,
    message: scrubSecrets(`${what} failed: ${detail}`, secrets),
    // A status of the error's own (a proxy's answer to CONNECT), so a caller can tell 503 from 407.
    statusCode:
      typeof e?.statusCode === 'number' ? e.statusCode : http ? Number(http[1]) : undefined,
    request: 'POST /services/oauth2/token',
  });
}

/** A page's text, tags and spacing dropped, shortened: ' (Service Unavailable ...)' or ''. */
function quotedPage(body: string | undefined): string {
  const text = pageText(body ?? '');
  return text ? ` (${text.length > 160 ? `${text.slice(0, 160)}...` : text})` : '';
}

async function jwtToken(options: JwtConnectOptions, privateKey: string, loginUrl: string) {
  const assertion = signJwtAssertion({
    clientId: options.clientId,
    username: options.username,
    audience: jwtAudience(loginUrl),
    privateKey,
  });
  try {
    return await newOAuth2({ loginUrl }, options).requestToken({
      grant_type: JWT_BEARER_GRANT,
      assertion,
    });
  } catch (error) {
    throw oauthError(error, 'The JWT bearer token request', [assertion]);
  }
}

/**
 * A jsforce Connection pinned to SALESFORCE_API_VERSION, from one of three kinds of credentials.
 * Where the credentials allow a new session (JWT: sign again; refresh token; Salesforce CLI:
 * display the org again), an expired session is renewed once per request (transport.ts).
 */
export async function connect(options: ConnectOptions): Promise<Connection> {
  let conn: Connection;
  let refresher: SessionRefresher | undefined;
  let username: string | undefined;
  const check = urlCheck(options);
  if (options.signal?.aborted) throw abortedError(options.signal, 'Connecting to Salesforce');

  if (options.kind === 'jwt') {
    if (!options.clientId || !options.username)
      throw new InputError('JWT bearer auth needs clientId and username');
    let privateKey = options.privateKey;
    if (!privateKey && options.privateKeyFile) {
      // The path is quoted only when it clearly is one: a key or a token given here is not shown.
      const file = describeGiven(options.privateKeyFile);
      try {
        privateKey = await readFile(options.privateKeyFile, 'utf8');
      } catch (error) {
        throw new InputError(`Cannot read the private key file ${file}: ${readProblem(error)}`);
      }
      if (!privateKey.trim())
        throw new InputError(
          `The private key file ${file} is empty: it should hold the PEM text of the connected app's RSA private key`,
        );
    }
    if (!privateKey) throw new InputError('JWT bearer auth needs privateKey or privateKeyFile');
    const key = privateKey;
    const loginUrl = normalizeOrgUrl(options.loginUrl ?? DEFAULT_LOGIN_URL, 'loginUrl');
    try {
      signJwtAssertion({
        clientId: options.clientId,
        username: options.username,
        audience: jwtAudience(loginUrl),
        privateKey: key,
      });
    } catch (error) {
      throw new InputError(
        `The private key cannot sign (is it an RSA private key in PEM?): ${(error as Error).message}`,
      );
    }
    // The assertion goes to the login URL: checked at every log-in (the name may resolve elsewhere since).
    const token = await check(loginUrl, 'loginUrl').then(() => jwtToken(options, key, loginUrl));
    conn = newConnection(
      await check(token.instance_url, 'instance_url'),
      token.access_token,
      loginUrl,
      options.lookup,
    );
    refresher = async (c) => {
      await check(loginUrl, 'loginUrl');
      await install(c, await jwtToken(options, key, loginUrl), check);
    };
    username = options.username;
  } else if (options.kind === 'sf-cli') {
    // The CLI may refresh the session with Salesforce first: the same deadline as a request.
    const sfOptions = {
      binary: options.sfBinary,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      sfCommand: options.sfCommand,
      signal: options.signal,
    };
    const display = await sfOrgDisplay(options.targetOrg, sfOptions);
    conn = newConnection(
      await check(display.instanceUrl, 'instanceUrl'),
      display.accessToken,
      undefined,
      options.lookup,
    );
    username = display.username;
    refresher = async (c) => {
      const again = await sfOrgDisplay(options.targetOrg, sfOptions);
      await install(c, { access_token: again.accessToken, instance_url: again.instanceUrl }, check);
    };
  } else {
    if (!options.instanceUrl || !options.accessToken)
      throw new InputError('connect needs instanceUrl and accessToken');
    const instanceUrl = await check(options.instanceUrl, 'instanceUrl');
    const loginUrl = options.loginUrl ? await check(options.loginUrl, 'loginUrl') : undefined;
    conn = newConnection(instanceUrl, options.accessToken, loginUrl, options.lookup);
    const { refreshToken, clientId, clientSecret } = options;
    if (refreshToken) {
      if (!clientId)
        throw new InputError('A refresh token needs the clientId of its connected app');
      const oauth2 = newOAuth2(
        { loginUrl: loginUrl ?? instanceUrl, clientId, ...(clientSecret ? { clientSecret } : {}) },
        options,
      );
      refresher = async (c) => {
        try {
          await check(loginUrl ?? instanceUrl, loginUrl ? 'loginUrl' : 'instanceUrl');
          await install(c, await oauth2.refreshToken(refreshToken), check);
        } catch (error) {
          throw oauthError(error, 'Refreshing the session', [
            refreshToken,
            clientSecret,
            c.accessToken,
          ]);
        }
      };
    }
  }

  setSessionRefresher(conn, refresher);
  setSessionUsername(conn, username);
  setAbortSignal(conn, options.signal);
  if (options.timeoutMs) setRequestTimeout(conn, options.timeoutMs);
  return conn;
}
