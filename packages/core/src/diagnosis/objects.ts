/**
 * Object access: which objects must be judged (required ones, the objects of mapped fields, and
 * the object a mapped lookup references; of a polymorphic one, the targets judged anyway), the one pass over ObjectPermissions, and the rules that
 * turn rows into effective rights: Modify/View All Data, the implications between rights, and the
 * objects Salesforce does not govern by object permissions (Task, Event, User) or not by them alone
 * (Campaign and the Marketing User checkbox).
 */
import {
  OBJECT_RIGHTS,
  OBJECT_RIGHT_COLUMNS,
  OBJECT_RIGHT_DEPENDENCIES,
  withObjectRightDependencies,
} from '../requirements/objectRights.js';
import type { ObjectAccess } from '../requirements/types.js';
import type { ObjectPermissionsRecord } from '../snapshot/types.js';
import type { Context } from './context.js';
import { inactiveHint, mutedInGroupsHint, mutingFirst, mutingRemedy } from './context.js';
import { editNeverRequired } from './readOnlyFields.js';
import { RULES } from './rules.js';
import { HUBSPOT_MAPPINGS_PLACE } from './hubspotPlaces.js';
import { OBJECT_RIGHT_LABELS, joinList, quoteAll } from './text.js';
import { reachedBySentence } from '../report/labels.js';
import type { EffectiveObjectAccess, ObjectResult } from './types.js';

/**
 * Lookup targets that are not data objects: no ObjectPermissions exist for them and every user with
 * API access can read them (queues/groups, record types, roles, profiles). Owner lookups point at
 * Group and User; User has its own rule below.
 */
const NOT_PERMISSION_GOVERNED = new Set([
  'group',
  'recordtype',
  'userrole',
  'profile',
  'organization',
  'businesshours',
  'queue',
]);

/**
 * Whether object permissions govern access to this object. Collectors use it to skip lookup
 * targets the core will not judge (no round trip for Group, RecordType, ...).
 */
export function isPermissionGovernedObject(sobjectType: string): boolean {
  return !NOT_PERMISSION_GOVERNED.has(sobjectType.toLowerCase());
}

/**
 * Activities: Task and Event have no ObjectPermissions (Setup lists them under no object settings);
 * the system permissions "Edit Tasks" / "Edit Events" govern create, edit and delete, and users see
 * the activities of the records they can see (Salesforce Help, "Edit Tasks" user permission and the
 * Task object reference).
 */
const ACTIVITY_PERMISSION: Record<string, string> = {
  task: 'PermissionsEditTask',
  event: 'PermissionsEditEvent',
};

/** The activity rights "Edit Tasks" / "Edit Events" govern. */
const ACTIVITY_EDIT_RIGHTS = new Set<ObjectAccess>(['create', 'edit', 'delete']);

export interface ObjectWork {
  name: string;
  key: string;
  required: Set<ObjectAccess>;
  /** Asked for by the requirements' objects (not only reached through a field or lookup). */
  direct: boolean;
  reachedBy: string[];
  /** The required fields on it ('Invoice__c.Amount__c'), to name them if the object does not exist. */
  fields: string[];
  rows: EffectiveObjectAccess;
  rowsBy: Set<string>;
  viewAllFieldsBy: string[];
  inactive: { label: string; because: string; rights: ObjectAccess[] }[];
}

export function noAccess(): EffectiveObjectAccess {
  return {
    read: false,
    create: false,
    edit: false,
    delete: false,
    viewAll: false,
    modifyAll: false,
  };
}

function work(name: string): ObjectWork {
  return {
    name,
    key: name.toLowerCase(),
    required: new Set(),
    direct: false,
    reachedBy: [],
    fields: [],
    rows: noAccess(),
    rowsBy: new Set(),
    viewAllFieldsBy: [],
    inactive: [],
  };
}

/** The objects to judge, keyed by lower-case API name, in the order an admin expects them. */
export function collectObjects(ctx: Context): Map<string, ObjectWork> {
  const objects = new Map<string, ObjectWork>();
  const get = (name: string): ObjectWork => {
    const key = name.toLowerCase();
    let w = objects.get(key);
    if (!w) objects.set(key, (w = work(name)));
    return w;
  };
  const reach = (t: ObjectWork, field: string): void => {
    t.required.add('read');
    const entry = `lookup from ${field}`;
    // The same mapped field twice (another spelling, a polymorphic target listed twice): once.
    if (!t.reachedBy.some((r) => r.toLowerCase() === entry.toLowerCase())) t.reachedBy.push(entry);
  };
  const polymorphic: { field: string; targets: string[] }[] = [];
  for (const req of ctx.requirements.objects) {
    const w = get(req.name);
    w.direct = true;
    for (const right of req.access) w.required.add(right);
  }
  for (const field of ctx.requirements.fields) {
    const dot = field.name.indexOf('.');
    if (dot <= 0 || dot === field.name.length - 1) continue; // reported by judgeFields
    const objectName = field.name.slice(0, dot);
    const w = get(objectName);
    w.fields.push(field.name);
    // Field access needs object access: read to read the field, edit on the record to edit it.
    // One reason per field: '(edit)' says it needs edit, and edit includes read. A calculated field
    // or one nobody can write needs no edit (judgeFields drops it), so neither does its object.
    const describe = ctx.describe(field.name);
    const addsRead = !w.required.has('read');
    const addsEdit =
      field.access.includes('edit') &&
      !w.required.has('edit') &&
      !editNeverRequired(ctx, describe, field.name);
    w.required.add('read');
    if (addsEdit) {
      w.required.add('edit');
      w.reachedBy.push(`mapped field ${field.name} (edit)`);
    } else if (addsRead) w.reachedBy.push(`mapped field ${field.name}`);
    if (!describe || describe.exists === false) continue;
    const targets = (describe.referenceTo ?? []).filter(
      (t) => !NOT_PERMISSION_GOVERNED.has(t.toLowerCase()),
    );
    if (targets.length > 1) polymorphic.push({ field: field.name, targets });
    else for (const target of targets) reach(get(target), field.name);
  }
  // A polymorphic lookup (Task.WhatId, WhoId, ...) points at one of many objects; WhatId alone at
  // every object with activities. HubSpot fills it only with records of objects it syncs, so only
  // the targets judged for another reason need read through it; the rest would be false errors.
  for (const { field, targets } of polymorphic)
    for (const target of targets) {
      const t = objects.get(target.toLowerCase());
      if (t) reach(t, field);
    }
  return objects;
}

/** Rights a row grants, with Salesforce's dependencies (OBJECT_RIGHT_DEPENDENCIES: edit needs read, ...). */
function rowRights(row: ObjectPermissionsRecord): EffectiveObjectAccess {
  const rights = noAccess();
  const grant = (right: ObjectAccess): void => {
    if (rights[right]) return;
    rights[right] = true;
    OBJECT_RIGHT_DEPENDENCIES[right].forEach(grant);
  };
  for (const right of OBJECT_RIGHTS) if (row[OBJECT_RIGHT_COLUMNS[right]] === true) grant(right);
  return rights;
}

/** One pass over ObjectPermissions, touching only the objects being judged. */
export function aggregateObjectPermissions(ctx: Context, objects: Map<string, ObjectWork>): void {
  for (const row of ctx.snapshot.objectPermissions ?? []) {
    const w = objects.get(row.SobjectType.toLowerCase());
    if (!w) continue;
    const source = ctx.sources.byId.get(row.ParentId);
    if (!source) continue;
    const rights = rowRights(row);
    if (source.active) {
      let any = false;
      for (const r of OBJECT_RIGHTS) {
        if (rights[r]) {
          w.rows[r] = true;
          any = true;
        }
      }
      if (any) w.rowsBy.add(source.label);
      if (row.PermissionsViewAllFields === true) w.viewAllFieldsBy.push(source.label);
    } else {
      const granted = OBJECT_RIGHTS.filter((r) => rights[r]);
      if (granted.length)
        w.inactive.push({
          label: source.label,
          because: source.inactiveBecause ?? '',
          rights: granted,
        });
    }
  }
}

function requiredList(w: ObjectWork): ObjectAccess[] {
  return OBJECT_RIGHTS.filter((r) => w.required.has(r));
}

function rightsText(rights: readonly ObjectAccess[]): string {
  return joinList(rights.map((r) => OBJECT_RIGHT_LABELS[r]));
}

/** Where an admin can add object rights: assigned permission sets that are the org's own. */
export function editableSetHint(ctx: Context): string {
  const required = new Set(ctx.requirements.permissionSets.map((n) => n.toLowerCase()));
  const own = ctx.sources.active
    .filter(
      (s) =>
        s.kind === 'permissionSet' &&
        !required.has(s.displayName.toLowerCase()) &&
        !required.has(s.record.Name.toLowerCase()),
    )
    .map((s) => s.displayName);
  const examples = own.length ? ` such as ${joinList(quoteAll(own.slice(0, 3)), 'or')}` : '';
  return `a permission set assigned to ${ctx.who}${examples}, or let Sync Doctor's fix create and assign 'Sync_Doctor_Remediation'`;
}

/** The sources reaching the object, the first few only when there are many (reachedBySentence). */
function reachedText(w: ObjectWork): string {
  return reachedBySentence(w.name, w.reachedBy, w.direct);
}

export function judgeObjects(ctx: Context, objects: Map<string, ObjectWork>): ObjectResult[] {
  const mad = ctx.system('PermissionsModifyAllData');
  const vad = ctx.system('PermissionsViewAllData');
  const results: ObjectResult[] = [];
  const rowsKnown = ctx.snapshot.objectPermissions != null;
  for (const w of objects.values()) {
    const required = requiredList(w);
    if (ctx.objectExists(w.name) === false) {
      results.push(reportMissingObject(ctx, w, required));
      continue;
    }
    if (ctx.hiddenFromReader(w.name)) reportHiddenObject(ctx, w);
    const effective = { ...w.rows };
    const grantedBy = new Set(w.rowsBy);
    let rule: string =
      !w.direct && w.reachedBy.some((r) => r.startsWith('lookup'))
        ? RULES.lookupTarget
        : RULES.objectPermissions;
    let missing: ObjectAccess[] | undefined;
    let note: string | undefined;
    const activityPermission = ACTIVITY_PERMISSION[w.key];

    if (w.key === 'user') {
      rule = RULES.userVisibility;
      // No ObjectPermissions exist for User: any active user reads the users visible to it (its own
      // record, its role hierarchy, users shared with it when User Sharing is on). "View All Users"
      // (or View All Data) widens that to every user; editing users takes "Manage Users".
      const viewAllUsers = ctx.system('PermissionsViewAllUsers');
      const manageUsers = ctx.system('PermissionsManageUsers');
      Object.assign(effective, noAccess(), { read: ctx.permissionsKnown });
      if (ctx.permissionsKnown) grantedBy.add('Every user (user visibility)');
      if (viewAllUsers.granted || vad.granted || mad.granted) effective.viewAll = true;
      for (const l of [...viewAllUsers.by, ...vad.by, ...mad.by]) grantedBy.add(l);
      if (manageUsers.granted) effective.edit = effective.create = true;
      manageUsers.by.forEach((l) => grantedBy.add(l));
      missing = ctx.permissionsKnown ? [] : undefined;
      const lacking = required.filter((r) => !effective[r]);
      if (ctx.permissionsKnown && lacking.length) {
        ctx.add({
          reason: 'OBJECT_PERMISSIONS_MISSING',
          severity: 'error',
          subject: w.name,
          rule,
          message: `${ctx.who} cannot ${rightsText(lacking)} User records. Users have no object permissions: reading every user takes "View All Users", creating or editing users takes "Manage Users".`,
          remedy: `Turn on ${lacking.some((r) => r !== 'read' && r !== 'viewAll') ? '"Manage Users"' : '"View All Users"'} in ${editableSetHint(ctx)}.`,
        });
      } else if (ctx.permissionsKnown && !effective.viewAll) {
        ctx.add({
          reason: 'OBJECT_PERMISSIONS_MISSING',
          severity: 'info',
          subject: w.name,
          rule,
          message: `${ctx.who} reads only the users visible to it. HubSpot matches record owners to Salesforce users; if User Sharing is on in this org, owners it cannot see will not map.`,
          remedy: `If Setup > Sharing Settings shows a Private default for users, turn on "View All Users" in ${editableSetHint(ctx)}.`,
        });
      }
    } else if (activityPermission) {
      rule = RULES.taskEditTasks;
      // Tasks and events have no object permissions: a user reads the activities on records it can
      // see, and "Edit Tasks" / "Edit Events" governs create, edit and delete (Modify All Data includes it).
      const edit = ctx.system(activityPermission);
      const canEdit = edit.granted || mad.granted;
      Object.assign(effective, {
        read: ctx.permissionsKnown,
        create: canEdit,
        edit: canEdit,
        delete: canEdit,
        viewAll: vad.granted || mad.granted,
        modifyAll: mad.granted,
      });
      grantedBy.clear();
      if (ctx.permissionsKnown) grantedBy.add('Every user (activities on records it can see)');
      for (const l of [...edit.by, ...mad.by, ...vad.by]) grantedBy.add(l);
      missing = ctx.permissionsKnown ? [] : undefined;
      const lacking = required.filter((r) => !effective[r]);
      const friendly = activityPermission === 'PermissionsEditTask' ? 'Edit Tasks' : 'Edit Events';
      // An org whose PermissionSet has no column for the permission (older orgs, some editions):
      // create, edit and delete cannot be read, so they are a warning to check by hand, as any other
      // absent permission HubSpot needs (user.ts), not "not granted". Modify All Data still decides.
      const unreadable = ctx.permissionsKnown && edit.absent && !canEdit;
      const unknown = unreadable ? lacking.filter((r) => ACTIVITY_EDIT_RIGHTS.has(r)) : [];
      const denied = lacking.filter((r) => !unknown.includes(r));
      if (unknown.length) {
        missing = undefined;
        note = `Not judged: this org's API does not expose "${friendly}" (PermissionSet has no ${activityPermission} column), which governs ${rightsText(unknown)}.`;
        ctx.add({
          reason: 'OBJECT_PERMISSIONS_MISSING',
          severity: 'warning',
          subject: w.name,
          rule: RULES.permissionNotInOrg,
          message: `This org's API does not expose "${friendly}" (PermissionSet has no ${activityPermission} column), so Sync Doctor cannot tell whether ${ctx.who} can ${rightsText(unknown)} ${w.name} records: ${w.name} has no object permissions, its create, edit and delete come from that system permission. HubSpot needs ${rightsText(unknown)} on ${w.name}.`,
          remedy: `Check by hand: open ${ctx.who}'s profile and permission sets in Setup and confirm "${friendly}" is on under System Permissions.`,
        });
      }
      if (ctx.permissionsKnown && denied.length) {
        // A group's muting set may remove "Edit Tasks" / "Edit Events" as any system permission.
        const muted = mutedInGroupsHint(ctx, activityPermission);
        ctx.add({
          reason: 'OBJECT_PERMISSIONS_MISSING',
          severity: 'error',
          subject: w.name,
          rule,
          message: `${ctx.who} cannot ${rightsText(denied)} ${w.name} records: ${w.name} has no object permissions, its create, edit and delete come from the system permission "${friendly}" (${activityPermission}), which no active profile or permission set of the user grants.${inactiveHint(edit.inactive)}${muted ? ' ' + muted : ''}`,
          remedy: mutingFirst(
            mutingRemedy(ctx, `"${friendly}"`, 'System Permissions', 'it', activityPermission),
            `Turn on "${friendly}" (under System Permissions)`,
            ` in ${editableSetHint(ctx)}.`,
          ),
        });
      }
    } else {
      // Modify All Data grants every object right and View All Data read and view all, both on every
      // object and regardless of sharing. Neither grants field access (see fields.ts).
      if (mad.granted) {
        for (const r of OBJECT_RIGHTS) effective[r] = true;
        mad.by.forEach((l) => grantedBy.add(`${l} (Modify All Data)`));
      }
      if (vad.granted) {
        effective.read = effective.viewAll = true;
        vad.by.forEach((l) => grantedBy.add(`${l} (View All Data)`));
      }
      const judged = ctx.permissionsKnown && (rowsKnown || mad.granted);
      if (!judged) {
        note = ctx.permissionsKnown
          ? 'Not judged: Sync Doctor read no object permissions.'
          : 'Not judged: Sync Doctor read no permission set assignments.';
      }
      const lacking = required.filter((r) => !effective[r]);
      if (judged) missing = lacking;
      if (judged && lacking.length) {
        const hints: string[] = [];
        const wouldGrant = w.inactive.filter((i) => i.rights.some((r) => lacking.includes(r)));
        for (const i of wouldGrant)
          hints.push(
            `${i.label} grants ${rightsText(i.rights.filter((r) => lacking.includes(r)))}, but ${i.because}.`,
          );
        const muted = mutedInGroupsHint(ctx);
        if (muted) hints.push(muted);
        const plural = lacking.length > 1 ? 'them' : 'it';
        const rights = rightsText(withObjectRightDependencies(lacking));
        ctx.add({
          reason: 'OBJECT_PERMISSIONS_MISSING',
          severity: 'error',
          subject: w.name,
          rule,
          message: `${ctx.who} cannot ${rightsText(lacking)} ${w.name} records (it has ${describeHeld(effective)}).${reachedText(w)}${hints.length ? ' ' + hints.join(' ') : ''}`,
          remedy: mutingFirst(
            mutingRemedy(
              ctx,
              `${rightsText(lacking)} on ${w.name}`,
              `Object Settings > ${w.name}`,
              lacking.length > 1 ? 'them' : 'it',
            ),
            // The user once: the permission set to add them in is named as assigned to it.
            `Give the user ${rights} on ${w.name}`,
            `: add ${plural} under Object Settings > ${w.name} in ${editableSetHint(ctx)}.`,
          ),
        });
      }
      if (w.key === 'campaign') rule = campaignRule(ctx, w, required, effective, rule);
    }

    const result: ObjectResult = {
      name: w.name,
      required,
      effective,
      grantedBy: [...grantedBy],
      rule,
    };
    if (w.reachedBy.length) result.reachedBy = [...w.reachedBy];
    if (missing) result.missing = missing;
    if (note) result.note = note;
    results.push(result);
  }
  return results;
}

/**
 * An object the org does not have: no permission can fix that. Like a deleted mapped field, it is a
 * broken mapping (restore the object or re-point HubSpot) or a wrong name in the requirements. Its
 * fields are not reported again (judgeFields leaves them to this finding).
 */
function reportMissingObject(ctx: Context, w: ObjectWork, required: ObjectAccess[]): ObjectResult {
  const asks: string[] = [];
  if (w.direct) asks.push(`the requirements ask for ${rightsText(required)} on it`);
  if (w.fields.length)
    asks.push(`HubSpot maps its field${w.fields.length > 1 ? 's' : ''} ${joinList(w.fields)}`);
  ctx.add({
    reason: 'FIELD_MAPPINGS_MISSING',
    severity: 'error',
    subject: w.name,
    rule: RULES.objectDeleted,
    message: `${w.name} does not exist in this Salesforce org (no object has that API name), yet ${joinList(asks)}: ${w.fields.length ? 'every sync of those records fails' : 'HubSpot cannot sync it'}.`,
    remedy: `If ${w.name} was deleted, restore it (Setup > Object Manager > Deleted Objects, within 15 days of the deletion)${w.fields.length ? ` or remove the mappings to its fields in ${HUBSPOT_MAPPINGS_PLACE}` : ''}; if the name is wrong, correct it in the requirements.`,
  });
  return {
    name: w.name,
    required,
    effective: noAccess(),
    grantedBy: [],
    rule: RULES.objectDeleted,
    missing: [],
    exists: false,
    note: 'The object does not exist in this org.',
    ...(w.reachedBy.length ? { reachedBy: [...w.reachedBy] } : {}),
  };
}

/**
 * An object the user who read the org may not read: Salesforce answers its describe with NOT_FOUND
 * as it does for an object that does not exist, so whether it exists (and what its describe would
 * say) could not be checked. Not an error: on a healthy org a reader with fewer rights (the relay's
 * own user) meets this for every standard object. The integration user's rights on it are judged
 * all the same, from its permission sets.
 */
function reportHiddenObject(ctx: Context, w: ObjectWork): void {
  const fields =
    w.fields.length > 3
      ? ` nor its ${w.fields.length} mapped fields`
      : w.fields.length
        ? ` nor its mapped field${w.fields.length > 1 ? 's' : ''} ${joinList(w.fields)}`
        : '';
  ctx.add({
    reason: 'FIELD_MAPPINGS_MISSING',
    severity: 'warning',
    subject: w.name,
    rule: RULES.sectionAbsent,
    message: `Could not check that ${w.name} exists in this Salesforce org${fields}: ${ctx.reader}, the user who read the org, may not read ${w.name}, and Salesforce answers such a user as if the object did not exist. The permissions of ${ctx.who} on it were judged from its permission sets all the same.`,
    remedy: `Give ${ctx.reader} Read on ${w.name} (Object Settings > ${w.name} in a permission set assigned to it) so that it can check, or check as an admin (the Sync Doctor app, or sync-doctor check).`,
  });
}

function describeHeld(e: EffectiveObjectAccess): string {
  const held = OBJECT_RIGHTS.filter((r) => e[r]).map((r) => OBJECT_RIGHT_LABELS[r]);
  return held.length ? joinList(held) : 'no access';
}

/**
 * Campaigns: object permissions are not enough to create or edit them (and so to add campaign
 * members); Salesforce also requires the Marketing User checkbox on the user record
 * (User.UserPermissionsMarketingUser; the object reference of CampaignMemberStatus says only users
 * enabled as marketing users can access it). Reading campaigns needs only Read.
 */
function campaignRule(
  ctx: Context,
  w: ObjectWork,
  required: ObjectAccess[],
  effective: EffectiveObjectAccess,
  rule: string,
): string {
  const needsMarketing = required.some(
    (r) => r === 'create' || r === 'edit' || r === 'delete' || r === 'modifyAll',
  );
  if (!needsMarketing || !ctx.permissionsKnown) return rule;
  const user = ctx.snapshot.user;
  if (!user) {
    ctx.add({
      reason: 'OBJECT_PERMISSIONS_MISSING',
      severity: 'warning',
      subject: w.name,
      rule: RULES.campaignMarketingUser,
      message: `Could not check the Marketing User checkbox: Sync Doctor read no user record. Without it ${ctx.who} cannot edit campaigns, whatever its permission sets say.`,
      remedy:
        'Open the integration user in Setup > Users and make sure "Marketing User" is checked.',
    });
    return RULES.campaignMarketingUser;
  }
  if (user.UserPermissionsMarketingUser === true) return rule;
  const blocked = required.filter((r) => r !== 'read' && r !== 'viewAll' && effective[r]);
  for (const r of ['create', 'edit', 'delete', 'modifyAll'] as const) effective[r] = false;
  ctx.add({
    reason: 'OBJECT_PERMISSIONS_MISSING',
    severity: 'error',
    subject: w.name,
    rule: RULES.campaignMarketingUser,
    message: `${ctx.who} is not a Marketing User, so it cannot create or edit campaigns (nor add leads and contacts to them)${blocked.length ? `, although its permissions grant ${rightsText(blocked)} on Campaign` : ''}.`,
    remedy: `Open ${ctx.who} in Setup > Users, click Edit and check "Marketing User" (a checkbox on the user record; no permission set can grant it).`,
  });
  return RULES.campaignMarketingUser;
}
