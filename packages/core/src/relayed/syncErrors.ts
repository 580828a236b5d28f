import { SUSPENSION_REASONS } from '../reasons/catalog.js';
import type { ReasonCode } from '../reasons/codes.js';
import type { RelayedStatus } from './status.js';
import { salesforceTime } from '../diagnosis/text.js';
import { isApiName } from './salesforceNames.js';

/**
 * HubSpot's exported sync errors (Sync Health > "Export errors"), as the relay counted them and
 * carries them into Salesforce on the status record (Sync_Errors__c, JSON). They are the one place
 * HubSpot names the field it could not write, which is what settles a field-permission suspension:
 * the app and the CLI add those fields to the fields they check.
 */
export interface SyncErrorGroup {
  /** The suspension reason this kind of error leads to, or null (a picklist value, a duplicate...). */
  reason: ReasonCode | null;
  /** The export's error type, as HubSpot wrote it. */
  errorType: string;
  /** The object as the export names it ('Contact', or HubSpot's 'contact'), null when it names none. */
  object: string | null;
  /** The field as the export names it ('Industry' or 'Contact.Industry'), null when it names none. */
  field: string | null;
  /** Rows of the export in this group. */
  count: number;
  /** The start of one of its messages, null when the export has none. */
  example: string | null;
  /**
   * A custom-code group's: the org's active validation rules that send its message, as the relay
   * read them when it carried the export (withValidationRules); [] when none does. Absent when
   * not read (the relay's user may not read them, or an older relay).
   */
  validationRules?: RelayedValidationRule[];
}

/** A validation rule the relay found sending a group's message: its object and API name. */
export interface RelayedValidationRule {
  object: string;
  name: string;
}

export interface RelayedSyncErrors {
  /** When the relay received the export (ISO). */
  receivedAt: string;
  /** Rows of the export (every group counted, kept or not). */
  rows: number;
  /** The groups kept, most rows first. */
  groups: SyncErrorGroup[];
  /** Groups left out to fit the Salesforce field (their rows are still in `rows`). */
  groupsLeftOut: number;
  /**
   * Records the export's rows stand for, when it has an affected-records column: then each
   * group's `count` counts records, not rows. Absent otherwise (and from an older relay).
   */
  records?: number;
  /**
   * Of those, field-permission groups (or possibly some, when the relay stopped grouping): fields
   * HubSpot failed to write that Sync Doctor does not learn, so it never reads the cause fixed.
   * Absent (0) from an older relay.
   */
  fieldGroupsLeftOut?: number;
}

/** The limits of Sync_Errors__c's JSON, so the relay, the simulator and the readers agree. */
export const SYNC_ERRORS_LIMITS = {
  /** Characters of the long text area Sync_Errors__c. */
  json: 32768,
  /** Groups kept at most; the rest are counted in groupsLeftOut. */
  groups: 50,
  /** Characters of each group's text (error type, object, field, example) kept. */
  text: 255,
} as const;

/** What the relay's report gives per group (its `findings`), the fields this summary keeps. */
export interface SyncErrorReportLike {
  rows: number;
  findings: ReadonlyArray<{
    reason: ReasonCode | null;
    errorType: string;
    object: string | null;
    field: string | null;
    count: number;
    example: string | null;
  }>;
  /** True when the relay stopped grouping (more than it keeps): some groups are not in findings. */
  truncatedGroups?: boolean;
  /** Records, when the export has an affected-records column (findings then count records). */
  records?: number;
}

const isReason = (value: unknown): value is ReasonCode =>
  typeof value === 'string' && Object.hasOwn(SUSPENSION_REASONS, value);

function clip(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text === '') return null;
  // Cut on a code point, never between a surrogate pair: Salesforce refuses a lone surrogate.
  const chars = Array.from(text);
  return chars.length <= SYNC_ERRORS_LIMITS.text
    ? text
    : `${chars.slice(0, SYNC_ERRORS_LIMITS.text - 1).join('')}…`;
}

const count = (value: unknown): number | null =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;

function group(entry: unknown): SyncErrorGroup | null {
  if (!entry || typeof entry !== 'object') return null;
  const e = entry as Record<string, unknown>;
  const n = count(e.count);
  const errorType = clip(e.errorType);
  if (n === null || errorType === null) return null;
  return {
    reason: isReason(e.reason) ? e.reason : null,
    errorType,
    object: clip(e.object),
    field: clip(e.field),
    count: n,
    example: clip(e.example),
    ...relayedRules(e.validationRules),
  };
}

/** A group's validation rules as the relay wrote them: API names only, a few at most, or none. */
function relayedRules(value: unknown): { validationRules?: RelayedValidationRule[] } {
  if (!Array.isArray(value)) return {};
  const rules: RelayedValidationRule[] = [];
  for (const entry of value.slice(0, 5) as unknown[]) {
    if (!entry || typeof entry !== 'object') continue;
    const { object, name } = entry as Record<string, unknown>;
    if (
      typeof object === 'string' &&
      typeof name === 'string' &&
      isApiName(object) &&
      isApiName(name)
    )
      rules.push({ object, name });
  }
  return { validationRules: rules };
}

/**
 * Permission groups first (they name the fields and objects to check), then most rows first;
 * ties keep the export's order (Array.prototype.sort is stable).
 */
const PERMISSION_REASONS: ReadonlySet<string> = new Set([
  'FIELD_PERMISSIONS_MISSING',
  'OBJECT_PERMISSIONS_MISSING',
]);
const permissionFirst = (g: SyncErrorGroup) => (PERMISSION_REASONS.has(g.reason ?? '') ? 0 : 1);
const byImportance = (a: SyncErrorGroup, b: SyncErrorGroup) =>
  permissionFirst(a) - permissionFirst(b) || b.count - a.count;

const fieldGroups = (groups: readonly SyncErrorGroup[]) =>
  groups.filter((g) => g.reason === 'FIELD_PERMISSIONS_MISSING').length;

/**
 * The summary of one export the relay read (its report), received at `receivedAt`: at most
 * SYNC_ERRORS_LIMITS.groups groups, the permission groups first and then the largest, each text
 * cut to SYNC_ERRORS_LIMITS.text. A field-permission group left out is counted apart
 * (`fieldGroupsLeftOut`): a field HubSpot failed on that Sync Doctor cannot check.
 */
export function summarizeSyncErrors(
  report: SyncErrorReportLike,
  receivedAt: string,
): RelayedSyncErrors {
  const groups = report.findings
    .map(group)
    .filter((g): g is SyncErrorGroup => g !== null)
    .sort(byImportance);
  const kept = groups.slice(0, SYNC_ERRORS_LIMITS.groups);
  // A relay that stopped grouping left some out before this summary did: at least one more,
  // and it cannot say of which kind.
  const truncated = report.truncatedGroups === true ? 1 : 0;
  return {
    receivedAt,
    rows: count(report.rows) ?? kept.reduce((sum, g) => sum + g.count, 0),
    groups: kept,
    groupsLeftOut: groups.length - kept.length + truncated,
    fieldGroupsLeftOut: fieldGroups(groups) - fieldGroups(kept) + truncated,
    ...(count(report.records) === null ? {} : { records: count(report.records)! }),
  };
}

/**
 * The JSON written to Sync_Errors__c, at most SYNC_ERRORS_LIMITS.json characters: the last groups
 * (the least important: see summarizeSyncErrors) are left out, and counted, until it fits. Null
 * for no summary (the field is cleared).
 */
export function syncErrorsJson(summary: RelayedSyncErrors | null | undefined): string | null {
  if (!summary) return null;
  const groups = [...summary.groups];
  let leftOut = summary.groupsLeftOut;
  let fieldLeftOut = summary.fieldGroupsLeftOut ?? 0;
  for (;;) {
    const json = JSON.stringify({
      ...summary,
      groups,
      groupsLeftOut: leftOut,
      fieldGroupsLeftOut: fieldLeftOut,
    });
    if (json.length <= SYNC_ERRORS_LIMITS.json || groups.length === 0) return json;
    if (groups.pop()?.reason === 'FIELD_PERMISSIONS_MISSING') fieldLeftOut += 1;
    leftOut += 1;
  }
}

/**
 * Sync_Errors__c back into a summary: the JSON text (as SOQL returns it) or the object parsed from
 * it (as the Apex hands it on). Null for nothing, or anything that is not one: the relay wrote it,
 * and a damaged value shows as no sync errors, never as an error on the page.
 */
export function parseSyncErrors(value: unknown): RelayedSyncErrors | null {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    if (value.trim() === '') return null;
    try {
      parsed = JSON.parse(value);
    } catch {
      return null;
    }
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const p = parsed as Record<string, unknown>;
  const receivedAt = typeof p.receivedAt === 'string' ? p.receivedAt : null;
  const rows = count(p.rows);
  if (!receivedAt || Number.isNaN(Date.parse(receivedAt)) || rows === null) return null;
  if (!Array.isArray(p.groups)) return null;
  const all = p.groups.map(group).filter((g): g is SyncErrorGroup => g !== null);
  const groups = all.slice(0, SYNC_ERRORS_LIMITS.groups);
  return {
    receivedAt,
    rows,
    groups,
    ...(count(p.records) === null ? {} : { records: count(p.records)! }),
    groupsLeftOut: (count(p.groupsLeftOut) ?? 0) + (all.length - groups.length),
    fieldGroupsLeftOut: (count(p.fieldGroupsLeftOut) ?? 0) + fieldGroups(all) - fieldGroups(groups),
  };
}

/**
 * The sync errors that speak for the org now: those of a current suspension (suspended or
 * suspected), or an export received after the suspension was cleared. An export from before the
 * clearing describes a cause that is gone: it is shown as such (syncErrorsView), and asks nothing
 * to be checked. Null when there are none.
 */
export function currentSyncErrors(
  status: Partial<Pick<RelayedStatus, 'syncErrors' | 'state' | 'clearedAt'>> | null | undefined,
): RelayedSyncErrors | null {
  const syncErrors = parseSyncErrors(status?.syncErrors);
  if (!syncErrors || status?.state !== 'cleared') return syncErrors;
  // Salesforce answers '…+0000', which not every engine's Date.parse reads: salesforceTime does.
  const cleared = status.clearedAt ? salesforceTime(status.clearedAt) : Number.NaN;
  // Cleared at an unknown time: nothing says the export is older, so it still speaks.
  if (Number.isNaN(cleared)) return syncErrors;
  return salesforceTime(syncErrors.receivedAt) > cleared ? syncErrors : null;
}
