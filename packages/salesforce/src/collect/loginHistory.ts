import {
  LOGIN_HISTORY_DAYS,
  LOGIN_HISTORY_FIELDS,
  LOGIN_HISTORY_LIMIT,
  type LoginHistoryRecord,
} from '@sync-doctor/core';
import { subOutcome, type SubRequest, type SubResponse } from '../composite.js';
import { isUserId, queryUrl, soqlString } from '../soql.js';
import type { CallerPermissions } from './callerPermissions.js';
import { stripAttributes } from './records.js';

/**
 * Login History of the integration user: whether Salesforce lets HubSpot log in at all.
 *
 * Reading another user's LoginHistory needs "Manage Users" or "Monitor Login History"; without
 * them Salesforce does not refuse the query but answers the caller's own attempts only (Object
 * Reference, LoginHistory, "Special Access Rules", API 37.0 and later), which would read as
 * "HubSpot never logged in". So the caller's permissions are asked in the same composite
 * (callerPermissions.ts), and the attempts count only when one is granted.
 */
export type LoginHistoryRead =
  | { read: true; attempts: number }
  | {
      read: false;
      /** 'needs-manage-users': the caller lacks Manage Users and Monitor Login History; 'error': a sub-request failed. */
      cause: 'needs-manage-users' | 'error';
      errorCode?: string;
      message: string;
    };

const REF_LOGINS = 'logins';

/** The attempts of the user `which` names (a SOQL condition on UserId). */
function loginsSoql(which: string): string {
  return `SELECT ${LOGIN_HISTORY_FIELDS.join(', ')} FROM LoginHistory WHERE ${which} AND LoginTime = LAST_N_DAYS:${LOGIN_HISTORY_DAYS} ORDER BY LoginTime DESC LIMIT ${LOGIN_HISTORY_LIMIT}`;
}

/**
 * The sub-request: the attempts, by the User id given, else by a semi-join on the username, so no
 * lookup of the id takes a query slot or makes it depend on another sub-request's answer. The
 * Object Reference lists LoginHistory's filterable fields one by one (UserId among them) and shows
 * only plain comparisons; it neither allows nor forbids a semi-join there. So a failed semi-join is
 * asked again by the user's id (loginHistoryByIdRequest), the documented form, once the user query
 * has given it. The caller's permissions to read them are asked once for both optional sections
 * (callerPermissions.ts).
 */
export function loginHistorySubRequests(user: string): SubRequest[] {
  const which = isUserId(user)
    ? `UserId = ${soqlString(user)}`
    : `UserId IN (SELECT Id FROM User WHERE Username = ${soqlString(user)})`;
  return [{ referenceId: REF_LOGINS, method: 'GET', url: queryUrl(loginsSoql(which)) }];
}

/** The same attempts by the user's id (a literal): the retry of a refused semi-join. */
export function loginHistoryByIdRequest(userId: string): { method: 'GET'; url: string } {
  return { method: 'GET', url: queryUrl(loginsSoql(`UserId = ${soqlString(userId)}`)) };
}

/** Whether the attempts' own sub-request failed (rather than the caller's permissions). */
export function loginHistorySubFailed(responses: Map<string, SubResponse>): boolean {
  return !subOutcome<unknown>(responses.get(REF_LOGINS), REF_LOGINS).ok;
}

/** The attempts of a query page, as loginHistoryOf reads them. */
export function loginHistoryOfPage(page: { records?: Record<string, unknown>[] }): {
  logins: LoginHistoryRecord[];
  read: LoginHistoryRead;
} {
  const records = (page.records ?? []).map(
    (r) => stripAttributes(r) as unknown as LoginHistoryRecord,
  );
  return { logins: records, read: { read: true, attempts: records.length } };
}

/** The attempts (for snapshot.logins) when they may be trusted, and what the read came to. */
export function loginHistoryOf(
  responses: Map<string, SubResponse>,
  permissions: CallerPermissions,
): {
  logins?: LoginHistoryRecord[];
  read: LoginHistoryRead;
} {
  if (!permissions.ok)
    return {
      read: {
        read: false,
        cause: 'error',
        ...(permissions.error.errorCode ? { errorCode: permissions.error.errorCode } : {}),
        message: `Could not tell whether this user may read Login History: ${permissions.error.message}`,
      },
    };
  if (
    !permissions.held.has('PermissionsManageUsers') &&
    !permissions.held.has('PermissionsMonitorLoginHistory')
  )
    return {
      read: {
        read: false,
        cause: 'needs-manage-users',
        message:
          'Login History not read: reading another user\'s logins needs the "Manage Users" or "Monitor Login History" permission.',
      },
    };
  const logins = subOutcome<{ records?: Record<string, unknown>[] }>(
    responses.get(REF_LOGINS),
    REF_LOGINS,
  );
  if (!logins.ok)
    return {
      read: {
        read: false,
        cause: 'error',
        errorCode: logins.error.errorCode,
        message: `Login History not read: ${logins.error.message}`,
      },
    };
  return loginHistoryOfPage(logins.value);
}
