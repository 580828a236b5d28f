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
import { stripAttributes } from './records.js';

/**
 * HubSpot's connected app: its OAuth policies (ConnectedApplication) and which of the integration
 * user's permission sets, its profile's included, are approved for it (SetupEntityAccess), for the
 * core's connected-app judge.
 *
 * Reading ConnectedApplication needs "Customize Application"; without it Salesforce hides the
 * object and the query fails with INVALID_TYPE ("sObject type 'ConnectedApplication' is not
 * supported") rather than answering nothing, so the failure itself says why, and no sub-request
 * asks the permission first. SetupEntityAccess needs "View Setup and Configuration", which
 * Customize Application comes with.
 */
export type ConnectedAppsRead =
  | { read: true; apps: number; access: number }
  | {
      read: false;
      /** 'needs-customize-application': the caller lacks Customize Application; 'error': the org refused otherwise. */
      cause: 'needs-customize-application' | 'error';
      errorCode?: string;
      message: string;
    };

const REF_USER = 'connectedAppUser';
const REF_APPS = 'connectedApps';
const REF_ACCESS = 'connectedAppAccess';

/** Query operations the sub-requests take: the apps and the approvals, plus a user lookup without `userReference`. */
export function connectedAppQueryCount(user: string, userReference?: string): number {
  return isUserId(user) || userReference ? 2 : 3;
}

/**
 * The sub-requests: HubSpot's apps, the user's approvals for connected apps and, when `user` is a
 * username, its id (a lookup of their own, or `userReference`, a user query already in the composite).
 */
export function connectedAppSubRequests(user: string, userReference?: string): SubRequest[] {
  const subs: SubRequest[] = [];
  let userLiteral = soqlString(user);
  if (!isUserId(user)) {
    let reference = userReference;
    if (!reference) {
      reference = REF_USER;
      subs.push({
        referenceId: REF_USER,
        method: 'GET',
        url: queryUrl(`SELECT Id FROM User WHERE Username = ${soqlString(user)}`),
      });
    }
    userLiteral = `'@{${reference}.records[0].Id}'`;
  }
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
        `SELECT ${CONNECTED_APP_ACCESS_FIELDS.join(', ')} FROM SetupEntityAccess WHERE SetupEntityType = 'ConnectedApplication' AND ParentId IN (SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = ${userLiteral})`,
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
export function connectedAppsOf(responses: Map<string, SubResponse>): {
  section?: ConnectedAppsSection;
  read: ConnectedAppsRead;
} {
  const apps = subOutcome<Page>(responses.get(REF_APPS), REF_APPS);
  if (!apps.ok) {
    if (apps.error.errorCode === 'INVALID_TYPE')
      return {
        read: {
          read: false,
          cause: 'needs-customize-application',
          errorCode: apps.error.errorCode,
          message:
            'HubSpot\'s connected app not read: reading connected apps needs the "Customize Application" permission.',
        },
      };
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
