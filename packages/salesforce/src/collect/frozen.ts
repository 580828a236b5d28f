import {
  FROZEN_NOT_READ_MESSAGES,
  FROZEN_NOT_READ_PREFIX,
  type FrozenRead,
} from '@sync-doctor/core';
import { subOutcome, type SubRequest, type SubResponse } from '../composite.js';
import { isUserId, queryUrl, soqlString } from '../soql.js';
import { sameUser } from './reader.js';

/**
 * Whether the integration user is frozen (UserLogin.IsFrozen; Setup > Users > Freeze): a frozen
 * user stays active but cannot log in, so HubSpot's sync is suspended. Read as the app's Apex reader
 * reads it (SyncDoctorSnapshotReader.withFrozenFlag): the user's UserLogin row gives
 * `snapshot.user.IsFrozen`; when UserLogin cannot be read, or has no row for the user, the flag is
 * left out (unknown), never set to false.
 *
 * UserLogin needs "Manage Users" (Object Reference, UserLogin): without it Salesforce answers
 * INVALID_TYPE rather than fewer rows, so a row that comes back may be trusted as it is.
 *
 * It rides in the optional sections' composite (collectSnapshot), by the User id given or by a
 * semi-join on the username, so no other sub-request depends on it.
 *
 * Why it was not read is the core's FrozenRead, whose causes and messages the Apex reader gives too
 * (SyncDoctorFrozenStateReader.frozenReadOf): 'needs-manage-users' (INVALID_TYPE), 'no-user-login'
 * (UserLogin was read and has no row for the user), 'error' (any other failure).
 */
export type { FrozenRead };

const FROZEN_REFERENCE = 'userLogin';

/** The one query: by the User id given, else by a semi-join on the username. */
export function frozenSubRequest(user: string): SubRequest {
  const which = isUserId(user)
    ? `UserId = ${soqlString(user)}`
    : `UserId IN (SELECT Id FROM User WHERE Username = ${soqlString(user)})`;
  return {
    referenceId: FROZEN_REFERENCE,
    method: 'GET',
    url: queryUrl(`SELECT UserId, IsFrozen FROM UserLogin WHERE ${which} LIMIT 1`),
  };
}

/** The user's UserLogin row, or why it was not read. Whatever the answer, never a failure. */
export function frozenOf(
  responses: Map<string, SubResponse> | undefined,
  userId: string,
  failure?: { errorCode?: string; message: string },
): { isFrozen?: boolean; read: FrozenRead } {
  const outcome = responses
    ? subOutcome<{ records?: Record<string, unknown>[] }>(
        responses.get(FROZEN_REFERENCE),
        FROZEN_REFERENCE,
      )
    : { ok: false as const, error: failure ?? { message: 'no answer' } };
  if (!outcome.ok) {
    const { errorCode, message } = outcome.error;
    if (errorCode === 'INVALID_TYPE')
      return {
        read: {
          read: false,
          cause: 'needs-manage-users',
          errorCode,
          message: FROZEN_NOT_READ_MESSAGES['needs-manage-users'],
        },
      };
    return {
      read: {
        read: false,
        cause: 'error',
        ...(errorCode ? { errorCode } : {}),
        message: `${FROZEN_NOT_READ_PREFIX}${message}`,
      },
    };
  }
  const row = (outcome.value.records ?? []).find(
    (r) => typeof r.UserId === 'string' && sameUser(r.UserId, userId),
  );
  // UserLogin was read (Manage Users held) and has no row for the user: not a refusal, and not a
  // right to get, as the Apex reader says it.
  if (!row)
    return {
      read: {
        read: false,
        cause: 'no-user-login',
        message: FROZEN_NOT_READ_MESSAGES['no-user-login'],
      },
    };
  if (typeof row.IsFrozen !== 'boolean')
    return {
      read: {
        read: false,
        cause: 'error',
        message: `${FROZEN_NOT_READ_PREFIX}Salesforce's UserLogin row has no IsFrozen.`,
      },
    };
  return { isFrozen: row.IsFrozen, read: { read: true, frozen: row.IsFrozen } };
}
