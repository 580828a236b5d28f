import type { Requirements, Snapshot } from '@sync-doctor/core';
import type { ApiUsage } from '../transport.js';
import { InputError } from '../errors.js';
import { describeRefused } from '../write/given.js';
import type { ConnectedAppsRead } from './connectedApps.js';
import type { FrozenRead } from './frozen.js';
import type { LoginHistoryRead } from './loginHistory.js';
import { isPortalId, type RelayedStatusRead } from './relayedStatus.js';

/** What collectSnapshot is asked (CollectOptions) and answers (CollectResult), and their checks. */

export interface CollectOptions {
  /** Username or User id of the HubSpot integration user. */
  user: string;
  requirements?: Requirements;
  /** The clock, for tests. */
  now?: () => Date;
  /**
   * Also read the relayed HubSpot suspension status (HubSpot_Sync_Status__c): `{}` for every
   * portal's record, `{ portalId }` for one. An org without it, or a user who may not read it,
   * gives `relayedStatus.unavailable`, never a failure. The portal id may be a whole number too, as
   * HubSpot's own payloads and a JSON config carry hub ids (read as its digits); any other value
   * that is not a portal id is an InputError.
   */
  relayedStatus?: { portalId?: string | number };
  /**
   * Read the integration user's Login History (default true): a composite of its own, sent beside
   * the first (the first one's 5 query slots are taken). Without "Manage Users" it is not read and
   * `snapshot.logins` stays absent; never a failure of the collection.
   */
  loginHistory?: boolean;
  /**
   * Read HubSpot's connected app and the user's approvals for it (default true), in the Login
   * History composite when its query slots allow, else in a composite of its own sent beside it:
   * still one round. The caller's permissions are asked in the same composite: without "Customize
   * Application" and either "Modify All Data" or "Manage Connected Apps", or when the org refuses
   * the read, `snapshot.connectedApps` stays absent and `result.connectedApps` says why; never a
   * failure.
   */
  connectedApps?: boolean;
  /**
   * The user this connection reads as (username or User Id), when the caller knows it (the relay
   * its JWT user). Only asked about when the org answers an object or field as absent: Salesforce
   * answers so too for what the reading user may not see, so the collector then reads that user's
   * own rights on them (one composite more) and marks what was hidden from it
   * (`hiddenFromReader`, `snapshot.reader`) instead of calling it absent. Not given: the
   * connection's OAuth identity names the user (one request more). An admin (Modify All Data) sees
   * every object but not the fields its field-level security hides: a field absent from its
   * describe that the integration user's permission sets show is marked hidden from it, after one
   * request that names it (none when no such field).
   */
  reader?: string;
  /**
   * Columns an earlier read of this org answered as absent (its result's `absentColumns`, such as
   * 'PermissionSetAssignment.PermissionSet.PermissionsUpdateWithInactiveOwner'): not asked again,
   * so a second read costs no retry, and still listed absent (the snapshot's absentPermissions).
   * Only optional columns are left out; any other name is ignored.
   */
  absentColumns?: readonly string[];
}

export interface CollectResult {
  snapshot: Snapshot;
  /** From the last `Sforce-Limit-Info: api-usage=N/M` header Salesforce sent. */
  apiUsage: ApiUsage | null;
  /** HTTP requests this collection sent (a composite counts once, whatever it holds). */
  requests: number;
  /** How many sequential round trips it took. */
  rounds: number;
  /** Columns this org lacks ('PermissionSet.PermissionsEditTask'); their facts are absent from the snapshot. */
  absentColumns: string[];
  /** Only when `relayedStatus` was asked for. */
  relayedStatus?: RelayedStatusRead;
  /** Whether Login History was read, and why not (absent when `loginHistory: false`). */
  loginHistory?: LoginHistoryRead;
  /** Whether HubSpot's connected app was read, and why not (absent when `connectedApps: false`). */
  connectedApps?: ConnectedAppsRead;
  /**
   * Whether the user's frozen state (UserLogin.IsFrozen, into `snapshot.user.IsFrozen`) was read,
   * and why not: it needs "Manage Users". Unread, `IsFrozen` stays out of the snapshot (unknown,
   * never "not frozen"). Absent when neither optional section is asked (no composite carries it).
   * The snapshot carries it too, as `frozenRead` (as the Apex reader's does).
   */
  frozen?: FrozenRead;
}

/**
 * The integration user to read, trimmed. The options may come from JSON (a config, an API body): a
 * value of another type is the caller's mistake (an InputError), not a bare TypeError from calling
 * .trim() on it.
 */
export function integrationUserOf(options: CollectOptions): string {
  const givenUser: unknown = options.user;
  const user = typeof givenUser === 'string' ? givenUser.trim() : '';
  if (!user)
    throw new InputError(
      `collectSnapshot needs the integration user (username or User id)${
        givenUser === undefined || givenUser === null || typeof givenUser === 'string'
          ? ''
          : ` as text, not ${describeRefused(givenUser)}`
      }`,
    );
  return user;
}

/**
 * The portal whose relayed status to read, as Portal_Id__c holds it (text), or undefined for every
 * portal (none given). HubSpot's hub ids are whole numbers, and its own payloads and a JSON config
 * carry them as numbers: a safe non-negative integer is read as its digits. Any other number (a
 * fraction, a negative, one past 2^53 whose digits JSON.parse has already changed) and any other
 * type is refused, described rather than echoed, as a string that is no portal id is.
 */
export function statusPortalOf(given: unknown): string | undefined {
  if (given === undefined || given === null) return undefined;
  if (typeof given === 'number' && Number.isSafeInteger(given) && given >= 0) return String(given);
  const portalId = typeof given === 'string' ? given.trim() : undefined;
  if (portalId === undefined || !isPortalId(portalId))
    throw new InputError(`Not a HubSpot portal id: ${describeRefused(given)}`);
  return portalId;
}
