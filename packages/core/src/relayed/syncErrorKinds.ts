/**
 * What kind of error each group of HubSpot's exported sync errors is, and what to do about it.
 *
 * Most rows of a Sync Health export are not about the integration user's rights at all: a
 * validation rule or flow refused the record, a duplicate rule matched, a picklist lacks the value,
 * the record's owner is inactive. HubSpot's article "Manage Salesforce integration API calls and
 * sync errors" sorts them into Associations, Custom code, Duplicates and Permissions (and more), and
 * says "Insufficient access or missing Salesforce record" comes, in most cases, from a wrong value
 * or a wrong association, not from a missing object permission. One kind per group, and one piece
 * of advice per kind, shared by the relay's upload answer, the app's panel, the CLI and the report.
 */
import { SUSPENSION_REASONS } from '../reasons/catalog.js';
import { normalizeText } from '../reasons/normalizeText.js';
import {
  isDuplicateRuleRefusal,
  mentionsRestrictedPicklist,
  refusedPicklistValues,
  validationExceptionMessage,
} from './salesforceErrorText.js';
import { syncErrorGroupObjects } from './salesforceNames.js';
import { syncErrorFieldCandidates } from './syncErrorFields.js';
import { type SyncErrorGroup } from './syncErrors.js';

export type SyncErrorKind =
  /** Field-level security: HubSpot could not see or write a field. */
  | 'field-permission'
  /** The integration user may not read or edit the object. */
  | 'object-permission'
  /** "Insufficient access or missing Salesforce record": a record the user cannot see or edit, one deleted or merged, or a wrong value or link. */
  | 'record-access'
  /** HubSpot's Associations: waiting for the account to sync, the association limit. */
  | 'association'
  /** A validation rule, flow, trigger or Apex in Salesforce refused the record. */
  | 'custom-code'
  /** A Salesforce duplicate rule, or an e-mail address already on another HubSpot contact. */
  | 'duplicate'
  /** A value the Salesforce picklist does not have. */
  | 'picklist'
  /** A value Salesforce refused: too long, a required field empty, a bad e-mail or number. */
  | 'value'
  /** The record's Salesforce owner is inactive. */
  | 'owner'
  /** The record was locked by another update, or by an approval process. */
  | 'record-lock'
  /** An error of one of the article's suspension reasons (API limit, storage, ...). */
  | 'suspension'
  /** Anything else. */
  | 'other';

export interface SyncErrorKindInfo {
  kind: SyncErrorKind;
  /** A short name for the kind ('Custom code in Salesforce'). */
  label: string;
  /** What to do, naming the group's Salesforce field or objects where the group names them. */
  advice: string;
}

/** Salesforce's own status codes, which settle a kind whatever language the export is in. */
const BY_CODE: Record<string, SyncErrorKind> = {
  INVALID_FIELD_FOR_INSERT_UPDATE: 'field-permission',
  INVALID_FIELD: 'field-permission',
  INSUFFICIENT_ACCESS_OR_READONLY: 'record-access',
  INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY: 'record-access',
  INVALID_CROSS_REFERENCE_KEY: 'record-access',
  ENTITY_IS_DELETED: 'record-access',
  // A converted lead is read-only to users without "View and Edit Converted Leads".
  CANNOT_UPDATE_CONVERTED_LEAD: 'record-access',
  FIELD_CUSTOM_VALIDATION_EXCEPTION: 'custom-code',
  CANNOT_EXECUTE_FLOW_TRIGGER: 'custom-code',
  CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY: 'custom-code',
  DUPLICATES_DETECTED: 'duplicate',
  DUPLICATE_VALUE: 'duplicate',
  DUPLICATE_EXTERNAL_ID: 'duplicate',
  INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: 'picklist',
  STRING_TOO_LONG: 'value',
  REQUIRED_FIELD_MISSING: 'value',
  INVALID_EMAIL_ADDRESS: 'value',
  NUMBER_OUTSIDE_VALID_RANGE: 'value',
  FIELD_INTEGRITY_EXCEPTION: 'value',
  INVALID_TYPE_ON_FIELD_IN_RECORD: 'value',
  MALFORMED_ID: 'value',
  // A lookup filter refused the related record: a value to correct, not code to change.
  FIELD_FILTER_VALIDATION_EXCEPTION: 'value',
  INACTIVE_OWNER_OR_USER: 'owner',
  TRANSFER_REQUIRES_READ: 'owner',
  UNABLE_TO_LOCK_ROW: 'record-lock',
  ENTITY_IS_LOCKED: 'record-lock',
};

/** A Salesforce status code: upper-case words joined by underscores. */
const CODE = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/;

/**
 * Salesforce's words for an error raised inside the org's own Apex or flows: the code such a
 * message carries ("first error: INSUFFICIENT_ACCESS_OR_READONLY") is what the trigger's own
 * update hit, not what HubSpot's did, so it is custom code whatever code follows.
 */
const RAISED_IN_CODE =
  /execution of (?:before|after) ?(?:insert|update|delete|undelete)|caused by: System\.|first exception on row|the flow tried to|failed to trigger a flow|\bprocess failed\b/i;

/**
 * "Apex trigger X caused an unexpected exception", on one line. Not one expression with `.*`
 * between the two: that scans to the line's end from every "apex trigger" in it, quadratic in a
 * line that repeats it. The first "apex trigger" of a line is followed by the words if any is.
 */
const APEX_TRIGGER = /apex trigger\b/i;
const CAUSED_EXCEPTION = /\bcaused an unexpected exception/i;
function raisedInApexTrigger(text: string): boolean {
  // Most messages name no trigger: they are not split into lines at all.
  if (!APEX_TRIGGER.test(text)) return false;
  for (const line of text.split(/[\n\r\u2028\u2029]/)) {
    const at = line.search(APEX_TRIGGER);
    if (at >= 0 && CAUSED_EXCEPTION.test(line.slice(at + 'apex trigger'.length))) return true;
  }
  return false;
}

/**
 * API names (anything with an underscore: Cash_Flow_Status__c, CUSTOM_CODE) and e-mail addresses
 * are cut out before words are matched: a field named Automation_Notes__c or an address
 * apex@acme.example says nothing of the kind of error.
 */
const TOKEN = /[^\s,;:'"()[\]]+/g;
const NOT_WORD = /[_@]/;
/**
 * Each token (a run between separators) read once. One expression for "a token holding _ or @"
 * scanned to the token's end from every position of a token without either: quadratic, 14 ms for
 * each 4 KB message the relay keeps, and minutes for a long one given to the CLI.
 */
const withoutNotWords = (text: string): string =>
  text.replace(TOKEN, (token) => (NOT_WORD.test(token) ? ' ' : token));

type Phrases = { kind: SyncErrorKind; phrases: string[] }[];

/**
 * HubSpot's and Salesforce's words for the kinds, in normalizeText form (lower case, no
 * diacritics, 'æ' as 'ae'), matched at the start of a word. English, and Danish where HubSpot's
 * Danish article names the error ("E-mail allerede i brug", "Utilstrækkelig adgang eller
 * manglende Salesforce-post"). The first kind that matches wins: the narrow kinds come before
 * custom code, whose words ("flow", "automation") turn up in other messages too.
 */
const MESSAGE_PHRASES: Phrases = [
  {
    kind: 'field-permission',
    phrases: [
      'field permission',
      'field level security',
      'felttilladelse',
      'tilladelse til salesforce feltet',
      'no such column',
    ],
  },
  {
    kind: 'record-access',
    phrases: [
      'insufficient access',
      'missing salesforce record',
      'utilstraekkelig adgang',
      'manglende salesforce post',
      'entity is deleted',
      'converted lead',
    ],
  },
  { kind: 'object-permission', phrases: ['object permission', 'objekttilladelse'] },
  {
    kind: 'owner',
    phrases: [
      'inactive owner',
      'inactive user',
      'owner is inactive',
      'operation performed with inactive user',
      'new owner must have read',
    ],
  },
  {
    kind: 'record-lock',
    phrases: ['unable to obtain exclusive access', 'record is locked', 'locked for approval'],
  },
  { kind: 'picklist', phrases: ['picklist', 'bad value for restricted picklist'] },
  {
    kind: 'duplicate',
    phrases: [
      'duplicate',
      'duplikat',
      'email already in use',
      'e mail already in use',
      'e mail allerede i brug',
      'email allerede i brug',
    ],
  },
  {
    kind: 'value',
    phrases: [
      'required field',
      'data value too large',
      'value too long',
      'invalid email',
      'invalid number',
      'invalid date',
      'invalid value',
      'field format',
      'mismatched type',
    ],
  },
  { kind: 'association', phrases: ['association limit', 'waiting for account'] },
  {
    kind: 'custom-code',
    phrases: [
      'custom code',
      'validation rule',
      'valideringsregel',
      'apex trigger',
      'apex class',
      'process builder',
    ],
  },
];

/**
 * HubSpot's error type is a category's name, not a message: its bare words ("Flow error",
 * "Associations", "Apex") name the kind.
 */
const ERROR_TYPE_PHRASES: Phrases = MESSAGE_PHRASES.map(({ kind, phrases }) => ({
  kind,
  phrases:
    kind === 'custom-code'
      ? [...phrases, 'flow', 'apex', 'trigger', 'automation']
      : kind === 'association'
        ? [...phrases, 'association', 'tilknytning']
        : phrases,
}));

/** Each kind's short name; a Record, so a kind added to SyncErrorKind without one fails the build. */
const LABELS: Record<SyncErrorKind, string> = {
  'field-permission': 'Field permission',
  'object-permission': 'Object permission',
  'record-access': 'Record access or a missing record',
  association: 'Associations',
  'custom-code': 'Custom code in Salesforce',
  duplicate: 'Duplicates',
  picklist: 'Picklist value',
  value: 'Field value',
  owner: 'Inactive owner',
  'record-lock': 'Record locked',
  suspension: 'Suspension',
  other: 'Other',
};

/**
 * Every kind, once, in the order of LABELS: for the schemas of the relay's answer and the CLI's
 * JSON, which list them (a kind added here reaches both).
 */
export const SYNC_ERROR_KINDS: readonly SyncErrorKind[] = Object.freeze(
  Object.keys(LABELS) as SyncErrorKind[],
);

type Group = Pick<SyncErrorGroup, 'reason' | 'errorType' | 'object' | 'field' | 'example'>;

/** The kind of the text's first Salesforce code; null when it has none, or one not listed. */
function kindOfCode(text: string): SyncErrorKind | null {
  const code = CODE.exec(text)?.[0];
  return code ? (BY_CODE[code] ?? null) : null;
}

function kindOfWords(text: string, list: Phrases): SyncErrorKind | null {
  if (text === '') return null;
  const normalized = normalizeText(withoutNotWords(text));
  for (const { kind, phrases } of list)
    if (phrases.some((phrase) => normalized.includes(` ${phrase}`))) return kind;
  return null;
}

/**
 * An address's state or country that Salesforce's State and Country/Territory Picklists refused:
 * a code field ('MailingCountryCode'), "There's a problem with this state" (FIELD_INTEGRITY_
 * EXCEPTION) or "The BillingStateCode field contains EP, which isn't an available state".
 */
const STATE_COUNTRY_WORDS =
  /problem with this (?:state|country)|isn[’']t an available (?:state|country)/i;
const STATE_OR_COUNTRY = new RegExp(`(?:State|Country)Code\\b|${STATE_COUNTRY_WORDS.source}`, 'i');
const STATE_COUNTRY_ADVICE =
  "The org uses Salesforce's State and Country/Territory Picklists, which take only the states and countries in their list: turn on HubSpot's sync of state and country picklists (HubSpot's article \"Sync Salesforce state and country picklists with HubSpot state/region and country properties\"), or add the value in Setup > State and Country/Territory Picklists, and correct the records' values.";

/**
 * The kind of one group. In this order, the first that places it wins:
 * 1. an error raised inside the org's Apex or flows (a trigger's "execution of AfterInsert"):
 *    custom code, whatever code it carries;
 * 2. the first Salesforce status code in its error type or message (INACTIVE_OWNER_OR_USER is the
 *    record's owner, FIELD_CUSTOM_VALIDATION_EXCEPTION a validation rule, in any language), or
 *    Salesforce's own words for a refused picklist value (mentionsRestrictedPicklist);
 * 3. HubSpot's words for a kind in the error type, then HubSpot's or Salesforce's in the message;
 * 4. the suspension reason the relay gave the group (field or object permission, else a suspension).
 * Pure; never throws.
 */
export function syncErrorKind(
  group: Pick<SyncErrorGroup, 'reason' | 'errorType' | 'example'>,
): SyncErrorKind {
  const errorType = typeof group.errorType === 'string' ? group.errorType : '';
  const example = typeof group.example === 'string' ? group.example : '';
  const text = `${errorType}\n${example}`;
  if (RAISED_IN_CODE.test(text) || raisedInApexTrigger(text)) return 'custom-code';
  const byWords =
    kindOfCode(text) ??
    // Salesforce's own words for a refused picklist value, in any language it is read in.
    (mentionsRestrictedPicklist(example) ? 'picklist' : null) ??
    (STATE_COUNTRY_WORDS.test(example) ? 'value' : null) ??
    kindOfWords(errorType, ERROR_TYPE_PHRASES) ??
    kindOfWords(example, MESSAGE_PHRASES);
  if (byWords) return byWords;
  if (group.reason === 'FIELD_PERMISSIONS_MISSING') return 'field-permission';
  if (group.reason === 'OBJECT_PERMISSIONS_MISSING') return 'object-permission';
  if (group.reason) return 'suspension';
  return 'other';
}

const fieldNames = (g: Group): string | null => {
  const names = syncErrorFieldCandidates(g).map((choices) => choices.join(' or '));
  return names.length ? names.join(', ') : null;
};

const objectNames = (g: Group): string | null => {
  const objects = syncErrorGroupObjects({ reason: 'OBJECT_PERMISSIONS_MISSING', object: g.object });
  return objects.length ? objects.join(' and ') : null;
};

/**
 * An export's object that Salesforce keeps as a Task or an Event: HubSpot's calls, meetings,
 * e-mails, notes and tasks sync as activities, which "Update Records with Inactive Owners" does
 * not cover (Salesforce lists Account, Contact, Lead, Opportunity, Case, custom objects and a few
 * more).
 */
export function isActivity(object: string | null | undefined): boolean {
  return (
    typeof object === 'string' &&
    /^(?:task|event|call|meeting|e-?mail|note|engagement|activit(?:y|ie))s?$/i.test(object.trim())
  );
}

/** Setup's switch that makes "Update Records with Inactive Owners" grantable at all (off by default). */
export const INACTIVE_OWNERS_SETTING =
  'Setup > User Interface > \'Enable "Set Audit Fields upon Record Creation" and "Update Records with Inactive Owners" User Permissions\'';

function advice(kind: SyncErrorKind, g: Group): string {
  switch (kind) {
    case 'field-permission': {
      const fields = fieldNames(g);
      // A formula, roll-up or auto-number field is read-only whatever the security says.
      if (fields)
        return `Give the integration user read and edit access to ${fields} (field-level security). A formula, roll-up or auto-number field is never writable: sync it into HubSpot only.`;
      return g.field
        ? `Find the Salesforce field HubSpot's "${g.field}"${g.object ? ` (${g.object})` : ''} is mapped to, and give the integration user read and edit access to it (field-level security).`
        : 'Give the integration user read and edit access to the field the errors name (field-level security).';
    }
    case 'object-permission': {
      const objects = objectNames(g);
      return `Give the integration user read and edit access to ${objects ?? 'the object'} and to the objects its lookups reach.`;
    }
    case 'record-access': {
      const objects = objectNames(g);
      return `${objects ? `Check that the integration user can read and edit ${objects}. If it can, ` : 'If the integration user can read and edit the object, '}HubSpot wrote a value or a link Salesforce refused: most often a lookup to a record the integration user cannot see (share it through a role or a sharing rule, or give View All and Modify All on the object), one deleted or merged, or a converted lead (read-only without "View and Edit Converted Leads"). Open the affected records and correct the value or the association.`;
    }
    case 'association':
      return "The records wait for a related record to sync, or reached HubSpot's association limit: import the Salesforce accounts into HubSpot, or remove or move associations.";
    case 'custom-code': {
      // Salesforce sends a validation rule's message, never its name (validationRuleNow names it
      // where the rules were read).
      if (validationExceptionMessage(g.example)) {
        const objects = syncErrorGroupObjects({ ...g, reason: 'OBJECT_PERMISSIONS_MISSING' });
        const whose = objects.length ? objects.map((o) => `${o}'s`).join(' or ') : "the object's";
        return `A validation rule (or a flow's Custom Error) refused the record with this message; Salesforce names the rule only by its message, so look for it among ${whose} Validation Rules (Setup > Object Manager). Correct the records' values; or, if HubSpot's updates should pass, exempt the integration user: add NOT($Permission.Bypass_Validation) to the rule's formula (AND) and grant that custom permission in a permission set assigned to the integration user. No field or object permission fixes it.`;
      }
      return "A flow, trigger or Apex in Salesforce refused the record; the message names it. Ask the Salesforce admin to let the integration user's update through (or to fix the automation), not to change permissions.";
    }
    case 'duplicate':
      // Salesforce's own code says a duplicate rule refused it: say how a rule refuses an API
      // write (an alert does too) and how to let HubSpot through, which Setup does not say.
      if (isDuplicateRuleRefusal(g.example))
        return "A Salesforce duplicate rule refused the record as a duplicate of one already there. A rule refuses HubSpot's writes when it blocks, and also when it only alerts, since an API write is refused unless it asks to save anyway. Merge the duplicates in Salesforce; or, if HubSpot's records should pass, add a condition to the rule that leaves out the integration user (Current User: Username not equal to it) in Setup > Duplicate Management > Duplicate Rules.";
      return "A Salesforce duplicate rule matched, a unique or external-ID field already holds the value, or the e-mail address is already on another HubSpot contact: check the duplicate rule's matching rules in Salesforce, or merge the records.";
    case 'picklist':
      if (STATE_OR_COUNTRY.test(`${g.field ?? ''}\n${g.example ?? ''}`))
        return STATE_COUNTRY_ADVICE;
      return "HubSpot sent a value the Salesforce picklist does not have: add the value to the picklist (and its record types) or change the HubSpot property's options to match.";
    case 'value':
      if (STATE_OR_COUNTRY.test(`${g.field ?? ''}\n${g.example ?? ''}`))
        return STATE_COUNTRY_ADVICE;
      return "Salesforce refused a value HubSpot sent (too long, a required field left empty, a wrong format, a lookup filter): correct the field mapping or the records' values.";
    case 'owner':
      // Salesforce's permission covers records, not activities (tasks, events).
      return `The records' Salesforce owner is inactive: give them an active owner, or map the HubSpot owner to an active Salesforce user.${isActivity(g.object) ? '' : ` Records that must keep their owner need the integration user to have "Update Records with Inactive Owners": turn on ${INACTIVE_OWNERS_SETTING}, then grant only that permission in a permission set assigned to the integration user (leave "Set Audit Fields upon Record Creation" off).`}`;
    case 'record-lock':
      return 'Another update (a bulk job, a flow) held the records locked at that moment, or an approval process locks them: resync once the other job is done, or have the approval finished or recalled. If it keeps happening, find the automation that updates the same records at the same time.';
    case 'suspension': {
      const reason = g.reason ? SUSPENSION_REASONS[g.reason] : undefined;
      return reason?.remedy[0] ?? reason?.meaning ?? 'See the suspension steps above.';
    }
    case 'other':
      return "Open the affected records from HubSpot's Sync Health tab and correct what the message says.";
  }
}

/**
 * The Salesforce fields and objects a group is about, as the app, the CLI's text and its JSON all
 * read them: `fields`, every field it names (each candidate: a HubSpot contact's field on Contact
 * and on Lead), whatever its kind; `checked`, those fields when a right settles the group (a field
 * permission: what is linked and judged now), else none; `objects`, the objects of an
 * object-permission or record-access group (whatever reason placed it: a converted lead's code
 * places none), else none. A picklist group's fields are checked too (their values are read now)
 * and `values` are the ones Salesforce refused (refusedPicklistValues); [] for other kinds.
 */
export function syncErrorGroupNames(
  group: Group,
  kind: SyncErrorKind = syncErrorKind(group),
): { fields: string[]; checked: string[]; objects: string[]; values: string[] } {
  const fields = [...new Set(syncErrorFieldCandidates(group).flat())];
  const fieldKind =
    kind === 'field-permission' ||
    kind === 'picklist' ||
    group.reason === 'FIELD_PERMISSIONS_MISSING';
  const objectKind =
    kind === 'object-permission' ||
    kind === 'record-access' ||
    group.reason === 'OBJECT_PERMISSIONS_MISSING';
  return {
    fields,
    checked: fieldKind ? fields : [],
    objects: objectKind
      ? syncErrorGroupObjects({ reason: 'OBJECT_PERMISSIONS_MISSING', object: group.object })
      : [],
    values: kind === 'picklist' ? refusedPicklistValues(group.example) : [],
  };
}

/** The group's kind, its label and what to do about it. */
export function syncErrorKindInfo(group: Group): SyncErrorKindInfo {
  const kind = syncErrorKind(group);
  return { kind, label: LABELS[kind], advice: advice(kind, group) };
}

/** Once a group is fixed, HubSpot syncs its records again only when asked: said once, after the groups. */
export const SYNC_ERRORS_RESYNC =
  "Once a group is fixed, select its errors in HubSpot's Sync Health tab and click Resync.";
