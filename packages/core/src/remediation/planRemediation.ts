/**
 * planRemediation: the least-privilege fix for a diagnosis. It grants only what is missing, adds
 * only the dependencies Salesforce insists on (edit and create need read, delete needs edit, field
 * rights need read on their object), never grants Modify All (nor Modify All Data), and lists as
 * manual steps whatever a permission set cannot fix: an inactive user, limits, the Marketing User
 * checkbox, sharing, deleted fields. A HubSpot connected app that admits admin-approved users only
 * is approved for the remediation permission set, and so for the user.
 *
 * Its parts, beside it: findingSteps (what each finding becomes: a grant, an assignment or a manual
 * step), parentReads (the parents' Read Salesforce wants in the same set, and the save order),
 * planText (the plan in words) and remediationSet (the permission set the fix writes).
 */
import { HUBSPOT_ALLOCATION_PLACE } from '../diagnosis/limits.js';
import { RULES } from '../diagnosis/rules.js';
import type { Diagnosis, ObjectResult } from '../diagnosis/types.js';
import { joinList } from '../diagnosis/text.js';
import { OBJECT_RIGHTS, withObjectRightDependencies } from '../requirements/objectRights.js';
import type { ObjectAccess } from '../requirements/types.js';
import { saveWaves } from './saveWaves.js';
import { isSuspendedState, type RelayedStatus } from '../relayed/status.js';
import { suspensionLifting } from '../relayed/statusText.js';
import { handleFinding, type SuspensionEnding } from './findingSteps.js';
import { addParentReads, parentLookup, parentsFirst } from './parentReads.js';
import { rightsText, summarize, titleOf } from './planText.js';
import type {
  ManualStep,
  PlannedConnectedAppAccess,
  PlannedFieldPermission,
  PlannedObjectPermission,
  PlannedObjectRight,
  PlannedObjectRightName,
  RemediationPlan,
} from './types.js';

export type {
  ManualStep,
  ManualStepPlace,
  PlannedConnectedAppAccess,
  PlannedFieldPermission,
  PlannedObjectPermission,
  PlannedObjectRight,
  PlannedObjectRightName,
  RemediationPlan,
} from './types.js';

/**
 * Where "Allocated to HubSpot" is changed, in HubSpot: the words of the plan's steps and of the
 * limit findings, for a view that names the allocation (the LWC's limits card) to say it alike.
 */
export { HUBSPOT_ALLOCATION_PLACE };
export { saveWaves } from './saveWaves.js';
export * from './grantable.js';
export * from './remediationSet.js';
export { PARENT_OBJECTS } from './parentReads.js';
export { objectGrantLines, objectRightsCountText } from './planText.js';

/** Objects whose rights are not object permissions (the findings carry what to do instead). */
const NOT_OBJECT_PERMISSION_RULES = new Set<string>([RULES.taskEditTasks, RULES.userVisibility]);

function emptyRow(sobjectType: string): PlannedObjectPermission {
  return {
    sobjectType,
    read: false,
    create: false,
    edit: false,
    delete: false,
    viewAll: false,
    modifyAll: false,
    saveWave: 0,
  };
}

function missingOf(object: ObjectResult): ObjectAccess[] {
  if (object.missing) return object.missing;
  // A diagnosis without `missing` (older producer): required minus effective.
  if (object.note?.startsWith('Not judged')) return [];
  return (object.required as ObjectAccess[]).filter((r) => !object.effective[r]);
}

export interface PlanRemediationOptions {
  /**
   * HubSpot reported a suspension (a relayed status 'suspended' or 'suspected'): the HubSpot step
   * for an inactive or frozen user ends "then clear the suspension". Otherwise (none relayed, or
   * not known) it ends "then clear the suspension if HubSpot suspended the sync": a healthy org
   * whose user was frozen may never have been suspended.
   */
  suspended?: boolean;
  /**
   * The relayed status (HubSpot_Sync_Status__c as the app reads it; the CLI's and the report's):
   * `suspended` follows from it by the core's one rule (isSuspendedState). Its reason says the way
   * out: under "API access disabled", which re-entering the credentials lifts ("Clear Suspension"
   * is not the way out of it, as the app's banner says), the step ends ": reconnecting clears the
   * suspension" instead of "then clear the suspension". Callers with a status pass it here.
   */
  status?: Pick<RelayedStatus, 'state' | 'reason'> | null;
}

function suspensionEnding(options: PlanRemediationOptions): SuspensionEnding {
  const relayed = isSuspendedState(options.status);
  if (!relayed && options.suspended !== true) return 'if-suspended';
  // Lifted by re-entering the credentials, neither by "Clear Suspension" nor by itself: the core's
  // one rule (suspensionLifting), which the CLI's exit wording follows too.
  return relayed && suspensionLifting(options.status?.reason) === 'reconnect'
    ? 'reconnect-clears'
    : 'clear';
}

export function planRemediation(
  diagnosis: Diagnosis,
  options: PlanRemediationOptions = {},
): RemediationPlan {
  const rows = new Map<string, PlannedObjectPermission>();
  const row = (sobjectType: string): PlannedObjectPermission => {
    const key = sobjectType.toLowerCase();
    let r = rows.get(key);
    if (!r) rows.set(key, (r = emptyRow(sobjectType)));
    return r;
  };
  const manualSteps: ManualStep[] = [];
  // The object rights the diagnosis says are missing, per object: the unit the object matrix counts.
  const missingRights = new Map<string, { object: string; rights: ObjectAccess[] }>();
  const systemPermissions = new Set<string>();
  const assignPermissionSets: string[] = [];

  for (const object of diagnosis.objects) {
    if (object.rule && NOT_OBJECT_PERMISSION_RULES.has(object.rule)) continue;
    const missing = missingOf(object);
    if (missing.length === 0) continue;
    const r = row(object.name);
    for (const right of missing) {
      // View All and Modify All bypass sharing: never granted (grantable.ts), whoever asks them.
      if (right === 'modifyAll' || right === 'viewAll') {
        const label = right === 'modifyAll' ? 'Modify All' : 'View All';
        manualSteps.push({
          reason: 'OBJECT_PERMISSIONS_MISSING',
          subject: object.name,
          step: `${label} on ${object.name} is required, but Sync Doctor never grants ${label}: decide whether the integration user really needs it and grant it by hand.`,
          where: 'salesforce',
        });
        continue;
      }
      r[right] = true;
      const key = object.name.toLowerCase();
      const entry = missingRights.get(key) ?? { object: object.name, rights: [] };
      entry.rights.push(right);
      missingRights.set(key, entry);
    }
    // Salesforce's dependencies between object rights (Delete needs Edit, Edit needs Read, ...):
    // the row lists them, as the appliers refuse a row without them (objectRightsRefusal).
    for (const right of withObjectRightDependencies(OBJECT_RIGHTS.filter((x) => r[x])))
      r[right] = true;
  }

  const fieldPermissions: PlannedFieldPermission[] = [];
  /** Objects the plan grants field permissions on (their Read goes into the set for them). */
  const fieldObjects = new Set<string>();
  for (const field of diagnosis.fields) {
    const missing = field.missing ?? [];
    if (missing.length === 0) continue;
    const sobjectType = field.name.slice(0, field.name.indexOf('.'));
    const edit = missing.includes('edit');
    fieldPermissions.push({ field: field.name, sobjectType, read: true, edit });
    // Field permissions in a permission set need read on the object in that same set.
    row(sobjectType).read = true;
    fieldObjects.add(sobjectType.toLowerCase());
  }

  const parentsOf = parentLookup(diagnosis);
  addParentReads(diagnosis, rows, row, parentsOf);

  const connectedApps = appsToApprove(diagnosis);
  const approvedApps = new Set(connectedApps.map((app) => app.name));
  // A finding whose own step is HubSpot's allocation (the cap on HubSpot's connected app, HubSpot's
  // own API limit): the org-limit finding adds no second step asking the same.
  const allocationStepped = diagnosis.findings.some(
    (f) =>
      f.severity !== 'info' &&
      (f.rule === RULES.connectedAppApiLimit || f.reason === 'HUBSPOT_API_LIMIT_EXCEEDED'),
  );
  for (const finding of diagnosis.findings) {
    handleFinding(finding, {
      systemPermissions,
      assignPermissionSets,
      manualSteps,
      approvedApps,
      allocationStepped,
      ending: suspensionEnding(options),
    });
  }

  // Parents first, as the rows are saved (saveWave): Salesforce checks a child's row against the
  // set's rows saved before it.
  const granted = [...rows.values()].filter(
    (r) => r.read || r.create || r.edit || r.delete || r.viewAll,
  );
  const objectPermissions = parentsFirst(
    [...granted.filter((r) => r.requiredBy), ...granted.filter((r) => !r.requiredBy)],
    parentsOf,
  );
  saveWaves(objectPermissions).forEach((wave, i) => (objectPermissions[i]!.saveWave = wave));
  const plan: RemediationPlan = {
    assignPermissionSets,
    // The snapshot holds the rights of assigned sets only: what an unassigned one grants is known
    // once it is assigned, so assigning it comes first and a check afterwards recomputes the grants.
    assignFirst: assignPermissionSets.length > 0,
    objectPermissions,
    objectRights: objectRightsOf(diagnosis, objectPermissions, missingRights, fieldObjects),
    fieldPermissions,
    systemPermissions: [...systemPermissions],
    connectedApps,
    manualSteps,
    summary: '',
    title: '',
    isEmpty: false,
  };
  plan.isEmpty =
    assignPermissionSets.length +
      objectPermissions.length +
      fieldPermissions.length +
      plan.systemPermissions.length +
      connectedApps.length +
      manualSteps.length ===
    0;
  plan.summary = summarize(plan);
  plan.title = titleOf(plan);
  return plan;
}

/**
 * Each right the rows grant, with why: missing (the diagnosis says so), or needed by Salesforce in
 * the same set for what the row's missing rights, the plan's field permissions on the object, or
 * the rights on its children need, and then whether the user already has it elsewhere.
 */
function objectRightsOf(
  diagnosis: Diagnosis,
  objectPermissions: readonly PlannedObjectPermission[],
  missingRights: ReadonlyMap<string, { object: string; rights: ObjectAccess[] }>,
  fieldObjects: ReadonlySet<string>,
): PlannedObjectRight[] {
  const rights: PlannedObjectRight[] = [];
  for (const r of objectPermissions) {
    const key = r.sobjectType.toLowerCase();
    const missing = missingRights.get(key)?.rights ?? [];
    const judged = diagnosis.objects.find(
      (o) => o.name.toLowerCase() === key && !o.note?.startsWith('Not judged'),
    );
    // The row's own missing rights say it all when there are some (their Read is needed anyway);
    // else the field permissions on the object, or its children's rights, need its Read.
    const needs: string[] = [];
    if (missing.length) needs.push(`${rightsText(missing)} on ${r.sobjectType}`);
    else {
      if (fieldObjects.has(key)) needs.push(`the field permissions on ${r.sobjectType}`);
      if (r.requiredBy?.length) needs.push(`the rights on ${joinList(r.requiredBy)}`);
    }
    for (const right of GRANTED_OBJECT_RIGHTS) {
      if (!r[right]) continue;
      if (missing.includes(right)) {
        rights.push({ sobjectType: r.sobjectType, right, missing: true });
        continue;
      }
      const entry: PlannedObjectRight = { sobjectType: r.sobjectType, right, missing: false };
      if (judged) entry.grantedElsewhere = judged.effective[right] === true;
      if (needs.length) entry.neededFor = joinList(needs);
      rights.push(entry);
    }
  }
  return rights;
}

/** The rights a plan row may hold, in Setup's order (Modify All is never granted). */
const GRANTED_OBJECT_RIGHTS = OBJECT_RIGHTS.filter(
  (right): right is PlannedObjectRightName => right !== 'modifyAll',
);

/**
 * The apps the diagnosis found the user not approved for, once each. The grant carries the app's Id;
 * a diagnosis from an older producer has none, and its approval finding stays a manual step.
 */
function appsToApprove(diagnosis: Diagnosis): PlannedConnectedAppAccess[] {
  const apps = new Map<string, PlannedConnectedAppAccess>();
  for (const grant of diagnosis.grants ?? [])
    if (grant.kind === 'connectedApp' && grant.granted === false && grant.id)
      apps.set(grant.id, { id: grant.id, name: grant.name });
  return [...apps.values()];
}
