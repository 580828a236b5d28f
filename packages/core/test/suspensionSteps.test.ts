/** checkSuspensionSteps: HubSpot's reported reason read against the live diagnosis, for every reason. */
import { evaluateAccess } from '../src/diagnosis/evaluateAccess.js';
import { fieldFails } from '../src/diagnosis/fields.js';
import type { Diagnosis } from '../src/diagnosis/types.js';
import { SUSPENSION_REASONS } from '../src/reasons/catalog.js';
import { REASON_CODES, type ReasonCode } from '../src/reasons/codes.js';
import {
  checkSuspensionSteps,
  type SuspensionAgreement,
  type SuspensionStepStatus,
} from '../src/relayed/suspensionSteps.js';
import type { Snapshot } from '../src/snapshot/types.js';
import { FIXTURE_NAMES, fixture, type FixtureName } from './support.js';

const diagnose = (name: FixtureName) => evaluateAccess(fixture(name));

/**
 * The healthy org with its optional parts read too (user not frozen, no refused login, no HubSpot
 * app installed): the fixture lacks them, so its diagnosis is only partly checked.
 */
function healthyAllRead(): Diagnosis {
  return healthyWith((s) => {
    s.user!.IsFrozen = false;
    s.logins = [];
    s.connectedApps = { apps: [], access: [] };
  });
}

/** The healthy org with one change. */
function healthyWith(change: (s: Snapshot) => void): Diagnosis {
  const s = fixture('healthy');
  change(s);
  return evaluateAccess(s);
}

describe('checkSuspensionSteps on every reason and every fixture', () => {
  const cases = REASON_CODES.flatMap((reason) =>
    FIXTURE_NAMES.map((name) => [reason, name] as const),
  );

  it.each(cases)('%s on %s: the catalog steps, each marked and backed', (reason, name) => {
    const d = diagnose(name);
    const check = checkSuspensionSteps(reason, d);
    expect(check.reason).toBe(reason);
    // The catalog's text stays word for word, one mark per step.
    expect(check.steps.map((s) => s.text)).toEqual(SUSPENSION_REASONS[reason].remedy);
    for (const step of check.steps) {
      expect(['done', 'todo', 'unknown']).toContain(step.status);
      expect(step.evidence.length).toBeGreaterThan(10);
      // A step to do names the findings that say what is missing, all of them the diagnosis's own.
      if (step.status === 'todo') expect(step.findings.length).toBeGreaterThan(0);
      for (const f of step.findings) expect(d.findings).toContain(f);
      // Sync Doctor cannot click in HubSpot nor see its settings.
      if (/Clear Suspension|In HubSpot,/.test(step.text)) expect(step.status).toBe('unknown');
      // A page that shows the steps need not say "Not yet" again: the step that says it is marked.
      expect(step.notYet === true).toBe(step.evidence.includes('Not yet:'));
    }
    // A step marked done or not the cause never stands on the opposite reading: the field steps
    // while a mapped field cannot be synced (its FLS or its object blocks it), "confirm the org is
    // at its maximum" while it is below it.
    if (reason === 'FIELD_PERMISSIONS_MISSING' && d.fields.some((f) => fieldFails(f)))
      expect(check.steps.slice(1, 3).map((s) => s.status)).not.toContain('done');
    if (reason === 'API_LIMIT_EXCEEDED' && check.steps[0]!.status === 'done')
      expect(
        d.findings.some((f) => f.subject === 'DailyApiRequests' && f.severity === 'error'),
      ).toBe(true);
    for (const step of check.steps) if (step.outcome) expect(step.status).toBe('unknown');
    // "If the user already has those, …": never Done while the rights it builds on are to do.
    if (reason === 'OBJECT_PERMISSIONS_MISSING' && check.steps[1]!.status === 'todo')
      expect(check.steps[2]!.status).not.toBe('done');
    expect(check.summary.length).toBeGreaterThan(20);
    // The step that decides the reason, not checked: never "fixed", and clearing waits for it.
    if (check.steps.some((s) => s.decides && s.status === 'unknown')) {
      expect(['fixed-since', 'not-visible']).not.toContain(check.agreement);
      expect(check.summary).not.toMatch(/Fixed since|gone/);
    }
    const errors = d.findings.filter((f) => f.severity === 'error');
    if (check.agreement === 'fixed-since' || check.agreement === 'not-visible')
      expect(errors).toEqual([]);
    if (check.agreement === 'other-cause') {
      expect(check.otherCauses.length).toBeGreaterThan(0);
      expect(errors.some((f) => f.reason === reason)).toBe(false);
    }
    if (errors.some((f) => f.reason === reason)) expect(check.agreement).toBe('confirmed');
    for (const cause of check.otherCauses) expect(cause.reason).not.toBe(reason);
  });
});

type Expectation = {
  reason: ReasonCode;
  diagnosis: () => Diagnosis;
  label: string;
  agreement: SuspensionAgreement;
  statuses: SuspensionStepStatus[];
  /** Substrings of the evidence of the step at that index. */
  evidence?: Record<number, string | RegExp>;
  /** The outcome of the step at that index ('not-the-cause'); every other step has none. */
  outcomes?: Record<number, string>;
  /** Subjects of the findings linked to the step at that index. */
  findings?: Record<number, string[]>;
  summary?: string[];
  /** Substrings the summary must not have. */
  notInSummary?: string[];
  /**
   * The summary under the app's box heading (checkSuspensionSteps' `headed`), exactly: it starts
   * with what the heading ("At risk of this cause: check HubSpot", ...) does not already say.
   */
  headed?: string;
  /** The subject of the reason's own warning the check names as its risk. */
  risk?: string;
};

const EXPECTED: Expectation[] = [
  {
    reason: 'OBJECT_PERMISSIONS_MISSING',
    label: 'healthy, all read',
    diagnosis: healthyAllRead,
    agreement: 'fixed-since',
    statuses: ['done', 'done', 'done', 'unknown'],
    evidence: {
      // How it is assigned, not the set's own label as its source.
      0: 'The permission set "HubSpot Integration Permissions" is assigned directly.',
      1: 'Every required right on Lead, Contact',
    },
    // The fact only: the "Clear Suspension" step under it says to clear.
    summary: [
      'The HubSpot permission set is assigned and every required object right is granted now.',
    ],
    notInSummary: ['Fixed since', 'Clear the suspension'],
  },
  {
    // The frozen state, Login History and connected app not read: a frozen or IP-blocked user
    // suspends the sync just the same, so the cause is gone in what was read, never "fixed".
    reason: 'OBJECT_PERMISSIONS_MISSING',
    label: 'healthy, frozen state, Login History and connected app not read',
    diagnosis: () => diagnose('healthy'),
    agreement: 'partly-checked',
    statuses: ['done', 'done', 'done', 'unknown'],
    evidence: { 3: 'some it could not make, and they come first (below)' },
    summary: [
      "The HubSpot permission set is assigned and every required object right is granted now. Before you clear the suspension in HubSpot, check by hand what Sync Doctor could not read (frozen state, Login History and HubSpot's connected app), or HubSpot may suspend the sync again.",
    ],
    notInSummary: ['Fixed since', 'fixed'],
  },
  {
    reason: 'OBJECT_PERMISSIONS_MISSING',
    label: 'missing-object-edit',
    diagnosis: () => diagnose('missing-object-edit'),
    agreement: 'confirmed',
    // "If the user already has those": the lookup step waits on the object rights still to do.
    statuses: ['done', 'todo', 'unknown', 'unknown'],
    outcomes: { 2: 'not-the-cause' },
    evidence: {
      1: 'Missing: Edit on Contact.',
      2: 'Not the cause now: the step before is still to do',
      3: 'Not yet: 1 blocking finding remains',
    },
    findings: { 1: ['Contact'] },
  },
  {
    reason: 'OBJECT_PERMISSIONS_MISSING',
    label: 'expired-assignment',
    diagnosis: () => diagnose('expired-assignment'),
    agreement: 'confirmed',
    statuses: ['todo', 'todo', 'todo', 'unknown'],
    findings: { 0: ['HubSpot Integration Permissions'] },
    summary: ['It also finds another blocking cause: "Salesforce field permissions missing".'],
  },
  {
    reason: 'OBJECT_PERMISSIONS_MISSING',
    label: 'lookup-to-unreadable-object',
    diagnosis: () => diagnose('lookup-to-unreadable-object'),
    agreement: 'confirmed',
    statuses: ['done', 'todo', 'todo', 'unknown'],
    findings: { 2: ['Account'] },
  },
  {
    reason: 'OBJECT_PERMISSIONS_MISSING',
    label: 'a snapshot without assignments',
    diagnosis: () => healthyWith((s) => delete s.assignments),
    agreement: 'not-judged',
    statuses: ['unknown', 'unknown', 'unknown', 'unknown'],
    findings: { 0: [] },
    summary: ['could not check this cause'],
    // Under "Not checked": what could not be told; "the permission set" mid-sentence, lower case.
    headed:
      'Sync Doctor could not tell whether the permission set "HubSpot Integration Permissions" is assigned: Sync Doctor read no permission set assignments. Check by hand what Sync Doctor could not read (frozen state, Login History and HubSpot\'s connected app) too.',
  },
  {
    // Sync Doctor checks only the mapped fields it knows (61 by default); HubSpot may map others.
    // Those passing is no cause gone: the field named in HubSpot's sync errors decides it.
    reason: 'FIELD_PERMISSIONS_MISSING',
    label: 'healthy, all read',
    diagnosis: healthyAllRead,
    agreement: 'check-in-hubspot',
    statuses: ['unknown', 'done', 'done', 'unknown'],
    evidence: {
      0: "Not checked: the 61 mapped fields Sync Doctor knows of pass, but a field mapped only in HubSpot is not known to Sync Doctor. Find the field named in HubSpot's sync errors (HubSpot's Salesforce integration settings (Connected apps > Salesforce, Sync Health tab) > Sync errors, or the relay's sync-errors export), and add it to Sync Doctor's required fields before you clear the suspension.",
      3: 'Not yet: do step 1 first, which Sync Doctor cannot check.',
    },
    summary: [
      "Salesforce's side looks right: every mapped field Sync Doctor knows of passes now. But what decides this cause is in HubSpot, which Sync Doctor cannot see. Before you clear the suspension in HubSpot, do step 1: find the field named in HubSpot's sync errors",
      "add it to Sync Doctor's required fields",
    ],
    notInSummary: ['Clear the suspension', 'gone'],
  },
  {
    reason: 'FIELD_PERMISSIONS_MISSING',
    label: 'read-only-mapped-field',
    diagnosis: () => diagnose('read-only-mapped-field'),
    agreement: 'confirmed',
    statuses: ['done', 'todo', 'todo', 'unknown'],
    evidence: { 1: '1 mapped field still lacks access: Contact.Email.' },
    findings: { 1: ['Contact.Email'] },
  },
  {
    reason: 'FIELD_PERMISSIONS_MISSING',
    label: 'missing-object-edit (fields blocked by their object, FLS right)',
    diagnosis: () => diagnose('missing-object-edit'),
    agreement: 'confirmed',
    statuses: ['done', 'todo', 'todo', 'unknown'],
    evidence: {
      1: 'Field-level security is right on all 61 mapped fields, but 17 of them cannot be synced: Contact lacks Edit (see Object permissions).',
      2: 'but 17 of them cannot be synced',
    },
    findings: { 1: ['Contact'], 2: ['Contact'] },
    summary: ['though another one is behind it', 'Contact lacks Edit'],
  },
  {
    // The demo org read-only-contacts: Read on Contact, neither Create nor Edit.
    reason: 'FIELD_PERMISSIONS_MISSING',
    label: 'read-only Contact (object access blocks 17 fields)',
    diagnosis: () =>
      healthyWith((s) => {
        for (const row of s.objectPermissions!)
          if (row.SobjectType === 'Contact')
            Object.assign(row, {
              PermissionsCreate: false,
              PermissionsEdit: false,
              PermissionsDelete: false,
              PermissionsModifyAllRecords: false,
            });
      }),
    agreement: 'confirmed',
    statuses: ['done', 'todo', 'todo', 'unknown'],
    evidence: {
      1: 'Field-level security is right on all 61 mapped fields, but 17 of them cannot be synced: Contact lacks Create and Edit (see Object permissions).',
    },
    findings: { 1: ['Contact'], 2: ['Contact'] },
  },
  {
    reason: 'FIELD_PERMISSIONS_MISSING',
    label: 'a field lacking FLS and fields blocked by their object',
    diagnosis: () =>
      (() => {
        const s = fixture('read-only-mapped-field');
        for (const row of s.objectPermissions!)
          if (row.SobjectType === 'Lead') row.PermissionsEdit = false;
        return evaluateAccess(s);
      })(),
    agreement: 'confirmed',
    statuses: ['done', 'todo', 'todo', 'unknown'],
    evidence: {
      1: '1 mapped field still lacks access: Contact.Email. ',
      2: 'more cannot be synced: Lead lacks Edit',
    },
  },
  {
    reason: 'API_ACCESS_DISABLED',
    label: 'api-disabled',
    diagnosis: () => diagnose('api-disabled'),
    agreement: 'confirmed',
    statuses: ['todo', 'done', 'unknown'],
    evidence: { 0: 'API Enabled is not granted.' },
    findings: { 0: ['PermissionsApiEnabled'] },
  },
  {
    reason: 'API_ACCESS_DISABLED',
    label: 'inactive-user',
    diagnosis: () => diagnose('inactive-user'),
    agreement: 'confirmed',
    statuses: ['done', 'done', 'unknown'],
    evidence: { 0: 'API Enabled is granted through Profile:' },
    // The finding by its title and subject, not its message, which the Findings section (CLI,
    // report) prints right below, and the app's box under the summary (alsoFound).
    summary: [
      'Sync Doctor sees this cause too: Integration user inactive (hubspot@acme.com), see Findings.',
    ],
    notInSummary: ['cannot log in'],
    // Under "HubSpot's reason confirmed": not "sees this cause too" again.
    headed: 'Integration user inactive (hubspot@acme.com), listed below.',
  },
  {
    reason: 'API_ACCESS_DISABLED',
    label: 'healthy, all read',
    diagnosis: healthyAllRead,
    agreement: 'fixed-since',
    statuses: ['done', 'done', 'unknown'],
    // The snapshot has the org's edition: Sync Doctor reads it (the report's header prints it).
    evidence: {
      1: "Sync Doctor read the org's edition: Enterprise Edition, which includes API access.",
    },
    summary: ['The integration user is active and has API Enabled now.'],
    notInSummary: ['Re-enter'],
  },
  {
    // A frozen or IP-blocked user is "API access disabled" too: unread, the cause is not gone.
    reason: 'API_ACCESS_DISABLED',
    label: 'healthy, frozen state, Login History and connected app not read',
    diagnosis: () => diagnose('healthy'),
    agreement: 'not-judged',
    statuses: ['done', 'done', 'unknown'],
    evidence: { 2: 'some it could not make, and they come first (below)' },
    summary: [
      'could not check this cause',
      "Check by hand what Sync Doctor could not read (frozen state, Login History and HubSpot's connected app) before you clear the suspension.",
    ],
    // Under "Not checked": the fact and what hides the cause, not "could not check" again.
    headed:
      "The integration user is active and has API Enabled now, but a frozen user, logins refused by IP ranges or login hours, or a user not approved for HubSpot's connected app suspend the sync for it too. Check by hand what Sync Doctor could not read (frozen state, Login History and HubSpot's connected app) before you clear the suspension.",
  },
  {
    reason: 'API_LIMIT_EXCEEDED',
    label: 'limits-exhausted',
    diagnosis: () => diagnose('limits-exhausted'),
    agreement: 'confirmed',
    statuses: ['done', 'unknown', 'unknown', 'unknown', 'unknown'],
    evidence: { 0: 'the limit is reached' },
    findings: { 0: ['DailyApiRequests'] },
  },
  {
    reason: 'API_LIMIT_EXCEEDED',
    label: 'the API limit near (96.5%)',
    diagnosis: () =>
      healthyWith((s) => {
        s.limits!.DailyApiRequests = { Max: 100_000, Remaining: 3_500 };
      }),
    // Near the maximum, HubSpot's allocation (not visible) decides whether it is suspended again.
    agreement: 'check-in-hubspot',
    // Below the maximum now is no confirmation that it was at it: not "done".
    statuses: ['unknown', 'unknown', 'unknown', 'unknown', 'unknown'],
    evidence: {
      // The diagnosis warns of this very cause: at risk, not "Not the cause now".
      0: "At risk: 96.5% of the org's daily API requests are used (96,500 of 100,000), near the maximum.",
      1: "HubSpot's own count when Salesforce lists it, not which other integrations",
      2: "With 96.5% of the org's daily API requests used, lower it in HubSpot's Salesforce integration settings (Connected apps > Salesforce, Sync Health tab), or wait for older calls to fall out of the rolling 24-hour window, before you clear the suspension",
      4: 'Not yet: do step 3 first, which Sync Doctor cannot check',
    },
    outcomes: { 0: 'at-risk' },
    risk: 'DailyApiRequests',
    // Points to step 1, which lists the risk: its message was said there and in the finding under it.
    summary: [
      'At risk of this cause (step 1). What decides this cause is in HubSpot, which Sync Doctor cannot see. Before you clear the suspension in HubSpot, do step 3: the org has used 96.5% of its daily API requests, so lower "Allocated to HubSpot"',
    ],
    notInSummary: ["Salesforce's side looks right", 'review them too', '96,500 of 100,000'],
    headed:
      'Step 1 lists the risk. What decides this cause is in HubSpot, which Sync Doctor cannot see. Before you clear the suspension in HubSpot, do step 3: the org has used 96.5% of its daily API requests, so lower "Allocated to HubSpot" in HubSpot\'s Salesforce integration settings (Connected apps > Salesforce, Sync Health tab), or wait for older calls to fall out of the rolling 24-hour window. Check by hand what Sync Doctor could not read (frozen state, Login History and HubSpot\'s connected app) too.',
  },
  {
    reason: 'API_LIMIT_EXCEEDED',
    label: 'the API limit far (60%)',
    diagnosis: () =>
      healthyWith((s) => {
        s.user!.IsFrozen = false;
        s.logins = [];
        s.connectedApps = { apps: [], access: [] };
        s.limits!.DailyApiRequests = { Max: 100_000, Remaining: 40_000 };
      }),
    agreement: 'fixed-since',
    statuses: ['unknown', 'unknown', 'unknown', 'unknown', 'unknown'],
    outcomes: { 0: 'not-the-cause' },
    evidence: { 2: 'A HubSpot setting or action' },
    summary: ['The org has API requests left now.'],
    notInSummary: ['Clear the suspension'],
  },
  {
    reason: 'STORAGE_LIMIT_EXCEEDED',
    label: 'storage-full',
    diagnosis: () => diagnose('storage-full'),
    agreement: 'confirmed',
    statuses: ['unknown', 'todo', 'unknown'],
    evidence: { 1: 'Still full: data storage' },
    findings: { 1: ['DataStorageMB'] },
  },
  {
    reason: 'STORAGE_LIMIT_EXCEEDED',
    label: 'healthy',
    diagnosis: () => diagnose('healthy'),
    agreement: 'partly-checked',
    // Room now is no space freed by the admin: not "done".
    statuses: ['unknown', 'unknown', 'unknown'],
    evidence: { 1: 'Not the cause now: there is room, data storage' },
    outcomes: { 1: 'not-the-cause' },
  },
  {
    reason: 'STORAGE_LIMIT_EXCEEDED',
    label: 'storage near (95%)',
    diagnosis: () =>
      healthyWith((s) => {
        s.limits!.DataStorageMB = { Max: 10_000, Remaining: 500 };
      }),
    agreement: 'partly-checked',
    statuses: ['unknown', 'unknown', 'unknown'],
    // The diagnosis warns of this very cause: at risk, not "Not the cause now".
    evidence: { 1: 'At risk: there is room, but little, data storage 95% used' },
    outcomes: { 1: 'at-risk' },
    risk: 'DataStorageMB',
    summary: ['The org has storage left now, but at risk of this cause (step 2).'],
    notInSummary: ['review them too', '95% used'],
    // Under "Partly checked: below the limit now, but at risk": where the risk is, then what to do.
    headed:
      "Step 2 lists the risk. Before you clear the suspension in HubSpot, check by hand what Sync Doctor could not read (frozen state, Login History and HubSpot's connected app), or HubSpot may suspend the sync again.",
  },
  {
    reason: 'STORAGE_LIMIT_EXCEEDED',
    label: 'storage near (95%), all read',
    diagnosis: () =>
      healthyWith((s) => {
        s.user!.IsFrozen = false;
        s.logins = [];
        s.connectedApps = { apps: [], access: [] };
        s.limits!.DataStorageMB = { Max: 10_000, Remaining: 500 };
      }),
    agreement: 'fixed-since',
    statuses: ['unknown', 'unknown', 'unknown'],
    outcomes: { 1: 'at-risk' },
    risk: 'DataStorageMB',
    summary: ['The org has storage left now, but at risk of this cause (step 2).'],
    // Under "Below the limit now, but at risk": only where the risk is listed.
    headed: 'Step 2 lists the risk.',
  },
  {
    reason: 'UNKNOWN_ERROR',
    label: 'healthy',
    diagnosis: () => diagnose('healthy'),
    agreement: 'not-visible',
    statuses: ['unknown', 'unknown', 'unknown'],
    // The badges' word ("Not checked"), not the status's id.
    summary: ['the steps marked "Not checked" are yours to check'],
    // Under "Outside what Salesforce shows": not "Sync Doctor cannot see this cause" again.
    headed:
      'The steps marked "Not checked" are yours to check. Sync Doctor\'s own checks find nothing blocking. Check by hand what Sync Doctor could not read (frozen state, Login History and HubSpot\'s connected app) too.',
  },
  {
    reason: 'UNKNOWN_ERROR',
    label: 'missing-object-edit',
    diagnosis: () => diagnose('missing-object-edit'),
    agreement: 'other-cause',
    statuses: ['unknown', 'unknown', 'unknown'],
    summary: ['cannot see that cause from Salesforce', 'Salesforce object permissions missing'],
  },
  {
    reason: 'ORG_LOCKED',
    label: 'healthy',
    diagnosis: () => diagnose('healthy'),
    agreement: 'not-visible',
    statuses: ['unknown', 'unknown', 'unknown'],
  },
  {
    reason: 'SERVER_ERROR',
    label: 'healthy',
    diagnosis: () => diagnose('healthy'),
    agreement: 'not-visible',
    statuses: ['unknown', 'unknown', 'unknown'],
  },
  {
    reason: 'ORG_UNAVAILABLE',
    label: 'healthy',
    diagnosis: () => diagnose('healthy'),
    // An outage comes and goes: Salesforce answering once is not one seen as over (the verdict
    // says the reason is outside what Sync Doctor checks, and the box must not say "fixed").
    agreement: 'not-visible',
    statuses: ['unknown', 'unknown', 'unknown'],
    // In the core's minute format, as every other time: '2026-11-28 10:00 UTC', not raw ISO.
    evidence: {
      1: /Salesforce answered Sync Doctor at \d{4}-\d\d-\d\d \d\d:\d\d UTC, but an outage comes and goes: Salesforce Status shows/,
    },
  },
  {
    reason: 'ORG_UNAVAILABLE',
    label: 'healthy, all read',
    diagnosis: healthyAllRead,
    agreement: 'not-visible',
    statuses: ['unknown', 'unknown', 'unknown'],
  },
  {
    reason: 'HUBSPOT_API_LIMIT_EXCEEDED',
    label: 'healthy',
    diagnosis: () => diagnose('healthy'),
    agreement: 'not-visible',
    statuses: ['unknown', 'unknown'],
    // "Nothing is required" is information, not a check Sync Doctor could not make.
    outcomes: { 0: 'nothing-to-do' },
    evidence: { 0: 'Nothing to check', 1: "18% of the org's daily API requests are used" },
  },
  {
    reason: 'FIELD_MAPPINGS_MISSING',
    label: 'healthy, all read',
    diagnosis: healthyAllRead,
    // The mappings are HubSpot's: Salesforce's side right is no cause gone.
    agreement: 'check-in-hubspot',
    statuses: ['unknown', 'done', 'unknown', 'unknown'],
    evidence: {
      0: "Not checked: the mappings are in HubSpot, and Sync Doctor reads only Salesforce. Check them in HubSpot's Salesforce integration settings (Connected apps > Salesforce, the Contacts, Companies or Deals tab > its property mappings) before you clear the suspension.",
      2: 'Not yet: do step 1 first, which Sync Doctor cannot check.',
    },
    summary: [
      "Salesforce's side looks right: every mapped field exists in Salesforce now. But what decides this cause is in HubSpot, which Sync Doctor cannot see. Before you clear the suspension in HubSpot, do step 1: check the property mappings in HubSpot's Salesforce integration settings",
    ],
    // Under "Salesforce's side looks right: check HubSpot": the fact, not the heading again.
    headed:
      "Every mapped field exists in Salesforce now. But what decides this cause is in HubSpot, which Sync Doctor cannot see. Before you clear the suspension in HubSpot, do step 1: check the property mappings in HubSpot's Salesforce integration settings (Connected apps > Salesforce, the Contacts, Companies or Deals tab > its property mappings).",
  },
  {
    reason: 'FIELD_MAPPINGS_MISSING',
    label: 'a mapped field deleted in Salesforce',
    diagnosis: () =>
      healthyWith((s) => {
        s.fields!['Contact.Email'] = { ...s.fields!['Contact.Email']!, exists: false };
      }),
    agreement: 'confirmed',
    statuses: ['unknown', 'todo', 'unknown', 'unknown'],
    findings: { 1: ['Contact.Email'] },
  },
];

describe('checkSuspensionSteps: what each reason reads from the diagnosis', () => {
  it('covers every reason code', () => {
    expect(new Set(EXPECTED.map((e) => e.reason))).toEqual(new Set(REASON_CODES));
  });

  it.each(EXPECTED.map((e) => [e.reason, e.label, e] as const))('%s on %s', (reason, _l, e) => {
    const check = checkSuspensionSteps(reason, e.diagnosis());
    expect({ agreement: check.agreement, statuses: check.steps.map((s) => s.status) }).toEqual({
      agreement: e.agreement,
      statuses: e.statuses,
    });
    for (const [i, text] of Object.entries(e.evidence ?? {}))
      if (text instanceof RegExp) expect(check.steps[Number(i)]!.evidence).toMatch(text);
      else expect(check.steps[Number(i)]!.evidence).toContain(text);
    for (const [i, subjects] of Object.entries(e.findings ?? {}))
      if (subjects.length)
        expect(check.steps[Number(i)]!.findings.map((f) => f.subject)).toEqual(subjects);
    for (const text of e.summary ?? []) expect(check.summary).toContain(text);
    for (const text of e.notInSummary ?? []) expect(check.summary).not.toContain(text);
    // Under the app's heading the summary never says the heading's words again.
    const headed = checkSuspensionSteps(reason, e.diagnosis(), { headed: true });
    expect({ ...headed, summary: check.summary }).toEqual(check);
    if (e.headed !== undefined) expect(headed.summary).toBe(e.headed);
    for (const heading of [
      'Sync Doctor sees this cause too',
      'could not check this cause',
      'cannot see this cause from Salesforce',
      'At risk of this cause',
      ', but at risk of this cause',
      "Salesforce's side looks right",
    ])
      expect(headed.summary).not.toContain(heading);
    expect(check.risk?.subject).toBe(e.risk);
    expect(check.steps.map((s, i) => s.outcome ?? e.outcomes?.[i])).toEqual(
      check.steps.map((_, i) => e.outcomes?.[i]),
    );
  });

  it('lists findings of the reason no step names (an inactive user under API access disabled)', () => {
    const check = checkSuspensionSteps('API_ACCESS_DISABLED', diagnose('inactive-user'));
    expect(check.alsoFound.map((f) => f.rule)).toEqual(['inactive-user']);
  });

  it("counts HubSpot's stopped logins neither for nor against the reason HubSpot reports", () => {
    const s = fixture('healthy');
    const capturedAt = Date.parse(s.capturedAt);
    // Hourly logins, the newest nine hours before capture: the sync has stopped.
    s.logins = Array.from({ length: 48 }, (_, i) => ({
      attributes: { type: 'LoginHistory' },
      LoginTime: new Date(capturedAt - (9 + i) * 3_600_000).toISOString().replace('Z', '+0000'),
      Status: 'Success',
      Application: 'HubSpot',
      LoginType: 'Remote Access 2.0',
    }));
    const d = evaluateAccess(s);
    expect(d.findings.map((f) => f.symptom)).toEqual(['SYNC_STOPPED']);
    for (const reason of REASON_CODES) {
      const check = checkSuspensionSteps(reason, d);
      const without = checkSuspensionSteps(reason, { ...d, findings: [] });
      expect(check.alsoFound).toEqual([]);
      expect(check.otherCauses).toEqual([]);
      expect(check.agreement).toBe(without.agreement);
    }
  });

  it('refuses an unknown reason and a missing diagnosis with a clear error', () => {
    expect(() => checkSuspensionSteps('NOPE' as ReasonCode, diagnose('healthy'))).toThrow(
      "unknown reason 'NOPE'",
    );
    expect(() => checkSuspensionSteps('ORG_LOCKED', undefined as unknown as Diagnosis)).toThrow(
      'a Diagnosis is required',
    );
  });
});

describe('evaluateAccess: grants, the evidence behind the done steps', () => {
  it('names the sources of API Enabled and of the HubSpot permission set', () => {
    expect(diagnose('healthy').grants).toEqual([
      {
        kind: 'systemPermission',
        name: 'PermissionsApiEnabled',
        granted: true,
        by: ['Profile: Minimum Access - API Only Integrations'],
      },
      {
        kind: 'permissionSet',
        name: 'HubSpot Integration Permissions',
        granted: true,
        by: ['Permission set: HubSpot Integration Permissions'],
      },
    ]);
  });

  it('says not granted, and leaves granted out when it cannot judge', () => {
    const grants = diagnose('api-disabled').grants!;
    expect(grants[0]).toMatchObject({ name: 'PermissionsApiEnabled', granted: false, by: [] });
    const unjudged = healthyWith((s) => delete s.assignments).grants!;
    expect(unjudged.every((g) => g.granted === undefined)).toBe(true);
  });
});

/**
 * An org at 96.5% of its API limit (a risk) that HubSpot suspended for an unknown error: "nothing
 * blocking" alone sent the admin to clear the suspension and hit the limit. The risks are said.
 */
describe('nothing blocking, but risks', () => {
  function nearLimit() {
    const s = fixture('healthy');
    s.user!.IsFrozen = false;
    s.logins = [];
    s.connectedApps = { apps: [], access: [] };
    s.limits!.DailyApiRequests = { Max: 100000, Remaining: 3500 };
    return evaluateAccess(s);
  }

  it('says the risks after "nothing blocking" in the click step and the box', () => {
    const d = nearLimit();
    expect(d.verdict).toBe('at-risk');
    const check = checkSuspensionSteps('UNKNOWN_ERROR', d);
    const click = check.steps.find((s) => /This step is in HubSpot/.test(s.evidence))!;
    expect(click.evidence).toBe(
      "This step is in HubSpot, which Sync Doctor cannot see. Sync Doctor's checks find nothing blocking now, but 1 risk in its findings could get the sync suspended again.",
    );
    expect(check.summary).toContain(
      'Its own checks find nothing blocking, but 1 risk in its findings could get the sync suspended again.',
    );
    expect(check.steps.map((s) => s.evidence).join(' ')).not.toContain('Done in HubSpot');
  });
});

describe('"Missing field permissions": the known mapped fields passing is no cause gone', () => {
  // The drill: Contact.Department hidden from the integration user (not among the 61 fields Sync
  // Doctor checks), HubSpot's reason relayed: the box said "Cause fixed now", step 1 [done].
  it('without HubSpot naming a field Sync Doctor checked, step 1 decides it, in HubSpot', () => {
    for (const status of [
      undefined,
      { title: 'Missing field permissions', excerpt: null },
      {
        title: null,
        excerpt:
          'Give the integration user read and edit access to the field Contact.Department (field-level security)',
      },
    ]) {
      const check = checkSuspensionSteps('FIELD_PERMISSIONS_MISSING', healthyAllRead(), {
        status,
      });
      expect(check.agreement).toBe('check-in-hubspot');
      expect(check.steps[0]!.status).toBe('unknown');
      expect(check.steps[0]!.decides).toBe(true);
      expect(check.summary).not.toMatch(/gone|fixed/i);
    }
    const headed = checkSuspensionSteps('FIELD_PERMISSIONS_MISSING', healthyAllRead(), {
      headed: true,
    });
    expect(headed.summary).toMatch(
      /^Every mapped field Sync Doctor knows of passes now\. But what decides this cause is in HubSpot/,
    );
  });

  it("HubSpot's message naming a field Sync Doctor checked, and it passes: found, and fixed since", () => {
    const check = checkSuspensionSteps('FIELD_PERMISSIONS_MISSING', healthyAllRead(), {
      status: {
        title: null,
        excerpt:
          'Give the integration user read and edit access to the field contact.email (field-level security)',
      },
    });
    expect(check.steps[0]!.status).toBe('done');
    expect(check.steps[0]!.evidence).toBe(
      "HubSpot's message names Contact.Email, which Sync Doctor checks: it has the access HubSpot needs now.",
    );
    expect(check.agreement).toBe('fixed-since');
    // A longer name is not that field.
    const other = checkSuspensionSteps('FIELD_PERMISSIONS_MISSING', healthyAllRead(), {
      status: { title: null, excerpt: 'the field Contact.Email2__c' },
    });
    expect(other.agreement).toBe('check-in-hubspot');
  });

  const namedBy = (excerpt: string) =>
    checkSuspensionSteps('FIELD_PERMISSIONS_MISSING', healthyAllRead(), {
      status: { title: null, excerpt },
    });

  it('a field HubSpot names that Sync Doctor does not check, beside one it does: not fixed', () => {
    for (const excerpt of [
      'Fields without access: Contact.Email, Contact.Department',
      'Fields without access: Contact.Department and contact.email',
      // A custom field on an object Sync Doctor does not know is a field too.
      'Fields without access: Contact.Email, MyContact.Email__c',
    ]) {
      const check = namedBy(excerpt);
      expect(check.steps[0]!.status).toBe('unknown');
      expect(check.agreement).toBe('check-in-hubspot');
      expect(check.summary).not.toMatch(/gone|fixed/i);
    }
  });

  it('a name is whole at both ends, and every occurrence is read', () => {
    // 'XContact.Email' is not Contact.Email.
    expect(namedBy('the field XContact.Email').agreement).toBe('check-in-hubspot');
    expect(namedBy('the field XContact.Email').steps[0]!.status).toBe('unknown');
    // The first occurrence is inside another word, the second is the field: found.
    const later = namedBy('see XContact.Emailing, then the field Contact.Email.');
    expect(later.steps[0]!.status).toBe('done');
    expect(later.steps[0]!.evidence).toContain("HubSpot's message names Contact.Email,");
    // Dotted words that are no field (a web address) do not hold it back.
    expect(
      namedBy('Contact.Email lacks access, see https://knowledge.hubspot.com/salesforce').agreement,
    ).toBe('fixed-since');
  });
});

describe("HubSpot's own API allocation exceeded on an org near its own limit", () => {
  const near = () =>
    healthyWith((s) => {
      const api = s.limits!.DailyApiRequests!;
      api.Remaining = Math.round(api.Max * 0.035);
    });

  it('says not to raise "Allocated to HubSpot" now: the org-wide limit suspends the sync too', () => {
    const check = checkSuspensionSteps('HUBSPOT_API_LIMIT_EXCEEDED', near());
    const step = check.steps[1]!;
    expect(step.evidence).toContain("96.5% of the org's daily API requests are used");
    expect(step.evidence).toContain('Do not raise "Allocated to HubSpot" now');
    expect(step.evidence).toContain('reaching the org-wide limit suspends the sync too');
    expect(step.evidence).not.toContain('The allocation is a HubSpot setting.');
  });

  it("far from the limit, the allocation is only named as HubSpot's setting", () => {
    const check = checkSuspensionSteps('HUBSPOT_API_LIMIT_EXCEEDED', diagnose('healthy'));
    expect(check.steps[1]!.evidence).toContain('The allocation is a HubSpot setting.');
    expect(check.steps[1]!.evidence).not.toContain('Do not raise');
  });
});

describe('"API access disabled": the edition step reads the edition when the snapshot has it', () => {
  it('without the edition, says it was not read (no "does not read the org\'s edition")', () => {
    const check = checkSuspensionSteps(
      'API_ACCESS_DISABLED',
      healthyWith((s) => delete s.organization!.OrganizationType),
    );
    expect(check.steps[1]!.status).toBe('unknown');
    expect(check.steps[1]!.evidence).toBe(
      "Sync Doctor did not read the org's edition: Setup > Company Information shows it.",
    );
  });

  it('Professional: API access only with the add-on, not checked', () => {
    const check = checkSuspensionSteps(
      'API_ACCESS_DISABLED',
      healthyWith((s) => (s.organization!.OrganizationType = 'Professional Edition')),
    );
    expect(check.steps[1]!.status).toBe('unknown');
    expect(check.steps[1]!.evidence).toContain('only with the API add-on');
  });
});
