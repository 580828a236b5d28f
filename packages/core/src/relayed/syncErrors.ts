import type { FieldRequirement } from '../requirements/types.js';
import { SUSPENSION_REASONS } from '../reasons/catalog.js';
import type { ReasonCode } from '../reasons/codes.js';

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
  };
}

/** Most rows first; ties keep the export's order (Array.prototype.sort is stable). */
const byCount = (a: SyncErrorGroup, b: SyncErrorGroup) => b.count - a.count;

/**
 * The summary of one export the relay read (its report), received at `receivedAt`: the largest
 * groups, each text cut to SYNC_ERRORS_LIMITS.text, at most SYNC_ERRORS_LIMITS.groups of them.
 */
export function summarizeSyncErrors(
  report: SyncErrorReportLike,
  receivedAt: string,
): RelayedSyncErrors {
  const groups = report.findings
    .map(group)
    .filter((g): g is SyncErrorGroup => g !== null)
    .sort(byCount);
  const kept = groups.slice(0, SYNC_ERRORS_LIMITS.groups);
  return {
    receivedAt,
    rows: count(report.rows) ?? kept.reduce((sum, g) => sum + g.count, 0),
    groups: kept,
    // A relay that stopped grouping left some out before this summary did: at least one more.
    groupsLeftOut: groups.length - kept.length + (report.truncatedGroups === true ? 1 : 0),
  };
}

/**
 * The JSON written to Sync_Errors__c, at most SYNC_ERRORS_LIMITS.json characters: the smallest
 * groups are left out (and counted) until it fits. Null for no summary (the field is cleared).
 */
export function syncErrorsJson(summary: RelayedSyncErrors | null | undefined): string | null {
  if (!summary) return null;
  const groups = [...summary.groups];
  let leftOut = summary.groupsLeftOut;
  for (;;) {
    const json = JSON.stringify({ ...summary, groups, groupsLeftOut: leftOut });
    if (json.length <= SYNC_ERRORS_LIMITS.json || groups.length === 0) return json;
    groups.pop();
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
  const groups = p.groups
    .slice(0, SYNC_ERRORS_LIMITS.groups)
    .map(group)
    .filter((g): g is SyncErrorGroup => g !== null);
  return {
    receivedAt,
    rows,
    groups,
    groupsLeftOut:
      (count(p.groupsLeftOut) ?? 0) + Math.max(0, p.groups.length - SYNC_ERRORS_LIMITS.groups),
  };
}

/**
 * Salesforce's name of an object the export names in HubSpot's words (its object types, English
 * and Danish, singular and plural), or the name itself when it is a Salesforce API name already.
 */
const HUBSPOT_OBJECTS: Record<string, string> = {
  contact: 'Contact',
  contacts: 'Contact',
  kontakt: 'Contact',
  kontakter: 'Contact',
  company: 'Account',
  companies: 'Account',
  virksomhed: 'Account',
  virksomheder: 'Account',
  deal: 'Opportunity',
  deals: 'Opportunity',
  aftale: 'Opportunity',
  aftaler: 'Opportunity',
  task: 'Task',
  tasks: 'Task',
  opgave: 'Task',
  opgaver: 'Task',
  lead: 'Lead',
  leads: 'Lead',
  campaign: 'Campaign',
  campaigns: 'Campaign',
  kampagne: 'Campaign',
  kampagner: 'Campaign',
};

/**
 * A Salesforce API name: a letter, then letters, digits and single underscores, no trailing
 * underscore, with an optional namespace prefix and suffix ('ns__Score__c'). A label ('Date of
 * birth') or a HubSpot property with spaces is not one, so it never becomes a requirement.
 */
const API_NAME = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*(?:__[A-Za-z](?:[A-Za-z0-9]|_(?!_))*){0,2}$/;
const isApiName = (name: string): boolean => API_NAME.test(name) && !name.endsWith('_');

function salesforceObject(name: string | null): string | null {
  if (!name) return null;
  const mapped = HUBSPOT_OBJECTS[name.trim().toLowerCase()];
  if (mapped) return mapped;
  return isApiName(name.trim()) ? name.trim() : null;
}

/**
 * The 'Object.Field' Salesforce name a group names, or null: its field when that is dotted
 * ('Contact.Industry'), else its object and field joined; null when either part is no API name.
 */
export function syncErrorFieldName(g: Pick<SyncErrorGroup, 'object' | 'field'>): string | null {
  const field = g.field?.trim();
  if (!field) return null;
  const dot = field.indexOf('.');
  const object = salesforceObject(dot >= 0 ? field.slice(0, dot) : g.object);
  const name = dot >= 0 ? field.slice(dot + 1) : field;
  if (!object || !isApiName(name)) return null;
  return `${object}.${name}`;
}

/**
 * The fields HubSpot's sync errors say it lacks access to (field-permission groups), as
 * Salesforce names them, each once, most rows first. Takes the summary or its JSON text.
 */
export function syncErrorFieldNames(
  syncErrors: RelayedSyncErrors | string | null | undefined,
): string[] {
  const names = new Map<string, string>();
  // Read through the one parser: the Apex hands on Sync_Errors__c's JSON text as it is.
  for (const g of parseSyncErrors(syncErrors)?.groups ?? []) {
    if (g.reason !== 'FIELD_PERMISSIONS_MISSING') continue;
    const name = syncErrorFieldName(g);
    if (name && !names.has(name.toLowerCase())) names.set(name.toLowerCase(), name);
  }
  return [...names.values()];
}

/**
 * Requirements for the fields HubSpot's sync errors name: read and edit, as HubSpot's article asks
 * of every mapped field. The app and the CLI merge them into the fields they check, so a field
 * mapped only in HubSpot is checked once HubSpot has failed on it.
 */
export function syncErrorFieldRequirements(
  syncErrors: RelayedSyncErrors | string | null | undefined,
): FieldRequirement[] {
  return syncErrorFieldNames(syncErrors).map((name) => ({ name, access: ['read', 'edit'] }));
}
