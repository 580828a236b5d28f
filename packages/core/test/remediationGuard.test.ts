import { evaluateAccess } from '../src/diagnosis/evaluateAccess.js';
import {
  GRANTABLE_OBJECT_RIGHTS,
  GRANTABLE_SYSTEM_PERMISSIONS,
  NEVER_GRANTED_OBJECT_RIGHTS,
  NEVER_GRANTED_PERMISSION_LABELS,
  NEVER_GRANTED_SYSTEM_PERMISSIONS,
  assignmentRefusal,
  objectRightsRefusal,
  permissionSetAssignmentRefusal,
  planGrantRefusal,
  systemPermissionRefusal,
} from '../src/remediation/grantable.js';
import { planRemediation } from '../src/remediation/planRemediation.js';
import { OBJECT_RIGHTS, withObjectRightDependencies } from '../src/requirements/objectRights.js';
import { DEFAULT_REQUIREMENTS, mergeRequirements } from '../src/requirements/defaults.js';
import { fixture, removeObjectRows } from './support.js';

describe('what a remediation plan may grant (grantable.ts)', () => {
  it('plans no View All, whatever the requirements ask: a manual step, as Modify All', () => {
    const s = fixture('healthy');
    removeObjectRows(s, 'Lead');
    const d = evaluateAccess(
      s,
      mergeRequirements(DEFAULT_REQUIREMENTS, {
        objects: [{ name: 'Lead', access: ['read', 'viewAll'] }],
      }),
    );
    const p = planRemediation(d);
    expect(p.objectPermissions.find((o) => o.sobjectType === 'Lead')).toMatchObject({
      read: true,
      viewAll: false,
      modifyAll: false,
    });
    expect(planGrantRefusal(p)).toBeNull();
    const steps = p.manualSteps.map((m) => `${m.subject}: ${m.step}`);
    expect(steps).toContainEqual(expect.stringMatching(/^Lead: .*never grants View All/));
  });

  it('plans a system permission off the grantable list as a manual step, so the plan stays appliable', () => {
    const s = fixture('healthy');
    for (const a of s.assignments ?? []) a.PermissionSet.PermissionsViewAllData = false;
    const d = evaluateAccess(
      s,
      mergeRequirements(DEFAULT_REQUIREMENTS, {
        objects: [],
        fields: [],
        permissionSets: [],
        systemPermissions: ['PermissionsViewAllData', 'PermissionsApiEnabled'],
      }),
    );
    expect(d.findings.some((f) => f.subject === 'PermissionsViewAllData')).toBe(true);
    const p = planRemediation(d);
    // Before: the plan asked View All Data, which both appliers refuse, so nothing could be applied.
    expect(p.systemPermissions).not.toContain('PermissionsViewAllData');
    expect(planGrantRefusal(p)).toBeNull();
    expect(p.manualSteps).toContainEqual(
      expect.objectContaining({
        subject: 'PermissionsViewAllData',
        step: expect.stringMatching(
          /^Sync Doctor does not grant "View All Data" \(it grants only API Enabled, Edit Tasks, Edit Events and View All Users\)/,
        ),
      }),
    );
  });

  it('refuses a hand-made plan asking View All, Modify All or a system permission off the list', () => {
    const row = { sobjectType: 'Account', read: true };
    expect(planGrantRefusal({ objectPermissions: [{ ...row, viewAll: true }] })).toBe(
      'Sync Doctor never grants View All on Account: grant it yourself if the integration user really needs it.',
    );
    expect(planGrantRefusal({ objectPermissions: [{ ...row, modifyAll: true }] })).toMatch(
      'never grants Modify All on Account',
    );
    // What an applier might take for true is no answer: refused before it could be taken as one.
    expect(planGrantRefusal({ objectPermissions: [{ ...row, modifyAll: 'true' }] })).toBe(
      'modifyAll must be true or false, not "true".',
    );
    expect(
      planGrantRefusal({ objectPermissions: [], systemPermissions: ['PermissionsModifyMetadata'] }),
    ).toMatch('grants only the system permissions');
    expect(systemPermissionRefusal('permissionsmodifyalldata')).toMatch(
      'never grants permissionsmodifyalldata',
    );
    expect(
      planGrantRefusal({
        objectPermissions: [{ ...row, viewAll: false, modifyAll: false }],
        systemPermissions: GRANTABLE_SYSTEM_PERMISSIONS.map((p) => p.toLowerCase()),
      }),
    ).toBeNull();
  });

  it('grants Delete when the requirements ask it (a HubSpot deletion setting), with the Edit and Read it needs in the row', () => {
    const s = fixture('healthy');
    removeObjectRows(s, 'Lead');
    const d = evaluateAccess(
      s,
      mergeRequirements(DEFAULT_REQUIREMENTS, {
        objects: [{ name: 'Lead', access: ['read', 'delete'] }],
      }),
    );
    const p = planRemediation(d);
    const lead = p.objectPermissions.find((o) => o.sobjectType === 'Lead');
    expect(lead).toMatchObject({ read: true, create: true, edit: true, delete: true });
    expect(objectRightsRefusal(lead!)).toBeNull();
    expect(planGrantRefusal(p)).toBeNull();
  });

  it('refuses a hand-made row asking a right without the one Salesforce requires beside it, rather than grant one the plan does not list', () => {
    expect(
      objectRightsRefusal({ sobjectType: 'Account', read: false, delete: true, edit: false }),
    ).toBe(
      'The plan asks Delete on Account without Edit, which Salesforce requires with it: Sync Doctor grants exactly the rights a plan lists. Plan the fix again.',
    );
    expect(objectRightsRefusal({ sobjectType: 'Account', edit: true, delete: true })).toBe(
      'The plan asks Edit on Account without Read, which Salesforce requires with it: Sync Doctor grants exactly the rights a plan lists. Plan the fix again.',
    );
    expect(objectRightsRefusal({ sobjectType: 'Lead', create: true })).toMatch(
      'asks Create on Lead without Read',
    );
    expect(
      objectRightsRefusal({ sobjectType: 'Lead', read: true, edit: true, delete: true }),
    ).toBeNull();
    // View All is refused as never granted, before its missing Read is mentioned.
    expect(objectRightsRefusal({ sobjectType: 'Lead', viewAll: true })).toMatch(
      'never grants View All on Lead',
    );
  });

  it('refuses a right that is neither true nor false, of an object or a field', () => {
    expect(objectRightsRefusal({ sobjectType: 'Lead', read: 1 })).toBe(
      'read must be true or false, not 1.',
    );
    expect(
      planGrantRefusal({
        objectPermissions: [],
        fieldPermissions: [{ field: 'Lead.Email', read: true, edit: 'yes' }],
      }),
    ).toBe('edit must be true or false, not "yes".');
    expect(
      planGrantRefusal({
        objectPermissions: [],
        fieldPermissions: [{ field: 'Lead.Email', read: true, edit: false }],
      }),
    ).toBeNull();
  });

  it('splits the object rights into grantable and never granted, and each right needs only grantable ones when grantable', () => {
    expect([...GRANTABLE_OBJECT_RIGHTS, ...NEVER_GRANTED_OBJECT_RIGHTS].sort()).toEqual(
      [...OBJECT_RIGHTS].sort(),
    );
    expect(NEVER_GRANTED_OBJECT_RIGHTS).toEqual(['viewAll', 'modifyAll']);
    for (const right of GRANTABLE_OBJECT_RIGHTS)
      expect(
        withObjectRightDependencies([right]).filter((r) => !GRANTABLE_OBJECT_RIGHTS.includes(r)),
      ).toEqual([]);
    expect(withObjectRightDependencies(['delete'])).toEqual(['read', 'edit', 'delete']);
    expect(withObjectRightDependencies(['modifyAll'])).toEqual([
      'read',
      'edit',
      'delete',
      'viewAll',
      'modifyAll',
    ]);
  });

  it('keeps the never-granted list off the grantable one', () => {
    const grantable = GRANTABLE_SYSTEM_PERMISSIONS.map((p) => p.toLowerCase());
    expect(
      NEVER_GRANTED_SYSTEM_PERMISSIONS.filter((p) => grantable.includes(p.toLowerCase())),
    ).toEqual([]);
  });
});

describe('which permission sets a plan may assign (grantable.ts)', () => {
  const hubspot = {
    Name: 'HubSpot_Integration_Permissions',
    Label: 'HubSpot Integration Permissions',
    NamespacePrefix: 'HubSpot',
    IsOwnedByProfile: false,
    PermissionsApiEnabled: true,
    PermissionsViewAllUsers: true,
    ...Object.fromEntries(NEVER_GRANTED_SYSTEM_PERMISSIONS.map((p) => [p, false])),
  };

  it("assigns a set holding none of the never-granted permissions, HubSpot's own set included", () => {
    expect(permissionSetAssignmentRefusal(hubspot)).toBeNull();
    expect(
      assignmentRefusal([hubspot, { ...hubspot, Name: 'Other', NamespacePrefix: null }]),
    ).toBeNull();
    expect(assignmentRefusal([])).toBeNull();
  });

  it('refuses a set granting Modify All Data, naming the set and the permission in Setup words', () => {
    const refusal = permissionSetAssignmentRefusal({
      Name: 'Everything',
      Label: 'Everything Admin',
      NamespacePrefix: null,
      IsOwnedByProfile: false,
      PermissionsModifyAllData: true,
      PermissionsViewAllData: true,
    });
    expect(refusal).toBe(
      "Sync Doctor never assigns the permission set Everything Admin (Everything): it grants Modify All Data and View All Data, far beyond what HubSpot's sync needs. Assign it yourself in Setup if the integration user really needs it.",
    );
  });

  it('refuses each never-granted permission, in any case the columns come', () => {
    for (const permission of NEVER_GRANTED_SYSTEM_PERMISSIONS) {
      const refusal = permissionSetAssignmentRefusal({
        ...hubspot,
        [permission]: false,
        [permission.toLowerCase()]: true,
      });
      expect(refusal).toContain(`it grants ${NEVER_GRANTED_PERMISSION_LABELS[permission]},`);
      expect(refusal).toContain(
        'HubSpot Integration Permissions (HubSpot__HubSpot_Integration_Permissions)',
      );
    }
    expect(Object.keys(NEVER_GRANTED_PERMISSION_LABELS).sort()).toEqual(
      [...NEVER_GRANTED_SYSTEM_PERMISSIONS].sort(),
    );
  });

  it("refuses a set that could take over a user's account or open records by sharing or roles", () => {
    // Manage Internal Users, or Reset User Passwords and Unlock Users: reset an admin's password and
    // sign in as them. Manage Sharing and Manage Roles: open any record to the integration user.
    for (const [permission, label] of [
      ['PermissionsManageInternalUsers', 'Manage Internal Users'],
      ['PermissionsResetPasswords', 'Reset User Passwords and Unlock Users'],
      ['PermissionsManageSharing', 'Manage Sharing'],
      ['PermissionsManageRoles', 'Manage Roles'],
    ] as const) {
      expect(permissionSetAssignmentRefusal({ ...hubspot, [permission]: true })).toBe(
        `Sync Doctor never assigns the permission set HubSpot Integration Permissions (HubSpot__HubSpot_Integration_Permissions): it grants ${label}, far beyond what HubSpot's sync needs. Assign it yourself in Setup if the integration user really needs it.`,
      );
      expect(systemPermissionRefusal(permission)).toBe(
        `Sync Doctor never grants ${permission}: grant it yourself if you really mean to.`,
      );
    }
  });

  it("still assigns a set holding Modify Metadata or Download AppExchange Packages: HubSpot's own set may", () => {
    expect(
      permissionSetAssignmentRefusal({
        ...hubspot,
        PermissionsModifyMetadata: true,
        PermissionsInstallPackaging: true,
      }),
    ).toBeNull();
  });

  it('refuses the first refused set of several, and a profile-owned set', () => {
    expect(
      assignmentRefusal([
        hubspot,
        { ...hubspot, Name: 'Apex', Label: 'Apex', PermissionsAuthorApex: true },
      ]),
    ).toMatch(
      /^Sync Doctor never assigns the permission set Apex \(HubSpot__Apex\): it grants Author Apex,/,
    );
    expect(permissionSetAssignmentRefusal({ ...hubspot, IsOwnedByProfile: true })).toMatch(
      /it belongs to a profile/,
    );
  });

  it("does not refuse View All or Modify All on objects, which HubSpot's own set may hold on its objects", () => {
    // The object rights are ObjectPermissions rows, not PermissionSet columns; a set row reporting
    // them (as some tools flatten it) still is no refusal: only the system permissions listed count.
    expect(
      permissionSetAssignmentRefusal({
        ...hubspot,
        PermissionsViewAllRecords: true,
        PermissionsModifyAllRecords: true,
      }),
    ).toBeNull();
    // Only true counts: Salesforce answers booleans.
    expect(
      permissionSetAssignmentRefusal({ ...hubspot, PermissionsModifyAllData: 'true' }),
    ).toBeNull();
  });
});
