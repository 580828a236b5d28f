import type { Connection } from 'jsforce';
import { subOutcome, type SubRequest, type SubResponse } from '../composite.js';
import { SalesforceError } from '../errors.js';
import { missingColumnFromMessage, queryUrl } from '../soql.js';
import { sendRest } from '../transport.js';

/**
 * The caller's own system permissions that decide whether the optional sections may be trusted:
 * Login History (Manage Users or Monitor Login History) and HubSpot's connected app (Customize
 * Application and Modify All Data or Manage Connected Apps). Salesforce answers a caller without
 * them with their own rows or, perhaps, nothing, rather than refusing (loginHistory.ts,
 * connectedApps.ts), so they are asked first (UserPermissionAccess, API 41.0), in ONE query: both
 * sections and the frozen flag (frozen.ts) then fit one composite's 5 query slots, which keeps the
 * default snapshot at 3 HTTP requests. An edition without one of the columns answers INVALID_FIELD; the
 * query is asked again without it, a later request only such orgs pay, and the permission counts
 * as not granted.
 */
const CALLER_PERMISSION_COLUMNS = [
  'PermissionsManageUsers',
  'PermissionsMonitorLoginHistory',
  'PermissionsCustomizeApplication',
  'PermissionsModifyAllData',
  'PermissionsManageConnectedApps',
] as const;

export const CALLER_PERMISSIONS_REFERENCE = 'callerPermissions';

/** What the caller holds, or why it could not be told. */
export type CallerPermissions =
  | { ok: true; held: ReadonlySet<string> }
  | { ok: false; error: { errorCode?: string; message: string } };

const soqlOf = (columns: readonly string[]) =>
  `SELECT ${columns.join(', ')} FROM UserPermissionAccess`;

export function callerPermissionsSubRequest(): SubRequest {
  return {
    referenceId: CALLER_PERMISSIONS_REFERENCE,
    method: 'GET',
    url: queryUrl(soqlOf(CALLER_PERMISSION_COLUMNS)),
  };
}

type Page = { records?: Record<string, unknown>[] };

const heldOf = (page: Page, columns: readonly string[]): Set<string> =>
  new Set(columns.filter((column) => page.records?.[0]?.[column] === true));

/**
 * The caller's permissions from the composite's answer, asking again without a column the edition
 * lacks (each retry is one more request; `onRequest` counts the rounds it adds).
 */
export async function readCallerPermissions(
  conn: Connection,
  response: SubResponse | undefined,
  onRetry: () => void,
): Promise<CallerPermissions> {
  let columns: string[] = [...CALLER_PERMISSION_COLUMNS];
  let outcome = subOutcome<Page>(response, CALLER_PERMISSIONS_REFERENCE);
  for (;;) {
    if (outcome.ok) return { ok: true, held: heldOf(outcome.value, columns) };
    const missing =
      outcome.error.errorCode === 'INVALID_FIELD'
        ? missingColumnFromMessage(outcome.error.message)
        : null;
    const remaining = missing
      ? columns.filter((c) => c.toLowerCase() !== missing.toLowerCase())
      : columns;
    if (!missing || remaining.length === columns.length || remaining.length === 0)
      return {
        ok: false,
        error: { errorCode: outcome.error.errorCode, message: outcome.error.message },
      };
    columns = remaining;
    onRetry();
    try {
      const page = await sendRest<Page>(conn, {
        method: 'GET',
        url: queryUrl(soqlOf(columns)),
        label: 'GET UserPermissionAccess',
      });
      outcome = { ok: true, value: page };
    } catch (error) {
      if (!(error instanceof SalesforceError)) throw error;
      outcome = { ok: false, error };
    }
  }
}
