import {
  groupFindings,
  STATUS_OBJECT,
  partlyCheckedVerdictLabel,
  partlyCheckedVerdictSentence,
  suspendedVerdictLabel,
  suspendedVerdictSentence,
  verdictSentence,
  verdictUncheckedQualifier,
  verdictUncheckedSentence,
  subjectLabel,
  type Diagnosis,
  type Finding,
  type Severity,
  type Verdict,
} from '@sync-doctor/core';
import { RELAYED_SECTION } from '../relayed.js';
import { wrapText } from '../table.js';
import { visibleLength, type Style } from '../style.js';
import type { CheckContext, RenderOptions } from './context.js';
import { planOf, relayedSuspension } from './plan.js';
import { formatNumber, packPieces, plural } from './shared.js';

/**
 * The verdict in capitals. A healthy verdict partly checked, or under HubSpot's suspension, is the
 * core's label the app's badge shows ('Partly checked', 'Access OK, sync suspended'): a bare
 * HEALTHY passed a frozen user no check could see, and above SUSPENDED read as a contradiction.
 */
function verdictLabel(verdict: Verdict, style: Style, coreLabel: string | null): string {
  if (coreLabel) return style.bold(style.yellow(coreLabel.toUpperCase()));
  if (verdict === 'healthy') return style.bold(style.green('HEALTHY'));
  if (verdict === 'at-risk') return style.bold(style.yellow('AT RISK'));
  return style.bold(style.red('BLOCKED'));
}

function count(findings: Finding[], severity: Severity): number {
  return findings.filter((f) => f.severity === severity).length;
}

export function renderHeader(
  diagnosis: Diagnosis,
  context: CheckContext,
  { style, width }: RenderOptions,
): string {
  const user = context.snapshot?.user;
  const org = context.snapshot?.organization;
  const lines: string[] = [];
  const where = org
    ? `${org.Name ?? org.Id}${org.InstanceName ? `, ${org.InstanceName}` : ''}${org.IsSandbox ? ', sandbox' : ''}`
    : undefined;
  // The title in pieces, each with what separates it from the one before: at narrow widths a line
  // breaks between pieces (before the user's name, before the org), not inside a name.
  const pieces: [string, string][] = [
    ['', style.bold('Sync Doctor')],
    ['  ', `integration user ${style.bold(user?.Username ?? 'unknown user')}`],
  ];
  if (user?.Name) pieces.push([' ', style.bold(`(${user.Name})`)]);
  if (where) pieces.push(['  ', `in ${where}`]);
  lines.push(...packPieces(pieces, width));
  if (context.source)
    lines.push(...wrapText(`Read from ${context.source}`, width).map((line) => style.dim(line)));
  // Notes too, as the app's verdict counts them ('1 blocks the sync, 0 risks, 0 notes'): the
  // Findings below number them all, and a count that left them out did not add up to it.
  const counted = [
    plural(count(diagnosis.findings, 'error'), 'error'),
    plural(count(diagnosis.findings, 'warning'), 'warning'),
    plural(count(diagnosis.findings, 'info'), 'note'),
  ].join(', ');
  lines.push('');
  // Checks the reader could not make (frozen state, Login History, connected app) are no pass: a
  // healthy or at-risk verdict says so, or a frozen, IP-blocked user would read as all clear. A
  // blocked verdict is no all-clear already; its not-read sections below say the rest.
  const status = context.relayed?.status;
  const coreLabel =
    partlyCheckedVerdictLabel(diagnosis, status) ?? suspendedVerdictLabel(diagnosis, status);
  const label = `Verdict: ${verdictLabel(diagnosis.verdict, style, coreLabel)}`;
  const notRead = verdictUncheckedQualifier(diagnosis);
  const qualifier = notRead ? `(${notRead})` : '';
  // Wrapped as plain text, each line coloured: a colour must not run on past a line's end.
  const verdictLines =
    !qualifier || visibleLength(label) + 1 + qualifier.length <= width
      ? [qualifier ? `${label} ${style.yellow(qualifier)}` : label]
      : [label, ...wrapText(qualifier, Math.max(30, width - 2)).map((l) => `  ${style.yellow(l)}`)];
  const verdict = verdictLines[verdictLines.length - 1]!;
  // Narrow (40 columns), the counts go under the verdict.
  if (visibleLength(verdict) + 2 + counted.length <= width)
    lines.push(...verdictLines.slice(0, -1), `${verdict}  ${style.dim(counted)}`);
  else lines.push(...verdictLines, `  ${style.dim(counted)}`);
  const sentence = sentenceOf(diagnosis, context);
  if (sentence)
    lines.push(...wrapText(sentence, Math.max(30, width - 2)).map((line) => `  ${line}`));
  const unchecked = verdictUncheckedSentence(diagnosis);
  if (unchecked)
    lines.push(
      ...wrapText(unchecked, Math.max(30, width - 2)).map((line) => `  ${style.yellow(line)}`),
    );
  // An unread status record is a check not made either (exit 3): a suspension may be there unseen.
  if (context.relayed?.unavailable && diagnosis.verdict !== 'blocked')
    lines.push(
      ...wrapText(
        `Whether HubSpot suspended the sync was not checked: ${STATUS_OBJECT.name} could not be read (see ${RELAYED_SECTION}).`,
        Math.max(30, width - 2),
      ).map((line) => `  ${style.yellow(line)}`),
    );
  // The core's sentence already says the remedies are below ('Fix them below.'): said once.
  const pointer = !sentence || !/\bbelow\b/.test(sentence);
  lines.push(...whatIsWrong(diagnosis, { style, width }, { pointer }));
  return lines.join('\n');
}

/**
 * What blocks (or risks) the sync in one sentence, the core's verdictSentence as the app's verdict
 * and the report say it: causes of one HubSpot reason named together, a refusal still to come, a
 * stopped sync, a permission set to assign first. Asked as the app asks it: with HubSpot's
 * suspension (relayed) and the plan's sets to assign first. A healthy verdict under HubSpot's
 * suspension says the app's sentence too (suspendedVerdictSentence: the access is right, the sync
 * is not, and whether the cause HubSpot reported is gone), pointing to the "HubSpot reported"
 * section printed right under it: a bare HEALTHY above SUSPENDED read as a contradiction, and the
 * app told the same admin more. A healthy verdict partly checked says the app's sentence on it
 * (partlyCheckedVerdictSentence: only what could be read is clear, with or without a suspension).
 * Null for a healthy verdict fully checked without a suspension.
 */
function sentenceOf(diagnosis: Diagnosis, context: CheckContext): string | null {
  const status = context.relayed?.status;
  const plan = diagnosis.verdict === 'blocked' ? planOf(diagnosis, context) : undefined;
  return (
    verdictSentence(diagnosis, {
      suspended: relayedSuspension(context),
      // HubSpot's relayed reason, for a stopped sync with no cause found: "HubSpot reported …: the
      // section below says what to check", as the app and --report say, not "open HubSpot to see why".
      status,
      section: RELAYED_SECTION,
      assignFirst: plan?.assignFirst ? plan.assignPermissionSets : [],
    }) ??
    partlyCheckedVerdictSentence(diagnosis, status) ??
    suspendedVerdictSentence(diagnosis, status, { section: RELAYED_SECTION })
  );
}

/** Kinds of finding named under the verdict; the rest are one line. */
const MAX_SUMMARY_GROUPS = 5;

/**
 * Under the verdict, what is wrong before the tables that show it: a line per kind of finding
 * (errors first, as under Findings), naming the first subjects, then where the remedies are. An
 * admin who scrolled back, or a CI log read from the top, meets the answer first; the remedies
 * stay at the end, where a terminal leaves them on screen. Notes (info) are not named here.
 */
export function whatIsWrong(
  diagnosis: Diagnosis,
  { style, width }: RenderOptions,
  { pointer = true }: { pointer?: boolean } = {},
): string[] {
  // The core's grouping, the app's Findings card's and verdict's too.
  const groups = groupFindings(diagnosis.findings, { severities: ['error', 'warning'] });
  if (groups.length === 0) return [];
  const lines: string[] = [];
  for (const group of groups.slice(0, MAX_SUMMARY_GROUPS)) {
    const subjects = [...new Set(group.findings.map((f) => subjectLabel(f.subject)))];
    const named =
      subjects.slice(0, 3).join(', ') +
      (subjects.length > 3 ? ` and ${formatNumber(subjects.length - 3)} more` : '');
    const mark = group.severity === 'error' ? style.red('✗') : style.yellow('!');
    wrapText(`${group.title}: ${named}`, Math.max(30, width - 4)).forEach((line, i) =>
      lines.push(`${i === 0 ? `  ${mark} ` : '    '}${line}`),
    );
  }
  const moreKinds = groups.length - MAX_SUMMARY_GROUPS;
  const tail = [
    moreKinds > 0 ? `… and ${plural(moreKinds, 'other kind')} of finding.` : '',
    pointer ? 'What to do: the remedies are under Findings, at the end.' : '',
  ]
    .filter(Boolean)
    .join(' ');
  if (tail)
    for (const line of wrapText(tail, Math.max(30, width - 4)))
      lines.push(`    ${style.dim(line)}`);
  return lines;
}
