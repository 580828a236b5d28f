import { API, asUser, startTestOrg, type TestOrg } from './helpers.js';

/**
 * Which permission sets a user holds now is one rule for every right the simulator checks: a
 * session-based set (HasActivationRequired, on the set or on its group) grants nothing until a
 * session activates it, which the simulator never does. Before, only object and field rights
 * skipped such sets, so a never-activated Modify All Data set still let the relay's user write
 * Contacts, read LoginHistory of everyone and show in its UserPermissionAccess row.
 */
let org: TestOrg;
beforeEach(async () => {
  org = await startTestOrg({ fixture: 'healthy' });
});
afterEach(() => org.sim.close());

/** Gives the relay's user a permission set with Modify All Data (and View Setup), activation-required or not. */
function grantModifyAllData(sessionBased: boolean, via: 'set' | 'group'): void {
  const sim = org.sim;
  let groupId: string | null = null;
  if (via === 'group') {
    groupId = sim.org.insert('PermissionSetGroup', {
      DeveloperName: 'Emergency_Admin',
      MasterLabel: 'Emergency Admin',
      Description: null,
      Status: 'Updated',
      HasActivationRequired: sessionBased,
    }).Id;
  }
  const set = sim.org.insert('PermissionSet', {
    Name: via === 'group' ? 'XEmergencyAdminGroup' : 'Emergency_Admin',
    Label: 'Emergency Admin',
    Type: via === 'group' ? 'Group' : sessionBased ? 'Session' : 'Regular',
    IsOwnedByProfile: false,
    IsCustom: true,
    ProfileId: null,
    PermissionSetGroupId: groupId,
    NamespacePrefix: null,
    HasActivationRequired: via === 'set' && sessionBased,
    PermissionsModifyAllData: true,
    PermissionsViewAllData: true,
    PermissionsViewSetup: true,
    PermissionsManageUsers: true,
  });
  sim.org.insert('PermissionSetAssignment', {
    AssigneeId: sim.relayUser.Id,
    PermissionSetId: set.Id,
    PermissionSetGroupId: groupId,
    ExpirationDate: null,
    IsActive: true,
  });
}

async function relayRights() {
  const as = await asUser(org.sim, org.sim.relayUser.Username);
  const contact = await as('POST', `${API}/sobjects/Contact`, { LastName: 'Sessionless' });
  const access = await as(
    'GET',
    `${API}/query?q=${encodeURIComponent('SELECT PermissionsModifyAllData, PermissionsViewSetup FROM UserPermissionAccess')}`,
  );
  const perms = await as(
    'GET',
    `${API}/query?q=${encodeURIComponent('SELECT Id FROM ObjectPermissions LIMIT 1')}`,
  );
  const logins = await as(
    'GET',
    `${API}/query?q=${encodeURIComponent('SELECT UserId FROM LoginHistory')}`,
  );
  const loginUsers = new Set(
    ((await logins.json()) as { records: Array<{ UserId: string }> }).records.map((r) => r.UserId),
  );
  return {
    contact: contact.status,
    userPermissionAccess: ((await access.json()) as { records: Array<Record<string, unknown>> })
      .records[0],
    objectPermissions: perms.status,
    othersLogins: [...loginUsers].some((id) => id !== org.sim.relayUser.Id),
  };
}

describe.each(['set', 'group'] as const)('a session-based Modify All Data %s', (via) => {
  test('never activated, grants the relay user nothing anywhere', async () => {
    grantModifyAllData(true, via);
    expect(await relayRights()).toEqual({
      contact: 404,
      userPermissionAccess: expect.objectContaining({
        PermissionsModifyAllData: false,
        PermissionsViewSetup: false,
      }),
      objectPermissions: 400,
      othersLogins: false,
    });
    expect(org.sim.records('Contact').some((c) => c.LastName === 'Sessionless')).toBe(false);
  });

  test('the same set without activation required grants everywhere (the control)', async () => {
    grantModifyAllData(false, via);
    expect(await relayRights()).toEqual({
      contact: 201,
      userPermissionAccess: expect.objectContaining({
        PermissionsModifyAllData: true,
        PermissionsViewSetup: true,
      }),
      objectPermissions: 200,
      othersLogins: true,
    });
  });
});
