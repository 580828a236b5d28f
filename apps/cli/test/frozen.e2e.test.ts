/**
 * Whether the integration user is frozen (UserLogin.IsFrozen) needs "Manage Users" to read: for an
 * admin without it the snapshot has no flag and no frozen-user finding can be, which must not pass
 * for "not frozen". The CLI as a child process against the simulator says it was not checked, in
 * the human output, --json and --report, as it does for Login History.
 */
import {
  startOrgSimulator,
  type FixtureChange,
  type OrgSimulator,
} from '@sync-doctor/org-simulator';
import { checkArgs, cli, NO_MANAGE_USERS } from './cliProcess.js';

const FREEZE: FixtureChange = { op: 'freezeUser', user: 'integration' };

const NOT_READ =
  'Whether the user is frozen was not read: reading UserLogin needs the "Manage Users" permission.';

let sim: OrgSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function check(changes: FixtureChange[], extra: string[] = []) {
  sim ??= await startOrgSimulator({ fixture: 'healthy', port: 0, changes });
  return cli([...checkArgs(sim), ...extra]);
}

const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('check: the frozen state an admin without Manage Users cannot read', () => {
  it('the human output says it was not checked, beside the Login History line', async () => {
    const run = await check([FREEZE, NO_MANAGE_USERS]);
    expect(run.stderr).not.toMatch(/Could not diagnose/);
    // Frozen, but unread: no frozen-user finding, so the output must say it was not checked.
    expect(flat(run.stdout)).not.toContain('is frozen: it stays active but cannot log in');
    expect(run.stdout).toMatch(/\nFrozen state\n {2}Not read \(needs Manage Users\)/);
    expect(flat(run.stdout)).toContain(
      'Not read (needs Manage Users): whether the user is frozen was not checked.',
    );
    // Where Login History says it was not read, before the findings.
    const out = run.stdout;
    expect(out.indexOf('Frozen state')).toBeGreaterThan(out.indexOf('\nLogins\n'));
    expect(out.indexOf('Frozen state')).toBeLessThan(out.indexOf('Findings ('));
  });

  it("--json carries the collector's frozen read state beside the diagnosis", async () => {
    const run = await check([FREEZE, NO_MANAGE_USERS], ['--json']);
    const json = JSON.parse(run.stdout);
    expect(json.frozen).toEqual({
      read: false,
      cause: 'needs-manage-users',
      errorCode: 'INVALID_TYPE',
      message: NOT_READ,
    });
    expect(json.findings.map((f: { rule?: string }) => f.rule)).not.toContain('frozen-user');
  });

  it('--report prints why under the integration user', async () => {
    const run = await check([FREEZE, NO_MANAGE_USERS], ['--report']);
    const lines = run.stdout.split('\n');
    const user = lines.findIndex((line) => line.startsWith('Integration user: '));
    expect(user).toBeGreaterThan(-1);
    expect(lines[user + 1]).toBe(NOT_READ);
  });

  it('when read, nothing says "not read": a frozen user is a finding and --json says read', async () => {
    const human = await check([FREEZE]);
    expect(human.stdout).not.toContain('Frozen state');
    expect(flat(human.stdout)).toContain('is frozen: it stays active but cannot log in');
    const json = JSON.parse((await check([FREEZE], ['--json'])).stdout);
    expect(json.frozen).toEqual({ read: true, frozen: true });
    const report = await check([FREEZE], ['--report']);
    expect(report.stdout).not.toContain('was not read');
  });

  it('no UserLogin row for the user: the verdict and --report ask for no right, only a check by hand', async () => {
    sim = await startOrgSimulator({ fixture: 'healthy', port: 0 });
    const row = sim.org
      .table('UserLogin')
      .find((r) => String(r.UserId).startsWith(sim!.integrationUser.Id.slice(0, 15)));
    expect(sim.org.delete(row!.Id)).toBe(true);
    const human = await check([]);
    expect(flat(human.stdout)).toContain('Verdict: PARTLY CHECKED (frozen state not read)');
    expect(flat(human.stdout)).toContain('Not checked: frozen state. Check it by hand.');
    expect(flat(human.stdout)).toContain('Salesforce has no UserLogin row for it.');
    expect(human.stdout).not.toContain('Manage Users');
    const report = await check([], ['--report']);
    // The report's verdict line names what was not read, but "No problems found ..." comes between:
    // the line under it names the check again, or "it" would stand for nothing.
    expect(report.stdout).toContain('\nNot checked: frozen state. Check it by hand.\n');
    expect(report.stdout).not.toContain('Manage Users');
  });
});
