import {
  findingCode,
  isSuspendedState,
  relayedReasonTitle,
  findingTitle,
  friendlyPermission,
  limitRows,
  minuteLabel,
  reachedByText,
  subjectLabel,
  syncErrorsOutline,
  syncErrorsView,
  type Diagnosis,
  type Finding,
} from '@sync-doctor/core';
import { hubspotStepsBeyondRemedy, planOf } from './diagnosis/plan.js';
import { SYNC_ERROR_LINES, suspendedSyncText, type RelayedView } from './relayed.js';

/**
 * `check --junit`: the diagnosis as a JUnit XML report, for CI pipelines (GitLab, Jenkins, Azure
 * DevOps) that show test results from JUnit rather than from stdout. Pure: the caller writes it.
 *
 * One testsuite per area an admin looks at in Setup, one testcase per required check (each
 * required object, mapped field, system permission, permission set, org limit) and one per finding
 * none of those covers. Names come from what was required, never from what was found missing, so
 * a pipeline tracks the same test from run to run ('Contact: read, create, edit' fails one day
 * and passes the next). Every time is 0: the checks are judged together from one snapshot, so no
 * check has a duration of its own.
 */

type AreaId = 'user' | 'objects' | 'fields' | 'limits' | 'hubspot' | 'other';

/** The suites, in this order; an area with no testcase is left out. */
const AREAS: { id: AreaId; name: string }[] = [
  { id: 'user', name: 'Integration user and system permissions' },
  { id: 'objects', name: 'Object permissions' },
  { id: 'fields', name: 'Field-level security' },
  { id: 'limits', name: 'Org limits' },
  { id: 'hubspot', name: "HubSpot's connected app and logins" },
  { id: 'other', name: 'Other findings' },
];

/**
 * The core's rule names (diagnosis/rules.ts; documented as stable) by area, and how a finding of
 * that rule reads as a testcase of its own: 'Contact: org-wide default'. Every rule of the core's
 * RULES has an entry (a test checks): one without would be named by its id, and placed by reason.
 */
export const RULE_CHECKS: Readonly<Record<string, { area: AreaId; check: string }>> = {
  'inactive-user': { area: 'user', check: 'active' },
  'frozen-user': { area: 'user', check: 'not frozen' },
  'api-enabled': { area: 'user', check: 'granted' },
  'system-permission': { area: 'user', check: 'granted' },
  'permission-not-in-org': { area: 'user', check: 'check by hand' },
  'required-permission-set': { area: 'user', check: 'assigned' },
  'expired-assignment': { area: 'user', check: 'assignment not expired' },
  'session-based-permission-set': { area: 'user', check: 'not session-based' },
  'permission-set-group-status': { area: 'user', check: 'group recalculated' },
  'profile-not-in-snapshot': { area: 'user', check: 'profile read' },
  'object-permissions': { area: 'objects', check: 'object permissions' },
  'lookup-target-read': { area: 'objects', check: 'read as a lookup target' },
  'task-edit-tasks': { area: 'objects', check: 'Edit Tasks' },
  'user-visibility': { area: 'objects', check: 'users visible' },
  'campaign-marketing-user': { area: 'objects', check: 'Marketing User' },
  'object-does-not-exist': { area: 'objects', check: 'in the org' },
  'org-wide-default': { area: 'objects', check: 'org-wide default' },
  'field-level-security': { area: 'fields', check: 'field-level security' },
  'modify-all-data-grants-no-field-access': { area: 'fields', check: 'field access' },
  'field-does-not-exist': { area: 'fields', check: 'in the org' },
  'field-not-in-describe': { area: 'fields', check: 'in the describe' },
  'field-not-writable': { area: 'fields', check: 'writable' },
  'daily-api-requests': { area: 'limits', check: 'within the limit' },
  'connected-app-api-requests': { area: 'limits', check: 'within the limit' },
  'storage-limit': { area: 'limits', check: 'within the limit' },
  'login-failures': { area: 'hubspot', check: 'logins succeed' },
  'login-failure-cleared': { area: 'hubspot', check: 'logins succeed' },
  'no-recent-login': { area: 'hubspot', check: 'recent login' },
  'hubspot-logins-stopped': { area: 'hubspot', check: 'logins going on' },
  'connected-app-approval': { area: 'hubspot', check: 'user approved' },
  'connected-app-session-policy': { area: 'hubspot', check: 'session policy' },
  'connected-app-token-policy': { area: 'hubspot', check: 'refresh token policy' },
  'connected-app-not-installed': { area: 'hubspot', check: 'installed' },
  'invalid-requirement': { area: 'other', check: 'requirement' },
  'section-absent': { area: 'other', check: 'read' },
};

/** Login History's rules: their findings are the one testcase of HubSpot's logins, as before. */
const LOGIN_RULES = new Set([
  'login-failures',
  'login-failure-cleared',
  'no-recent-login',
  'hubspot-logins-stopped',
]);

/** A finding without a rule the table knows goes by its reason. */
function areaOf(finding: Finding): AreaId {
  const known = finding.rule ? RULE_CHECKS[finding.rule] : undefined;
  if (known) return known.area;
  switch (finding.reason) {
    case 'OBJECT_PERMISSIONS_MISSING':
      return 'objects';
    case 'FIELD_PERMISSIONS_MISSING':
    case 'FIELD_MAPPINGS_MISSING':
      return 'fields';
    case 'API_LIMIT_EXCEEDED':
    case 'STORAGE_LIMIT_EXCEEDED':
      return 'limits';
    case 'API_ACCESS_DISABLED':
      return 'user';
    default:
      return 'other';
  }
}

const RIGHT_LABELS: Record<string, string> = { viewAll: 'view all', modifyAll: 'modify all' };

function rights(required: readonly string[]): string {
  return required.map((r) => RIGHT_LABELS[r] ?? r).join(', ');
}

interface Case {
  name: string;
  /** Which findings this case stands for (see buildSuites). */
  takes?: (finding: Finding) => boolean;
  findings: Finding[];
  /** What was read, for the admin: who grants it, how much of a limit is used. */
  notes: string[];
  /** Why the check could not be made (the core's `unchecked`): a <skipped>, never a pass. */
  skipped?: string;
}

interface Suite {
  id: AreaId;
  name: string;
  cases: Case[];
}

function grantedByNote(by: readonly string[]): string[] {
  return by.length > 0 ? [`Granted by: ${by.join('; ')}`] : [];
}

/** The required checks of each area, from the diagnosis's results; then the findings, placed. */
function buildSuites(diagnosis: Diagnosis): Suite[] {
  const cases: Record<AreaId, Case[]> = {
    user: [],
    objects: [],
    fields: [],
    limits: [],
    hubspot: [],
    other: [],
  };

  // What the reader could not read is skipped, not passed: a frozen user would pass otherwise.
  const unchecked = diagnosis.unchecked ?? [];
  const frozenUnchecked = unchecked.some((u) => u.check === 'frozen');
  if (diagnosis.user) {
    const username = diagnosis.user.username;
    cases.user.push({
      name: `Integration user ${username}: ${frozenUnchecked ? 'active' : 'active, not frozen'}`,
      takes: (f) => f.rule === 'inactive-user' || f.rule === 'frozen-user',
      findings: [],
      notes: [],
    });
  }
  for (const grant of diagnosis.grants ?? []) {
    const notes = [
      ...grantedByNote(grant.by),
      ...(grant.granted === undefined ? ['Could not be judged from what the org exposes.'] : []),
    ];
    if (grant.kind === 'systemPermission')
      cases.user.push({
        name: `System permission: ${friendlyPermission(grant.name)}`,
        takes: (f) => areaOf(f) === 'user' && f.subject === grant.name,
        findings: [],
        notes,
      });
    else if (grant.kind === 'permissionSet')
      cases.user.push({
        name: `Permission set: ${grant.name}`,
        takes: (f) => areaOf(f) === 'user' && f.subject === grant.name,
        findings: [],
        notes,
      });
    else
      cases.hubspot.push({
        name: `Connected app ${grant.name}: integration user approved`,
        takes: (f) =>
          areaOf(f) === 'hubspot' && !LOGIN_RULES.has(f.rule ?? '') && f.subject === grant.name,
        findings: [],
        notes,
      });
  }
  for (const object of diagnosis.objects) {
    // An object reached only as a lookup target has no rights of its own to check.
    if (object.required.length === 0) continue;
    cases.objects.push({
      name: `${object.name}: ${rights(object.required)}`,
      takes: (f) => areaOf(f) === 'objects' && f.subject === object.name,
      findings: [],
      notes: [
        ...grantedByNote(object.grantedBy),
        ...(object.reachedBy?.length ? [`Reached by: ${reachedByText(object.reachedBy)}`] : []),
        ...(object.note ? [object.note] : []),
      ],
    });
  }
  for (const field of diagnosis.fields) {
    cases.fields.push({
      name: `${field.name}: ${rights(field.required)}`,
      takes: (f) => areaOf(f) === 'fields' && f.subject === field.name,
      findings: [],
      notes: [
        ...(field.hubspotProperty ? [`HubSpot property: ${field.hubspotProperty}`] : []),
        ...grantedByNote(field.grantedBy),
        ...(field.note ? [field.note] : []),
      ],
    });
  }
  // A connected app without a quota of its own: its share of the org's calls used (limitRows).
  for (const row of limitRows(diagnosis.limits)) {
    cases.limits.push({
      name: row.label,
      takes: (f) => areaOf(f) === 'limits' && f.subject === row.name,
      findings: [],
      notes: [
        row.basis === 'max'
          ? `${row.used} of ${row.of} used (${row.share})`
          : `${row.used} ${row.of} (${row.share})`,
      ],
    });
  }
  if (diagnosis.logins) {
    const { logins } = diagnosis;
    cases.hubspot.push({
      name: "HubSpot's logins as the integration user",
      takes: (f) => LOGIN_RULES.has(f.rule ?? ''),
      findings: [],
      notes: [
        `${logins.attempts} attempts in ${logins.days} days; last success: ${logins.lastSuccessAt ? minuteLabel(logins.lastSuccessAt) : 'none'}`,
      ],
    });
  }

  for (const item of unchecked) {
    cases[item.check === 'frozen' ? 'user' : 'hubspot'].push({
      name: `Not checked: ${item.label}`,
      findings: [],
      notes: [item.byHand],
      skipped: item.line,
    });
  }

  for (const finding of diagnosis.findings) {
    const area = areaOf(finding);
    const covering = cases[area].find((c) => c.takes?.(finding));
    if (covering) {
      covering.findings.push(finding);
      continue;
    }
    // Not one of the required checks: a testcase of its own, named by subject and rule (both
    // stable) rather than by its message, which carries numbers and dates.
    const check =
      (finding.rule && RULE_CHECKS[finding.rule]?.check) || finding.rule || findingCode(finding);
    const name = `${subjectLabel(finding.subject) || 'Org'}: ${check}`;
    const same = cases[area].find((c) => c.name === name && !c.takes);
    if (same) same.findings.push(finding);
    else cases[area].push({ name, findings: [finding], notes: [] });
  }

  return AREAS.map(({ id, name }) => ({ id, name, cases: cases[id] })).filter(
    (suite) => suite.cases.length > 0,
  );
}

/**
 * XML 1.0 has no way to carry most C0 controls, U+FFFE/U+FFFF or a lone surrogate, even escaped:
 * they become U+FFFD so the report stays well-formed and shows that something was there.
 */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlText(value: string): string {
  return value
    .replace(NOT_XML_CHAR, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Also double quotes (attributes are written in them), and tabs and line breaks as references: a parser would turn them into spaces. */
export function xmlAttribute(value: string): string {
  return xmlText(value)
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([key, value]) => ` ${key}="${xmlAttribute(String(value))}"`)
    .join('');
}

const SEVERITY_LABEL = { error: 'ERROR', warning: 'WARNING', info: 'INFO' } as const;

/**
 * What a finding says, as the CLI's Findings section says it: heading, message, remedy, and the
 * plan's HubSpot step its remedy leaves out (the org's API limit: "Allocated to HubSpot"). Not its
 * rule id ('object-permissions'): the testcase's name already says which check it is, in words.
 */
function findingBody(finding: Finding, hubspotSteps: (finding: Finding) => string[]): string {
  return [
    `${SEVERITY_LABEL[finding.severity]} ${findingTitle(finding)} (${findingCode(finding)})`,
    finding.message,
    `Remedy: ${finding.remedy}`,
    ...hubspotSteps(finding).map((step) => `Also: ${step}`),
  ].join('\n');
}

function fails(finding: Finding, failOn: 'error' | 'warning'): boolean {
  return finding.severity === 'error' || (failOn === 'warning' && finding.severity === 'warning');
}

interface RenderedCase {
  xml: string;
  failed: boolean;
  /** An <error> (the check could not run), not a <failure> (a requirement not met). */
  errored?: boolean;
  skipped?: boolean;
}

function renderCase(
  classname: string,
  testcase: Case,
  failOn: 'error' | 'warning',
  hubspotSteps: (finding: Finding) => string[],
): RenderedCase {
  const body = (finding: Finding) => findingBody(finding, hubspotSteps);
  const failing = testcase.findings.filter((f) => fails(f, failOn));
  const passing = testcase.findings.filter((f) => !fails(f, failOn));
  const lines = [`    <testcase${attributes({ classname, name: testcase.name, time: 0 })}>`];
  if (testcase.skipped !== undefined)
    lines.push(`      <skipped${attributes({ message: testcase.skipped })}/>`);
  if (failing.length > 0) {
    const first = failing[0]!;
    lines.push(
      `      <failure${attributes({ message: first.message, type: findingCode(first) })}>${xmlText(
        failing.map(body).join('\n\n'),
      )}</failure>`,
    );
  }
  const out = [...passing.map(body), ...(testcase.notes.length ? [testcase.notes.join('\n')] : [])];
  if (out.length > 0) lines.push(`      <system-out>${xmlText(out.join('\n\n'))}</system-out>`);
  lines.push('    </testcase>');
  // A testcase with nothing inside is written as one line.
  const xml = lines.length === 2 ? `${lines[0]!.slice(0, -1)}/>` : lines.join('\n');
  return {
    xml,
    failed: failing.length > 0,
    ...(testcase.skipped !== undefined ? { skipped: true } : {}),
  };
}

interface SuiteXml {
  name: string;
  timestamp?: string;
  cases: RenderedCase[];
}

function document(suites: SuiteXml[]): string {
  const total = suites.reduce((n, s) => n + s.cases.length, 0);
  const failed = (c: RenderedCase) => c.failed && !c.errored;
  const errored = (c: RenderedCase) => c.errored === true;
  const failures = suites.reduce((n, s) => n + s.cases.filter(failed).length, 0);
  const errors = suites.reduce((n, s) => n + s.cases.filter(errored).length, 0);
  const isSkipped = (c: RenderedCase) => c.skipped === true;
  const skipped = suites.reduce((n, s) => n + s.cases.filter(isSkipped).length, 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name: 'sync-doctor check', tests: total, failures, errors, skipped, time: 0 })}>`,
  ];
  for (const suite of suites) {
    lines.push(
      `  <testsuite${attributes({
        name: suite.name,
        tests: suite.cases.length,
        failures: suite.cases.filter(failed).length,
        errors: suite.cases.filter(errored).length,
        skipped: suite.cases.filter(isSkipped).length,
        time: 0,
        ...(suite.timestamp ? { timestamp: suite.timestamp } : {}),
      })}>`,
      ...suite.cases.map((c) => c.xml),
      '  </testsuite>',
    );
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

/**
 * The `timestamp` of a testsuite: when the diagnosis was judged, as `YYYY-MM-DDTHH:MM:SS` in UTC,
 * with no milliseconds and no zone designator. The strict Ant JUnit schema (JUnit.xsd, type
 * ISO8601_DATETIME_PATTERN: xs:dateTime restricted to that pattern, "timezone may not be
 * specified") refuses `2026-11-30T21:06:40.123Z`; the time is UTC, though the attribute cannot say
 * so. Undefined (no attribute) when judgedAt is missing or no date.
 */
export function junitTimestamp(judgedAt: string | undefined): string | undefined {
  const time = judgedAt === undefined ? NaN : Date.parse(judgedAt);
  if (Number.isNaN(time)) return undefined;
  const utc = new Date(time).toISOString().slice(0, 19);
  // A year outside 0000-9999 (toISOString writes '+010000-...') has no place in the pattern.
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(utc) ? utc : undefined;
}

/**
 * The diagnosis as JUnit XML. An error finding fails its testcase; a warning fails it only with
 * `failOn: 'warning'` (as the exit code does), else it passes with the warning in <system-out>.
 * `relayed` (HubSpot's relayed status) is asked of the plan as the human output asks it.
 */
export function renderJunit(
  diagnosis: Diagnosis,
  { failOn, relayed }: { failOn: 'error' | 'warning'; relayed?: RelayedView },
): string {
  const context = { relayed };
  const plan = planOf(diagnosis, context);
  const hubspotSteps = (finding: Finding) => hubspotStepsBeyondRemedy(finding, plan, context);
  const timestamp = junitTimestamp(diagnosis.judgedAt);
  const suspension = relayed?.status
    ? suspensionCase(relayed, diagnosis)
    : relayed?.unavailable
      ? statusUnreadCase(relayed)
      : undefined;
  return document([
    ...buildSuites(diagnosis).map((suite) => ({
      name: suite.name,
      timestamp,
      cases: suite.cases.map((c) => renderCase(suite.name, c, failOn, hubspotSteps)),
    })),
    ...(suspension ? [{ name: SUSPENSION_SUITE, timestamp, cases: [suspension] }] : []),
  ]);
}

/** The suite and testcase of HubSpot's relayed status: one name, failing or passing run to run. */
export const SUSPENSION_SUITE = 'HubSpot reported';
export const SUSPENSION_CASE = 'sync not suspended';

/**
 * The status record could not be read (no package, no access): the suspension case is skipped, not
 * passed, as the exit is 3 then: a suspension may be there unseen.
 */
function statusUnreadCase(relayed: RelayedView): RenderedCase {
  const open = `    <testcase${attributes({ classname: SUSPENSION_SUITE, name: SUSPENSION_CASE, time: 0 })}>`;
  return {
    xml: [
      open,
      `      <skipped${attributes({ message: relayed.source })}/>`,
      '    </testcase>',
    ].join('\n'),
    failed: false,
    skipped: true,
  };
}

/**
 * HubSpot's exported sync errors under the suspension, as the CLI's "HubSpot reported" says them,
 * each with what the diagnosis finds now of its rights. A right still missing is no testcase of its
 * own here: its field or object already fails its own testcase, so it is said, not counted again.
 */
function syncErrorLines(
  status: NonNullable<RelayedView['status']>,
  diagnosis: Diagnosis,
): string[] {
  const view = syncErrorsView(status, { lines: SYNC_ERROR_LINES, diagnosis });
  if (!view) return [];
  // The core's one order, as --report says it.
  return syncErrorsOutline(view).map(
    (line) => `${'  '.repeat(line.depth)}${line.label ? `${line.label}: ` : ''}${line.text}`,
  );
}

/**
 * A status record relayed from HubSpot: a failing testcase while it says suspended (or suspected),
 * as the exit code is 1 then whatever the findings say; passing once cleared. No record, no testcase.
 */
function suspensionCase(relayed: RelayedView, diagnosis: Diagnosis): RenderedCase {
  const status = relayed.status!;
  const open = `    <testcase${attributes({ classname: SUSPENSION_SUITE, name: SUSPENSION_CASE, time: 0 })}`;
  if (!isSuspendedState(status)) {
    const note = [
      `Cleared${status.clearedAt ? ` ${minuteLabel(status.clearedAt)}` : ''}.`,
      relayed.source,
    ].join('\n');
    return {
      xml: [`${open}>`, `      <system-out>${xmlText(note)}</system-out>`, '    </testcase>'].join(
        '\n',
      ),
      failed: false,
    };
  }
  const { title, hubspotWords } = relayedReasonTitle(status);
  const head =
    status.state === 'suspended'
      ? 'HubSpot reports the sync suspended'
      : 'The relay suspects HubSpot suspended the sync';
  const message = `${head}: ${title || 'reason not given'}`;
  const body = [
    `${message}${status.reason ? ` (${status.reason})` : ''}`,
    ...(hubspotWords ? [`HubSpot's words: ${hubspotWords}`] : []),
    ...(status.since ? [`Since ${minuteLabel(status.since)}`] : []),
    relayed.source,
    `${capital(suspendedSyncText(status))}.`,
    ...(relayed.check ? [relayed.check.summary] : []),
    ...syncErrorLines(status, diagnosis),
    // Why a custom-code or duplicate group names no rule, as the text and --report say it.
    ...(relayed.rulesNotRead ?? []),
  ].join('\n');
  return {
    xml: [
      `${open}>`,
      `      <failure${attributes({ message, type: status.reason ?? 'SUSPENDED' })}>${xmlText(body)}</failure>`,
      '    </testcase>',
    ].join('\n'),
    failed: true,
  };
}

/** The suite and testcase of a check that could not run: always the same, so it is tracked too. */
export const COULD_NOT_DIAGNOSE_SUITE = 'Sync Doctor';
export const COULD_NOT_DIAGNOSE_CASE = "Diagnose the HubSpot integration user's access";

/**
 * When the diagnosis could not run (exit 2 or 75): one testcase in error saying why, so the
 * pipeline shows the reason instead of a missing report. An <error>, not a <failure>, as JUnit
 * tells a test that could not run from one that found a fault: a test view (GitLab's "error",
 * Jenkins' error details) then keeps "Salesforce was down" apart from a lost permission.
 */
export function renderJunitFailure(
  failure: { errorCode: string; message: string; detail?: string },
  now: Date = new Date(),
): string {
  const testcase = [
    `    <testcase${attributes({ classname: COULD_NOT_DIAGNOSE_SUITE, name: COULD_NOT_DIAGNOSE_CASE, time: 0 })}>`,
    `      <error${attributes({ message: `Could not diagnose: ${failure.message}`, type: failure.errorCode })}>${xmlText(
      // The detail is what stderr said, its own heading included.
      failure.detail ?? `Could not diagnose: ${failure.errorCode}\n${failure.message}`,
    )}</error>`,
    '    </testcase>',
  ].join('\n');
  return document([
    {
      name: COULD_NOT_DIAGNOSE_SUITE,
      // When it was tried, as the diagnosis's suites carry when it was judged.
      timestamp: junitTimestamp(now.toISOString()),
      cases: [{ xml: testcase, failed: true, errored: true }],
    },
  ]);
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
