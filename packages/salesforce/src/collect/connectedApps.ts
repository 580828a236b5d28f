import {
  CONNECTED_APP_ACCESS_FIELDS,
  CONNECTED_APP_FIELDS,
  CONNECTED_APP_NAME_LIKE,
  type ConnectedAppAccessRecord,
  type ConnectedAppRecord,
  type ConnectedAppsSection,
} from '@sync-doctor/core';
import { subOutcome, type SubRequest, type SubResponse } from '../composite.js';
import { isUserId, queryUrl, soqlString } from '../soql.js';
import type { CallerPermissions } from './callerPermissions.js';
import { stripAttributes } from './records.js';

/**
 * HubSpot's connected app: its OAuth policies (ConnectedApplication) and which of the integration
 * user's permission sets, its profile's included, are approved for it (SetupEntityAccess), for the
 * core's connected-app judge.
 *
 * Reading connected apps needs "Customize Application" AND either "Modify All Data" OR "Manage
 * Connected Apps" (Salesforce Help, "Manage OAuth Access Policies for a Connected App"). Without
 * Customize Application Salesforce hides the object (INVALID_TYPE, "sObject type
 * 'ConnectedApplication' is not supported"); whether it refuses or answers empty without the
 * second is undocumented, and an empty answer would read as "HubSpot's app is not installed". So
 * the caller's permissions are asked in the same composite (callerPermissions.ts), and the section
 * counts only when they are granted. SetupEntityAccess needs "View Setup and Configuration", which
 * Customize Application comes with.
 */
export type ConnectedAppsRead =
  | { read: true; apps: number; access: number }
  | {
      read: false;
      /**
       * 'needs-permissions': the caller lacks Customize Application, or both Modify All Data and
       * Manage Connected Apps; 'error': the org refused otherwise.
       */
      cause: 'needs-permissions' | 'error';
      errorCode?: string;
      message: string;
    };

/** What reading connected apps needs, in the words of Setup (for messages). */
export const CONNECTED_APP_PERMISSIONS_NEEDED =
  '"Customize Application" and either "Modify All Data" or "Manage Connected Apps"';

const REF_APPS = 'connectedApps';
const REF_ACCESS = 'connectedAppAccess';

/**
 * The sub-requests: HubSpot's apps and the user's approvals for connected apps. By username the
 * approvals name the user inside their semi-join (`Assignee.Username`), so they need no lookup of
 * its id, and so no query slot of their own, nor any other sub-request's answer: the UserLogin row
 * the composite's other sections take the id from is hidden from a caller without Manage Users
 * (frozen.ts), who may still read connected apps. The caller's permissions are asked once for both
 * optional sections.
 */
export function connectedAppSubRequests(user: string): SubRequest[] {
  const subs: SubRequest[] = [];
  const assignee = isUserId(user)
    ? `AssigneeId = ${soqlString(user)}`
    : `Assignee.Username = ${soqlString(user)}`;
  subs.push(
    {
      referenceId: REF_APPS,
      method: 'GET',
      url: queryUrl(
        `SELECT ${CONNECTED_APP_FIELDS.join(', ')} FROM ConnectedApplication WHERE Name LIKE ${soqlString(CONNECTED_APP_NAME_LIKE)}`,
      ),
    },
    {
      referenceId: REF_ACCESS,
      method: 'GET',
      url: queryUrl(
        `SELECT ${CONNECTED_APP_ACCESS_FIELDS.join(', ')} FROM SetupEntityAccess WHERE SetupEntityType = 'ConnectedApplication' AND ParentId IN (SELECT PermissionSetId FROM PermissionSetAssignment WHERE ${assignee})`,
      ),
    },
  );
  return subs;
}

interface Page {
  done?: boolean;
  records?: Record<string, unknown>[];
}

/** The section (for snapshot.connectedApps) when it was read whole, and what the read came to. */
export function connectedAppsOf(
  responses: Map<string, SubResponse>,
  permissions: CallerPermissions,
): {
  section?: ConnectedAppsSection;
  read: ConnectedAppsRead;
} {
  if (!permissions.ok)
    return {
      read: notRead({
        ...(permissions.error.errorCode ? { errorCode: permissions.error.errorCode } : {}),
        message: `could not tell whether this user may read connected apps: ${permissions.error.message}`,
      }),
    };
  const { held } = permissions;
  if (
    !held.has('PermissionsCustomizeApplication') ||
    (!held.has('PermissionsModifyAllData') && !held.has('PermissionsManageConnectedApps'))
  )
    return { read: needsPermissions() };
  const apps = subOutcome<Page>(responses.get(REF_APPS), REF_APPS);
  if (!apps.ok) {
    // Salesforce hides the object from a caller who may not read it, whatever the check said.
    if (apps.error.errorCode === 'INVALID_TYPE')
      return { read: needsPermissions(apps.error.errorCode) };
    return { read: notRead(apps.error) };
  }
  const access = subOutcome<Page>(responses.get(REF_ACCESS), REF_ACCESS);
  if (!access.ok) return { read: notRead(access.error) };
  // A partial list of approvals would read as "not approved": rather not judge (2,000 rows per page).
  if (apps.value.done === false || access.value.done === false)
    return {
      read: {
        read: false,
        cause: 'error',
        message: "HubSpot's connected app not read: more rows than one page holds.",
      },
    };
  const section: ConnectedAppsSection = {
    apps: (apps.value.records ?? []).map(
      (r) => stripAttributes(r) as unknown as ConnectedAppRecord,
    ),
    access: (access.value.records ?? []).map(
      (r) => stripAttributes(r) as unknown as ConnectedAppAccessRecord,
    ),
  };
  return {
    section,
    read: { read: true, apps: section.apps.length, access: section.access.length },
  };
}

/** The read failed in a way that says nothing about the app: the section stays out. */
export function connectedAppsFailure(error: {
  errorCode?: string;
  message: string;
}): ConnectedAppsRead {
  return notRead(error);
}

function notRead(error: { errorCode?: string; message: string }): ConnectedAppsRead {
  return {
    read: false,
    cause: 'error',
    ...(error.errorCode ? { errorCode: error.errorCode } : {}),
    message: `HubSpot's connected app not read: ${error.message}`,
  };
}

function needsPermissions(errorCode?: string): ConnectedAppsRead {
  return {
    read: false,
    cause: 'needs-permissions',
    ...(errorCode ? { errorCode } : {}),
    message: `HubSpot's connected app not read: reading connected apps needs ${CONNECTED_APP_PERMISSIONS_NEEDED}.`,
  };
}
