import type { ReasonCode } from '@sync-doctor/core';
import type { FixtureName } from '@sync-doctor/org-simulator';
import { demoSuspensionReason } from './curlLine.js';

/**
 * A small Sync Health "Export errors" CSV for a demo org's story, as the page's "Send a demo
 * suspension from HubSpot" uploads it after the suspension (POST /v1/portals/:portalId/sync-errors):
 * the relay carries its summary into Salesforce (Sync_Errors__c), and the suspension panel lists
 * each group with its kind, advice and what Sync Doctor finds of it now.
 *
 * Its headings are ones the relay reads (its column aliases: `Error type`, `Object`, `Field`,
 * `Error message`, `Record ID`), one row per failed record as the export has it. Besides the group
 * the story brings (a record-access group on Contact for an integration user without Create/Edit on
 * it, a field-permission group naming the hidden field), a real export is mostly errors the user's
 * rights have nothing to do with: a validation rule, a picklist value, a duplicate rule.
 */
export interface DemoSyncErrorGroup {
  errorType: string;
  object: string;
  /** The field column: empty when the error names none. */
  field: string;
  message: string;
  /** Rows (failed records) of the group in the export. */
  rows: number;
}

/** The columns of the demo export, as HubSpot's English export heads them. */
export const DEMO_SYNC_ERRORS_COLUMNS = [
  'Error type',
  'Object',
  'Field',
  'Error message',
  'Record ID',
] as const;

/**
 * The demo org's validation rule whose message the export's custom-code rows carry (demoOrgRules.ts
 * adds it to every demo org), so the relay can name it.
 */
export const DEMO_VALIDATION_RULE = {
  name: 'Phone_Has_10_Digits',
  message: 'Phone must have 10 digits',
  field: 'Phone',
} as const;

/**
 * Errors of any org, whatever suspended it: a validation rule, a restricted picklist, a duplicate
 * rule, and contacts owned by someone who left (the demo org's old.hubspot@ user is inactive).
 */
const EVERYDAY_GROUPS: readonly DemoSyncErrorGroup[] = [
  {
    errorType: 'Custom code',
    object: 'Contact',
    field: '',
    message: `FIELD_CUSTOM_VALIDATION_EXCEPTION: ${DEMO_VALIDATION_RULE.message}: [${DEMO_VALIDATION_RULE.field}]`,
    rows: 4,
  },
  {
    errorType: 'Picklist value',
    object: 'Contact',
    field: 'LeadSource',
    message:
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Lead Source: bad value for restricted picklist field: Webinar: [LeadSource]',
    rows: 3,
  },
  {
    errorType: 'Duplicates',
    object: 'Contact',
    field: '',
    message:
      'DUPLICATES_DETECTED: Use one of these records? You are creating a duplicate record. We recommend you use an existing record instead.',
    rows: 2,
  },
  {
    errorType: 'Inactive owner',
    object: 'Contact',
    field: '',
    message:
      'INACTIVE_OWNER_OR_USER: operation performed with inactive user [0055g00000OldHsAAE] as owner of contact',
    rows: 2,
  },
];

/**
 * The group the suspension's reason brings, where Salesforce refuses records one by one for it. A
 * user Salesforce refuses altogether (API access disabled) or HubSpot's own API limit fails no
 * record: their exports hold only the everyday errors.
 */
const STORY_GROUPS: Partial<Record<ReasonCode, DemoSyncErrorGroup>> = {
  // The integration user lacks Create/Edit on Contact (read-only-contacts, a missing or muted set).
  OBJECT_PERMISSIONS_MISSING: {
    errorType: 'Insufficient access or missing Salesforce record',
    object: 'Contact',
    field: '',
    message: 'INSUFFICIENT_ACCESS_OR_READONLY: insufficient access rights on object id',
    rows: 6,
  },
  // Field-level security hides the mapped Contact.Email (hidden-mapped-field).
  FIELD_PERMISSIONS_MISSING: {
    errorType: 'Permissions',
    object: 'Contact',
    field: 'Email',
    message:
      'INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create/update fields: Email. Please check the security settings of this field and verify that it is read/write for your profile or permission set.',
    rows: 6,
  },
  API_LIMIT_EXCEEDED: {
    errorType: 'API limit',
    object: 'Contact',
    field: '',
    message: 'REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.',
    rows: 6,
  },
  STORAGE_LIMIT_EXCEEDED: {
    errorType: 'Storage limit',
    object: 'Contact',
    field: '',
    message: 'STORAGE_LIMIT_EXCEEDED: storage limit exceeded',
    rows: 6,
  },
};

/** The groups of the demo export for a demo org and its variants, largest first. */
export function demoSyncErrorGroups(
  fixture?: FixtureName,
  variants: readonly string[] = [],
): DemoSyncErrorGroup[] {
  const story = STORY_GROUPS[demoSuspensionReason(fixture, variants)];
  return [...(story ? [story] : []), ...EVERYDAY_GROUPS];
}

/** A CSV cell, always quoted (the messages hold commas, colons and question marks). */
const cell = (value: string) => `"${value.replaceAll('"', '""')}"`;

/**
 * The demo export as CSV text (CRLF lines, as spreadsheets write them): a heading line, then one
 * line per failed record, each with a HubSpot record id of its own.
 */
export function demoSyncErrorsCsv(fixture?: FixtureName, variants: readonly string[] = []): string {
  const lines = [DEMO_SYNC_ERRORS_COLUMNS.map(cell).join(',')];
  let recordId = 51_000_101;
  for (const group of demoSyncErrorGroups(fixture, variants))
    for (let row = 0; row < group.rows; row++)
      lines.push(
        [group.errorType, group.object, group.field, group.message, String(recordId++)]
          .map(cell)
          .join(','),
      );
  return `${lines.join('\r\n')}\r\n`;
}
