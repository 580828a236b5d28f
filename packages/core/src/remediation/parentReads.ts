/**
 * Read on the parents Salesforce insists on: a permission set that grants rights on Contact must
 * read Account in that same set, a detail its master. The plan adds those Reads, and orders its rows
 * so that each parent is saved before the children that need it.
 */
import type { Diagnosis } from '../diagnosis/types.js';
import { REMEDIATION_PERMISSION_SET_LABEL } from './remediationSet.js';
import type { PlannedObjectPermission } from './types.js';

/**
 * Objects whose rights in a permission set need Read on a parent object in that same set: Salesforce
 * validates each set on its own and refuses, say, Read on Contact in a set without Read on Account
 * ("Permission Read Contact depends on permission(s): Read Account"), even when another set gives
 * the user Read on Account. Contact, Opportunity and Contract depend on Account. The dependencies
 * only the org's describe shows (a custom object's master-detail masters; Contact for Account with
 * Person Accounts) come in the diagnosis's `readDependencies`. Case, Order and OpportunityLineItem
 * are left out: no evidence found that Salesforce asks for a parent's Read there.
 */
export const PARENT_OBJECTS: Readonly<Record<string, readonly string[]>> = {
  contact: ['Account'],
  opportunity: ['Account'],
  contract: ['Account'],
};

/** Whether the diagnosis saw the remediation set already granting (so reading) the object. */
function remediationSetReads(diagnosis: Diagnosis, object: string): boolean {
  const result = diagnosis.objects.find((o) => o.name.toLowerCase() === object.toLowerCase());
  return (
    result?.grantedBy.includes(`Permission set: ${REMEDIATION_PERMISSION_SET_LABEL}`) === true &&
    result.effective.read
  );
}

export type ParentLookup = (sobjectType: string) => readonly string[];

/**
 * The objects whose Read a permission set must hold for rights on an object: PARENT_OBJECTS, plus
 * what the diagnosis read off the org's describe (`readDependencies`: custom master-detail masters,
 * Contact for Account with Person Accounts). A diagnosis without them (an older producer) gets the
 * standard ones only, as before.
 */
export function parentLookup(diagnosis: Diagnosis): ParentLookup {
  const described = new Map<string, string[]>();
  for (const [object, parents] of Object.entries(diagnosis.readDependencies ?? {}))
    if (Array.isArray(parents)) described.set(object.toLowerCase(), parents);
  return (sobjectType) => {
    const key = sobjectType.toLowerCase();
    const all = [...(PARENT_OBJECTS[key] ?? []), ...(described.get(key) ?? [])];
    return all.filter(
      (p, i) =>
        p.toLowerCase() !== key && all.findIndex((q) => q.toLowerCase() === p.toLowerCase()) === i,
    );
  };
}

/**
 * Read on each parent (parentsOf) of an object the plan puts rights on, in the remediation set:
 * Salesforce refuses the child's rights there without it. A parent the plan adds is a child in turn
 * (a detail of a detail, an Account whose Person Accounts need Contact), so its own parents follow.
 * Only Read, never more; skipped when the remediation set already reads the parent (its own parents
 * were checked when that Read was saved). Each parent's `requiredBy` names the children that need it,
 * so the plan can say why (objectRightsOf).
 */
export function addParentReads(
  diagnosis: Diagnosis,
  rows: Map<string, PlannedObjectPermission>,
  row: (sobjectType: string) => PlannedObjectPermission,
  parentsOf: ParentLookup,
): void {
  const queue = [...rows.values()].filter((r) => r.read);
  const queued = new Set(queue.map((r) => r.sobjectType.toLowerCase()));
  for (let i = 0; i < queue.length; i++) {
    const child = queue[i]!;
    for (const parentName of parentsOf(child.sobjectType)) {
      const key = parentName.toLowerCase();
      const planned = rows.get(key);
      const alreadyPlanned = planned?.read === true;
      if (!alreadyPlanned && remediationSetReads(diagnosis, parentName)) continue;
      const parent = planned ?? row(parentName);
      parent.read = true;
      (parent.requiredBy ??= []).push(child.sobjectType);
      if (!queued.has(key)) {
        queued.add(key);
        queue.push(parent);
      }
    }
  }
}

/**
 * The rows in an order that reads as the saves go: each after the parents it needs (a master before
 * its detail, a grand-master before both), otherwise as given. A cycle (Account and Contact with
 * Person Accounts) keeps the order given: no order saves either first, so the appliers save its
 * rows together, in one save (saveWaves puts them in one wave).
 */
export function parentsFirst(
  rows: readonly PlannedObjectPermission[],
  parentsOf: ParentLookup,
): PlannedObjectPermission[] {
  const byKey = new Map(rows.map((r) => [r.sobjectType.toLowerCase(), r]));
  const state = new Map<string, 'visiting' | 'done'>();
  const out: PlannedObjectPermission[] = [];
  const visit = (r: PlannedObjectPermission): void => {
    const key = r.sobjectType.toLowerCase();
    if (state.has(key)) return;
    state.set(key, 'visiting');
    for (const parent of parentsOf(r.sobjectType)) {
      const p = byKey.get(parent.toLowerCase());
      if (p?.read) visit(p);
    }
    state.set(key, 'done');
    out.push(r);
  };
  rows.forEach(visit);
  return out;
}
