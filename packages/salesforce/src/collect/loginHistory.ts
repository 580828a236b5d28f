import {
  LOGIN_HISTORY_DAYS,
  LOGIN_HISTORY_FIELDS,
  LOGIN_HISTORY_LIMIT,
  type LoginHistoryRecord,
} from '@sync-doctor/core';
import { subOutcome, type SubRequest, type SubResponse } from '../composite.js';
import { isUserId, queryUrl, soqlString } from '../soql.js';
import { stripAttributes } from './records.js';

/**
 * Login History of the integration user: whether Salesforce lets HubSpot log in at all.
 *
 * Reading another user's LoginHistory needs "Manage Users" or "Monitor Login History"; without
 * them Salesforce does not refuse the query but answers the caller's own attempts only (Object
 * Reference, LoginHistory, "Special Access Rules", API 37.0 and later), which would read as
 * "HubSpot never logged in". So the caller's permissions are asked first, in the same composite
 * (UserPermissionAccess, API 41.0), and the attempts count only when one is granted. Monitor Login
 * History is asked in a sub-request of its own: an org without that permission has no column for
 * it, and the failed sub-request then only means "not granted".
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

const REF_USER = 'loginUser';
/** The user lookup among the sub-requests when a username was given; later sub-requests of the composite may refer to it. */
export const LOGIN_USER_REFERENCE = REF_USER;
const REF_ACCESS = 'loginAccess';
const REF_MONITOR = 'loginMonitorAccess';
const REF_LOGINS = 'logins';

/** The sub-requests: the caller's Manage Users, the user's id when a username was given, the attempts. */
export function loginHistorySubRequests(user: string): SubRequest[] {
  const subs: SubRequest[] = [
    {
      referenceId: REF_ACCESS,
      method: 'GET',
      url: queryUrl('SELECT PermissionsManageUsers FROM UserPermissionAccess'),
    },
    {
      referenceId: REF_MONITOR,
      method: 'GET',
      url: queryUrl('SELECT PermissionsMonitorLoginHistory FROM UserPermissionAccess'),
    },
  ];
  let userLiteral = soqlString(user);
  if (!isUserId(user)) {
    // A reference rather than a semi-join: LoginHistory's filters are few and documented one by one.
    subs.unshift({
      referenceId: REF_USER,
      method: 'GET',
      url: queryUrl(`SELECT Id FROM User WHERE Username = ${soqlString(user)}`),
    });
    userLiteral = `'@{${REF_USER}.records[0].Id}'`;
  }
  subs.push({
    referenceId: REF_LOGINS,
    method: 'GET',
    url: queryUrl(
      `SELECT ${LOGIN_HISTORY_FIELDS.join(', ')} FROM LoginHistory WHERE UserId = ${userLiteral} AND LoginTime = LAST_N_DAYS:${LOGIN_HISTORY_DAYS} ORDER BY LoginTime DESC LIMIT ${LOGIN_HISTORY_LIMIT}`,
    ),
  });
  return subs;
}

/** The attempts (for snapshot.logins) when they may be trusted, and what the read came to. */
export function loginHistoryOf(responses: Map<string, SubResponse>): {
  logins?: LoginHistoryRecord[];
  read: LoginHistoryRead;
} {
  const access = subOutcome<{ records?: Record<string, unknown>[] }>(
    responses.get(REF_ACCESS),
    REF_ACCESS,
  );
  if (!access.ok)
    return {
      read: {
        read: false,
        cause: 'error',
        errorCode: access.error.errorCode,
        message: `Could not tell whether this user may read Login History: ${access.error.message}`,
      },
    };
  const monitor = subOutcome<{ records?: Record<string, unknown>[] }>(
    responses.get(REF_MONITOR),
    REF_MONITOR,
  );
  const monitors =
    monitor.ok && monitor.value.records?.[0]?.PermissionsMonitorLoginHistory === true;
  if (access.value.records?.[0]?.PermissionsManageUsers !== true && !monitors)
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
  const records = (logins.value.records ?? []).map(
    (r) => stripAttributes(r) as unknown as LoginHistoryRecord,
  );
  return { logins: records, read: { read: true, attempts: records.length } };
}
