import { generateKeyPairSync } from 'node:crypto';
import {
  CONNECTED_APP_FIELDS,
  DEFAULT_REQUIREMENTS,
  LOGIN_HISTORY_DAYS,
  LOGIN_HISTORY_FIELDS,
  LOGIN_HISTORY_LIMIT,
  evaluateAccess,
  mergeRequirements,
  planRemediation,
  validateSnapshot,
  type Diagnosis,
  type Requirements,
} from '@sync-doctor/core';
import {
  FIXTURE_NAMES,
  startOrgSimulator,
  type FixtureChange,
  type FixtureName,
  type OrgSimulator,
} from '@sync-doctor/org-simulator';
import { collectSnapshot } from '../src/collect/collectSnapshot.js';
import { connect } from '../src/connect.js';
import { SalesforceError } from '../src/errors.js';
import { withSimulator } from './simulator.js';

/**
 * A group whose muting permission set mutes "Edit Tasks": the HubSpot set in it grants Edit Tasks,
 * the profile does not, so only the muting set stands between the user and Task records.
 */
const EDIT_TASK_MUTED: FixtureChange[] = [
  { op: 'unassign', user: 'integration', permissionSet: 'HubSpot_Integration_Permissions' },
  {
    op: 'setSystemPermission',
    profile: 'HubSpot Integration User',
    permission: 'PermissionsEditTask',
    value: false,
  },
  {
    op: 'setSystemPermission',
    permissionSet: 'HubSpot_Integration_Permissions',
    permission: 'PermissionsEditTask',
    value: true,
  },
  {
    op: 'addPermissionSetGroup',
    group: {
      name: 'HubSpot_Tasks',
      label: 'HubSpot Tasks',
      permissionSets: ['HubSpot_Integration_Permissions'],
      muted: { systemPermissions: ['PermissionsEditTask'] },
    },
  },
  { op: 'assign', user: 'integration', group: 'HubSpot_Tasks' },
];

/** What each fixture breaks, as the core must find it in the snapshot the collector reads. */
const BREAKS: Record<FixtureName, (d: Diagnosis) => void> = {
  healthy: (d) => expect(d.findings.filter((f) => f.severity === 'error')).toEqual([]),
  'missing-permission-set': (d) =>
    expect(d.findings).toContainEqual(
      expect.objectContaining({ severity: 'error', subject: 'HubSpot Integration Permissions' }),
    ),
  'read-only-contacts': (d) => {
    expect(d.findings).toContainEqual(
      expect.objectContaining({
        reason: 'OBJECT_PERMISSIONS_MISSING',
        severity: 'error',
        subject: 'Contact',
      }),
    );
    expect(d.objects.find((o) => o.name === 'Contact')?.effective.edit).toBe(false);
  },
  'muted-group': (d) =>
    expect(d.findings).toContainEqual(
      expect.objectContaining({
        reason: 'OBJECT_PERMISSIONS_MISSING',
        severity: 'error',
        subject: 'Contact',
      }),
    ),
  'expired-assignment': (d) =>
    expect(d.findings).toContainEqual(
      expect.objectContaining({ severity: 'error', subject: 'HubSpot Integration Permissions' }),
    ),
  'api-disabled': (d) =>
    expect(d.findings).toContainEqual(
      expect.objectContaining({ reason: 'API_ACCESS_DISABLED', subject: 'PermissionsApiEnabled' }),
    ),
  'api-limit-near': (d) =>
    expect(d.findings).toContainEqual(
      expect.objectContaining({ reason: 'API_LIMIT_EXCEEDED', subject: 'DailyApiRequests' }),
    ),
  'storage-full': (d) =>
    expect(d.findings).toContainEqual(
      expect.objectContaining({ reason: 'STORAGE_LIMIT_EXCEEDED', severity: 'error' }),
    ),
  'inactive-user': (d) =>
    expect(d.findings).toContainEqual(
      expect.objectContaining({ reason: 'API_ACCESS_DISABLED', severity: 'error' }),
    ),
  'hidden-mapped-field': (d) =>
    expect(d.findings).toContainEqual(
      expect.objectContaining({ reason: 'FIELD_PERMISSIONS_MISSING', subject: 'Contact.Email' }),
    ),
  'restricted-ip': (d) =>
    expect(d.findings).toContainEqual(
      expect.objectContaining({ rule: 'login-failures', severity: 'error' }),
    ),
  'admin-approved-app': (d) =>
    expect(d.findings).toContainEqual(
      expect.objectContaining({
        rule: 'connected-app-approval',
        severity: 'error',
        subject: 'HubSpot',
      }),
    ),
  'sync-stopped': (d) =>
    expect(d.findings).toContainEqual(
      expect.objectContaining({ rule: 'hubspot-logins-stopped', severity: 'error' }),
    ),
};

const dataRequests = (sim: OrgSimulator) =>
  sim.requests.filter((r) => r.path.startsWith('/services/data/'));

describe('collectSnapshot on every fixture', () => {
  it('covers every fixture the simulator has', () => {
    expect([...FIXTURE_NAMES].sort()).toEqual(Object.keys(BREAKS).sort());
  });

  it.each([...FIXTURE_NAMES])(
    '%s: a valid snapshot in at most 3 requests (4 with a permission set group), and the diagnosis finds what it breaks',
    async (fixture) => {
      await withSimulator({ fixture }, async (sim) => {
        const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
        sim.resetRequests();
        const result = await collectSnapshot(conn, { user: sim.integrationUser.Username });
        expect(validateSnapshot(result.snapshot)).toMatchObject({ ok: true });
        // A user holding a permission set group costs one composite more: its muting sets.
        const holdsGroup = result.snapshot.assignments?.some((a) => a.PermissionSetGroup) === true;
        expect(result.requests).toBeLessThanOrEqual(holdsGroup ? 4 : 3);
        expect(dataRequests(sim)).toHaveLength(result.requests);
        expect(result.apiUsage).toEqual({ used: expect.any(Number), max: expect.any(Number) });
        expect(result.snapshot.user?.Id).toBe(sim.integrationUser.Id);
        BREAKS[fixture](evaluateAccess(result.snapshot, DEFAULT_REQUIREMENTS));
      });
    },
  );

  it('finds the user by id as well as by username', async () => {
    await withSimulator({ fixture: 'read-only-contacts' }, async (sim) => {
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      const byName = await collectSnapshot(conn, {
        user: sim.integrationUser.Username,
        now: () => new Date('2026-11-28T00:00:00Z'),
      });
      const byId = await collectSnapshot(conn, {
        user: sim.integrationUser.Id,
        now: () => new Date('2026-11-28T00:00:00Z'),
      });
      expect({ ...byId.snapshot, limits: undefined }).toEqual({
        ...byName.snapshot,
        limits: undefined,
      });
    });
  });

  it('reads the facts the core needs: profile, groups, lookups, describes, limits', async () => {
    await withSimulator({ fixture: 'muted-group' }, async (sim) => {
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      const { snapshot } = await collectSnapshot(conn, { user: sim.integrationUser.Username });
      expect(snapshot.assignments?.some((a) => a.PermissionSet.IsOwnedByProfile)).toBe(true);
      expect(snapshot.assignments?.some((a) => a.PermissionSetGroupId)).toBe(true);
      expect(snapshot.fields?.['Contact.AccountId']).toMatchObject({
        exists: true,
        referenceTo: ['Account'],
      });
      expect(Object.keys(snapshot.fields ?? {}).sort()).toEqual(
        DEFAULT_REQUIREMENTS.fields.map((f) => f.name).sort(),
      );
      expect(snapshot.limits?.DailyApiRequests).toMatchObject({
        Max: expect.any(Number),
        Remaining: expect.any(Number),
      });
      expect(JSON.stringify(snapshot)).not.toContain('"attributes"');
    });
  });

  it("names the group's muting permission set, so the finding says which set to change", async () => {
    await withSimulator({ fixture: 'muted-group' }, async (sim) => {
      const [muting] = sim.records('MutingPermissionSet');
      expect(muting).toBeDefined();
      const component = sim
        .records('PermissionSetGroupComponent')
        .find((c) => c.PermissionSetId === muting!.Id);
      const group = sim
        .records('PermissionSetGroup')
        .find((g) => g.Id === component?.PermissionSetGroupId);
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      const { snapshot } = await collectSnapshot(conn, { user: sim.integrationUser.Username });
      const viaGroup = snapshot.assignments?.filter((a) => a.PermissionSetGroup) ?? [];
      expect(viaGroup.length).toBeGreaterThan(0);
      for (const assignment of viaGroup)
        expect(assignment.PermissionSetGroup?.MutingPermissionSets).toEqual([
          {
            Id: muting!.Id,
            DeveloperName: muting!.DeveloperName,
            MasterLabel: muting!.MasterLabel,
            // What it mutes: none of the system permissions the core names (this one mutes Contact).
            PermissionsApiEnabled: false,
            PermissionsEditTask: false,
            PermissionsEditEvent: false,
          },
        ]);
      // A profile's or a plain set's assignment has no group to carry it.
      for (const assignment of snapshot.assignments ?? [])
        if (!assignment.PermissionSetGroup)
          expect(JSON.stringify(assignment)).not.toContain('MutingPermissionSets');
      expect(validateSnapshot(snapshot)).toMatchObject({ ok: true });
      const contact = evaluateAccess(snapshot).findings.find(
        (f) => f.reason === 'OBJECT_PERMISSIONS_MISSING' && f.subject === 'Contact',
      );
      expect(contact?.message).toContain(
        `Permission set group '${String(group!.MasterLabel)}' does not grant it either: if its set 'HubSpot Integration Permissions' grants it, its muting permission set '${String(muting!.MasterLabel)}' removes it.`,
      );
    });
  });

  it('reads what each muting set mutes, so a missing "Edit Tasks" names the set that mutes it, in the same 4 requests', async () => {
    await withSimulator({ fixture: 'healthy', changes: EDIT_TASK_MUTED }, async (sim) => {
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      sim.resetRequests();
      const result = await collectSnapshot(conn, { user: sim.integrationUser.Username });
      expect(result.requests).toBe(4);
      expect(result.absentColumns).toEqual([]);
      const { snapshot } = result;
      expect(validateSnapshot(snapshot)).toMatchObject({ ok: true });
      const group = snapshot.assignments?.find(
        (a) => a.PermissionSetGroup?.DeveloperName === 'HubSpot_Tasks',
      );
      expect(group?.PermissionSetGroup?.MutingPermissionSets).toEqual([
        expect.objectContaining({
          MasterLabel: 'HubSpot Tasks Muting',
          PermissionsApiEnabled: false,
          PermissionsEditTask: true,
          PermissionsEditEvent: false,
        }),
      ]);
      const task = evaluateAccess(snapshot).findings.find(
        (f) => f.reason === 'OBJECT_PERMISSIONS_MISSING' && f.subject === 'Task',
      );
      expect(task?.message).toContain(
        "its muting permission set 'HubSpot Tasks Muting' mutes it, so no set in the group can grant it",
      );
      expect(task?.message).not.toContain('if a set in the group grants it, it is removed by');
      expect(task?.remedy).toContain(
        `Remove "Edit Tasks" from the muting permission set 'HubSpot Tasks Muting' (Setup > Permission Set Groups > 'HubSpot Tasks' > Muting Permission Set 'HubSpot Tasks Muting' > System Permissions); or `,
      );
    });
  });

  it('asks a muting set no permission column the org lacks on PermissionSet, so it costs no retry', async () => {
    await withSimulator(
      {
        fixture: 'healthy',
        changes: EDIT_TASK_MUTED,
        dropColumns: ['PermissionSet.PermissionsApiEnabled'],
      },
      async (sim) => {
        const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
        sim.resetRequests();
        const result = await collectSnapshot(conn, { user: sim.integrationUser.Username });
        // One request more for the assignments' own retry without the column, none for the muting sets.
        expect(result.requests).toBe(5);
        expect(result.absentColumns).toEqual([
          'PermissionSetAssignment.PermissionSet.PermissionsApiEnabled',
        ]);
        const [muting] =
          result.snapshot.assignments?.find((a) => a.PermissionSetGroup)?.PermissionSetGroup
            ?.MutingPermissionSets ?? [];
        expect(muting).toMatchObject({
          MasterLabel: 'HubSpot Tasks Muting',
          PermissionsEditTask: true,
        });
        expect(muting).not.toHaveProperty('PermissionsApiEnabled');
      },
    );
  });

  it('asks the muting sets again without a permission column only MutingPermissionSet lacks: absent, never false', async () => {
    await withSimulator(
      {
        fixture: 'healthy',
        changes: EDIT_TASK_MUTED,
        dropColumns: ['MutingPermissionSet.PermissionsEditTask'],
      },
      async (sim) => {
        const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
        sim.resetRequests();
        const result = await collectSnapshot(conn, { user: sim.integrationUser.Username });
        expect(result.requests).toBe(5);
        expect(result.absentColumns).toEqual(['MutingPermissionSet.PermissionsEditTask']);
        const [muting] =
          result.snapshot.assignments?.find((a) => a.PermissionSetGroup)?.PermissionSetGroup
            ?.MutingPermissionSets ?? [];
        expect(muting).toMatchObject({ MasterLabel: 'HubSpot Tasks Muting' });
        expect(muting).not.toHaveProperty('PermissionsEditTask');
        // Unread, the finding keeps the hint that the set may mute it.
        const task = evaluateAccess(result.snapshot).findings.find(
          (f) => f.reason === 'OBJECT_PERMISSIONS_MISSING' && f.subject === 'Task',
        );
        expect(task?.message).toContain(
          "if its set 'HubSpot Integration Permissions' grants it, its muting permission set 'HubSpot Tasks Muting' removes it.",
        );
      },
    );
  });

  it("reads the group's permission sets with its components, so a required set held through the group counts as assigned", async () => {
    await withSimulator({ fixture: 'muted-group' }, async (sim) => {
      const hubspot = sim
        .records('PermissionSet')
        .find((p) => p.Name === 'HubSpot_Integration_Permissions')!;
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      const result = await collectSnapshot(conn, { user: sim.integrationUser.Username });
      const { snapshot } = result;
      // The user holds HubSpot's set only through the group.
      expect(snapshot.assignments?.some((a) => a.PermissionSetId === hubspot.Id)).toBe(false);
      const viaGroup = snapshot.assignments?.filter((a) => a.PermissionSetGroup) ?? [];
      expect(viaGroup.length).toBeGreaterThan(0);
      for (const assignment of viaGroup)
        expect(assignment.PermissionSetGroup?.PermissionSets).toEqual([
          { Id: hubspot.Id, Name: hubspot.Name, Label: hubspot.Label },
        ]);
      expect(validateSnapshot(snapshot)).toMatchObject({ ok: true });
      // No query more: the same components answer the muting sets and the regular ones.
      expect(result.requests).toBe(4);
      const d = evaluateAccess(snapshot);
      expect(d.findings.filter((f) => f.rule === 'required-permission-set')).toEqual([]);
      expect(JSON.stringify(d.findings)).not.toContain("add 'HubSpot Integration Permissions'");
      expect(planRemediation(d).assignPermissionSets).toEqual([]);
      expect(d.grants?.find((g) => g.kind === 'permissionSet')).toMatchObject({
        granted: true,
        by: [expect.stringContaining('HubSpot Integration')],
      });
      // The muting set still takes Contact's Create and Edit away: that finding stays.
      expect(d.findings).toContainEqual(
        expect.objectContaining({ reason: 'OBJECT_PERMISSIONS_MISSING', subject: 'Contact' }),
      );
    });
  });

  it('a group without a muting permission set is read as none ([]), not as unread', async () => {
    await withSimulator({ fixture: 'muted-group' }, async (sim) => {
      for (const component of sim.records('PermissionSetGroupComponent'))
        if (String(component.PermissionSetId).startsWith('0QM'))
          sim.org.delete(String(component.Id));
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      const { snapshot } = await collectSnapshot(conn, { user: sim.integrationUser.Username });
      const viaGroup = snapshot.assignments?.filter((a) => a.PermissionSetGroup) ?? [];
      expect(viaGroup.length).toBeGreaterThan(0);
      for (const assignment of viaGroup)
        expect(assignment.PermissionSetGroup?.MutingPermissionSets).toEqual([]);
    });
  });

  it('reads whether a permission set group needs a session to activate, so its rights are not counted', async () => {
    await withSimulator({ fixture: 'muted-group' }, async (sim) => {
      const groups = sim.records('PermissionSetGroup');
      expect(groups.length).toBeGreaterThan(0);
      for (const group of groups) group.HasActivationRequired = true;
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      const { snapshot } = await collectSnapshot(conn, { user: sim.integrationUser.Username });
      const viaGroup = snapshot.assignments?.filter((a) => a.PermissionSetGroupId) ?? [];
      expect(viaGroup.length).toBeGreaterThan(0);
      for (const assignment of viaGroup)
        expect(assignment.PermissionSetGroup?.HasActivationRequired).toBe(true);
      expect(validateSnapshot(snapshot)).toMatchObject({ ok: true });
      const diagnosis = evaluateAccess(snapshot);
      const groupLabel = String(groups[0]!.MasterLabel);
      expect(diagnosis.objects.every((o) => !o.grantedBy.some((g) => g.includes(groupLabel)))).toBe(
        true,
      );
    });
  });

  it('says which user it could not find', async () => {
    await withSimulator({ fixture: 'healthy' }, async (sim) => {
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      await expect(collectSnapshot(conn, { user: 'nobody@acme.example' })).rejects.toMatchObject({
        name: 'SalesforceError',
        errorCode: 'USER_NOT_FOUND',
        message: "No user with username 'nobody@acme.example' in this org",
      });
    });
  });

  it('refuses requirements that would not be SOQL-safe, before any request', async () => {
    await withSimulator({ fixture: 'healthy' }, async (sim) => {
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      sim.resetRequests();
      const bad: Requirements = {
        ...DEFAULT_REQUIREMENTS,
        fields: [{ name: "Contact.Email') OR (Id != null", access: ['read'] }],
      };
      await expect(
        collectSnapshot(conn, { user: sim.integrationUser.Username, requirements: bad }),
      ).rejects.toThrow(/not of the form Object.Field/);
      expect(sim.requests).toHaveLength(0);
    });
  });
});

describe('activities', () => {
  it('reads "Edit Events" when the requirements ask for Event, so a granted right is not reported missing', async () => {
    // base.json: the integration user's profile grants PermissionsEditEvent.
    await withSimulator({ fixture: 'healthy' }, async (sim) => {
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      const requirements = mergeRequirements(DEFAULT_REQUIREMENTS, {
        objects: [{ name: 'Event', access: ['read', 'create', 'edit'] }],
      });
      const result = await collectSnapshot(conn, {
        user: sim.integrationUser.Username,
        requirements,
      });
      expect(
        result.snapshot.assignments!.some((a) => a.PermissionSet.PermissionsEditEvent === true),
      ).toBe(true);
      const d = evaluateAccess(result.snapshot, requirements);
      expect(d.findings.filter((f) => f.subject === 'Event')).toEqual([]);
      expect(d.objects.find((o) => o.name === 'Event')).toMatchObject({
        effective: { create: true, edit: true },
      });
      expect(result.requests).toBe(3);
    });
  });
});

describe('users', () => {
  it('reads "Manage Users" when the requirements ask to edit users, so a granted right is not reported missing', async () => {
    // base.json: the System Administrator profile grants PermissionsManageUsers.
    await withSimulator({ fixture: 'healthy' }, async (sim) => {
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      const requirements = mergeRequirements(DEFAULT_REQUIREMENTS, {
        objects: [{ name: 'User', access: ['read', 'edit'] }],
      });
      const result = await collectSnapshot(conn, { user: sim.adminUser.Username, requirements });
      expect(
        result.snapshot.assignments!.some((a) => a.PermissionSet.PermissionsManageUsers === true),
      ).toBe(true);
      const d = evaluateAccess(result.snapshot, requirements);
      expect(d.findings.filter((f) => f.subject === 'User' && f.severity === 'error')).toEqual([]);
      expect(d.objects.find((o) => o.name === 'User')).toMatchObject({ effective: { edit: true } });
      expect(result.requests).toBe(3);
    });
  });
});

describe('columns an edition lacks', () => {
  it('retries without them in one more request and says which were absent', async () => {
    await withSimulator(
      {
        fixture: 'healthy',
        dropColumns: [
          'PermissionSet.PermissionsViewAllUsers',
          'ObjectPermissions.PermissionsViewAllFields',
        ],
      },
      async (sim) => {
        const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
        const result = await collectSnapshot(conn, { user: sim.integrationUser.Username });
        expect(result.requests).toBe(4);
        expect(result.absentColumns).toEqual([
          'ObjectPermissions.PermissionsViewAllFields',
          'PermissionSetAssignment.PermissionSet.PermissionsViewAllUsers',
        ]);
        expect(validateSnapshot(result.snapshot)).toMatchObject({ ok: true });
        expect(result.snapshot.assignments?.length).toBeGreaterThan(0);
        expect(result.snapshot.assignments?.[0]?.PermissionSet).not.toHaveProperty(
          'PermissionsViewAllUsers',
        );
        expect(
          evaluateAccess(result.snapshot).findings.filter((f) => f.severity === 'error'),
        ).toEqual([]);
      },
    );
  });

  it('tells the core which permissions the org lacks, so they are not reported as not granted', async () => {
    await withSimulator(
      { fixture: 'healthy', dropColumns: ['PermissionSet.PermissionsApiEnabled'] },
      async (sim) => {
        const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
        const requirements = mergeRequirements(DEFAULT_REQUIREMENTS, {
          systemPermissions: ['PermissionsBogus'],
        });
        const result = await collectSnapshot(conn, {
          user: sim.integrationUser.Username,
          requirements,
        });
        expect(result.snapshot.absentPermissions).toEqual([
          'PermissionsApiEnabled',
          'PermissionsBogus',
        ]);
        expect(validateSnapshot(result.snapshot)).toMatchObject({ ok: true });
        const d = evaluateAccess(result.snapshot, requirements);
        expect(d.findings.filter((f) => f.severity === 'error')).toEqual([]);
        expect(d.findings).toContainEqual(
          expect.objectContaining({
            subject: 'PermissionsApiEnabled',
            severity: 'warning',
            rule: 'permission-not-in-org',
          }),
        );
        expect(d.findings).toContainEqual(
          expect.objectContaining({
            subject: 'PermissionsBogus',
            severity: 'warning',
            rule: 'invalid-requirement',
          }),
        );
      },
    );
  });

  it('an org without PermissionsEditTask: Task edit is a warning to check by hand, not "Edit Tasks not granted"', async () => {
    await withSimulator(
      { fixture: 'healthy', dropColumns: ['PermissionSet.PermissionsEditTask'] },
      async (sim) => {
        const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
        const result = await collectSnapshot(conn, { user: sim.integrationUser.Username });
        expect(result.snapshot.absentPermissions).toEqual(['PermissionsEditTask']);
        expect(validateSnapshot(result.snapshot)).toMatchObject({ ok: true });
        const d = evaluateAccess(result.snapshot);
        expect(d.findings.filter((f) => f.severity === 'error')).toEqual([]);
        expect(d.findings).toContainEqual(
          expect.objectContaining({
            subject: 'Task',
            severity: 'warning',
            rule: 'permission-not-in-org',
          }),
        );
        expect(d.verdict).toBe('at-risk');
      },
    );
  });

  it('reads "Update Records with Inactive Owners" in the same 3 requests when the org offers it, so the core can answer an inactive-owner sync error', async () => {
    const column = 'PermissionsUpdateWithInactiveOwner';
    await withSimulator(
      {
        fixture: 'healthy',
        changes: [
          {
            op: 'setSystemPermission',
            permissionSet: 'HubSpot_Integration_Permissions',
            permission: column,
            value: true,
          },
        ],
      },
      async (sim) => {
        const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
        const result = await collectSnapshot(conn, { user: sim.integrationUser.Username });
        expect([result.requests, result.rounds]).toEqual([3, 1]);
        expect(result.absentColumns).toEqual([]);
        expect(result.snapshot.absentPermissions).toEqual([]);
        const sets = result.snapshot.assignments!.map((a) => a.PermissionSet);
        expect(sets.find((p) => p.Name === 'HubSpot_Integration_Permissions')).toMatchObject({
          [column]: true,
        });
        // Every other set (the profile's included) read it too: false, not unread.
        expect(
          sets.filter((p) => p.Name !== 'HubSpot_Integration_Permissions').length,
        ).toBeGreaterThan(0);
        for (const set of sets.filter((p) => p.Name !== 'HubSpot_Integration_Permissions'))
          expect(set[column]).toBe(false);
        expect(validateSnapshot(result.snapshot)).toMatchObject({ ok: true });
        expect(evaluateAccess(result.snapshot).sideGrants).toEqual([
          {
            kind: 'systemPermission',
            name: column,
            by: ['Permission set: HubSpot Integration Permissions'],
            granted: true,
          },
        ]);
      },
    );
  });

  it("an org whose User Interface setting for it is off: one more request, and the snapshot says the org lacks the permission, never 'not granted'", async () => {
    await withSimulator({ fixture: 'healthy', inactiveOwnerPermissions: false }, async (sim) => {
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      const result = await collectSnapshot(conn, { user: sim.integrationUser.Username });
      expect([result.requests, result.rounds]).toEqual([4, 2]);
      expect(result.absentColumns).toEqual([
        'PermissionSetAssignment.PermissionSet.PermissionsUpdateWithInactiveOwner',
      ]);
      expect(result.snapshot.absentPermissions).toEqual(['PermissionsUpdateWithInactiveOwner']);
      expect(validateSnapshot(result.snapshot)).toMatchObject({ ok: true });
      const d = evaluateAccess(result.snapshot);
      expect(d.sideGrants).toEqual([
        {
          kind: 'systemPermission',
          name: 'PermissionsUpdateWithInactiveOwner',
          by: [],
          absent: true,
        },
      ]);
      // Never required: the org's verdict does not change for it.
      expect(d.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    });
  });

  it("a second read given the first one's absentColumns asks none of them again: no retry, still absent", async () => {
    await withSimulator({ fixture: 'healthy', inactiveOwnerPermissions: false }, async (sim) => {
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      const first = await collectSnapshot(conn, { user: sim.integrationUser.Username });
      expect(first.requests).toBe(4);
      const again = await collectSnapshot(conn, {
        user: sim.integrationUser.Username,
        // A column that is not optional is asked whatever the caller says.
        absentColumns: [...first.absentColumns, 'PermissionSetAssignment.PermissionSet.Name'],
      });
      expect([again.requests, again.rounds]).toEqual([3, 1]);
      expect(again.absentColumns).toEqual(first.absentColumns);
      expect(again.snapshot.absentPermissions).toEqual(['PermissionsUpdateWithInactiveOwner']);
      expect(again.snapshot.assignments?.[0]?.PermissionSet.Name).toEqual(expect.any(String));
      // The same permission sets, read the same (the limits moved with the first read's requests).
      expect(again.snapshot.assignments).toEqual(first.snapshot.assignments);
    });
  });

  it('still fails on a column that is not optional', async () => {
    await withSimulator(
      { fixture: 'healthy', dropColumns: ['PermissionSet.Label'] },
      async (sim) => {
        const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
        await expect(
          collectSnapshot(conn, { user: sim.integrationUser.Username }),
        ).rejects.toMatchObject({ errorCode: 'INVALID_FIELD' });
      },
    );
  });
});

describe('objects the org does not have', () => {
  it('says which required objects exist, in the same 3 requests, and the core reports a missing one once', async () => {
    await withSimulator({ fixture: 'healthy' }, async (sim) => {
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      const requirements = mergeRequirements(DEFAULT_REQUIREMENTS, {
        objects: [{ name: 'Nope__c', access: ['read', 'edit'] }],
        fields: [{ name: 'Invoice__c.Amount__c', access: ['read', 'edit'] }],
      });
      const result = await collectSnapshot(conn, {
        user: sim.integrationUser.Username,
        requirements,
      });
      expect(result.requests).toBe(3);
      expect(result.snapshot.objects).toMatchObject({
        Nope__c: { exists: false },
        Invoice__c: { exists: false },
        Campaign: { exists: true },
        Contact: { exists: true },
      });
      expect(Object.keys(result.snapshot.objects ?? {}).sort()).toEqual(
        [...DEFAULT_REQUIREMENTS.objects.map((o) => o.name), 'Invoice__c', 'Nope__c'].sort(),
      );
      expect(validateSnapshot(result.snapshot)).toMatchObject({ ok: true });
      const d = evaluateAccess(result.snapshot, requirements);
      const missing = d.findings.filter((f) => f.severity === 'error');
      expect(missing.map((f) => [f.subject, f.rule])).toEqual([
        ['Nope__c', 'object-does-not-exist'],
        ['Invoice__c', 'object-does-not-exist'],
      ]);
    });
  });

  it("keeps the default requirements at 3 requests in 1 round (issue 4's budget), Login History and the connected app sharing one composite, 2 without both", async () => {
    await withSimulator({ fixture: 'healthy' }, async (sim) => {
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      const without = await collectSnapshot(conn, {
        user: sim.integrationUser.Username,
        loginHistory: false,
        connectedApps: false,
      });
      expect([without.requests, without.rounds]).toEqual([2, 1]);
      expect(without.snapshot).not.toHaveProperty('logins');
      expect(without.snapshot).not.toHaveProperty('connectedApps');
      expect(without.loginHistory).toBeUndefined();
      expect(without.connectedApps).toBeUndefined();
      const noApps = await collectSnapshot(conn, {
        user: sim.integrationUser.Username,
        connectedApps: false,
      });
      expect([noApps.requests, noApps.rounds]).toEqual([3, 1]);
      expect(noApps.snapshot).not.toHaveProperty('connectedApps');
      expect(noApps.connectedApps).toBeUndefined();
      // One composite holds both optional sections: the caller's permissions (one query), the
      // username's lookup, the attempts, the apps and the approvals: 5 query slots.
      const result = await collectSnapshot(conn, { user: sim.integrationUser.Username });
      expect([result.requests, result.rounds]).toEqual([3, 1]);
      expect(Object.values(result.snapshot.objects ?? {}).every((o) => o.exists)).toBe(true);
    });
  });
});

describe('large org', () => {
  it('follows nextRecordsUrl pages and gets every row', async () => {
    await withSimulator(
      { fixture: 'read-only-contacts', size: 'large', queryBatchSize: 7 },
      async (sim) => {
        const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
        const paged = await collectSnapshot(conn, {
          user: sim.integrationUser.Username,
          now: () => new Date('2026-11-28T00:00:00Z'),
        });
        const assigned = new Set(
          sim
            .records('PermissionSetAssignment')
            .filter((a) => a.AssigneeId === sim.integrationUser.Id)
            .map((a) => a.PermissionSetId),
        );
        expect(paged.snapshot.assignments).toHaveLength(assigned.size);
        expect(assigned.size).toBeGreaterThan(7 * 3);
        expect(paged.rounds).toBeGreaterThan(3);
        // Pages of different queries share rounds: far fewer requests than pages.
        const pages =
          Math.ceil(assigned.size / 7) +
          Math.ceil(paged.snapshot.fieldPermissions!.length / 7) +
          Math.ceil(paged.snapshot.objectPermissions!.length / 7);
        expect(paged.requests).toBeLessThan(pages);
        expect(validateSnapshot(paged.snapshot)).toMatchObject({ ok: true });
        BREAKS['read-only-contacts'](evaluateAccess(paged.snapshot));
      },
    );
  });

  it("reads the object permissions of an extra field's object the requirements do not name (the core's snapshotScope)", async () => {
    await withSimulator({ fixture: 'healthy', size: 'large' }, async (sim) => {
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      const requirements = mergeRequirements(DEFAULT_REQUIREMENTS, {
        fields: [{ name: 'Custom_Object_004__c.Status__c', access: ['read'] }],
      });
      const { snapshot } = await collectSnapshot(conn, {
        user: sim.integrationUser.Username,
        requirements,
      });
      const parents = new Set(
        sim
          .records('PermissionSetAssignment')
          .filter((a) => a.AssigneeId === sim.integrationUser.Id)
          .map((a) => String(a.PermissionSetId)),
      );
      const truth = sim
        .records('ObjectPermissions')
        .filter((r) => parents.has(String(r.ParentId)) && r.SobjectType === 'Custom_Object_004__c');
      expect(truth.length).toBeGreaterThan(0);
      expect(
        snapshot.objectPermissions?.filter((r) => r.SobjectType === 'Custom_Object_004__c'),
      ).toHaveLength(truth.length);
      // Only the scope: no other custom object of the large org is read.
      expect(
        snapshot.objectPermissions?.filter(
          (r) =>
            r.SobjectType.startsWith('Custom_Object_') && r.SobjectType !== 'Custom_Object_004__c',
        ),
      ).toEqual([]);
      // So the core does not call the object unreadable (the user's permission sets grant read).
      expect(
        evaluateAccess(snapshot, requirements).findings.filter(
          (f) => f.subject === 'Custom_Object_004__c',
        ),
      ).toEqual([]);
    });
  });

  it('chunks long IN lists and reads exactly the rows the org holds', async () => {
    await withSimulator({ fixture: 'healthy', size: 'large' }, async (sim) => {
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      const objects = Array.from(
        { length: 120 },
        (_, i) => `Custom_Object_${String(i + 1).padStart(3, '0')}__c`,
      );
      const requirements: Requirements = {
        objects: objects.map((name) => ({ name, access: ['read', 'edit'] })),
        fields: objects.flatMap((o) =>
          ['Status__c', 'Amount__c', 'Account__c', 'Notes__c'].map((f) => ({
            name: `${o}.${f}`,
            access: ['read', 'edit'] as ('read' | 'edit')[],
          })),
        ),
        permissionSets: [],
        systemPermissions: ['PermissionsApiEnabled'],
      };
      sim.resetRequests();
      const { snapshot, requests } = await collectSnapshot(conn, {
        user: sim.integrationUser.Username,
        requirements,
      });

      const parents = new Set(
        sim
          .records('PermissionSetAssignment')
          .filter((a) => a.AssigneeId === sim.integrationUser.Id)
          .map((a) => String(a.PermissionSetId)),
      );
      const wantedFields = new Set(requirements.fields.map((f) => f.name.toLowerCase()));
      const truthFields = sim
        .records('FieldPermissions')
        .filter(
          (r) => parents.has(String(r.ParentId)) && wantedFields.has(String(r.Field).toLowerCase()),
        );
      const truthObjects = sim
        .records('ObjectPermissions')
        .filter((r) => parents.has(String(r.ParentId)) && objects.includes(String(r.SobjectType)));
      expect(truthFields.length).toBeGreaterThan(50);
      expect(snapshot.fieldPermissions?.map((r) => `${r.ParentId}|${r.Field}`).sort()).toEqual(
        truthFields.map((r) => `${r.ParentId}|${r.Field}`).sort(),
      );
      expect(
        snapshot.objectPermissions
          ?.filter((r) => objects.includes(r.SobjectType))
          .map((r) => `${r.ParentId}|${r.SobjectType}`)
          .sort(),
      ).toEqual(truthObjects.map((r) => `${r.ParentId}|${r.SobjectType}`).sort());
      expect(Object.keys(snapshot.fields ?? {})).toHaveLength(requirements.fields.length);
      expect(snapshot.fields?.['Custom_Object_001__c.Account__c']).toMatchObject({
        exists: true,
        referenceTo: ['Account'],
      });

      // 120 describes at 20 per composite and the IN lists at ~4,000 characters per query.
      const queries = (
        sim.requests
          .filter((r) => r.path.includes('/composite'))
          .map((r) => JSON.stringify(r.body))
          .join('')
          .match(/\/query\?q=/g) ?? []
      ).length;
      expect(queries).toBeGreaterThan(5);
      expect(requests).toBeLessThanOrEqual(10);
      expect(validateSnapshot(snapshot)).toMatchObject({ ok: true });
    });
  });
});

describe('JWT bearer session against the simulator', () => {
  it('signs in, and signs again once when the session expires mid-collection', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await withSimulator(
      { fixture: 'read-only-contacts', jwtPublicKey: publicKey, clientId: '3MVG9SyncDoctor' },
      async (sim) => {
        const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
        const conn = await connect({
          kind: 'jwt',
          clientId: '3MVG9SyncDoctor',
          privateKey: pem,
          username: sim.adminUser.Username,
          loginUrl: sim.url,
        });
        sim.expireSession(conn.accessToken!);
        sim.resetRequests();
        const result = await collectSnapshot(conn, { user: sim.integrationUser.Username });
        expect(validateSnapshot(result.snapshot)).toMatchObject({ ok: true });
        // The 3 parallel requests met the expired session; one token request renewed it for all.
        expect(
          sim.requests.filter((r) => r.path.startsWith('/services/oauth2/token')),
        ).toHaveLength(1);
        expect(result.requests).toBe(6);
        BREAKS['read-only-contacts'](evaluateAccess(result.snapshot));
      },
    );
  });

  it('a key the org does not know is refused as an auth error', async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { privateKey: otherKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await withSimulator({ fixture: 'healthy', jwtPublicKey: publicKey }, async (sim) => {
      const pem = otherKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      await expect(
        connect({
          kind: 'jwt',
          clientId: 'x',
          privateKey: pem,
          username: sim.adminUser.Username,
          loginUrl: sim.url,
        }),
      ).rejects.toMatchObject({
        name: 'SalesforceError',
        reason: 'API_ACCESS_DISABLED',
      });
    });
  });
});

describe('faults', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeAll(() => process.on('unhandledRejection', onUnhandled));
  afterAll(() => process.off('unhandledRejection', onUnhandled));

  const cases = [
    {
      fault: 'REQUEST_LIMIT_EXCEEDED',
      reason: 'API_LIMIT_EXCEEDED',
      statusCode: 403,
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
    },
    {
      fault: 'API_DISABLED_FOR_ORG',
      reason: 'API_ACCESS_DISABLED',
      statusCode: 403,
      errorCode: 'API_DISABLED_FOR_ORG',
    },
    {
      fault: 'INVALID_SESSION_ID',
      reason: 'API_ACCESS_DISABLED',
      statusCode: 401,
      errorCode: 'INVALID_SESSION_ID',
    },
    {
      fault: 'SERVER_UNAVAILABLE',
      reason: 'ORG_UNAVAILABLE',
      statusCode: 503,
      errorCode: 'SERVER_UNAVAILABLE',
    },
    {
      fault: 'INTERNAL_SERVER_ERROR',
      reason: 'SERVER_ERROR',
      statusCode: 500,
      errorCode: 'UNKNOWN_EXCEPTION',
    },
  ] as const;

  let sim: OrgSimulator;
  beforeAll(async () => {
    sim = await startOrgSimulator({ fixture: 'healthy', port: 0 });
  });
  afterAll(() => sim.close());
  afterEach(() => sim.clearFaults());

  describe.each(['/composite', '/limits'])('on %s', (path) => {
    it.each(cases)(
      '$fault becomes a SalesforceError with reason $reason',
      async ({ fault, reason, statusCode, errorCode }) => {
        const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
        sim.injectFault({ path, fault });
        const error = await collectSnapshot(conn, { user: sim.integrationUser.Username }).catch(
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(SalesforceError);
        expect(error).toMatchObject({ reason, statusCode, errorCode });
        await new Promise((r) => setImmediate(r));
        expect(unhandled).toEqual([]);
      },
    );
  });

  it('a fault inside a composite sub-request is typed the same way', async () => {
    const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    sim.injectFault({
      path: /\/query\?q=SELECT.*FROM%20FieldPermissions/,
      fault: 'SERVER_UNAVAILABLE',
      times: 1,
    });
    await expect(
      collectSnapshot(conn, { user: sim.integrationUser.Username }),
    ).rejects.toMatchObject({
      name: 'SalesforceError',
      reason: 'ORG_UNAVAILABLE',
      statusCode: 503,
      request: expect.stringMatching(/^composite:/),
    });
  });

  it('a slow org ends in REQUEST_TIMEOUT when it exceeds the timeout, and is waited for otherwise', async () => {
    const impatient = await connect({
      instanceUrl: sim.url,
      accessToken: sim.accessToken,
      timeoutMs: 150,
    });
    sim.injectFault({ path: '/limits', fault: 'SLOW', delayMs: 600, times: 1 });
    await expect(
      collectSnapshot(impatient, { user: sim.integrationUser.Username }),
    ).rejects.toMatchObject({ errorCode: 'REQUEST_TIMEOUT' });
    await new Promise((r) => setTimeout(r, 600));
    const patient = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
    sim.injectFault({ path: '/limits', fault: 'SLOW', delayMs: 100, times: 1 });
    await expect(
      collectSnapshot(patient, { user: sim.integrationUser.Username }),
    ).resolves.toMatchObject({ requests: 3 });
    expect(unhandled).toEqual([]);
  });

  it('a session that expires mid-way is renewed once with the refresh token', async () => {
    const conn = await connect({
      instanceUrl: sim.url,
      accessToken: sim.accessToken,
      refreshToken: sim.refreshToken,
      clientId: 'sync-doctor',
      loginUrl: sim.url,
    });
    sim.injectFault({ path: '/composite', fault: 'INVALID_SESSION_ID', times: 1 });
    const result = await collectSnapshot(conn, { user: sim.integrationUser.Username });
    expect(result.requests).toBe(4);
    expect(validateSnapshot(result.snapshot)).toMatchObject({ ok: true });
    expect(sim.requests.some((r) => r.path.startsWith('/services/oauth2/token'))).toBe(true);
  });
});

describe('Login History', () => {
  it("reads the user's week of attempts, newest first, with the core's fields, in the parallel composite", async () => {
    await withSimulator({ fixture: 'restricted-ip' }, async (sim) => {
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      sim.resetRequests();
      const result = await collectSnapshot(conn, { user: sim.integrationUser.Username });
      const logins = result.snapshot.logins!;
      expect(result.loginHistory).toEqual({ read: true, attempts: logins.length });
      expect(logins.length).toBeGreaterThan(24 * LOGIN_HISTORY_DAYS - 24);
      expect(logins.length).toBeLessThanOrEqual(LOGIN_HISTORY_LIMIT);
      expect(Object.keys(logins[0]!).sort()).toEqual([...LOGIN_HISTORY_FIELDS].sort());
      const times = logins.map((l) => l.LoginTime);
      expect(times).toEqual([...times].sort().reverse());
      expect(logins[0]).toMatchObject({ Status: 'Restricted IP', Application: 'HubSpot' });
      expect(validateSnapshot(result.snapshot)).toMatchObject({ ok: true });
      const d = evaluateAccess(result.snapshot);
      expect(d.verdict).toBe('blocked');
      expect(d.logins).toMatchObject({ failingSince: expect.any(String) });
      expect(d.logins!.failures.map((f) => f.status)).toEqual(['Restricted IP']);
      // By id too: no username lookup in that composite then.
      const byId = await collectSnapshot(conn, { user: sim.integrationUser.Id });
      expect(byId.snapshot.logins).toEqual(logins);
    });
  });

  it('without "Manage Users" leaves logins absent and says why, instead of the caller\'s own attempts', async () => {
    await withSimulator({ fixture: 'healthy' }, async (sim) => {
      for (const set of sim.records('PermissionSet'))
        if (set.PermissionsManageUsers === true) set.PermissionsManageUsers = false;
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      const result = await collectSnapshot(conn, { user: sim.integrationUser.Username });
      expect(result.snapshot).not.toHaveProperty('logins');
      expect(result.loginHistory).toMatchObject({ read: false, cause: 'needs-manage-users' });
      expect(evaluateAccess(result.snapshot).findings.map((f) => f.rule)).not.toContain(
        'no-recent-login',
      );
    });
  });

  it('reads it with "Monitor Login History" instead of "Manage Users", as Salesforce allows', async () => {
    await withSimulator({ fixture: 'healthy' }, async (sim) => {
      for (const set of sim.records('PermissionSet'))
        if (set.PermissionsManageUsers === true) {
          set.PermissionsManageUsers = false;
          set.PermissionsMonitorLoginHistory = true;
        }
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      const result = await collectSnapshot(conn, { user: sim.integrationUser.Username });
      expect(result.loginHistory).toMatchObject({ read: true });
      expect(result.snapshot.logins!.length).toBeGreaterThan(0);
      expect(result.requests).toBe(3);
    });
  });

  it('an org without a "Monitor Login History" column still reads it with "Manage Users"', async () => {
    await withSimulator(
      { fixture: 'healthy', dropColumns: ['PermissionSet.PermissionsMonitorLoginHistory'] },
      async (sim) => {
        const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
        const result = await collectSnapshot(conn, { user: sim.integrationUser.Username });
        expect(result.loginHistory).toMatchObject({ read: true });
        expect(result.snapshot.logins!.length).toBeGreaterThan(0);
        // The shared permission query is asked again without the column: one more request and round.
        expect(result.connectedApps).toMatchObject({ read: true });
        expect([result.requests, result.rounds]).toEqual([4, 2]);
      },
    );
  });

  it('an edition without either optional permission column still reads both sections, one retry per column', async () => {
    await withSimulator(
      {
        fixture: 'healthy',
        dropColumns: [
          'PermissionSet.PermissionsMonitorLoginHistory',
          'PermissionSet.PermissionsManageConnectedApps',
        ],
      },
      async (sim) => {
        const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
        const result = await collectSnapshot(conn, { user: sim.integrationUser.Username });
        expect(result.loginHistory).toMatchObject({ read: true });
        expect(result.connectedApps).toMatchObject({ read: true });
        expect([result.requests, result.rounds]).toEqual([5, 3]);
        expect(validateSnapshot(result.snapshot)).toMatchObject({ ok: true });
      },
    );
  });

  it("sync-stopped: HubSpot's hourly logins stopped 20 hours ago, and that silence is the one finding, an error", async () => {
    let clock = Date.parse('2026-11-29T12:00:00Z');
    const now = () => new Date(clock);
    await withSimulator({ fixture: 'sync-stopped', now }, async (sim) => {
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      const result = await collectSnapshot(conn, { user: sim.integrationUser.Username, now });
      expect(result.snapshot.capturedAt).toBe(now().toISOString());
      const logins = result.snapshot.logins!;
      expect(logins.length).toBeGreaterThan(24 * LOGIN_HISTORY_DAYS - 24);
      expect(new Set(logins.map((l) => l.Status))).toEqual(new Set(['Success']));
      expect(validateSnapshot(result.snapshot)).toMatchObject({ ok: true });
      const d = evaluateAccess(result.snapshot);
      // A stopped sync blocks it (9391a67), whatever stopped it.
      expect(d.verdict).toBe('blocked');
      expect(d.findings).toEqual([
        expect.objectContaining({
          rule: 'hubspot-logins-stopped',
          symptom: 'SYNC_STOPPED',
          severity: 'error',
          subject: sim.integrationUser.Username,
        }),
      ]);
      expect(d.findings[0]!.message).toMatch(/for 20 hours .*about every hour:/);
      // Hours later the org has not started again: the silence only grows.
      clock += 6 * 3_600_000;
      const later = evaluateAccess(
        (await collectSnapshot(conn, { user: sim.integrationUser.Username, now })).snapshot,
      );
      expect(later.findings.map((f) => f.rule)).toEqual(['hubspot-logins-stopped']);
      expect(later.findings[0]!.message).toContain('for 26 hours');
    });
  });

  it('healthy, read hours after the simulator started: HubSpot is still logging in, no warning', async () => {
    let clock = Date.parse('2026-11-29T12:00:00Z');
    const now = () => new Date(clock);
    await withSimulator({ fixture: 'healthy', now }, async (sim) => {
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      clock += 8 * 3_600_000;
      const result = await collectSnapshot(conn, { user: sim.integrationUser.Username, now });
      expect(
        clock - Date.parse(result.snapshot.logins![0]!.LoginTime.replace('+0000', 'Z')),
      ).toBeLessThan(3_600_000);
      const d = evaluateAccess(result.snapshot);
      expect(d.findings).toEqual([]);
      expect(d.verdict).toBe('healthy');
    });
  });

  it('a failure of that read is a note, not a failure of the collection', async () => {
    await withSimulator({ fixture: 'healthy' }, async (sim) => {
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      sim.injectFault({ path: /LoginHistory/, fault: 'INTERNAL_SERVER_ERROR' });
      const result = await collectSnapshot(conn, { user: sim.integrationUser.Username });
      expect(result.snapshot).not.toHaveProperty('logins');
      expect(result.loginHistory).toMatchObject({ read: false, cause: 'error' });
      expect(validateSnapshot(result.snapshot)).toMatchObject({ ok: true });
    });
  });
});

describe("HubSpot's connected app", () => {
  const withoutCustomizeApplication = (sim: OrgSimulator) => {
    for (const set of sim.records('PermissionSet'))
      if (set.PermissionsCustomizeApplication === true) set.PermissionsCustomizeApplication = false;
  };

  it("reads its policies and the user's approvals in the same round, and the core finds the missing approval", async () => {
    await withSimulator({ fixture: 'admin-approved-app' }, async (sim) => {
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      sim.resetRequests();
      const result = await collectSnapshot(conn, { user: sim.integrationUser.Username });
      const section = result.snapshot.connectedApps!;
      // LIKE '%HubSpot%': HubSpot's app and its sales extension (the core keeps only the first).
      expect(section.apps.map((a) => a.Name).sort()).toEqual(['HubSpot', 'HubSpot Sales']);
      expect(Object.keys(section.apps[0]!).sort()).toEqual([...CONNECTED_APP_FIELDS].sort());
      expect(section.apps.find((a) => a.Name === 'HubSpot')).toMatchObject({
        OptionsAllowAdminApprovedUsersOnly: true,
        RefreshTokenValidityPeriod: null,
      });
      expect(section.access).toEqual([]);
      expect(result.connectedApps).toEqual({ read: true, apps: 2, access: 0 });
      expect([result.requests, result.rounds]).toEqual([3, 1]);
      expect(dataRequests(sim)).toHaveLength(3);
      expect(validateSnapshot(result.snapshot)).toMatchObject({ ok: true });
      const d = evaluateAccess(result.snapshot);
      expect(d.verdict).toBe('blocked');
      expect(d.findings).toEqual([
        expect.objectContaining({
          rule: 'connected-app-approval',
          severity: 'error',
          subject: 'HubSpot',
        }),
      ]);
      // By id, the same composite without the lookup: still 3 requests, one round.
      const byId = await collectSnapshot(conn, { user: sim.integrationUser.Id });
      expect(byId.snapshot.connectedApps).toEqual(section);
      expect([byId.requests, byId.rounds]).toEqual([3, 1]);
    });
  });

  it("reads the admin's approvals through the profile's own permission set", async () => {
    await withSimulator({ fixture: 'admin-approved-app' }, async (sim) => {
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      const result = await collectSnapshot(conn, { user: sim.adminUser.Username });
      const hubspot = result.snapshot.connectedApps!.apps.find((a) => a.Name === 'HubSpot')!;
      const profileSet = result.snapshot.assignments!.find(
        (a) => a.PermissionSet.IsOwnedByProfile,
      )!.PermissionSetId;
      expect(result.snapshot.connectedApps!.access).toContainEqual({
        ParentId: profileSet,
        SetupEntityId: hubspot.Id,
      });
      expect(
        evaluateAccess(result.snapshot).findings.filter((f) => f.rule === 'connected-app-approval'),
      ).toEqual([]);
    });
  });

  it('the large size reads the same and finds the same', async () => {
    await withSimulator({ fixture: 'admin-approved-app', size: 'large' }, async (sim) => {
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      const result = await collectSnapshot(conn, { user: sim.integrationUser.Username });
      expect(result.connectedApps).toEqual({ read: true, apps: 2, access: 0 });
      BREAKS['admin-approved-app'](evaluateAccess(result.snapshot));
    });
  });

  it('without "Customize Application" leaves the section absent and says why; the rest is read', async () => {
    await withSimulator({ fixture: 'admin-approved-app' }, async (sim) => {
      withoutCustomizeApplication(sim);
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      const result = await collectSnapshot(conn, { user: sim.integrationUser.Username });
      expect(result.snapshot).not.toHaveProperty('connectedApps');
      expect(result.connectedApps).toMatchObject({
        read: false,
        cause: 'needs-permissions',
        message: expect.stringContaining('Customize Application'),
      });
      expect(result.loginHistory).toMatchObject({ read: true });
      expect(validateSnapshot(result.snapshot)).toMatchObject({ ok: true });
      // Not read is judged nothing, not "not approved".
      expect(evaluateAccess(result.snapshot).verdict).toBe('healthy');
    });
  });

  const withdraw = (sim: OrgSimulator, column: string) => {
    for (const set of sim.records('PermissionSet')) if (set[column] === true) set[column] = false;
  };
  const NEEDS_PERMISSIONS = {
    read: false,
    cause: 'needs-permissions',
    message:
      'HubSpot\'s connected app not read: reading connected apps needs "Customize Application" and either "Modify All Data" or "Manage Connected Apps".',
  };

  it('asks the caller\'s permissions first: "Customize Application" alone is not enough, and the check, not a refusal, says so', async () => {
    await withSimulator({ fixture: 'admin-approved-app' }, async (sim) => {
      withdraw(sim, 'PermissionsModifyAllData');
      withdraw(sim, 'PermissionsManageConnectedApps');
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      for (const user of [sim.integrationUser.Username, sim.integrationUser.Id]) {
        const result = await collectSnapshot(conn, { user });
        expect(result.snapshot).not.toHaveProperty('connectedApps');
        // No INVALID_TYPE: an org answering such a caller empty would be told apart the same way.
        expect(result.connectedApps).toEqual(NEEDS_PERMISSIONS);
        expect(result.loginHistory).toMatchObject({ read: true });
        expect([result.requests, result.rounds]).toEqual([3, 1]);
        expect(evaluateAccess(result.snapshot).verdict).toBe('healthy');
      }
    });
  });

  it('reads it with "Manage Connected Apps" instead of "Modify All Data", and with "Modify All Data" in an org without a "Manage Connected Apps" column', async () => {
    await withSimulator({ fixture: 'admin-approved-app' }, async (sim) => {
      withdraw(sim, 'PermissionsModifyAllData');
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      const result = await collectSnapshot(conn, { user: sim.integrationUser.Username });
      expect(result.connectedApps).toEqual({ read: true, apps: 2, access: 0 });
    });
    await withSimulator(
      {
        fixture: 'admin-approved-app',
        dropColumns: ['PermissionSet.PermissionsManageConnectedApps'],
      },
      async (sim) => {
        const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
        const result = await collectSnapshot(conn, { user: sim.integrationUser.Id });
        // The permissions are asked again without the column the edition lacks (one more request
        // and round, only such orgs pay), and Modify All Data is enough.
        expect(result.connectedApps).toEqual({ read: true, apps: 2, access: 0 });
        expect([result.requests, result.rounds]).toEqual([4, 2]);
        expect(result.absentColumns).toEqual([]);
        withdraw(sim, 'PermissionsModifyAllData');
        const without = await collectSnapshot(conn, { user: sim.integrationUser.Id });
        expect(without.connectedApps).toEqual(NEEDS_PERMISSIONS);
        expect(without.snapshot).not.toHaveProperty('connectedApps');
      },
    );
  });

  it('when the permission check itself fails both optional sections stay out as errors, never "not installed" or "no logins"', async () => {
    await withSimulator({ fixture: 'admin-approved-app' }, async (sim) => {
      sim.injectFault({ path: /PermissionsCustomizeApplication/, fault: 'INTERNAL_SERVER_ERROR' });
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      const result = await collectSnapshot(conn, { user: sim.integrationUser.Username });
      expect(result.snapshot).not.toHaveProperty('connectedApps');
      expect(result.connectedApps).toMatchObject({
        read: false,
        cause: 'error',
        errorCode: 'UNKNOWN_EXCEPTION',
        message: expect.stringContaining(
          'could not tell whether this user may read connected apps',
        ),
      });
      // One query asks the permissions of both sections.
      expect(result.snapshot).not.toHaveProperty('logins');
      expect(result.loginHistory).toMatchObject({
        read: false,
        cause: 'error',
        message: expect.stringContaining('Could not tell whether this user may read Login History'),
      });
      expect(validateSnapshot(result.snapshot)).toMatchObject({ ok: true });
    });
  });

  it('an org that refuses the read still gives the full snapshot, by username or User id', async () => {
    await withSimulator({ fixture: 'admin-approved-app' }, async (sim) => {
      const conn = await connect({ instanceUrl: sim.url, accessToken: sim.accessToken });
      sim.injectFault({ path: /ConnectedApplication/, fault: 'INTERNAL_SERVER_ERROR' });
      for (const user of [sim.integrationUser.Username, sim.integrationUser.Id]) {
        const result = await collectSnapshot(conn, { user });
        expect(result.snapshot).not.toHaveProperty('connectedApps');
        expect(result.connectedApps).toMatchObject({
          read: false,
          cause: 'error',
          errorCode: 'UNKNOWN_EXCEPTION',
        });
        expect(result.loginHistory).toMatchObject({ read: true });
        expect(result.snapshot.logins!.length).toBeGreaterThan(0);
        expect(validateSnapshot(result.snapshot)).toMatchObject({ ok: true });
      }
    });
  });
});
