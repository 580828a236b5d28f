/**
 * checkSuspensionSteps: HubSpot's reported suspension reason read against the live diagnosis. The
 * catalog's remedy steps are generic ("assign the HubSpot permission set"); the diagnosis often
 * already knows whether a step is done (the set is assigned), still to do (and which findings say
 * what is missing) or beyond what Salesforce shows (HubSpot's settings, "Clear Suspension"). It also
 * says when the diagnosis disagrees with HubSpot: the cause is gone now, or a different one blocks.
 * Pure: the LWC's suspension panel and the plain-text report call it alike.
 */
import { RULES } from '../diagnosis/rules.js';
import { joinList, minute, percent } from '../diagnosis/text.js';
import { API_WARNING_RATIO } from '../diagnosis/limits.js';
import { HUBSPOT_ALLOCATION_PLACE, HUBSPOT_MAPPINGS_PLACE } from '../diagnosis/hubspotPlaces.js';
import type { Diagnosis, Finding } from '../diagnosis/types.js';
import { suspensionReason } from '../reasons/catalog.js';
import { CAUSES } from '../reasons/causes.js';
import { ruleLabel, subjectLabel } from '../report/labels.js';
import type { ReasonCode } from '../reasons/codes.js';
import { HUBSPOT_PERMISSION_SET } from '../requirements/defaults.js';
import type { RelayedStatus } from './status.js';
import { syncErrorFieldChoices, syncErrorSureFieldChoices } from './syncErrorFields.js';
import { currentSyncErrors } from './syncErrors.js';
import {
  View,
  type Judgement,
  capital,
  hubspotClick,
  plural,
  unseen,
  HUBSPOT_SIDE,
  OUTSIDE,
} from './steps/view.js';
import { findFieldStep, fieldStep, grantStep, objectStep } from './steps/accessSteps.js';
import {
  apiReading,
  editionStep,
  lookupAfterObjects,
  orgNearApiLimit,
  storageStep,
} from './steps/orgSteps.js';

export type SuspensionStepStatus = 'done' | 'todo' | 'unknown';

/**
 * What Sync Doctor read about a step it cannot mark done: 'not-the-cause' when the step checks for
 * the cause and Sync Doctor finds it absent now (the org is below its API limit, storage has room).
 * Such a step keeps the status 'unknown' (whether the cause was there when HubSpot suspended the
 * sync, the reading now cannot confirm), and a view may name it "Not the cause now".
 * 'nothing-to-do': the step asks nothing of the admin ("Nothing is required: HubSpot resumes by
 * itself"), so it is information, not a check Sync Doctor could not make ("Not checked").
 * 'at-risk': the cause is absent now but near (the org at 96.5% of its API requests, a warning of
 * this reason in the diagnosis): not "Not the cause now", which would hide the risk. Status 'unknown'.
 */
export type SuspensionStepOutcome = 'not-the-cause' | 'nothing-to-do' | 'at-risk';

export interface SuspensionStep {
  /** The catalog's step, word for word. */
  text: string;
  status: SuspensionStepStatus;
  /** What Sync Doctor read ('Granted by Permission set: X'), what is missing, or why it cannot see. */
  evidence: string;
  /** The diagnosis's findings behind the status (for 'todo': the ones saying what is missing). */
  findings: Finding[];
  /** Set when Sync Doctor checked the step and does not find its cause now (see the type). */
  outcome?: SuspensionStepOutcome;
  /**
   * True on a click in HubSpot ("Clear Suspension", re-entering the credentials) while blocking
   * findings remain: its evidence says "Not yet" and why, so a page need not say it again.
   */
  notYet?: true;
  /**
   * True on the step that decides whether HubSpot's reason is gone when Sync Doctor cannot see it
   * (HubSpot's field mappings; "Allocated to HubSpot" with the org near its API limit): the
   * agreement is then 'check-in-hubspot', never "fixed".
   */
  decides?: true;
}

/**
 * - confirmed: the diagnosis sees this reason's cause now.
 * - fixed-since: Sync Doctor can see this cause and finds it gone, nothing else blocks, and it
 *   made every check (`Diagnosis.unchecked` is empty).
 * - partly-checked: as 'fixed-since', but the diagnosis is partly checked (`Diagnosis.unchecked`):
 *   what was not read (a frozen user, logins refused by IP ranges) suspends the sync just the same,
 *   so Sync Doctor cannot call the cause fixed; the summary asks for those checks by hand first.
 * - other-cause: this cause is gone (or not visible), but the diagnosis finds another blocking one.
 * - not-visible: Salesforce does not show this cause; the steps are the admin's to check.
 * - not-judged: the cause is visible in principle, but the snapshot lacked what it takes (for "API
 *   access disabled": also the frozen state, Login History or connected app it hides behind).
 * - check-in-hubspot: Salesforce's side of the cause looks right, but the step that decides it is
 *   in HubSpot (its field mappings, "Allocated to HubSpot" with the org near its limit), which Sync
 *   Doctor cannot see: that step comes before clearing, and nothing says the cause is gone.
 */
export type SuspensionAgreement =
  | 'confirmed'
  | 'fixed-since'
  | 'partly-checked'
  | 'other-cause'
  | 'not-visible'
  | 'not-judged'
  | 'check-in-hubspot';

export interface SuspensionCheck {
  reason: ReasonCode;
  steps: SuspensionStep[];
  agreement: SuspensionAgreement;
  /**
   * One or two sentences for the admin about the agreement. Standalone (the CLI, the copied
   * report) it opens with the agreement ('At risk of this cause (step 1).'); with
   * SuspensionCheckOptions.headed it leaves out what the box's heading already says.
   */
  summary: string;
  /** Blocking findings (errors) of other reasons, grouped by reason, in diagnosis order. */
  otherCauses: { reason: ReasonCode; title: string; findings: Finding[] }[];
  /** Errors and warnings of this reason no step names (an inactive user under "API access disabled"). */
  alsoFound: Finding[];
  /**
   * This reason's own warning, when the diagnosis has one and nothing blocks for it (the org at
   * 96.5% of its API requests): the summary says it rather than "Salesforce's side looks right", and
   * a view heads the box with the risk.
   */
  risk?: Finding;
}

/**
 * HubSpot's "API access disabled" is also what a frozen user, logins refused by IP ranges or login
 * hours, and a user not approved for HubSpot's connected app look like: with those parts unread,
 * Sync Doctor cannot say its cause is gone.
 */
const HIDDEN_IN_UNREAD_PARTS: ReadonlySet<ReasonCode> = new Set<ReasonCode>([
  'API_ACCESS_DISABLED',
]);

const JUDGES: Record<ReasonCode, (v: View) => Judgement[]> = {
  API_LIMIT_EXCEEDED: (v) => {
    const reading = apiReading(v);
    const findings = v.problems(
      (f) =>
        f.reason === 'API_LIMIT_EXCEEDED' &&
        (f.rule === RULES.apiLimit || f.rule === RULES.connectedAppApiLimit),
    );
    const exhausted = findings.some((f) => f.severity === 'error');
    // The org's own limit, or (the org far from it) a connected app's per-app one: say which.
    const orgExhausted = findings.some((f) => f.severity === 'error' && f.rule === RULES.apiLimit);
    const appExhausted = findings.find(
      (f) => f.severity === 'error' && f.rule === RULES.connectedAppApiLimit,
    );
    const confirm: Judgement = !reading
      ? {
          status: 'unknown',
          checked: true,
          evidence: 'The API limit was not read.',
          findings: v.problems((f) => f.reason === 'API_LIMIT_EXCEEDED'),
        }
      : exhausted
        ? {
            status: 'done',
            checked: true,
            evidence:
              orgExhausted || !appExhausted
                ? `Sync Doctor read it: ${reading}; the limit is reached.`
                : `Sync Doctor read it: ${appExhausted.message} (${reading}.)`,
            findings,
          }
        : findings.some((f) => f.severity === 'warning')
          ? {
              // Below the maximum but near it: a risk, not "Not the cause now".
              status: 'unknown',
              outcome: 'at-risk',
              checked: true,
              evidence: `At risk: ${reading}, near the maximum. Whether the org was at it when HubSpot suspended the sync, the rolling 24-hour window no longer shows.`,
              findings,
            }
          : {
              // Below the maximum now does not confirm it was at it: the step cannot be "done".
              status: 'unknown',
              outcome: 'not-the-cause',
              checked: true,
              evidence: `Not the cause now: ${reading}, below the maximum. Whether the org was at it when HubSpot suspended the sync, the rolling 24-hour window no longer shows.`,
              findings,
            };
    // Below the maximum but near it: HubSpot, cleared, uses up the rest and is suspended again;
    // "Allocated to HubSpot" (a HubSpot setting) decides whether it does.
    const api = v.limit('DailyApiRequests');
    const near = reading && !exhausted && api !== undefined && api.ratio >= API_WARNING_RATIO;
    const allocation: Judgement = near
      ? {
          status: 'unknown',
          evidence: `Not checked: "Allocated to HubSpot" is a HubSpot setting. With ${percent(api.ratio)} of the org's daily API requests used, lower it in ${HUBSPOT_ALLOCATION_PLACE}, or wait for older calls to fall out of the rolling 24-hour window, before you clear the suspension: otherwise HubSpot uses up the rest and the sync is suspended again.`,
          decides: `the org has used ${percent(api.ratio)} of its daily API requests, so lower "Allocated to HubSpot" in ${HUBSPOT_ALLOCATION_PLACE}, or wait for older calls to fall out of the rolling 24-hour window`,
        }
      : unseen(HUBSPOT_SIDE);
    return [
      confirm,
      unseen(
        "Sync Doctor reads the org's total, and HubSpot's own count when Salesforce lists it, not which other integrations made the calls.",
      ),
      allocation,
      unseen(OUTSIDE),
      hubspotClick(v),
    ];
  },
  API_ACCESS_DISABLED: (v) => [
    grantStep(
      v,
      'systemPermission',
      'PermissionsApiEnabled',
      'API Enabled',
      v.problems((f) => f.subject === 'PermissionsApiEnabled'),
    ),
    editionStep(v),
    hubspotClick(v),
  ],
  UNKNOWN_ERROR: (v) => [hubspotClick(v), unseen(OUTSIDE), unseen(OUTSIDE)],
  OBJECT_PERMISSIONS_MISSING: (v) => [
    grantStep(
      v,
      'permissionSet',
      HUBSPOT_PERMISSION_SET,
      `The permission set "${HUBSPOT_PERMISSION_SET}"`,
      v.problems(
        (f) => f.rule === RULES.requiredPermissionSet && f.subject === HUBSPOT_PERMISSION_SET,
      ),
    ),
    ...lookupAfterObjects(
      objectStep(
        v,
        v.d.objects.filter((o) => o.rule !== RULES.lookupTarget),
        'No synced object is required.',
      ),
      objectStep(
        v,
        v.d.objects.filter((o) => o.reachedBy?.some((r) => r.startsWith('lookup'))),
        'No mapped lookup reaches another object.',
      ),
    ),
    hubspotClick(v),
  ],
  FIELD_PERMISSIONS_MISSING: (v) => [
    findFieldStep(v),
    fieldStep(v, false),
    fieldStep(v, true),
    hubspotClick(v),
  ],
  ORG_LOCKED: (v) => [hubspotClick(v), unseen(OUTSIDE), unseen(OUTSIDE)],
  STORAGE_LIMIT_EXCEEDED: (v) => [
    unseen('Sync Doctor reads the totals only, not which objects take the space.'),
    storageStep(v),
    hubspotClick(v),
  ],
  // An outage comes and goes: Salesforce answering Sync Doctor once is no outage seen as over,
  // so the step stays the admin's to check on Salesforce Status (the reason is never "fixed").
  ORG_UNAVAILABLE: (v) => [
    unseen(OUTSIDE),
    v.d.judgedAt
      ? unseen(
          `Salesforce answered Sync Doctor at ${minute(v.d.judgedAt)}, but an outage comes and goes: Salesforce Status shows whether the instance is available.`,
        )
      : unseen(OUTSIDE),
    hubspotClick(v),
  ],
  SERVER_ERROR: (v) => [hubspotClick(v), unseen(OUTSIDE), unseen(OUTSIDE)],
  HUBSPOT_API_LIMIT_EXCEEDED: (v) => {
    const reading = apiReading(v);
    return [
      {
        status: 'unknown',
        outcome: 'nothing-to-do',
        evidence:
          'Nothing to check: HubSpot resumes by itself. The share allocated to HubSpot is a HubSpot setting, which Sync Doctor cannot see.',
      },
      unseen(
        !reading
          ? HUBSPOT_SIDE
          : orgNearApiLimit(v)
            ? // Raising HubSpot's share would spend what the org has left: reaching the org-wide
              // limit suspends the sync too ("Salesforce API limit exceeded").
              `Sync Doctor read the org's side: ${reading}, near the org's own limit. Do not raise "Allocated to HubSpot" now: HubSpot would use up what the org has left, and reaching the org-wide limit suspends the sync too. Wait for HubSpot to resume as calls fall out of the rolling 24-hour window, or lower the other integrations' API use first.`
            : `Sync Doctor read the org's side: ${reading}. The allocation is a HubSpot setting.`,
      ),
    ];
  },
  FIELD_MAPPINGS_MISSING: (v) => {
    const findings = v.problems(
      (f) => f.rule === RULES.fieldDeleted || f.rule === RULES.objectDeleted,
    );
    const described = !v.d.findings.some(
      (f) => f.rule === RULES.sectionAbsent && f.subject === 'fields',
    );
    // Objects and fields hidden from the user who read the org: their existence was not checked.
    const hidden = v.d.findings.filter(
      (f) => f.rule === RULES.sectionAbsent && f.reason === 'FIELD_MAPPINGS_MISSING',
    );
    // Mapped fields the describe did not list: deleted, or hidden from the user who read the org.
    const notFound = v.problems((f) => f.rule === RULES.fieldNotFound);
    const exists: Judgement = findings.length
      ? {
          status: 'todo',
          checked: true,
          evidence: `Not in the org: ${joinList(findings.map((f) => f.subject))}.`,
          findings,
        }
      : notFound.length
        ? {
            status: 'unknown',
            checked: true,
            evidence: `Not found when Sync Doctor read the org's fields, so deleted or hidden from the user who read it: ${joinList(notFound.map((f) => f.subject))}.`,
            findings: notFound,
          }
        : hidden.length
          ? {
              status: 'unknown',
              checked: true,
              evidence: `Not checked, hidden from the user who read the org: ${joinList(hidden.map((f) => f.subject))}.`,
              findings: hidden,
            }
          : described
            ? {
                status: 'done',
                checked: true,
                evidence: `Every one of the ${plural(v.d.fields.length, 'mapped field')} Sync Doctor checks exists in the org.`,
              }
            : {
                status: 'unknown',
                checked: true,
                evidence: 'Sync Doctor read no field definitions.',
              };
    // HubSpot's mappings decide this reason; Sync Doctor sees only whether the mapped fields exist.
    const mappings: Judgement = {
      status: 'unknown',
      evidence: `Not checked: the mappings are in HubSpot, and Sync Doctor reads only Salesforce. Check them in ${HUBSPOT_MAPPINGS_PLACE} before you clear the suspension.`,
      decides: `check the property mappings in ${HUBSPOT_MAPPINGS_PLACE}`,
    };
    return [mappings, exists, hubspotClick(v), unseen(OUTSIDE)];
  },
};

/**
 * The finding that confirms HubSpot's reason, named by its short title and subject, and where it
 * is printed: 'Integration user frozen (hubspot@acme.com), see Findings.' Its message, word for
 * word, stood here right above the Findings section (the CLI, the copied report) that prints it,
 * and in the app's box right above the same finding listed under it (alsoFound) or under its step.
 */
function findingPointer(
  finding: Finding,
  own: readonly Finding[],
  steps: readonly SuspensionStep[],
  headed: boolean,
): string {
  const cause =
    finding.cause && Object.hasOwn(CAUSES, finding.cause) ? CAUSES[finding.cause] : undefined;
  const short = cause?.title ?? (finding.rule ? ruleLabel(finding.rule) : finding.message);
  const subject = subjectLabel(finding.subject);
  const more = own.filter((f) => f.severity === 'error' && f !== finding).length;
  const named = `${short}${subject ? ` (${subject})` : ''}${more ? ` and ${plural(more, 'more finding')}` : ''}`;
  if (!headed) return `${named}, see Findings.`;
  // The box lists the finding under the step that names it, else under this summary.
  const step = steps.findIndex((s) => s.findings.includes(finding)) + 1;
  return `${named}, listed ${step ? `under step ${step}` : 'below'}.`;
}

/** What the diagnosis now shows about this reason, in words, for "fixed since?". */
const NOW_FINE: Record<ReasonCode, string> = {
  API_LIMIT_EXCEEDED: 'the org has API requests left now',
  API_ACCESS_DISABLED: 'the integration user is active and has API Enabled now',
  UNKNOWN_ERROR: '',
  OBJECT_PERMISSIONS_MISSING:
    'the HubSpot permission set is assigned and every required object right is granted now',
  FIELD_PERMISSIONS_MISSING: 'every mapped field Sync Doctor knows of passes now',
  ORG_LOCKED: '',
  STORAGE_LIMIT_EXCEEDED: 'the org has storage left now',
  ORG_UNAVAILABLE: '',
  SERVER_ERROR: '',
  HUBSPOT_API_LIMIT_EXCEEDED: '',
  FIELD_MAPPINGS_MISSING: 'every mapped field exists in Salesforce now',
};

export interface SuspensionCheckOptions {
  /**
   * The summary goes under a heading that already states the agreement and the risk (the app's
   * box: "HubSpot's reason confirmed", "Salesforce's side looks right: check HubSpot", "At risk of
   * this cause: check HubSpot", "Below the limit now, but at risk"): it then starts with what that
   * heading lacks ('Step 1 lists the risk. ...') instead of saying the heading again. Without it
   * (the CLI, the copied report: no such heading) the summary opens with the agreement.
   */
  headed?: boolean;
  /**
   * HubSpot's own words about the suspension (the relayed status's title and excerpt, and the
   * fields its exported sync errors lack access to): a field they name that Sync Doctor checks is
   * found ("Missing field permissions" step 1). Without them, a field mapped only in HubSpot may
   * be the cause, and the known fields passing fixes nothing.
   */
  status?: Partial<
    Pick<RelayedStatus, 'title' | 'excerpt' | 'syncErrors' | 'state' | 'clearedAt'>
  > | null;
}

/**
 * The catalog's steps for HubSpot's reported reason, each marked done, to do or unknown from the
 * diagnosis (evaluateAccess's result), and whether the diagnosis agrees with HubSpot's reason.
 */
export function checkSuspensionSteps(
  reason: ReasonCode,
  diagnosis: Diagnosis,
  options: SuspensionCheckOptions = {},
): SuspensionCheck {
  const headed = options.headed === true;
  const entry = suspensionReason(reason);
  if (!entry) throw new TypeError(`checkSuspensionSteps: unknown reason '${String(reason)}'`);
  if (!diagnosis || !Array.isArray(diagnosis.findings))
    throw new TypeError('checkSuspensionSteps: a Diagnosis is required');
  // The sync errors that speak for the org now (not an export from before a clearing).
  const syncErrors = currentSyncErrors(options.status);
  const has = (name: string) =>
    diagnosis.fields.some((f) => f.exists !== false && f.name.toLowerCase() === name.toLowerCase());
  const choices = syncErrorFieldChoices(syncErrors);
  const words = [
    options.status?.title,
    options.status?.excerpt,
    // A HubSpot contact's field is on Contact or Lead: HubSpot names the one the org has. A name
    // only the export's field column gave, that the org does not have, was a label: no field.
    ...choices.map((names) => names.find(has)),
    ...syncErrorSureFieldChoices(syncErrors)
      .filter((names) => !names.some(has))
      .map((names) => names[0]),
  ]
    .filter((w): w is string => typeof w === 'string')
    .join('\n');
  const v = new View(diagnosis, words, {
    // Only fields Salesforce named (or custom ones): a capitalised label the export's field
    // column held ('Region') is no field the org lost.
    unfound: syncErrorSureFieldChoices(syncErrors)
      .filter((names) => !names.some(has))
      .map((names) => joinList(names, 'or')),
    leftOut: syncErrors?.fieldGroupsLeftOut ?? 0,
  });
  const judgements = JUDGES[reason](v);
  // The step that decides the reason, when Sync Doctor cannot see it: the click waits for it.
  const decidingIndex = judgements.findIndex((j) => j.decides && j.status === 'unknown');
  const decider = decidingIndex >= 0 ? judgements[decidingIndex]! : undefined;
  if (decider)
    for (const [i, j] of judgements.entries())
      if (j.click && !j.notYet)
        judgements[i] = {
          ...j,
          evidence: `This step is in HubSpot, which Sync Doctor cannot see. Not yet: do step ${decidingIndex + 1} first, which Sync Doctor cannot check${v.unchecked ? ', and the checks it could not make (below)' : ''}.`,
          notYet: true,
        };
  // A judge marks the catalog's steps by position: a step added to or dropped from the catalog
  // without its judgement would mark the wrong steps (the table test over every reason fails here).
  if (judgements.length !== entry.remedy.length)
    throw new Error(
      `checkSuspensionSteps: ${reason} has ${entry.remedy.length} remedy steps but ${judgements.length} judgements`,
    );
  const steps: SuspensionStep[] = entry.remedy.map((text, i) => {
    const j = judgements[i]!;
    return {
      text,
      status: j.status,
      evidence: j.evidence,
      findings: j.findings ?? [],
      ...(j.outcome ? { outcome: j.outcome } : {}),
      ...(j.notYet ? { notYet: j.notYet } : {}),
      ...(j.decides ? { decides: true as const } : {}),
    };
  });

  const linked = new Set(steps.flatMap((s) => s.findings));
  // A symptom (HubSpot's logins stopped) is what any suspension looks like from Salesforce: it is
  // no evidence for HubSpot's reason, nor for another one.
  const own = v.problems((f) => f.reason === reason && !f.symptom);
  const alsoFound = own.filter((f) => !linked.has(f));
  const ownBlocking = own.some((f) => f.severity === 'error');
  // This reason's own warning, nothing blocking for it: the box says the risk, not "looks right".
  // (A step at risk names it: a section not read is no risk of this cause.)
  const risk = ownBlocking
    ? undefined
    : steps
        .filter((s) => s.outcome === 'at-risk')
        .flatMap((s) => s.findings)
        .find((f) => f.severity === 'warning' && f.reason === reason);
  // The step that lists the risk: the summary points there, as its message is already said in the
  // step's evidence and in the finding under it (three times in the panel at 96.5% of the API limit).
  const riskStep = risk ? steps.findIndex((s) => s.findings.includes(risk)) + 1 : 0;
  const riskAt = `(step ${riskStep})`;
  // Under a heading that says the risk, the summary only says where it is listed.
  const riskListed = `Step ${riskStep} lists the risk.`;
  // Other warnings than that one: "review them too".
  const otherRisks = diagnosis.findings.some((f) => f.severity === 'warning' && f !== risk);

  const others = new Map<ReasonCode, Finding[]>();
  for (const f of v.blocking) {
    if (f.reason === reason || f.symptom || linked.has(f)) continue;
    others.set(f.reason, [...(others.get(f.reason) ?? []), f]);
  }
  const otherCauses = [...others].map(([code, findings]) => ({
    reason: code,
    title: suspensionReason(code)?.titles.en ?? code,
    findings,
  }));
  const otherText = joinList(otherCauses.map((c) => `"${c.title}"`));
  const causes = otherCauses.length === 1 ? 'another blocking cause' : 'other blocking causes';

  const checked = judgements.filter((j) => j.checked);
  let agreement: SuspensionAgreement;
  let summary: string;
  const title = `"${entry.titles.en}"`;
  if (ownBlocking || checked.some((j) => j.status === 'todo')) {
    agreement = 'confirmed';
    const ownError = own.find((f) => f.severity === 'error');
    // A step to do whose findings are all another reason's: HubSpot's reason is what Salesforce
    // answered, that other cause is why (fields blocked by their object's access, not by their FLS).
    const foreign = steps.find(
      (s) =>
        s.status === 'todo' &&
        s.findings.length > 0 &&
        s.findings.every((f) => f.reason !== reason),
    );
    // "Sync Doctor sees this cause too" is what the heading "HubSpot's reason confirmed" says.
    summary =
      own.length === 0 && foreign
        ? `${headed ? 'Another cause is behind it' : 'Sync Doctor sees this cause too, though another one is behind it'}: ${foreign.evidence} Fix that first.`
        : steps.some((s) => s.status === 'todo') || !ownError
          ? `${headed ? 'The' : 'Sync Doctor sees this cause too: the'} steps marked "to do" name the findings that say what is missing.`
          : `${headed ? '' : 'Sync Doctor sees this cause too: '}${findingPointer(ownError, own, steps, headed)}`;
    if (otherCauses.length) summary += ` It also finds ${causes}: ${otherText}.`;
    // Nothing blocking: the "Clear Suspension" step points here for the checks not made.
    if (v.byHand && v.blocking.length === 0) summary += ` ${capital(v.byHand)} too.`;
  } else if (checked.some((j) => j.status === 'unknown' && !j.outcome)) {
    agreement = 'not-judged';
    // Under the heading "Not checked": what was not read, not "could not check this cause" again.
    const unread = checked.find((j) => j.status === 'unknown' && !j.outcome)!.evidence;
    summary = headed
      ? unread
      : `Sync Doctor could not check this cause from what it read: ${unread}`;
    if (v.byHand && v.blocking.length === 0) summary += ` ${capital(v.byHand)} too.`;
  } else if (otherCauses.length) {
    agreement = 'other-cause';
    summary = `HubSpot reported ${title}, but ${
      checked.length ? `${NOW_FINE[reason]}` : 'Sync Doctor cannot see that cause from Salesforce'
    }. It finds ${otherCauses.length === 1 ? 'a different blocking cause' : 'different blocking causes'}: ${otherText}. Fix ${otherCauses.length === 1 ? 'it' : 'them'} first, or HubSpot suspends the sync again.`;
  } else if (checked.length === 0) {
    agreement = 'not-visible';
    // Under the heading "Outside what Salesforce shows": not "cannot see this cause" again.
    summary = `${headed ? 'The steps marked "Not checked" are yours to check. Sync Doctor\'s' : 'Sync Doctor cannot see this cause from Salesforce: the steps marked "Not checked" are yours to check. Its'} own checks find nothing blocking${v.risksText}.${v.byHand ? ` ${capital(v.byHand)} too.` : ''}`;
  } else if (v.unchecked && HIDDEN_IN_UNREAD_PARTS.has(reason)) {
    // Its own steps pass, but the causes HubSpot reports under this reason lie in what was not read.
    agreement = 'not-judged';
    summary = `${headed ? capital(NOW_FINE[reason]) : `Sync Doctor could not check this cause from what it read: ${NOW_FINE[reason]}`}, but a frozen user, logins refused by IP ranges or login hours, or a user not approved for HubSpot's connected app suspend the sync for it too. ${capital(v.byHand)} before you clear the suspension.`;
  } else if (decider) {
    // Salesforce's side is right, but what decides the reason is HubSpot's: never "fixed".
    agreement = 'check-in-hubspot';
    const byHand = v.byHand ? ` ${capital(v.byHand)} too.` : '';
    const risks =
      diagnosis.verdict === 'at-risk' && otherRisks
        ? ` Sync Doctor also reports ${risk ? 'other ' : ''}risks (warnings): review them too.`
        : '';
    // The heading says "At risk of this cause" or "Salesforce's side looks right": not again.
    const side = risk
      ? `${headed ? riskListed : `At risk of this cause ${riskAt}.`} What decides this cause is in HubSpot`
      : `${headed ? capital(NOW_FINE[reason]) : `Salesforce's side looks right: ${NOW_FINE[reason]}`}. But what decides this cause is in HubSpot`;
    summary = `${side}, which Sync Doctor cannot see. Before you ${entry.liftedBy}, do step ${decidingIndex + 1}: ${decider.decides}.${byHand}${risks}`;
  } else {
    // This cause is gone in what Sync Doctor read. Not read is not fine: a frozen or IP-blocked
    // user gets the sync suspended again, so while checks were not made it is never "fixed".
    agreement = v.byHand ? 'partly-checked' : 'fixed-since';
    const risks =
      diagnosis.verdict === 'at-risk' && otherRisks
        ? ` Sync Doctor still reports ${risk ? 'other ' : ''}risks (warnings): review them too.`
        : '';
    const now = capital(NOW_FINE[reason]);
    // Under the heading "Below the limit now, but at risk": only where the risk is listed.
    const atRisk = risk
      ? headed
        ? riskListed
        : `${now}, but at risk of this cause ${riskAt}.`
      : `${now}.`;
    summary = v.byHand
      ? `${atRisk} Before you ${entry.liftedBy}, ${v.byHand}, or HubSpot may suspend the sync again.${risks}`
      : // The fact only: the catalog's "Clear Suspension" step (and the report's) says to clear;
        // "Fixed since HubSpot reported it? ... Clear the suspension in HubSpot." said it twice.
        `${atRisk}${risks}`;
  }
  return { reason, steps, agreement, summary, otherCauses, alsoFound, ...(risk ? { risk } : {}) };
}
