/**
 * Which failures to talk to Salesforce pass by themselves, so the same request may succeed later:
 * one rule for the CLI (exit 75, "retry later") and the relay (the outbox retries with backoff).
 * Each caller may add what is transient for it alone on top (the CLI: a SOQL QUERY_TIMEOUT, a hung
 * `sf`, HTTP 429; the relay: the hourly platform event allocation, an expired session it renews,
 * a host name that does not resolve), and keep its own refusals out.
 *
 * Loads nothing else of the package (`@sync-doctor/salesforce/transient`).
 */

/** Salesforce's codes for passing trouble, and the network's. */
export const TRANSIENT_FAILURE_CODES: ReadonlySet<string> = new Set([
  // Maintenance or overload (HTTP 503).
  'SERVER_UNAVAILABLE',
  // The 24-hour API allocation is spent, or too many long requests run at once.
  'REQUEST_LIMIT_EXCEEDED',
  // Another transaction holds the record.
  'UNABLE_TO_LOCK_ROW',
  // The org is read-only during a maintenance window (site switch, instance refresh): "Updates
  // can't be made during maintenance. Try again when maintenance is complete."
  'INSERT_UPDATE_DELETE_NOT_ALLOWED_DURING_MAINTENANCE',
  // The token endpoint's passing failure of a grant (OAuth `unknown_error`, "retry your request").
  'unknown_error',
  // This package's own deadline on a request (headers and body: transport.ts).
  'REQUEST_TIMEOUT',
  // The egress proxy did not answer or dropped the connection (proxyTunnel.ts). A proxy that
  // answers CONNECT with 502-504 is transient by its status; 407 or 403 is a setting to fix.
  'PROXY_UNREACHABLE',
  // A SOCKS5 proxy's reply that it could not reach Salesforce just then (general failure, network
  // or host unreachable, connection refused, TTL expired), as an HTTP proxy's 502-504. Its refusals
  // (credentials, ruleset) are PROXY_REFUSED, not here.
  'PROXY_SOCKS_ERROR',
  // The network: refused, reset or dropped connections (a connection dropped mid-answer is
  // ECONNRESET: transport.ts), timeouts, a resolver or route that is down. A host name that does
  // not resolve at all (ENOTFOUND) is not here: from a command line it is far more often a
  // mistyped URL than a passing outage (that is EAI_AGAIN).
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETDOWN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** A gateway or server that is down or overloaded (maintenance pages are 503). */
export const TRANSIENT_HTTP_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/**
 * The code a failure goes by: a SalesforceError's `errorCode`, else a Node or undici error's
 * `code` (not the generic 'Error').
 */
export function failureCode(error: unknown): string | undefined {
  const value = (error ?? {}) as { errorCode?: unknown; code?: unknown };
  return [value.errorCode, value.code].find(
    (c): c is string => typeof c === 'string' && c !== 'Error',
  );
}

/**
 * True when the failure passes by itself: its code (or the code of its `cause`, as undici's
 * 'fetch failed' carries the network's) is one of TRANSIENT_FAILURE_CODES, or its HTTP status
 * (`statusCode` or `status`) is 502-504. Takes a SalesforceError, a Node or undici error, or a
 * plain `{ errorCode, statusCode }`.
 */
export function isTransientSalesforceFailure(error: unknown): boolean {
  const value = (error ?? {}) as { statusCode?: unknown; status?: unknown; cause?: unknown };
  const code = failureCode(error);
  if (code !== undefined && TRANSIENT_FAILURE_CODES.has(code)) return true;
  const cause = (value.cause ?? {}) as { code?: unknown };
  if (typeof cause.code === 'string' && TRANSIENT_FAILURE_CODES.has(cause.code)) return true;
  const status =
    typeof value.statusCode === 'number'
      ? value.statusCode
      : typeof value.status === 'number'
        ? value.status
        : undefined;
  return status !== undefined && TRANSIENT_HTTP_STATUSES.has(status);
}
