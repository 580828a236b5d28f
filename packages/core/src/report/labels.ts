import { friendlyPermission } from '../diagnosis/user.js';

/**
 * How an admin knows what a finding is about. The core names org limits and system permissions by
 * their API names ('DataStorageMB', 'PermissionsApiEnabled'), which JSON consumers want and Setup
 * never shows; the app and the CLI both print these labels, so they live here once.
 */
export interface LimitLabel {
  label: string;
  /** Appended to the used and maximum amounts (' MB' for storage), or ''. */
  unit: string;
}

const LIMIT_LABELS: Record<string, LimitLabel> = {
  DailyApiRequests: { label: 'API requests, last 24 hours (whole org)', unit: '' },
  DataStorageMB: { label: 'Data storage', unit: ' MB' },
  FileStorageMB: { label: 'File storage', unit: ' MB' },
};
/** Per connected app: `DailyApiRequests.<app name>` (see snapshot limits). */
const CONNECTED_APP_LIMIT = 'DailyApiRequests.';

const isLimitName = (name: string): boolean =>
  name in LIMIT_LABELS || name.startsWith(CONNECTED_APP_LIMIT);

/** The label and unit of an org limit ('DailyApiRequests', 'DailyApiRequests.<app>', ...); other names as they are. */
export function limitLabel(name: string): LimitLabel {
  const known = LIMIT_LABELS[name];
  if (known) return known;
  if (name.startsWith(CONNECTED_APP_LIMIT))
    return {
      label: `API requests of the connected app ${name.slice(CONNECTED_APP_LIMIT.length)}`,
      unit: '',
    };
  return { label: name, unit: '' };
}

/**
 * A finding's subject as Setup names it: org limits by their label, system permissions as
 * "API Enabled (system permission)". Objects, fields, users and permission sets keep their names.
 */
export function subjectLabel(subject: string): string {
  if (typeof subject !== 'string' || subject === '') return '';
  if (isLimitName(subject)) return limitLabel(subject).label;
  if (/^Permissions[A-Z]/.test(subject)) {
    const friendly = friendlyPermission(subject);
    if (friendly !== subject) return `${friendly} (system permission)`;
  }
  return subject;
}

/** How much of a limit is used, as the app, the CLI and the report print it ('100.5%', '?'). */
export { percent as shareLabel } from '../diagnosis/text.js';
/** A Salesforce time to the minute, in UTC, as findings and the report print it ('2026-11-29 09:31 UTC'). */
export { minute as minuteLabel } from '../diagnosis/text.js';
