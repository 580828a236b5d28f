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
    // The regular members' names come with the components (TYPEOF), no query more.
    expect(decodeURIComponent(components!.url)).toContain(
      "SELECT PermissionSetGroupId, PermissionSetId, TYPEOF PermissionSet WHEN PermissionSet THEN Id, Name, Label END FROM PermissionSetGroupComponent WHERE PermissionSetGroupId IN ('0PG000000000001AAA')",
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

  it("gives each group its regular permission sets ([] for none), from the components' TYPEOF", () => {
    const member = (n: string) => ({
      attributes: { type: 'PermissionSet' },
      Id: `0PS00000000${n}AAA`,
      Name: `Set_${n}`,
      Label: `Set ${n}`,
    });
    const out = withMutingSets([profile, a, b], {
      components: [
        {
          PermissionSetGroupId: '0PG000000000001AAA',
          PermissionSetId: '0QM000000000001AAA',
          PermissionSet: { attributes: { type: 'MutingPermissionSet' } },
        },
        {
          PermissionSetGroupId: '0PG000000000001',
          PermissionSetId: '0PS000000000009AAA',
          PermissionSet: member('0009'),
        },
        {
          PermissionSetGroupId: '0PG000000000001AAA',
          PermissionSetId: '0PS000000000008AAA',
          PermissionSet: member('0008'),
        },
      ],
      mutingSets: [],
    });
    expect(out[1]!.PermissionSetGroup?.PermissionSets).toEqual([
      { Id: '0PS000000000009AAA', Name: 'Set_0009', Label: 'Set 0009' },
      { Id: '0PS000000000008AAA', Name: 'Set_0008', Label: 'Set 0008' },
    ]);
    expect(out[2]!.PermissionSetGroup?.PermissionSets).toEqual([]);
    expect(out[0]).toBe(profile);
    // A member that came without its name: the group's sets unread, never a list short of one.
    const unnamed = withMutingSets([a], {
      components: [
        {
          PermissionSetGroupId: '0PG000000000001AAA',
          PermissionSetId: '0PS000000000009AAA',
          PermissionSet: { attributes: { type: 'PermissionSet' }, Id: '0PS000000000009AAA' },
        },
        {
          PermissionSetGroupId: '0PG000000000001AAA',
          PermissionSetId: '0PS000000000008AAA',
          PermissionSet: { Id: '0PS000000000008AAA', Name: 'Set_8', Label: 'Set 8' },
        },
      ],
      mutingSets: [],
    });
    expect(unnamed[0]!.PermissionSetGroup).not.toHaveProperty('PermissionSets');
    expect(unnamed[0]!.PermissionSetGroup?.MutingPermissionSets).toEqual([]);
  });

  it("tells a group's regular sets from its muting ones by the record's type, not its Id prefix", () => {
    // No Salesforce document gives the prefixes: the TYPEOF answer's attributes.type says it.
    const out = withMutingSets([a], {
      components: [
        {
          PermissionSetGroupId: '0PG000000000001AAA',
          PermissionSetId: '1X2000000000001AAA',
          PermissionSet: {
            attributes: { type: 'PermissionSet' },
            Id: '1X2000000000001AAA',
            Name: 'HubSpot_Integration',
            Label: 'HubSpot Integration',
          },
        },
        {
          PermissionSetGroupId: '0PG000000000001AAA',
          PermissionSetId: '0PS000000000007AAA',
          PermissionSet: { attributes: { type: 'MutingPermissionSet' } },
        },
        {
          PermissionSetGroupId: '0PG000000000001AAA',
          PermissionSetId: '1X3000000000001AAA',
          PermissionSet: { attributes: { type: 'MutingPermissionSet' } },
        },
      ],
      mutingSets: [
        {
          attributes: { type: 'MutingPermissionSet' },
          Id: '1X3000000000001AAA',
          DeveloperName: 'Mutes',
          MasterLabel: 'Mutes',
        },
      ],
    });
    expect(out[0]!.PermissionSetGroup?.PermissionSets).toEqual([
      { Id: '1X2000000000001AAA', Name: 'HubSpot_Integration', Label: 'HubSpot Integration' },
    ]);
    expect(out[0]!.PermissionSetGroup?.MutingPermissionSets).toEqual([
      { Id: '1X3000000000001AAA', DeveloperName: 'Mutes', MasterLabel: 'Mutes' },
    ]);
    // A member whose type the answer does not say, and no muting set: the group's sets unread.
    const untyped = withMutingSets([a], {
      components: [
        {
          PermissionSetGroupId: '0PG000000000001AAA',
          PermissionSetId: '0QM000000000001AAA',
          PermissionSet: null,
        },
      ],
      mutingSets: [],
    });
    expect(untyped[0]!.PermissionSetGroup).not.toHaveProperty('PermissionSets');
    expect(untyped[0]!.PermissionSetGroup?.MutingPermissionSets).toEqual([]);
  });

  it('leaves the groups without MutingPermissionSets when they were not read: unknown, never none', () => {
    const out = withMutingSets([profile, a], undefined);
    expect(out).toEqual([profile, a]);
    expect(out[1]!.PermissionSetGroup).not.toHaveProperty('MutingPermissionSets');
    expect(out[1]!.PermissionSetGroup).not.toHaveProperty('PermissionSets');
  });
});
