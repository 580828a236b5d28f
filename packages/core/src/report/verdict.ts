/**
 * The verdict's sentence, for the app's verdict and the CLI alike: what blocks (or risks) the sync,
 * each cause once, HubSpot's reason it leads to said once per reason and as a forecast ("HubSpot
 * would suspend with: ..."), never as if HubSpot had reported it; what has not happened yet (a
 * finding `pending`) as what will happen; a stopped sync as it is, with where to see why.
 */
import { HUBSPOT_SYNC_HEALTH_PLACE } from '../diagnosis/limits.js';
import type { Diagnosis, Finding, Severity } from '../diagnosis/types.js';
import {
  HUBSPOT_WOULD_SUSPEND_WITH,
  SUSPENSION_REASONS,
  findingHeading,
} from '../reasons/catalog.js';
import { CAUSES } from '../reasons/causes.js';
import { groupFindings } from './groupFindings.js';

/** The most causes a verdict names; the Findings card lists them all. */
export const VERDICT_CAUSES = 3;

function listText(items: readonly string[]): string {
  return items.length < 2
    ? items.join('')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * 'Integration user frozen and Integration user not approved for HubSpot's connected app (HubSpot
 * would suspend with: Salesforce org API access disabled)': the headings of the groups at
 * `severity` (symptoms only, or causes only), causes of one HubSpot reason named together before
 * that reason, at most `max` named and then 'N more'. '' when none.
 */
export function verdictCauseList(
  findings: readonly Finding[],
  severity: Severity,
  options: { symptoms?: boolean; max?: number } = {},
): string {
  const entries: { titles: string[]; reason?: string }[] = [];
  const list: readonly Finding[] = Array.isArray(findings) ? findings : [];
  for (const group of groupFindings(list, { severities: [severity] })) {
    const first = group.findings[0]!;
    if (Boolean(first.symptom) !== Boolean(options.symptoms)) continue;
    const cause = !first.symptom && first.cause ? CAUSES[first.cause] : undefined;
    if (cause && severity === 'error') {
      const reason = SUSPENSION_REASONS[first.reason]?.titles.en || first.reason;
      const same = entries.find((e) => e.reason === reason);
      if (same) {
        if (!same.titles.includes(cause.title)) same.titles.push(cause.title);
      } else entries.push({ titles: [cause.title], reason });
      continue;
    }
    const title = findingHeading(first);
    if (!entries.some((e) => e.titles.includes(title))) entries.push({ titles: [title] });
  }
  const max = options.max ?? VERDICT_CAUSES;
  const texts = entries.map((e) =>
    e.reason ? `${listText(e.titles)} (${HUBSPOT_WOULD_SUSPEND_WITH} ${e.reason})` : e.titles[0]!,
  );
  const shown = texts.slice(0, max);
  return listText(texts.length > max ? [...shown, `${texts.length - max} more`] : shown);
}

export interface VerdictSentenceOptions {
  /** HubSpot reports (or the relay suspects) a suspension: the banner says to fix the findings. */
  suspended?: boolean;
  /** The plan's sets to assign first (RemediationPlan.assignPermissionSets when assignFirst). */
  assignFirst?: readonly string[];
  /**
   * The copied report (formatReport) rather than the page: the same sentence without the page's
   * layout ('below') and without the closing 'Fix it below.', since each of the report's findings
   * carries its own remedy right after the verdict and a ticket has no 'below' to point at.
   */
  report?: boolean;
}

/**
 * The blocked or at-risk verdict's sentence; null for a healthy one (its page words stay the app's).
 * - A stopped sync (an error symptom) is said as it is: with no cause found, where to see why.
 * - Errors that have not happened yet (every one `pending`) say what will happen.
 * - Otherwise "HubSpot cannot sync: <causes>."; with the plan's sets to assign first, that most
 *   findings may come from them not being assigned.
 */
export function verdictSentence(
  diagnosis: Pick<Diagnosis, 'verdict' | 'findings'>,
  options: VerdictSentenceOptions = {},
): string | null {
  const findings: readonly Finding[] = Array.isArray(diagnosis.findings) ? diagnosis.findings : [];
  if (diagnosis.verdict === 'blocked') {
    const errors = findings.filter((f) => f.severity === 'error');
    const symptoms = verdictCauseList(errors, 'error', { symptoms: true });
    const causes = verdictCauseList(errors, 'error');
    const causeCount = errors.filter((f) => !f.symptom).length;
    const fix =
      options.suspended || options.report ? '' : ` Fix ${causeCount === 1 ? 'it' : 'them'} below.`;
    if (symptoms && !causes)
      return `${symptoms} and Sync Doctor found no cause in Salesforce: open ${HUBSPOT_SYNC_HEALTH_PLACE} to see why.`;
    if (symptoms) return `${symptoms}. Sync Doctor finds what stops it: ${causes}.${fix}`;
    if (!causes) return null;
    const assign = options.assignFirst?.length
      ? ` Most findings may come from ${listText(options.assignFirst.map((n) => `'${n}'`))} not being assigned: assign ${options.assignFirst.length === 1 ? 'it' : 'them'} first, then check again.`
      : '';
    if (errors.every((f) => f.pending))
      return `HubSpot still syncs, but Salesforce will refuse it from its next login on: ${causes}.${fix}`;
    return `HubSpot cannot sync: ${causes}.${assign || fix}`;
  }
  if (diagnosis.verdict === 'at-risk') {
    const below = options.report ? '' : ' below';
    const symptoms = verdictCauseList(findings, 'warning', { symptoms: true });
    const causes = verdictCauseList(findings, 'warning');
    if (symptoms)
      return `${symptoms}, though nothing Sync Doctor checks blocks it: the findings${below} say what to look at.${causes ? ` ${options.report ? 'Also found' : 'Below also'}: ${causes}, which will suspend it soon or break part of it.` : ''}`;
    if (causes)
      return `HubSpot can sync now, but something${below} will suspend it soon or breaks part of the sync: ${causes}.`;
  }
  return null;
}
