/**
 * A picklist value Salesforce refused, in HubSpot's exported sync errors (Sync_Errors__c), through
 * the CLI against the simulator: the picklist's active values are read with its describe, and the
 * group's "Now:" says whether the refused value is there yet, in the text and in --json.
 */
import type { RelayedStatus, RelayedSyncErrors } from '@sync-doctor/core';
import { startOrgSimulator, type OrgSimulator } from '@sync-doctor/org-simulator';
import { connect } from '@sync-doctor/salesforce';
import { checkArgs, cli } from './cliProcess.js';
import { relayedStatus } from './support.js';
import { flat, relaySyncErrors, requestsOf } from './syncErrorsSupport.js';
import { expectValidCheckJson } from './checkJsonValidator.js';

const status: RelayedStatus = relayedStatus({
  reason: 'FIELD_PERMISSIONS_MISSING',
  title: 'Salesforce field permissions missing',
});

/** HubSpot's export: `value` refused by the restricted picklist `object`.`field`, as Salesforce says it. */
function picklistErrors(field = 'LeadSource', value = 'Webinar', label = 'Lead Source') {
  return {
    receivedAt: '2026-11-28T09:00:00.000Z',
    rows: 40,
    groups: [
      {
        reason: null,
        errorType: 'Picklist value',
        object: 'Contact',
        field,
        count: 40,
        example: `INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: ${label}: bad value for restricted picklist field: ${value}: [${field}]`,
      },
    ],
    groupsLeftOut: 0,
  } satisfies RelayedSyncErrors;
}

let sim: OrgSimulator;
beforeEach(async () => {
  sim = await startOrgSimulator({ fixture: 'healthy', port: 0 });
});
afterEach(async () => {
  await sim.close();
});

const relay = (errors: RelayedSyncErrors | null) => relaySyncErrors(sim, status, errors);

/**
 * Read and edit on a field added after the org was built, in the reader's profile and the
 * integration user's permission set, as an admin would grant them in Setup.
 */
async function grantField(name: string) {
  const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
  const [admin] = sim.records('User').filter((u) => u.Id === sim.adminUser.Id);
  const sets = sim
    .records('PermissionSet')
    .filter(
      (p) =>
        p.Name === 'HubSpot_Integration_Permissions' ||
        (p.IsOwnedByProfile === true && p.ProfileId === admin?.ProfileId),
    );
  expect(sets).toHaveLength(2);
  for (const set of sets)
    await conn.request({
      method: 'POST',
      url: '/services/data/v62.0/sobjects/FieldPermissions',
      body: JSON.stringify({
        ParentId: set.Id,
        SobjectType: name.split('.')[0],
        Field: name,
        PermissionsRead: true,
        PermissionsEdit: true,
      }),
      headers: { 'content-type': 'application/json' },
    });
}

/** An admin activates `values` on the LeadSource of both objects a HubSpot contact is written to. */
function setLeadSource(values: string[], inactive: string[] = []) {
  for (const object of ['Contact', 'Lead'])
    sim.org.schema.setField(object, 'LeadSource', {
      spec: 'picklist',
      values,
      inactive,
      restricted: true,
    });
}

const STANDARD = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
const withPortal = () => [...checkArgs(sim), '--portal', status.portalId];
const groupOf = (stdout: string) => JSON.parse(stdout).hubspotReported.status.syncErrors.groups[0];

describe('check: a picklist value HubSpot exported sync errors for', () => {
  it("says the value is still missing from the org's Lead Source, in the text and --json", async () => {
    await relay(picklistErrors());
    const text = await cli(withPortal());
    const reported = flat(text.stdout.slice(text.stdout.indexOf('HubSpot reported')));
    expect(reported).toContain("Contact.LeadSource ('Webinar'): Picklist value, 40 rows");
    // The fixture's Lead Source: Salesforce's standard values, restricted, no Webinar.
    expect(reported).toContain(
      "Now: Contact.LeadSource and Lead.LeadSource still have no active value 'Webinar': add it (or activate it, if there but inactive) in Setup > Object Manager > Contact and Lead > Fields & Relationships > LeadSource, or change HubSpot's property to send one of their 5 active values ('Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List' and 'Other')",
    );
    // Both objects in the same state: said once.
    expect(reported.match(/still ha(?:s|ve) no active value 'Webinar'/g)).toHaveLength(1);
    expect(reported).not.toContain('resync these records');

    const json = await cli([...withPortal(), '--json']);
    const group = groupOf(json.stdout);
    expect(group).toMatchObject({
      kind: 'picklist',
      fields: ['Contact.LeadSource', 'Lead.LeadSource'],
      now: { ok: false },
    });
    expect(group.now.text).toMatch(
      /^Now: Contact\.LeadSource and Lead\.LeadSource still have no active value 'Webinar'/,
    );
    // Both readers' words are the same.
    expect(reported).toContain(flat(group.now.text));
  });

  it('a deactivated Webinar is still missing; once active on both objects the group says resync', async () => {
    setLeadSource(STANDARD, ['Webinar']);
    await relay(picklistErrors());
    const inactive = await cli([...withPortal(), '--json']);
    expect(groupOf(inactive.stdout).now).toMatchObject({ ok: false });
    expect(groupOf(inactive.stdout).now.text).toContain(
      "Contact.LeadSource and Lead.LeadSource still have no active value 'Webinar'",
    );

    setLeadSource([...STANDARD, 'Webinar']);
    const json = await cli([...withPortal(), '--json']);
    const now = groupOf(json.stdout).now;
    expect(now).toMatchObject({ ok: true });
    expect(now.text).toMatch(
      /^Now: Contact\.LeadSource and Lead\.LeadSource have 'Webinar' among their active values\. Resync these records/,
    );
    const text = await cli(withPortal());
    expect(flat(text.stdout)).toContain(flat(now.text));
    expect(text.stdout).not.toMatch(/still ha(?:s|ve) no active value/);
  });

  it('names the record types that still do not offer a value the field has, and --json lists what each offers', async () => {
    setLeadSource([...STANDARD, 'Webinar']);
    sim.org.schema.addRecordType('Lead', {
      name: 'Partner Lead',
      values: { LeadSource: STANDARD },
    });
    sim.org.schema.addRecordType('Lead', {
      name: 'Webinar Lead',
      values: { LeadSource: ['Webinar'] },
    });
    await relay(picklistErrors());
    const text = await cli(withPortal());
    expect(text.stderr).toContain("reading the record types' picklist values");
    const said =
      "Now: Contact.LeadSource and Lead.LeadSource have 'Webinar' among their active values; Lead's record type Partner Lead does not offer 'Webinar' for LeadSource: add it to it in Setup > Object Manager > Lead > Record Types (LeadSource's values).";
    expect(flat(text.stdout)).toContain(said);
    const json = await cli([...withPortal(), '--json']);
    const document = JSON.parse(json.stdout);
    expectValidCheckJson(document);
    expect(groupOf(json.stdout).now).toEqual({ ok: false, text: said });
    expect(document.recordTypePicklists).toEqual([
      { object: 'Contact', recordTypes: [] },
      {
        object: 'Lead',
        recordTypes: [
          { name: 'Partner Lead', values: expect.objectContaining({ leadsource: STANDARD }) },
          { name: 'Webinar Lead', values: expect.objectContaining({ leadsource: ['Webinar'] }) },
        ],
      },
    ]);

    // The admin adds it to Partner Lead: every record type offers it now.
    const partner = sim.org.schema.get('Lead')!.recordTypes.find((r) => r.name === 'Partner Lead')!;
    partner.values = { LeadSource: [...STANDARD, 'Webinar'] };
    const fixed = await cli([...withPortal(), '--json']);
    expect(groupOf(fixed.stdout).now).toEqual({
      ok: true,
      text: "Now: Contact.LeadSource and Lead.LeadSource have 'Webinar' among their active values. Resync these records; every active record type offers it, so if they fail again, the picklist's controlling field does not allow it (its field dependencies).",
    });
  });

  it('Salesforce unavailable for the record types: a line says why, the check goes on, and the group keeps the old caveat', async () => {
    setLeadSource([...STANDARD, 'Webinar']);
    sim.org.schema.addRecordType('Lead', {
      name: 'Partner Lead',
      values: { LeadSource: STANDARD },
    });
    await relay(picklistErrors());
    sim.injectFault({ path: /\/ui-api\/object-info/, fault: 'SERVER_UNAVAILABLE', times: 6 });
    const text = await cli(withPortal());
    expect(flat(text.stdout)).toContain(
      'Record types not read: Server temporarily unavailable. Please try again later; the picklist groups do not say which record types offer the value.',
    );
    expect(flat(text.stdout)).toContain(
      "if they fail again, the records' record type does not offer the value (add it there)",
    );
    expect(text.stdout).not.toContain('Partner Lead');
  });

  it('a record type Salesforce did not answer for is named in a line, and its object keeps the old caveat', async () => {
    setLeadSource([...STANDARD, 'Webinar']);
    sim.org.schema.addRecordType('Lead', {
      name: 'Partner Lead',
      values: { LeadSource: STANDARD },
    });
    await relay(picklistErrors());
    // Deleted between the RecordType query and its values' request: 404, as Salesforce answers.
    const partner = sim.org.schema.get('Lead')!.recordTypes.find((r) => r.name === 'Partner Lead')!;
    sim.injectFault({ path: new RegExp(`picklist-values/${partner.id}`), fault: 'NOT_FOUND' });
    const text = await cli(withPortal());
    expect(flat(text.stdout)).toContain(
      "Record types not read: Salesforce did not answer for Lead's record type Partner Lead; the picklist groups do not say which record types offer the value.",
    );
    expect(flat(text.stdout)).toContain(
      "if they fail again, the records' record type does not offer the value (add it there)",
    );
    expect(flat(text.stdout)).not.toContain("Lead's record type Partner Lead does not offer");
  });

  it('reads no more when the picklist is a default mapping (3 requests), twice when it is new (6)', async () => {
    await relay(null);
    const none = await cli(withPortal());
    await relay(picklistErrors());
    const known = await cli(withPortal());
    // A custom restricted picklist only HubSpot maps, readable and editable by the reader and the
    // integration user: the export names it, so it is read then.
    sim.org.schema.setField('Contact', 'Region__c', {
      spec: 'picklist',
      values: ['EMEA', 'APAC'],
      restricted: true,
    });
    await grantField('Contact.Region__c');
    await relay(picklistErrors('Region__c', 'LATAM', 'Region'));
    const named = await cli(withPortal());
    // 3 for the org; a known field, none more (it still lacks the value: no record type is
    // read); a new field, the second read.
    expect([requestsOf(none.stdout), requestsOf(known.stdout), requestsOf(named.stdout)]).toEqual([
      3, 3, 6,
    ]);
    expect(named.stderr).toContain('reading what HubSpot failed to write');
    const json = await cli([...withPortal(), '--json']);
    expect(groupOf(json.stdout).now).toMatchObject({ ok: false });
    expect(groupOf(json.stdout).now.text).toContain(
      "Contact.Region__c still has no active value 'LATAM': add it (or activate it, if there but inactive) in Setup > Object Manager > Contact > Fields & Relationships > Region__c, or change HubSpot's property to send one of its 2 active values ('EMEA' and 'APAC')",
    );
  });
});
