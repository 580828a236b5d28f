import { parseFieldSpec } from '../src/schema.js';
import { addClientDocument, API, describedField, startTestOrg, type TestOrg } from './helpers.js';

// A master-detail field is always required: "Relationships Among Objects", SOAP API Developer
// Guide (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/relationships_among_objects.htm).
// Describe answers it as every required field, not nillable and not permissionable (no field-level
// security: a permission set cannot grant or withhold it).

describe('master-detail fields are required', () => {
  test('the spec parser marks master=0 and master=1 not nillable and not permissionable', () => {
    for (const spec of ['reference:Account master=0', 'reference:Account master=1']) {
      expect(parseFieldSpec('Account__c', spec, 'data')).toMatchObject({
        nillable: false,
        permissionable: false,
      });
    }
    // A lookup stays optional and under field-level security.
    expect(parseFieldSpec('Reviewer__c', 'reference:User', 'data')).toMatchObject({
      nillable: true,
      permissionable: true,
    });
  });

  describe('over REST', () => {
    let org: TestOrg;
    beforeEach(async () => {
      org = await startTestOrg({ fixture: 'healthy' });
      addClientDocument(org.sim, {
        Name: 'string required',
        Account__c: 'reference:Account master=0',
      });
    });
    afterEach(() => org.sim.close());

    test('describe answers nillable false and permissionable false', async () => {
      expect(await describedField(org, 'Client_Document__c', 'Account__c')).toMatchObject({
        nillable: false,
        permissionable: false,
      });
    });

    test('a detail record without its master is REQUIRED_FIELD_MISSING', async () => {
      const res = await org.send('POST', `${API}/sobjects/Client_Document__c`, { Name: 'Q3' });
      expect(res.status).toBe(400);
      const [error] = (await res.json()) as Array<{ errorCode: string; fields: string[] }>;
      expect(error).toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Account__c'] });
    });

    test('a FieldPermissions row for it is refused, as for any field without field-level security', async () => {
      const set = org.sim.records('PermissionSet').find((p) => p.Name === 'Sync_Doctor_User')!;
      const res = await org.send('POST', `${API}/sobjects/FieldPermissions`, {
        ParentId: set.Id,
        SobjectType: 'Client_Document__c',
        Field: 'Client_Document__c.Account__c',
        PermissionsRead: true,
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as Array<{ errorCode: string }>)[0]!.errorCode).toBe(
        'FIELD_INTEGRITY_EXCEPTION',
      );
    });
  });
});
