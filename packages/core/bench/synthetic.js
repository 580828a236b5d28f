// The synthetic org of the bench: 200 assignments, 5,000 object permissions, 100,000 field
// permissions, shaped like Salesforce REST records (attributes, nulls, groups, expired and
// session-based assignments), with HubSpot's default mapped fields among the fields.
import { DEFAULT_REQUIREMENTS } from '../dist/index.js';

export const ASSIGNMENTS = 200;
export const OBJECT_PERMISSIONS = 5_000;
export const FIELD_PERMISSIONS = 100_000;

const STANDARD = ['Lead', 'Contact', 'Account', 'Opportunity', 'Campaign'];
const OBJECTS = [
  ...STANDARD,
  ...Array.from(
    { length: OBJECT_PERMISSIONS / ASSIGNMENTS - STANDARD.length },
    (_, i) => `Custom_${i}__c`,
  ),
];

function psId(i) {
  return `0PS${String(i).padStart(15, '0')}`;
}

export function buildSnapshot() {
  const assignments = [];
  for (let i = 0; i < ASSIGNMENTS; i++) {
    const profile = i === 0;
    const group = i % 20 === 19;
    const id = psId(i);
    assignments.push({
      attributes: {
        type: 'PermissionSetAssignment',
        url: `/services/data/v64.0/sobjects/PermissionSetAssignment/0Pa${i}`,
      },
      Id: `0Pa${String(i).padStart(15, '0')}`,
      PermissionSetId: id,
      PermissionSetGroupId: group ? `0PG${String(i).padStart(15, '0')}` : null,
      ExpirationDate: i % 17 === 5 ? '2020-01-01T00:00:00.000+0000' : null,
      PermissionSet: {
        attributes: { type: 'PermissionSet' },
        Id: id,
        Name: profile
          ? 'X00e000000000001'
          : i === 1
            ? 'HubSpot_Integration_Permissions'
            : `Set_${i}`,
        Label: i === 1 ? 'HubSpot Integration Permissions' : `Set ${i}`,
        Type: profile ? 'Profile' : group ? 'Group' : 'Regular',
        IsOwnedByProfile: profile,
        HasActivationRequired: i % 29 === 7,
        Profile: profile ? { Name: 'Minimum Access - API Only Integrations' } : null,
        PermissionsApiEnabled: profile,
        PermissionsModifyAllData: false,
        PermissionsViewAllData: false,
        PermissionsEditTask: i === 1,
        PermissionsViewAllUsers: i === 1,
      },
      PermissionSetGroup: group
        ? { Id: `0PG${i}`, MasterLabel: `Group ${i}`, Status: 'Updated' }
        : null,
    });
  }
  const objectPermissions = [];
  for (let i = 0; i < ASSIGNMENTS; i++) {
    for (const object of OBJECTS) {
      const grants = i === 1 || i % 7 === 3;
      objectPermissions.push({
        attributes: { type: 'ObjectPermissions' },
        ParentId: psId(i),
        SobjectType: object,
        PermissionsRead: true,
        PermissionsCreate: grants,
        PermissionsEdit: grants,
        PermissionsDelete: false,
        PermissionsViewAllRecords: false,
        PermissionsModifyAllRecords: false,
        PermissionsViewAllFields: false,
      });
    }
  }
  const mapped = DEFAULT_REQUIREMENTS.fields.map((f) => f.name);
  const perSet = FIELD_PERMISSIONS / ASSIGNMENTS;
  const fieldNames = [...mapped];
  for (let k = 0; fieldNames.length < perSet; k++)
    fieldNames.push(`${OBJECTS[k % OBJECTS.length]}.Field_${k}__c`);
  const fieldPermissions = [];
  for (let i = 0; i < ASSIGNMENTS; i++) {
    for (const field of fieldNames) {
      fieldPermissions.push({
        attributes: { type: 'FieldPermissions' },
        ParentId: psId(i),
        SobjectType: field.slice(0, field.indexOf('.')),
        Field: field,
        PermissionsRead: true,
        PermissionsEdit: i === 1 || i % 5 === 0,
      });
    }
  }
  const fields = {};
  for (const name of fieldNames) {
    fields[name] = {
      permissionable: true,
      calculated: false,
      nillable: true,
      type: 'string',
      referenceTo: [],
    };
  }
  return {
    schemaVersion: 1,
    capturedAt: '2026-11-28T12:00:00.000Z',
    organization: {
      attributes: { type: 'Organization' },
      Id: '00D000000000001',
      DefaultAccountAccess: 'Edit',
      DefaultLeadAccess: 'ReadEditTransfer',
    },
    user: {
      attributes: { type: 'User' },
      Id: '005000000000001',
      Username: 'hubspot@bench.example',
      IsActive: true,
      UserPermissionsMarketingUser: true,
      ProfileId: '00e000000000001',
    },
    assignments,
    objectPermissions,
    fieldPermissions,
    fields,
    limits: {
      DailyApiRequests: { Max: 1_000_000, Remaining: 700_000 },
      DataStorageMB: { Max: 100_000, Remaining: 20_000 },
      FileStorageMB: { Max: 100_000, Remaining: 90_000 },
    },
  };
}
