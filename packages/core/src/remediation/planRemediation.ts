/**
 * planRemediation: the least-privilege fix for a diagnosis. It grants only what is missing, adds
 * only the dependencies Salesforce insists on (edit and create need read, delete needs edit, field
 * rights need read on their object), never grants Modify All (nor Modify All Data), and lists as
 * manual steps whatever a permission set cannot fix: an inactive user, limits, the Marketing User
 * checkbox, sharing, deleted fields. A HubSpot connected app that admits admin-approved users only
 * is approved for the remediation permission set, and so for the user.
 */
import { HUBSPOT_ALLOCATION_PLACE, HUBSPOT_SALESFORCE_PLACE } from '../diagnosis/limits.js';
import { RULES } from '../diagnosis/rules.js';
import type { Diagnosis, Finding, ObjectResult } from '../diagnosis/types.js';
import { OBJECT_RIGHT_LABELS, joinList } from '../diagnosis/text.js';
import { friendlyPermission } from '../diagnosis/user.js';
import { OBJECT_RIGHTS, withObjectRightDependencies } from '../requirements/objectRights.js';
import type { ObjectAccess } from '../requirements/types.js';
import { GRANTABLE_SYSTEM_PERMISSIONS_TEXT, isGrantableSystemPermission } from './grantable.js';
import { saveWaves } from './saveWaves.js';
import { isSuspendedState, type RelayedStatus } from '../relayed/status.js';
import { suspensionLifting } from '../relayed/statusText.js';
import type {
  ManualStep,
  ManualStepPlace,
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

/** How the HubSpot step of an inactive or frozen user ends, from the relayed suspension. */
type SuspensionEnding = 'if-suspended' | 'clear' | 'reconnect-clears';

function suspensionEnding(options: PlanRemediationOptions): SuspensionEnding {
  const relayed = isSuspendedState(options.status);
  if (!relayed && options.suspended !== true) return 'if-suspended';
  // Lifted by re-entering the credentials, neither by "Clear Suspension" nor by itself: the core's
  // one rule (suspensionLifting), which the CLI's exit wording follows too.
  return relayed && suspensionLifting(options.status?.reason) === 'reconnect'
    ? 'reconnect-clears'
    : 'clear';
}

const SUSPENSION_ENDINGS: Record<SuspensionEnding, string> = {
  'if-suspended': ', then clear the suspension if HubSpot suspended the sync.',
  clear: ', then clear the suspension.',
  'reconnect-clears': ': reconnecting clears the suspension.',
};

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

/** 'Create and Edit'. */
function rightsText(rights: readonly ObjectAccess[]): string {
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
 * were checked when that Read was saved). Each parent's `requiredBy` names the children that need it,
 * so the plan can say why (objectRightsOf).
 */
function addParentReads(
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
    /** Another finding's step already lowers HubSpot's API allocation. */
    allocationStepped: boolean;
    /** How the HubSpot step of an inactive or frozen user ends (PlanRemediationOptions). */
    ending: SuspensionEnding;
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
          step: `In ${HUBSPOT_SALESFORCE_PLACE}, re-enter the Salesforce credentials of ${finding.rule === RULES.frozenUser ? user : `${user} (or of the active user chosen instead)`}${SUSPENSION_ENDINGS[plan.ending]}`,
          where: 'hubspot',
        },
      );
      return;
    }
    case RULES.apiLimit:
      // The org's API calls near or over its limit: the Salesforce step finds who uses them, but
      // HubSpot is one of those users and its share is set in HubSpot, a step the remedy (in
      // Salesforce's place) does not name. Two places, two steps, as for an inactive user.
      plan.manualSteps.push({
        reason: finding.reason,
        subject: finding.subject,
        step: finding.remedy,
        where: 'salesforce',
      });
      if (!plan.allocationStepped)
        plan.manualSteps.push({
          reason: finding.reason,
          subject: finding.subject,
          step: `In ${HUBSPOT_ALLOCATION_PLACE}, lower "Allocated to HubSpot" to what the org can spare and click Update: HubSpot's calls count against the same daily limit as every other integration's.`,
          where: 'hubspot',
        });
      return;
    default:
      if (finding.rule && AUTOMATIC_RULES.has(finding.rule)) return;
  }
  plan.manualSteps.push({
    reason: finding.reason,
    subject: finding.subject,
    step: finding.remedy,
    ...(finding.action ? { action: finding.action } : {}),
    where: stepPlace(finding),
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

function summarize(plan: RemediationPlan): string {
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
