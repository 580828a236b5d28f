import type { PermissionSetAssignmentRecord } from '@sync-doctor/core';
import { groupIdsOf, mutingSetSubRequests, withMutingSets } from '../src/collect/mutingSets.js';

const profile: PermissionSetAssignmentRecord = {
  Id: '0Pa000000000001AAA',
  PermissionSetId: '0PS000000000001AAA',
  PermissionSet: { Id: '0PS000000000001AAA', Name: 'X00e', IsOwnedByProfile: true },
};
const group = (id: string): PermissionSetAssignmentRecord => ({
  Id: `0Pa00000000000${id.slice(-4)}`,
  PermissionSetId: `0PS00000000000${id.slice(-4)}`,
  PermissionSetGroupId: id,
  PermissionSet: { Id: `0PS00000000000${id.slice(-4)}`, Name: 'Xg', IsOwnedByProfile: false },
  PermissionSetGroup: { Id: id, MasterLabel: `Group ${id.slice(-4)}` },
});

describe("muting permission sets of the user's groups", () => {
  const a = group('0PG000000000001AAA');
  const b = group('0PG000000000002AAA');

  it('asks only about the groups the assignments are of', () => {
    expect(groupIdsOf([profile, a, b, a])).toEqual([
      a.PermissionSetGroupId,
      b.PermissionSetGroupId,
    ]);
    expect(groupIdsOf([profile])).toEqual([]);
    const [components, sets] = mutingSetSubRequests(['0PG000000000001AAA']);
    expect(decodeURIComponent(components!.url)).toContain(
      "FROM PermissionSetGroupComponent WHERE PermissionSetGroupId IN ('0PG000000000001AAA')",
    );
    expect(decodeURIComponent(sets!.url)).toContain(
      "SELECT Id, DeveloperName, MasterLabel, PermissionsApiEnabled, PermissionsEditTask, PermissionsEditEvent FROM MutingPermissionSet WHERE Id IN (SELECT PermissionSetId FROM PermissionSetGroupComponent WHERE PermissionSetGroupId IN ('0PG000000000001AAA'))",
    );
    // Without the columns the org lacks (the caller's), still one query.
    const [, named] = mutingSetSubRequests(['0PG000000000001AAA'], ['Id', 'MasterLabel']);
    expect(decodeURIComponent(named!.url)).toContain(
      'SELECT Id, MasterLabel FROM MutingPermissionSet',
    );
  });

  it('gives each group its own muting sets ([] for none), matching 15- and 18-character ids', () => {
    const out = withMutingSets([profile, a, b], {
      components: [
        { PermissionSetGroupId: '0PG000000000001', PermissionSetId: '0QM000000000001AAA' },
        { PermissionSetGroupId: '0PG000000000001AAA', PermissionSetId: '0PS000000000009AAA' },
        { PermissionSetGroupId: '0PG000000000002AAA', PermissionSetId: '0PS000000000009AAA' },
      ],
      mutingSets: [
        {
          attributes: { type: 'MutingPermissionSet' },
          Id: '0QM000000000001AAA',
          DeveloperName: 'HubSpot_Mutes',
          MasterLabel: 'HubSpot Mutes',
        },
      ],
    });
    expect(out[0]).toBe(profile);
    expect(out[1]!.PermissionSetGroup?.MutingPermissionSets).toEqual([
      { Id: '0QM000000000001AAA', DeveloperName: 'HubSpot_Mutes', MasterLabel: 'HubSpot Mutes' },
    ]);
    expect(out[2]!.PermissionSetGroup?.MutingPermissionSets).toEqual([]);
  });

  it('leaves the groups without MutingPermissionSets when they were not read: unknown, never none', () => {
    const out = withMutingSets([profile, a], undefined);
    expect(out).toEqual([profile, a]);
    expect(out[1]!.PermissionSetGroup).not.toHaveProperty('MutingPermissionSets');
  });
});
