import type { ReasonCode } from './codes.js';

/**
 * A Salesforce error in any of the shapes it reaches us:
 * - a REST error body element `{ errorCode, message, fields? }` or the whole array of them;
 * - a jsforce `HttpApiError` (`name` and `errorCode` hold Salesforce's code, `content` the body);
 * - Node/fetch network errors (`code: 'ECONNREFUSED'`, ...), when the org cannot be reached;
 * - our own `SalesforceError` (`errorCode`, `statusCode`).
 */
export interface SalesforceErrorLike {
  errorCode?: string | null;
  statusCode?: number | null;
  message?: string | null;
  name?: string | null;
  [key: string]: unknown;
}

/**
 * Salesforce error codes (the `StatusCode` enum of the SOAP/REST APIs) and what HubSpot's
 * suspension article calls them. Sources:
 * - Salesforce REST API Developer Guide, "Status Codes and Error Responses"
 *   https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
 *   (403 + REQUEST_LIMIT_EXCEEDED = org API request limit; 401 = expired/invalid session;
 *   500 = platform error; 503 = server down for maintenance or overloaded).
 * - SOAP API Developer Guide, "StatusCode" enum (core data types / API fault codes)
 *   https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_concepts_core_data_objects.htm
 */
const BY_ERROR_CODE: Record<string, ReasonCode> = {
  // The org's rolling 24-hour API request limit (also the concurrent long-request limit, which
  // Salesforce reports with the same code: "ConcurrentPerOrgLongTxn Limit exceeded").
  REQUEST_LIMIT_EXCEEDED: 'API_LIMIT_EXCEEDED',
  TOTAL_REQUESTS_LIMIT_EXCEEDED: 'API_LIMIT_EXCEEDED',

  // The org's edition has no API, or the user lacks "API Enabled".
  API_DISABLED_FOR_ORG: 'API_ACCESS_DISABLED',
  API_CURRENTLY_DISABLED: 'API_ACCESS_DISABLED',
  // The credentials HubSpot holds no longer open the API (revoked token, frozen or deactivated
  // user, expired password). HubSpot's remedy under "API access disabled" is the same:
  // re-enter the Salesforce credentials.
  INVALID_SESSION_ID: 'API_ACCESS_DISABLED',
  INVALID_LOGIN: 'API_ACCESS_DISABLED',
  INVALID_OPERATION_WITH_EXPIRED_PASSWORD: 'API_ACCESS_DISABLED',
  LOGIN_MUST_USE_SECURITY_TOKEN: 'API_ACCESS_DISABLED',
  INVALID_GRANT: 'API_ACCESS_DISABLED',
  INACTIVE_OWNER_OR_USER: 'API_ACCESS_DISABLED',

  // Object-level access (including records reached through a lookup).
  INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY: 'OBJECT_PERMISSIONS_MISSING',
  INSUFFICIENT_ACCESS_OR_READONLY: 'OBJECT_PERMISSIONS_MISSING',
  INSUFFICIENT_ACCESS: 'OBJECT_PERMISSIONS_MISSING',
  INSUFFICIENT_PRIVILEGES: 'OBJECT_PERMISSIONS_MISSING',
  // "sObject type 'X' is not supported": the object exists but the user may not read it.
  INVALID_TYPE: 'OBJECT_PERMISSIONS_MISSING',
  INVALID_TYPE_FOR_OPERATION: 'OBJECT_PERMISSIONS_MISSING',
  // A lookup to a record the user cannot see (the article's "cross-related object").
  INVALID_CROSS_REFERENCE_KEY: 'OBJECT_PERMISSIONS_MISSING',

  // Field-level security: "Unable to create/update fields: X. Please check the security settings
  // of this field", or "No such column 'X' on entity 'Y'" for a field the user cannot see.
  INVALID_FIELD_FOR_INSERT_UPDATE: 'FIELD_PERMISSIONS_MISSING',
  INVALID_FIELD: 'FIELD_PERMISSIONS_MISSING',
  INVALID_FIELD_WHEN_USING_TEMPLATE: 'FIELD_PERMISSIONS_MISSING',

  // Row-lock contention ("unable to obtain exclusive access to this record"), which the article
  // describes under "Salesforce org locked"; records locked by an approval process likewise.
  UNABLE_TO_LOCK_ROW: 'ORG_LOCKED',
  ORG_LOCKED: 'ORG_LOCKED',
  ENTITY_IS_LOCKED: 'ORG_LOCKED',

  STORAGE_LIMIT_EXCEEDED: 'STORAGE_LIMIT_EXCEEDED',
  EXCEEDED_QUOTA: 'STORAGE_LIMIT_EXCEEDED',
  EXCEEDED_MAX_SIZE_REQUEST: 'STORAGE_LIMIT_EXCEEDED',

  SERVER_UNAVAILABLE: 'ORG_UNAVAILABLE',
  // Orgs in read-only mode during a Salesforce maintenance window.
  INSERT_UPDATE_DELETE_NOT_ALLOWED_DURING_MAINTENANCE: 'ORG_UNAVAILABLE',
  ORG_IN_MAINTENANCE: 'ORG_UNAVAILABLE',

  UNKNOWN_EXCEPTION: 'SERVER_ERROR',
  INTERNAL_ERROR: 'SERVER_ERROR',
  INTERNAL_SERVER_ERROR: 'SERVER_ERROR',
};

/** Network failures: the org could not be reached at all. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

/** An upper-case Salesforce code at the start of a message: "REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded." */
const LEADING_CODE = /^\s*([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\s*[:\-]/;
/** A code anywhere in a message, e.g. jsforce's "Error: INVALID_FIELD: ..." or a JSON body pasted into it. */
const ANY_CODE = /\b([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\b/g;

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d{3}$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

function httpStatusInCode(code: string | undefined): number | undefined {
  const match = code ? /^(?:ERROR_)?HTTP_(\d{3})$/i.exec(code) : null;
  return match ? Number(match[1]) : undefined;
}

function known(code: string | undefined): ReasonCode | undefined {
  if (!code) return undefined;
  return BY_ERROR_CODE[code.toUpperCase()];
}

/** The error objects to look at: the value itself, then a body array / `content` / `data` / `body`. */
function candidates(error: unknown): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (depth > 3 || value === null || value === undefined) return;
    if (Array.isArray(value)) {
      for (const item of value.slice(0, 10)) visit(item, depth + 1);
      return;
    }
    if (typeof value === 'string') {
      // A raw body: '[{"errorCode":"...","message":"..."}]'. JSON.parse is pure and LWC-safe.
      const text = value.trim();
      if ((text.startsWith('[') || text.startsWith('{')) && text.length < 100_000) {
        try {
          visit(JSON.parse(text), depth + 1);
        } catch {
          /* not JSON: the message matchers below still read it */
        }
      }
      return;
    }
    if (typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    out.push(record);
    for (const key of ['content', 'body', 'data', 'response', 'errors', 'cause']) {
      if (key in record) visit(record[key], depth + 1);
    }
  };
  visit(error, 0);
  return out;
}

function fromMessage(message: string): ReasonCode | undefined {
  const leading = LEADING_CODE.exec(message);
  const lead = known(leading?.[1]);
  if (lead) return lead;
  for (const match of message.matchAll(ANY_CODE)) {
    const reason = known(match[1]);
    if (reason) return reason;
  }
  const text = message.toLowerCase();
  if (/totalrequests limit exceeded|api request limit|request limit exceeded/.test(text))
    return 'API_LIMIT_EXCEEDED';
  if (/api is not enabled for this organization|api (?:is )?(?:currently )?disabled/.test(text))
    return 'API_ACCESS_DISABLED';
  if (/unable to obtain exclusive access to this record/.test(text)) return 'ORG_LOCKED';
  // INVALID_FIELD's own message, quoted without its code (a field the user cannot see).
  if (/no such column '[^']+' on entity/.test(text)) return 'FIELD_PERMISSIONS_MISSING';
  // INVALID_FIELD_FOR_INSERT_UPDATE's own message, likewise ("… Please check the security settings").
  if (/unable to create\/update fields?:/.test(text)) return 'FIELD_PERMISSIONS_MISSING';
  if (/storage limit exceeded/.test(text)) return 'STORAGE_LIMIT_EXCEEDED';
  return undefined;
}

/**
 * Maps a Salesforce REST or jsforce error to the suspension reason HubSpot would show for it.
 * Never throws; anything it cannot place is `UNKNOWN_ERROR`.
 */
export function classifySalesforceError(error: SalesforceErrorLike | unknown): ReasonCode {
  const items = candidates(error);
  let status: number | undefined;
  const messages: string[] = [];
  if (typeof error === 'string') messages.push(error);

  // 1. An explicit Salesforce error code anywhere in the shapes wins.
  for (const item of items) {
    const byCode =
      known(str(item.errorCode)) ?? known(str(item.name)) ?? known(str(item.statusCode));
    if (byCode) return byCode;
    const network = str(item.code);
    if (network && NETWORK_CODES.has(network.toUpperCase())) return 'ORG_UNAVAILABLE';
    const byCodeField = known(network);
    if (byCodeField) return byCodeField;
    // OAuth token endpoint errors: { error: 'invalid_grant', error_description }
    const oauth = str(item.error);
    if (oauth && known(oauth)) return known(oauth)!;
    // jsforce names errors of non-JSON responses 'ERROR_HTTP_503'; our collector uses 'HTTP_503'.
    status ??=
      num(item.statusCode) ??
      num(item.status) ??
      httpStatusInCode(str(item.errorCode) ?? str(item.name));
    const message = str(item.message) ?? str(item.error_description);
    if (message) messages.push(message);
  }

  // 2. A code or a known phrase inside a message.
  for (const message of messages) {
    const reason = fromMessage(message);
    if (reason) return reason;
  }

  // 3. The HTTP status alone.
  if (status === 403 && messages.some((m) => /limit/i.test(m))) return 'API_LIMIT_EXCEEDED';
  if (status === 503 || status === 502 || status === 504) return 'ORG_UNAVAILABLE';
  if (status !== undefined && status >= 500) return 'SERVER_ERROR';
  return 'UNKNOWN_ERROR';
}
