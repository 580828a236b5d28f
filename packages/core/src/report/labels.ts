import { friendlyPermission } from '../diagnosis/user.js';
import type { RuleName } from '../diagnosis/rules.js';
import type { LimitResult, Severity } from '../diagnosis/types.js';
import type { UncheckedCheck } from '../snapshot/unchecked.js';
import { percent, reachedByText, thousands } from '../diagnosis/text.js';

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
 * A limit as a row of the app's limits card and the CLI's Limits table. A real org lists a connected
 * app without a quota of its own as { Max: 0, Remaining: 0 }: no count, so judgeLimits gives it no
 * limit and it has no row (the API-limit finding says where HubSpot shows its share instead). A
 * per-app quota (Salesforce's pilot) is "of Max". An app whose Max is the org's own maximum is read
 * as no quota of its own, its row the app's share of the org's calls used ("of the org's 96,507
 * used"), not "88,400 of 100,000" presenting the org's maximum as HubSpot's: no real org is known to
 * give that shape (the simulator once did), but the count is still the app's own, so the reading
 * stays as a harmless guard.
 */
export interface LimitRow {
  /** The limit's name ('DailyApiRequests.HubSpot'), to match the findings about it. */
  name: string;
  label: string;
  /** '88,400', '3,120 MB'. */
  used: string;
  /** What it is out of: '100,000', '10,740 MB', or "of the org's 96,507 used". */
  of: string;
  /** '88,400 of 100,000' or "88,400 of the org's 96,507 used". */
  amount: string;
  /** used / what it is out of (the bar's fill). */
  ratio: number;
  /** The ratio as the report prints it ('91.6%'). */
  share: string;
  /** 'max': of the limit's maximum; 'org-used': a connected app's share of the org's calls used. */
  basis: 'max' | 'org-used';
}

export function limitRows(limits: readonly LimitResult[]): LimitRow[] {
  const org = limits.find((l) => l.name === 'DailyApiRequests');
  return limits.map((limit) => {
    const { label, unit } = limitLabel(limit.name);
    const used = `${thousands(limit.used)}${unit}`;
    if (org && limit.name.startsWith(CONNECTED_APP_LIMIT) && limit.max === org.max) {
      const ratio = org.used > 0 ? Math.min(1, limit.used / org.used) : 0;
      const of = `of the org's ${thousands(org.used)} used`;
      return {
        name: limit.name,
        label,
        used,
        of,
        amount: `${used} ${of}`,
        ratio,
        share: percent(ratio),
        basis: 'org-used',
      };
    }
    const max = `${thousands(limit.max)}${unit}`;
    return {
      name: limit.name,
      label,
      used,
      of: max,
      amount: `${used} of ${max}`,
      ratio: limit.ratio,
      share: percent(limit.ratio),
      basis: 'max',
    };
  });
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

/**
 * What each rule of the diagnosis (`Finding.rule`, RULES) checks, as an admin reads it in Setup's
 * words: the report and the app's Findings card print "Rule: <label>" where the rule id
 * ('object-permissions') told an admin nothing. Typed by RuleName, so a rule added to RULES without a
 * label fails typecheck. The id itself stays in JSON (`rule`), where consumers switch on it.
 */
export const RULE_LABELS: Record<RuleName, string> = {
  'section-absent': 'Part of the org Sync Doctor could not read',
  'profile-not-in-snapshot': "Profile's permissions not read",
  'expired-assignment': 'Expired permission set assignment (Expiration Date)',
  'session-based-permission-set': 'Session-based permission set (needs session activation)',
  'permission-set-group-status':
    'Permission set group not recalculated (Status Updating or Failed)',
  'required-permission-set': 'Required permission set assigned',
  'inactive-user': 'Active user (User.IsActive)',
  'frozen-user': 'Frozen user (UserLogin.IsFrozen)',
  'api-enabled': 'API Enabled (system permission)',
  'system-permission': 'System permissions',
  'permission-not-in-org': 'System permission this org does not expose',
  'object-permissions': 'Object permissions (ObjectPermissions, Modify/View All Data)',
  'lookup-target-read': 'Read on the objects mapped lookups point to',
  'task-edit-tasks': 'Tasks and events (Edit Tasks, Edit Events)',
  'user-visibility': 'Users (user visibility, View All Users)',
  'campaign-marketing-user': 'Campaigns (Marketing User checkbox)',
  'field-level-security': 'Field-level security (FieldPermissions, View All Fields)',
  'modify-all-data-grants-no-field-access': 'Modify/View All Data grant no field access',
  'field-does-not-exist': 'Mapped field does not exist',
  'field-not-in-describe': 'Mapped field not found (deleted or hidden)',
  'field-not-writable': 'Field no one can edit (system or audit field)',
  'invalid-requirement': 'Requirement that cannot be checked as written',
  'object-does-not-exist': 'Object not in this org',
  'org-wide-default': 'Organization-wide defaults (Sharing Settings)',
  'daily-api-requests': 'Daily API request limit (whole org)',
  'connected-app-api-requests': "Connected app's daily API request limit",
  'storage-limit': 'Data and file storage limits',
  'login-failures': 'Login History: logins refused',
  'login-failure-cleared': 'Login History: last login refused, cause since gone',
  'no-recent-login': 'Login History: no recent login by HubSpot',
  'hubspot-logins-stopped': "Login History: HubSpot's logins stopped",
  'connected-app-approval': 'Connected app: admin-approved users only (Permitted Users)',
  'connected-app-session-policy': 'Connected app: High Assurance session required',
  'connected-app-token-policy': 'Connected app: Refresh Token Policy expires tokens',
  'connected-app-not-installed': 'Connected app not installed (uninstalled apps restricted)',
};

/** A rule id's label (RULE_LABELS); an id the core does not know (a newer core's) as it is. */
export function ruleLabel(id: string): string {
  if (typeof id !== 'string') return '';
  return Object.prototype.hasOwnProperty.call(RULE_LABELS, id) ? RULE_LABELS[id as RuleName] : id;
}

/**
 * The words of each severity as the app's badges show them: an error blocks the sync, a warning is
 * a risk, an info finding a note. The copied report and the CLI's --report print them too, so a
 * ticket says what the page said ('Risk', not 'WARNING').
 */
export const SEVERITY_LABELS: Record<Severity, string> = {
  error: 'Blocks the sync',
  warning: 'Risk',
  info: 'Note',
};

/** How many findings there are of each severity (the app's countFindings). */
export interface FindingCounts {
  error: number;
  warning: number;
  info: number;
}

/**
 * '1 finding blocks the sync, 0 risks, 0 notes', '2 findings block the sync, 1 risk, 1 note': the
 * counts in the badges' words, a sentence in the singular and the plural alike ('1 blocks the
 * sync' left out what blocks it). Counts that are not numbers read 0.
 */
export function findingCountsLabel(counts: Partial<FindingCounts>): string {
  const n = (value: unknown): number =>
    typeof value === 'number' && Number.isFinite(value) ? value : 0;
  const blocking = n(counts?.error);
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  return [
    `${plural(blocking, 'finding')} ${blocking === 1 ? 'blocks' : 'block'} the sync`,
    plural(n(counts?.warning), 'risk'),
    plural(n(counts?.info), 'note'),
  ].join(', ');
}

/** What the Findings card and the report say when there is no finding and every check was made. */
export const NO_PROBLEMS_FOUND = 'No problems found.';
/**
 * The same when some checks could not be made (`Diagnosis.unchecked`): a bare "No problems found."
 * read as an all-clear for a frozen or IP-blocked user Sync Doctor could not see.
 */
export const NO_PROBLEMS_FOUND_PARTLY = 'No problems found in what Sync Doctor could read.';

/** NO_PROBLEMS_FOUND, or NO_PROBLEMS_FOUND_PARTLY when `unchecked` names a check not made. */
export function noProblemsLabel(unchecked?: readonly UncheckedCheck[] | null): string {
  return Array.isArray(unchecked) && unchecked.length > 0
    ? NO_PROBLEMS_FOUND_PARTLY
    : NO_PROBLEMS_FOUND;
}

/**
 * How many sources reaching an object a finding names before "and N more": all of them up to one
 * more (a fourth is named rather than "and 1 more"), as the object matrix folds its rows.
 */
export const REACHED_BY_NAMED = 3;
const REACHED_BY_KIND_PREFIXES = ['lookup from ', 'mapped field '];

/**
 * An object's `reachedBy` as reachedByText words it, naming the first REACHED_BY_NAMED sources
 * only when there are more: 'lookups from A, B, C and 27 more'. A large org's thirty
 * 'Custom_Object_0xx__c.Contact__c' lookups made the finding a paragraph on the Findings card and
 * in the CLI. Each source counts once, whatever its spelling, as reachedByText names it.
 */
export function reachedByShortText(entries: readonly string[], separator = '; '): string {
  const seen = new Set<string>();
  const unique = (Array.isArray(entries) ? entries : []).filter((entry) => {
    const key = String(entry).trim().toLowerCase();
    if (!key || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (unique.length <= REACHED_BY_NAMED + 1) return reachedByText(unique, separator);
  const shown = unique.slice(0, REACHED_BY_NAMED);
  const more = unique.length - shown.length;
  // 'N more' as one more source of the last one's kind, so it joins that kind's list.
  const kind = REACHED_BY_KIND_PREFIXES.find((prefix) =>
    shown[shown.length - 1]!.startsWith(prefix),
  );
  return kind
    ? reachedByText([...shown, `${kind}${more} more`], separator)
    : `${reachedByText(shown, separator)}${separator}${more} more`;
}

/**
 * The sentence a finding about an object ends with when HubSpot reaches it through lookups or
 * mapped fields: " HubSpot also reaches Contact through the lookups from A, B, C and 27 more."
 * (leading space; '' when nothing reaches it). The object matrix, which shows the sources on the
 * object's row, can cut this very sentence from the message it repeats under the row.
 */
export function reachedBySentence(
  objectName: string,
  entries: readonly string[] | null | undefined,
  also = false,
): string {
  if (!entries?.length) return '';
  return ` HubSpot ${also ? 'also ' : ''}reaches ${objectName} through the ${reachedByShortText(entries, ' and the ')}.`;
}
