/** HubSpot's exported sync errors as the relay carries them into Salesforce, and what they decide. */
import { evaluateAccess } from '../src/diagnosis/evaluateAccess.js';
import { DEFAULT_REQUIREMENTS, mergeRequirements } from '../src/requirements/defaults.js';
import { checkSuspensionSteps } from '../src/relayed/suspensionSteps.js';
import {
  syncErrorFieldCandidates,
  syncErrorFieldChoices,
  syncErrorFieldName,
  syncErrorFieldNames,
  syncErrorFieldRequirements,
} from '../src/relayed/syncErrorFields.js';
import {
  SYNC_ERRORS_LIMITS,
  currentSyncErrors,
  parseSyncErrors,
  summarizeSyncErrors,
  syncErrorsJson,
  type RelayedSyncErrors,
  type SyncErrorReportLike,
} from '../src/relayed/syncErrors.js';
import { syncErrorRequirements } from '../src/relayed/syncErrorRequirements.js';
import type { Snapshot } from '../src/snapshot/types.js';
import { fixture } from './support.js';

const AT = '2026-12-01T09:30:00.000Z';

function finding(
  over: Partial<SyncErrorReportLike['findings'][number]> = {},
): SyncErrorReportLike['findings'][number] {
  const field = over.field === undefined ? 'Industry' : over.field;
  return {
    reason: 'FIELD_PERMISSIONS_MISSING',
    errorType: 'Salesforce field permission',
    object: 'Contact',
    field,
    count: 1,
    // Salesforce's own words, as HubSpot passes them on (none when the field is not a Salesforce name).
    example: null,
    ...over,
  };
}

describe('summarizeSyncErrors', () => {
  it('keeps the largest groups first, cut to the limits, and counts what it left out', () => {
    const findings = Array.from({ length: SYNC_ERRORS_LIMITS.groups + 7 }, (_, i) =>
      finding({ field: `Field_${i}__c`, count: i + 1 }),
    );
    const summary = summarizeSyncErrors({ rows: 123_456, findings }, AT);
    expect(summary.rows).toBe(123_456);
    expect(summary.receivedAt).toBe(AT);
    expect(summary.groups).toHaveLength(SYNC_ERRORS_LIMITS.groups);
    expect(summary.groups[0]!.count).toBe(SYNC_ERRORS_LIMITS.groups + 7);
    expect(summary.groups.at(-1)!.count).toBe(8);
    expect(summary.groupsLeftOut).toBe(7);
  });

  it('a relay that stopped grouping has left at least one group out', () => {
    const summary = summarizeSyncErrors(
      { rows: 3, findings: [finding()], truncatedGroups: true },
      AT,
    );
    expect(summary.groupsLeftOut).toBe(1);
  });

  it('cuts long texts on a code point and drops groups that are not groups', () => {
    const long = `${'é'.repeat(SYNC_ERRORS_LIMITS.text - 2)}😀😀😀`;
    const summary = summarizeSyncErrors(
      {
        rows: 2,
        findings: [
          finding({ example: long }),
          // No error type, a negative count: not a group.
          finding({ errorType: '' }),
          finding({ count: -1 }),
        ],
      },
      AT,
    );
    expect(summary.groups).toHaveLength(1);
    const example = summary.groups[0]!.example!;
    expect(Array.from(example)).toHaveLength(SYNC_ERRORS_LIMITS.text);
    expect(example.endsWith('…')).toBe(true);
    // No lone surrogate: Salesforce refuses one.
    expect(example).not.toMatch(
      /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/,
    );
  });
});

describe('which groups are kept', () => {
  it('keeps the permission groups first, and counts the field-permission groups left out', () => {
    const picklists = Array.from({ length: SYNC_ERRORS_LIMITS.groups }, (_, i) =>
      finding({ reason: null, errorType: `Picklist ${i}`, count: 1000 }),
    );
    const fields = Array.from({ length: 3 }, (_, i) => finding({ field: `F${i}__c`, count: 1 }));
    const summary = summarizeSyncErrors({ rows: 50_003, findings: [...picklists, ...fields] }, AT);
    // The three small field-permission groups are kept ahead of the 50 large picklist groups.
    expect(summary.groups.slice(0, 3).map((g) => g.field)).toEqual(['F0__c', 'F1__c', 'F2__c']);
    expect(summary.groupsLeftOut).toBe(3);
    expect(summary.fieldGroupsLeftOut).toBe(0);

    const many = Array.from({ length: SYNC_ERRORS_LIMITS.groups + 2 }, (_, i) =>
      finding({ field: `F${i}__c`, count: 1 }),
    );
    const over = summarizeSyncErrors({ rows: 52, findings: many }, AT);
    expect(over.fieldGroupsLeftOut).toBe(2);
    expect(parseSyncErrors(syncErrorsJson(over))!.fieldGroupsLeftOut).toBe(2);
    // A relay that stopped grouping may have left a field out.
    expect(
      summarizeSyncErrors({ rows: 1, findings: [finding()], truncatedGroups: true }, AT)
        .fieldGroupsLeftOut,
    ).toBe(1);
  });
});

describe('currentSyncErrors', () => {
  const summary = summarizeSyncErrors({ rows: 1, findings: [finding()] }, AT);
  it('speak for a current suspension, and for an export received after the clearing', () => {
    expect(currentSyncErrors({ state: 'suspended', syncErrors: summary })).toEqual(summary);
    expect(
      currentSyncErrors({
        state: 'cleared',
        clearedAt: '2026-12-01T09:00:00.000+0000',
        syncErrors: summary,
      }),
    ).toEqual(summary);
  });
  it('an export from before the clearing asks nothing to be checked', () => {
    expect(
      currentSyncErrors({
        state: 'cleared',
        clearedAt: '2026-12-01T10:00:00.000+0000',
        syncErrors: summary,
      }),
    ).toBeNull();
    expect(currentSyncErrors(null)).toBeNull();
  });
});

describe('syncErrorsJson and parseSyncErrors', () => {
  it('round-trip a summary', () => {
    const summary = summarizeSyncErrors(
      {
        rows: 5,
        findings: [
          finding({ count: 3 }),
          finding({ reason: null, errorType: 'Picklist', count: 2 }),
        ],
      },
      AT,
    );
    const json = syncErrorsJson(summary)!;
    expect(parseSyncErrors(json)).toEqual(summary);
    // As the Apex hands it on: already parsed.
    expect(parseSyncErrors(JSON.parse(json))).toEqual(summary);
  });

  it('fits the long text area by leaving out the smallest groups, and counts them', () => {
    const findings = Array.from({ length: SYNC_ERRORS_LIMITS.groups }, (_, i) =>
      // Every text at its longest: 50 such groups are about 55,000 characters of JSON.
      finding({
        errorType: `${i} ${'t'.repeat(2000)}`,
        object: `${i} ${'o'.repeat(2000)}`,
        field: `${i} ${'f'.repeat(2000)}`,
        count: 1000 - i,
        example: 'x'.repeat(2000),
      }),
    );
    const summary = summarizeSyncErrors({ rows: 50_000, findings }, AT);
    const json = syncErrorsJson(summary)!;
    expect(json.length).toBeLessThanOrEqual(SYNC_ERRORS_LIMITS.json);
    const parsed = parseSyncErrors(json)!;
    expect(parsed.groups.length).toBeLessThan(SYNC_ERRORS_LIMITS.groups);
    expect(parsed.groups.length + parsed.groupsLeftOut).toBe(SYNC_ERRORS_LIMITS.groups);
    // The largest groups are the ones kept.
    expect(parsed.groups[0]!.count).toBe(1000);
    expect(parsed.rows).toBe(50_000);
  });

  it('no summary clears the field', () => {
    expect(syncErrorsJson(null)).toBeNull();
    expect(syncErrorsJson(undefined)).toBeNull();
  });

  it.each([
    ['nothing', null],
    ['an empty field', ''],
    ['not JSON', '{"receivedAt":'],
    ['an array', '[]'],
    ['no date', JSON.stringify({ rows: 1, groups: [] })],
    ['a date that is none', JSON.stringify({ receivedAt: 'yesterday', rows: 1, groups: [] })],
    ['no groups', JSON.stringify({ receivedAt: AT, rows: 1 })],
    ['rows not a count', JSON.stringify({ receivedAt: AT, rows: '1', groups: [] })],
  ])('%s reads as no sync errors', (_label, value) => {
    expect(parseSyncErrors(value)).toBeNull();
  });

  it('keeps the groups it can read, and no unknown reason code', () => {
    const parsed = parseSyncErrors({
      receivedAt: AT,
      rows: 4,
      groups: [
        {
          reason: 'NOT_A_REASON',
          errorType: 'Odd',
          object: null,
          field: null,
          count: 1,
          example: null,
        },
        { reason: 'FIELD_PERMISSIONS_MISSING', errorType: 'x', count: 'many' },
        'junk',
      ],
      groupsLeftOut: 2,
    })!;
    expect(parsed.groups).toEqual([
      { reason: null, errorType: 'Odd', object: null, field: null, count: 1, example: null },
    ]);
    expect(parsed.groupsLeftOut).toBe(2);
  });
});

describe('the fields HubSpot failed on', () => {
  it.each([
    [{ object: 'Contact', field: 'Industry' }, 'Contact.Industry'],
    [{ object: null, field: 'Lead.Rating' }, 'Lead.Rating'],
    [{ object: 'contact', field: 'Score__c' }, 'Contact.Score__c'],
    [{ object: 'companies', field: 'Industry' }, 'Account.Industry'],
    [{ object: 'Deal', field: 'Amount' }, 'Opportunity.Amount'],
    [{ object: 'virksomhed', field: 'Website' }, 'Account.Website'],
    [{ object: 'Invoice__c', field: 'ns__Total__c' }, 'Invoice__c.ns__Total__c'],
    // HubSpot's internal property names and labels name no Salesforce field.
    [{ object: 'Contact', field: 'hs_lead_score' }, null],
    [{ object: 'Contact', field: 'firstname' }, null],
    [{ object: 'Contact', field: 'Date of birth' }, null],
    [{ object: 'Contact', field: 'Bad__' }, null],
    [{ object: 'Contact', field: 'Two__Underscores__Too__Many__c' }, null],
    [{ object: null, field: 'Industry' }, null],
    [{ object: 'Contact', field: null }, null],
    [{ object: 'Contact', field: 'Fødselsdato__c' }, null],
  ])('%j is %s', (group, name) => {
    expect(syncErrorFieldName(group)).toBe(name);
  });

  // Salesforce's messages name fields by API name, whatever the export's field column holds.
  it.each([
    [
      'INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create/update fields: Score__c. Please check the security settings of this field and verify that it is read/write for your profile or permission set.',
      'Contact',
      [['Contact.Score__c', 'Lead.Score__c']],
    ],
    [
      'Unable to create/update fields: LastModifiedDate, IsDeleted, ns__Score__c. Please check the security settings of this field',
      'Company',
      [['Account.LastModifiedDate'], ['Account.IsDeleted'], ['Account.ns__Score__c']],
    ],
    [
      'INVALID_FIELD_FOR_INSERT_UPDATE, Unable to create/update fields: Name. Please check the security settings of this field and verify that it is read/write for your profile or permission set.: [Name]',
      'Deal',
      [['Opportunity.Name']],
    ],
    [
      "INVALID_FIELD: No such column 'Score__c' on entity 'Lead'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.",
      'Contact',
      [['Lead.Score__c']],
    ],
    [
      "No such column 'AccountSource' on sobject of type Account",
      null,
      [['Account.AccountSource']],
    ],
    ['insufficient access rights on cross-reference id: 0015g00000XXXXX', 'Contact', []],
    // An example cut short: its last name may be cut too.
    [
      'Unable to create/update fields: Industry, Rating, Sco…',
      'Lead',
      [['Lead.Industry'], ['Lead.Rating']],
    ],
  ])('%s on %s names %j', (example, object, names) => {
    expect(syncErrorFieldCandidates({ object, field: 'hs_lead_score', example })).toEqual(names);
  });

  it('only field-permission groups name a field to require, each once', () => {
    const summary: RelayedSyncErrors = summarizeSyncErrors(
      {
        rows: 9,
        findings: [
          finding({ count: 4 }),
          finding({ object: 'contacts', field: 'Industry', count: 1 }),
          finding({ object: 'Lead', field: 'Rating', count: 2 }),
          finding({ reason: null, errorType: 'Picklist', field: 'LeadSource', count: 2 }),
        ],
      },
      AT,
    );
    expect(syncErrorFieldChoices(summary)).toEqual([
      ['Contact.Industry', 'Lead.Industry'],
      ['Lead.Rating'],
    ]);
    expect(syncErrorFieldNames(summary)).toEqual([
      'Contact.Industry',
      'Lead.Industry',
      'Lead.Rating',
    ]);
    // A HubSpot contact's field, on Contact or Lead: only the one the org has is judged. A name
    // from the field column may be a HubSpot label that looks like a field: only if it exists.
    expect(syncErrorFieldRequirements(summary)).toEqual([
      { name: 'Contact.Industry', access: ['read', 'edit'], ifExists: true },
      { name: 'Lead.Industry', access: ['read', 'edit'], ifExists: true },
      { name: 'Lead.Rating', access: ['read', 'edit'], ifExists: true },
    ]);
    expect(syncErrorFieldNames(null)).toEqual([]);
  });

  it("a field Salesforce's own message names on one object is required outright", () => {
    const summary = summarizeSyncErrors(
      {
        rows: 3,
        findings: [
          finding({
            object: 'Company',
            field: 'Region',
            example:
              'INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create/update fields: Region__c. Please check the security settings of this field',
          }),
          // A capitalised HubSpot label in the field column, no Salesforce message: only if it exists.
          finding({ object: 'Company', field: 'Territory', example: 'Could not sync' }),
        ],
      },
      AT,
    );
    expect(syncErrorFieldRequirements(summary)).toEqual([
      { name: 'Account.Region__c', access: ['read', 'edit'] },
      { name: 'Account.Territory', access: ['read', 'edit'], ifExists: true },
    ]);
  });

  it("a field named alone elsewhere is not listed again among a contact field's candidates", () => {
    const summary = summarizeSyncErrors(
      {
        rows: 2,
        findings: [
          finding({ object: 'Contact', field: 'Fax', count: 2 }),
          finding({
            object: 'Contact',
            field: null,
            example: "INVALID_FIELD: No such column 'Fax' on entity 'Lead'.",
          }),
        ],
      },
      AT,
    );
    expect(syncErrorFieldChoices(summary)).toEqual([['Contact.Fax'], ['Lead.Fax']]);
    expect(syncErrorFieldRequirements(summary)).toEqual([
      { name: 'Contact.Fax', access: ['read', 'edit'], ifExists: true },
      { name: 'Lead.Fax', access: ['read', 'edit'] },
    ]);
  });

  it('a field required outright stays required when the sync errors name it only if it exists', () => {
    const merged = mergeRequirements(DEFAULT_REQUIREMENTS, {
      fields: [{ name: 'contact.email', access: ['read', 'edit'], ifExists: true }],
    });
    const email = merged.fields.find((f) => f.name.toLowerCase() === 'contact.email')!;
    expect(email.ifExists).toBeUndefined();
    const both = mergeRequirements(
      { ...DEFAULT_REQUIREMENTS, fields: [] },
      {
        fields: [
          { name: 'Lead.X__c', access: ['read'], ifExists: true },
          { name: 'Lead.X__c', access: ['edit'], ifExists: true },
        ],
      },
    );
    expect(both.fields).toEqual([{ name: 'Lead.X__c', access: ['read', 'edit'], ifExists: true }]);
  });
});

describe('everything the sync errors ask to be checked', () => {
  it('adds the objects of object-permission errors that are Salesforce objects, and the fields', () => {
    const summary = summarizeSyncErrors(
      {
        rows: 6,
        findings: [
          finding({ count: 2 }),
          finding({
            reason: 'OBJECT_PERMISSIONS_MISSING',
            errorType: 'Insufficient access',
            object: 'Invoice__c',
            field: null,
          }),
          finding({
            reason: 'OBJECT_PERMISSIONS_MISSING',
            errorType: 'Insufficient access',
            object: 'deals',
            field: null,
          }),
          // A HubSpot custom object's label is no Salesforce object.
          finding({
            reason: 'OBJECT_PERMISSIONS_MISSING',
            errorType: 'Insufficient access',
            object: 'Invoices',
            field: null,
          }),
          finding({ reason: null, errorType: 'Picklist', object: 'Other__c', field: null }),
        ],
      },
      AT,
    );
    const required = syncErrorRequirements(summary);
    expect(required.objects).toEqual([
      { name: 'Invoice__c', access: ['read', 'edit'] },
      { name: 'Opportunity', access: ['read', 'edit'] },
    ]);
    expect(required.fields).toEqual(syncErrorFieldRequirements(summary));
    expect(syncErrorRequirements(null)).toEqual({ objects: [], fields: [] });
  });
});

describe("a field-permission suspension and HubSpot's sync errors", () => {
  /** The healthy org, every optional part read, with a custom Contact field HubSpot maps. */
  function healthyWithScore(editable: boolean): Snapshot {
    const s = fixture('healthy');
    s.user!.IsFrozen = false;
    s.logins = [];
    s.connectedApps = { apps: [], access: [] };
    const fields = s.fields as Record<string, unknown>;
    fields['Contact.Score__c'] = { ...(fields['Contact.Email'] as object), type: 'double' };
    const fieldPermissions = (s as unknown as { fieldPermissions: Record<string, unknown>[] })
      .fieldPermissions;
    const email = fieldPermissions.find((p) => p.Field === 'Contact.Email')!;
    fieldPermissions.push({ ...email, Field: 'Contact.Score__c', PermissionsEdit: editable });
    return s;
  }

  const syncErrors = summarizeSyncErrors(
    { rows: 312, findings: [finding({ field: 'Score__c', count: 312 })] },
    AT,
  );
  const status = { title: 'Missing field permissions', excerpt: null, syncErrors };

  it('a field named only in the sync errors, not checked: step 1 decides it in HubSpot', () => {
    const d = evaluateAccess(healthyWithScore(true));
    const check = checkSuspensionSteps('FIELD_PERMISSIONS_MISSING', d, { status });
    expect(check.steps[0]!.status).toBe('unknown');
    expect(check.agreement).toBe('check-in-hubspot');
  });

  it('with the fields the sync errors name required: fixed once they pass, confirmed while one fails', () => {
    const requirements = mergeRequirements(DEFAULT_REQUIREMENTS, {
      fields: syncErrorFieldRequirements(syncErrors),
    });
    const fixed = checkSuspensionSteps(
      'FIELD_PERMISSIONS_MISSING',
      evaluateAccess(healthyWithScore(true), requirements),
      { status },
    );
    // Lead.Score__c, the other place a HubSpot contact's field could be, is not in this org: no finding.
    const fixedDiagnosis = evaluateAccess(healthyWithScore(true), requirements);
    expect(fixedDiagnosis.fields.map((f) => f.name)).not.toContain('Lead.Score__c');
    expect(fixedDiagnosis.findings.filter((f) => f.subject === 'Lead.Score__c')).toEqual([]);
    expect(fixed.steps[0]!.status).toBe('done');
    expect(fixed.steps[0]!.evidence).toContain('Contact.Score__c');
    expect(fixed.agreement).toBe('fixed-since');

    const failing = checkSuspensionSteps(
      'FIELD_PERMISSIONS_MISSING',
      evaluateAccess(healthyWithScore(false), requirements),
      { status },
    );
    expect(failing.agreement).toBe('confirmed');
    expect(failing.steps[1]!.status).toBe('todo');
    expect(failing.steps[1]!.evidence).toContain('Contact.Score__c');
  });

  it('a field the sync errors name that the org has on neither object: not fixed, and said so', () => {
    const gone = summarizeSyncErrors(
      { rows: 20, findings: [finding({ field: 'Hub_Gone__c', count: 20 })] },
      AT,
    );
    const requirements = mergeRequirements(DEFAULT_REQUIREMENTS, syncErrorRequirements(gone));
    const check = checkSuspensionSteps(
      'FIELD_PERMISSIONS_MISSING',
      evaluateAccess(healthyWithScore(true), requirements),
      { status: { ...status, syncErrors: gone } },
    );
    expect(check.steps[0]!.status).toBe('unknown');
    expect(check.steps[0]!.evidence).toContain(
      "HubSpot's sync errors name Contact.Hub_Gone__c or Lead.Hub_Gone__c, which Sync Doctor did not find in this org",
    );
    expect(check.agreement).toBe('check-in-hubspot');
  });

  it('field-permission groups the relay could not carry: never read fixed', () => {
    const requirements = mergeRequirements(DEFAULT_REQUIREMENTS, syncErrorRequirements(syncErrors));
    const check = checkSuspensionSteps(
      'FIELD_PERMISSIONS_MISSING',
      evaluateAccess(healthyWithScore(true), requirements),
      { status: { ...status, syncErrors: { ...syncErrors, fieldGroupsLeftOut: 2 } } },
    );
    expect(check.steps[0]!.status).toBe('unknown');
    expect(check.steps[0]!.evidence).toContain('2 field-permission groups left out');
    expect(check.agreement).toBe('check-in-hubspot');
  });

  it("a label in the export's field column that the org has no field for does not hold the cause open", () => {
    const labelled = summarizeSyncErrors(
      { rows: 5, findings: [finding({ object: 'Company', field: 'Region', count: 5 })] },
      AT,
    );
    const requirements = mergeRequirements(DEFAULT_REQUIREMENTS, syncErrorRequirements(labelled));
    const diagnosis = evaluateAccess(healthyWithScore(true), requirements);
    // Checked only if it exists: no "deleted field" finding for a label.
    expect(diagnosis.findings.filter((f) => f.subject === 'Account.Region')).toEqual([]);
    // Nor is it a field "not found in this org" holding the cause open.
    const check = checkSuspensionSteps('FIELD_PERMISSIONS_MISSING', diagnosis, {
      status: { ...status, syncErrors: labelled },
    });
    expect(check.steps[0]!.evidence).not.toContain('did not find');
  });
});
