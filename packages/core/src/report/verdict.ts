/**
 * The verdict's sentence, for the app's verdict and the CLI alike: what blocks (or risks) the sync,
 * each cause once, HubSpot's reason it leads to said once per reason and as a forecast ("HubSpot
 * would suspend with: ..."), never as if HubSpot had reported it; what has not happened yet (a
 * finding `pending`) as what will happen; a stopped sync as it is, with where to see why.
 */
import { HUBSPOT_SYNC_HEALTH_PLACE } from '../diagnosis/limits.js';
import { isPartlyChecked } from '../diagnosis/evaluateAccess.js';
import type { Diagnosis, Finding, Severity } from '../diagnosis/types.js';
import { isSuspendedState, type RelayedStatus } from '../relayed/status.js';
import { uncheckedList, uncheckedSentence, uncheckedWhereShown } from '../snapshot/unchecked.js';
import { NO_PROBLEMS_FOUND_PARTLY } from './labels.js';
import { relayedReasonTitle } from '../relayed/statusText.js';
import { checkSuspensionSteps, type SuspensionAgreement } from '../relayed/suspensionSteps.js';
import {
  HUBSPOT_WOULD_SUSPEND_WITH,
  suspensionReason,
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
    const cause =
      !first.symptom && first.cause && Object.hasOwn(CAUSES, first.cause)
        ? CAUSES[first.cause]
        : undefined;
    if (cause && severity === 'error') {
      const reason = suspensionReason(first.reason)?.titles.en || first.reason;
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
  /**
   * HubSpot's relayed status: a suspension (reported or suspected) carrying a reason (its code or
   * HubSpot's title) is why a stopped sync stopped, so the sentence names it and points to
   * `section`, where its steps are, instead of sending the admin to HubSpot to see why. It implies
   * `suspended`.
   */
  status?: Pick<RelayedStatus, 'state' | 'reason' | 'title'> | null;
  /**
   * The title of the section that shows HubSpot's relayed reason, as the caller names it (see
   * RelayedVerdictOptions.section): SUSPENSION_SECTION by default.
   */
  section?: string;
}

/**
 * 'HubSpot reported "Salesforce org API access disabled"': the reason of a relayed suspension as
 * the admin reads it (relayedReasonTitle), or null when none is relayed or it names no reason.
 */
function relayedReason(
  status: Pick<RelayedStatus, 'state' | 'reason' | 'title'> | null | undefined,
): string | null {
  if (!isSuspendedState(status)) return null;
  if (
    !suspensionReason(status.reason) &&
    !(typeof status.title === 'string' && status.title.trim())
  )
    return null;
  const { title } = relayedReasonTitle(status);
  return `HubSpot ${status.state === 'suspended' ? 'reported' : 'may have suspended the sync for'} "${title}"`;
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
    const relayed = relayedReason(options.status);
    const suspended = options.suspended || isSuspendedState(options.status);
    const fix =
      suspended || options.report ? '' : ` Fix ${causeCount === 1 ? 'it' : 'them'} below.`;
    // HubSpot's relayed reason says why: point to its section, not to HubSpot to see why.
    if (symptoms && !causes && relayed)
      return `${symptoms} and Sync Doctor found no cause in Salesforce, but ${relayed}: "${options.section ?? SUSPENSION_SECTION}" below says what to check.`;
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
    // Under HubSpot's suspension (reported or suspected) the sync does not work now: never "can
    // sync now" right under the banner that says it was suspended.
    if (causes && (options.suspended || isSuspendedState(options.status)))
      return `Something${below} can get the sync suspended or breaks part of it: ${causes}.`;
    if (causes)
      return `HubSpot can sync now, but something${below} will suspend it soon or breaks part of the sync: ${causes}.`;
  }
  return null;
}

/** The app's section on HubSpot's suspension, the one the verdict points to by default. */
export const SUSPENSION_SECTION = 'Suspension reported by HubSpot';

export interface RelayedVerdictOptions {
  /** HubSpot reported the suspension (state 'suspended'); false when the relay only suspects one. */
  reported: boolean;
  /**
   * The title of the section below the verdict that shows the reason's steps, as the caller names
   * it: the app's "Suspension reported by HubSpot" by default, the CLI's "HubSpot reported", the
   * report's "HubSpot suspension status (relayed)".
   */
  section?: string;
}

/**
 * A healthy verdict's sentence while HubSpot reports (or the relay suspects) a suspension, by what
 * the reason's steps say against the diagnosis (checkSuspensionSteps' agreement; null when Sync
 * Doctor does not check that reason): the access is right and the sync is not, and why Sync Doctor
 * does not see the cause. "Gone now" only for 'fixed-since': a cause Sync Doctor could not judge
 * from the snapshot ('not-judged'), one HubSpot decides ('check-in-hubspot') or one gone in what
 * a partly checked diagnosis read ('partly-checked') is not gone.
 * `reasonTitle`: HubSpot's reason as the admin reads it; null when neither the catalog nor the
 * relay names it.
 */
export function relayedVerdictSentence(
  agreement: SuspensionAgreement | null,
  reasonTitle: string | null,
  options: RelayedVerdictOptions,
): string {
  const title = reasonTitle ? `"${reasonTitle}"` : 'a reason Sync Doctor does not recognise';
  const section = `"${options.section ?? SUSPENSION_SECTION}" below`;
  const cause = `the cause HubSpot ${options.reported ? 'reported' : 'may have suspended the sync for'} (${title})`;
  switch (agreement) {
    case 'fixed-since':
      return `The integration user has everything HubSpot needs: ${cause} is gone now. ${section} says how to lift the suspension.`;
    case 'partly-checked':
      return `Sync Doctor's checks find nothing blocking, but it could not make every check, so it cannot say whether ${cause} is gone. ${section} says what to check by hand.`;
    case 'confirmed':
      return `Sync Doctor's checks find nothing blocking, yet the steps for ${title} in ${section} still show something to do.`;
    case 'check-in-hubspot':
      return `The integration user has everything HubSpot needs, but what decides ${cause} is in HubSpot, which Sync Doctor cannot see. ${section} says what to check there before you clear the suspension.`;
    case 'not-judged':
      return `Sync Doctor's checks find nothing blocking, but Sync Doctor could not check from what it read whether ${cause} is gone. ${section} says what it lacked.`;
    default:
      // 'not-visible', no agreement (a reason Sync Doctor does not check), or 'other-cause' (which
      // a healthy diagnosis, with nothing blocking, does not give).
      return `The integration user has everything HubSpot needs, but HubSpot ${options.reported ? 'suspended' : 'may have suspended'} the sync for ${title}, which is outside what Sync Doctor checks. ${section} says what to check.`;
  }
}

/**
 * The verdict's sentence for a healthy diagnosis while HubSpot reports (or the relay suspects) a
 * suspension: relayedVerdictSentence with the agreement of the reason's steps (for a reason Sync
 * Doctor checks) and the catalog's title of the reason (else the relay's). The app, the CLI and the
 * copied report say it alike. Null when the verdict is not healthy (verdictSentence words those),
 * when the diagnosis is partly checked (partlyCheckedVerdictSentence says it), or when there is no
 * suspension (no status, or a cleared one).
 */
export function suspendedVerdictSentence(
  diagnosis: Diagnosis,
  status:
    | (Pick<RelayedStatus, 'state' | 'reason' | 'title'> & Partial<Pick<RelayedStatus, 'excerpt'>>)
    | null
    | undefined,
  options: { section?: string } = {},
): string | null {
  if (!isSuspendedState(status)) return null;
  if (diagnosis.verdict !== 'healthy' || isPartlyChecked(diagnosis)) return null;
  const reason = suspensionReason(status.reason);
  const agreement =
    reason?.checkedBySyncDoctor && status.reason
      ? checkSuspensionSteps(status.reason, diagnosis, { status }).agreement
      : null;
  return relayedVerdictSentence(agreement, reason ? reason.titles.en : status.title || null, {
    reported: status.state === 'suspended',
    section: options.section,
  });
}

/**
 * The verdict's label for a healthy diagnosis while HubSpot reports (or the relay suspects) a
 * suspension: 'Access OK, sync suspended' (reported) or 'Access OK' (suspected), where a bare
 * "Healthy" above "SUSPENDED" read as a contradiction; an at-risk one 'At risk, sync suspended'
 * (reported) or 'At risk' (suspected), partly checked or not. The app's badge, the CLI's verdict and
 * the copied report say it alike. Null without a suspension, for a blocked verdict, and for a
 * healthy one partly checked (partlyCheckedVerdictLabel's).
 */
export function suspendedVerdictLabel(
  diagnosis: Diagnosis,
  status: Pick<RelayedStatus, 'state'> | null | undefined,
): string | null {
  if (!isSuspendedState(status)) return null;
  // An at-risk verdict under a suspension: "At risk" alone read as "the sync works, for now".
  if (diagnosis.verdict === 'at-risk')
    return status.state === 'suspended' ? 'At risk, sync suspended' : 'At risk';
  if (diagnosis.verdict !== 'healthy' || isPartlyChecked(diagnosis)) return null;
  return status.state === 'suspended' ? 'Access OK, sync suspended' : 'Access OK';
}

/** HubSpot reports the sync suspended ('suspended') or the relay suspects it ('suspected'). */
function suspensionOf(
  status: Pick<RelayedStatus, 'state'> | null | undefined,
): 'suspended' | 'suspected' | null {
  return isSuspendedState(status) ? status.state : null;
}

/** A healthy verdict some of whose checks could not be made: never "Healthy" nor "Access OK". */
function healthyPartly(diagnosis: Pick<Diagnosis, 'verdict' | 'unchecked'>): boolean {
  return diagnosis.verdict === 'healthy' && isPartlyChecked(diagnosis);
}

/**
 * The verdict's label for a healthy diagnosis some of whose checks could not be made (the core's
 * `unchecked`: the reader lacks Manage Users, Monitor Login History or Customize Application):
 * 'Partly checked', or 'Partly checked, sync suspended' while HubSpot reports a suspension (a
 * suspected one adds nothing: the banner says it). Never "Healthy" nor "Access OK": a frozen or
 * IP-blocked user would pass unseen, and HubSpot suspend the sync again. The app's badge, the CLI's
 * verdict and the copied report say it alike. Null when the verdict is not healthy or every check
 * was made.
 */
export function partlyCheckedVerdictLabel(
  diagnosis: Pick<Diagnosis, 'verdict' | 'unchecked'>,
  status: Pick<RelayedStatus, 'state'> | null | undefined,
): string | null {
  if (!healthyPartly(diagnosis)) return null;
  return suspensionOf(status) === 'suspended' ? 'Partly checked, sync suspended' : 'Partly checked';
}

/**
 * The sentence under partlyCheckedVerdictLabel: only what could be read is clear and, under a
 * suspension (reported or suspected), each check not made with what it would have shown
 * (uncheckedWhereShown: a frozen user; logins refused by IP ranges, login hours or a lockout; the
 * connected app's policies refusing the user), only those not made. What to check by hand follows it (verdictUncheckedSentence).
 * The app's verdict, the CLI's and the copied report say it alike. Null when the label is.
 */
export function partlyCheckedVerdictSentence(
  diagnosis: Pick<Diagnosis, 'verdict' | 'unchecked'>,
  status: Pick<RelayedStatus, 'state'> | null | undefined,
): string | null {
  if (!healthyPartly(diagnosis)) return null;
  const suspension = suspensionOf(status);
  if (!suspension) return NO_PROBLEMS_FOUND_PARTLY;
  return `Sync Doctor finds nothing blocking in what it could read, but HubSpot ${suspension === 'suspended' ? 'suspended' : 'may have suspended'} the sync, and Sync Doctor could not check ${uncheckedWhereShown(diagnosis.unchecked)}.`;
}

/**
 * What a healthy or at-risk verdict says last when some checks could not be made: uncheckedSentence
 * ('Not checked: frozen state. Check it by hand, or ask ...'), a frozen or IP-blocked user not
 * showing among its findings. `named: false` where the verdict's line already names the checks (the
 * copied report). A blocked verdict needs fixing first whatever was not read: '' for it, as for a
 * diagnosis every check of which was made.
 */
export function verdictUncheckedSentence(
  diagnosis: Pick<Diagnosis, 'verdict' | 'unchecked'>,
  options: { named?: boolean } = {},
): string {
  if (diagnosis.verdict === 'blocked' || !isPartlyChecked(diagnosis)) return '';
  return uncheckedSentence(diagnosis.unchecked, options);
}

/**
 * What a one-line verdict (the CLI's, the copied report's) adds after its label when some checks
 * could not be made: "frozen state and Login History not read" after 'PARTLY CHECKED' (the label
 * says the rest), "partly checked: frozen state and Login History not read" after 'AT RISK'. Null
 * for a blocked verdict (no all-clear to qualify) and when every check was made.
 */
export function verdictUncheckedQualifier(
  diagnosis: Pick<Diagnosis, 'verdict' | 'unchecked'>,
): string | null {
  if (diagnosis.verdict === 'blocked' || !isPartlyChecked(diagnosis)) return null;
  const notRead = `${uncheckedList(diagnosis.unchecked)} not read`;
  return diagnosis.verdict === 'healthy' ? notRead : `partly checked: ${notRead}`;
}
