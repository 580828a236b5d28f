import { startOrgSimulator, type FixtureChange, type OrgSimulator } from '../src/index.js';

// useFixture(name, size, { changes }): a switch of a running simulator takes its own fixture
// changes, as startOrgSimulator({ changes }) does, for that switch only.

const FREEZE: FixtureChange = { op: 'freezeUser', user: 'integration' };
const NO_MANAGE_USERS: FixtureChange = {
  op: 'setSystemPermission',
  profile: 'System Administrator',
  permission: 'PermissionsManageUsers',
  value: false,
};

const frozen = (sim: OrgSimulator) =>
  sim.records('UserLogin').find((login) => login.UserId === sim.integrationUser.Id)?.IsFrozen;
const adminManagesUsers = (sim: OrgSimulator) => {
  const profileId = sim.records('User').find((user) => user.Id === sim.adminUser.Id)?.ProfileId;
  return sim
    .records('PermissionSet')
    .find((set) => set.IsOwnedByProfile === true && set.ProfileId === profileId)
    ?.PermissionsManageUsers;
};

describe('useFixture with changes', () => {
  let sim: OrgSimulator;
  afterEach(async () => {
    await sim?.close();
  });

  test('apply on the switch and do not leak into the next switch without them', async () => {
    sim = await startOrgSimulator({ fixture: 'healthy' });
    expect(frozen(sim)).toBe(false);
    expect(adminManagesUsers(sim)).toBe(true);

    sim.useFixture('read-only-contacts', 'default', { changes: [FREEZE, NO_MANAGE_USERS] });
    expect(sim.fixture).toBe('read-only-contacts');
    expect(frozen(sim)).toBe(true);
    expect(adminManagesUsers(sim)).toBe(false);

    sim.useFixture('healthy');
    expect(frozen(sim)).toBe(false);
    expect(adminManagesUsers(sim)).toBe(true);
  });

  test("replace the start's changes for that switch; a switch without them has the start's again", async () => {
    sim = await startOrgSimulator({ fixture: 'healthy', changes: [FREEZE] });
    expect(frozen(sim)).toBe(true);

    sim.useFixture('healthy', undefined, { changes: [NO_MANAGE_USERS] });
    expect(frozen(sim)).toBe(false);
    expect(adminManagesUsers(sim)).toBe(false);

    sim.useFixture('healthy', undefined, { changes: [] });
    expect(frozen(sim)).toBe(false);
    expect(adminManagesUsers(sim)).toBe(true);

    sim.useFixture('read-only-contacts');
    expect(frozen(sim)).toBe(true);
    expect(adminManagesUsers(sim)).toBe(true);
  });

  test("the start's changes are copied: changing the caller's array afterwards changes no switch", async () => {
    const changes: FixtureChange[] = [];
    sim = await startOrgSimulator({ fixture: 'healthy', changes });
    changes.push(FREEZE);
    sim.useFixture('read-only-contacts');
    expect(frozen(sim)).toBe(false);
  });

  test('a switch whose changes fail leaves the org as it was', async () => {
    sim = await startOrgSimulator({ fixture: 'healthy' });
    expect(() =>
      sim.useFixture('read-only-contacts', 'default', {
        changes: [{ op: 'freezeUser', user: 'nobody' } as FixtureChange],
      }),
    ).toThrow();
    expect(sim.fixture).toBe('healthy');
    expect(frozen(sim)).toBe(false);
  });
});
