import { evaluateAccess } from '@sync-doctor/core';
import { FIXTURE_NAMES, loadFixture } from '../src/index.js';
import { API, asUser, grantToIntegrationProfile, startTestOrg, type TestOrg } from './helpers.js';
import { readSnapshot } from './snapshotReader.js';

// Object Reference, UserLogin: "Represents the settings that affect a user's ability to log into an
// organization. To access this object, you need the UserPermissions.ManageUsers permission."
// Calls: describeSObjects(), query(), retrieve(), update(). IsFrozen and IsPasswordLocked:
// "Defaulted on create, Filter, Group, Sort, Update", default false; UserId "can't be updated".
// https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_userlogin.htm

interface Refusal {
  errorCode: string;
  message: string;
  fields?: string[];
}

const refusal = async (res: Response): Promise<Refusal> => {
  expect(res.status).toBeGreaterThanOrEqual(400);
  return ((await res.json()) as Refusal[])[0]!;
};

const loginOf = (org: TestOrg, userId: string) =>
  org.sim.records('UserLogin').find((l) => l.UserId === userId)!;

describe('UserLogin', () => {
  test('every fixture user has one row, not frozen and not password-locked', () => {
    for (const name of FIXTURE_NAMES) {
      const org = loadFixture(name, 'default');
      const users = org.table('User');
      const logins = org.table('UserLogin');
      expect(logins).toHaveLength(users.length);
      for (const user of users) {
        const rows = logins.filter((l) => l.UserId === user.Id);
        expect(rows).toEqual([
          expect.objectContaining({ IsFrozen: false, IsPasswordLocked: false }),
        ]);
      }
    }
  });

  test('a user added later gets its row too (Salesforce creates it with the user)', () => {
    const org = loadFixture('healthy', 'default');
    const user = org.insert('User', {
      Username: 'new@acme.example',
      LastName: 'New',
      IsActive: true,
    });
    expect(org.table('UserLogin').filter((l) => l.UserId === user.Id)).toEqual([
      expect.objectContaining({ IsFrozen: false, IsPasswordLocked: false }),
    ]);
  });

  describe('over the API', () => {
    let org: TestOrg;
    afterEach(() => org.sim.close());

    test('the admin (Manage Users) reads IsFrozen as the docs query it', async () => {
      org = await startTestOrg({ fixture: 'healthy' });
      const res = await org.query(
        `SELECT IsFrozen, IsPasswordLocked, UserId FROM UserLogin WHERE UserId = '${org.sim.integrationUser.Id}'`,
      );
      expect(res.status).toBe(200);
      expect(((await res.json()) as { records: unknown[] }).records).toEqual([
        expect.objectContaining({
          IsFrozen: false,
          IsPasswordLocked: false,
          UserId: org.sim.integrationUser.Id,
        }),
      ]);
      const frozen = await org.query('SELECT Id, UserId FROM UserLogin WHERE IsFrozen = true');
      expect(((await frozen.json()) as { totalSize: number }).totalSize).toBe(0);
    });

    test('without Manage Users it is no object: SOQL INVALID_TYPE, REST 404', async () => {
      org = await startTestOrg({ fixture: 'healthy' });
      const call = await asUser(org.sim, org.sim.integrationUser.Username);
      const soql = `SELECT IsFrozen FROM UserLogin WHERE UserId = '${org.sim.integrationUser.Id}'`;
      const error = await refusal(await call('GET', `${API}/query?q=${encodeURIComponent(soql)}`));
      expect(error.errorCode).toBe('INVALID_TYPE');
      expect(error.message).toContain("sObject type 'UserLogin' is not supported");
      const id = String(loginOf(org, org.sim.integrationUser.Id).Id);
      expect((await call('GET', `${API}/sobjects/UserLogin/${id}`)).status).toBe(404);
      expect((await call('GET', `${API}/sobjects/UserLogin/describe`)).status).toBe(404);
      expect(
        (await call('PATCH', `${API}/sobjects/UserLogin/${id}`, { IsFrozen: true })).status,
      ).toBe(404);
      expect(loginOf(org, org.sim.integrationUser.Id).IsFrozen).toBe(false);
    });

    test('Manage Users granted to the profile opens it', async () => {
      org = await startTestOrg({
        fixture: 'healthy',
        changes: [grantToIntegrationProfile('PermissionsManageUsers')],
      });
      const call = await asUser(org.sim, org.sim.integrationUser.Username);
      const soql = 'SELECT IsFrozen FROM UserLogin';
      expect((await call('GET', `${API}/query?q=${encodeURIComponent(soql)}`)).status).toBe(200);
    });

    test('describe: not createable; IsFrozen and IsPasswordLocked updateable only; UserId read-only', async () => {
      org = await startTestOrg({ fixture: 'healthy' });
      const describe = (await (await org.get(`${API}/sobjects/UserLogin/describe`)).json()) as {
        createable: boolean;
        fields: Array<{ name: string; createable: boolean; updateable: boolean; type: string }>;
      };
      expect(describe.createable).toBe(false);
      const field = (name: string) => describe.fields.find((f) => f.name === name);
      for (const name of ['IsFrozen', 'IsPasswordLocked'])
        expect(field(name)).toMatchObject({ type: 'boolean', createable: false, updateable: true });
      expect(field('UserId')).toMatchObject({
        type: 'reference',
        createable: false,
        updateable: false,
      });
    });

    test('the admin freezes a user by update; UserId cannot change; no client creates a row', async () => {
      org = await startTestOrg({ fixture: 'healthy' });
      const id = String(loginOf(org, org.sim.integrationUser.Id).Id);
      expect(
        (await org.send('PATCH', `${API}/sobjects/UserLogin/${id}`, { IsFrozen: true })).status,
      ).toBe(204);
      expect(loginOf(org, org.sim.integrationUser.Id).IsFrozen).toBe(true);
      expect(
        (
          await refusal(
            await org.send('PATCH', `${API}/sobjects/UserLogin/${id}`, {
              UserId: org.sim.adminUser.Id,
            }),
          )
        ).errorCode,
      ).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
      expect(
        (
          await refusal(
            await org.send('POST', `${API}/sobjects/UserLogin`, {
              UserId: org.sim.integrationUser.Id,
            }),
          )
        ).errorCode,
      ).toBe('INVALID_TYPE_FOR_OPERATION');
    });
  });

  describe("fixture change 'freezeUser'", () => {
    test('freezes the named user only; frozen: false thaws it; an unknown user fails', () => {
      const org = loadFixture('healthy', 'default', {
        changes: [{ op: 'freezeUser', user: 'integration' }],
      });
      const frozen = org.table('UserLogin').filter((l) => l.IsFrozen === true);
      expect(frozen.map((l) => l.UserId)).toEqual([org.integrationUserId]);
      const thawed = loadFixture('healthy', 'default', {
        changes: [
          { op: 'freezeUser', user: 'integration' },
          { op: 'freezeUser', user: 'integration', frozen: false },
        ],
      });
      expect(thawed.table('UserLogin').some((l) => l.IsFrozen === true)).toBe(false);
      expect(() =>
        loadFixture('healthy', 'default', { changes: [{ op: 'freezeUser', user: 'nobody' }] }),
      ).toThrow(/no user nobody/);
    });

    test('the core reports a frozen integration user from what an admin reads', async () => {
      const org = await startTestOrg({
        fixture: 'healthy',
        changes: [{ op: 'freezeUser', user: 'integration' }],
      });
      try {
        const { snapshot } = await readSnapshot(org, org.sim.integrationUser.Username);
        expect(snapshot.user?.IsFrozen).toBe(true);
        const diagnosis = evaluateAccess(snapshot);
        expect(diagnosis.findings.filter((f) => f.rule === 'frozen-user')).toEqual([
          expect.objectContaining({ severity: 'error', subject: org.sim.integrationUser.Username }),
        ]);
        // Unfrozen: no such finding, and the flag is read as false, not left out.
        loginOf(org, org.sim.integrationUser.Id).IsFrozen = false;
        const healthy = await readSnapshot(org, org.sim.integrationUser.Username);
        expect(healthy.snapshot.user?.IsFrozen).toBe(false);
        expect(
          evaluateAccess(healthy.snapshot).findings.filter((f) => f.rule === 'frozen-user'),
        ).toEqual([]);
      } finally {
        await org.sim.close();
      }
    });
  });
});
