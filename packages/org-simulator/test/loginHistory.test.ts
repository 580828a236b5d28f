import { LOGIN_HISTORY_DAYS, LOGIN_HISTORY_FIELDS, LOGIN_HISTORY_LIMIT } from '@sync-doctor/core';
import { FIXTURE_NAMES, loadFixture } from '../src/index.js';
import { startTestOrg, type TestOrg } from './helpers.js';

interface Login {
  LoginTime: string;
  Status: string;
  Application: string;
  LoginType: string;
  SourceIp: string;
}

const NOW = new Date('2026-11-29T12:00:00Z');

async function records<T>(res: Response): Promise<T[]> {
  expect(res.status).toBe(200);
  return ((await res.json()) as { records: T[] }).records;
}

/** The collector's query: the user's attempts of the last days, newest first. */
const weekOf = (userId: string, where = `LoginTime = LAST_N_DAYS:${LOGIN_HISTORY_DAYS}`) =>
  `SELECT ${LOGIN_HISTORY_FIELDS.join(', ')} FROM LoginHistory WHERE UserId = '${userId}' AND ${where} ORDER BY LoginTime DESC LIMIT ${LOGIN_HISTORY_LIMIT}`;

/** Takes Manage Users from every permission set, as from an admin profile without it. */
function withoutManageUsers(org: TestOrg): void {
  for (const set of org.sim.records('PermissionSet'))
    if (set.PermissionsManageUsers === true) set.PermissionsManageUsers = false;
}

describe('LoginHistory', () => {
  test('every fixture holds about a week of hourly HubSpot token refreshes, fewer than the limit', () => {
    for (const name of FIXTURE_NAMES) {
      const org = loadFixture(name, 'default', { now: NOW });
      const hubspot = org
        .table('LoginHistory')
        .filter((r) => r.UserId === org.integrationUserId && r.Application === 'HubSpot');
      expect(hubspot.length).toBeGreaterThan(24 * LOGIN_HISTORY_DAYS);
      // LAST_N_DAYS:7 reaches back to the start of the day 7 days ago: at most 8 days.
      const window = hubspot.filter(
        (r) => Date.parse(String(r.LoginTime).replace('+0000', 'Z')) > +NOW - 8 * 86_400_000,
      );
      expect(window.length).toBeLessThan(LOGIN_HISTORY_LIMIT);
      expect(new Set(hubspot.map((r) => r.LoginType))).toEqual(new Set(['Remote Access 2.0']));
      expect(new Set(hubspot.map((r) => r.SourceIp)).size).toBeGreaterThan(1);
      for (const row of hubspot) expect(Date.parse(String(row.LoginTime))).toBeLessThan(+NOW);
    }
  });

  test.each([
    ['healthy', {}],
    ['api-disabled', {}],
    ['inactive-user', { 'User is Inactive': 30 }],
    ['restricted-ip', { 'Restricted IP': 6 }],
  ] as const)('%s: refused as its story says', (name, refused) => {
    const org = loadFixture(name, 'default', { now: NOW });
    const hubspot = org.table('LoginHistory').filter((r) => r.UserId === org.integrationUserId);
    const counts: Record<string, number> = {};
    for (const row of hubspot)
      if (row.Status !== 'Success')
        counts[String(row.Status)] = (counts[String(row.Status)] ?? 0) + 1;
    expect(counts).toEqual(refused);
    // Successes before, refusals since: the newest attempt is refused when any is.
    const newest = [...hubspot].sort((a, b) =>
      String(b.LoginTime).localeCompare(String(a.LoginTime)),
    )[0]!;
    expect(newest.Status).toBe(Object.keys(refused)[0] ?? 'Success');
  });

  test('the collector query: the window, newest first, the limit, a datetime literal alike', async () => {
    const org = await startTestOrg({ fixture: 'restricted-ip' });
    try {
      const userId = org.sim.integrationUser.Id;
      const week = await records<Login>(await org.query(weekOf(userId)));
      const all = org.sim.records('LoginHistory').filter((r) => r.UserId === userId);
      expect(week.length).toBeGreaterThan(0);
      expect(week.length).toBeLessThan(all.length);
      const times = week.map((r) => Date.parse(r.LoginTime.replace('+0000', 'Z')));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      expect(Object.keys(week[0]!).sort()).toEqual(['attributes', ...LOGIN_HISTORY_FIELDS].sort());
      expect(week[0]).toMatchObject({
        Status: 'Restricted IP',
        Application: 'HubSpot',
        LoginType: 'Remote Access 2.0',
      });
      const since = new Date(Date.now() - 48 * 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
      const twoDays = await records<Login>(
        await org.query(weekOf(userId, `LoginTime >= ${since}`)),
      );
      expect(twoDays.length).toBeGreaterThanOrEqual(47);
      expect(twoDays.length).toBeLessThanOrEqual(49);
      expect(
        await records(await org.query(`${weekOf(userId).replace(/LIMIT \d+/, 'LIMIT 3')}`)),
      ).toHaveLength(3);
    } finally {
      await org.sim.close();
    }
  });

  test("without Manage Users the query succeeds with the caller's own attempts only, as in Salesforce", async () => {
    const org = await startTestOrg({ fixture: 'healthy' });
    try {
      const userId = org.sim.integrationUser.Id;
      const access = await records<{
        PermissionsManageUsers: boolean;
        PermissionsApiEnabled: boolean;
      }>(
        await org.query(
          'SELECT PermissionsManageUsers, PermissionsApiEnabled FROM UserPermissionAccess',
        ),
      );
      expect(access).toEqual([
        expect.objectContaining({ PermissionsManageUsers: true, PermissionsApiEnabled: true }),
      ]);
      expect((await records(await org.query(weekOf(userId)))).length).toBeGreaterThan(100);

      withoutManageUsers(org);
      expect(
        await records(await org.query('SELECT PermissionsManageUsers FROM UserPermissionAccess')),
      ).toEqual([expect.objectContaining({ PermissionsManageUsers: false })]);
      expect(await records(await org.query(weekOf(userId)))).toEqual([]);
      // The admin's own attempts stay readable.
      const own = await records<Login>(
        await org.query(
          `SELECT Application FROM LoginHistory WHERE UserId = '${org.sim.adminUser.Id}'`,
        ),
      );
      expect(own.length).toBeGreaterThan(0);
    } finally {
      await org.sim.close();
    }
  });

  test('is read only', async () => {
    const org = await startTestOrg({ fixture: 'healthy' });
    try {
      const res = await org.send('POST', '/services/data/v64.0/sobjects/LoginHistory', {
        Status: 'Success',
      });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    } finally {
      await org.sim.close();
    }
  });
});
