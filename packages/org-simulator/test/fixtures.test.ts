import { evaluateAccess, validateSnapshot, type Diagnosis } from '@sync-doctor/core';
import {
  FIXTURE_NAMES,
  LARGE_TARGETS,
  describeFixture,
  largeObjectFields,
  loadFixture,
  type FixtureName,
} from '../src/index.js';
import { startTestOrg } from './helpers.js';
import { readSnapshot } from './snapshotReader.js';

/** What each fixture must mean to the core: the verdict and the findings it is built to cause. */
const EXPECTED: Record<
  FixtureName,
  { verdict: Diagnosis['verdict']; findings: Array<[string, string, string]>; only?: boolean }
> = {
  healthy: { verdict: 'healthy', findings: [], only: true },
  'missing-permission-set': {
    verdict: 'blocked',
    findings: [
      ['error', 'OBJECT_PERMISSIONS_MISSING', 'HubSpot Integration Permissions'],
      ['error', 'OBJECT_PERMISSIONS_MISSING', 'Contact'],
    ],
  },
  'read-only-contacts': {
    verdict: 'blocked',
    findings: [['error', 'OBJECT_PERMISSIONS_MISSING', 'Contact']],
    only: true,
  },
  'muted-group': {
    verdict: 'blocked',
    findings: [
      ['error', 'OBJECT_PERMISSIONS_MISSING', 'Contact'],
      ['error', 'FIELD_PERMISSIONS_MISSING', 'Contact.Email'],
    ],
  },
  'expired-assignment': {
    verdict: 'blocked',
    findings: [['error', 'OBJECT_PERMISSIONS_MISSING', 'HubSpot Integration Permissions']],
  },
  'api-disabled': {
    verdict: 'blocked',
    // The missing right; the logins Salesforce refused for it (the last 8 hours) are the same
    // problem, no second finding (fa4cd70).
    findings: [['error', 'API_ACCESS_DISABLED', 'PermissionsApiEnabled']],
    only: true,
  },
  'api-limit-near': {
    verdict: 'at-risk',
    findings: [
      // HubSpot's app is listed with the org's own maximum: no quota of its own, so the org
      // limit's finding names its share of the calls instead of a second, per-app finding (b5703f7).
      ['warning', 'API_LIMIT_EXCEEDED', 'DailyApiRequests'],
    ],
    only: true,
  },
  'storage-full': {
    verdict: 'blocked',
    findings: [['error', 'STORAGE_LIMIT_EXCEEDED', 'DataStorageMB']],
    only: true,
  },
  'inactive-user': {
    verdict: 'blocked',
    findings: [['error', 'API_ACCESS_DISABLED', 'hubspot.integration@acme.example']],
    only: true,
  },
  'hidden-mapped-field': {
    verdict: 'blocked',
    findings: [['error', 'FIELD_PERMISSIONS_MISSING', 'Contact.Email']],
    only: true,
  },
  'restricted-ip': {
    verdict: 'blocked',
    findings: [['error', 'API_ACCESS_DISABLED', 'hubspot.integration@acme.example']],
    only: true,
  },
  'admin-approved-app': {
    verdict: 'blocked',
    findings: [['error', 'API_ACCESS_DISABLED', 'HubSpot']],
    only: true,
  },
  'sync-stopped': {
    // A stopped sync blocks it, whatever stopped it.
    verdict: 'blocked',
    findings: [['error', 'API_ACCESS_DISABLED', 'hubspot.integration@acme.example']],
    only: true,
  },
};

describe('every fixture means to the core what it says', () => {
  test('the fixture list is the one of issue 4, each with a description', () => {
    expect([...FIXTURE_NAMES].sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const name of FIXTURE_NAMES) expect(describeFixture(name).length).toBeGreaterThan(20);
  });

  test.each(FIXTURE_NAMES.map((name) => [name]))('%s', async (name) => {
    const org = await startTestOrg({ fixture: name });
    try {
      const { snapshot, status } = await readSnapshot(org, org.sim.integrationUser.Username);
      expect(status).toBe(200);
      // The whole snapshot came in two composites (permissions, Login History) and /limits, which
      // no composite may carry.
      expect(org.sim.requests).toHaveLength(3);
      const validation = validateSnapshot(snapshot);
      expect(validation).toMatchObject({ ok: true });
      const diagnosis = evaluateAccess(snapshot);
      const expected = EXPECTED[name];
      expect(diagnosis.verdict).toBe(expected.verdict);
      const found = diagnosis.findings.map((f) => [f.severity, f.reason, f.subject]);
      for (const finding of expected.findings) expect(found).toContainEqual(finding);
      if (expected.only) expect(found).toHaveLength(expected.findings.length);
    } finally {
      await org.sim.close();
    }
  });

  test('the large size keeps the fixture verdict', async () => {
    const org = await startTestOrg({ fixture: 'read-only-contacts', size: 'large' });
    try {
      const { snapshot } = await readSnapshot(org, org.sim.integrationUser.Username);
      const diagnosis = evaluateAccess(snapshot);
      expect(diagnosis.findings.map((f) => [f.severity, f.reason, f.subject])).toEqual([
        ['error', 'OBJECT_PERMISSIONS_MISSING', 'Contact'],
      ]);
    } finally {
      await org.sim.close();
    }
  });
});

describe('fixture loading', () => {
  test('is deterministic: the same fixture gets the same ids', () => {
    const now = new Date('2026-01-15T10:00:00Z');
    const a = loadFixture('muted-group', 'default', { now });
    const b = loadFixture('muted-group', 'default', { now });
    expect(a.table('PermissionSetAssignment')).toEqual(b.table('PermissionSetAssignment'));
    expect(a.integrationUserId).toBe(b.integrationUserId);
  });

  test('the large size has the sizes of issue 4', () => {
    const org = loadFixture('healthy', 'large');
    expect(org.table('PermissionSet')).toHaveLength(LARGE_TARGETS.permissionSets);
    expect(org.schema.all()).toHaveLength(LARGE_TARGETS.objects);
    expect(org.table('FieldPermissions').length).toBeGreaterThanOrEqual(
      LARGE_TARGETS.fieldPermissions,
    );
    expect(org.table('FieldPermissions').length).toBeLessThan(LARGE_TARGETS.fieldPermissions + 300);
  });

  test("largeObjectFields names the large org's generated objects' permissionable fields, each with field permission rows", () => {
    const org = loadFixture('healthy', 'large');
    const names = largeObjectFields(30);
    const generated = org.schema.all().filter((o) => o.name.startsWith('Custom_Object_'));
    const permissionable = (object: (typeof generated)[number]) =>
      [...object.fields.values()]
        .filter((f) => f.permissionable)
        .map((f) => `${object.name}.${f.name}`);
    expect(names).toEqual(generated.slice(0, 30).flatMap(permissionable));
    expect(names).toHaveLength(270);
    expect(names).not.toContain('Custom_Object_001__c.Name');
    const rowFields = new Set(org.table('FieldPermissions').map((row) => row.Field));
    for (const name of names) expect(rowFields).toContain(name);
    expect(largeObjectFields(0)).toEqual([]);
    expect(() => largeObjectFields(-1)).toThrow();
  });

  test("required fields of the large size's generated objects: the HubSpot set grants them and their objects at the large size, through a group too; the default size has none", () => {
    const mapped = largeObjectFields(2);
    const hubspotRows = (org: ReturnType<typeof loadFixture>, setName: string) => {
      const set = org.table('PermissionSet').find((p) => p.Name === setName || p.Label === setName);
      expect(set).toBeDefined();
      return {
        objects: org
          .table('ObjectPermissions')
          .filter((r) => r.ParentId === set!.Id && String(r.SobjectType).startsWith('Custom_')),
        fields: org
          .table('FieldPermissions')
          .filter((r) => r.ParentId === set!.Id && String(r.SobjectType).startsWith('Custom_')),
      };
    };
    const large = loadFixture('healthy', 'large', { requiredFields: mapped });
    const granted = hubspotRows(large, 'HubSpot_Integration_Permissions');
    expect(
      granted.objects.map((r) => [r.SobjectType, r.PermissionsCreate, r.PermissionsEdit]),
    ).toEqual([
      ['Custom_Object_001__c', true, true],
      ['Custom_Object_002__c', true, true],
    ]);
    expect(granted.fields.map((r) => [r.Field, r.PermissionsEdit])).toEqual(
      mapped.map((name) => [name, true]),
    );
    // The fixture's own assignment (here through a permission set group) carries them as it
    // carries the standard objects' rights.
    const muted = loadFixture('muted-group', 'large', { requiredFields: mapped });
    const aggregate = hubspotRows(muted, 'HubSpot Integration');
    expect(aggregate.fields.map((r) => r.Field)).toEqual(mapped);
    expect(aggregate.objects).toHaveLength(2);
    // Without them, no more than before: the HubSpot set holds none of the generated objects.
    expect(hubspotRows(loadFixture('healthy', 'large'), 'HubSpot_Integration_Permissions')).toEqual(
      { objects: [], fields: [] },
    );
    const small = loadFixture('healthy', 'default', { requiredFields: mapped });
    expect(small.schema.get('Custom_Object_001__c')).toBeUndefined();
    expect(hubspotRows(small, 'HubSpot_Integration_Permissions')).toEqual({
      objects: [],
      fields: [],
    });
  });

  test('every default mapped field of the core exists in the schema, and the status object carries the core field names', () => {
    const org = loadFixture('healthy');
    for (const name of [
      'Contact.Email',
      'Lead.Company',
      'Opportunity.StageName',
      'Account.BillingPostalCode',
    ]) {
      const [objectName, fieldName] = name.split('.');
      expect(org.schema.field(objectName!, fieldName!)).toBeDefined();
    }
    expect(org.schema.field('HubSpot_Sync_Status__c', 'Portal_Id__c')).toMatchObject({
      externalId: true,
      unique: true,
    });
    expect(org.schema.field('Sync_Doctor_Event__e', 'Occurred_At__c')).toMatchObject({
      type: 'datetime',
    });
  });

  test('unknown names and sizes fail with the list of known ones', () => {
    expect(() => loadFixture('nope' as FixtureName)).toThrow(/Known fixtures: healthy/);
    expect(() => loadFixture('healthy', 'huge' as 'large')).toThrow(/default or large/);
  });
});
