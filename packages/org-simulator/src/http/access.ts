import { sameId } from '../ids.js';
import type { Org, SRecord } from '../org/org.js';
import type { FieldSchema, ObjectSchema } from '../schema.js';
import type { FieldGuard } from '../soql/paths.js';
import { unsupportedType } from '../soql/errors.js';
import type { RowSource } from '../soql/query.js';

/**
 * The permission sets a user holds now, keyed by 15-character id: the single rule every right the
 * simulator checks goes through (system permissions, object and field rights, "Modify All" on an
 * object, the UserPermissionAccess row). They are
 * - its profile's permission set (from User.ProfileId, assignment row or not);
 * - every assignment that is active and unexpired (ExpirationDate in the future or null);
 * - of a permission set group, its aggregate set (Type 'Group'), whose rights the fixtures compute
 *   with the group's muting permission set applied, so mutings take effect here too;
 * - but a session-based set (PermissionSet or PermissionSetGroup HasActivationRequired) only once a
 *   session activates it (SessionPermSetActivation), which the simulator never does: such a set
 *   grants nothing, whatever it holds (Salesforce Help, "Session-Based Permission Sets").
 */
function heldPermissionSets(org: Org, userId: string): Map<string, SRecord> {
  const now = org.now().getTime();
  const held = new Map<string, SRecord>();
  const hold = (set: SRecord | undefined): void => {
    if (!set || set.HasActivationRequired === true) return;
    if (set.PermissionSetGroupId) {
      const group = org.getById(set.PermissionSetGroupId)?.record;
      if (group?.HasActivationRequired === true) return;
    }
    held.set(String(set.Id).slice(0, 15), set);
  };
  const user = org.getById(userId);
  if (user?.type === 'User' && user.record.ProfileId) {
    hold(
      org
        .table('PermissionSet')
        .find((p) => p.IsOwnedByProfile === true && sameId(p.ProfileId, user.record.ProfileId)),
    );
  }
  for (const assignment of org.table('PermissionSetAssignment')) {
    if (!sameId(assignment.AssigneeId, userId) || assignment.IsActive === false) continue;
    if (
      typeof assignment.ExpirationDate === 'string' &&
      Date.parse(assignment.ExpirationDate.replace('+0000', 'Z')) <= now
    )
      continue;
    hold(org.getById(assignment.PermissionSetId)?.record);
  }
  return held;
}

/** Whether the user holds a system permission through a permission set it holds now (profile included). */
export function userHasPermission(org: Org, userId: string, column: string): boolean {
  for (const set of heldPermissionSets(org, userId).values()) if (set[column] === true) return true;
  return false;
}

/**
 * The setup objects that answer only a user holding one of these permissions, as their "Special
 * Access Rules" say (see callerRows); INVALID_TYPE to anyone else.
 */
const SETUP_OBJECT_READERS: Record<string, readonly string[]> = {
  setupentityaccess: ['PermissionsViewSetup'],
  objectpermissions: ['PermissionsViewSetup'],
  fieldpermissions: ['PermissionsViewSetup'],
  permissionsetgroupcomponent: ['PermissionsViewSetup'],
  // Object Reference, MutingPermissionSet, "Special Access Rules" (Summer '20): View Setup and
  // Configuration, Manage Session Permission Set Activations (not modelled: no simulated set holds
  // it) or Assign Permission Sets.
  mutingpermissionset: ['PermissionsViewSetup', 'PermissionsAssignPermissionSets'],
  permissionset: [
    'PermissionsViewSetup',
    'PermissionsAssignPermissionSets',
    'PermissionsManageProfilesPermissionsets',
  ],
  permissionsetassignment: [
    'PermissionsViewSetup',
    'PermissionsAssignPermissionSets',
    'PermissionsManageUsers',
  ],
  userlogin: ['PermissionsManageUsers'],
};

/**
 * Whether the user reaches a setup object's REST resources (describe, record GET and PATCH) at
 * all. UserLogin: "To access this object, you need the UserPermissions.ManageUsers permission"
 * (Object Reference, UserLogin), so without it the object is no resource (404 NOT_FOUND), as SOQL
 * on it is INVALID_TYPE. The other setup objects' rules are modelled in SOQL only (callerRows).
 */
export function userReachesObject(org: Org, userId: string, schema: ObjectSchema): boolean {
  if (schema.name !== 'UserLogin') return true;
  return userHasPermission(org, userId, 'PermissionsManageUsers');
}

/**
 * What SOQL shows the session's user where Salesforce filters by caller:
 * - LoginHistory: every user's attempts need "Manage Users" or "Monitor Login History"; since API 37.0 anyone may read their
 *   own, so without it the query succeeds with the caller's rows only (Object Reference,
 *   LoginHistory, "Special Access Rules"): no error, which is why a collector must ask first.
 * - OauthToken: users with "Customize Application" see every user's tokens; anyone else only their
 *   own, again with no error (Object Reference, OauthToken, "Special Access Rules":
 *   https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_oauthtoken.htm;
 *   API 32.0's page named "Manage Users" instead, the current one names only Customize Application).
 * - UserPermissionAccess: one row, the caller's own system permissions (API 41.0 and later).
 * - ConnectedApplication: reading connected apps needs "Customize Application" AND either "Modify
 *   All Data" OR "Manage Connected Apps" (Salesforce Help, "Manage OAuth Access Policies for a
 *   Connected App", User Permissions Needed); without them the simulator hides the object, and SOQL
 *   answers INVALID_TYPE "sObject type 'ConnectedApplication' is not supported", as Salesforce does
 *   for any object the caller may not see. Whether Salesforce refuses or answers empty without the
 *   second permission is undocumented: the refusal is the one a reader can tell from "none".
 * - SetupEntityAccess: only users with "View Setup and Configuration" may access it (Object
 *   Reference, SetupEntityAccess, "Special Access Rules", Spring '20); likewise INVALID_TYPE.
 * - ObjectPermissions and FieldPermissions: the same rule since Summer '20 (Object Reference,
 *   "Special Access Rules"), so a user without View Setup cannot read anyone's object or field
 *   rights, which is what a collector connected as such a user meets.
 * - PermissionSetGroupComponent: the same rule since Spring '20 (Object Reference,
 *   PermissionSetGroupComponent, "Special Access Rules"), also as the sub-select of a semi-join.
 * - MutingPermissionSet: since Summer '20 "View Setup and Configuration", "Manage Session
 *   Permission Set Activations" or "Assign Permission Sets" (Object Reference, MutingPermissionSet,
 *   "Special Access Rules"); INVALID_TYPE without one.
 * - PermissionSet: since Summer '20 only users with "View Setup and Configuration", "Assign
 *   Permission Sets", "Manage Profiles and Permission Sets" or "Manage Session Permission Set
 *   Activations" (not modelled: no simulated set holds it) may access it; PermissionSetAssignment:
 *   "View Setup and Configuration", "Assign Permission Sets" or "Manage Users" (Object Reference,
 *   "Special Access Rules" of each). Without one, INVALID_TYPE like the others.
 * - UserLogin: "To access this object, you need the UserPermissions.ManageUsers permission"
 *   (Object Reference, UserLogin); INVALID_TYPE without it.
 * - DuplicateRule: since Summer '20 only users with "View Setup and Configuration" (Object
 *   Reference, DuplicateRule, "Special Access Rules"); INVALID_TYPE without it. Its rows are the
 *   objects' duplicate rules (duplicateRuleRows).
 * - RecordType: anyone's; its rows are the objects' record types (recordTypeRows).
 */
export function callerRows(org: Org, userId: string): RowSource {
  return (objectName, soql) => {
    switch (objectName.toLowerCase()) {
      case 'connectedapplication':
        if (
          !userHasPermission(org, userId, 'PermissionsCustomizeApplication') ||
          !(
            userHasPermission(org, userId, 'PermissionsModifyAllData') ||
            userHasPermission(org, userId, 'PermissionsManageConnectedApps')
          )
        )
          throw unsupportedType(soql, objectName);
        return undefined;
      case 'setupentityaccess':
      case 'objectpermissions':
      case 'fieldpermissions':
      case 'permissionsetgroupcomponent':
      case 'mutingpermissionset':
      case 'permissionset':
      case 'permissionsetassignment':
      case 'userlogin':
        if (
          !SETUP_OBJECT_READERS[objectName.toLowerCase()]!.some((column) =>
            userHasPermission(org, userId, column),
          )
        )
          throw unsupportedType(soql, objectName);
        return undefined;
      case 'duplicaterule':
        // Object Reference, DuplicateRule, "Special Access Rules": View Setup and Configuration.
        if (!userHasPermission(org, userId, 'PermissionsViewSetup'))
          throw unsupportedType(soql, objectName);
        return duplicateRuleRows(org);
      case 'recordtype':
        return recordTypeRows(org);
      case 'oauthtoken':
        return userHasPermission(org, userId, 'PermissionsCustomizeApplication')
          ? undefined
          : org.table('OauthToken').filter((row) => sameId(row.UserId, userId));
      case 'loginhistory':
        return userHasPermission(org, userId, 'PermissionsManageUsers') ||
          userHasPermission(org, userId, 'PermissionsMonitorLoginHistory')
          ? undefined
          : org.table('LoginHistory').filter((row) => sameId(row.UserId, userId));
      case 'userpermissionaccess': {
        const row: SRecord = { Id: '000000000000000AAA', LastCacheUpdate: null };
        for (const field of org.schema.get('UserPermissionAccess')?.fields.values() ?? []) {
          if (field.name.startsWith('Permissions'))
            row[field.name] = userHasPermission(org, userId, field.name);
        }
        return [row];
      }
      default: {
        const setting = org.schema.get(objectName);
        if (setting && isCustomSetting(setting) && !userReadsCustomSetting(org, userId, setting))
          throw unsupportedType(soql, objectName);
        // An object the user may not read does not exist for it (Object Reference, "Factors that
        // Affect Data Access": object-level security): INVALID_TYPE, as for an unknown object.
        const schema = org.schema.get(objectName);
        if (schema && !userHasObjectRight(org, userId, schema, 'read'))
          throw unsupportedType(soql, objectName);
        return undefined;
      }
    }
  };
}

/**
 * The DuplicateRule rows: every object's duplicate rules (ObjectSchema.duplicateRules), made at
 * each query so a rule added by addDuplicateRule is there at once, each with a stable Id (its
 * place among the org's rules). The actions are no columns of DuplicateRule.
 */
function duplicateRuleRows(org: Org): SRecord[] {
  const rows: SRecord[] = [];
  for (const schema of org.schema.all())
    for (const rule of schema.duplicateRules)
      rows.push({
        Id: `0Bm${String(rows.length + 1).padStart(12, '0')}AAA`,
        DeveloperName: rule.name.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, ''),
        MasterLabel: rule.name,
        IsActive: rule.active !== false,
        SobjectType: schema.name,
      });
  return rows;
}

/** The RecordType rows: every object's record types (ObjectSchema.recordTypes), made at each query. */
function recordTypeRows(org: Org): SRecord[] {
  return org.schema.all().flatMap((schema) =>
    schema.recordTypes.map((rt) => ({
      Id: rt.id,
      Name: rt.name,
      DeveloperName:
        rt.developerName ?? rt.name.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, ''),
      SobjectType: schema.name,
      IsActive: rt.active !== false,
    })),
  );
}

/** A custom setting (Sync_Doctor_Settings__c): a custom object the simulator keeps among setup objects. */
export function isCustomSetting(schema: ObjectSchema): boolean {
  return schema.kind === 'setup' && schema.custom;
}

/**
 * Reading a public custom setting through the API: with "Restrict access to custom settings" (on
 * by default since Spring '20) only users with "Customize Application", or whose profile or
 * permission sets grant it (the setting's Custom Setting Definitions access, or "View All Custom
 * Settings", which the simulator does not model) may (Salesforce Help, "Protection and Privacy
 * Options for Custom Settings"). "Modify All Data" reads it too, as everything else here. Without
 * it the object is not there for the user: INVALID_TYPE in SOQL, as Salesforce answers for an
 * object a user may not access (the exact answer for a custom setting is not documented).
 */
export function userReadsCustomSetting(org: Org, userId: string, schema: ObjectSchema): boolean {
  if (
    userHasPermission(org, userId, 'PermissionsCustomizeApplication') ||
    userHasPermission(org, userId, 'PermissionsModifyAllData')
  )
    return true;
  const name = schema.name.toLowerCase();
  for (const id of heldPermissionSets(org, userId).keys())
    if (org.customSettingAccess.get(id)?.has(name)) return true;
  return false;
}

/** A permission row with its parent set's 15-character id, as the indexes below keep it. */
interface IndexedRow {
  parent: string;
  /** FieldPermissions: the field's lower-case name (without the object); '' for ObjectPermissions. */
  field: string;
  row: SRecord;
}

interface PermissionIndex {
  version: number;
  /** Lower-case object name -> its ObjectPermissions rows. */
  objects: Map<string, IndexedRow[]>;
  /** Lower-case object name -> its FieldPermissions rows. */
  fields: Map<string, IndexedRow[]>;
}

const permissionIndexes = new WeakMap<Org, PermissionIndex>();

/**
 * ObjectPermissions and FieldPermissions rows by object, kept until the org changes (Org.version):
 * every read checks field-level security now, administrators' too, and the large org holds 60,000
 * field permissions, too many to scan for each describe or record read. Rights are read from the
 * rows themselves, so an index is right as long as no row was added, removed or re-parented.
 */
function permissionIndex(org: Org): PermissionIndex {
  const cached = permissionIndexes.get(org);
  if (cached && cached.version === org.version) return cached;
  const group = (table: string, fieldOf: (row: SRecord) => [string, string]) => {
    const byObject = new Map<string, IndexedRow[]>();
    for (const row of org.table(table)) {
      const [object, field] = fieldOf(row);
      let rows = byObject.get(object);
      if (!rows) byObject.set(object, (rows = []));
      rows.push({ parent: String(row.ParentId).slice(0, 15), field, row });
    }
    return byObject;
  };
  const index: PermissionIndex = {
    version: org.version,
    objects: group('ObjectPermissions', (row) => [String(row.SobjectType).toLowerCase(), '']),
    fields: group('FieldPermissions', (row) => {
      const name = String(row.Field).toLowerCase();
      const dot = name.indexOf('.');
      return [name.slice(0, dot), name.slice(dot + 1)];
    }),
  };
  // Reading a table can add the rows that came with time (LoginHistory), which moves the version.
  index.version = org.version;
  permissionIndexes.set(org, index);
  return index;
}

/** Whether a permission set the user holds now grants `column` (an ObjectPermissions right) on an object. */
function userHoldsObjectRight(org: Org, userId: string, object: string, column: string): boolean {
  const sets = heldPermissionSets(org, userId);
  return (permissionIndex(org).objects.get(object.toLowerCase()) ?? []).some(
    (o) => sets.has(o.parent) && o.row[column] === true,
  );
}

/** Whether the user holds "Modify All" on an object through a permission set it holds now. */
export function userModifiesAll(org: Org, userId: string, object: string): boolean {
  return userHoldsObjectRight(org, userId, object, 'PermissionsModifyAllRecords');
}

type ObjectRight = 'read' | 'create' | 'edit' | 'delete';

const RIGHT_COLUMN: Record<ObjectRight, string> = {
  read: 'PermissionsRead',
  create: 'PermissionsCreate',
  edit: 'PermissionsEdit',
  delete: 'PermissionsDelete',
};

/**
 * Whether Salesforce checks this object's rights against ObjectPermissions rows: data objects it
 * governs so (not User, Task or Event, which system permissions govern) and platform events (Read,
 * Create). Setup objects are guarded by system permissions where the simulator models them.
 */
function governedByObjectPermissions(schema: ObjectSchema): boolean {
  return (schema.kind === 'data' && schema.objectPermissions) || schema.kind === 'event';
}

/**
 * Whether the user holds an object right: "Modify All Data" holds every right on every object (and
 * "View All Data" Read), else one of its permission sets (profile included) must grant it.
 */
export function userHasObjectRight(
  org: Org,
  userId: string,
  schema: ObjectSchema,
  right: ObjectRight,
): boolean {
  if (!governedByObjectPermissions(schema)) return true;
  if (userHasPermission(org, userId, 'PermissionsModifyAllData')) return true;
  if (right === 'read' && userHasPermission(org, userId, 'PermissionsViewAllData')) return true;
  return userHoldsObjectRight(org, userId, schema.name, RIGHT_COLUMN[right]);
}

/**
 * The user's field-level security on an object's permissionable fields, keyed by lower-case field
 * name: 'edit' or 'read'; a field missing is hidden. null when the object has no field-level
 * security (setup objects, platform events, User). It comes from the FieldPermissions rows of the
 * permission sets the user holds (its profile's included) and, for Read, the object's "View All
 * Fields". "Modify All Data" and "View All Data" do not lift it: "Users with View All Data (or
 * Modify All Data) permission can view (or modify) all apps and data, even if the apps and data
 * aren't shared with them but must still be assigned field permissions" (Salesforce Help, "'View
 * All' and 'Modify All' Permissions Overview"). An administrator reads every field because the
 * System Administrator profile holds Read and Edit on every field (the fixtures' admin profile
 * does too, unless a fixture takes a field away from it).
 */
export function userFieldAccess(
  org: Org,
  userId: string,
  schema: ObjectSchema,
): Map<string, 'read' | 'edit'> | null {
  if (!hasFieldLevelSecurity(schema)) return null;
  const sets = heldPermissionSets(org, userId);
  const levels = new Map<string, 'read' | 'edit'>();
  for (const { parent, field: name, row } of permissionIndex(org).fields.get(
    schema.name.toLowerCase(),
  ) ?? []) {
    if (!sets.has(parent)) continue;
    if (row.PermissionsEdit === true) levels.set(name, 'edit');
    else if (row.PermissionsRead === true && !levels.has(name)) levels.set(name, 'read');
  }
  // "View All Fields" on the object: Read on every field of it (not Edit).
  if (userViewsAllFields(org, userId, schema.name))
    for (const field of schema.fields.values()) {
      const name = field.name.toLowerCase();
      if (underFieldLevelSecurity(field) && !levels.has(name)) levels.set(name, 'read');
    }
  return levels;
}

/**
 * Whether field-level security governs a field: a permissionable one that is not a master-detail
 * field. A master-detail field is always required, and required fields have no field-level
 * security (a permission set's fieldPermissions on one fails to deploy: "You cannot deploy to a
 * required field"), so every reader of the object sees it. The schema marks it not permissionable
 * (parseFieldSpec); the relationshipOrder check keeps this rule whole for any hand-built schema.
 */
export function underFieldLevelSecurity(field: FieldSchema): boolean {
  return field.permissionable && field.relationshipOrder === null;
}

/**
 * Whether an object's fields are under field-level security for the simulator: the data objects
 * ObjectPermissions govern (Account, Contact, the package's custom objects, ...). Not setup objects,
 * platform events (no field-level security) nor User, whose rights system permissions govern (its
 * IsActive has no field-level security at all; which other standard User fields do is not
 * modelled), nor Task and Event.
 */
function hasFieldLevelSecurity(schema: ObjectSchema): boolean {
  return schema.kind === 'data' && schema.objectPermissions;
}

/**
 * Whether the user reads a field: one without field-level security (Id, system audit fields,
 * required fields such as Account.Name, master-detail, compound and autonumber fields) always; else a
 * FieldPermissions row of a held set with Read (or Edit), or the object's "View All Fields".
 * "Modify All Data" and "View All Data" are not enough (see userFieldAccess).
 */
export function userReadsField(
  org: Org,
  userId: string,
  schema: ObjectSchema,
  field: FieldSchema,
): boolean {
  return callerFields(org, userId).sees(schema, field);
}

/** Whether the user holds "View All Fields" on an object through a permission set it holds now. */
function userViewsAllFields(org: Org, userId: string, object: string): boolean {
  return userHoldsObjectRight(org, userId, object, 'PermissionsViewAllFields');
}

/**
 * What a session's SOQL may name: the fields the user reads (userReadsField) and the objects it
 * reads (object-level security), worked out once per object for one query.
 */
export function callerFields(org: Org, userId: string): FieldGuard {
  const levels = new Map<string, Map<string, 'read' | 'edit'> | null>();
  const readable = new Map<string, boolean>();
  return {
    sees(object, field) {
      if (!underFieldLevelSecurity(field) || !hasFieldLevelSecurity(object)) return true;
      const key = object.name.toLowerCase();
      if (!levels.has(key)) levels.set(key, userFieldAccess(org, userId, object));
      const held = levels.get(key);
      return !held || held.has(field.name.toLowerCase());
    },
    reads(object) {
      const key = object.name.toLowerCase();
      if (!readable.has(key)) {
        let special = true;
        try {
          callerRows(org, userId)(object.name, '');
        } catch {
          special = false; // a setup object its special access rules keep from the user
        }
        readable.set(key, special && userHasObjectRight(org, userId, object, 'read'));
      }
      return readable.get(key)!;
    },
  };
}
