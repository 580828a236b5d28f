import { CONNECTED_APP_ACCESS_FIELDS } from '@sync-doctor/core';
import { API, startTestOrg, type TestOrg } from './helpers.js';

// Object Reference, SetupEntityAccess: SetupEntityId is "the ID of the entity for which access is
// enabled, such as an Apex class or Visualforce page"; SetupEntityType (restricted picklist, not
// createable) is one of ApexClass, ApexPage, ConnectedApplication, CustomPermission,
// ServiceProvider, TabSet, CustomEntityDefinition. ParentId "Refers To PermissionSet", as
// ObjectPermissions.ParentId and FieldPermissions.ParentId do: those are not polymorphic.
// https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_setupentityaccess.htm
// https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_objectpermissions.htm

const ENTITY_TYPES = [
  'ApexClass',
  'ApexPage',
  'ConnectedApplication',
  'CustomPermission',
  'ServiceProvider',
  'TabSet',
  'CustomEntityDefinition',
];

interface DescribedField {
  name: string;
  referenceTo: string[];
  restrictedPicklist: boolean;
  createable: boolean;
  picklistValues: Array<{ value: string }>;
}

let org: TestOrg;
beforeEach(async () => {
  org = await startTestOrg({ fixture: 'admin-approved-app' });
});
afterEach(() => org.sim.close());

const fieldsOf = async (object: string) =>
  (
    (await (await org.get(`${API}/sobjects/${object}/describe`)).json()) as {
      fields: DescribedField[];
    }
  ).fields;

test('describe: SetupEntityId points to every documented setup entity type, SetupEntityType lists them', async () => {
  const fields = await fieldsOf('SetupEntityAccess');
  const field = (name: string) => fields.find((f) => f.name === name)!;
  expect(field('SetupEntityId').referenceTo).toEqual(ENTITY_TYPES);
  expect(field('SetupEntityType')).toMatchObject({ restrictedPicklist: true, createable: false });
  expect(field('SetupEntityType').picklistValues.map((v) => v.value)).toEqual(ENTITY_TYPES);
  expect(field('ParentId').referenceTo).toEqual(['PermissionSet']);
});

test.each(['ObjectPermissions', 'FieldPermissions'])(
  'describe: %s.ParentId refers to PermissionSet only, as documented',
  async (object) => {
    const fields = await fieldsOf(object);
    expect(fields.find((f) => f.name === 'ParentId')!.referenceTo).toEqual(['PermissionSet']);
  },
);

test("the collector's SetupEntityType filter keeps out the rows of other entity types", async () => {
  // A set granting an Apex class as well as approving HubSpot's app, as a real profile does.
  const set = org.sim.records('PermissionSet').find((p) => p.Name === 'Sync_Doctor_User')!;
  const app = org.sim.records('ConnectedApplication').find((a) => a.Name === 'HubSpot')!;
  org.sim.org.insert('SetupEntityAccess', {
    ParentId: set.Id,
    SetupEntityId: '01p000000000001AAA',
    SetupEntityType: 'ApexClass',
  });
  org.sim.org.insert('SetupEntityAccess', {
    ParentId: set.Id,
    SetupEntityId: app.Id,
    SetupEntityType: 'ConnectedApplication',
  });
  const rows = async (where: string) => {
    const res = await org.query(
      `SELECT ${CONNECTED_APP_ACCESS_FIELDS.join(', ')}, SetupEntityType FROM SetupEntityAccess WHERE ParentId = '${set.Id}'${where}`,
    );
    expect(res.status).toBe(200);
    return ((await res.json()) as { records: Array<{ SetupEntityType: string }> }).records.map(
      (r) => r.SetupEntityType,
    );
  };
  expect((await rows('')).sort()).toEqual(['ApexClass', 'ConnectedApplication']);
  expect(await rows(" AND SetupEntityType = 'ConnectedApplication'")).toEqual([
    'ConnectedApplication',
  ]);
});

test('an insert sets SetupEntityType from the entity; an id of no setup entity type is refused', async () => {
  const set = org.sim.records('PermissionSet').find((p) => p.Name === 'Sync_Doctor_User')!;
  const app = org.sim.records('ConnectedApplication').find((a) => a.Name === 'HubSpot')!;
  const created = await org.send('POST', `${API}/sobjects/SetupEntityAccess`, {
    ParentId: set.Id,
    SetupEntityId: app.Id,
  });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };
  expect(org.sim.records('SetupEntityAccess').find((r) => r.Id === id)!.SetupEntityType).toBe(
    'ConnectedApplication',
  );
  const refused = await org.send('POST', `${API}/sobjects/SetupEntityAccess`, {
    ParentId: set.Id,
    SetupEntityId: org.sim.adminUser.Id,
  });
  expect(refused.status).toBe(400);
  expect(((await refused.json()) as Array<{ errorCode: string }>)[0]!.errorCode).toBe(
    'INVALID_CROSS_REFERENCE_KEY',
  );
});
