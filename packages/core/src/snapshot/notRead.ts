/**
 * How a report says that an optional part of the snapshot was not read: the integration user's
 * Login History and HubSpot's connected app. The app's copied report, the CLI and the collector
 * show these words, so they live here once (as the frozen state's in frozenRead.ts).
 */

/** Whether a part was read, and why not (the collector's `loginHistory` and `connectedApps`). */
export interface PartRead {
  read: boolean;
  /** 'needs-manage-users' (Login History), 'needs-permissions' (connected app) or 'error'. */
  cause?: string;
  message?: string;
}

/** What the collector puts before Salesforce's own words when reading Login History failed. */
export const LOGINS_NOT_READ_PREFIX = 'Login History not read: ';
/** The report's line under "Logins" when the reader lacks the rights to read Login History. */
export const LOGINS_NOT_READ_MESSAGE =
  'Not read: reading the integration user\'s logins needs the "Manage Users" or "Monitor Login History" permission.';

/** What the collector puts before Salesforce's own words when reading the connected app failed. */
export const CONNECTED_APPS_NOT_READ_PREFIX = "HubSpot's connected app not read: ";
/** The report's line under "HubSpot's connected app" when the reader lacks the rights to read it. */
export const CONNECTED_APPS_NOT_READ_MESSAGE =
  'Not read: reading HubSpot\'s connected app needs the "Customize Application" permission plus "Modify All Data" or "Manage Connected Apps"; its policies were not checked.';

function notReadLine(
  read: PartRead | null | undefined,
  missingRights: string,
  message: string,
  prefix: string,
): string | undefined {
  if (!read || read.read !== false) return undefined;
  if (read.cause === missingRights) return message;
  const detail = (read.message ?? '').replace(prefix, '').trim();
  return detail ? `Not read: ${detail}` : 'Not read.';
}

/**
 * The report's line under "Logins" when Login History was not read, or undefined when it was: the
 * core's sentence when the reader lacks the rights, Salesforce's words (without the collector's
 * prefix) otherwise.
 */
export function loginsNotReadLine(read: PartRead | null | undefined): string | undefined {
  return notReadLine(read, 'needs-manage-users', LOGINS_NOT_READ_MESSAGE, LOGINS_NOT_READ_PREFIX);
}

/** The report's line under "HubSpot's connected app" when it was not read, as loginsNotReadLine. */
export function connectedAppsNotReadLine(read: PartRead | null | undefined): string | undefined {
  return notReadLine(
    read,
    'needs-permissions',
    CONNECTED_APPS_NOT_READ_MESSAGE,
    CONNECTED_APPS_NOT_READ_PREFIX,
  );
}
