/**
 * The steps about the integration user's rights: a permission or permission set granted, the
 * required object rights, field-level security on the mapped fields, and finding the field HubSpot
 * names. Each reads the diagnosis' findings and results; none reads Salesforce.
 */
import { RULES } from '../../diagnosis/rules.js';
import { OBJECT_RIGHT_LABELS, joinList } from '../../diagnosis/text.js';
import { HUBSPOT_SYNC_HEALTH_PLACE } from '../../diagnosis/hubspotPlaces.js';
import { fieldFails } from '../../diagnosis/fields.js';
import type { Finding, GrantCheck, ObjectResult } from '../../diagnosis/types.js';
import type { ObjectAccess } from '../../requirements/types.js';
import { View, type Judgement, assignedHow, plural, sourcesText } from './view.js';

export function grantStep(
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
export function objectStep(v: View, objects: ObjectResult[], none: string): Judgement {
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

export function fieldStep(v: View, all: boolean): Judgement {
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
export const SYNC_ERRORS_PLACE = `HubSpot's sync errors (${HUBSPOT_SYNC_HEALTH_PLACE} > Sync errors, or the relay's sync-errors export)`;

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
export function findFieldStep(v: View): Judgement {
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
