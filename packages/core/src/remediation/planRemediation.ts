/**
 * planRemediation: the least-privilege fix for a diagnosis. It grants only what is missing, adds
 * only the dependencies Salesforce insists on (edit and create need read, delete needs edit, field
 * rights need read on their object), never grants Modify All (nor Modify All Data), and lists as
 * manual steps whatever a permission set cannot fix: an inactive user, limits, the Marketing User
 * checkbox, sharing, deleted fields. A HubSpot connected app that admits admin-approved users only
 * is approved for the remediation permission set, and so for the user.
 */
import { RULES } from '../diagnosis/rules.js';
import type { Diagnosis, Finding, ObjectResult } from '../diagnosis/types.js';
import { OBJECT_RIGHT_LABELS, joinList } from '../diagnosis/text.js';
import { friendlyPermission } from '../diagnosis/user.js';
import { OBJECT_RIGHTS, withObjectRightDependencies } from '../requirements/objectRights.js';
import type { ObjectAccess } from '../requirements/types.js';
import { GRANTABLE_SYSTEM_PERMISSIONS_TEXT, isGrantableSystemPermission } from './grantable.js';
import { saveWaves } from './saveWaves.js';
import type {
  ManualStep,
  ManualStepPlace,
  PlannedConnectedAppAccess,
  PlannedFieldPermission,
  PlannedObjectPermission,
  RemediationPlan,
} from './types.js';

export type {
  ManualStep,
  ManualStepPlace,
  PlannedConnectedAppAccess,
  PlannedFieldPermission,
  PlannedObjectPermission,
  RemediationPlan,
} from './types.js';
export { saveWaves } from './saveWaves.js';
export * from './grantable.js';

export const REMEDIATION_PERMISSION_SET = 'Sync_Doctor_Remediation';
/** Its label, as the diagnosis names it among an object's sources ('Permission set: ...'). */
export const REMEDIATION_PERMISSION_SET_LABEL = 'Sync Doctor Remediation';
/**
 * Why both appliers refuse to write into a session-based Sync_Doctor_Remediation (the Apex one in
 * these words too, held to them by a static check): its rights would never reach HubSpot.
 */
export const REMEDIATION_SET_SESSION_BASED =
  'The Sync_Doctor_Remediation permission set in this org is session-based (Session Activation Required), so the rights Sync Doctor puts into it would grant HubSpot nothing: its connector never activates a session. Clear Session Activation Required on that permission set in Setup, or delete the set so Sync Doctor creates it again, then apply the fix.';

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

/** Rules whose findings the plan fixes by itself (the rest become manual steps). */
const AUTOMATIC_RULES = new Set<string>([
  RULES.objectPermissions,
  RULES.lookupTarget,
  RULES.fieldLevelSecurity,
  RULES.adminDataPermissionsNoFls,
  RULES.apiEnabled,
  RULES.systemPermission,
  RULES.taskEditTasks,
]);

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

export function planRemediation(diagnosis: Diagnosis): RemediationPlan {
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
  /** Objects whose Read the plan adds only so that their field permissions can be granted. */
  const readForFields: string[] = [];
  for (const field of diagnosis.fields) {
    const missing = field.missing ?? [];
    if (missing.length === 0) continue;
    const sobjectType = field.name.slice(0, field.name.indexOf('.'));
    const edit = missing.includes('edit');
    fieldPermissions.push({ field: field.name, sobjectType, read: true, edit });
    // Field permissions in a permission set need read on the object in that same set.
    const r = row(sobjectType);
    if (!r.read && !missingRights.has(sobjectType.toLowerCase())) readForFields.push(r.sobjectType);
    r.read = true;
  }

  const parentsOf = parentLookup(diagnosis);
  const readForParents = addParentReads(diagnosis, rows, row, parentsOf);

  const connectedApps = appsToApprove(diagnosis);
  const approvedApps = new Set(connectedApps.map((app) => app.name));
  for (const finding of diagnosis.findings) {
    handleFinding(finding, { systemPermissions, assignPermissionSets, manualSteps, approvedApps });
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
    objectPermissions,
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
  plan.summary = summarize(plan, [...missingRights.values()], readForFields, readForParents);
  plan.title = titleOf(plan);
  return plan;
}

/** Whether the diagnosis saw the remediation set already granting (so reading) the object. */
function remediationSetReads(diagnosis: Diagnosis, object: string): boolean {
  const result = diagnosis.objects.find((o) => o.name.toLowerCase() === object.toLowerCase());
  return (
    result?.grantedBy.includes(`Permission set: ${REMEDIATION_PERMISSION_SET_LABEL}`) === true &&
    result.effective.read
  );
}

type ParentLookup = (sobjectType: string) => readonly string[];

/**
 * The objects whose Read a permission set must hold for rights on an object: PARENT_OBJECTS, plus
 * what the diagnosis read off the org's describe (`readDependencies`: custom master-detail masters,
 * Contact for Account with Person Accounts). A diagnosis without them (an older producer) gets the
 * standard ones only, as before.
 */
function parentLookup(diagnosis: Diagnosis): ParentLookup {
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
 * were checked when that Read was saved). Returns the parents whose Read the plan adds only for this
 * (not missing for HubSpot itself, not already added for field access), with the children that need
 * it, so the summary can say why.
 */
function addParentReads(
  diagnosis: Diagnosis,
  rows: Map<string, PlannedObjectPermission>,
  row: (sobjectType: string) => PlannedObjectPermission,
  parentsOf: ParentLookup,
): { object: string; children: string[] }[] {
  const added = new Map<string, { object: string; children: string[] }>();
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
      // Explained in the summary unless the plan grants the Read for a reason of its own.
      if (!alreadyPlanned || added.has(key)) {
        const entry = added.get(key) ?? { object: parent.sobjectType, children: [] };
        entry.children.push(child.sobjectType);
        added.set(key, entry);
      }
      if (!queued.has(key)) {
        queued.add(key);
        queue.push(parent);
      }
    }
  }
  return [...added.values()];
}

/**
 * The rows in an order that reads as the saves go: each after the parents it needs (a master before
 * its detail, a grand-master before both), otherwise as given. A cycle (Account and Contact with
 * Person Accounts) keeps the order given: no order saves either first, so the appliers save its
 * rows together, in one save (saveWaves puts them in one wave).
 */
function parentsFirst(
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

/** Rules whose remedy is done in HubSpot's settings first (see stepPlace). */
const HUBSPOT_RULES = new Set<string>([
  // The cap on HubSpot's own connected app: lower HubSpot's API call allocation (in HubSpot); asking
  // Salesforce for a higher per-app limit is a support case, not a click in Setup.
  RULES.connectedAppApiLimit,
  // HubSpot's last login failed for a cause fixed since: HubSpot logs in again when told to there
  // (re-entered credentials, "Clear Suspension"); nothing is left to do in Salesforce.
  RULES.loginFailureCleared,
]);

/**
 * Where the admin does a finding's step, from what the finding is, never from its remedy's words:
 * - a symptom (SYNC_STOPPED, NO_RECENT_LOGIN) says HubSpot is not syncing as this user, for a reason
 *   only HubSpot's integration settings show (a suspension, a pause, another user): HubSpot;
 * - HUBSPOT_API_LIMIT_EXCEEDED is HubSpot's own allocation of Salesforce calls, set in HubSpot;
 * - the rules in HUBSPOT_RULES, whose remedy is a HubSpot setting;
 * - anything else is fixed in Salesforce (Setup, Object Manager, sharing, storage, users). A remedy
 *   that ends with "then clear the suspension in HubSpot" stays in Salesforce: the fix is there.
 */
function stepPlace(finding: Finding): ManualStepPlace {
  if (finding.symptom) return 'hubspot';
  if (finding.reason === 'HUBSPOT_API_LIMIT_EXCEEDED') return 'hubspot';
  if (finding.rule && HUBSPOT_RULES.has(finding.rule)) return 'hubspot';
  return 'salesforce';
}

function handleFinding(
  finding: Finding,
  plan: {
    systemPermissions: Set<string>;
    assignPermissionSets: string[];
    manualSteps: ManualStep[];
    /** Names of the connected apps the plan approves the user for. */
    approvedApps: ReadonlySet<string>;
  },
): void {
  // Notes, and the session-based warning (the plan grants the rights it withholds), need no step.
  if (finding.severity === 'info' || finding.rule === RULES.sessionBased) return;
  switch (finding.rule) {
    case RULES.apiEnabled:
    case RULES.systemPermission:
      // A requirements document may ask any system permission; the plan grants only the few on
      // GRANTABLE_SYSTEM_PERMISSIONS (the appliers refuse the rest), the others are done by hand.
      if (isGrantableSystemPermission(finding.subject)) {
        plan.systemPermissions.add(finding.subject);
        return;
      }
      plan.manualSteps.push({
        reason: finding.reason,
        subject: finding.subject,
        step: `Sync Doctor does not grant "${friendlyPermission(finding.subject)}" (it grants only ${GRANTABLE_SYSTEM_PERMISSIONS_TEXT}): decide whether the integration user really needs it. ${finding.remedy}`,
        where: 'salesforce',
      });
      return;
    case RULES.taskEditTasks:
      plan.systemPermissions.add(
        finding.subject.toLowerCase() === 'event' ? 'PermissionsEditEvent' : 'PermissionsEditTask',
      );
      return;
    case RULES.requiredPermissionSet:
      if (finding.severity === 'error') {
        if (!plan.assignPermissionSets.includes(finding.subject))
          plan.assignPermissionSets.push(finding.subject);
        return;
      }
      break;
    case RULES.userVisibility:
      plan.systemPermissions.add('PermissionsViewAllUsers');
      return;
    case RULES.connectedAppApproval:
      if (plan.approvedApps.has(finding.subject)) return;
      break;
    case RULES.inactiveUser:
    case RULES.frozenUser: {
      // Two places, two steps: the user is fixed in Salesforce, but HubSpot only tries again once its
      // credentials are re-entered there (one step "by hand in Salesforce" hid the HubSpot half).
      const user = `the integration user '${finding.subject}'`;
      plan.manualSteps.push(
        {
          reason: finding.reason,
          subject: finding.subject,
          step:
            finding.rule === RULES.frozenUser
              ? `Open ${user} in Setup > Users and click Unfreeze.`
              : `Reactivate ${user} in Setup > Users (it needs a free license), or choose another active user for HubSpot to connect as.`,
          where: 'salesforce',
        },
        {
          reason: finding.reason,
          subject: finding.subject,
          step: `In HubSpot's Salesforce integration settings, re-enter the Salesforce credentials of ${finding.rule === RULES.frozenUser ? user : `${user} (or of the active user chosen instead)`}, then clear the suspension.`,
          where: 'hubspot',
        },
      );
      return;
    }
    default:
      if (finding.rule && AUTOMATIC_RULES.has(finding.rule)) return;
  }
  plan.manualSteps.push({
    reason: finding.reason,
    subject: finding.subject,
    step: finding.remedy,
    where: stepPlace(finding),
  });
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * 'Grant 2 object rights (Create and Edit on Contact), ...': object rights, the unit the object
 * matrix counts missing ones in, so both cards say the same number for the same gap. A Read added
 * only so that a field permission can be granted (Salesforce wants it in the same set) is counted
 * and says why, or the matrix's "every required object right is granted" would contradict it.
 */
function objectRightsText(
  missing: readonly { object: string; rights: ObjectAccess[] }[],
  readForFields: readonly string[],
  readForParents: readonly { object: string; children: string[] }[],
): string {
  const total =
    missing.reduce((n, m) => n + m.rights.length, 0) + readForFields.length + readForParents.length;
  if (total === 0) return '';
  const clauses: string[] = [];
  // A long plan (an org without the HubSpot set) names no objects: the dialog lists them all.
  if (missing.length <= 3)
    clauses.push(
      ...missing.map(
        (m) => `${joinList(m.rights.map((r) => OBJECT_RIGHT_LABELS[r]))} on ${m.object}`,
      ),
    );
  if (readForFields.length)
    clauses.push(
      `Read on ${joinList(readForFields)}, needed in the same permission set to grant ${readForFields.length === 1 ? 'its' : 'their'} field access`,
    );
  for (const parent of readForParents)
    clauses.push(
      `Read on ${parent.object}, which Salesforce requires in the same permission set to grant rights on ${joinList(parent.children)}`,
    );
  return `${count(total, 'object right')}${clauses.length ? ` (${clauses.join('; ')})` : ''}`;
}

function summarize(
  plan: RemediationPlan,
  missing: readonly { object: string; rights: ObjectAccess[] }[],
  readForFields: readonly string[],
  readForParents: readonly { object: string; children: string[] }[],
): string {
  if (plan.isEmpty) return 'Nothing to fix: the integration user has every required right.';
  const parts: string[] = [];
  if (plan.assignPermissionSets.length)
    parts.push(`assign ${plan.assignPermissionSets.map((n) => `'${n}'`).join(', ')}`);
  const grants: string[] = [];
  const objectRights = objectRightsText(missing, readForFields, readForParents);
  if (objectRights) grants.push(objectRights);
  if (plan.fieldPermissions.length)
    grants.push(count(plan.fieldPermissions.length, 'field permission'));
  if (plan.systemPermissions.length)
    grants.push(count(plan.systemPermissions.length, 'system permission'));
  if (plan.connectedApps.length)
    grants.push(
      `approval for the connected app${plan.connectedApps.length > 1 ? 's' : ''} ${joinList(plan.connectedApps.map((app) => `"${app.name}"`))}`,
    );
  if (grants.length)
    parts.push(
      `grant ${grants.join(', ')} through the permission set '${REMEDIATION_PERMISSION_SET}'`,
    );
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
function titleOf(plan: RemediationPlan): string {
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
