import { LOGIN_HISTORY_DAYS, LOGIN_HISTORY_FIELDS, LOGIN_HISTORY_LIMIT } from '@sync-doctor/core';
import { evaluateAccess, type Diagnosis } from '@sync-doctor/core';
import { FIXTURE_NAMES, loadFixture, type FixtureName } from '../src/index.js';
import { startTestOrg, type TestOrg } from './helpers.js';
import { readSnapshot } from './snapshotReader.js';

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
    ['api-disabled', { 'API Disabled for User': 8 }],
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

  test('filters only on the fields the Object Reference lists as filterable (Status, Browser, ... are refused)', async () => {
    const org = await startTestOrg({ fixture: 'restricted-ip' });
    try {
      const userId = org.sim.integrationUser.Id;
      for (const field of ['Status', 'Application', 'SourceIp', 'Browser', 'Platform', 'ApiType']) {
        const res = await org.query(
          `SELECT LoginTime FROM LoginHistory WHERE UserId = '${userId}' AND ${field} = 'x'`,
        );
        expect(res.status).toBe(400);
        expect(await res.json()).toEqual([
          expect.objectContaining({
            errorCode: 'INVALID_FIELD',
            message: expect.stringContaining(`field '${field}' can not be filtered in query call`),
          }),
        ]);
      }
      // The documented filters still work, and the refused fields are still selectable.
      const failed = await records<Login>(
        await org.query(
          `SELECT Status, SourceIp FROM LoginHistory WHERE UserId = '${userId}' AND LoginType = 'Remote Access 2.0' AND LoginTime = LAST_N_DAYS:${LOGIN_HISTORY_DAYS}`,
        ),
      );
      expect(failed.length).toBeGreaterThan(0);
      const describe = (await (
        await org.send('GET', '/services/data/v64.0/sobjects/LoginHistory/describe')
      ).json()) as { fields: { name: string; filterable: boolean }[] };
      const filterable = (name: string) => describe.fields.find((f) => f.name === name)?.filterable;
      expect([filterable('Status'), filterable('UserId'), filterable('LoginTime')]).toEqual([
        false,
        true,
        true,
      ]);
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

describe('LoginHistory while the simulator runs', () => {
  const HOUR = 3_600_000;
  const at = (row: { LoginTime?: unknown } | Record<string, unknown>) =>
    Date.parse(String(row.LoginTime).replace('+0000', 'Z'));

  /** A fixture built at NOW whose clock the test moves by hand. */
  function clocked(name: FixtureName) {
    let clock = +NOW;
    const org = loadFixture(name, 'default', { now: NOW });
    org.now = () => new Date(clock);
    const userId = (prefix: string) =>
      org.table('User').find((u) => String(u.Username).startsWith(`${prefix}@`))?.Id;
    const logins = (user: 'admin' | 'hubspot.integration' | 'sam.sales', application: string) =>
      org
        .table('LoginHistory')
        .filter((r) => r.UserId === userId(user) && r.Application === application)
        .sort((a, b) => at(a) - at(b));
    return {
      org,
      advance: (hours: number) => {
        clock += hours * HOUR;
      },
      logins,
      hubspot: () => logins('hubspot.integration', 'HubSpot'),
    };
  }

  test("HubSpot's hourly logins go on as the clock advances, on their rhythm, one per hour", () => {
    const run = clocked('healthy');
    const built = run.hubspot();
    run.advance(10);
    const now = run.hubspot();
    const added = now.slice(built.length);
    expect(now.slice(0, built.length)).toEqual(built);
    // Each attempt is 36 minutes past the build's hour and a few minutes more: ten in ten hours.
    expect(added).toHaveLength(10);
    for (const row of added) {
      expect(row.Status).toBe('Success');
      expect(at(row)).toBeGreaterThan(+NOW);
      expect(at(row)).toBeLessThanOrEqual(+NOW + 10 * HOUR);
    }
    const times = now.slice(built.length - 1).map(at);
    for (let i = 1; i < times.length; i += 1) {
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(50 * 60_000);
      expect(times[i]! - times[i - 1]!).toBeLessThanOrEqual(70 * 60_000);
    }
    expect(+NOW + 10 * HOUR - times.at(-1)!).toBeLessThan(HOUR);
    // The source IPs keep taking turns.
    expect(new Set(added.map((r) => r.SourceIp))).toEqual(new Set(built.map((r) => r.SourceIp)));
    expect(added[0]!.SourceIp).not.toBe(built.at(-1)!.SourceIp);
    // The rows look like the built ones (the audit stamps say when the row appeared).
    const shape = (r: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(r).filter(
          ([key]) =>
            !/^(Id|LoginTime|SourceIp|LastModifiedDate|SystemModstamp|CreatedDate)$/.test(key),
        ),
      );
    expect(shape(added[0]!)).toEqual(shape(built.at(-1)!));
  });

  test('the daily admin logins go on too, and logins that had ended stay ended', () => {
    const run = clocked('healthy');
    const admin = run.logins('admin', 'Browser').length;
    const sales = run.logins('sam.sales', 'Browser').length;
    run.advance(10);
    expect(run.logins('admin', 'Browser')).toHaveLength(admin);
    run.advance(14);
    expect(run.logins('admin', 'Browser')).toHaveLength(admin + 1);
    run.advance(24 * 3);
    expect(run.logins('admin', 'Browser')).toHaveLength(admin + 4);
    expect(run.logins('sam.sales', 'Browser')).toHaveLength(sales);
  });

  test('the rows are the same however often LoginHistory was read on the way', () => {
    const stepwise = clocked('restricted-ip');
    for (let hour = 0; hour < 30; hour += 1) {
      stepwise.advance(1);
      stepwise.hubspot();
    }
    const once = clocked('restricted-ip');
    once.advance(30);
    const view = (rows: Record<string, unknown>[]) =>
      rows.map((r) => [r.LoginTime, r.Status, r.SourceIp]);
    expect(view(stepwise.hubspot())).toEqual(view(once.hubspot()));
    expect(view(once.hubspot())).toHaveLength(view(clocked('restricted-ip').hubspot()).length + 30);
  });

  test('restricted-ip: the refusal since 6 hours before the build keeps refusing the later attempts', () => {
    const run = clocked('restricted-ip');
    const built = run.hubspot().length;
    run.advance(5);
    const added = run.hubspot().slice(built);
    expect(added).toHaveLength(5);
    expect(new Set(added.map((r) => r.Status))).toEqual(new Set(['Restricted IP']));
  });

  test('sync-stopped: HubSpot stopped 20 hours before the build and stays stopped', () => {
    const run = clocked('sync-stopped');
    const built = run.hubspot();
    expect(+NOW - at(built.at(-1)!)).toBeGreaterThan(20 * HOUR);
    expect(+NOW - at(built.at(-1)!)).toBeLessThan(21 * HOUR);
    const admin = run.logins('admin', 'Browser').length;
    run.advance(48);
    expect(run.hubspot()).toEqual(built);
    expect(run.logins('admin', 'Browser').length).toBeGreaterThan(admin);
  });

  test('the rows that came with time survive a rolled-back transaction', () => {
    const run = clocked('healthy');
    const built = run.hubspot().length;
    const tx = run.org.transaction();
    run.advance(3);
    expect(run.hubspot()).toHaveLength(built + 3);
    tx.rollback();
    expect(run.hubspot()).toHaveLength(built + 3);
  });

  test('over the API with an injected clock: the window moves with it, under the limit, and the core sees HubSpot logging in', async () => {
    let clock = +NOW;
    const org = await startTestOrg({ fixture: 'healthy', now: () => new Date(clock) });
    try {
      const userId = org.sim.integrationUser.Id;
      const diagnose = async () => {
        const { snapshot } = await readSnapshot(org, org.sim.integrationUser.Username);
        return evaluateAccess({ ...snapshot, capturedAt: new Date(clock).toISOString() });
      };
      const stopped = (d: Diagnosis) =>
        d.findings.filter((f) => f.rule === 'hubspot-logins-stopped');
      expect(stopped(await diagnose())).toEqual([]);
      // Six hours on: without the logins going on, four hourly gaps of silence would be a warning.
      clock += 6 * HOUR;
      const diagnosis = await diagnose();
      expect(stopped(diagnosis)).toEqual([]);
      expect(diagnosis.verdict).toBe('healthy');
      // Three days on, the collector's query still reads the newest hour and stays under its limit.
      clock += 3 * 24 * HOUR;
      const week = await records<Login>(await org.query(weekOf(userId)));
      expect(week.length).toBeLessThan(LOGIN_HISTORY_LIMIT);
      expect(week.length).toBeGreaterThan(24 * LOGIN_HISTORY_DAYS);
      expect(clock - at(week[0]!)).toBeLessThan(HOUR);
      // LAST_N_DAYS:7 counts from the clock's day: nothing before midnight 7 days before it.
      const midnight = new Date(clock);
      midnight.setUTCHours(0, 0, 0, 0);
      expect(at(week.at(-1)!)).toBeGreaterThanOrEqual(+midnight - LOGIN_HISTORY_DAYS * 24 * HOUR);
      expect(at(week.at(-1)!)).toBeGreaterThan(+NOW - 240 * HOUR);
    } finally {
      await org.sim.close();
    }
  });

  test('over the API, sync-stopped: the core says HubSpot stopped logging in, now and hours later', async () => {
    let clock = +NOW;
    const org = await startTestOrg({ fixture: 'sync-stopped', now: () => new Date(clock) });
    try {
      for (const hours of [0, 5]) {
        clock += hours * HOUR;
        const { snapshot } = await readSnapshot(org, org.sim.integrationUser.Username);
        const diagnosis = evaluateAccess({
          ...snapshot,
          capturedAt: new Date(clock).toISOString(),
        });
        expect(diagnosis.verdict).toBe('blocked');
        expect(diagnosis.findings).toEqual([
          expect.objectContaining({ rule: 'hubspot-logins-stopped', severity: 'error' }),
        ]);
        expect(diagnosis.findings[0]!.message).toContain(`for ${20 + hours} hours`);
      }
    } finally {
      await org.sim.close();
    }
  });
});
