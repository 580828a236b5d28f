/**
 * The describe facts the plan and the field rules need, read against the simulator: custom
 * master-detail masters (also of an object required without fields), Person Accounts, and a
 * field's createable/updateable; and what they cost in requests.
 */
import {
  DEFAULT_REQUIREMENTS,
  evaluateAccess,
  mergeRequirements,
  planRemediation,
  syncErrorGroupNow,
  syncErrorRequirements,
  validateSnapshot,
  type Requirements,
  type Snapshot,
} from '@sync-doctor/core';
import { buildObjectSchema, type OrgSimulator } from '@sync-doctor/org-simulator';
import { collectSnapshot } from '../src/collect/collectSnapshot.js';
import { connect } from '../src/connect.js';
import { applyRemediation } from '../src/write/applyRemediation.js';
import { withSimulator } from './simulator.js';

/** Invoice__c, a detail of Account; Invoice_Line__c, a detail of Invoice__c with a lookup to User. */
function addInvoiceObjects(sim: OrgSimulator): void {
  sim.org.schema.add(
    buildObjectSchema('Invoice__c', {
      kind: 'data',
      keyPrefix: 'a0I',
      label: 'Invoice',
      fields: { Name: 'string', Account__c: 'reference:Account master=0' },
    }),
  );
  sim.org.schema.add(
    buildObjectSchema('Invoice_Line__c', {
      kind: 'data',
      keyPrefix: 'a0L',
      label: 'Invoice Line',
      fields: {
        Name: 'string',
        Invoice__c: 'reference:Invoice__c master=0',
        Reviewer__c: 'reference:User',
      },
    }),
  );
}

const requiring = (objects: Requirements['objects']): Requirements =>
  mergeRequirements(DEFAULT_REQUIREMENTS, { objects });

describe('master-detail masters', () => {
  it('describes a custom object required without fields in the same 3 requests and 1 round, and names its master', async () => {
    await withSimulator({ fixture: 'healthy' }, async (sim) => {
      addInvoiceObjects(sim);
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      const result = await collectSnapshot(conn, {
        user: sim.integrationUser.Username,
        requirements: requiring([{ name: 'Invoice__c', access: ['read', 'create', 'edit'] }]),
      });
      expect([result.requests, result.rounds]).toEqual([3, 1]);
      expect(result.snapshot.objects?.Invoice__c).toEqual({
        exists: true,
        createable: true,
        updateable: true,
        masterDetailParents: ['Account'],
      });
      expect(validateSnapshot(result.snapshot)).toMatchObject({ ok: true });
    });
  });

  it('follows a master that is a detail itself (one more round), and the plan it leads to saves in the org', async () => {
    await withSimulator({ fixture: 'healthy' }, async (sim) => {
      addInvoiceObjects(sim);
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      const requirements = requiring([{ name: 'Invoice_Line__c', access: ['read', 'create'] }]);
      const result = await collectSnapshot(conn, {
        user: sim.integrationUser.Username,
        requirements,
      });
      expect([result.requests, result.rounds]).toEqual([4, 2]);
      expect(result.snapshot.objects).toMatchObject({
        Invoice_Line__c: { exists: true, masterDetailParents: ['Invoice__c'] },
        Invoice__c: { exists: true, masterDetailParents: ['Account'] },
      });
      const plan = planRemediation(evaluateAccess(result.snapshot, requirements));
      expect(plan.objectPermissions.map((o) => [o.sobjectType, o.requiredBy])).toEqual([
        ['Account', ['Invoice__c']],
        ['Invoice__c', ['Invoice_Line__c']],
        ['Invoice_Line__c', undefined],
      ]);
      const applied = await applyRemediation(conn, { userId: sim.integrationUser.Id, plan });
      expect(applied.objectPermissions).toBeGreaterThan(0);
      const after = await collectSnapshot(conn, {
        user: sim.integrationUser.Username,
        requirements,
      });
      const line = evaluateAccess(after.snapshot, requirements).objects.find(
        (o) => o.name === 'Invoice_Line__c',
      );
      expect(line?.missing).toEqual([]);
    });
  });

  it('without the masters (an older snapshot) the same plan is refused by the org: what this fixes', async () => {
    await withSimulator({ fixture: 'healthy' }, async (sim) => {
      addInvoiceObjects(sim);
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      const requirements = requiring([{ name: 'Invoice__c', access: ['read', 'create'] }]);
      const { snapshot } = await collectSnapshot(conn, {
        user: sim.integrationUser.Username,
        requirements,
      });
      const old: Snapshot = { ...snapshot, objects: { Invoice__c: { exists: true } } };
      const plan = planRemediation(evaluateAccess(old, requirements));
      expect(plan.objectPermissions.map((o) => o.sobjectType)).toEqual(['Invoice__c']);
      await expect(
        applyRemediation(conn, { userId: sim.integrationUser.Id, plan }),
      ).rejects.toThrow('Permission Read Invoice__c depends on permission(s): Read Account');
    });
  });
});

describe('Person Accounts', () => {
  it("reads them off Account's describe, in the same 3 requests", async () => {
    for (const personAccounts of [true, false]) {
      await withSimulator({ fixture: 'healthy', personAccounts }, async (sim) => {
        const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
        const result = await collectSnapshot(conn, { user: sim.integrationUser.Username });
        expect(result.requests).toBe(3);
        expect(result.snapshot.objects?.Account).toMatchObject({ exists: true, personAccounts });
        const d = evaluateAccess(result.snapshot);
        expect(d.readDependencies).toEqual(personAccounts ? { Account: ['Contact'] } : undefined);
      });
    }
  });

  it('describes Account for an Opportunity-only scope, whose plan grants Read on Account', async () => {
    await withSimulator({ fixture: 'healthy', personAccounts: true }, async (sim) => {
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      const result = await collectSnapshot(conn, {
        user: sim.integrationUser.Username,
        requirements: {
          objects: [{ name: 'Opportunity', access: ['read'] }],
          fields: [],
          permissionSets: [],
          systemPermissions: [],
        },
      });
      expect([result.requests, result.rounds]).toEqual([3, 1]);
      expect(result.snapshot.objects).toMatchObject({
        Opportunity: { exists: true },
        Account: { exists: true, personAccounts: true },
      });
    });
  });
});

/**
 * A Person Accounts org whose HubSpot set was trimmed: Account read only, no Contact row, and no
 * remediation set yet. The plan puts Account's Edit and Contact's Read (and rights) in one fresh
 * set, where each needs the other's Read.
 */
function trimAccountAndContact(sim: OrgSimulator): void {
  const hubspot = sim
    .records('PermissionSet')
    .find((p) => p.Name === 'HubSpot_Integration_Permissions')!;
  const rows = sim.org.table('ObjectPermissions').filter((r) => r.ParentId === hubspot.Id);
  for (const row of rows.filter((r) => r.SobjectType === 'Account'))
    Object.assign(row, {
      PermissionsCreate: false,
      PermissionsEdit: false,
      PermissionsDelete: false,
      PermissionsModifyAllRecords: false,
    });
  for (const row of rows.filter((r) => r.SobjectType === 'Contact')) sim.org.delete(String(row.Id));
}

describe('Person Accounts: Account and Contact in one fresh remediation set', () => {
  it('the plan, needing each Read of the other, is applied, and the diagnosis then finds both granted', async () => {
    await withSimulator({ fixture: 'healthy', personAccounts: true }, async (sim) => {
      trimAccountAndContact(sim);
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      const user = sim.integrationUser;
      const before = evaluateAccess(
        (await collectSnapshot(conn, { user: user.Username })).snapshot,
      );
      const plan = planRemediation(before);
      expect(plan.objectPermissions.map((o) => [o.sobjectType, o.requiredBy])).toEqual([
        ['Account', ['Contact']],
        ['Contact', ['Account']],
      ]);
      sim.resetRequests();
      const result = await applyRemediation(conn, { userId: user.Id, plan });
      // Still one composite to read and one to write: both rows in one sObject Collections
      // subrequest, one DML statement, where Salesforce checks them together.
      const calls = sim.requests.filter((r) => r.path.startsWith('/services/data/'));
      expect(calls.map((r) => `${r.method} ${r.path}`)).toEqual([
        'POST /services/data/v64.0/composite',
        'POST /services/data/v64.0/composite',
      ]);
      const write = calls[1]!.body as {
        collateSubrequests: boolean;
        compositeRequest: { url: string; body: { records?: { SobjectType: string }[] } }[];
      };
      expect(write.collateSubrequests).toBe(false);
      const collections = write.compositeRequest.filter((sub) =>
        sub.url.endsWith('/composite/sobjects'),
      );
      expect(collections.map((sub) => sub.body.records?.map((r) => r.SobjectType))).toEqual([
        ['Account', 'Contact'],
      ]);
      const rows = sim
        .records('ObjectPermissions')
        .filter((r) => r.ParentId === result.permissionSetId)
        .map((r) => [r.SobjectType, r.PermissionsRead, r.PermissionsCreate, r.PermissionsEdit]);
      expect(rows).toEqual([
        ['Account', true, true, true],
        ['Contact', true, true, true],
      ]);
      const after = evaluateAccess((await collectSnapshot(conn, { user: user.Username })).snapshot);
      for (const name of ['Account', 'Contact'])
        expect(after.objects.find((o) => o.name === name)?.missing).toEqual([]);
      expect(result.objectPermissions).toBe(plan.objectPermissions.length);
    });
  });

  it("a plan without Contact's Read (an older snapshot) is refused with the row's own error, and nothing is written", async () => {
    await withSimulator({ fixture: 'healthy', personAccounts: true }, async (sim) => {
      trimAccountAndContact(sim);
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      const rights = { create: false, delete: false, viewAll: false, modifyAll: false };
      const plan = {
        assignPermissionSets: [],
        fieldPermissions: [],
        systemPermissions: [],
        objectPermissions: [
          { sobjectType: 'Account', ...rights, read: true, edit: true },
          { sobjectType: 'Lead', ...rights, read: true, edit: false },
        ],
      };
      await expect(
        applyRemediation(conn, { userId: sim.integrationUser.Id, plan }),
      ).rejects.toThrow('Permission Read Account depends on permission(s): Read Contact');
      expect(sim.records('PermissionSet').some((p) => p.Name === 'Sync_Doctor_Remediation')).toBe(
        false,
      );
    });
  });
});

describe("a field's createable and updateable", () => {
  it('carries them, and Edit asked of CreatedDate is a warning the plan grants nothing for', async () => {
    await withSimulator({ fixture: 'healthy' }, async (sim) => {
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      const requirements = mergeRequirements(DEFAULT_REQUIREMENTS, {
        fields: [{ name: 'Contact.CreatedDate', access: ['read', 'edit'] }],
      });
      const result = await collectSnapshot(conn, {
        user: sim.integrationUser.Username,
        requirements,
      });
      expect(result.requests).toBe(3);
      expect(result.snapshot.fields?.['Contact.CreatedDate']).toMatchObject({
        permissionable: false,
        createable: false,
        updateable: false,
      });
      expect(result.snapshot.fields?.['Contact.Email']).toMatchObject({
        createable: true,
        updateable: true,
      });
      expect(result.snapshot.objects?.Contact).toMatchObject({
        createable: true,
        updateable: true,
      });
      const d = evaluateAccess(result.snapshot, requirements);
      expect(d.findings.filter((f) => f.subject === 'Contact.CreatedDate')).toEqual([
        expect.objectContaining({ rule: 'field-not-writable', severity: 'warning' }),
      ]);
      const plan = planRemediation(d);
      expect(plan.fieldPermissions).toEqual([]);
    });
  });
});

describe("a picklist's values", () => {
  const webinar = {
    reason: null,
    errorType: 'Picklist value',
    object: 'Contact',
    field: 'LeadSource',
    count: 40,
    example:
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Lead Source: bad value for restricted picklist field: Webinar: [LeadSource]',
  };
  const requirements = mergeRequirements(
    DEFAULT_REQUIREMENTS,
    syncErrorRequirements({
      receivedAt: '2026-11-28T09:00:00.000Z',
      rows: 40,
      groups: [webinar],
      groupsLeftOut: 0,
    }),
  );
  const collect = async (sim: OrgSimulator) =>
    collectSnapshot(await connect({ instanceUrl: sim.url, accessToken: sim.accessToken }), {
      user: sim.integrationUser.Username,
      requirements,
    });

  it('reads the active ones with the describe, in the same 3 requests, so a refused value is checked against the picklist now', async () => {
    await withSimulator({ fixture: 'healthy' }, async (sim) => {
      // Webinar was deactivated in Setup: describe still lists it, with active false.
      sim.org.schema.setField('Contact', 'LeadSource', {
        spec: 'picklist',
        values: ['Web', 'Other'],
        inactive: ['Webinar'],
        restricted: true,
      });
      const result = await collect(sim);
      expect(result.requests).toBe(3);
      expect(validateSnapshot(result.snapshot)).toMatchObject({ ok: true });
      expect(result.snapshot.fields?.['Contact.LeadSource']).toMatchObject({
        type: 'picklist',
        picklistValues: ['Web', 'Other'],
        restrictedPicklist: true,
      });
      // Not a picklist: nothing said of values.
      expect(result.snapshot.fields?.['Contact.Email']).not.toHaveProperty('picklistValues');
      const d = evaluateAccess(result.snapshot, requirements);
      expect(syncErrorGroupNow(webinar, d)).toMatchObject({ ok: false });
      // Neither of a HubSpot contact's places has it: said once for both.
      expect(syncErrorGroupNow(webinar, d)?.text).toContain(
        "Contact.LeadSource and Lead.LeadSource still have no active value 'Webinar'",
      );

      // Activated on both: a HubSpot contact is written to a Lead or a Contact, so the group's
      // candidates are Contact.LeadSource and Lead.LeadSource.
      for (const object of ['Contact', 'Lead'])
        sim.org.schema.setField(object, 'LeadSource', {
          spec: 'picklist',
          values: ['Web', 'Webinar', 'Other'],
          restricted: true,
        });
      const after = evaluateAccess((await collect(sim)).snapshot, requirements);
      expect(syncErrorGroupNow(webinar, after)).toMatchObject({ ok: true });
      expect(after.fields.find((f) => f.name === 'Lead.LeadSource')?.picklist).toEqual({
        restricted: true,
        values: ['Web', 'Webinar', 'Other'],
      });
    });
  });
});
