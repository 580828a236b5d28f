import {
  findingCode,
  groupFindings,
  isPartlyChecked,
  NO_PROBLEMS_FOUND,
  NO_PROBLEMS_FOUND_PARTLY,
  REMEDIATION_PERMISSION_SET,
  subjectLabel,
  type Diagnosis,
  type Finding,
  type RemediationPlan,
  type Severity,
} from '@sync-doctor/core';
import { wrapText } from '../table.js';
import { visibleLength, type Style } from '../style.js';
import type { CheckContext, RenderOptions } from './context.js';
import { hubspotStepsBeyondRemedy, planOf } from './plan.js';
import { formatNumber } from './shared.js';

/**
 * Findings shown per group (a severity and a reason or symptom code): an org missing field-level
 * security on 3,000 mapped fields has 3,000 findings alike but for the field, some 27,000 lines.
 * The rest of a group is one line; --json, --junit and --report keep every finding.
 */
export const MAX_FINDINGS_PER_GROUP = 5;

function severityLabel(severity: Severity, style: Style): string {
  if (severity === 'error') return style.bold(style.red('ERROR'));
  if (severity === 'warning') return style.bold(style.yellow('WARNING'));
  return style.cyan('INFO');
}

export function renderFindings(
  diagnosis: Diagnosis,
  context: Pick<CheckContext, 'relayed'>,
  { style, width }: RenderOptions,
): string {
  const lines = [style.bold(`Findings (${diagnosis.findings.length})`)];
  if (diagnosis.findings.length === 0) {
    // The app's Findings card's words. No all-clear when checks were not made (the core's
    // unchecked): only what could be read. Nor a claim on the sync itself: under HubSpot's
    // suspension "Nothing stands in the way of the HubSpot sync" sat under SYNC SUSPENDED, when
    // the suspension does until it is cleared.
    lines.push(
      isPartlyChecked(diagnosis)
        ? `  ${style.yellow(NO_PROBLEMS_FOUND_PARTLY)}`
        : `  ${style.green(NO_PROBLEMS_FOUND)}`,
    );
    return lines.join('\n');
  }
  const textWidth = Math.max(30, width - 7);
  const plan = planOf(diagnosis, context);
  let shown = 0;
  let fixPointed = false;
  for (const { severity, code, findings: group } of groupFindings(diagnosis.findings)) {
    // A group one over the cap is shown whole: one more finding is hardly longer than the line
    // that would stand for it.
    const visible =
      group.length > MAX_FINDINGS_PER_GROUP + 1 ? group.slice(0, MAX_FINDINGS_PER_GROUP) : group;
    for (const finding of visible) {
      lines.push(
        ...findingLines(
          finding,
          ++shown,
          hubspotStepsBeyondRemedy(finding, plan, context),
          style,
          width,
        ),
      );
      if (!fixPointed && namesTheAppsFix(finding)) {
        fixPointed = true;
        for (const line of wrapText(appsFixPointer(plan), textWidth))
          lines.push(`      ${style.dim(line)}`);
      }
    }
    const hidden = group.length - visible.length;
    if (hidden > 0) {
      lines.push('');
      for (const line of wrapText(
        `… and ${formatNumber(hidden)} more ${code} ${severity === 'info' ? 'notes' : `${severity}s`} like these: run with --json or --report for all ${formatNumber(group.length)}.`,
        textWidth,
      ))
        lines.push(`      ${style.dim(line)}`);
    }
  }
  return lines.join('\n');
}

/**
 * A remedy that offers Sync Doctor's own fix, which creates and assigns the core's permission set
 * ('Sync_Doctor_Remediation'): that fix is the app's, in Salesforce; this command only reads.
 */
function namesTheAppsFix(finding: Finding): boolean {
  return finding.remedy.includes(`'${REMEDIATION_PERMISSION_SET}'`);
}

/**
 * Where "Sync Doctor's fix" is, said once under the first remedy that offers it: the Sync Doctor
 * app (its Lightning app and tab are both labelled 'Sync Doctor') shows the core's plan on a card
 * headed by the plan's title ('Fix it in Salesforce'), whose "Grant the missing rights" button
 * applies the grants (force-app/main/default/lwc/remediationActions). The CLI cannot apply it.
 */
function appsFixPointer(plan: RemediationPlan): string {
  const grants =
    plan.objectPermissions.length +
      plan.fieldPermissions.length +
      plan.systemPermissions.length +
      plan.connectedApps.length >
    0;
  return `Sync Doctor's fix is in Salesforce, not this command: App Launcher > Sync Doctor > the '${plan.title}' card${grants ? ' > "Grant the missing rights"' : ''}.`;
}

/**
 * One numbered finding: a blank line, its title and code, message and remedy, then what the plan
 * adds in HubSpot that the remedy does not say (the org's API limit: "Allocated to HubSpot").
 */
function findingLines(
  finding: Finding,
  number: number,
  hubspotSteps: string[],
  style: Style,
  width: number,
): string[] {
  const textWidth = Math.max(30, width - 7);
  const lines = [''];
  const head = `  ${String(number).padStart(2)}. ${severityLabel(finding.severity, style)}`;
  const subject = subjectLabel(finding.subject);
  const title = `${head}  ${style.bold(subject)}`;
  // The reason code, or the symptom's (SYNC_STOPPED) when the finding names no reason: the
  // same grouping as the Findings card and the report. Narrow: a line of its own.
  const code = findingCode(finding);
  if (visibleLength(title) + 2 + code.length <= width) lines.push(`${title}  ${style.dim(code)}`);
  else if (visibleLength(title) <= width) lines.push(title, `      ${style.dim(code)}`);
  else {
    // A subject wider than what the number and severity leave: under them, wrapped.
    lines.push(head);
    for (const line of wrapText(subject, textWidth)) lines.push(`      ${style.bold(line)}`);
    lines.push(`      ${style.dim(code)}`);
  }
  for (const line of wrapText(finding.message, textWidth)) lines.push(`      ${line}`);
  const remedy = wrapText(`Remedy: ${finding.remedy}`, textWidth);
  remedy.forEach((line, i) =>
    lines.push(`      ${i === 0 ? line.replace(/^Remedy:/, style.cyan('Remedy:')) : line}`),
  );
  for (const step of hubspotSteps)
    wrapText(`Also: ${step}`, textWidth).forEach((line, i) =>
      lines.push(`      ${i === 0 ? line.replace(/^Also:/, style.cyan('Also:')) : line}`),
    );
  // No line for finding.rule: a rule id ('object-permissions') tells an admin nothing the title,
  // the code and the message have not, and the core has no human label for it. --json keeps it.
  return lines;
}
