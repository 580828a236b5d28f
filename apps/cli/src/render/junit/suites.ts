/*
 * The suites and testcases of `check --junit`: one suite per area an admin looks at in Setup, one
 * testcase per required check, named from what was required, each with the findings it covers.
 */
import {
  findingCode,
  friendlyPermission,
  limitRows,
  minuteLabel,
  reachedByText,
  subjectLabel,
  type Diagnosis,
  type Finding,
} from '@sync-doctor/core';

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

export interface Case {
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
export function buildSuites(diagnosis: Diagnosis): Suite[] {
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
