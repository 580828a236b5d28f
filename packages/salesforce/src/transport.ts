import { PassThrough } from 'node:stream';
import type { Connection } from 'jsforce';
import { SalesforceError, abortedError, errorFromBody } from './errors.js';
import { proxyFor } from './proxyTunnel.js';
import { scrubSecrets } from './secrets.js';

/**
 * Every HTTP request Sync Doctor makes goes through `sendRest`, which adds what jsforce leaves out:
 * - a count of real HTTP requests per connection (the collector's budget is measured, not assumed);
 * - the status code of a failed response, so errors are typed with it;
 * - the API usage from the `Sforce-Limit-Info: api-usage=N/M` header of every response;
 * - exactly one session refresh on INVALID_SESSION_ID where the auth allows it. jsforce's own
 *   refresh delegate retries a 401 without end when the new session is refused too, so
 *   `connect` never hands jsforce a refresh function; the refresher lives here instead;
 * - no silent retries: jsforce retries GETs on 5xx up to five times with back-off (15 s), which
 *   would both hide the org's state and spend its API calls.
 *
 * Below that, `guardTransport` wraps the transport of every connection and token client `connect`
 * makes, so even jsforce's own calls (`conn.query`, `conn.limits`, the OAuth token requests):
 * - never follow a redirect: jsforce copies the request's headers, the session's
 *   `Authorization: Bearer` among them, to whatever a Location names (another host, plain http)
 *   and turns a POST into a GET. A 3xx ends in REDIRECT_REFUSED naming where it pointed;
 * - give up when the whole request (headers and body) has not finished within the connection's
 *   timeout, naming the URL (jsforce's own timeout, 30 minutes by default, stops at the headers);
 * - fail at once, as ECONNRESET naming the URL, when the connection drops before the whole answer
 *   arrived (connect sends requests through lookupTransport.ts for this: jsforce's own
 *   transport loses that error once the headers came, and waited for the deadline).
 * - stop at once when the connection's AbortSignal (connect's `signal`) aborts: the request is
 *   aborted (lookupTransport.ts destroys its socket, a proxy tunnel's or SOCKS connection's
 *   included; a connection not made by connect, on jsforce's own transport, has its body stream
 *   destroyed) and rejects with ABORTED. A request asked for after the
 *   abort is not sent. ABORTED is no passing failure (transient.ts): the caller decided to stop.
 * The transport it wraps is lookupTransport.ts: with connect's `lookup`, whose sockets resolve
 * every host through it; without, the system's resolver directly and a tunnel to the host's name
 * through a proxy (connect.ts: defaultTransport).
 */

export interface ApiUsage {
  used: number;
  max: number;
}

/** Gets a new session and installs it on the connection (accessToken, instanceUrl). */
export type SessionRefresher = (conn: Connection) => Promise<void>;

interface ConnectionState {
  requests: number;
  apiUsage: ApiUsage | null;
  refresher?: SessionRefresher;
  refreshing?: Promise<void>;
  timeoutMs: number;
  /** The username the session belongs to, when the credentials tell (JWT, Salesforce CLI). */
  sessionUsername?: string;
  /** connect's `signal`: when it aborts, every request of the connection stops (ABORTED). */
  signal?: AbortSignal;
}

export const DEFAULT_TIMEOUT_MS = 120_000;
const states = new WeakMap<Connection, ConnectionState>();

function stateOf(conn: Connection): ConnectionState {
  let state = states.get(conn);
  if (!state) {
    state = { requests: 0, apiUsage: null, timeoutMs: DEFAULT_TIMEOUT_MS };
    states.set(conn, state);
  }
  return state;
}

export function setSessionRefresher(
  conn: Connection,
  refresher: SessionRefresher | undefined,
): void {
  stateOf(conn).refresher = refresher;
}

export function setRequestTimeout(conn: Connection, timeoutMs: number): void {
  stateOf(conn).timeoutMs = timeoutMs;
}

export function setAbortSignal(conn: Connection, signal: AbortSignal | undefined): void {
  stateOf(conn).signal = signal;
}

/** The AbortSignal the connection was made with (connect's `signal`), if any. */
export function abortSignalOf(conn: Connection): AbortSignal | undefined {
  return stateOf(conn).signal;
}

/**
 * Throws ABORTED when the connection's signal has aborted. Work that reads through a connection
 * and carries on past a failed read (the collector treats some as "not readable") calls it, so
 * what it returns is never built from reads an abort cut short.
 */
export function throwIfConnectionAborted(conn: Connection): void {
  const signal = stateOf(conn).signal;
  if (signal?.aborted) throw abortedError(signal, 'The work with Salesforce');
}

export function setSessionUsername(conn: Connection, username: string | undefined): void {
  stateOf(conn).sessionUsername = username;
}

/** Whose session this connection holds, when the credentials said (JWT and Salesforce CLI do). */
export function sessionUsername(conn: Connection): string | undefined {
  return stateOf(conn).sessionUsername;
}

/** HTTP requests sent on this connection so far (sub-requests of a composite do not count). */
export function requestCount(conn: Connection): number {
  return stateOf(conn).requests;
}

/** The API usage Salesforce last reported on this connection. */
export function apiUsageOf(conn: Connection): ApiUsage | null {
  return stateOf(conn).apiUsage;
}

export function parseLimitInfo(header: string | undefined): ApiUsage | null {
  const match = header ? /(?:^|[\s,;])api-usage=(\d+)\/(\d+)/.exec(header) : null;
  return match ? { used: Number(match[1]), max: Number(match[2]) } : null;
}

export interface RestRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path from the instance root: '/services/data/v64.0/limits'. */
  url: string;
  body?: unknown;
  /** Names the request in errors. */
  label?: string;
}

interface RawResponse {
  statusCode: number;
  headers: Record<string, string | undefined>;
}

type PendingResponse = Promise<RawResponse> & { stream(): unknown };

export interface JsforceTransport {
  httpRequest(req: unknown, options?: Record<string, unknown>): PendingResponse;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Origin and path of a URL, without the query (a SOQL query says nothing about where it went). */
function withoutQuery(url: string, base?: string): string {
  try {
    const parsed = new URL(url, base);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return url.split('?')[0]!;
  }
}

function redirectRefused(requestUrl: string, response: RawResponse): SalesforceError {
  const from = withoutQuery(requestUrl);
  const location = response.headers.location;
  const to = location ? withoutQuery(location, requestUrl) : 'no Location given';
  return new SalesforceError({
    errorCode: 'REDIRECT_REFUSED',
    statusCode: response.statusCode,
    message:
      `${from} answered HTTP ${response.statusCode}, a redirect to ${to}. Redirects are not followed, so the session ` +
      'never goes to another address. If the org moved (a My Domain change is the usual reason), connect to the new URL.',
    request: from,
  });
}

function isTimeout(error: unknown): boolean {
  const value = error as { name?: unknown; message?: unknown } | undefined;
  return (
    value?.name === 'AbortError' ||
    (typeof value?.message === 'string' &&
      /aborted due to timeout|^Request Timeout$/i.test(value.message))
  );
}

function timedOut(requestUrl: string, timeoutMs: number): SalesforceError {
  const url = withoutQuery(requestUrl);
  return new SalesforceError({
    errorCode: 'REQUEST_TIMEOUT',
    message: `No answer from ${url} within ${timeoutMs / 1000} s`,
    request: url,
  });
}

/** ABORTED for a request stopped by the caller's AbortSignal (connect's `signal`). */
function requestAborted(signal: AbortSignal, requestUrl: string): SalesforceError {
  const url = withoutQuery(requestUrl);
  return abortedError(signal, `The request to ${url}`, url);
}

/** The other end closed the connection before the whole answer arrived (before or after the headers). */
function isDropped(error: unknown): boolean {
  const value = error as { code?: unknown; name?: unknown } | undefined;
  return value?.code === 'ECONNRESET' && value.name !== 'SalesforceError';
}

function dropped(requestUrl: string, error: unknown): SalesforceError {
  const url = withoutQuery(requestUrl);
  const { statusCode } = error as { statusCode?: unknown };
  return new SalesforceError({
    errorCode: 'ECONNRESET',
    statusCode: typeof statusCode === 'number' ? statusCode : undefined,
    message: `The connection to ${url} closed before the whole answer arrived (ECONNRESET): the network, a proxy or Salesforce dropped it`,
    request: url,
  });
}

/**
 * The proxy for one request, for jsforce's own transport: it reads HTTPS_PROXY / HTTP_PROXY once
 * when it loads and knows no NO_PROXY, so `check --demo` (127.0.0.1) and hosts a pipeline's
 * NO_PROXY exempts went to the proxy. Here the proxy is jsforce's choice, read at each request,
 * unless NO_PROXY names the host: `httpProxy: undefined` sends directly. A setting that is no URL is left to jsforce. lookupTransport.ts ignores the option
 * (connect's defaultTransport applies the same choice with jsforceProxyFor).
 */
function proxyOption(requestUrl: string): { httpProxy?: string } {
  const proxy = jsforceProxyFor(requestUrl);
  return proxy === undefined ? {} : { httpProxy: proxy ?? undefined };
}

/**
 * The proxy jsforce's transport would send a request through, NO_PROXY applied: its URL, null for
 * none (directly), undefined when the setting is no URL (left to jsforce).
 */
function jsforceProxyFor(requestUrl: string): string | null | undefined {
  try {
    return jsforceProxyChoice(new URL(requestUrl))?.href ?? null;
  } catch {
    return undefined;
  }
}

/**
 * The proxy jsforce's transport would choose for a URL (the first of https_proxy, http_proxy,
 * HTTPS_PROXY, HTTP_PROXY, for either scheme), NO_PROXY applied, or null; a setting this package
 * cannot use (no URL, SOCKS4, another scheme) throws proxyFor's InputError.
 */
export function jsforceProxyChoice(url: URL): URL | null {
  const env = process.env;
  const chosen = env.https_proxy ?? env.http_proxy ?? env.HTTPS_PROXY ?? env.HTTP_PROXY;
  return proxyFor(url, { ...env, https_proxy: chosen, http_proxy: chosen });
}

/**
 * A transport that sends through `base` with redirects off and a deadline for the whole request,
 * and turns a 3xx answer and a missed deadline into typed errors. Connections and token clients made by `connect` use it.
 * `signal` (read at each request) aborts the request: it is handed to `base` (lookupTransport.ts
 * destroys the socket), the body stream is destroyed, and the request rejects with ABORTED.
 */
export function guardTransport(
  base: JsforceTransport,
  timeoutMs: () => number,
  signal: () => AbortSignal | undefined = () => undefined,
): JsforceTransport {
  return {
    httpRequest(req, options) {
      const requestUrl = String((req as { url?: unknown }).url ?? '');
      const abort = signal();
      if (abort?.aborted) {
        // Never sent: nothing to release.
        const refused = Promise.reject(requestAborted(abort, requestUrl));
        return Object.assign(refused, { stream: () => new PassThrough() });
      }
      const timeout = typeof options?.timeout === 'number' ? options.timeout : timeoutMs();
      // jsforce's own timeout covers only the wait for the response headers (it clears its timer
      // once they arrive and then reads the body without one), so a server that sends headers and
      // stalls the body would hang the caller. The deadline below covers the whole request,
      // headers and body; jsforce's timer stays, as it also aborts a fetch still waiting for headers.
      const pending = base.httpRequest(req, {
        ...options,
        followRedirect: false,
        timeout,
        ...(abort ? { signal: abort } : {}),
        ...proxyOption(requestUrl),
      });
      // Stop reading what is left of the body: the socket behind it backs up and the bytes no
      // longer pile up in memory (lookupTransport.ts: the socket is destroyed). jsforce does not
      // expose its fetch's AbortController.
      const release = () => {
        try {
          (pending.stream() as { destroy?: () => void } | undefined)?.destroy?.();
        } catch {
          // Nothing to release.
        }
      };
      let timer: NodeJS.Timeout | undefined;
      let onAbort: (() => void) | undefined;
      const stopped = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => {
          release();
          reject(timedOut(requestUrl, timeout));
        }, timeout);
        if (abort) {
          onAbort = () => {
            release();
            reject(requestAborted(abort, requestUrl));
          };
          abort.addEventListener('abort', onAbort, { once: true });
        }
      });
      const answered = pending.then(
        (response) => {
          if (REDIRECT_STATUSES.has(response.statusCode))
            throw redirectRefused(requestUrl, response);
          return response;
        },
        (error: unknown) => {
          if (abort?.aborted) throw requestAborted(abort, requestUrl);
          if (isTimeout(error)) throw timedOut(requestUrl, timeout);
          if (isDropped(error)) throw dropped(requestUrl, error);
          throw error;
        },
      );
      const checked = Promise.race([answered, stopped]).finally(() => {
        clearTimeout(timer);
        if (onAbort) abort?.removeEventListener('abort', onAbort);
      });
      return Object.assign(checked, { stream: () => pending.stream() });
    },
  };
}

/**
 * Puts the guard on a connection's transport, used by sendRest and by jsforce's calls alike: on
 * jsforce's own, or on `base` instead (connect's `lookup`: lookupTransport.ts).
 */
export function guardConnection(conn: Connection, base?: JsforceTransport): void {
  const holder = conn as unknown as { _transport: JsforceTransport };
  holder._transport = guardTransport(
    base ?? holder._transport,
    () => stateOf(conn).timeoutMs,
    () => stateOf(conn).signal,
  );
}

export async function sendRest<T>(conn: Connection, request: RestRequest): Promise<T> {
  const state = stateOf(conn);
  const sentWith = conn.accessToken;
  try {
    return await sendOnce<T>(conn, state, request);
  } catch (error) {
    if (
      !(error instanceof SalesforceError) ||
      error.errorCode !== 'INVALID_SESSION_ID' ||
      !state.refresher ||
      // Stopped meanwhile: no new session is asked for (the Salesforce CLI would start again).
      state.signal?.aborted
    )
      throw error;
    // A parallel request may have renewed the session already (its refresh done before this
    // answer came): then retry with the new one instead of renewing again.
    if (conn.accessToken === sentWith || state.refreshing) await refreshSession(conn, state);
    return sendOnce<T>(conn, state, request);
  }
}

/** Parallel requests that all find the session expired share one refresh. */
async function refreshSession(conn: Connection, state: ConnectionState): Promise<void> {
  if (!state.refreshing) {
    const refresher = state.refresher!;
    state.refreshing = refresher(conn).finally(() => {
      state.refreshing = undefined;
    });
  }
  await state.refreshing;
}

async function sendOnce<T>(
  conn: Connection,
  state: ConnectionState,
  request: RestRequest,
): Promise<T> {
  let statusCode: number | undefined;
  // connect() has put guardTransport here: no redirects, the timeout.
  const base = (conn as unknown as { _transport: JsforceTransport })._transport;
  // jsforce hands the per-request options to the transport; a transport given there is used
  // instead of the connection's (HttpApi: `options.transport || conn._transport`).
  const transport: JsforceTransport = {
    httpRequest(req, options) {
      // A request refused because the connection was aborted already is never sent.
      if (!state.signal?.aborted) state.requests += 1;
      const pending = base.httpRequest(req, options);
      pending.then(
        (response) => {
          statusCode = response.statusCode;
          const usage = parseLimitInfo(response.headers['sforce-limit-info']);
          if (
            usage &&
            (!state.apiUsage ||
              usage.used >= state.apiUsage.used ||
              usage.max !== state.apiUsage.max)
          ) {
            state.apiUsage = usage;
          }
        },
        () => undefined,
      );
      return pending;
    },
  };
  const label = request.label ?? `${request.method} ${request.url.split('?')[0]}`;
  const session = conn.accessToken;
  try {
    const httpRequest =
      request.body === undefined
        ? { method: request.method, url: request.url }
        : {
            method: request.method,
            url: request.url,
            body: JSON.stringify(request.body),
            headers: { 'content-type': 'application/json' },
          };
    const result = await conn.request<T>(httpRequest, {
      transport,
      retry: { maxRetries: 0 },
      followRedirect: false,
      timeout: state.timeoutMs,
    });
    return result;
  } catch (error) {
    const failed =
      error instanceof SalesforceError && GUARD_ERRORS.has(error.errorCode)
        ? withLabel(error, label)
        : toSalesforceError(error, statusCode, label);
    throw withoutSession(failed, [session, conn.accessToken]);
  }
}

/** node-fetch's refusal of a header value, which it quotes whole: `Bearer <token> is not a legal HTTP header value`. */
const ILLEGAL_HEADER_VALUE = /^([\s\S]*) is not a legal HTTP header value$/;

/**
 * The error without the session it was sent with. What node-fetch, undici or Node throw may quote
 * the Authorization header (node-fetch refuses a token with a line break as
 * `Bearer <the token> is not a legal HTTP header value`), and the message goes on to a terminal, a
 * log, a report: the session is taken out by its exact text and by its shape (secrets.ts).
 */
function withoutSession(
  error: SalesforceError,
  sessions: readonly (string | null | undefined)[],
): SalesforceError {
  const header = ILLEGAL_HEADER_VALUE.exec(error.message)?.[1];
  const badToken =
    (header !== undefined && /^Bearer\s/.test(header)) ||
    // Node's own refusal (lookupTransport.ts) names the header, not its value.
    (error.errorCode === 'ERR_INVALID_CHAR' &&
      /^Invalid character in header content \["?Authorization"?\]$/i.test(error.message));
  const message = badToken
    ? 'The access token cannot be sent: it holds a character an HTTP header cannot carry (a line break, a control character or one outside Latin-1). ' +
      'Copy it again, on one line (the token is not shown here).'
    : scrubSecrets(error.message, sessions);
  if (message === error.message) return error;
  return new SalesforceError({
    // Node's own code for the same refusal (lookupTransport.ts sends through node:http).
    errorCode: badToken ? 'ERR_INVALID_CHAR' : error.errorCode,
    message,
    statusCode: error.statusCode,
    fields: error.fields,
    request: error.request,
  });
}

/** The errors guardTransport raises name a URL; sendRest's callers also want the request's label. */
const GUARD_ERRORS = new Set(['REDIRECT_REFUSED', 'REQUEST_TIMEOUT', 'ECONNRESET', 'ABORTED']);

function withLabel(error: SalesforceError, label: string): SalesforceError {
  const message =
    error.errorCode === 'REQUEST_TIMEOUT' ? `${error.message} (${label})` : error.message;
  return new SalesforceError({
    errorCode: error.errorCode,
    message,
    statusCode: error.statusCode,
    request: label,
  });
}

/** Turns what jsforce or the network threw into a SalesforceError. */
export function toSalesforceError(
  error: unknown,
  statusCode: number | undefined,
  label?: string,
): SalesforceError {
  if (error instanceof SalesforceError) return error;
  const value = error as {
    errorCode?: unknown;
    code?: unknown;
    name?: unknown;
    message?: unknown;
    data?: unknown;
    statusCode?: unknown;
  };
  // No response, but an error that carries a status of its own (a proxy's answer to CONNECT).
  const status =
    statusCode ?? (typeof value?.statusCode === 'number' ? value.statusCode : undefined);
  const given = typeof value?.message === 'string' ? value.message : String(error);
  // An answer without a body (jsforce then gives no message): say what it was. 407 comes from the
  // proxy of HTTPS_PROXY, never from Salesforce.
  const message =
    given.trim() !== ''
      ? given
      : status === 407
        ? 'The proxy (HTTPS_PROXY or HTTP_PROXY) answered HTTP 407 Proxy Authentication Required: it wants credentials before it lets the request through to Salesforce.'
        : status
          ? `HTTP ${status} without a message`
          : 'The request failed without a message';
  if (isTimeout(error)) {
    return new SalesforceError({
      errorCode: 'REQUEST_TIMEOUT',
      message: `Salesforce did not answer in time (${label ?? 'request'})`,
      request: label,
    });
  }
  if (Array.isArray(value?.data) && value.data.length > 1)
    return errorFromBody(value.data, status, label);
  const errorCode =
    typeof value?.errorCode === 'string' && value.errorCode !== 'Error'
      ? value.errorCode
      : typeof value?.code === 'string'
        ? value.code
        : status
          ? `HTTP_${status}`
          : 'UNKNOWN_ERROR';
  const fields = (value?.data as { fields?: unknown } | undefined)?.fields;
  return new SalesforceError({
    errorCode: errorCode.replace(/^ERROR_HTTP_/, 'HTTP_'),
    message,
    statusCode: status,
    fields: Array.isArray(fields)
      ? fields.filter((f): f is string => typeof f === 'string')
      : undefined,
    request: label,
  });
}
