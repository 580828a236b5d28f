/** syncErrorKind: what kind each group of HubSpot's exported sync errors is, and what to do about it. */
import { SUSPENSION_REASONS } from '../src/reasons/catalog.js';
import { classifySyncErrorText } from '../src/reasons/classifySyncErrorText.js';
import {
  SYNC_ERROR_KINDS,
  syncErrorGroupNames,
  syncErrorKind,
  syncErrorKindInfo,
} from '../src/relayed/syncErrorKinds.js';
import type { SyncErrorGroup } from '../src/relayed/syncErrors.js';

/** A group as the relay makes it: the reason is the core's classification of type and message. */
function group(errorType: string, example: string | null, more: Partial<SyncErrorGroup> = {}) {
  return {
    reason: classifySyncErrorText(`${errorType}\n${example ?? ''}`)?.reason ?? null,
    errorType,
    example,
    object: null,
    field: null,
    ...more,
  };
}

describe('syncErrorKind', () => {
  it.each([
    ['FIELD_CUSTOM_VALIDATION_EXCEPTION: Region is required for EMEA', 'custom-code'],
    [
      'CANNOT_EXECUTE_FLOW_TRIGGER: The record couldn’t be saved because it failed to trigger a flow',
      'custom-code',
    ],
    ['DUPLICATES_DETECTED: Use one of these records?', 'duplicate'],
    [
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: bad value for restricted picklist field: Webinar',
      'picklist',
    ],
    ['STRING_TOO_LONG: Title: data value too large', 'value'],
    ['REQUIRED_FIELD_MISSING: Required fields are missing: [Company]', 'value'],
    ['INACTIVE_OWNER_OR_USER: operation performed with inactive user as owner of [lead]', 'owner'],
    ['UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record', 'record-lock'],
    ['ENTITY_IS_DELETED: entity is deleted', 'record-access'],
    [
      'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY: insufficient access rights on cross-reference id',
      'record-access',
    ],
    [
      'INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create/update fields: Score__c.',
      'field-permission',
    ],
  ] as const)('a Salesforce code settles it, in any error type: %s', (message, kind) => {
    // The error type is HubSpot's word in some language the core does not know.
    expect(syncErrorKind(group('Fejl', message))).toBe(kind);
  });

  it.each([
    ['Association limit reached', 'association'],
    ['Waiting for account to sync', 'association'],
    ['Email already in use', 'duplicate'],
    ['E-mail allerede i brug', 'duplicate'],
    ['Salesforce duplicate rule', 'duplicate'],
    ['Salesforce field permission error', 'field-permission'],
    ['Utilstrækkelig adgang eller manglende Salesforce-post', 'record-access'],
    ['Insufficient access or missing Salesforce record', 'record-access'],
    ['Validation rule', 'custom-code'],
    ['Picklist value not found', 'picklist'],
  ] as const)("HubSpot's words for the error type place it: %s", (errorType, kind) => {
    expect(syncErrorKind(group(errorType, null))).toBe(kind);
  });

  it('keeps a record-access group on the object-permission reason, so its objects are still checked', () => {
    const g = group('Insufficient access or missing Salesforce record', null, { object: 'deal' });
    expect(g.reason).toBe('OBJECT_PERMISSIONS_MISSING');
    const info = syncErrorKindInfo(g);
    expect(info.kind).toBe('record-access');
    expect(info.advice).toMatch(
      /^Check that the integration user can read and edit Opportunity\. If it can,/,
    );
    expect(info.advice).toMatch(/sharing/);
  });

  it('falls back on the reason, then on "other"', () => {
    expect(
      syncErrorKind({ reason: 'FIELD_PERMISSIONS_MISSING', errorType: 'X', example: null }),
    ).toBe('field-permission');
    expect(
      syncErrorKind({ reason: 'OBJECT_PERMISSIONS_MISSING', errorType: 'X', example: null }),
    ).toBe('object-permission');
    expect(syncErrorKind({ reason: 'STORAGE_LIMIT_EXCEEDED', errorType: 'X', example: null })).toBe(
      'suspension',
    );
    expect(
      syncErrorKind({ reason: null, errorType: 'Something new', example: 'no code here' }),
    ).toBe('other');
    // A damaged group never throws.
    expect(
      syncErrorKind({ reason: null, errorType: undefined as unknown as string, example: null }),
    ).toBe('other');
  });

  it.each([
    // A code inside an org's own trigger is what the trigger hit, not what HubSpot did.
    [
      'Custom code',
      'LeadTrigger: execution of AfterInsert caused by: System.DmlException: Insert failed. First exception on row 0; first error: INSUFFICIENT_ACCESS_OR_READONLY, insufficient access rights on object id: []',
      'custom-code',
    ],
    [
      'Error',
      'ContactTrigger: execution of AfterUpdate caused by: System.NullPointerException: Attempt to de-reference a null object',
      'custom-code',
    ],
    [
      'Error',
      "We can't save this record because the “Lead Routing” process failed. Give your Salesforce admin these details.",
      'custom-code',
    ],
    ['Error', 'CANNOT_UPDATE_CONVERTED_LEAD: cannot reference converted lead', 'record-access'],
    ['Error', 'TRANSFER_REQUIRES_READ: The new owner must have read permission', 'owner'],
    ['Error', "No such column 'Region__c' on entity 'Lead'", 'field-permission'],
    [
      'Error',
      'FIELD_FILTER_VALIDATION_EXCEPTION: Value does not exist or does not match filter criteria.',
      'value',
    ],
  ] as const)(
    'an error raised in the org, and codes and words the first pass missed: %s %s',
    (errorType, message, kind) => {
      expect(syncErrorKind(group(errorType, message))).toBe(kind);
    },
  );

  it.each([
    ['Invalid value for Cash_Flow_Status__c', 'value'],
    ['Invalid email address: apex@acme.example', 'value'],
    ['Required field missing: Trigger_Date__c', 'value'],
    ['bad value for restricted picklist field: Association_Type__c', 'picklist'],
    ['Inactive owner: the owner of this record is inactive (Automation Team)', 'owner'],
    ['The record is locked for approval by the Deal Desk flow', 'record-lock'],
    ['Your request took too long', 'other'],
  ] as const)(
    'API names, addresses and loose words in a message do not name a kind: %s',
    (message, kind) => {
      expect(syncErrorKind(group('Error', message))).toBe(kind);
    },
  );

  it.each([
    [
      'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY: Apex trigger ContactSync caused an unexpected exception, contact your administrator: INSUFFICIENT_ACCESS_OR_READONLY',
      'custom-code',
    ],
    [
      'INSUFFICIENT_ACCESS_OR_READONLY: apex trigger A ran; apex trigger B caused an unexpected exception',
      'custom-code',
    ],
    // The words on the next line, or after "apex triggers", are not the trigger's failure.
    [
      'INSUFFICIENT_ACCESS_OR_READONLY: apex trigger ContactSync\ncaused an unexpected exception',
      'record-access',
    ],
    [
      'INSUFFICIENT_ACCESS_OR_READONLY: apex triggers caused an unexpected exception',
      'record-access',
    ],
  ] as const)(
    'an Apex trigger that failed, on one line, overrides the code: %s',
    (message, kind) => {
      expect(syncErrorKind(group('Fejl', message))).toBe(kind);
    },
  );

  it('a word matches at the start of a word only', () => {
    expect(syncErrorKind(group('Workflow failed', null))).toBe('other');
    expect(syncErrorKind(group('Flow failed', null))).toBe('custom-code');
  });
});

describe('syncErrorKindInfo advice', () => {
  it("names the Salesforce field a field-permission group names, on Contact and Lead for HubSpot's contact", () => {
    const g = group('Salesforce field permission', null, { object: 'contact', field: 'Score__c' });
    expect(syncErrorKindInfo(g)).toEqual({
      kind: 'field-permission',
      label: 'Field permission',
      advice:
        'Give the integration user read and edit access to Contact.Score__c or Lead.Score__c (field-level security). A formula, roll-up or auto-number field is never writable: sync it into HubSpot only.',
    });
  });

  it('asks to find the mapped field when HubSpot names only its own property', () => {
    const g = group('Salesforce field permission', null, {
      object: 'contact',
      field: 'hs_lead_score',
    });
    expect(syncErrorKindInfo(g).advice).toBe(
      `Find the Salesforce field HubSpot's "hs_lead_score" (contact) is mapped to, and give the integration user read and edit access to it (field-level security).`,
    );
  });

  it('sends custom-code errors to the rule, not to permissions', () => {
    const info = syncErrorKindInfo(
      group('Custom code', 'FIELD_CUSTOM_VALIDATION_EXCEPTION: Region is required'),
    );
    expect(info.label).toBe('Custom code in Salesforce');
    expect(info.advice).toMatch(
      /^A validation rule \(or a flow's Custom Error\) refused the record/,
    );
    expect(info.advice).toMatch(/No field or object permission fixes it\.$/);
  });

  it("gives a suspension reason's first remedy", () => {
    const g = group('API limit', 'REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.');
    expect(g.reason).toBe('API_LIMIT_EXCEEDED');
    expect(syncErrorKindInfo(g)).toEqual({
      kind: 'suspension',
      label: 'Suspension',
      advice: SUSPENSION_REASONS.API_LIMIT_EXCEEDED.remedy[0],
    });
  });
});

describe('SYNC_ERROR_KINDS', () => {
  it('lists every kind once, each with a label', () => {
    expect(new Set(SYNC_ERROR_KINDS).size).toBe(SYNC_ERROR_KINDS.length);
    expect(SYNC_ERROR_KINDS).toEqual(
      expect.arrayContaining(['field-permission', 'record-access', 'custom-code', 'other']),
    );
    expect(SYNC_ERROR_KINDS).toHaveLength(12);
    expect(Object.isFrozen(SYNC_ERROR_KINDS)).toBe(true);
  });
});

describe('syncErrorGroupNames', () => {
  it('what a group is about, whatever reason placed it', () => {
    // A converted lead's code places no reason; its object is still what it is about.
    const converted = group(
      'Error',
      'CANNOT_UPDATE_CONVERTED_LEAD: cannot reference converted lead',
      {
        object: 'Lead',
      },
    );
    expect(converted.reason).toBeNull();
    expect(syncErrorGroupNames(converted)).toEqual({
      fields: [],
      checked: [],
      objects: ['Lead'],
      values: [],
    });
    // Salesforce's message without its code names the field; a HubSpot contact's is on both.
    const field = group(
      'Error',
      'Unable to create/update fields: Score__c. Please check the security settings of this field.',
      {
        object: 'contact',
      },
    );
    expect(field.reason).toBe('FIELD_PERMISSIONS_MISSING');
    expect(syncErrorGroupNames(field)).toEqual({
      fields: ['Contact.Score__c', 'Lead.Score__c'],
      checked: ['Contact.Score__c', 'Lead.Score__c'],
      objects: [],
      values: [],
    });
    // A picklist's field is checked too (its values are read now), with the value it refused.
    expect(
      syncErrorGroupNames(
        group('Picklist value not found', null, { object: 'Lead', field: 'LeadSource' }),
      ),
    ).toEqual({
      fields: ['Lead.LeadSource'],
      checked: ['Lead.LeadSource'],
      objects: [],
      values: [],
    });
    expect(
      syncErrorGroupNames(
        group(
          'Error',
          'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Lead Source: bad value for restricted picklist field: Trade Show;Webinar: [LeadSource]',
          { object: 'contact', field: 'Lead Source' },
        ),
      ),
    ).toEqual({
      fields: ['Contact.LeadSource', 'Lead.LeadSource'],
      checked: ['Contact.LeadSource', 'Lead.LeadSource'],
      objects: [],
      // As written: only a multi-select picklist's describe says it is two values.
      values: ['Trade Show;Webinar'],
    });
  });
});

// Linear, not quadratic. Cutting API names and addresses out scanned every token without "_" or
// "@" to its end from each of its positions, and "apex trigger" repeated on one line was scanned
// to the line's end from each: 14 ms for each 4 KB message the relay keeps (2.8 s of blocked event
// loop for an upload of 200 groups), and minutes for a long message given to the CLI. The bound is
// this thread's CPU time, as in normalizeText's tests: 200 KB of each took from 4 s to 80 s.
describe('syncErrorKind on hostile text', () => {
  it.each([
    ['one token without separators', 'x', 'other'],
    ['upper-case letters', 'A', 'other'],
    ['"apex trigger" on one line', 'apex trigger ', 'custom-code'],
  ] as const)('%s over 200 KB is read at once', (_name, piece, kind) => {
    const text = piece.repeat(Math.ceil(200_000 / piece.length));
    const started = process.threadCpuUsage();
    expect(syncErrorKind({ reason: null, errorType: text, example: text })).toBe(kind);
    const { user, system } = process.threadCpuUsage(started);
    expect((user + system) / 1000).toBeLessThan(3000);
  });
});
