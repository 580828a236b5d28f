// Which Salesforce failures are worth retrying, and when. Salesforce answers transient trouble
// with these codes: SERVER_UNAVAILABLE / HTTP 503 (maintenance, overload), UNABLE_TO_LOCK_ROW
// (another transaction holds the record), REQUEST_LIMIT_EXCEEDED (24-hour API allocation or
// concurrency limit), LIMIT_EXCEEDED (the hourly platform event allocation). Network failures
// and an expired session are transient for us too.
// The package's light entry point: the relay loads the rest of it (jsforce) only on the first
// delivery (publisher/salesforce.ts), and this module is loaded at start.
import { isTransientSalesforceFailure } from '@sync-doctor/salesforce/transient';

// The rule the CLI's "retry later" (exit 75) follows too: @sync-doctor/salesforce's
// isTransientSalesforceFailure (SERVER_UNAVAILABLE, REQUEST_LIMIT_EXCEEDED, UNABLE_TO_LOCK_ROW, an
// org read-only for maintenance, OAuth's unknown_error, the package's REQUEST_TIMEOUT, an egress
// proxy that did not answer, network failures and timeouts, HTTP 502-504, also a login server's
// HTML 503 page). On top of it, what the relay retries for itself:
const RELAY_RETRYABLE_CODES = new Set([
  // The hourly allocation of published platform events is spent; it comes back within the hour.
  // (Other LIMIT_EXCEEDED refusals that do not pass end failed after the last attempt, as any.)
  'LIMIT_EXCEEDED',
  // An expired session: renewed within the attempt where the credentials allow.
  'INVALID_SESSION_ID',
  // A My Domain that does not resolve: a resolver outage passes; one that really does not exist
  // fails every attempt and ends failed after the last one, as any failure does. (From a command
  // line it is more often a typo, so the shared rule leaves it out.)
  'ENOTFOUND',
  // Salesforce's record holds a larger Relay_Sequence__c than the send (another instance's clock
  // ahead): the publisher raised its counter above it, so the next attempt lands.
  'SYNC_DOCTOR_STALE_STATUS',
]);
// The relay's own refusals: where a request may go is a rule, not a passing fault, so they fail at
// once whatever their message says (a refused address, URL or redirect would be refused again).
// So does an https:// egress proxy whose certificate fails the check, or that does not speak TLS:
// settings to fix, and their TLS reasons may read like a dropped connection.
// So does @sync-doctor/salesforce's InputError (its name is its code here): a value it refused
// (a portal id, a key file, a URL) is refused again, and its message may quote that value, which
// must not make it look like a network failure ('fetch failed').
const REFUSALS = new Set([
  'InputError',
  'DESTINATION_REFUSED',
  'URL_REFUSED',
  'REDIRECT_REFUSED',
  'PROXY_UNTRUSTED',
  'PROXY_MISCONFIGURED',
]);

interface DeliveryFailure {
  code: string;
  statusCode: number | null;
  message: string;
  retryable: boolean;
}

/**
 * What to fix for the refusals of a JWT bearer log-in, whose descriptions name a symptom, not a
 * cause (Salesforce Help, "OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration").
 */
const GRANT_HINTS: [RegExp, string][] = [
  [
    /approved this consumer|not admin approved|invalid_app_access/i,
    "pre-authorize the user for the connected app (Permitted Users: Admin approved users are pre-authorized, with the user's profile or a permission set added to the app); Salesforce says the same when the username, the consumer key (clientId) and the certificate do not belong to one org",
  ],
  [
    /audience is invalid/i,
    "set loginUrl to https://login.salesforce.com, to https://test.salesforce.com for a sandbox, or to the org's My Domain",
  ],
  [
    /expired authorization code/i,
    "the assertion arrived expired: check the relay host's clock (NTP); it is valid for 3 minutes",
  ],
  [
    /invalid_client_id|client identifier invalid/i,
    'clientId is not the consumer key of a connected app this login URL knows (a production app used against a sandbox, or the reverse?)',
  ],
  [
    /invalid assertion|invalid signature/i,
    "the connected app's certificate is not the one of this private key: upload the certificate of the key the relay has, or set the key of the uploaded certificate",
  ],
  [/inactive user/i, 'the user is deactivated: activate it, or connect another user'],
];

/** The message with what to fix appended, when it is a log-in Salesforce refused for a known cause. */
function withGrantHint(code: string, message: string): string {
  const hint = GRANT_HINTS.find(([pattern]) => pattern.test(`${code}: ${message}`))?.[1];
  return hint && /^invalid_/.test(code) ? `${message} (${hint})` : message;
}

/**
 * What to do when Salesforce refuses to create the status record because the org's data storage
 * is full (often with HubSpot's own "Storage limit exceeded" suspension). Updates of an existing
 * record still pass, so only a portal's first delivery into the org meets it. Freeing storage
 * takes a person hours, longer than the backoff: the change is given up at once and kept, for the
 * retry route (or the portal's next change, which carries the newest status).
 */
export const STORAGE_FULL = 'STORAGE_LIMIT_EXCEEDED';
export function storageFullHint(portalId = '<portalId>'): string {
  return `Salesforce's data storage is full, so the status record could not be created: free data storage (Setup > Storage Usage), then retry with POST /v1/admin/portals/${portalId}/deliveries/retry`;
}

/** The message with what to fix appended, for a refusal no retry mends but a person can. */
function withHint(code: string, message: string): string {
  if (code === STORAGE_FULL) return `${message} (${storageFullHint()})`;
  return withGrantHint(code, message);
}

export function describeFailure(error: unknown): DeliveryFailure {
  const e = (error ?? {}) as {
    errorCode?: unknown;
    code?: unknown;
    name?: unknown;
    statusCode?: unknown;
    status?: unknown;
    message?: unknown;
    cause?: unknown;
  };
  const cause = (e.cause ?? {}) as { code?: unknown };
  const code =
    [e.errorCode, e.code, cause.code, e.name].find(
      (c): c is string => typeof c === 'string' && c !== 'Error',
    ) ?? 'ERROR';
  const statusRaw =
    typeof e.statusCode === 'number'
      ? e.statusCode
      : typeof e.status === 'number'
        ? e.status
        : null;
  const message = withHint(code, typeof e.message === 'string' ? e.message : String(error)).slice(
    0,
    1000,
  );
  const retryable =
    // The thrower knows better (an access token nothing can renew).
    (error as { retryable?: unknown } | null)?.retryable !== false &&
    !REFUSALS.has(code) &&
    (isTransientSalesforceFailure(error) ||
      RELAY_RETRYABLE_CODES.has(code) ||
      (typeof cause.code === 'string' && RELAY_RETRYABLE_CODES.has(cause.code)) ||
      /fetch failed|socket hang up|ECONNREFUSED/i.test(message));
  return { code, statusCode: statusRaw, message, retryable };
}

/** Exponential backoff with "equal jitter": half the delay fixed, half random, capped. */
export function retryDelayMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

/**
 * The note the automatic re-queue (outbox/recovery.ts) puts at the end of a failed delivery's
 * lastError ("... [AUTO-RETRY: re-queued by itself ...]"): taken off again when it writes a new one,
 * and when an admin re-queues the delivery by hand (store/outboxStore.ts).
 */
export const AUTO_RETRY_NOTE = / \[AUTO-RETRY[^\]]*\]$/;
