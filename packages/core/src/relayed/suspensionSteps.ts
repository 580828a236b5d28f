/**
 * checkSuspensionSteps: HubSpot's reported suspension reason read against the live diagnosis. The
 * catalog's remedy steps are generic ("assign the HubSpot permission set"); the diagnosis often
 * already knows whether a step is done (the set is assigned), still to do (and which findings say
 * what is missing) or beyond what Salesforce shows (HubSpot's settings, "Clear Suspension"). It also
 * says when the diagnosis disagrees with HubSpot: the cause is gone now, or a different one blocks.
 * Pure: the LWC's suspension panel and the plain-text report call it alike.
 */
import { RULES } from '../diagnosis/rules.js';
import { OBJECT_RIGHT_LABELS, joinList, minute, percent, thousands } from '../diagnosis/text.js';
import { API_WARNING_RATIO } from '../diagnosis/limits.js';
import {
  HUBSPOT_ALLOCATION_PLACE,
  HUBSPOT_MAPPINGS_PLACE,
  HUBSPOT_SYNC_HEALTH_PLACE,
} from '../diagnosis/hubspotPlaces.js';
import { fieldFails } from '../diagnosis/fields.js';
import type { Diagnosis, Finding, GrantCheck, ObjectResult } from '../diagnosis/types.js';
import { suspensionReason } from '../reasons/catalog.js';
import { CAUSES } from '../reasons/causes.js';
import { ruleLabel, subjectLabel } from '../report/labels.js';
import type { ReasonCode } from '../reasons/codes.js';
import type { ObjectAccess } from '../requirements/types.js';
import { HUBSPOT_PERMISSION_SET } from '../requirements/defaults.js';
import { uncheckedList } from '../snapshot/unchecked.js';
import type { RelayedStatus } from './status.js';
import {
  currentSyncErrors,
  syncErrorFieldChoices,
  syncErrorSureFieldChoices,
} from './syncErrors.js';

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

interface Judgement {
  status: SuspensionStepStatus;
  evidence: string;
  findings?: Finding[];
  /** True when Salesforce shows what this step is about (so the step counts for the agreement). */
  checked?: boolean;
  /** With checked: the cause is absent now, though the step is not done (counts as done for the agreement). */
  outcome?: SuspensionStepOutcome;
  notYet?: true;
  /**
   * On a step Sync Doctor cannot see that decides the reason: what to do there before clearing the
   * suspension, as a clause ('check the property mappings in ...').
   */
  decides?: string;
  /** On the click in HubSpot that lifts the suspension (hubspotClick). */
  click?: true;
}

/** Whole amounts (requests, MB) as the report writes them: 12345 -> '12,345'. */
const amount = (value: number): string => thousands(Math.round(value));

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function sourcesText(labels: readonly string[]): string {
  const unique = [...new Set(labels)];
  if (unique.length <= 3) return joinList(unique);
  return `${unique.slice(0, 3).join(', ')} and ${plural(unique.length - 3, 'other')}`;
}

/**
 * How a required set is assigned, from its sources' labels: 'assigned directly', 'assigned through
 * the group 'Sales Ops'', or both ("through Permission set: HubSpot Integration Permissions" named
 * the set itself as how it was assigned).
 */
function assignedHow(labels: readonly string[]): string {
  const GROUP = 'Permission set group: ';
  const groups = [...new Set(labels.filter((l) => l.startsWith(GROUP)))].map(
    (l) => `'${l.slice(GROUP.length)}'`,
  );
  const direct = labels.some((l) => !l.startsWith(GROUP));
  const through = groups.length
    ? `through the group${groups.length > 1 ? 's' : ''} ${joinList(groups)}`
    : '';
  if (direct && through) return `assigned directly and ${through}`;
  return through ? `assigned ${through}` : 'assigned directly';
}

const isProblem = (f: Finding) => f.severity === 'error' || f.severity === 'warning';

/** The diagnosis as the judges read it. */
class View {
  constructor(
    readonly d: Diagnosis,
    /** HubSpot's own words about the suspension (the relayed title and excerpt), '' when none. */
    readonly hubspotWords = '',
    /**
     * What HubSpot's exported sync errors leave unsettled: fields they name that the org has on
     * none of their objects (deleted, renamed, or a label that looked like a field name), and
     * field-permission groups the relay could not carry (fieldGroupsLeftOut).
     */
    readonly syncErrors: { unfound: string[]; leftOut: number } = { unfound: [], leftOut: 0 },
  ) {}

  problems(predicate: (f: Finding) => boolean): Finding[] {
    return this.d.findings.filter((f) => isProblem(f) && predicate(f));
  }

  grant(kind: GrantCheck['kind'], name: string): GrantCheck | undefined {
    const lower = name.toLowerCase();
    return (this.d.grants ?? []).find((g) => g.kind === kind && g.name.toLowerCase() === lower);
  }

  limit(name: string) {
    return this.d.limits.find((l) => l.name === name);
  }

  get blocking(): Finding[] {
    return this.d.findings.filter((f) => f.severity === 'error');
  }

  /**
   * ', but 1 risk in its findings could get the sync suspended again' after "nothing blocking":
   * the diagnosis's warnings, '' when it has none.
   */
  get risksText(): string {
    const n = this.d.findings.filter((f) => f.severity === 'warning').length;
    return n === 0
      ? ''
      : `, but ${plural(n, 'risk')} in its findings could get the sync suspended again`;
  }

  /** What the diagnosis could not check ('frozen state and Login History'), '' when it checked all. */
  get unchecked(): string {
    return Array.isArray(this.d.unchecked) ? uncheckedList(this.d.unchecked) : '';
  }

  /**
   * 'check by hand what Sync Doctor could not read (frozen state and Login History)', '' when it
   * checked all: the one sentence of the summary that asks for it (the steps point to it, "below").
   */
  get byHand(): string {
    return this.unchecked
      ? `check by hand what Sync Doctor could not read (${this.unchecked})`
      : '';
  }
}

const capital = (text: string): string => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/**
 * HubSpot's "API access disabled" is also what a frozen user, logins refused by IP ranges or login
 * hours, and a user not approved for HubSpot's connected app look like: with those parts unread,
 * Sync Doctor cannot say its cause is gone.
 */
const HIDDEN_IN_UNREAD_PARTS: ReadonlySet<ReasonCode> = new Set<ReasonCode>([
  'API_ACCESS_DISABLED',
]);

/** "Clear Suspension" (or any other click in HubSpot): never visible, but say whether it is time. */
function hubspotClick(v: View): Judgement {
  const blocking = v.blocking.length;
  const unchecked = v.unchecked;
  // Nothing blocking is not all clear: a risk (the org near its API limit) suspends it again.
  const risks = v.risksText;
  return {
    status: 'unknown',
    evidence:
      blocking === 0
        ? // The summary, below the steps, asks for the checks by hand: said there once.
          `This step is in HubSpot, which Sync Doctor cannot see. Sync Doctor's checks find nothing blocking now${risks}${unchecked ? '; some it could not make, and they come first (below)' : ''}.`
        : `This step is in HubSpot, which Sync Doctor cannot see. Not yet: ${plural(blocking, 'blocking finding')} ${blocking === 1 ? 'remains' : 'remain'} in Sync Doctor's findings.`,
    click: true,
    ...(blocking > 0 ? { notYet: true as const } : {}),
  };
}

function unseen(evidence: string): Judgement {
  return { status: 'unknown', evidence };
}

const HUBSPOT_SIDE = 'A HubSpot setting or action: Sync Doctor reads only Salesforce.';
const OUTSIDE = 'Outside what Sync Doctor can read from Salesforce.';

function grantStep(
  v: View,
  kind: GrantCheck['kind'],
  name: string,
  label: string,
  findings: Finding[],
): Judgement {
  const grant = v.grant(kind, name);
  const verb = kind === 'permissionSet' ? 'assigned' : 'granted';
  if (grant?.granted === true)
    return {
      status: 'done',
      checked: true,
      evidence:
        kind === 'permissionSet'
          ? `${label} is ${assignedHow(grant.by)}.`
          : `${label} is ${verb} through ${sourcesText(grant.by)}.`,
      findings,
    };
  const errors = findings.filter((f) => f.severity === 'error');
  if (grant?.granted === false && errors.length)
    return { status: 'todo', checked: true, evidence: `${label} is not ${verb}.`, findings };
  // Mid-sentence: 'whether the permission set ...', not 'whether The permission set ...'.
  const inSentence = label.replace(/^The /, 'the ');
  return {
    status: 'unknown',
    checked: true,
    evidence: findings.length
      ? `Sync Doctor could not tell whether ${inSentence} is ${verb}: see the finding.`
      : `Sync Doctor could not tell whether ${inSentence} is ${verb}: Sync Doctor read no permission set assignments.`,
    findings,
  };
}

function lacking(o: ObjectResult): ObjectAccess[] {
  if (o.exists === false) return o.required as ObjectAccess[];
  return (o.required as ObjectAccess[]).filter((r) => !o.effective[r]);
}

function unjudged(o: ObjectResult): boolean {
  if (o.missing !== undefined) return false;
  // Task and User always carry `missing` once judged; a note says so for the others.
  return (
    (typeof o.note === 'string' && o.note.startsWith('Not judged')) ||
    o.rule === RULES.taskEditTasks ||
    o.rule === RULES.userVisibility
  );
}

/** The findings that these objects' rights are missing (or the object is gone), org-wide defaults aside. */
function objectRightFindings(v: View, objects: readonly ObjectResult[]): Finding[] {
  const names = new Set(objects.map((o) => o.name.toLowerCase()));
  return v.problems(
    (f) =>
      names.has(f.subject.toLowerCase()) &&
      f.rule !== RULES.orgWideDefault &&
      (f.reason === 'OBJECT_PERMISSIONS_MISSING' || f.rule === RULES.objectDeleted),
  );
}

/** Required object rights on a set of objects: granted, missing (with the findings), or not judged. */
function objectStep(v: View, objects: ObjectResult[], none: string): Judgement {
  if (objects.length === 0) return { status: 'done', checked: true, evidence: none };
  const findings = objectRightFindings(v, objects);
  const missing = objects
    .filter((o) => !unjudged(o) && lacking(o).length > 0)
    .map((o) =>
      o.exists === false
        ? `${o.name} (not in the org)`
        : `${joinList(lacking(o).map((r) => OBJECT_RIGHT_LABELS[r]))} on ${o.name}`,
    );
  if (missing.length)
    return { status: 'todo', checked: true, evidence: `Missing: ${missing.join('; ')}.`, findings };
  const notJudged = objects.filter(unjudged);
  if (notJudged.length)
    return {
      status: 'unknown',
      checked: true,
      evidence: `Not judged on ${joinList(notJudged.map((o) => o.name))}${notJudged.find((o) => o.note)?.note ? `: ${notJudged.find((o) => o.note)!.note}` : '.'}`,
      findings,
    };
  return {
    status: 'done',
    checked: true,
    evidence: `Every required right on ${joinList(objects.map((o) => o.name))} is granted, by ${sourcesText(objects.flatMap((o) => o.grantedBy))}.`,
    findings,
  };
}

const FIELD_RULES = new Set<string>([
  RULES.fieldLevelSecurity,
  RULES.adminDataPermissionsNoFls,
  RULES.fieldNotFound,
]);

/**
 * Mapped fields whose own field-level security is right but whose object's access stops them (the
 * field table's "Blocked by object"), with the objects that block them, what those lack and the
 * findings that say so (on the object, where the core reports it once).
 */
function blockedByObject(v: View): {
  count: number;
  text: string;
  findings: Finding[];
} {
  const byName = new Map(v.d.objects.map((o) => [o.name.toLowerCase(), o]));
  const blocked = v.d.fields.filter(
    (f) =>
      f.exists !== false && Array.isArray(f.missing) && f.missing.length === 0 && fieldFails(f),
  );
  const objects: ObjectResult[] = [];
  for (const f of blocked) {
    const o = byName.get(f.name.slice(0, f.name.indexOf('.')).toLowerCase());
    if (o && !objects.includes(o)) objects.push(o);
  }
  const findings = objectRightFindings(v, objects);
  const text = joinList(
    objects.map((o) => {
      const rights = lacking(o);
      return rights.length
        ? `${o.name} lacks ${joinList(rights.map((r) => OBJECT_RIGHT_LABELS[r]))}`
        : `${o.name}'s access blocks them`;
    }),
  );
  return { count: blocked.length, text, findings };
}

function fieldStep(v: View, all: boolean): Judgement {
  const findings = v.problems(
    // A finding without a rule comes from an older producer: count it, it names a field.
    (f) => f.reason === 'FIELD_PERMISSIONS_MISSING' && (!f.rule || FIELD_RULES.has(f.rule)),
  );
  const notJudged = v.problems(
    (f) => f.rule === RULES.sectionAbsent && f.reason === 'FIELD_PERMISSIONS_MISSING',
  );
  // A mapped field that does not exist has no access to judge: "Missing field mappings" names it.
  const fields = v.d.fields.filter((f) => f.exists !== false);
  const blocked = blockedByObject(v);
  // Field-level security right, yet the field cannot be synced: never "every mapped field passes".
  const blockedText = (more: boolean) =>
    `${more ? `${blocked.count} more` : `${blocked.count} of them`} cannot be synced: ${blocked.text} (see Object permissions).`;
  if (findings.length)
    return {
      status: 'todo',
      checked: true,
      evidence: `${plural(findings.length, 'mapped field')} still ${findings.length === 1 ? 'lacks' : 'lack'} access: ${joinList(findings.slice(0, 5).map((f) => f.subject))}${findings.length > 5 ? ' and more' : ''}.${blocked.count ? ` ${blockedText(true)}` : ''}`,
      findings: [...findings, ...blocked.findings],
    };
  const unjudgedFields = fields.filter((f) => f.note?.includes('Not judged'));
  if (notJudged.length || unjudgedFields.length)
    return {
      status: 'unknown',
      checked: true,
      evidence: 'Field-level security could not be judged from what Sync Doctor read.',
      findings: notJudged,
    };
  if (blocked.count)
    return {
      status: blocked.findings.length ? 'todo' : 'unknown',
      checked: true,
      evidence: `Field-level security is right on ${fields.length === 1 ? 'the 1 mapped field' : `all ${fields.length} mapped fields`}, but ${blockedText(false)}`,
      findings: blocked.findings,
    };
  return {
    status: 'done',
    checked: true,
    evidence: all
      ? `All ${plural(fields.length, 'mapped field')} Sync Doctor checks have the access HubSpot needs (fields reached only through lookups are checked when they are mapped).`
      : `Every mapped field passes: all ${plural(fields.length, 'field')} Sync Doctor checks have the access HubSpot needs.`,
  };
}

/** Where HubSpot names the field it could not read or write, and what to do with it in Sync Doctor. */
const SYNC_ERRORS_PLACE = `HubSpot's sync errors (${HUBSPOT_SYNC_HEALTH_PLACE} > Sync errors, or the relay's sync-errors export)`;

/**
 * A dotted name in HubSpot's words (its group 1), whole: not preceded by a letter, digit, '_' or '.' (so not
 * 'XContact.Email' nor the tail of 'a.Contact.Email'), and not followed by a letter, digit or '_'
 * (so not 'Contact.Email2__c'); a sentence's full stop after it is not part of it.
 */
const DOTTED_NAME =
  /(?:^|[^\p{L}\p{N}_.])([\p{L}_][\p{L}\p{N}_]*(?:\.[\p{L}_][\p{L}\p{N}_]*)+)(?![\p{L}\p{N}_])/gu;

/** A custom object's or field's suffix ('__c', '__r', '__mdt'...): a Salesforce name, whatever the object. */
const CUSTOM_SUFFIX = /__[a-z]+$/;

/**
 * The Object.Field names in HubSpot's own words (the relayed title and excerpt), every occurrence,
 * whole: `checked` those Sync Doctor checks (a mapped field that exists), as the diagnosis spells
 * them, in its order; `unknown` whether HubSpot names any other field: a dotted name on an object
 * Sync Doctor knows, or with a custom suffix ('MyContact.Email__c'). Other dotted words (a web
 * address, 'e.g') are no field.
 */
function fieldsNamedByHubSpot(v: View): { checked: string[]; unknown: boolean } {
  const words = v.hubspotWords.toLowerCase();
  const checkedFields = v.d.fields.filter((f) => f.exists !== false).map((f) => f.name);
  const byName = new Map(checkedFields.map((name) => [name.toLowerCase(), name]));
  const objects = new Set([
    ...v.d.objects.map((o) => o.name.toLowerCase()),
    ...v.d.fields.map((f) => f.name.split('.')[0]!.toLowerCase()),
  ]);
  const found = new Set<string>();
  let unknown = false;
  for (const [, name = ''] of words.matchAll(DOTTED_NAME)) {
    const known = byName.get(name);
    if (known) found.add(known);
    else if (objects.has(name.split('.')[0]!) || name.split('.').some((p) => CUSTOM_SUFFIX.test(p)))
      unknown = true;
  }
  return { checked: checkedFields.filter((name) => found.has(name)), unknown };
}

/**
 * "Find the field": Sync Doctor checks only the mapped fields it knows (the defaults and the saved
 * extra fields); HubSpot may map others. Every known field passing says nothing of a field mapped
 * only in HubSpot, so the step is done only when Sync Doctor's findings name a failing field, or
 * every field HubSpot's own words name is one Sync Doctor checked. Otherwise it decides the reason (never
 * "fixed"): the field named in HubSpot's sync errors has to be found and added to the required fields.
 */
function findFieldStep(v: View): Judgement {
  const step = fieldStep(v, false);
  // Finding them is done: the findings (and the field table) name them; the next steps fix them.
  if (step.status === 'todo')
    return {
      ...step,
      status: 'done',
      evidence: `Sync Doctor's findings name them. ${step.evidence}`,
    };
  if (step.status !== 'done') return step;
  // The sync errors name a field the org does not have, or more fields than the relay carried:
  // what failed cannot be checked here, so the cause is never read fixed.
  const { unfound, leftOut } = v.syncErrors;
  if (unfound.length || leftOut)
    return {
      status: 'unknown',
      evidence: [
        unfound.length
          ? `HubSpot's sync errors name ${joinList(unfound.slice(0, 5))}${unfound.length > 5 ? ' and more' : ''}, which Sync Doctor did not find in this org: deleted, renamed, hidden from the user who read the org, or a HubSpot label rather than a Salesforce field name. Check ${unfound.length === 1 ? 'it' : 'them'} in Setup > Object Manager, or the mapping in HubSpot, before you clear the suspension.`
          : '',
        leftOut
          ? `HubSpot's sync errors name more fields than the relay carried into Salesforce (${plural(leftOut, 'field-permission group')} left out): read the whole export in ${SYNC_ERRORS_PLACE} before you clear the suspension.`
          : '',
      ]
        .filter(Boolean)
        .join(' '),
      decides: `check the fields HubSpot's sync errors name that Sync Doctor could not check, in ${SYNC_ERRORS_PLACE}`,
    };
  // Done only when every field HubSpot names is one Sync Doctor checks (and all of those pass): a
  // field it names beside them that Sync Doctor does not know may be the one still failing.
  const { checked: named, unknown } = fieldsNamedByHubSpot(v);
  if (named.length && !unknown)
    return {
      status: 'done',
      checked: true,
      evidence: `HubSpot's message names ${joinList(named)}, which Sync Doctor checks: ${named.length === 1 ? 'it has' : 'they have'} the access HubSpot needs now.`,
    };
  const known = plural(v.d.fields.filter((f) => f.exists !== false).length, 'mapped field');
  return {
    status: 'unknown',
    evidence: `Not checked: the ${known} Sync Doctor knows of pass, but a field mapped only in HubSpot is not known to Sync Doctor. Find the field named in ${SYNC_ERRORS_PLACE}, and add it to Sync Doctor's required fields before you clear the suspension.`,
    decides: `find the field named in ${SYNC_ERRORS_PLACE}: a field mapped only in HubSpot is not known to Sync Doctor, so add it to Sync Doctor's required fields and check again`,
  };
}

/** Data and file storage: room left, or full (with the finding). */
function storageStep(v: View): Judgement {
  const limits = ['DataStorageMB', 'FileStorageMB']
    .map((name) => v.limit(name))
    .filter((l) => l !== undefined);
  const findings = v.problems((f) => f.reason === 'STORAGE_LIMIT_EXCEEDED');
  if (limits.length === 0)
    return {
      status: 'unknown',
      checked: true,
      evidence: 'The storage limits were not read.',
      findings,
    };
  const full = findings.filter((f) => f.severity === 'error');
  const reading = limits
    .map(
      (l) =>
        `${l.name === 'DataStorageMB' ? 'data' : 'file'} storage ${percent(l.ratio)} used (${amount(l.used)} of ${amount(l.max)} MB)`,
    )
    .join(', ');
  if (full.length)
    return { status: 'todo', checked: true, evidence: `Still full: ${reading}.`, findings };
  // Room in one storage says nothing of the other: a limit not read is no room.
  if (limits.length < 2)
    return {
      status: 'unknown',
      checked: true,
      evidence: `The ${limits[0]!.name === 'DataStorageMB' ? 'file' : 'data'} storage limit was not read (${reading}).`,
      findings,
    };
  // Room now, but near full (a warning): at risk, not "Not the cause now".
  if (findings.some((f) => f.severity === 'warning'))
    return {
      status: 'unknown',
      outcome: 'at-risk',
      checked: true,
      evidence: `At risk: there is room, but little, ${reading}.`,
      findings,
    };
  // Room now is no space freed: whether it was full when HubSpot suspended the sync is not shown.
  return {
    status: 'unknown',
    outcome: 'not-the-cause',
    checked: true,
    evidence: `Not the cause now: there is room, ${reading}.`,
    findings,
  };
}

/** The org at or near its own daily API limit (the threshold of the diagnosis's warning). */
function orgNearApiLimit(v: View): boolean {
  const api = v.limit('DailyApiRequests');
  return api !== undefined && api.ratio >= API_WARNING_RATIO;
}

/** Editions that include API access; Professional only with the API add-on. */
const API_EDITIONS = /\b(enterprise|unlimited|performance|developer)\b/i;

/** "Check that the org's edition includes API access": the edition, when the snapshot has it. */
function editionStep(v: View): Judgement {
  const edition = v.d.edition;
  if (!edition)
    return unseen(
      "Sync Doctor did not read the org's edition: Setup > Company Information shows it.",
    );
  if (API_EDITIONS.test(edition))
    return {
      status: 'done',
      checked: true,
      evidence: `Sync Doctor read the org's edition: ${edition}, which includes API access.`,
    };
  if (/\bprofessional\b/i.test(edition))
    return unseen(
      `Sync Doctor read the org's edition: ${edition}, which includes API access only with the API add-on, and Sync Doctor cannot see add-ons.`,
    );
  return unseen(
    `Sync Doctor read the org's edition: ${edition}, not one it knows to include API access: check it with Salesforce.`,
  );
}

function apiReading(v: View): string | undefined {
  const api = v.limit('DailyApiRequests');
  if (!api) return undefined;
  return `${percent(api.ratio)} of the org's daily API requests are used (${amount(api.used)} of ${amount(api.max)})`;
}

/**
 * HubSpot's article makes the lookup step conditional: only if the user already has the rights on
 * the synced objects is the cause a cross-related object. While those rights are still to do, the
 * lookup step is not "Done" even when its objects are granted: its cause is not the one now.
 */
function lookupAfterObjects(objects: Judgement, lookups: Judgement): [Judgement, Judgement] {
  if (objects.status !== 'todo' || lookups.status !== 'done') return [objects, lookups];
  return [
    objects,
    {
      ...lookups,
      status: 'unknown',
      outcome: 'not-the-cause',
      evidence: `Not the cause now: the step before is still to do, and ${lookups.evidence.charAt(0).toLowerCase()}${lookups.evidence.slice(1)}`,
    },
  ];
}

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
