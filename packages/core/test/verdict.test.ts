/** The verdict's sentence: each cause once, HubSpot's reason as a forecast, once per reason. */
import type { Finding } from '../src/diagnosis/types.js';
import type { ReasonCode } from '../src/reasons/codes.js';
import type { SuspensionAgreement } from '../src/relayed/suspensionSteps.js';
import {
  partlyCheckedVerdictLabel,
  partlyCheckedVerdictSentence,
  relayedVerdictSentence,
  suspendedVerdictLabel,
  suspendedVerdictSentence,
  verdictSentence,
  verdictUncheckedQualifier,
  verdictUncheckedSentence,
} from '../src/report/verdict.js';
import { uncheckedSentence } from '../src/snapshot/unchecked.js';
import { evaluateAccess } from '../src/diagnosis/evaluateAccess.js';
import { formatReport } from '../src/report/formatReport.js';
import { checkSuspensionSteps } from '../src/relayed/suspensionSteps.js';
import { HUBSPOT_SET, fixture } from './support.js';

const finding = (extra: Partial<Finding>): Finding => ({
  reason: 'API_ACCESS_DISABLED',
  severity: 'error',
  subject: 'hubspot@acme.com',
  message: '',
  remedy: '',
  ...extra,
});
const frozen = finding({ cause: 'USER_FROZEN', rule: 'frozen-user' });
const notApproved = finding({
  cause: 'CONNECTED_APP_NOT_APPROVED',
  rule: 'connected-app-approval',
  subject: 'HubSpot',
  pending: true,
});

describe('verdictSentence', () => {
  it("names HubSpot's reason once, as a forecast, for two causes of the same reason", () => {
    const text = verdictSentence({ verdict: 'blocked', findings: [frozen, notApproved] })!;
    expect(text).toBe(
      "HubSpot cannot sync: Integration user frozen and Integration user not approved for HubSpot's connected app (HubSpot would suspend with: Salesforce org API access disabled). Fix them below.",
    );
    expect(text).not.toContain("HubSpot's reason:");
  });

  it('says a refusal still to come as what will happen, not as a sync already blocked', () => {
    expect(verdictSentence({ verdict: 'blocked', findings: [notApproved] })).toBe(
      "HubSpot still syncs, but Salesforce will refuse it from its next login on: Integration user not approved for HubSpot's connected app (HubSpot would suspend with: Salesforce org API access disabled). Fix it below.",
    );
  });

  it('says a stopped sync with no cause found as blocked, and where to see why', () => {
    const stopped = finding({ symptom: 'SYNC_STOPPED', rule: 'hubspot-logins-stopped' });
    expect(verdictSentence({ verdict: 'blocked', findings: [stopped] })).toBe(
      "HubSpot's sync has stopped and Sync Doctor found no cause in Salesforce: open HubSpot's Salesforce integration settings (Connected apps > Salesforce, Sync Health tab) to see why.",
    );
  });

  it("with HubSpot's relayed reason, names it and points to its section instead of HubSpot", () => {
    const stopped = finding({ symptom: 'SYNC_STOPPED', rule: 'hubspot-logins-stopped' });
    const d = { verdict: 'blocked' as const, findings: [stopped] };
    const status = {
      state: 'suspended' as const,
      reason: 'API_ACCESS_DISABLED' as const,
      title: null,
    };
    expect(verdictSentence(d, { status })).toBe(
      'HubSpot\'s sync has stopped and Sync Doctor found no cause in Salesforce, but HubSpot reported "Salesforce org API access disabled": "Suspension reported by HubSpot" below says what to check.',
    );
    expect(verdictSentence(d, { status, section: 'HubSpot reported' })).toContain(
      '"HubSpot reported" below says what to check.',
    );
    // Suspected, not reported: said as such.
    expect(verdictSentence(d, { status: { ...status, state: 'suspected' } })).toContain(
      'but HubSpot may have suspended the sync for "Salesforce org API access disabled"',
    );
    // A reason Sync Doctor does not know, named by HubSpot's own title.
    expect(
      verdictSentence(d, { status: { state: 'suspended', reason: null, title: 'Sync paused' } }),
    ).toContain('but HubSpot reported "Sync paused"');
    // No reason relayed, or a cleared suspension: nothing says why, so HubSpot's Sync Health does.
    for (const other of [
      { state: 'suspended' as const, reason: null, title: null },
      { ...status, state: 'cleared' as const },
    ])
      expect(verdictSentence(d, { status: other })).toMatch(/Sync Health tab\) to see why\.$/);
    const report = formatReport(
      { ...evaluateAccess(fixture('healthy')), verdict: 'blocked', findings: [stopped] },
      {
        status: {
          ...status,
          portalId: '1',
          since: null,
          lastSeenAt: null,
          clearedAt: null,
          source: 'manual',
          excerpt: null,
          history: [],
        },
      },
    );
    expect(report).not.toContain('to see why');
    expect(report.replace(/\s+/g, ' ')).toContain(
      'but HubSpot reported "Salesforce org API access disabled": "HubSpot suspension status (relayed)" below says what to check.',
    );
  });

  it('says most findings may come from the set to assign first', () => {
    const missing = Array.from({ length: 55 }, (_, i) =>
      finding({ reason: 'FIELD_PERMISSIONS_MISSING', subject: `Contact.F${i}` }),
    );
    expect(
      verdictSentence(
        { verdict: 'blocked', findings: missing },
        { assignFirst: ['HubSpot Integration Permissions'] },
      ),
    ).toBe(
      "HubSpot cannot sync: Salesforce field permissions missing. Most findings may come from 'HubSpot Integration Permissions' not being assigned: assign it first, then check again.",
    );
  });
});

describe("the report's verdict", () => {
  it('says what blocks the sync, and the unassigned set behind most findings', () => {
    const s = fixture('healthy');
    s.assignments = s.assignments!.filter((a) => a.PermissionSetId !== HUBSPOT_SET);
    for (const r of s.objectPermissions!.filter((r) => r.ParentId === HUBSPOT_SET))
      r.PermissionsEdit = false;
    for (const r of s.fieldPermissions!) r.PermissionsEdit = false;
    const d = evaluateAccess(s);
    expect(d.verdict).toBe('blocked');
    expect(formatReport(d, { snapshot: s }).replace(/\s+/g, ' ')).toContain(
      'not being assigned: assign it first, then check again.',
    );
  });
});

describe("the report's verdict, as the app's", () => {
  it('says what risks an at-risk sync, without the page\'s "below"', () => {
    const s = fixture('healthy');
    s.limits!.DailyApiRequests!.Remaining = 8_000;
    const d = evaluateAccess(s);
    expect(d.verdict).toBe('at-risk');
    const text = formatReport(d, { snapshot: s }).replace(/\s+/g, ' ');
    expect(verdictSentence(d)).toBe(
      "HubSpot can sync now, but something below will suspend it soon or breaks part of the sync: Salesforce org API limit nearly reached (HubSpot's reason if it suspends: Salesforce org API limit exceeded).",
    );
    expect(text).toContain(
      "HubSpot can sync now, but something will suspend it soon or breaks part of the sync: Salesforce org API limit nearly reached (HubSpot's reason if it suspends: Salesforce org API limit exceeded).",
    );
    expect(text).not.toMatch(/\bbelow\b/);
  });

  it("says a stopped sync found with a risk only in the report's words too", () => {
    const stopped = finding({
      severity: 'warning',
      symptom: 'SYNC_STOPPED',
      rule: 'hubspot-logins-stopped',
    });
    const limit = finding({
      severity: 'warning',
      reason: 'API_LIMIT_EXCEEDED',
      rule: 'api-limit-near',
    });
    const d = { verdict: 'at-risk' as const, findings: [stopped, limit] };
    expect(verdictSentence(d, { report: true })).not.toMatch(/\bbelow\b/i);
    expect(verdictSentence(d)).toMatch(/\bbelow\b/i);
  });
});

/**
 * A healthy org HubSpot suspended: the app's verdict, the CLI's and the copied report's say the
 * same sentence, from the core (the app used to word it alone, and the CLI said nothing of it).
 */
describe('relayedVerdictSentence', () => {
  const title = 'Salesforce storage limit exceeded';
  const cases: [SuspensionAgreement | null, boolean, string][] = [
    [
      'fixed-since',
      true,
      'The integration user has everything HubSpot needs: the cause HubSpot reported ("Salesforce storage limit exceeded") is gone now. "Suspension reported by HubSpot" below says how to lift the suspension.',
    ],
    [
      'fixed-since',
      false,
      'The integration user has everything HubSpot needs: the cause HubSpot may have suspended the sync for ("Salesforce storage limit exceeded") is gone now. "Suspension reported by HubSpot" below says how to lift the suspension.',
    ],
    [
      'partly-checked',
      true,
      'Sync Doctor\'s checks find nothing blocking, but it could not make every check, so it cannot say whether the cause HubSpot reported ("Salesforce storage limit exceeded") is gone. "Suspension reported by HubSpot" below says what to check by hand.',
    ],
    [
      'partly-checked',
      false,
      'Sync Doctor\'s checks find nothing blocking, but it could not make every check, so it cannot say whether the cause HubSpot may have suspended the sync for ("Salesforce storage limit exceeded") is gone. "Suspension reported by HubSpot" below says what to check by hand.',
    ],
    [
      'confirmed',
      true,
      'Sync Doctor\'s checks find nothing blocking, yet the steps for "Salesforce storage limit exceeded" in "Suspension reported by HubSpot" below still show something to do.',
    ],
    [
      'confirmed',
      false,
      'Sync Doctor\'s checks find nothing blocking, yet the steps for "Salesforce storage limit exceeded" in "Suspension reported by HubSpot" below still show something to do.',
    ],
    [
      'check-in-hubspot',
      true,
      'The integration user has everything HubSpot needs, but what decides the cause HubSpot reported ("Salesforce storage limit exceeded") is in HubSpot, which Sync Doctor cannot see. "Suspension reported by HubSpot" below says what to check there before you clear the suspension.',
    ],
    [
      'check-in-hubspot',
      false,
      'The integration user has everything HubSpot needs, but what decides the cause HubSpot may have suspended the sync for ("Salesforce storage limit exceeded") is in HubSpot, which Sync Doctor cannot see. "Suspension reported by HubSpot" below says what to check there before you clear the suspension.',
    ],
    [
      'not-judged',
      true,
      'Sync Doctor\'s checks find nothing blocking, but Sync Doctor could not check from what it read whether the cause HubSpot reported ("Salesforce storage limit exceeded") is gone. "Suspension reported by HubSpot" below says what it lacked.',
    ],
    [
      'not-judged',
      false,
      'Sync Doctor\'s checks find nothing blocking, but Sync Doctor could not check from what it read whether the cause HubSpot may have suspended the sync for ("Salesforce storage limit exceeded") is gone. "Suspension reported by HubSpot" below says what it lacked.',
    ],
    ...(['not-visible', 'other-cause', null] as const).flatMap(
      (agreement): [SuspensionAgreement | null, boolean, string][] => [
        [
          agreement,
          true,
          'The integration user has everything HubSpot needs, but HubSpot suspended the sync for "Salesforce storage limit exceeded", which is outside what Sync Doctor checks. "Suspension reported by HubSpot" below says what to check.',
        ],
        [
          agreement,
          false,
          'The integration user has everything HubSpot needs, but HubSpot may have suspended the sync for "Salesforce storage limit exceeded", which is outside what Sync Doctor checks. "Suspension reported by HubSpot" below says what to check.',
        ],
      ],
    ),
  ];

  it.each(cases)('words %s (reported: %s)', (agreement, reported, sentence) => {
    expect(relayedVerdictSentence(agreement, title, { reported })).toBe(sentence);
  });

  it('covers every agreement checkSuspensionSteps gives', () => {
    const all: Record<SuspensionAgreement, true> = {
      confirmed: true,
      'fixed-since': true,
      'partly-checked': true,
      'other-cause': true,
      'not-visible': true,
      'not-judged': true,
      'check-in-hubspot': true,
    };
    expect(new Set(cases.map(([a]) => a))).toEqual(new Set([...Object.keys(all), null]));
  });

  it("points to the caller's section, and says a reason without a title as unrecognised", () => {
    expect(
      relayedVerdictSentence('fixed-since', title, { reported: true, section: 'HubSpot reported' }),
    ).toContain('is gone now. "HubSpot reported" below says how to lift the suspension.');
    expect(relayedVerdictSentence(null, null, { reported: false })).toBe(
      'The integration user has everything HubSpot needs, but HubSpot may have suspended the sync for a reason Sync Doctor does not recognise, which is outside what Sync Doctor checks. "Suspension reported by HubSpot" below says what to check.',
    );
  });
});

describe('suspendedVerdictSentence', () => {
  /** The healthy org with its optional parts read (frozen state, Login History, connected app). */
  function healthyAllRead(change: (s: ReturnType<typeof fixture>) => void = () => {}) {
    const s = fixture('healthy');
    s.user!.IsFrozen = false;
    s.logins = [];
    s.connectedApps = { apps: [], access: [] };
    change(s);
    return evaluateAccess(s);
  }
  const suspended = (reason: ReasonCode | null, title: string | null = null) => ({
    state: 'suspended' as const,
    reason,
    title,
  });

  it("words each reason by the agreement of its steps with the diagnosis, in the catalog's title", () => {
    const d = healthyAllRead();
    expect(d.verdict).toBe('healthy');
    expect(suspendedVerdictSentence(d, suspended('STORAGE_LIMIT_EXCEEDED'))).toBe(
      relayedVerdictSentence('fixed-since', 'Salesforce org storage limits exceeded', {
        reported: true,
      }),
    );
    expect(suspendedVerdictSentence(d, suspended('FIELD_MAPPINGS_MISSING'))).toContain(
      'is in HubSpot, which Sync Doctor cannot see',
    );
    expect(suspendedVerdictSentence(d, suspended('ORG_LOCKED', 'Org locked!'))).toBe(
      'The integration user has everything HubSpot needs, but HubSpot suspended the sync for "Salesforce org locked", which is outside what Sync Doctor checks. "Suspension reported by HubSpot" below says what to check.',
    );
    const noDailyRequests = healthyAllRead((s) => delete s.limits!.DailyApiRequests);
    expect(
      suspendedVerdictSentence(noDailyRequests, {
        state: 'suspected',
        reason: 'API_LIMIT_EXCEEDED',
        title: null,
      }),
    ).toBe(
      relayedVerdictSentence('not-judged', 'Salesforce org API limit exceeded', {
        reported: false,
      }),
    );
    // A reason the catalog does not know: the relay's title.
    expect(
      suspendedVerdictSentence(d, {
        state: 'suspected',
        reason: null,
        title: 'Sync stalled',
      }),
    ).toContain('HubSpot may have suspended the sync for "Sync stalled", which is outside');
  });

  it('never says a field cause is gone on the strength of the known mapped fields alone', () => {
    const d = healthyAllRead();
    // The drill: a field mapped only in HubSpot (Contact.Department) hidden from the user.
    expect(suspendedVerdictSentence(d, suspended('FIELD_PERMISSIONS_MISSING'))).toBe(
      relayedVerdictSentence('check-in-hubspot', 'Salesforce field permissions missing', {
        reported: true,
      }),
    );
    // HubSpot's message names a field Sync Doctor checks, and it passes: that cause is gone.
    expect(
      suspendedVerdictSentence(d, {
        ...suspended('FIELD_PERMISSIONS_MISSING'),
        excerpt: 'Give the integration user read and edit access to the field Contact.Email',
      }),
    ).toContain('is gone now');
  });

  it('an outage: the sentence and the box agree that Sync Doctor cannot see it (never fixed)', () => {
    const d = healthyAllRead();
    expect(checkSuspensionSteps('ORG_UNAVAILABLE', d).agreement).toBe('not-visible');
    expect(suspendedVerdictSentence(d, suspended('ORG_UNAVAILABLE'))).toContain(
      'which is outside what Sync Doctor checks',
    );
  });

  it("labels a healthy verdict under a suspension as the app's badge and the CLI say it", () => {
    const d = healthyAllRead();
    expect(suspendedVerdictLabel(d, suspended('ORG_LOCKED'))).toBe('Access OK, sync suspended');
    expect(suspendedVerdictLabel(d, { state: 'suspected' })).toBe('Access OK');
    expect(suspendedVerdictLabel(d, { state: 'cleared' })).toBeNull();
    expect(suspendedVerdictLabel(d, null)).toBeNull();
    expect(
      suspendedVerdictLabel(evaluateAccess(fixture('storage-full')), suspended('ORG_LOCKED')),
    ).toBeNull();
    expect(suspendedVerdictLabel(evaluateAccess(fixture('healthy')), suspended(null))).toBeNull();
  });

  it('is null without a suspension, for a verdict that is not healthy, or partly checked', () => {
    const d = healthyAllRead();
    expect(suspendedVerdictSentence(d, null)).toBeNull();
    expect(
      suspendedVerdictSentence(d, { state: 'cleared', reason: 'ORG_LOCKED', title: null }),
    ).toBeNull();
    expect(
      suspendedVerdictSentence(evaluateAccess(fixture('storage-full')), suspended('ORG_LOCKED')),
    ).toBeNull();
    const partly = evaluateAccess(fixture('healthy'));
    expect(partly.unchecked?.length).toBeGreaterThan(0);
    expect(suspendedVerdictSentence(partly, suspended('ORG_LOCKED'))).toBeNull();
  });

  it("is the copied report's verdict too, pointing to the report's section on the suspension", () => {
    const s = fixture('healthy');
    s.user!.IsFrozen = false;
    s.logins = [];
    s.connectedApps = { apps: [], access: [] };
    const d = evaluateAccess(s);
    const status = {
      portalId: '123456',
      state: 'suspended' as const,
      reason: 'STORAGE_LIMIT_EXCEEDED' as const,
      title: null,
      since: '2026-11-28T11:00:00.000Z',
      lastSeenAt: null,
      clearedAt: null,
      source: 'email' as const,
      excerpt: null,
      history: [],
    };
    const text = formatReport(d, { snapshot: s, status }).replace(/\s+/g, ' ');
    expect(text).toContain(
      'Verdict: ACCESS OK, SYNC SUSPENDED (0 findings block the sync, 0 risks, 2 notes) The integration user has everything HubSpot needs: the cause HubSpot reported ("Salesforce org storage limits exceeded") is gone now. "HubSpot suspension status (relayed)" below says how to lift the suspension.',
    );
    expect(text).toContain('HubSpot suspension status (relayed) ---');
    // The label the app's badge and the CLI's verdict show (the test said 'HEALTHY' until the
    // report took it): a ticket with 'HEALTHY' above 'State: suspended' contradicted itself.
    expect(text).not.toContain('HEALTHY');
    const suspected = formatReport(d, { snapshot: s, status: { ...status, state: 'suspected' } });
    expect(suspected).toContain('Verdict: ACCESS OK (0 findings block the sync');
    // Without a suspension, a healthy verdict says nothing more.
    expect(formatReport(d, { snapshot: s })).not.toContain('HubSpot needs');
    expect(formatReport(d, { snapshot: s })).toContain('Verdict: HEALTHY (');
  });
});

describe('partlyCheckedVerdictLabel and partlyCheckedVerdictSentence', () => {
  // The shared fixture lacks the frozen state, Login History and the connected app, as a snapshot
  // read by an admin without Manage Users or Customize Application does.
  const partly = () => evaluateAccess(fixture('healthy'));
  const could =
    "and Sync Doctor could not check the frozen state, where a frozen user would show; Login History, where logins refused by IP ranges, login hours or a lockout would show; and HubSpot's connected app, where its policies refusing the integration user would show.";

  it('without a suspension: "Partly checked", only what could be read is clear', () => {
    const d = partly();
    expect(d.verdict).toBe('healthy');
    for (const status of [null, undefined, { state: 'cleared' as const }]) {
      expect(partlyCheckedVerdictLabel(d, status)).toBe('Partly checked');
      expect(partlyCheckedVerdictSentence(d, status)).toBe(
        'No problems found in what Sync Doctor could read.',
      );
    }
  });

  it('under a suspected suspension: "Partly checked", HubSpot may have suspended the sync', () => {
    const d = partly();
    expect(partlyCheckedVerdictLabel(d, { state: 'suspected' })).toBe('Partly checked');
    expect(partlyCheckedVerdictSentence(d, { state: 'suspected' })).toBe(
      `Sync Doctor finds nothing blocking in what it could read, but HubSpot may have suspended the sync, ${could}`,
    );
  });

  it('under a reported suspension: "Partly checked, sync suspended", never "Access OK"', () => {
    const d = partly();
    expect(partlyCheckedVerdictLabel(d, { state: 'suspended' })).toBe(
      'Partly checked, sync suspended',
    );
    expect(partlyCheckedVerdictSentence(d, { state: 'suspended' })).toBe(
      `Sync Doctor finds nothing blocking in what it could read, but HubSpot suspended the sync, ${could}`,
    );
    // The fully checked words are not the partly checked ones.
    expect(suspendedVerdictLabel(d, { state: 'suspended' })).toBeNull();
  });

  it('names only the checks not made, each with what it would have shown', () => {
    const read = () => {
      const s = fixture('healthy');
      s.user!.IsFrozen = false;
      s.logins = [];
      s.connectedApps = { apps: [], access: [] };
      return s;
    };
    const frozenOnly = read();
    delete (frozenOnly.user as { IsFrozen?: boolean }).IsFrozen;
    const loginsOnly = read();
    delete loginsOnly.logins;
    const appOnly = read();
    delete appOnly.connectedApps;
    const said = (s: ReturnType<typeof read>) =>
      partlyCheckedVerdictSentence(evaluateAccess(s), { state: 'suspended' });
    // Only the frozen state unread: no word of IP ranges, which Login History would show.
    expect(said(frozenOnly)).toMatch(
      /could not check the frozen state, where a frozen user would show\.$/,
    );
    expect(said(frozenOnly)).not.toContain('IP ranges');
    expect(said(loginsOnly)).toMatch(
      /could not check Login History, where logins refused by IP ranges, login hours or a lockout would show\.$/,
    );
    expect(said(loginsOnly)).not.toContain('frozen');
    expect(said(appOnly)).toMatch(
      /could not check HubSpot's connected app, where its policies refusing the integration user would show\.$/,
    );
    expect(said(appOnly)).not.toMatch(/frozen|IP ranges/);
  });

  it('is null for a verdict that is not healthy, or one every check of which was made', () => {
    const s = fixture('healthy');
    s.user!.IsFrozen = false;
    s.logins = [];
    s.connectedApps = { apps: [], access: [] };
    const full = evaluateAccess(s);
    const blocked = evaluateAccess(fixture('inactive-user'));
    expect(blocked.unchecked?.length).toBeGreaterThan(0);
    for (const d of [full, blocked]) {
      expect(partlyCheckedVerdictLabel(d, { state: 'suspended' })).toBeNull();
      expect(partlyCheckedVerdictSentence(d, null)).toBeNull();
    }
  });
});

describe('verdictUncheckedSentence and verdictUncheckedQualifier', () => {
  const atRisk = () => {
    const s = fixture('healthy');
    s.limits!.DailyApiRequests!.Remaining = 8_000;
    return evaluateAccess(s);
  };

  it('say what was not read for a healthy or at-risk verdict partly checked', () => {
    const healthy = evaluateAccess(fixture('healthy'));
    const risky = atRisk();
    expect(risky.verdict).toBe('at-risk');
    for (const d of [healthy, risky]) {
      expect(verdictUncheckedSentence(d)).toBe(uncheckedSentence(d.unchecked));
      expect(verdictUncheckedSentence(d, { named: false })).toBe(
        uncheckedSentence(d.unchecked, { named: false }),
      );
    }
    // After 'PARTLY CHECKED' the label says the rest; after 'AT RISK' the line says it.
    expect(verdictUncheckedQualifier(healthy)).toBe(
      "frozen state, Login History and HubSpot's connected app not read",
    );
    expect(verdictUncheckedQualifier(risky)).toBe(
      "partly checked: frozen state, Login History and HubSpot's connected app not read",
    );
  });

  it('leave a blocked verdict, and one every check of which was made, as they are', () => {
    const blocked = evaluateAccess(fixture('inactive-user'));
    expect(blocked.unchecked?.length).toBeGreaterThan(0);
    const s = fixture('healthy');
    s.user!.IsFrozen = false;
    s.logins = [];
    s.connectedApps = { apps: [], access: [] };
    for (const d of [blocked, evaluateAccess(s)]) {
      expect(verdictUncheckedSentence(d)).toBe('');
      expect(verdictUncheckedQualifier(d)).toBeNull();
    }
  });
});

describe('the copied report says the partly checked verdict as the app does', () => {
  const partly = () => {
    const s = fixture('healthy');
    return { s, d: evaluateAccess(s) };
  };
  const status = (state: 'suspended' | 'suspected') => ({
    portalId: '123456',
    state,
    reason: 'OBJECT_PERMISSIONS_MISSING' as const,
    title: null,
    since: '2026-11-28T11:00:00.000Z',
    lastSeenAt: null,
    clearedAt: null,
    source: 'email' as const,
    excerpt: null,
    history: [],
  });

  it.each([
    ['no suspension', null],
    ['a suspected one', status('suspected')],
    ['a reported one', status('suspended')],
  ])("with %s: the core's label on the verdict's line, then its sentence", (_, st) => {
    const { s, d } = partly();
    const text = formatReport(d, { snapshot: s, status: st }).replace(/\s+/g, ' ');
    const label = partlyCheckedVerdictLabel(d, st)!.toUpperCase();
    expect(text).toContain(
      `Verdict: ${label} (frozen state, Login History and HubSpot's connected app not read) Findings: 0 findings block the sync, 0 risks, `,
    );
    // Under a suspension the sentence names the checks not made; without one it names none, so
    // they are named before "Check them by hand" (the app's verdict does the same).
    const named = st
      ? ''
      : "Not checked: frozen state, Login History and HubSpot's connected app. ";
    expect(text).toContain(
      `0 notes ${partlyCheckedVerdictSentence(d, st)} ${named}Check them by hand`,
    );
    expect(text).not.toContain('Verdict: HEALTHY');
  });
});

/**
 * An org near its API limit (at risk) that HubSpot suspended for it: the verdict under the red
 * banner must not say the sync works ("HubSpot can sync now"), in the app, the CLI and the report.
 */
describe('an at-risk verdict under a suspension', () => {
  function nearLimit() {
    const s = fixture('healthy');
    s.user!.IsFrozen = false;
    s.logins = [];
    s.connectedApps = { apps: [], access: [] };
    s.limits!.DailyApiRequests = { Max: 100000, Remaining: 3500 };
    return s;
  }
  const status = {
    state: 'suspended' as const,
    reason: 'API_LIMIT_EXCEEDED' as const,
    title: 'Salesforce org API limit exceeded',
  };

  it('labels it "At risk, sync suspended" and never says the sync works', () => {
    const d = evaluateAccess(nearLimit());
    expect(d.verdict).toBe('at-risk');
    expect(suspendedVerdictLabel(d, status)).toBe('At risk, sync suspended');
    expect(suspendedVerdictLabel(d, { state: 'suspected' })).toBe('At risk');
    expect(suspendedVerdictLabel(d, { state: 'cleared' })).toBeNull();
    const sentence = verdictSentence(d, { suspended: true })!;
    expect(sentence).not.toMatch(/can sync now/);
    expect(sentence).toMatch(/^Something below can get the sync suspended/);
    // Without a suspension, the sync does work now.
    expect(verdictSentence(d)).toMatch(/^HubSpot can sync now/);
  });

  it('says so in the copied report too', () => {
    const s = nearLimit();
    const relayed = {
      ...status,
      portalId: '123',
      since: null,
      lastSeenAt: null,
      clearedAt: null,
      source: null,
      excerpt: null,
      history: [],
    };
    const report = formatReport(evaluateAccess(s), { snapshot: s, status: relayed });
    expect(report).toMatch(/Verdict: AT RISK, SYNC SUSPENDED/);
    expect(report).not.toMatch(/can sync now/);
  });
});

describe('isSuspendedState: the one rule for "under a suspension"', () => {
  it('is true for a reported or suspected suspension, false for a cleared one or none', async () => {
    // Exported from the package's index: the app, the CLI and the report ask it, not a copy of it.
    const { isSuspendedState } = await import('../src/index.js');
    expect(isSuspendedState({ state: 'suspended' })).toBe(true);
    expect(isSuspendedState({ state: 'suspected' })).toBe(true);
    expect(isSuspendedState({ state: 'cleared' })).toBe(false);
    expect(isSuspendedState(null)).toBe(false);
    expect(isSuspendedState(undefined)).toBe(false);
    // A forged status record can hold any string: only the two states count.
    expect(isSuspendedState({ state: 'SUSPENDED' as 'suspended' })).toBe(false);
  });
});
