/** Login History: HubSpot refused at login while its permissions are perfect. */
import { evaluateAccess } from '../src/diagnosis/evaluateAccess.js';
import { isLoginSuccess, loginFailureCause, loginSilenceText } from '../src/diagnosis/logins.js';
import { salesforceTime } from '../src/diagnosis/text.js';
import { findingCode, findingTitle } from '../src/reasons/catalog.js';
import { formatReport } from '../src/report/formatReport.js';
import { planRemediation } from '../src/remediation/planRemediation.js';
import { validateSnapshot } from '../src/snapshot/schema.js';
import type { LoginHistoryRecord, Snapshot } from '../src/snapshot/types.js';
import { fixture } from './support.js';

const USER = 'hubspot@acme.com';

function login(
  at: string,
  status: string,
  extra: Partial<LoginHistoryRecord> = {},
): LoginHistoryRecord {
  return {
    attributes: { type: 'LoginHistory' },
    LoginTime: `2026-11-29T${at}:00.000+0000`,
    Status: status,
    Application: 'HubSpot',
    LoginType: 'Remote Access 2.0',
    SourceIp: '54.174.52.10',
    ...extra,
  };
}

function withLogins(...logins: LoginHistoryRecord[]): Snapshot {
  const s = fixture('healthy');
  s.logins = logins;
  return s;
}

const loginFindings = (s: Snapshot) =>
  evaluateAccess(s).findings.filter(
    (f) =>
      f.rule === 'login-failures' ||
      f.rule === 'login-failure-cleared' ||
      f.rule === 'no-recent-login',
  );

describe('Login History', () => {
  it('reads Salesforce status texts as their causes, loosely', () => {
    expect(
      [
        'Restricted IP',
        'Restricted Time',
        'User is Frozen',
        'User is Inactive',
        'Password Lockout',
        'Invalid Password',
        'Failed: API security token required',
        'Failed: Computer activation required',
        'Failed: Not approved for access',
        'Something new',
        'API Disabled for User',
      ].map(loginFailureCause),
    ).toEqual([
      'ip-range',
      'login-hours',
      'frozen',
      'inactive',
      'lockout',
      'password',
      'verification',
      'verification',
      'app-not-approved',
      'other',
      'api-disabled',
    ]);
    expect(isLoginSuccess('Success')).toBe(true);
    expect(isLoginSuccess('Restricted IP')).toBe(false);
  });

  it('adds nothing, and no summary, when Login History was not read', () => {
    const d = evaluateAccess(fixture('healthy'));
    expect(d.logins).toBeUndefined();
    expect(d.verdict).toBe('healthy');
  });

  it('is healthy when HubSpot logs in, and says when it last did', () => {
    const d = evaluateAccess(withLogins(login('10:00', 'Success'), login('09:00', 'Success')));
    expect(d.verdict).toBe('healthy');
    expect(d.logins).toMatchObject({
      days: 7,
      attempts: 2,
      lastSuccessAt: '2026-11-29T10:00:00.000+0000',
      failingSince: null,
      failures: [],
    });
  });

  it("judges the week before the snapshot's capture, whatever more a reader sent", () => {
    // capturedAt 2026-11-28T12:00Z: LAST_N_DAYS:7 also returns 2026-11-20 and the morning of the 21st.
    const s = withLogins(
      login('10:00', 'Success'),
      { ...login('10:00', 'Restricted IP'), LoginTime: '2026-11-21T12:30:00.000+0000' },
      { ...login('10:00', 'Restricted IP'), LoginTime: '2026-11-21T11:30:00.000+0000' },
      { ...login('10:00', 'Restricted IP'), LoginTime: '2026-11-20T09:00:00.000+0000' },
    );
    const d = evaluateAccess(s);
    expect(d.logins).toMatchObject({ attempts: 2 });
    expect(d.logins!.failures).toEqual([
      expect.objectContaining({ status: 'Restricted IP', count: 1 }),
    ]);
  });

  it('blocks when HubSpot is refused by the profile IP ranges, with since when, from where and the fix', () => {
    const s = withLogins(
      login('11:30', 'Restricted IP', { SourceIp: '54.174.52.11' }),
      login('10:30', 'Restricted IP'),
      login('09:30', 'Restricted IP'),
      login('08:30', 'Success'),
    );
    const d = evaluateAccess(s);
    expect(d.verdict).toBe('blocked');
    const [finding] = loginFindings(s);
    expect(finding).toMatchObject({
      reason: 'API_ACCESS_DISABLED',
      severity: 'error',
      subject: USER,
      rule: 'login-failures',
    });
    expect(finding!.message).toContain('since 2026-11-29 09:30 UTC');
    expect(finding!.message).toContain(
      '"Restricted IP" 3 times from 54.174.52.11 and 54.174.52.10',
    );
    expect(finding!.message).toContain('the last successful login was at 2026-11-29 08:30 UTC');
    expect(finding!.remedy).toContain('IP Relaxation');
    expect(finding!.remedy).toContain(
      'Login IP Ranges of the profile "Minimum Access - API Only Integrations"',
    );
    // The addresses are the message's to list; the remedy says where to let them in, once.
    expect(finding!.remedy).not.toContain('54.174.52');
    expect(d.logins!.failingSince).toBe('2026-11-29T09:30:00.000+0000');
  });

  it('heads a refusal by IP restrictions by its cause, not as the org API access being off', () => {
    const s = withLogins(login('11:30', 'Restricted IP'), login('08:30', 'Success'));
    const [finding] = loginFindings(s);
    expect(finding).toMatchObject({ reason: 'API_ACCESS_DISABLED', cause: 'LOGIN_IP_RESTRICTED' });
    expect(findingCode(finding!)).toBe('LOGIN_IP_RESTRICTED');
    expect(findingTitle(finding!)).toBe(
      "HubSpot's logins refused by IP restrictions (HubSpot would suspend with: Salesforce org API access disabled)",
    );
  });

  it("gives the fix card's to-do list the action itself, not a pointer to the finding", () => {
    // "Let HubSpot's servers in (its "Fix:" in the Findings card says how)" gave no action.
    const s = withLogins(login('11:30', 'Restricted IP'), login('08:30', 'Success'));
    const plan = planRemediation(evaluateAccess(s));
    const step = plan.manualSteps.find((m) => m.reason === 'API_ACCESS_DISABLED')!;
    expect(step.action).toBe(
      'Set IP Relaxation of HubSpot\'s connected app to "Relax IP restrictions" (Setup > App Manager > HubSpot > Manage > Edit Policies), then click "Clear Suspension" in HubSpot.',
    );
    expect(step.step).toContain('Login IP Ranges');
  });

  it('heads refusals by login hours and by a missing app approval by their causes', () => {
    const hours = withLogins(
      login('08:00', 'Success'),
      login('03:00', 'Restricted Time'),
      login('02:00', 'Restricted Time'),
    );
    const [atNight] = loginFindings(hours);
    expect(atNight).toMatchObject({ severity: 'warning', cause: 'LOGIN_HOURS_RESTRICTED' });
    expect(findingTitle(atNight!)).toBe(
      "At risk: HubSpot's logins refused by the profile's Login Hours (HubSpot's reason if it suspends: Salesforce org API access disabled)",
    );
    const approval = withLogins(
      login('11:00', 'Failed: Not approved for access'),
      login('10:00', 'Success'),
    );
    const [notApproved] = loginFindings(approval);
    expect(notApproved).toMatchObject({ severity: 'error', cause: 'CONNECTED_APP_NOT_APPROVED' });
    expect(findingTitle(notApproved!)).toBe(
      "Integration user not approved for HubSpot's connected app (HubSpot would suspend with: Salesforce org API access disabled)",
    );
    // Refusals of different causes name none of them: the heading stays HubSpot's reason.
    const mixed = withLogins(
      login('08:00', 'Success'),
      login('03:00', 'Restricted Time'),
      login('02:00', 'Restricted IP'),
    );
    const [both] = loginFindings(mixed);
    expect(both!.cause).toBeUndefined();
    expect(findingTitle(both!)).toBe(
      "At risk: Salesforce may refuse HubSpot's API access (HubSpot's reason if it suspends: Salesforce org API access disabled)",
    );
  });

  it("blocks when HubSpot's connected app admits approved users only, and says how to approve", () => {
    const s = withLogins(
      login('11:00', 'Failed: Not approved for access'),
      login('10:00', 'Success'),
    );
    const [finding] = loginFindings(s);
    expect(finding).toMatchObject({ severity: 'error', rule: 'login-failures' });
    expect(finding!.remedy).toContain('Manage Connected Apps');
    expect(finding!.remedy).toContain('All users may self-authorize');
  });

  it('warns when logins are refused at night (login hours) though the last one succeeded', () => {
    const s = withLogins(
      login('08:00', 'Success'),
      login('03:00', 'Restricted Time'),
      login('02:00', 'Restricted Time'),
    );
    const d = evaluateAccess(s);
    expect(d.verdict).toBe('at-risk');
    const [finding] = loginFindings(s);
    expect(finding).toMatchObject({ severity: 'warning', rule: 'login-failures' });
    expect(finding!.message).toContain('"Restricted Time" 2 times');
    expect(finding!.remedy).toContain('Login Hours');
  });

  it('only notes wrong passwords: HubSpot uses OAuth and sends none', () => {
    const s = withLogins(
      login('08:00', 'Success'),
      login('07:00', 'Invalid Password', { Application: 'N/A' }),
    );
    expect(evaluateAccess(s).verdict).toBe('healthy');
    expect(loginFindings(s)).toEqual([expect.objectContaining({ severity: 'info' })]);
  });

  it('leaves other applications out: a browser refused by IP ranges does not stop HubSpot', () => {
    const s = withLogins(
      login('11:00', 'Restricted IP', { Application: 'Browser', LoginType: 'Application' }),
      login('10:00', 'Success'),
      login('09:00', 'Restricted IP', { Application: 'HubSpot Sales' }),
    );
    const d = evaluateAccess(s);
    expect(d.verdict).toBe('healthy');
    expect(d.logins).toMatchObject({ attempts: 1, otherApplications: 2 });
  });

  it("counts an unnamed refused attempt as possibly HubSpot's", () => {
    const s = withLogins(
      login('11:00', 'Restricted IP', { Application: null }),
      login('10:00', 'Success'),
    );
    expect(evaluateAccess(s).verdict).toBe('blocked');
  });

  it('heads a refusal for a lockout by its own cause, with how to unlock and what locks', () => {
    const s = withLogins(
      login('11:30', 'Password Lockout'),
      login('11:00', 'Password Lockout'),
      login('10:00', 'Success'),
    );
    const d = evaluateAccess(s);
    expect(d.verdict).toBe('blocked');
    const [finding] = loginFindings(s);
    expect(finding).toMatchObject({
      reason: 'API_ACCESS_DISABLED',
      cause: 'USER_LOCKED_OUT',
      severity: 'error',
      rule: 'login-failures',
    });
    expect(findingCode(finding!)).toBe('USER_LOCKED_OUT');
    expect(findingTitle(finding!)).toBe(
      'Integration user locked out (HubSpot would suspend with: Salesforce org API access disabled)',
    );
    expect(finding!.remedy).toMatch(
      /^Open 'hubspot@acme\.com' in Setup > Users and click Unlock\./,
    );
    expect(finding!.remedy).toContain("password policy's lockout");
    expect(finding!.remedy).toContain('Clear Suspension');
    // The report heads it so too, never as the org's API access being off.
    expect(formatReport(d)).toContain(
      'Integration user locked out (HubSpot would suspend with: Salesforce org API access disabled)',
    );
  });

  it('heads a refusal for a frozen user by USER_FROZEN when the frozen state was not read', () => {
    const s = withLogins(login('11:30', 'User is Frozen'), login('10:00', 'Success'));
    delete s.user!.IsFrozen;
    const [finding] = loginFindings(s);
    expect(finding).toMatchObject({ severity: 'error', cause: 'USER_FROZEN' });
    expect(findingTitle(finding!)).toBe(
      'Integration user frozen (HubSpot would suspend with: Salesforce org API access disabled)',
    );
  });

  it('heads earlier refusals of a frozen, inactive or locked-out user by their causes', () => {
    for (const [status, cause, title] of [
      ['User is Frozen', 'USER_FROZEN', 'Integration user frozen'],
      ['User is Inactive', 'USER_INACTIVE', 'Integration user inactive'],
      ['Password Lockout', 'USER_LOCKED_OUT', 'Integration user locked out'],
    ] as const) {
      const s = withLogins(login('11:00', 'Success'), login('09:00', status));
      const [finding] = loginFindings(s);
      expect(finding).toMatchObject({ severity: 'warning', cause });
      expect(findingTitle(finding!)).toBe(
        `At risk: ${title} (HubSpot's reason if it suspends: Salesforce org API access disabled)`,
      );
    }
  });

  it('does not repeat the frozen-user finding, and says so when the freeze is gone', () => {
    const frozen = withLogins(login('11:00', 'User is Frozen'));
    frozen.user!.IsFrozen = true;
    expect(evaluateAccess(frozen).findings.map((f) => f.rule)).toEqual(['frozen-user']);

    const unfrozen = withLogins(login('11:00', 'User is Frozen'));
    unfrozen.user!.IsFrozen = false;
    const [finding] = loginFindings(unfrozen);
    // A rule of its own, not login-failures: nothing refuses HubSpot in Salesforce any more.
    expect(finding).toMatchObject({ severity: 'warning', rule: 'login-failure-cleared' });
    expect(finding!.message).toContain('no longer frozen');
    expect(finding!.remedy).toContain('Clear Suspension');
  });

  it('says so, under its own rule, when the user is active again', () => {
    const inactive = withLogins(login('11:00', 'User is Inactive'));
    inactive.user!.IsActive = false;
    expect(evaluateAccess(inactive).findings.map((f) => f.rule)).toEqual(['inactive-user']);

    const reactivated = withLogins(login('11:00', 'User is Inactive'));
    reactivated.user!.IsActive = true;
    expect(loginFindings(reactivated)).toEqual([
      expect.objectContaining({ severity: 'warning', rule: 'login-failure-cleared' }),
    ]);
    expect(loginFindings(reactivated)[0]!.message).toContain('no longer inactive');
  });

  it('leaves refusals "API Disabled for User" to the API Enabled check: one problem, not two', () => {
    const s = fixture('api-disabled');
    s.logins = [login('11:30', 'API Disabled for User'), login('10:00', 'Success')];
    const d = evaluateAccess(s);
    const disabled = d.findings.filter((f) => f.reason === 'API_ACCESS_DISABLED');
    expect(disabled.map((f) => f.rule)).toEqual(['api-enabled']);
    expect(d.logins!.failures[0]).toMatchObject({ cause: 'api-disabled', count: 1 });

    // "API Enabled" granted again: what is left is in HubSpot.
    const granted = withLogins(login('11:30', 'API Disabled for User'), login('10:00', 'Success'));
    const [cleared, ...rest] = loginFindings(granted);
    expect(rest).toEqual([]);
    expect(cleared).toMatchObject({ rule: 'login-failure-cleared', severity: 'warning' });
    expect(cleared!.message).toContain('granted "API Enabled" now');

    // Permissions not read: the refusal says it, with the API Enabled check's fix and heading.
    const unread = withLogins(login('11:30', 'API Disabled for User'), login('10:00', 'Success'));
    delete unread.assignments;
    const [refused] = loginFindings(unread);
    expect(refused).toMatchObject({ rule: 'login-failures', severity: 'error' });
    expect(findingCode(refused!)).toBe('API_ACCESS_DISABLED');
    expect(refused!.remedy).toMatch(/^Turn on "API Enabled" \(System Permissions\)/);
  });

  it('notes when HubSpot has not logged in at all in the window', () => {
    const s = withLogins(login('11:00', 'Success', { Application: 'Browser' }));
    const [finding] = loginFindings(s);
    expect(finding).toMatchObject({ severity: 'info', rule: 'no-recent-login' });
    expect(finding!.message).toContain('only other applications did: 1 attempts');
    // No login says the sync is not running as this user, not that API access is disabled.
    expect(finding!.symptom).toBe('NO_RECENT_LOGIN');
    expect(formatReport(evaluateAccess(s))).toContain(
      `[Note] ${USER}: HubSpot has not logged in as this user`,
    );
  });

  it("reads Salesforce's '+0000' offsets in the ISO form every browser parses", () => {
    expect(salesforceTime('2026-11-29T09:31:12.000+0000')).toBe(Date.UTC(2026, 10, 29, 9, 31, 12));
    expect(salesforceTime('2026-11-29T09:31:12.000-0500')).toBe(Date.UTC(2026, 10, 29, 14, 31, 12));
    expect(salesforceTime('2026-11-29T09:31:12Z')).toBe(Date.UTC(2026, 10, 29, 9, 31, 12));
    expect(salesforceTime('yesterday')).toBeNaN();
  });

  it('judges the newest attempt whatever order the rows come in', () => {
    const s = withLogins(login('08:30', 'Success'), login('11:30', 'Restricted IP'));
    expect(evaluateAccess(s).verdict).toBe('blocked');
  });

  it('the report says why Login History was not read, when the reader says so', () => {
    const notRead = 'Login History not read: it needs "Manage Users" or "Monitor Login History".';
    const report = formatReport(evaluateAccess(fixture('healthy')), { loginsNotRead: notRead });
    expect(report).toContain(`Logins\n------\n${notRead}\n`);
    expect(formatReport(evaluateAccess(fixture('healthy')))).not.toContain('Logins');
    const read = withLogins(login('08:30', 'Success'));
    expect(formatReport(evaluateAccess(read), { loginsNotRead: notRead })).not.toContain(notRead);
  });

  it('validates the section, and prints it in the report', () => {
    const s = withLogins(login('11:30', 'Restricted IP'), login('08:30', 'Success'));
    expect(validateSnapshot(JSON.parse(JSON.stringify(s)))).toMatchObject({ ok: true });
    const bad = { ...s, logins: [{ LoginTime: 'yesterday', Status: 'Success' }] };
    expect(validateSnapshot(bad)).toMatchObject({ ok: false, path: 'logins[0].LoginTime' });
    const report = formatReport(evaluateAccess(s));
    expect(report).toContain('Logins, last 7 days');
    expect(report).toContain('Refused since 2026-11-29 11:30 UTC.');
    expect(report).toMatch(/Restricted IP\s+1\s+2026-11-29 11:30 UTC\s+54\.174\.52\.10/);
  });

  describe('when HubSpot stops logging in', () => {
    /** Successful logins every `everyHours`, the newest `lastHoursAgo` before capture. */
    function rhythm(count: number, everyHours: number, lastHoursAgo: number): Snapshot {
      const s = fixture('healthy');
      const capturedAt = Date.parse(s.capturedAt);
      s.logins = Array.from({ length: count }, (_, i) => {
        const at = new Date(capturedAt - (lastHoursAgo + i * everyHours) * 3_600_000);
        return login('00:00', 'Success', {
          LoginTime: at.toISOString().replace('Z', '+0000'),
        });
      });
      return s;
    }
    const stopped = (s: Snapshot) =>
      evaluateAccess(s).findings.filter((f) => f.rule === 'hubspot-logins-stopped');

    it('blocks after several of its usual gaps of silence, with how long and its rhythm', () => {
      // A stopped sync is not "at risk": the verdict reads blocked (the CLI exits 1), the cause
      // unknown here, and the next step is HubSpot's Sync Health.
      const [finding, ...rest] = stopped(rhythm(48, 1, 9));
      expect(rest).toEqual([]);
      expect(finding).toMatchObject({ severity: 'error', symptom: 'SYNC_STOPPED' });
      expect(finding!.remedy).toMatch(
        /^Open HubSpot's Salesforce integration settings \(Connected apps > Salesforce, Sync Health tab\) to see why/,
      );
      expect(finding!.message).toContain('for 9 hours (last at 2026-11-28 03:00 UTC)');
      expect(finding!.message).toContain('about every hour');
      expect(finding!.remedy).toContain('Clear Suspension');
      expect(evaluateAccess(rhythm(48, 1, 9)).verdict).toBe('blocked');
    });

    it('puts the silence in the summary, so the Logins card can say the sync stopped', () => {
      const d = evaluateAccess(rhythm(48, 1, 20));
      expect(d.logins!.stopped).toEqual({
        lastLoginAt: d.logins!.lastSuccessAt,
        silentForMs: 20 * 3_600_000,
        usualGapMs: 3_600_000,
      });
      expect(loginSilenceText(d.logins!.stopped!)).toBe(
        'No login for 20 hours, while HubSpot logged in about every hour: its sync has stopped.',
      );
      expect(evaluateAccess(rhythm(48, 1, 0.5)).logins!.stopped).toBeUndefined();
    });

    it('says its rhythm as an admin would: a jittery hour is "about every hour"', () => {
      const every = (hours: number) =>
        stopped(rhythm(48, hours, 9))[0]!.message.match(/about every ([^:]+):/)![1];
      expect(every(56 / 60)).toBe('hour');
      expect(every(65 / 60)).toBe('hour');
      expect(every(1.9)).toBe('2 hours');
      // Short gaps, and gaps between whole hours, keep their minutes.
      expect(every(0.5)).toBe('30 minutes');
      expect(every(50 / 60)).toBe('50 minutes');
      expect(every(80 / 60)).toBe('80 minutes');
    });

    it("is headed as HubSpot's sync having stopped, not as API access disabled", () => {
      const s = rhythm(48, 1, 9);
      const report = formatReport(evaluateAccess(s), { snapshot: s });
      expect(report).toContain(`[Blocks the sync] ${USER}: HubSpot's sync has stopped`);
      expect(report).not.toContain('API access disabled');
    });

    it('says nothing while the silence is within its rhythm', () => {
      expect(stopped(rhythm(48, 1, 0.5))).toEqual([]);
      // Four gaps of an hour, but under the three-hour floor: a busy sync may pause that long.
      expect(stopped(rhythm(48, 0.5, 2.5))).toEqual([]);
    });

    it('judges an org by its own rhythm (a 12-hour session timeout refreshes twice a day)', () => {
      expect(stopped(rhythm(14, 12, 30))).toEqual([]);
      expect(stopped(rhythm(14, 12, 50))[0]!.message).toContain('about every 12 hours');
    });

    it('needs a rhythm: fewer than four successful logins judge nothing', () => {
      expect(stopped(rhythm(3, 1, 40))).toEqual([]);
    });

    it('leaves a refused last attempt to the refusal finding', () => {
      const s = rhythm(48, 1, 9);
      s.logins!.unshift(
        login('00:00', 'Restricted IP', { LoginTime: '2026-11-28T11:00:00.000+0000' }),
      );
      expect(stopped(s)).toEqual([]);
      expect(loginFindings(s)[0]).toMatchObject({ rule: 'login-failures', severity: 'error' });
    });
  });
});
