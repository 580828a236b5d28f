import type { FieldRequirement } from '../requirements/types.js';
import { SUSPENSION_REASONS } from '../reasons/catalog.js';
import type { ReasonCode } from '../reasons/codes.js';
import type { RelayedStatus } from './status.js';
import { salesforceTime } from '../diagnosis/text.js';

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
 * Salesforce's objects for an object the export names in HubSpot's words (its object types,
 * English and Danish, singular and plural). A HubSpot contact is a Lead or a Contact in
 * Salesforce, and neither the export's "Contact" nor Salesforce's field error says which.
 */
const HUBSPOT_OBJECTS: Record<string, readonly string[]> = {
  contact: ['Contact', 'Lead'],
  contacts: ['Contact', 'Lead'],
  kontakt: ['Contact', 'Lead'],
  kontakter: ['Contact', 'Lead'],
  company: ['Account'],
  companies: ['Account'],
  virksomhed: ['Account'],
  virksomheder: ['Account'],
  deal: ['Opportunity'],
  deals: ['Opportunity'],
  aftale: ['Opportunity'],
  aftaler: ['Opportunity'],
  task: ['Task'],
  tasks: ['Task'],
  opgave: ['Task'],
  opgaver: ['Task'],
  lead: ['Lead'],
  leads: ['Lead'],
  kundeemne: ['Lead'],
  kundeemner: ['Lead'],
  // Salesforce's own names of the objects HubSpot syncs, as an export may name them too.
  account: ['Account'],
  accounts: ['Account'],
  opportunity: ['Opportunity'],
  opportunities: ['Opportunity'],
  user: ['User'],
  users: ['User'],
  campaign: ['Campaign'],
  campaigns: ['Campaign'],
  kampagne: ['Campaign'],
  kampagner: ['Campaign'],
};

/**
 * A Salesforce API name: a letter, then letters, digits and single underscores, no trailing
 * underscore, with an optional namespace prefix and suffix ('ns__Score__c'). A label ('Date of
 * birth') or a HubSpot property with spaces is not one, so it never becomes a requirement.
 */
const API_NAME = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*(?:__[A-Za-z](?:[A-Za-z0-9]|_(?!_))*){0,2}$/;
const isApiName = (name: string): boolean => API_NAME.test(name) && !name.endsWith('_');

/**
 * A field column's value that is a Salesforce field name, not HubSpot's: Salesforce's standard
 * fields start with a capital ('Industry'), custom ones end in a suffix ('score__c'); HubSpot's
 * internal names are lower case ('hs_lead_score', 'firstname'), and would name no field.
 */
const salesforceFieldLike = (name: string): boolean =>
  isApiName(name) && (/^[A-Z]/.test(name) || /__[a-z]+$/i.test(name));

function salesforceObjects(name: string | null | undefined): readonly string[] {
  const trimmed = name?.trim();
  if (!trimmed) return [];
  return HUBSPOT_OBJECTS[trimmed.toLowerCase()] ?? (isApiName(trimmed) ? [trimmed] : []);
}

/** A field Salesforce's own error text names: always its API name, with its object when it says. */
interface NamedInMessage {
  object: string | null;
  field: string;
}

/**
 * "No such column 'Score__c' on entity 'Lead'" (SOQL and Apex) or "... on sobject of type Lead"
 * (REST): Salesforce's INVALID_FIELD, also what a field hidden by field-level security gives.
 */
const NO_SUCH_COLUMN =
  /No such column '([A-Za-z0-9_]+)' on (?:entity|sobject of type) '?([A-Za-z0-9_]+)'?/gi;
/**
 * "Unable to create/update fields: Score__c, Industry. Please check the security settings of this
 * field...": INVALID_FIELD_FOR_INSERT_UPDATE, the field-level security error; the list runs to
 * the full stop (or the end of a cut example).
 */
const UNABLE_TO_UPDATE = /Unable to create\/update fields?:\s*([^.\n]*)(\.?)/gi;
/**
 * Salesforce's words for INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST, in the integration user's
 * language: English, French, Spanish, German, Japanese and Korean as Salesforce writes them (seen
 * in real messages; Danish and Dutch were not found). French puts a space before the colon.
 */
const RESTRICTED_PICKLIST_WORDS = [
  'bad value for restricted picklist field',
  'valeur incorrecte pour le champ de liste de sélection restreinte',
  'valor inapropiado para el campo de lista de selección restringida',
  'ungültiger Wert für eingeschränktes Auswahllistenfeld',
  '制限つき選択リスト項目の値が不適切',
  '제한된 선택 목록 필드의 잘못된 값',
];
const PICKLIST_WORDS = RESTRICTED_PICKLIST_WORDS.map((w) =>
  w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
).join('|');
/**
 * "Lead Source: bad value for restricted picklist field: Webinar: [LeadSource]": the field's label,
 * Salesforce's words, the refused value, then the fields by API name: in brackets as a DML error
 * has them, or ":LeadSource --" as a Bulk API result has them; the REST error's message has none.
 */
const RESTRICTED_PICKLIST = new RegExp(
  `(?:${PICKLIST_WORDS})\\s?[:：][ \\t]*([^\\n]*?)[ \\t]*(?:[:：][ \\t]*\\[([^\\]\\n]*)\\]|:([A-Za-z0-9_]+(?:,[ \\t]*[A-Za-z0-9_]+)*)[ \\t]+--)?[ \\t]*(?:\\n|$)`,
  'giu',
);
const RESTRICTED_PICKLIST_TEXT = new RegExp(`(?:${PICKLIST_WORDS})\\s?[:：]`, 'iu');

/** Whether the text is Salesforce's restricted-picklist error, in one of the languages it is read in. */
export function mentionsRestrictedPicklist(text: string | null | undefined): boolean {
  return typeof text === 'string' && RESTRICTED_PICKLIST_TEXT.test(text.normalize('NFC'));
}

/** A value cut short by the relay ('…') or by HubSpot's export ('...'): not to be believed. */
const CUT = /(?:…|\.\.\.)$/;

/**
 * The values a restricted picklist refused, as Salesforce's message names them ('Webinar'), each
 * once, as written: a multi-select picklist's 'Webinar;Trade Show' is one entry, split only where
 * the field is known to be multi-select (a plain picklist refuses 'Web;Other' as one value). []
 * when the message names none, or is cut short where the value would be.
 */
export function refusedPicklistValues(text: string | null | undefined): string[] {
  if (typeof text !== 'string' || text === '') return [];
  const values = new Set<string>();
  for (const [, value = ''] of text.normalize('NFC').matchAll(RESTRICTED_PICKLIST)) {
    const one = value.trim();
    if (one !== '' && !CUT.test(one)) values.add(one);
  }
  return [...values];
}

/** "operation performed with inactive user [0055g00000AbCdEAAZ] as owner of contact". */
const INACTIVE_OWNER = /inactive user \[(005[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?)\]/;

/** The inactive owner's user Id Salesforce's INACTIVE_OWNER_OR_USER message names, as written, or null. */
export function inactiveOwnerId(text: string | null | undefined): string | null {
  return typeof text === 'string' ? (INACTIVE_OWNER.exec(text)?.[1] ?? null) : null;
}

/**
 * "FIELD_CUSTOM_VALIDATION_EXCEPTION: Phone must have 10 digits: [Phone]": the message after the
 * code, up to the display field's brackets, or null when the text is no validation refusal.
 */
const AFTER_CODE =
  /FIELD_CUSTOM_VALIDATION_EXCEPTION\s*[,:：\-–]?\s*(.*?)\s*(?:[:：]?\s*\[[^\]\n]*\]\s*)?(?:\n|$)/;

/** A message as compared with a rule's: case, width and spacing aside. */
export const comparableMessage = (s: string): string =>
  s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * The refusing message of a validation rule or a flow's Custom Error, as Salesforce wrote it, or
 * null when `text` holds no FIELD_CUSTOM_VALIDATION_EXCEPTION. The relay keeps rows with different
 * messages apart (syncErrorRowDetail), so each group's example speaks for one rule.
 */
export function validationExceptionMessage(text: string | null | undefined): string | null {
  if (typeof text !== 'string') return null;
  const message = AFTER_CODE.exec(text)?.[1]?.trim();
  return message ? message : null;
}

/** Only a duplicate rule's refusal says DUPLICATES_DETECTED (a unique field says DUPLICATE_VALUE). */
export const isDuplicateRuleRefusal = (text: string | null | undefined): boolean =>
  typeof text === 'string' && /\bDUPLICATES_DETECTED\b/.test(text);

/**
 * What sets a row of the export apart within its error type, object and field, so the relay keeps
 * it in a group of its own and that group's example speaks for all its rows: the values a
 * restricted picklist refused, the inactive owner, a validation rule's message (a rule names
 * itself by its message only), or a duplicate rule's refusal. '' for any other row. Without it, rows
 * refusing 'Webinar' and 'Trade Show' share one example, and the group reads fixed once 'Trade
 * Show' is added while 'Webinar' is still refused.
 */
export function syncErrorRowDetail(message: string): string {
  // A user's 15- and 18-character Ids are one user.
  const owner = inactiveOwnerId(message)?.slice(0, 15);
  if (owner) return owner;
  if (mentionsRestrictedPicklist(message)) return refusedPicklistValues(message).join('\u0000');
  // Each validation rule's refusals apart, compared as the rule matcher compares them.
  const refusal = validationExceptionMessage(message);
  if (refusal) return comparableMessage(refusal);
  // A duplicate rule's refusals apart from a unique field's (DUPLICATE_VALUE): only the rules'
  // group can be judged from the org's duplicate rules.
  return isDuplicateRuleRefusal(message) ? 'DUPLICATES_DETECTED' : '';
}

/**
 * The fields Salesforce's error text names: HubSpot passes its message on, and it names fields by
 * API name where the export's field column may hold a HubSpot property or a label. A list that
 * runs into the end of an example cut short ('…') loses its last, possibly cut, name.
 */
export function fieldsInSalesforceMessage(text: string | null | undefined): NamedInMessage[] {
  if (typeof text !== 'string' || text === '') return [];
  const named: NamedInMessage[] = [];
  for (const [, field = '', object = ''] of text.matchAll(NO_SUCH_COLUMN))
    if (isApiName(field) && isApiName(object)) named.push({ object, field });
  for (const match of text.matchAll(UNABLE_TO_UPDATE)) {
    const names = match[1]!.split(',').map((n) => n.trim());
    const runsToCut = match[2] === '' && /…\s*$/.test(text);
    if (runsToCut) names.pop();
    for (const field of names) if (isApiName(field)) named.push({ object: null, field });
  }
  for (const [, , brackets, bulk] of text.normalize('NFC').matchAll(RESTRICTED_PICKLIST))
    for (const field of (brackets ?? bulk ?? '').split(',').map((n) => n.trim()))
      if (isApiName(field)) named.push({ object: null, field });
  return named;
}

/**
 * A field a group names, as its candidates ('Account.Industry', or on a HubSpot contact
 * 'Contact.Score__c' and 'Lead.Score__c'), and whether Salesforce named it (`sure`): a name from
 * the export's field column may be a HubSpot label that happens to look like one ('Region').
 */
interface FieldChoice {
  names: string[];
  sure: boolean;
}

/** A custom field's API name ('Score__c', 'ns__Score__c'): no label is written so. */
const CUSTOM_FIELD = /__[a-z]+$/i;

function groupChoices(
  g: Pick<SyncErrorGroup, 'object' | 'field'> & { example?: string | null },
): FieldChoice[] {
  const column = fromFieldColumn(g)[0];
  const fromColumn = column && { ...column, sure: CUSTOM_FIELD.test(column.field) };
  const named = fieldsInSalesforceMessage(g.example).map((n) => ({
    objects: n.object ? [n.object] : salesforceObjects(g.object),
    field: n.field,
    sure: true,
  }));
  if (fromColumn) {
    const same = named.findIndex((n) => n.field.toLowerCase() === fromColumn.field.toLowerCase());
    // The group's own field first: the relay files a message naming several fields under each.
    if (same > 0) named.unshift(...named.splice(same, 1));
    // Not in the message: a label, unless the message was cut ('…') before naming it.
    else if (same < 0 && (!named.length || /…\s*$/.test(g.example ?? ''))) named.push(fromColumn);
  }
  const seen = new Set<string>();
  const out: FieldChoice[] = [];
  for (const { objects, field, sure } of named) {
    const names = objects.map((object) => `${object}.${field}`);
    const key = names.join(' ').toLowerCase();
    if (names.length && !seen.has(key)) {
      seen.add(key);
      out.push({ names, sure });
    }
  }
  return out;
}

/**
 * The Salesforce fields a group names, each as its candidates: ['Account.Industry'], or, on a
 * HubSpot contact, ['Contact.Score__c', 'Lead.Score__c'] (whichever the org has). Salesforce's
 * own message is read first (API names); else the export's field column when it is a Salesforce
 * name ('Industry', 'Contact.Industry', 'Score__c'), never a HubSpot property ('hs_lead_score').
 */
export function syncErrorFieldCandidates(
  g: Pick<SyncErrorGroup, 'object' | 'field'> & { example?: string | null },
): string[][] {
  return groupChoices(g).map((c) => c.names);
}

function fromFieldColumn(
  g: Pick<SyncErrorGroup, 'object' | 'field'>,
): { objects: readonly string[]; field: string }[] {
  const field = g.field?.trim();
  if (!field) return [];
  const dot = field.indexOf('.');
  const name = dot >= 0 ? field.slice(dot + 1) : field;
  if (!salesforceFieldLike(name)) return [];
  return [{ objects: salesforceObjects(dot >= 0 ? field.slice(0, dot) : g.object), field: name }];
}

/**
 * The 'Object.Field' name to show for a group: its first field's first candidate, or null when it
 * names no Salesforce field.
 */
export function syncErrorFieldName(
  g: Pick<SyncErrorGroup, 'object' | 'field'> & { example?: string | null },
): string | null {
  return syncErrorFieldCandidates(g)[0]?.[0] ?? null;
}

/**
 * Every field the field-permission groups name, each once, most important group first. A name
 * named alone somewhere (Salesforce's "No such column 'Fax' on entity 'Lead'") leaves the
 * candidates of another group ('Contact.Fax' or 'Lead.Fax'), so no field is listed twice.
 */
function fieldChoices(syncErrors: RelayedSyncErrors | string | null | undefined): FieldChoice[] {
  const byKey = new Map<string, FieldChoice>();
  // Read through the one parser: the Apex hands on Sync_Errors__c's JSON text as it is.
  for (const g of parseSyncErrors(syncErrors)?.groups ?? []) {
    if (g.reason !== 'FIELD_PERMISSIONS_MISSING') continue;
    for (const choice of groupChoices(g)) {
      const key = choice.names.join(' ').toLowerCase();
      const known = byKey.get(key);
      if (known) known.sure ||= choice.sure;
      else byKey.set(key, { ...choice });
    }
  }
  const alone = new Set(
    [...byKey.values()].filter((c) => c.names.length === 1).map((c) => c.names[0]!.toLowerCase()),
  );
  return [...byKey.values()].flatMap((c) => {
    if (c.names.length === 1) return [c];
    const names = c.names.filter((name) => !alone.has(name.toLowerCase()));
    return names.length ? [{ names, sure: c.sure }] : [];
  });
}

/**
 * The fields HubSpot's sync errors say it lacks access to (field-permission groups), each as its
 * candidates (see syncErrorFieldCandidates), each once, most important first. Takes the summary
 * or its JSON text.
 */
export function syncErrorFieldChoices(
  syncErrors: RelayedSyncErrors | string | null | undefined,
): string[][] {
  return fieldChoices(syncErrors).map((c) => c.names);
}

/**
 * The fields Salesforce itself named, or custom fields by API name, each as its candidates: an org
 * that has none of a choice's candidates lacks a field HubSpot failed to write (deleted or
 * renamed). A capitalised name from the export's field column may be a label: not among them.
 */
export function syncErrorSureFieldChoices(
  syncErrors: RelayedSyncErrors | string | null | undefined,
): string[][] {
  return fieldChoices(syncErrors)
    .filter((c) => c.sure)
    .map((c) => c.names);
}

/** Every Salesforce field name the sync errors' field-permission groups name (all candidates). */
export function syncErrorFieldNames(
  syncErrors: RelayedSyncErrors | string | null | undefined,
): string[] {
  const names = new Map<string, string>();
  for (const choice of syncErrorFieldChoices(syncErrors))
    for (const name of choice)
      if (!names.has(name.toLowerCase())) names.set(name.toLowerCase(), name);
  return [...names.values()];
}

/**
 * Requirements for the fields HubSpot's sync errors name: read and edit, as HubSpot's article asks
 * of every mapped field. The app and the CLI merge them into the fields they check, so a field
 * mapped only in HubSpot is checked once HubSpot has failed on it. Required only if the org has
 * it (`ifExists`): a HubSpot contact's field on Lead and on Contact, and any name taken from the
 * export's field column, which may be a HubSpot label ('Region') and is no deleted field. A field
 * Salesforce's own message names on one object is required outright.
 */
export function syncErrorFieldRequirements(
  syncErrors: RelayedSyncErrors | string | null | undefined,
): FieldRequirement[] {
  return fieldChoices(syncErrors).flatMap(({ names, sure }) =>
    names.map((name): FieldRequirement =>
      names.length > 1 || !sure
        ? { name, access: ['read', 'edit'], ifExists: true }
        : { name, access: ['read', 'edit'] },
    ),
  );
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

/**
 * The Salesforce objects an object-permission group names: HubSpot's object types ('deal' ->
 * Opportunity, a contact -> Contact and Lead) and custom objects by API name ('Invoice__c'). Any
 * other word is left out: a HubSpot custom object's label ('Invoices') is no Salesforce object,
 * and requiring it would report an object the org does not have. [] for other groups.
 */
export function syncErrorGroupObjects(g: Pick<SyncErrorGroup, 'reason' | 'object'>): string[] {
  if (g.reason !== 'OBJECT_PERMISSIONS_MISSING' || !g.object) return [];
  const word = g.object.trim();
  const known = HUBSPOT_OBJECTS[word.toLowerCase()];
  return [...(known ?? (isApiName(word) && /__c$/i.test(word) ? [word] : []))];
}
