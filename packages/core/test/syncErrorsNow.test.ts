/** syncErrorNow: what the diagnosis says today of the fields and objects a sync-error group names. */
import type { FieldResult, Finding, ObjectResult } from '../src/diagnosis/types.js';
import { RULES } from '../src/diagnosis/rules.js';
import { syncErrorNow } from '../src/relayed/syncErrorsNow.js';
import { syncErrorsView } from '../src/relayed/syncErrorsText.js';

const field = (name: string, read: boolean, edit: boolean, exists = true): FieldResult => ({
  name,
  required: ['read', 'edit'],
  effective: { read, edit },
  grantedBy: [],
  exists,
});

const object = (name: string, read: boolean, edit: boolean): ObjectResult => ({
  name,
  required: ['read', 'edit'],
  effective: { read, edit, create: edit, delete: false, viewAll: false, modifyAll: false },
  grantedBy: [],
});

const privateDefault: Finding = {
  reason: 'OBJECT_PERMISSIONS_MISSING',
  severity: 'warning',
  subject: 'Opportunity',
  rule: RULES.orgWideDefault,
  message:
    'The org-wide default for Opportunity is Private and HubSpot has no View All on it: records it neither owns nor has shared with it are invisible to the sync.',
  remedy: 'Share them.',
} as Finding;

describe('syncErrorNow', () => {
  const fieldLine = {
    kind: 'field-permission' as const,
    fields: ['Contact.Score__c', 'Lead.Score__c'],
    objects: [],
  };

  it('a field fixed since the export needs only a resync; the candidate the org lacks is not judged', () => {
    const now = syncErrorNow(fieldLine, {
      fields: [field('Contact.Score__c', true, true), field('Lead.Score__c', false, false, false)],
      objects: [],
      findings: [],
    });
    expect(now).toEqual({
      ok: true,
      text: 'Now: the integration user can read and edit Contact.Score__c; resync these records.',
    });
  });

  it('names what a field still lacks, whatever the spelling', () => {
    const now = syncErrorNow(fieldLine, {
      fields: [field('contact.score__c', true, false), field('Lead.Score__c', false, false)],
      objects: [],
      findings: [],
    });
    expect(now).toEqual({
      ok: false,
      text: 'Now: the integration user still lacks edit on contact.score__c and read and edit on Lead.Score__c.',
    });
  });

  it("names the fields in the export's order, not the diagnosis's", () => {
    const now = syncErrorNow(fieldLine, {
      fields: [field('Lead.Score__c', true, true), field('Contact.Score__c', true, true)],
      objects: [],
      findings: [],
    });
    expect(now!.text).toBe(
      'Now: the integration user can read and edit Contact.Score__c and Lead.Score__c; resync these records.',
    );
  });

  it('a record-access group placed by no reason (a converted lead) still reads its object now', () => {
    const status = {
      syncErrors: {
        receivedAt: '2026-12-01T09:30:00.000Z',
        rows: 1,
        groupsLeftOut: 0,
        groups: [
          {
            reason: null,
            errorType: 'Error',
            object: 'Lead',
            field: null,
            count: 1,
            example: 'CANNOT_UPDATE_CONVERTED_LEAD: cannot reference converted lead',
          },
        ],
      },
    };
    const diagnosis = { fields: [], objects: [object('Lead', true, true)], findings: [] };
    const [line] = syncErrorsView(status, { diagnosis })!.lines;
    expect(line!.kind).toBe('record-access');
    expect(line!.objects).toEqual(['Lead']);
    expect(line!.now!.text).toMatch(
      /^Now: read and edit on Lead are there and no sharing limit shows/,
    );
  });

  it('a field the org does not have is said to be gone, not to need a permission', () => {
    const now = syncErrorNow(
      { kind: 'field-permission', fields: ['Lead.Industry__c'], objects: [] },
      { fields: [field('Lead.Industry__c', false, false, false)], objects: [], findings: [] },
    );
    expect(now).toEqual({
      ok: false,
      text: "Now: Lead.Industry__c is not in this org: restore it or change HubSpot's field mapping; no permission fixes that.",
    });
  });

  it('says nothing of a field the diagnosis has not read', () => {
    expect(syncErrorNow(fieldLine, { fields: [], objects: [], findings: [] })).toBeNull();
  });

  it('record access with the rights in place: sharing, when the org-wide default hides records', () => {
    const line = { kind: 'record-access' as const, fields: [], objects: ['Opportunity'] };
    const withRights = { fields: [], objects: [object('Opportunity', true, true)] };
    expect(syncErrorNow(line, { ...withRights, findings: [privateDefault] })).toEqual({
      ok: false,
      text: `Now: read and edit on Opportunity are there. ${privateDefault.message}`,
    });
    // No sharing limit: the records themselves.
    const now = syncErrorNow(line, { ...withRights, findings: [] })!;
    expect(now.ok).toBe(true);
    expect(now.text).toMatch(
      /^Now: read and edit on Opportunity are there and no sharing limit shows, so look at the records/,
    );
    // Rights missing come first.
    expect(
      syncErrorNow(line, {
        fields: [],
        objects: [object('Opportunity', true, false)],
        findings: [privateDefault],
      }),
    ).toEqual({ ok: false, text: 'Now: the integration user still lacks edit on Opportunity.' });
  });

  it('an object-permission group with the rights in place needs a resync; other kinds say nothing', () => {
    const diagnosis = { fields: [], objects: [object('Opportunity', true, true)], findings: [] };
    expect(
      syncErrorNow({ kind: 'object-permission', fields: [], objects: ['Opportunity'] }, diagnosis),
    ).toEqual({
      ok: true,
      text: 'Now: read and edit on Opportunity are there; resync these records.',
    });
    expect(
      syncErrorNow({ kind: 'custom-code', fields: [], objects: ['Opportunity'] }, diagnosis),
    ).toBeNull();
  });

  it('the view carries it per line only when given a diagnosis', () => {
    const status = {
      syncErrors: {
        receivedAt: '2026-12-01T09:30:00.000Z',
        rows: 3,
        groupsLeftOut: 0,
        groups: [
          {
            reason: 'FIELD_PERMISSIONS_MISSING' as const,
            errorType: 'Salesforce field permission',
            object: 'Contact',
            field: 'Score__c',
            count: 2,
            example: null,
          },
          {
            reason: null,
            errorType: 'Picklist value not found',
            object: 'Lead',
            field: 'LeadSource',
            count: 1,
            example: null,
          },
        ],
      },
    };
    expect(syncErrorsView(status)!.lines.map((l) => l.now)).toEqual([null, null]);
    const diagnosis = {
      fields: [field('Contact.Score__c', true, false)],
      objects: [],
      findings: [],
    };
    expect(syncErrorsView(status, { diagnosis })!.lines.map((l) => l.now)).toEqual([
      { ok: false, text: 'Now: the integration user still lacks edit on Contact.Score__c.' },
      null,
    ]);
  });
});
