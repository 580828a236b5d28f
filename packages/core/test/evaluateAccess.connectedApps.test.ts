/** HubSpot's connected app: the OAuth policies that refuse its login before any permission counts. */
import { evaluateAccess } from '../src/diagnosis/evaluateAccess.js';
import { findingTitle } from '../src/reasons/catalog.js';
import { checkSuspensionSteps } from '../src/relayed/suspensionSteps.js';
import { formatReport } from '../src/report/formatReport.js';
import { validateSnapshot } from '../src/snapshot/schema.js';
import type { ConnectedAppRecord, LoginHistoryRecord, Snapshot } from '../src/snapshot/types.js';
import { EXTRAS_SET, HUBSPOT_SET, PROFILE_SET, fixture } from './support.js';

const APP_ID = '0H45g000000HubSpAAA';

function app(extra: Partial<ConnectedAppRecord> = {}): ConnectedAppRecord {
  return {
    attributes: { type: 'ConnectedApplication' },
    Id: APP_ID,
    Name: 'HubSpot',
    OptionsAllowAdminApprovedUsersOnly: false,
    OptionsHasSessionLevelPolicy: false,
    OptionsRefreshTokenValidityMetric: false,
    RefreshTokenValidityPeriod: null,
    ...extra,
  };
}

function withApps(apps: ConnectedAppRecord[], approvedParents: string[] = []): Snapshot {
  const s = fixture('healthy');
  s.connectedApps = {
    apps,
    access: approvedParents.map((ParentId) => ({
      attributes: { type: 'SetupEntityAccess' },
      ParentId,
      SetupEntityId: APP_ID,
    })),
  };
  return s;
}

const appFindings = (s: Snapshot) =>
  evaluateAccess(s).findings.filter((f) => f.rule?.startsWith('connected-app-'));

describe("HubSpot's connected app", () => {
  it('judges nothing when the section was not read', () => {
    expect(appFindings(fixture('healthy'))).toEqual([]);
  });

  it('is silent for an installed app with the default policies', () => {
    expect(appFindings(withApps([app()]))).toEqual([]);
  });

  it('ignores apps that are not the sync app (the sales extension, other vendors)', () => {
    const others = [
      app({ Name: 'HubSpot Sales', OptionsAllowAdminApprovedUsersOnly: true }),
      app({ Id: 'x', Name: 'Data Loader', OptionsHasSessionLevelPolicy: true }),
    ];
    const findings = appFindings(withApps(others));
    // Neither is HubSpot's sync app, so the sync app counts as not installed, and nothing else.
    expect(findings.map((f) => f.rule)).toEqual(['connected-app-not-installed']);
  });

  describe('admin-approved users only', () => {
    it('is an error when no profile or permission set of the user is approved', () => {
      const [finding, ...rest] = appFindings(
        withApps([app({ OptionsAllowAdminApprovedUsersOnly: true })], ['0PS000000000OtherAAA']),
      );
      expect(rest).toEqual([]);
      expect(finding).toMatchObject({
        rule: 'connected-app-approval',
        severity: 'error',
        reason: 'API_ACCESS_DISABLED',
        subject: 'HubSpot',
      });
      expect(finding!.message).toContain('Not approved for access');
      expect(finding!.remedy).toContain('Manage Profiles');
    });

    it("is headed by the missing approval, not as the org's API access being off", () => {
      const [finding] = appFindings(withApps([app({ OptionsAllowAdminApprovedUsersOnly: true })]));
      expect(finding).toMatchObject({
        reason: 'API_ACCESS_DISABLED',
        cause: 'CONNECTED_APP_NOT_APPROVED',
      });
      expect(findingTitle(finding!)).toBe(
        "Integration user not approved for HubSpot's connected app (HubSpot would suspend with: Salesforce org API access disabled)",
      );
    });

    it.each([PROFILE_SET, HUBSPOT_SET, EXTRAS_SET])(
      'is satisfied by an approved source (%s)',
      (id) => {
        expect(
          appFindings(withApps([app({ OptionsAllowAdminApprovedUsersOnly: true })], [id])),
        ).toEqual([]);
      },
    );

    it('does not count an approval through an expired assignment, and says it would count', () => {
      const s = withApps([app({ OptionsAllowAdminApprovedUsersOnly: true })], [EXTRAS_SET]);
      const extras = s.assignments!.find((a) => a.PermissionSetId === EXTRAS_SET)!;
      extras.ExpirationDate = '2026-01-31T00:00:00.000+0000';
      const [finding] = appFindings(s);
      expect(finding?.rule).toBe('connected-app-approval');
      expect(finding!.message).toMatch(/would be/);
    });

    const refused = (LoginTime = '2026-11-29T10:00:00.000+0000'): LoginHistoryRecord => ({
      attributes: { type: 'LoginHistory' },
      LoginTime,
      Status: 'Failed: Not approved for access',
      Application: 'HubSpot',
    });

    it("says once, with Login History's times, when HubSpot's latest login was already refused for it", () => {
      const s = withApps([app({ OptionsAllowAdminApprovedUsersOnly: true })]);
      s.logins = [refused(), refused('2026-11-29T09:00:00.000+0000')];
      const findings = evaluateAccess(s).findings;
      // One finding, the policy's: it names the app a fix approves the user for.
      expect(findings.map((f) => f.rule)).not.toContain('login-failures');
      expect(findings.map((f) => f.rule)).not.toContain('login-failure-cleared');
      const finding = findings.find((f) => f.rule === 'connected-app-approval')!;
      expect(finding.message).toContain('has refused HubSpot');
      expect(finding.message).toContain('"Failed: Not approved for access" 2 times');
      expect(finding.remedy).toContain('Clear Suspension');
    });

    it("tells Login History's refusal is fixed when the user is approved now", () => {
      const s = withApps([app({ OptionsAllowAdminApprovedUsersOnly: true })], [EXTRAS_SET]);
      s.logins = [refused()];
      const findings = evaluateAccess(s).findings;
      expect(findings.map((f) => f.rule)).not.toContain('connected-app-approval');
      expect(findings.map((f) => f.rule)).not.toContain('login-failures');
      const login = findings.find((f) => f.rule === 'login-failure-cleared')!;
      expect(login.severity).toBe('warning');
      expect(login.message).toMatch(
        /approved for HubSpot's connected app now \(by Permission set: /,
      );
      expect(login.remedy).toContain('Clear Suspension');
    });

    it('tells the refusal is fixed when the app lets every user self-authorize now', () => {
      const s = withApps([app()]);
      s.logins = [refused()];
      const login = evaluateAccess(s).findings.find((f) => f.rule === 'login-failure-cleared')!;
      expect(login).toMatchObject({ severity: 'warning' });
      expect(login.message).toContain('lets every user self-authorize');
    });

    it("keeps Login History's error when the connected apps were not read", () => {
      const s = fixture('healthy');
      s.logins = [refused()];
      const login = evaluateAccess(s).findings.find((f) => f.rule === 'login-failures')!;
      expect(login).toMatchObject({ severity: 'error' });
      expect(login.remedy).toContain('Manage Connected Apps');
    });

    it("lists the approval among the grants, with the app's Id a fix needs", () => {
      const missing = evaluateAccess(withApps([app({ OptionsAllowAdminApprovedUsersOnly: true })]));
      expect(missing.grants!.filter((g) => g.kind === 'connectedApp')).toEqual([
        { kind: 'connectedApp', name: 'HubSpot', id: APP_ID, granted: false, by: [] },
      ]);
      const approved = evaluateAccess(
        withApps([app({ OptionsAllowAdminApprovedUsersOnly: true })], [HUBSPOT_SET]),
      );
      expect(approved.grants!.find((g) => g.kind === 'connectedApp')).toMatchObject({
        granted: true,
        by: [expect.stringContaining('HubSpot Integration Permissions')],
      });
      // An app every user may self-authorize needs no approval: no grant to check.
      expect(evaluateAccess(withApps([app()])).grants!.some((g) => g.kind === 'connectedApp')).toBe(
        false,
      );
    });
  });

  it('warns that a high-assurance session policy can refuse an unattended OAuth refresh', () => {
    const [finding] = appFindings(withApps([app({ OptionsHasSessionLevelPolicy: true })]));
    expect(finding).toMatchObject({ rule: 'connected-app-session-policy', severity: 'warning' });
    expect(finding!.remedy).toContain('High assurance session required');
  });

  describe('refresh token policy', () => {
    it('warns when tokens expire a period after issue, however often HubSpot uses them', () => {
      const [finding] = appFindings(withApps([app({ RefreshTokenValidityPeriod: 90 })]));
      expect(finding).toMatchObject({ rule: 'connected-app-token-policy', severity: 'warning' });
      expect(finding!.message).toContain('expire 90 (hours, days or months');
      expect(finding!.remedy).toContain('valid until revoked');
    });

    it('only notes an expiry after inactivity: HubSpot uses its token all the time', () => {
      const [finding] = appFindings(
        withApps([
          app({ RefreshTokenValidityPeriod: 30, OptionsRefreshTokenValidityMetric: true }),
        ]),
      );
      expect(finding).toMatchObject({ rule: 'connected-app-token-policy', severity: 'info' });
      expect(finding!.message).toContain('without use');
    });
  });

  describe('not installed', () => {
    it("notes that connecting another user will be refused, and that today's connection is not affected", () => {
      const s = withApps([]);
      s.logins = [
        {
          attributes: { type: 'LoginHistory' },
          LoginTime: '2026-11-29T10:00:00.000+0000',
          Status: 'Success',
          Application: 'HubSpot',
        },
      ];
      const d = evaluateAccess(s);
      const [finding] = d.findings.filter((f) => f.rule === 'connected-app-not-installed');
      expect(finding).toMatchObject({ severity: 'info', reason: 'API_ACCESS_DISABLED' });
      expect(finding!.message).toContain('not affected');
      expect(finding!.message).toContain('Approve Uninstalled Connected Apps');
      expect(finding!.remedy).toContain('Connected Apps OAuth Usage');
      // A note for later, not a risk to the current sync.
      expect(d.verdict).toBe('healthy');
      const check = checkSuspensionSteps('API_ACCESS_DISABLED', d);
      expect(check.alsoFound.map((f) => f.rule)).not.toContain('connected-app-not-installed');
    });

    it('says nothing for a user on the standard System Administrator profile, which holds the bypass', () => {
      const s = withApps([]);
      const profile = s.assignments!.find((a) => a.PermissionSet.IsOwnedByProfile)!;
      profile.PermissionSet.Profile = { Name: 'System Administrator' };
      s.user!.Profile = { Name: 'System Administrator' };
      expect(appFindings(s)).toEqual([]);
    });
  });

  it('blocks the sync (exit code, report) when the user is not approved', () => {
    const d = evaluateAccess(withApps([app({ OptionsAllowAdminApprovedUsersOnly: true })]));
    expect(d.verdict).not.toBe('healthy');
    expect(formatReport(d)).toContain('admits admin-approved users only');
  });

  it('says in the report when the reader could not read the app, since no finding would', () => {
    const notRead = "HubSpot's connected app not read: it needs Customize Application.";
    const report = formatReport(evaluateAccess(fixture('healthy')), {
      connectedAppsNotRead: notRead,
    });
    expect(report).toContain(`HubSpot's connected app\n`);
    expect(report).toContain(notRead);
    // No section of its own then; the verdict still names it among the checks not made.
    expect(formatReport(evaluateAccess(fixture('healthy')))).not.toContain(
      "\nHubSpot's connected app\n---",
    );
  });

  it('says the fix once: the remedy is the action, the message the cause', () => {
    const [finding] = appFindings(withApps([app({ OptionsAllowAdminApprovedUsersOnly: true })]));
    expect(finding!.remedy).toMatch(
      /^In Setup > Connected Apps > Manage Connected Apps, open "HubSpot"/,
    );
    expect(finding!.remedy).not.toContain('admits admin-approved users only');
  });

  it('validates the section, and names a malformed row', () => {
    expect(validateSnapshot(withApps([app()], [PROFILE_SET])).ok).toBe(true);
    const bad = withApps([app()]) as unknown as { connectedApps: { apps: unknown[] } };
    bad.connectedApps.apps = [{ Name: 'HubSpot' }];
    const result = validateSnapshot(bad);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.path).toMatch(/^connectedApps\.apps/);
  });
});
