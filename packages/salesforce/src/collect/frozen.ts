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
 */
export type FrozenRead =
  | { read: true; frozen: boolean }
  | {
      read: false;
      /** 'needs-manage-users': UserLogin is hidden from the caller (INVALID_TYPE); 'error': otherwise not read. */
      cause: 'needs-manage-users' | 'error';
      errorCode?: string;
      message: string;
    };

export const FROZEN_REFERENCE = 'userLogin';

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
          message:
            'Whether the user is frozen was not read: reading UserLogin needs the "Manage Users" permission.',
        },
      };
    return {
      read: {
        read: false,
        cause: 'error',
        ...(errorCode ? { errorCode } : {}),
        message: `Whether the user is frozen was not read: ${message}`,
      },
    };
  }
  const row = (outcome.value.records ?? []).find(
    (r) => typeof r.UserId === 'string' && sameUser(r.UserId, userId),
  );
  if (!row || typeof row.IsFrozen !== 'boolean')
    return {
      read: {
        read: false,
        cause: 'error',
        message: 'Whether the user is frozen was not read: Salesforce has no UserLogin row for it.',
      },
    };
  return { isFrozen: row.IsFrozen, read: { read: true, frozen: row.IsFrozen } };
}
