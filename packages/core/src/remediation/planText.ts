/**
 * The plan in words: its summary and title, and the lines and counts of the object rights it grants
 * that the app's card, its confirmation dialog and its toast share.
 */
import { OBJECT_RIGHT_LABELS, joinList } from '../diagnosis/text.js';
import { OBJECT_RIGHTS } from '../requirements/objectRights.js';
import type { ObjectAccess } from '../requirements/types.js';
import { REMEDIATION_PERMISSION_SET } from './remediationSet.js';
import type { PlannedObjectRight, RemediationPlan } from './types.js';

/** 'Create and Edit'. */
export function rightsText(rights: readonly ObjectAccess[]): string {
  return joinList(
    OBJECT_RIGHTS.filter((r) => rights.includes(r)).map((r) => OBJECT_RIGHT_LABELS[r]),
  );
}

/** 'Create and Edit on Contact, Read on Account and Lead': by object, objects with the same rights together. */
function rightsOnObjects(rights: readonly PlannedObjectRight[]): string {
  const byObject = new Map<string, { object: string; rights: ObjectAccess[] }>();
  for (const r of rights) {
    const key = r.sobjectType.toLowerCase();
    const entry = byObject.get(key) ?? { object: r.sobjectType, rights: [] };
    entry.rights.push(r.right);
    byObject.set(key, entry);
  }
  const byRights = new Map<string, string[]>();
  for (const { object, rights: objectRights } of byObject.values()) {
    const text = rightsText(objectRights);
    byRights.set(text, [...(byRights.get(text) ?? []), object]);
  }
  return [...byRights].map(([text, objects]) => `${text} on ${joinList(objects)}`).join(', ');
}

const SAME_SET = 'Salesforce needs in the same permission set';

/**
 * How many object rights the plan puts into the set, and of what kind, in the words the summary,
 * the dialog and the toast share: '4 object rights: 2 missing, 2 already granted elsewhere that
 * Salesforce needs in the same permission set'. '' when it grants none.
 */
export function objectRightsCountText(plan: Pick<RemediationPlan, 'objectRights'>): string {
  const rights = plan.objectRights ?? [];
  if (rights.length === 0) return '';
  const kinds = objectRightKinds(rights);
  const total = count(rights.length, 'object right');
  if (kinds.missing.length === rights.length) return total;
  return `${total}: ${kindClauses(kinds, false).join(', ')}`;
}

function objectRightKinds(rights: readonly PlannedObjectRight[]) {
  return {
    missing: rights.filter((r) => r.missing),
    elsewhere: rights.filter((r) => !r.missing && r.grantedElsewhere === true),
    notElsewhere: rights.filter((r) => !r.missing && r.grantedElsewhere !== true),
  };
}

function kindClauses(kinds: ReturnType<typeof objectRightKinds>, named: boolean): string[] {
  const names = (rights: readonly PlannedObjectRight[]) =>
    named ? `: ${rightsOnObjects(rights)}` : '';
  const clauses: string[] = [];
  if (kinds.missing.length) clauses.push(`${kinds.missing.length} missing${names(kinds.missing)}`);
  if (kinds.elsewhere.length)
    clauses.push(
      `${kinds.elsewhere.length} already granted elsewhere that ${SAME_SET}${names(kinds.elsewhere)}`,
    );
  if (kinds.notElsewhere.length)
    clauses.push(`${kinds.notElsewhere.length} more that ${SAME_SET}${names(kinds.notElsewhere)}`);
  return clauses;
}

/**
 * The confirmation dialog's line for each row of `objectPermissions`, in its order: the missing
 * rights, then those Salesforce needs in the same set, apart and said why: 'Contact: Create, Edit;
 * Read (already granted elsewhere; Salesforce needs it in the same permission set for Create and
 * Edit on Contact)'. Every right of `objectRights` is in one line, so the lines hold its count.
 */
export function objectGrantLines(
  plan: Pick<RemediationPlan, 'objectPermissions' | 'objectRights'>,
): { sobjectType: string; text: string }[] {
  return plan.objectPermissions.map((row) => {
    const rights = (plan.objectRights ?? []).filter(
      (r) => r.sobjectType.toLowerCase() === row.sobjectType.toLowerCase(),
    );
    const labels = (list: readonly PlannedObjectRight[]) =>
      list.map((r) => OBJECT_RIGHT_LABELS[r.right]).join(', ');
    const why = (list: readonly PlannedObjectRight[], elsewhere: boolean) => {
      const it = list.length === 1 ? 'it' : 'them';
      const neededFor = list[0]?.neededFor ? ` for ${list[0].neededFor}` : '';
      return `${labels(list)} (${elsewhere ? 'already granted elsewhere; ' : ''}Salesforce needs ${it} in the same permission set${neededFor})`;
    };
    const kinds = objectRightKinds(rights);
    const parts: string[] = [];
    if (kinds.missing.length) parts.push(labels(kinds.missing));
    if (kinds.elsewhere.length) parts.push(why(kinds.elsewhere, true));
    if (kinds.notElsewhere.length) parts.push(why(kinds.notElsewhere, false));
    return { sobjectType: row.sobjectType, text: `${row.sobjectType}: ${parts.join('; ')}` };
  });
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * 'Grant 4 object rights (2 missing: Create and Edit on Contact; 2 already granted elsewhere that
 * Salesforce needs in the same permission set: Read on Contact and Account)': every right the set
 * gets (objectRights, the dialog's and the toast's count too), with the missing ones (the object
 * matrix's count) told apart from those Salesforce needs beside them, or the matrix's "every
 * required object right is granted" and the card's count would contradict each other. A long plan
 * (an org without the HubSpot set) names no objects: the dialog lists them all.
 */
function objectRightsText(rights: readonly PlannedObjectRight[]): string {
  const missing = rights.filter((r) => r.missing);
  if (missing.length === 0) return '';
  const named = new Set(missing.map((r) => r.sobjectType.toLowerCase())).size <= 3;
  const total = count(missing.length, 'object right');
  return named ? `${total} (${rightsOnObjects(missing)})` : total;
}

/**
 * The rights the set gets only because Salesforce needs them beside what is granted, as a clause
 * after the grants: 'also writes Read on Account and Contact into it: Salesforce needs them there'.
 * The summary leads with what is missing ("Grant 2 object rights (2 already granted elsewhere…)"
 * read as if two rights were missing when none was).
 */
function sameSetClause(rights: readonly PlannedObjectRight[]): string {
  const extra = rights.filter((r) => !r.missing);
  if (extra.length === 0) return '';
  const it = extra.length === 1 ? 'it' : 'them';
  const named = new Set(extra.map((r) => r.sobjectType.toLowerCase())).size <= 3;
  const what = named ? rightsOnObjects(extra) : count(extra.length, 'more object right');
  return ` (also writes ${what} into it: Salesforce needs ${it} there)`;
}

export function summarize(plan: RemediationPlan): string {
  if (plan.isEmpty) return 'Nothing to fix: the integration user has every required right.';
  const parts: string[] = [];
  const grants: string[] = [];
  if (plan.assignFirst) {
    // Counted as the matrix and the field table count what is missing; the grants themselves wait.
    const missingRights = plan.objectRights.filter((r) => r.missing).length;
    if (missingRights) grants.push(count(missingRights, 'object right'));
  } else {
    const objectRights = objectRightsText(plan.objectRights);
    if (objectRights) grants.push(objectRights);
  }
  const sameSet = plan.assignFirst ? '' : sameSetClause(plan.objectRights);
  if (plan.fieldPermissions.length)
    grants.push(count(plan.fieldPermissions.length, 'field permission'));
  if (plan.systemPermissions.length)
    grants.push(count(plan.systemPermissions.length, 'system permission'));
  if (plan.connectedApps.length)
    grants.push(
      `approval for the connected app${plan.connectedApps.length > 1 ? 's' : ''} ${joinList(plan.connectedApps.map((app) => `"${app.name}"`))}`,
    );
  const sets = plan.assignPermissionSets.map((n) => `'${n}'`).join(', ');
  if (plan.assignFirst && grants.length) {
    const one = plan.assignPermissionSets.length === 1;
    parts.push(
      `assign ${sets} first, then check again: Sync Doctor cannot see what ${one ? 'it grants' : 'they grant'} until ${one ? 'it is' : 'they are'} assigned, and ${one ? 'it' : 'they'} may grant what is missing now (${grants.join(', ')}); what is still missing after that, Sync Doctor grants through the permission set '${REMEDIATION_PERMISSION_SET}'`,
    );
  } else {
    if (plan.assignPermissionSets.length) parts.push(`assign ${sets}`);
    if (grants.length)
      parts.push(
        `grant ${grants.join(', ')} through the permission set '${REMEDIATION_PERMISSION_SET}'${sameSet}`,
      );
  }
  // Counted by place: a HubSpot step is not done in Salesforce (and titleOf names both places).
  const inHubSpot = plan.manualSteps.filter((s) => s.where === 'hubspot').length;
  const inSalesforce = plan.manualSteps.length - inHubSpot;
  if (inSalesforce) parts.push(`do ${count(inSalesforce, 'step')} by hand in Salesforce`);
  if (inHubSpot) parts.push(`do ${count(inHubSpot, 'step')} in HubSpot`);
  const text = parts.join('; ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/**
 * The plan's heading, by where its fixes are done: every grant and assignment in Salesforce, each
 * manual step where its `where` says. An empty plan has nothing in HubSpot, so it reads Salesforce.
 */
export function titleOf(plan: RemediationPlan): string {
  const inHubSpot = plan.manualSteps.some((s) => s.where === 'hubspot');
  const inSalesforce =
    plan.assignPermissionSets.length +
      plan.objectPermissions.length +
      plan.fieldPermissions.length +
      plan.systemPermissions.length +
      plan.connectedApps.length >
      0 || plan.manualSteps.some((s) => s.where !== 'hubspot');
  if (inHubSpot && inSalesforce) return 'Fix it in Salesforce and HubSpot';
  return inHubSpot ? 'Fix it in HubSpot' : 'Fix it in Salesforce';
}
