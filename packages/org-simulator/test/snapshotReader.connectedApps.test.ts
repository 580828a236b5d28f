import { evaluateAccess } from '@sync-doctor/core';
import { startTestOrg, type TestOrg } from './helpers.js';
import { readSnapshot } from './snapshotReader.js';

// The Apex reader's connectedApps, mirrored against the simulator: read in the second composite
// beside Login History, and left out, not empty, when the caller may not read connected apps.

/** Takes a system permission from every permission set, as from an admin profile without it. */
function withoutPermission(org: TestOrg, column: string): void {
  for (const set of org.sim.records('PermissionSet')) if (set[column] === true) set[column] = false;
}

/**
 * The org as it might answer a caller without the second permission: ConnectedApplication empty
 * (200, no rows) where the simulator refuses it (INVALID_TYPE).
 */
function answeringEmpty(org: TestOrg): TestOrg {
  const send: TestOrg['send'] = async (method, path, body, headers) => {
    const res = await org.send(method, path, body, headers);
    if (!path.endsWith('/composite')) return res;
    const json = (await res.json()) as {
      compositeResponse: Array<{ referenceId: string; body: unknown; httpStatusCode: number }>;
    };
    for (const part of json.compositeResponse)
      if (part.referenceId === 'connectedApps' && part.httpStatusCode === 400) {
        part.httpStatusCode = 200;
        part.body = { totalSize: 0, done: true, records: [] };
      }
    return new Response(JSON.stringify(json), { status: res.status, headers: res.headers });
  };
  return { ...org, send };
}

describe('the snapshot reader mirror reads connectedApps', () => {
  test("admin-approved-app: HubSpot's app and the user's approvals, judged as connected-app-approval", async () => {
    const org = await startTestOrg({ fixture: 'admin-approved-app' });
    try {
      const { snapshot, status } = await readSnapshot(org, org.sim.integrationUser.Username);
      expect(status).toBe(200);
      expect(org.sim.requests).toHaveLength(3);
      // Named like HubSpot: HubSpot's own app and its sales extension, not the Salesforce CLI.
      expect(snapshot.connectedApps?.apps.map((app) => app.Name).sort()).toEqual(
        expect.arrayContaining(['HubSpot']),
      );
      expect(snapshot.connectedApps?.apps.every((app) => /hubspot/i.test(app.Name))).toBe(true);
      const hubspot = snapshot.connectedApps!.apps.find((app) => app.Name === 'HubSpot')!;
      expect(hubspot.OptionsAllowAdminApprovedUsersOnly).toBe(true);
      const userSets = new Set((snapshot.assignments ?? []).map((row) => row.PermissionSetId));
      expect(snapshot.connectedApps!.access.every((row) => userSets.has(row.ParentId))).toBe(true);
      expect(snapshot.connectedApps!.access.some((row) => row.SetupEntityId === hubspot.Id)).toBe(
        false,
      );
      const rules = evaluateAccess(snapshot).findings.map((finding) => finding.rule);
      expect(rules).toEqual(['connected-app-approval']);
    } finally {
      await org.sim.close();
    }
  });

  test('healthy: the app with default policies is read and judged nothing', async () => {
    const org = await startTestOrg({ fixture: 'healthy' });
    try {
      const { snapshot } = await readSnapshot(org, org.sim.integrationUser.Username);
      expect(snapshot.connectedApps?.apps.map((app) => app.Name)).toContain('HubSpot');
      expect(evaluateAccess(snapshot).verdict).toBe('healthy');
    } finally {
      await org.sim.close();
    }
  });

  test('an admin with Customize Application alone gets no section either, whatever the org would answer', async () => {
    const org = await startTestOrg({ fixture: 'admin-approved-app' });
    try {
      withoutPermission(org, 'PermissionsModifyAllData');
      withoutPermission(org, 'PermissionsManageConnectedApps');
      // Whether Salesforce refuses or answers empty here is undocumented: the org answers empty
      // here, and the mirror must still leave the section out, as the Apex reader does (2e70b06).
      const { snapshot, status } = await readSnapshot(
        answeringEmpty(org),
        org.sim.integrationUser.Username,
      );
      expect(status).toBe(200);
      expect(org.sim.requests).toHaveLength(3);
      expect(snapshot).not.toHaveProperty('connectedApps');
      expect(evaluateAccess(snapshot).findings.map((finding) => finding.rule)).toEqual([]);
    } finally {
      await org.sim.close();
    }
  });

  test('Customize Application with Manage Connected Apps (no Modify All Data) reads the section', async () => {
    const org = await startTestOrg({ fixture: 'admin-approved-app' });
    try {
      withoutPermission(org, 'PermissionsModifyAllData');
      const { snapshot } = await readSnapshot(org, org.sim.integrationUser.Username);
      expect(snapshot.connectedApps?.apps.map((app) => app.Name)).toContain('HubSpot');
    } finally {
      await org.sim.close();
    }
  });

  test('without Customize Application the section is left out, so nothing reads as "not installed"', async () => {
    const org = await startTestOrg({ fixture: 'admin-approved-app' });
    try {
      withoutPermission(org, 'PermissionsCustomizeApplication');
      const { snapshot, status } = await readSnapshot(org, org.sim.integrationUser.Username);
      expect(status).toBe(200);
      expect(snapshot).not.toHaveProperty('connectedApps');
      expect(evaluateAccess(snapshot).findings.map((finding) => finding.rule)).toEqual([]);
    } finally {
      await org.sim.close();
    }
  });
});
