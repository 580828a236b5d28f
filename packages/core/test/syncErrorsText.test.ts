/** syncErrorsView: the sync errors beside the relayed suspension, the same in the app, CLI and report. */
import { summarizeSyncErrors, syncErrorsJson } from '../src/relayed/syncErrors.js';
import { syncErrorsOutline, syncErrorsView } from '../src/relayed/syncErrorsText.js';

const AT = '2026-12-01T09:30:00.000Z';

const syncErrors = summarizeSyncErrors(
  {
    rows: 1204,
    findings: [
      {
        reason: 'FIELD_PERMISSIONS_MISSING',
        errorType: 'Salesforce field permission',
        object: 'Contact',
        field: 'Score__c',
        count: 312,
        example: null,
      },
      {
        reason: 'OBJECT_PERMISSIONS_MISSING',
        errorType: 'Insufficient access',
        object: 'Opportunity',
        field: null,
        count: 890,
        example: null,
      },
      {
        reason: null,
        errorType: 'Picklist',
        object: 'Lead',
        field: 'Label with spaces',
        count: 1,
        example: null,
      },
      {
        reason: 'FIELD_PERMISSIONS_MISSING',
        errorType: 'Salesforce field permission',
        object: 'deal',
        field: 'Amount',
        count: 1,
        example: null,
      },
    ],
  },
  AT,
);

describe('syncErrorsView', () => {
  it('lists the groups, largest first, naming the Salesforce field and the reason', () => {
    const view = syncErrorsView({
      syncErrors,
      state: 'suspended',
      since: '2026-12-01T08:00:00.000Z',
    })!;
    expect(view.heading).toBe(
      "HubSpot's exported sync errors (received 2026-12-01 09:30 UTC): 1,204 rows",
    );
    expect(view.lines.map((l) => l.text)).toEqual([
      'Opportunity: Insufficient access, 890 rows (Salesforce object permissions missing)',
      'Contact.Score__c: Salesforce field permission, 312 rows (Salesforce field permissions missing)',
      // Permission groups first, however small: they name what to check.
      'Opportunity.Amount: Salesforce field permission, 1 row (Salesforce field permissions missing)',
      'Lead (Label with spaces): Picklist, 1 row',
    ]);
    expect(view.lines.map((l) => l.field)).toEqual([
      null,
      'Contact.Score__c',
      'Opportunity.Amount',
      null,
    ]);
    // A HubSpot contact's field: on Contact or Lead, whichever the org has.
    expect(view.lines[1]!.fields).toEqual(['Contact.Score__c', 'Lead.Score__c']);
    expect(view.lines[0]!.fields).toEqual([]);
    // An object-permission group names its object, for the object matrix's row.
    expect(view.lines.map((l) => l.objects)).toEqual([['Opportunity'], [], [], []]);
    expect(view.lines[2]!.subject).toBe('Opportunity.Amount');
    // Each line says what kind of error it is and what to do: "insufficient access" is most often
    // a record or a value, not the object permission (HubSpot's own article).
    expect(view.lines.map((l) => l.kind)).toEqual([
      'record-access',
      'field-permission',
      'field-permission',
      'picklist',
    ]);
    expect(view.lines[3]!.label).toBe('Picklist value');
    expect(view.lines[0]!.advice).toMatch(
      /^Check that the integration user can read and edit Opportunity\./,
    );
    expect(view.lines[1]!.advice).toBe(
      'Give the integration user read and edit access to Contact.Score__c or Lead.Score__c (field-level security). A formula, roll-up or auto-number field is never writable: sync it into HubSpot only.',
    );
    expect(view.resync).toBe(
      "Once a group is fixed, select its errors in HubSpot's Sync Health tab and click Resync.",
    );
    expect(view.stale).toBeNull();
    expect(view.more).toBeNull();
    expect(view.checks).toBe(
      "Sync Doctor checks the fields Contact.Score__c (and Lead.Score__c) and Opportunity.Amount because HubSpot failed to write them (a HubSpot contact's field on Contact and on Lead, where the org has it).",
    );
  });

  it('reads the JSON text the Apex hands on, and caps the lines it lists', () => {
    const view = syncErrorsView({ syncErrors: syncErrorsJson(syncErrors) }, { lines: 1 })!;
    expect(view.lines).toHaveLength(1);
    expect(view.more).toBe('and 3 smaller groups');
    // The same advice is given once, under the first line it is for.
    const twice = syncErrorsView({
      syncErrors: {
        receivedAt: AT,
        rows: 2,
        groupsLeftOut: 0,
        groups: ['Webinar', 'Event'].map((value) => ({
          reason: null,
          errorType: 'Picklist value not found',
          object: 'Lead',
          field: 'LeadSource',
          count: 1,
          example: `bad value for restricted picklist field: ${value}`,
        })),
      },
    })!;
    expect(twice.lines.map((l) => l.kind)).toEqual(['picklist', 'picklist']);
    expect(twice.lines[0]!.advice).toMatch(/^HubSpot sent a value the Salesforce picklist/);
    expect(twice.lines[1]!.advice).toBeNull();
    // No group listed, nothing to resync.
    expect(syncErrorsView({ syncErrors }, { lines: 0 })!.resync).toBeNull();
  });

  it('counts the groups the relay left out as smaller ones', () => {
    const view = syncErrorsView({ syncErrors: { ...syncErrors, groupsLeftOut: 1 } }, { lines: 4 })!;
    expect(view.more).toBe('and 1 smaller group');
  });

  it('an export older than the current suspension is said to be', () => {
    const status = { syncErrors, state: 'suspended' as const, since: '2026-12-02T07:00:00.000Z' };
    expect(syncErrorsView(status)!.stale).toBe(
      'Exported before this suspension began (2026-12-02 07:00 UTC): it may not show what suspended the sync. Export the errors again from Sync Health and send them to the relay.',
    );
    // A cleared suspension has no current cause to miss.
    expect(syncErrorsView({ ...status, state: 'cleared' })!.stale).toBeNull();
  });

  it('an export from before the clearing is said to be, and asks for no check', () => {
    const view = syncErrorsView({
      syncErrors,
      state: 'cleared',
      since: '2026-12-01T08:00:00.000Z',
      clearedAt: '2026-12-01T10:00:00.000Z',
    })!;
    expect(view.stale).toBe(
      'Exported before the suspension was cleared (2026-12-01 10:00 UTC): it shows a cause HubSpot no longer reports, and Sync Doctor checks nothing it names.',
    );
    expect(view.checks).toBeNull();
    expect(view.lines).toHaveLength(4);
  });

  it('names at most ten fields in the checks line', () => {
    const many = summarizeSyncErrors(
      {
        rows: 12,
        findings: Array.from({ length: 12 }, (_, i) => ({
          reason: 'FIELD_PERMISSIONS_MISSING' as const,
          errorType: 'Salesforce field permission',
          object: 'Account',
          field: `F${i}__c`,
          count: 1,
          example: null,
        })),
      },
      AT,
    );
    expect(syncErrorsView({ syncErrors: many, state: 'suspended' })!.checks).toMatch(
      /F9__c and 2 more because HubSpot failed to write them\.$/,
    );
  });

  it('a message naming several fields names them all', () => {
    const several = summarizeSyncErrors(
      {
        rows: 1,
        findings: [
          {
            reason: 'FIELD_PERMISSIONS_MISSING',
            errorType: 'Salesforce field permission',
            object: 'Lead',
            field: null,
            count: 1,
            example:
              'Unable to create/update fields: Industry, Rating. Please check the security settings',
          },
        ],
      },
      AT,
    );
    expect(syncErrorsView({ syncErrors: several })!.lines[0]!.text).toMatch(
      /^Lead\.Industry, Lead\.Rating: /,
    );
  });

  it('counts records, not rows, when the export has an affected-records column', () => {
    const weighed = summarizeSyncErrors(
      {
        rows: 2,
        records: 1500,
        findings: [
          {
            reason: 'FIELD_PERMISSIONS_MISSING',
            errorType: 'Salesforce field permission',
            object: 'Account',
            field: 'Score__c',
            count: 1204,
            example: null,
          },
        ],
      },
      AT,
    );
    const view = syncErrorsView({ syncErrors: syncErrorsJson(weighed) })!;
    expect(view.heading).toMatch(/: 2 rows \(1,500 records\)$/);
    expect(view.lines[0]!.text).toBe(
      'Account.Score__c: Salesforce field permission, 1,204 records (Salesforce field permissions missing)',
    );
  });

  it("a group's own field comes first when the message names several, and a cut message falls back on it", () => {
    const group = (field: string, example: string) =>
      summarizeSyncErrors(
        {
          rows: 1,
          findings: [
            {
              reason: 'FIELD_PERMISSIONS_MISSING' as const,
              errorType: 'Salesforce field permission',
              object: 'Lead',
              field,
              count: 1,
              example,
            },
          ],
        },
        AT,
      );
    const both =
      'Unable to create/update fields: Score__c, Industry. Please check the security settings';
    expect(syncErrorsView({ syncErrors: group('Industry', both) })!.lines[0]!.text).toMatch(
      /^Lead\.Industry, Lead\.Score__c: /,
    );
    const cut = 'Unable to create/update fields: Score__c, Rat…';
    expect(syncErrorsView({ syncErrors: group('Rating__c', cut) })!.lines[0]!.text).toMatch(
      /^Lead\.Score__c, Lead\.Rating__c: /,
    );
    // A label in the field column beside a whole message naming the field: not a field of its own.
    expect(
      syncErrorsView({
        syncErrors: group('Region', 'Unable to create/update fields: Region__c. Please check'),
      })!.lines[0]!.text,
    ).toMatch(/^Lead\.Region__c: /);
  });

  it('none, or a damaged field, is no view', () => {
    expect(syncErrorsView(null)).toBeNull();
    expect(syncErrorsView({ syncErrors: null })).toBeNull();
    expect(syncErrorsView({ syncErrors: '{damaged' })).toBeNull();
  });
});

describe('syncErrorsOutline', () => {
  it('says the view in one order: heading, groups with advice and now, smaller groups, checks, resync', () => {
    const view = syncErrorsView(
      { syncErrors, state: 'suspended', since: '2026-12-01T10:00:00.000Z' },
      {
        lines: 2,
        diagnosis: {
          objects: [],
          findings: [],
          fields: [
            {
              name: 'Contact.Score__c',
              required: ['read', 'edit'],
              effective: { read: true, edit: false },
              grantedBy: [],
            },
          ],
        },
      },
    )!;
    const outline = syncErrorsOutline(view);
    expect(outline.map((l) => `${l.depth}:${l.part}`)).toEqual([
      '0:heading',
      '0:stale',
      '1:group',
      '2:advice',
      '1:group',
      '2:advice',
      '2:now',
      '1:more',
      '0:checks',
      '0:resync',
    ]);
    const advice = outline.find((l) => l.part === 'advice')!;
    expect(advice).toMatchObject({ label: view.lines[0]!.label, text: view.lines[0]!.advice });
    expect(outline.find((l) => l.part === 'now')).toMatchObject({
      ok: false,
      text: 'Now: the integration user still lacks edit on Contact.Score__c.',
    });
  });
});
