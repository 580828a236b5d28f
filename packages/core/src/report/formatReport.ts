import type {
  Diagnosis,
  FieldResult,
  Finding,
  LoginSummary,
  ObjectResult,
  Severity,
} from '../diagnosis/types.js';
import { findingTitle, suspensionReason } from '../reasons/catalog.js';
import { OBJECT_RIGHT_LABELS, minute, reachedByText, thousands } from '../diagnosis/text.js';
import { OBJECT_RIGHTS } from '../requirements/objectRights.js';
import {
  NO_PROBLEMS_FOUND_PARTLY,
  SEVERITY_LABELS,
  findingCountsLabel,
  limitRows,
  ruleLabel,
  subjectLabel,
} from './labels.js';
import { isSuspendedState, type RelayedStatus } from '../relayed/status.js';
import { relayedReasonTitle } from '../relayed/statusText.js';
import { syncErrorsOutline, syncErrorsView } from '../relayed/syncErrorsText.js';
import { checkSuspensionSteps, type SuspensionStepStatus } from '../relayed/suspensionSteps.js';
import type { Snapshot } from '../snapshot/types.js';
import { frozenNotReadLine, type FrozenRead } from '../snapshot/frozenRead.js';
import { snapshotFrozenRead, type UncheckedCheck } from '../snapshot/unchecked.js';
import { planRemediation } from '../remediation/planRemediation.js';
import { hubspotStepsBeyondRemedy } from '../remediation/hubspotSteps.js';
import type { RemediationPlan } from '../remediation/types.js';
import {
  partlyCheckedVerdictLabel,
  partlyCheckedVerdictSentence,
  suspendedVerdictLabel,
  suspendedVerdictSentence,
  verdictSentence,
  verdictUncheckedQualifier,
  verdictUncheckedSentence,
} from './verdict.js';
import { compareSeverity } from './severity.js';

/**
 * A plain-text summary of a diagnosis for a support ticket (HubSpot, Salesforce or in-house): the
 * CLI prints it and the LWC's "Copy report" puts it on the clipboard. Plain ASCII layout with
 * aligned columns, so it survives e-mail, ticket forms and monospace fonts alike. Deterministic:
 * no locale formatting, no current time (only the times found in the inputs).
 */
export interface ReportContext {
  snapshot?: Snapshot;
  status?: RelayedStatus | null;
  /**
   * Why Login History was not read, when the reader tried (the diagnosis then has no `logins`),
   * printed as it is: the report says so instead of leaving the section out, so a ticket shows
   * it was not checked.
   */
  loginsNotRead?: string;
  /**
   * Whether the integration user's frozen state (UserLogin.IsFrozen) was read, and why not, as the
   * collectors give it (the Node collector's `frozen`, the snapshot's `frozenRead`, read when
   * neither this nor `frozenNotRead` is given): when it was not, one line under the user says why
   * (frozenNotReadLine), so a snapshot without `IsFrozen` does not pass for a user not frozen. Left
   * out when the snapshot has the flag. What the verdict asks of the admin comes from the
   * diagnosis (`unchecked`, from the snapshot's frozenRead), not from this.
   */
  frozenRead?: FrozenRead | null;
  /**
   * The same line as text of the caller's, printed as it is when `frozenRead` is not given (older
   * callers).
   */
  frozenNotRead?: string;
  /** Why HubSpot's connected app was not read (its policies are then unchecked), printed as it is. */
  connectedAppsNotRead?: string;
  /**
   * Why the org's validation or duplicate rules were not read when a sync error group asked for
   * them, a line per kind, printed as it is under the sync errors: a ticket then shows why no
   * rule is named.
   */
  rulesNotRead?: readonly string[];
}

// Fields the other half of the core may add to the diagnosis; read when present.
type ReportDiagnosis = Diagnosis & {
  user?: { id: string; username: string; isActive: boolean };
  judgedAt?: string;
};
type ReportObject = ObjectResult & { note?: string; rule?: string; reachedBy?: string[] };
type ReportField = FieldResult & { hubspotProperty?: string; exists?: boolean };

/** The title of the report's section on the relayed status (the verdict points to it). */
const STATUS_HEADING = 'HubSpot suspension status (relayed)';

function heading(title: string): string[] {
  return ['', title, '-'.repeat(title.length)];
}

/** Rows of cells -> lines with each column padded to its widest cell. */
function alignColumns(rows: string[][], gap = 2): string[] {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]! + gap)))
      .join('')
      .trimEnd(),
  );
}

/** Indents continuation lines of a long text under a label. */
function wrap(text: string, indent: string, width = 100): string[] {
  const words = text.replace(/\s+/g, ' ').trim().split(' ');
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(indent + line);
  return lines;
}

/**
 * 'Verdict: BLOCKED (2 findings block the sync, 1 risk, 0 notes)'. A healthy or at-risk verdict
 * whose checks were partly skipped (isPartlyChecked) says which were not read on its line, then the
 * counts and what to check by hand: a bare 'HEALTHY' in a ticket passed a frozen, IP-blocked user
 * an admin without Manage Users could not see. A healthy one is then the app's 'PARTLY CHECKED'
 * ('PARTLY CHECKED, SYNC SUSPENDED' under HubSpot's suspension) with the app's sentence
 * (partlyCheckedVerdictLabel, partlyCheckedVerdictSentence). A blocked verdict is no all-clear already; its
 * not-read sections say the rest. The CLI's verdict says it in the same words. A blocked or
 * at-risk verdict then says the app's sentence (verdictSentence, without the page's 'below'); a
 * healthy one under HubSpot's suspension, the app's label and sentence too ('ACCESS OK, SYNC
 * SUSPENDED': suspendedVerdictLabel, suspendedVerdictSentence), pointing to this report's section on
 * it: a bare 'HEALTHY' above 'SUSPENDED' read as a contradiction.
 */
function verdictLines(diagnosis: Diagnosis, status?: RelayedStatus | null): string[] {
  const count = (s: Severity) => diagnosis.findings.filter((f) => f.severity === s).length;
  const label =
    { healthy: 'HEALTHY', 'at-risk': 'AT RISK', blocked: 'BLOCKED' }[diagnosis.verdict] ??
    String(diagnosis.verdict).toUpperCase();
  // The page's words ('1 finding blocks the sync, 0 risks, 0 notes'), not errors and warnings.
  const counts = findingCountsLabel({
    error: count('error'),
    warning: count('warning'),
    info: count('info'),
  });
  if (diagnosis.verdict === 'blocked') {
    // What blocks it, in the app's words; an unassigned set behind most findings said as such.
    const plan = planRemediation(diagnosis, { status });
    // HubSpot's relayed reason, when it names one, is why a stopped sync stopped: said, with this
    // report's section on it, rather than "open HubSpot to see why".
    const sentence = verdictSentence(diagnosis, {
      report: true,
      assignFirst: plan.assignFirst ? plan.assignPermissionSets : [],
      status,
      section: STATUS_HEADING,
    });
    return [`Verdict: ${label} (${counts})`, ...(sentence ? wrap(sentence, '') : [])];
  }
  // What risks it, as the app's verdict says it; for a healthy one, what it could not check, or
  // the suspension.
  const risks = verdictSentence(diagnosis, {
    report: true,
    suspended: isSuspendedState(status),
    status,
    section: STATUS_HEADING,
  });
  const partly = risks ? null : partlyCheckedVerdictSentence(diagnosis, status);
  const sentence =
    risks ?? partly ?? suspendedVerdictSentence(diagnosis, status, { section: STATUS_HEADING });
  // Under a suspension the partly checked sentence names the checks not made ('could not check the
  // frozen state, where ...'), so 'Check them by hand' follows it; any other sentence ('No problems
  // found in what Sync Doctor could read.') names none, and the checks are named again, or 'them'
  // would stand for nothing.
  const namedAbove = partly !== null && partly !== NO_PROBLEMS_FOUND_PARTLY;
  const said = sentence ? wrap(sentence, '') : [];
  const qualifier = verdictUncheckedQualifier(diagnosis);
  // Fully checked under HubSpot's suspension, the app's and the CLI's 'ACCESS OK, SYNC SUSPENDED':
  // a ticket that said 'HEALTHY' above 'State: suspended' contradicted itself.
  const suspendedLabel = suspendedVerdictLabel(diagnosis, status)?.toUpperCase();
  if (!qualifier) return [`Verdict: ${suspendedLabel ?? label} (${counts})`, ...said];
  const unchecked = diagnosis.unchecked ?? [];
  // A healthy one partly checked is the app's 'Partly checked' (never HEALTHY), its line naming
  // what was not read.
  const partlyLabel =
    partlyCheckedVerdictLabel(diagnosis, status)?.toUpperCase() ?? suspendedLabel ?? label;
  return [
    `Verdict: ${partlyLabel} (${qualifier})`,
    `Findings: ${counts}`,
    ...said,
    // Named once before 'Check them by hand': by the sentence above, else here.
    ...wrap(verdictUncheckedSentence(diagnosis, { named: !namedAbove }), ''),
    ...unchecked.flatMap((u) => wrapNumbered('-', `${capitalize(u.label)}: ${u.byHand}`, '')),
  ];
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function contextLines(diagnosis: ReportDiagnosis, snapshot?: Snapshot): string[] {
  const lines: string[] = [];
  const capturedAt = snapshot?.capturedAt ?? diagnosis.judgedAt;
  if (capturedAt) lines.push(`Snapshot taken: ${minute(capturedAt)}`);
  const org = snapshot?.organization;
  if (org) {
    const facts = [
      org.InstanceName ? `instance ${org.InstanceName}` : null,
      org.OrganizationType ?? null,
      org.IsSandbox === true ? 'sandbox' : org.IsSandbox === false ? 'production' : null,
    ].filter((x): x is string => !!x);
    lines.push(
      `Org: ${org.Name ?? '(no name)'} (${org.Id})${facts.length ? `, ${facts.join(', ')}` : ''}`,
    );
  }
  const user = snapshot?.user;
  if (user) {
    const profile = user.Profile?.Name ? `, profile "${user.Profile.Name}"` : '';
    lines.push(
      `Integration user: ${user.Name ? `${user.Name} ` : ''}<${user.Username}> (${user.Id}), ${user.IsActive ? 'active' : 'INACTIVE'}${profile}`,
    );
  } else if (diagnosis.user) {
    lines.push(
      `Integration user: <${diagnosis.user.username}> (${diagnosis.user.id}), ${diagnosis.user.isActive ? 'active' : 'INACTIVE'}`,
    );
  }
  return lines;
}

const STEP_MARK: Record<SuspensionStepStatus, string> = {
  done: 'done',
  todo: 'to do',
  // The app's badge word, as the summary names these steps ("the steps marked \"Not checked\"").
  unknown: 'not checked',
};

/**
 * The reason whose steps statusLines lists with their marks (a known reason, not cleared), HubSpot's
 * included: its findings' HubSpot steps are not said again under Findings.
 */
function listedReason(status: RelayedStatus | null | undefined): Finding['reason'] | null {
  if (!status || status.state === 'cleared') return null;
  return suspensionReason(status.reason)?.code ?? null;
}

function statusLines(status: RelayedStatus, diagnosis: Diagnosis): string[] {
  const lines = heading(STATUS_HEADING);
  const reason = suspensionReason(status.reason);
  // The core's title, as the app's panel and the CLI name it: a known reason by the catalog's
  // English title (the relay keeps HubSpot's in the notification's language), HubSpot's own words
  // beside it only when they are no translation of it.
  const { title, hubspotWords } = relayedReasonTitle(status);
  lines.push(
    `State: ${status.state}${title ? ` - ${title}` : ''}${status.reason ? ` [${status.reason}]` : ''}${hubspotWords ? ` (HubSpot's words: ${hubspotWords})` : ''}`,
  );
  const times = [
    // In the core's words ('2026-12-02 01:07 UTC'), as the app's panel and the CLI say them.
    status.since ? `since ${minute(status.since)}` : null,
    status.lastSeenAt ? `last seen ${minute(status.lastSeenAt)}` : null,
    status.clearedAt ? `cleared ${minute(status.clearedAt)}` : null,
    status.source ? `source: ${status.source}` : null,
  ].filter((x): x is string => !!x);
  if (times.length) lines.push(times.join(', '));
  if (status.excerpt) {
    lines.push('HubSpot said:');
    lines.push(...wrap(status.excerpt.slice(0, 600), '  > '));
  }
  if (reason && status.state !== 'cleared') {
    lines.push(...wrap(`What it means: ${reason.meaning}`, '', 100));
    // Each step as the live diagnosis sees it: done, to do, or beyond what Salesforce shows.
    const check = checkSuspensionSteps(reason.code, diagnosis, { status });
    lines.push('What to do (checked against this diagnosis):');
    check.steps.forEach((step, i) => {
      // A step whose cause Sync Doctor finds absent now is neither done nor unseen.
      // "Nothing is required" is information, not a check Sync Doctor could not make.
      const mark =
        step.outcome === 'not-the-cause'
          ? 'not the cause now'
          : step.outcome === 'nothing-to-do'
            ? 'nothing to do'
            : step.outcome === 'at-risk'
              ? 'at risk'
              : STEP_MARK[step.status];
      lines.push(...wrapNumbered(`${i + 1}. [${mark}]`, step.text, '  '));
      const pad = ' '.repeat(String(i + 1).length + 4);
      lines.push(...wrap(`Sync Doctor: ${step.evidence}`, pad));
    });
    lines.push(...wrap(check.summary, ''));
    if (reason.liftsByItself) lines.push('This suspension usually lifts by itself.');
  }
  return lines;
}

/** The sync error groups a report lists; the rest are counted ('and 3 smaller groups'). */
const REPORT_SYNC_ERROR_LINES = 15;

/**
 * HubSpot's exported sync errors the relay carried onto the status, in the panel's and the CLI's
 * words (syncErrorsView): for a ticket, the fields HubSpot named are what support asks for first.
 */
function syncErrorLines(
  status: RelayedStatus,
  diagnosis: Diagnosis,
  rulesNotRead: readonly string[] | undefined,
): string[] {
  // With the diagnosis, each group says whether the rights it needs are there now.
  const view = syncErrorsView(status, { lines: REPORT_SYNC_ERROR_LINES, diagnosis });
  if (!view) return [];
  const lines = heading("HubSpot's sync errors");
  // The one order of syncErrorsOutline, as the CLI's text and JUnit say it.
  for (const line of syncErrorsOutline(view))
    lines.push(
      ...wrap(line.label ? `${line.label}: ${line.text}` : line.text, '  '.repeat(line.depth)),
    );
  // A note on the whole list, as the lines after it (what Sync Doctor checks, how to resync).
  for (const line of rulesNotRead ?? []) lines.push(...wrap(line, ''));
  return lines;
}

function wrapNumbered(marker: string, text: string, indent: string): string[] {
  const pad = ' '.repeat(marker.length + 1);
  const body = wrap(text, indent + pad);
  if (body.length === 0) return [];
  body[0] = indent + marker + ' ' + body[0]!.slice(indent.length + pad.length);
  return body;
}

/**
 * The findings, each with its remedy and then the plan's steps in HubSpot the remedy does not say
 * ('Also: ...', as the CLI prints them and the app's Fix card lists them): an org API limit at risk
 * or exceeded names only Salesforce's half, and "Allocated to HubSpot" was missing from the ticket.
 */
function findingLines(
  findings: Finding[],
  unchecked: readonly UncheckedCheck[] | undefined,
  plan: RemediationPlan,
  listedReason: Finding['reason'] | null,
): string[] {
  const lines = heading(`Findings (${findings.length})`);
  if (findings.length === 0) {
    // Not "can do everything HubSpot needs" when checks were skipped: only what could be read.
    lines.push(
      unchecked?.length
        ? `${NO_PROBLEMS_FOUND_PARTLY} See the checks to make by hand under the verdict.`
        : 'None: the integration user can do everything HubSpot needs.',
    );
    return lines;
  }
  const sorted = findings
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => compareSeverity(a.finding.severity, b.finding.severity) || a.index - b.index)
    .map((x) => x.finding);
  sorted.forEach((finding, i) => {
    const title = findingTitle(finding);
    // The badge the page shows ('Blocks the sync', 'Risk', 'Note'), not the JSON's severity.
    const badge = SEVERITY_LABELS[finding.severity] ?? finding.severity;
    lines.push(`${i + 1}. [${badge}] ${subjectLabel(finding.subject)}: ${title}`);
    const indent = ' '.repeat(String(i + 1).length + 2);
    lines.push(...wrap(finding.message, indent));
    if (finding.remedy) lines.push(...wrap(`Fix: ${finding.remedy}`, indent));
    for (const step of hubspotStepsBeyondRemedy(finding, plan, { listedReason }))
      lines.push(...wrap(`Also: ${step}`, indent));
    // The rule as an admin reads it ('Object permissions (...)'); --json keeps the id.
    if (finding.rule) lines.push(...wrap(`Rule: ${ruleLabel(finding.rule)}`, indent));
  });
  return lines;
}

function objectLines(objects: ReportObject[]): string[] {
  const lines = heading('Object access of the integration user');
  const rows: string[][] = [
    ['Object', 'Required', ...OBJECT_RIGHTS.map((r) => OBJECT_RIGHT_LABELS[r]), 'Granted by'],
  ];
  for (const object of objects) {
    const cells = OBJECT_RIGHTS.map((right) => {
      if (object.effective[right]) return 'yes';
      return object.required.includes(right) ? 'NO' : '-';
    });
    const name =
      object.reachedBy?.length && object.required.length === 0
        ? `${object.name} (lookup)`
        : object.name;
    rows.push([
      name,
      object.required.join(',') || '-',
      ...cells,
      object.grantedBy.join('; ') || '-',
    ]);
  }
  lines.push(...alignColumns(rows));
  const notes = objects.filter((o) => o.note || o.reachedBy?.length);
  for (const object of notes) {
    const why = [
      object.reachedBy?.length ? `reached by ${reachedByText(object.reachedBy, ', ')}` : null,
      object.note ?? null,
    ].filter(Boolean);
    lines.push(`  ${object.name}: ${why.join('; ')}`);
  }
  return lines;
}

function isFailing(field: FieldResult): boolean {
  return (
    (field.required.includes('read') && !field.effective.read) ||
    (field.required.includes('edit') && !field.effective.edit)
  );
}

function fieldLines(fields: ReportField[]): string[] {
  const failing = fields.filter(isFailing);
  const lines = heading(`Fields missing access (${failing.length} of ${fields.length} checked)`);
  if (failing.length === 0) {
    lines.push('None.');
    return lines;
  }
  const rows: string[][] = [['Field', 'Needs', 'Has', 'HubSpot property', 'Note']];
  for (const field of failing) {
    const has =
      [field.effective.read ? 'read' : null, field.effective.edit ? 'edit' : null]
        .filter(Boolean)
        .join(',') || 'none';
    const note = [field.exists === false ? 'field does not exist' : null, field.note ?? null]
      .filter(Boolean)
      .join('; ');
    rows.push([
      field.name,
      field.required.join(','),
      has,
      field.hubspotProperty ?? '-',
      note || '-',
    ]);
  }
  lines.push(...alignColumns(rows));
  return lines;
}

function limitLines(diagnosis: Diagnosis): string[] {
  const lines = heading('Limits');
  if (diagnosis.limits.length === 0) {
    lines.push("Not read (Sync Doctor read none of the org's limits).");
    return lines;
  }
  // A connected app without a quota of its own: its share of the org's calls used (limitRows).
  const rows = limitRows(diagnosis.limits).map((row) => [
    row.label,
    row.basis === 'max' ? `${row.used} / ${row.of} used` : `${row.used} ${row.of}`,
    row.share,
  ]);
  lines.push(...alignColumns(rows));
  return lines;
}

/** HubSpot's logins as the user: when it last got in, and what refused it since. */
function loginLines(logins: LoginSummary): string[] {
  const lines = heading(`Logins, last ${logins.days} days`);
  // Login History names no application for some refused attempts: they may be HubSpot's too.
  const other = logins.otherApplications
    ? `; ${thousands(logins.otherApplications)} of other applications left out`
    : '';
  const whose = `by HubSpot (or with no Application in Login History${other})`;
  if (logins.attempts === 0) {
    lines.push(`No login attempt ${whose}.`);
    return lines;
  }
  lines.push(
    `${thousands(logins.attempts)} login attempts ${whose}; last at ${minute(logins.lastAttemptAt!)}, last success ${logins.lastSuccessAt ? minute(logins.lastSuccessAt) : 'none'}.`,
  );
  if (logins.failingSince) lines.push(`Refused since ${minute(logins.failingSince)}.`);
  // The columns the app's login card and the CLI show, under the same words.
  const rows = logins.failures.map((group) => [
    group.status,
    thousands(group.count),
    minute(group.lastAt),
    group.sourceIps.join(', ') || '-',
  ]);
  if (rows.length)
    lines.push(...alignColumns([['Refused with', 'Times', 'Last at', 'From'], ...rows]));
  return lines;
}

/** The report: verdict, org and user, relayed status, findings with remedies, objects, failing fields, limits. */
export function formatReport(diagnosis: Diagnosis, context: ReportContext = {}): string {
  if (!diagnosis || !Array.isArray(diagnosis.findings))
    throw new TypeError('formatReport: a Diagnosis is required');
  const d = diagnosis as ReportDiagnosis;
  const lines: string[] = [
    'Sync Doctor report: HubSpot-Salesforce integration user',
    '='.repeat(54),
  ];
  lines.push(...verdictLines(d, context.status));
  lines.push(...contextLines(d, context.snapshot));
  // The snapshot's own frozenRead (both readers put it) when the caller gives neither.
  const frozenNotRead = context.frozenRead
    ? frozenNotReadLine(context.frozenRead)
    : (context.frozenNotRead ?? frozenNotReadLine(snapshotFrozenRead(context.snapshot)));
  if (frozenNotRead && typeof context.snapshot?.user?.IsFrozen !== 'boolean')
    lines.push(frozenNotRead);
  if (context.status)
    lines.push(
      ...statusLines(context.status, d),
      ...syncErrorLines(context.status, d, context.rulesNotRead),
    );
  // The plan as the app's Fix card shows it, asked with HubSpot's relayed status.
  const plan = planRemediation(d, { status: context.status ?? null });
  lines.push(...findingLines(d.findings ?? [], d.unchecked, plan, listedReason(context.status)));
  if (d.objects?.length) lines.push(...objectLines(d.objects as ReportObject[]));
  lines.push(...fieldLines((d.fields ?? []) as ReportField[]));
  lines.push(...limitLines({ ...d, limits: d.limits ?? [] }));
  if (d.logins) lines.push(...loginLines(d.logins));
  else if (context.loginsNotRead) lines.push(...heading('Logins'), context.loginsNotRead);
  if (context.connectedAppsNotRead)
    lines.push(...heading("HubSpot's connected app"), context.connectedAppsNotRead);
  return `${lines.join('\n')}\n`;
}
