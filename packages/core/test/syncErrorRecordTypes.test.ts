/**
 * A picklist group whose value the field has now, but whose records' record type may not offer
 * it: a restricted picklist refuses a value the record's record type does not offer, with the same
 * error. The CLI reads each active record type's values (User Interface API); the line names the
 * record types that still lack the value, or says every one offers it.
 */
import type { FieldResult } from '../src/diagnosis/types.js';
import {
  recordTypeNotAnswered,
  recordTypePicklistFacts,
  recordTypesLacking,
  recordTypesNotReadLine,
  syncErrorsRecordTypeFields,
  syncErrorsRecordTypeObjects,
} from '../src/relayed/recordTypePicklists.js';
import { syncErrorNow } from '../src/relayed/syncErrorsNow.js';
import { evaluateAccess } from '../src/diagnosis/evaluateAccess.js';
import { fixture } from './support.js';

/** GET /ui-api/object-info/{object}/picklist-values/{recordTypeId}, as the collector keeps it. */
const recordType = (name: string, fields: Record<string, string[]>) => ({
  name,
  developerName: name.replace(/ /g, '_'),
  picklistFieldValues: Object.fromEntries(
    Object.entries(fields).map(([field, values]) => [
      field,
      {
        controllerValues: {},
        defaultValue: null,
        values: values.map((value) => ({ value, label: value })),
      },
    ]),
  ),
});

/** A sync-error group of Picklist value errors, as the relay groups an export's rows. */
const picklistGroup = (object: string, fieldName: string, value: string, count = 1) => ({
  reason: null,
  errorType: 'Picklist value',
  object,
  field: fieldName,
  count,
  example: `bad value for restricted picklist field: ${value}`,
});

const SOURCES = ['Web', 'Phone Inquiry', 'Webinar'];
const field = (name: string): FieldResult => ({
  name,
  required: ['read', 'edit'],
  effective: { read: true, edit: true },
  grantedBy: [],
  exists: true,
  picklist: { restricted: true, values: SOURCES },
});
const line = {
  kind: 'picklist' as const,
  fields: ['Contact.LeadSource', 'Lead.LeadSource'],
  objects: [],
  values: ['Webinar'],
};
const judged = (recordTypePicklists: unknown[] | undefined) => ({
  fields: [field('Contact.LeadSource'), field('Lead.LeadSource')],
  objects: [],
  findings: [],
  ...(recordTypePicklists
    ? { recordTypePicklists: recordTypePicklistFacts(recordTypePicklists)! }
    : {}),
});

describe('the record types read', () => {
  it("keep each object's record types with each picklist's values, keyed by the field in lower case", () => {
    expect(
      recordTypePicklistFacts([
        { apiName: 'Lead', recordTypes: [recordType('Partner', { LeadSource: ['Web'] })] },
        { apiName: 'Contact', recordTypes: [] },
        { recordTypes: [] },
      ]),
    ).toEqual([
      { object: 'Lead', recordTypes: [{ name: 'Partner', values: { leadsource: ['Web'] } }] },
      { object: 'Contact', recordTypes: [] },
    ]);
    expect(recordTypePicklistFacts(undefined)).toBeUndefined();
  });

  it('reach the diagnosis only when read', () => {
    const snapshot = fixture('healthy');
    expect('recordTypePicklists' in evaluateAccess(snapshot)).toBe(false);
    snapshot.recordTypePicklists = [{ apiName: 'Lead', recordTypes: [] }];
    expect(evaluateAccess(snapshot).recordTypePicklists).toEqual([
      { object: 'Lead', recordTypes: [] },
    ]);
  });

  it('say which record types lack a value, none when the object has none, null when not read', () => {
    const read = recordTypePicklistFacts([
      {
        apiName: 'Lead',
        recordTypes: [
          recordType('Partner', { LeadSource: ['Web'] }),
          recordType('Direct', { LeadSource: SOURCES }),
          recordType('No Picklist Read', {}),
        ],
      },
      { apiName: 'Contact', recordTypes: [] },
    ]);
    expect(recordTypesLacking(read, 'lead', 'leadsource', ['Webinar'])).toEqual(['Partner']);
    expect(recordTypesLacking(read, 'Contact', 'LeadSource', ['Webinar'])).toEqual([]);
    expect(recordTypesLacking(read, 'Account', 'Type', ['Webinar'])).toBeNull();
    // None known to lack 'Web', but one record type's answer has no LeadSource (hidden from the
    // reader): not read, never "every active record type offers it".
    expect(recordTypesLacking(read, 'Lead', 'LeadSource', ['Web'])).toBeNull();
  });
});

describe("a picklist group's Now line with the record types read", () => {
  it('names the record types that still do not offer the value, and is not fixed', () => {
    expect(
      syncErrorNow(
        line,
        judged([
          { apiName: 'Contact', recordTypes: [] },
          {
            apiName: 'Lead',
            recordTypes: [
              recordType('Partner', { LeadSource: ['Web'] }),
              recordType('Reseller', { LeadSource: ['Web', 'Phone Inquiry'] }),
              recordType('Direct', { LeadSource: SOURCES }),
            ],
          },
        ]),
      ),
    ).toEqual({
      ok: false,
      text: "Now: Contact.LeadSource and Lead.LeadSource have 'Webinar' among their active values; Lead's record types Partner and Reseller do not offer 'Webinar' for LeadSource: add it to each in Setup > Object Manager > Lead > Record Types (LeadSource's values).",
    });
  });

  it('says every active record type offers it, so only a controlling field is left to blame', () => {
    expect(
      syncErrorNow(
        line,
        judged([
          { apiName: 'Contact', recordTypes: [] },
          { apiName: 'Lead', recordTypes: [recordType('Direct', { LeadSource: SOURCES })] },
        ]),
      ),
    ).toEqual({
      ok: true,
      text: "Now: Contact.LeadSource and Lead.LeadSource have 'Webinar' among their active values. Resync these records; every active record type offers it, so if they fail again, the picklist's controlling field does not allow it (its field dependencies).",
    });
  });

  it("keeps the old caveat where an object's record types were not read (the app)", () => {
    const partly = syncErrorNow(line, judged([{ apiName: 'Contact', recordTypes: [] }]));
    expect(partly?.ok).toBe(true);
    expect(partly?.text).toMatch(
      /if they fail again, the records' record type does not offer the value/,
    );
    expect(syncErrorNow(line, judged(undefined))?.text).toBe(partly?.text);
  });
});

describe('the record types asked for', () => {
  it("are the objects of each picklist group's fields, once each, and none for other groups", () => {
    const syncErrors = {
      receivedAt: '2026-12-03T09:30:00.000Z',
      rows: 3,
      groupsLeftOut: 0,
      groups: [
        picklistGroup('contact', 'LeadSource', 'Webinar'),
        picklistGroup('Lead', 'Industry', 'Robotics'),
        {
          reason: null,
          errorType: 'Duplicates',
          object: 'Account',
          field: null,
          count: 1,
          example: 'DUPLICATES_DETECTED',
        },
      ],
    };
    expect(syncErrorsRecordTypeObjects(syncErrors)).toEqual(['Contact', 'Lead']);
    expect(syncErrorsRecordTypeObjects(null)).toEqual([]);
  });

  it('are, given the describes, only those of restricted picklists that have the refused value now', () => {
    const syncErrors = {
      receivedAt: '2026-12-03T09:30:00.000Z',
      rows: 2,
      groupsLeftOut: 0,
      groups: [
        picklistGroup('contact', 'LeadSource', 'Webinar'),
        picklistGroup('Account', 'Industry', 'Robotics'),
      ],
    };
    const picklist = (values: string[], restricted = true) => ({
      exists: true,
      permissionable: true,
      calculated: false,
      type: 'picklist',
      picklistValues: values,
      restrictedPicklist: restricted,
    });
    // Contact's has Webinar now; Lead's still lacks it (the field settles it); Account's Industry
    // is not restricted (any value passes).
    expect(
      syncErrorsRecordTypeObjects(syncErrors, {
        'contact.leadsource': picklist(['Web', 'Webinar']),
        'Lead.LeadSource': picklist(['Web']),
        'Account.Industry': picklist(['Robotics'], false),
      }),
    ).toEqual(['Contact']);
    expect(syncErrorsRecordTypeObjects(syncErrors, {})).toEqual([]);
  });

  it("are, given the diagnosis' field results (the app's panel), the same fields, named whole", () => {
    const syncErrors = {
      receivedAt: '2026-12-03T09:30:00.000Z',
      rows: 3,
      groupsLeftOut: 0,
      groups: [
        picklistGroup('contact', 'LeadSource', 'Webinar', 2),
        picklistGroup('Contact', 'Interests__c', 'Golf;Tennis'),
      ],
    };
    const result = (
      name: string,
      values: string[],
      restricted = true,
      multi = false,
    ): FieldResult => ({
      name,
      required: ['read', 'edit'],
      effective: { read: true, edit: true },
      grantedBy: [],
      picklist: { restricted, values, ...(multi ? { multi: true as const } : {}) },
    });
    const results = [
      result('Contact.LeadSource', ['Web', 'Webinar']),
      result('Lead.LeadSource', ['Web', 'Webinar']),
      // A multi-select picklist's refused 'Golf;Tennis' is two values; it has both.
      result('Contact.Interests__c', ['Golf', 'Tennis'], true, true),
    ];
    expect(syncErrorsRecordTypeFields(syncErrors, results)).toEqual([
      'Contact.LeadSource',
      'Lead.LeadSource',
      'Contact.Interests__c',
    ]);
    expect(syncErrorsRecordTypeObjects(syncErrors, results)).toEqual(['Contact', 'Lead']);
    // Lead's lacks Webinar (the field settles it); Contact's is not restricted; the multi-select
    // lacks Tennis: nothing for the record types to settle.
    expect(
      syncErrorsRecordTypeFields(syncErrors, [
        result('Contact.LeadSource', ['Web', 'Webinar'], false),
        result('Lead.LeadSource', ['Web']),
        result('Contact.Interests__c', ['Golf'], true, true),
      ]),
    ).toEqual([]);
    // A field the diagnosis has no picklist facts for is not asked about.
    expect(syncErrorsRecordTypeFields(syncErrors, [])).toEqual([]);
  });
});

describe('the record types not read', () => {
  it('are said in one line, the reason in words, whatever punctuation it ends with', () => {
    expect(recordTypesNotReadLine('more than 20 active record types on Contact and Lead.')).toBe(
      'Record types not read: more than 20 active record types on Contact and Lead; the picklist groups do not say which record types offer the value.',
    );
    expect(recordTypesNotReadLine(recordTypeNotAnswered('Lead', 'Partner Lead'))).toBe(
      "Record types not read: Salesforce did not answer for Lead's record type Partner Lead; the picklist groups do not say which record types offer the value.",
    );
  });
});
