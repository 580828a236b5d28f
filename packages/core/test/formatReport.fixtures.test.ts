/** formatReport over real diagnoses of the shared fixtures: the report says what evaluateAccess found. */
import { evaluateAccess } from '../src/diagnosis/evaluateAccess.js';
import { SUSPENSION_REASONS, findingTitle } from '../src/reasons/catalog.js';
import { CAUSES } from '../src/reasons/causes.js';
import { formatReport } from '../src/report/formatReport.js';
import { partlyCheckedVerdictLabel } from '../src/report/verdict.js';
import { NO_PROBLEMS_FOUND_PARTLY, SEVERITY_LABELS, subjectLabel } from '../src/report/labels.js';
import { uncheckedSentence } from '../src/snapshot/unchecked.js';
import type { ReasonCode } from '../src/reasons/codes.js';
import { FIXTURE_NAMES, fixture } from './support.js';

describe('formatReport on fixture diagnoses', () => {
  it.each([...FIXTURE_NAMES])('%s: verdict, every finding and the org appear', (name) => {
    const snapshot = fixture(name);
    const diagnosis = evaluateAccess(snapshot);
    const text = formatReport(diagnosis, { snapshot });
    // A healthy verdict partly checked is the app's 'Partly checked' (partlyCheckedVerdictLabel).
    const label =
      partlyCheckedVerdictLabel(diagnosis, null)?.toUpperCase() ??
      { healthy: 'HEALTHY', 'at-risk': 'AT RISK', blocked: 'BLOCKED' }[diagnosis.verdict];
    expect(text).toContain(`Verdict: ${label}`);
    for (const finding of diagnosis.findings) {
      // The page's badge, then the group heading: HubSpot's title for an error only.
      expect(text).toContain(
        `[${SEVERITY_LABELS[finding.severity]}] ${subjectLabel(finding.subject)}: ${findingTitle(finding)}`,
      );
      if (finding.severity !== 'error' && !finding.symptom)
        expect(findingTitle(finding)).not.toBe(SUSPENSION_REASONS[finding.reason].titles.en);
      if (finding.cause) expect(findingTitle(finding)).toContain(CAUSES[finding.cause].title);
    }
    if (snapshot.user) expect(text).toContain(snapshot.user.Username);
    for (const line of text.split('\n')) expect(line).toBe(line.trimEnd());
  });

  it('lists the read-only mapped field among the failing fields', () => {
    const snapshot = fixture('read-only-mapped-field');
    const diagnosis = evaluateAccess(snapshot);
    const failing = diagnosis.fields.filter(
      (f) => f.required.includes('edit') && !f.effective.edit,
    );
    expect(failing.length).toBeGreaterThan(0);
    const text = formatReport(diagnosis, { snapshot });
    for (const field of failing)
      expect(text).toMatch(new RegExp(`^${field.name.replace('.', '\\.')}\\s`, 'm'));
  });
});

describe('formatReport: a verdict whose checks were partly skipped', () => {
  // The shared fixtures lack the frozen state, Login History and the connected app, as a
  // snapshot read by an admin without Manage Users or Customize Application does.
  it('names what was not read on the verdict line, then the counts and what to check by hand', () => {
    const snapshot = fixture('healthy');
    const diagnosis = evaluateAccess(snapshot);
    expect(diagnosis.unchecked?.length).toBe(3);
    const lines = formatReport(diagnosis, { snapshot }).split('\n');
    const at = lines.findIndex((line) => line.startsWith('Verdict: '));
    expect(lines[at]).toBe(
      "Verdict: PARTLY CHECKED (frozen state, Login History and HubSpot's connected app not read)",
    );
    expect(lines[at + 1]).toBe('Findings: 0 findings block the sync, 0 risks, 0 notes');
    const text = lines.join('\n');
    // "Check them by hand" right after "No problems found ...": "them" would stand for nothing, so
    // the checks are named again (the app's verdict says so too without a suspension).
    expect(text.replace(/\s+/g, ' ')).toContain(
      `${NO_PROBLEMS_FOUND_PARTLY} ${uncheckedSentence(diagnosis.unchecked, { named: true })}`,
    );
    expect(text.replace(/\s+/g, ' ')).toContain(
      "No problems found in what Sync Doctor could read. Not checked: frozen state, Login History and HubSpot's connected app. Check them by hand,",
    );
    for (const check of diagnosis.unchecked!)
      expect(text.replace(/\s+/g, ' ')).toContain(check.byHand);
    // No all-clear under Findings either.
    expect(text).toContain(NO_PROBLEMS_FOUND_PARTLY);
    expect(text).not.toContain('can do everything HubSpot needs');
    // Wrapped for a ticket, as the rest of the report's prose.
    const end = lines.findIndex((line) => line.startsWith('Snapshot taken'));
    expect(end).toBeGreaterThan(at + 3);
    for (const line of lines.slice(at + 1, end)) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('qualifies an at-risk verdict alike (a limit nearly reached)', () => {
    const snapshot = fixture('healthy');
    snapshot.limits!.DailyApiRequests!.Remaining = 8_000;
    const diagnosis = evaluateAccess(snapshot);
    expect(diagnosis.verdict).toBe('at-risk');
    const text = formatReport(diagnosis, { snapshot });
    expect(text).toContain(
      "Verdict: AT RISK (partly checked: frozen state, Login History and HubSpot's connected app not read)",
    );
    expect(text).toMatch(/^Findings: 0 findings block the sync, 1 risk, 0 notes$/m);
  });

  it('leaves a blocked verdict as it was (no all-clear to qualify)', () => {
    const snapshot = fixture('inactive-user');
    const diagnosis = evaluateAccess(snapshot);
    expect(diagnosis.verdict).toBe('blocked');
    expect(diagnosis.unchecked?.length).toBeGreaterThan(0);
    expect(formatReport(diagnosis, { snapshot })).toMatch(
      /^Verdict: BLOCKED \(\d+ findings? blocks? the sync, \d+ risks?, \d+ notes?\)$/m,
    );
  });

  it('says the plain verdict and the all-clear when every check was made', () => {
    const snapshot = fixture('healthy');
    snapshot.user!.IsFrozen = false;
    snapshot.logins = [];
    snapshot.connectedApps = { apps: [], access: [] };
    const diagnosis = evaluateAccess(snapshot);
    expect(diagnosis.unchecked).toBeUndefined();
    const text = formatReport(diagnosis, { snapshot });
    expect(text).toMatch(/^Verdict: HEALTHY \(0 findings block the sync, 0 risks, \d+ notes?\)$/m);
    expect(text).not.toContain('partly checked');
    expect(text).not.toContain(NO_PROBLEMS_FOUND_PARTLY);
  });
});

describe("formatReport: the plan's steps and the suspension's summary as the CLI and app say them", () => {
  const relayed = (reason: ReasonCode) => ({
    portalId: '1',
    state: 'suspended' as const,
    reason,
    title: null,
    since: null,
    lastSeenAt: null,
    clearedAt: null,
    source: 'manual' as const,
    excerpt: null,
    history: [],
  });

  it.each([
    ['exceeded', 0],
    ['at risk', 3500],
  ])(
    "an org API limit %s: its finding carries the plan's HubSpot step ('Allocated to HubSpot')",
    (_label, remaining) => {
      const snapshot = fixture('limits-exhausted');
      snapshot.limits!.DailyApiRequests!.Remaining = remaining;
      const diagnosis = evaluateAccess(snapshot);
      const text = formatReport(diagnosis, { snapshot }).replace(/\s+/g, ' ');
      expect(text).toMatch(
        /Fix: In Salesforce, find which integrations .*? Also: In HubSpot's Salesforce integration settings \(Connected apps > Salesforce, Sync Health tab\), lower "Allocated to HubSpot"/,
      );
      // HubSpot reported that very reason: its steps, HubSpot's included, are listed above.
      const reported = formatReport(diagnosis, {
        snapshot,
        status: relayed('API_LIMIT_EXCEEDED'),
      });
      expect(reported).not.toContain('Also: ');
      // Another reason reported: the finding still carries it.
      expect(
        formatReport(diagnosis, { snapshot, status: relayed('API_ACCESS_DISABLED') }),
      ).toContain('Also: ');
    },
  );

  it('points to the confirming finding instead of repeating its message above Findings', () => {
    const snapshot = fixture('healthy');
    snapshot.user!.IsFrozen = true;
    const diagnosis = evaluateAccess(snapshot);
    const frozen = diagnosis.findings.find((f) => f.cause === 'USER_FROZEN')!;
    const text = formatReport(diagnosis, { snapshot, status: relayed('API_ACCESS_DISABLED') });
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain(
      'Sync Doctor sees this cause too: Integration user frozen (hubspot@acme.com), see Findings.',
    );
    // Said once: under Findings.
    expect(flat.split(frozen.message).length - 1).toBe(1);
  });
});
