/**
 * The snapshot: what Sync Doctor reads from a Salesforce org about one integration user.
 * Records keep the shape the REST API returns (field API names as keys; `attributes` may be present
 * and is ignored), so Apex `JSON.serialize` output and jsforce query results need no mapping.
 * Every section but `capturedAt` may be absent: the diagnosis then says what it could not judge.
 */
import type { FrozenRead } from './frozenRead.js';

/** A Salesforce record as the REST API returns it. */
export interface SObjectRecord {
  attributes?: { type: string; url?: string };
  [field: string]: unknown;
}

export interface OrganizationRecord extends SObjectRecord {
  Id: string;
  Name?: string;
  InstanceName?: string;
  IsSandbox?: boolean;
  OrganizationType?: string;
  /** Org-wide defaults: 'None' | 'Read' | 'Edit' | 'ReadEditTransfer' | 'ControlledByParent' | ... */
  DefaultAccountAccess?: string;
  DefaultContactAccess?: string;
  DefaultLeadAccess?: string;
  DefaultOpportunityAccess?: string;
  DefaultCampaignAccess?: string;
  DefaultCaseAccess?: string;
  DefaultCalendarAccess?: string;
}

export interface UserRecord extends SObjectRecord {
  Id: string;
  Username: string;
  Name?: string;
  IsActive: boolean;
  UserPermissionsMarketingUser?: boolean;
  /** UserLogin.IsFrozen: a frozen user cannot log in, like an inactive one (optional; collectors may add it). */
  IsFrozen?: boolean | null;
  ProfileId?: string;
  Profile?: { Name: string } | null;
}

/** PermissionSet with the system permissions that matter (Permissions* booleans). */
export interface PermissionSetRecord extends SObjectRecord {
  Id: string;
  Name: string;
  Label?: string;
  /** 'Regular' | 'Profile' | 'Group' | 'Session' | 'Standard' | 'Custom' ... */
  Type?: string | null;
  IsOwnedByProfile: boolean;
  HasActivationRequired?: boolean;
  Profile?: { Name: string } | null;
  PermissionsApiEnabled?: boolean;
  PermissionsViewSetup?: boolean;
  PermissionsModifyAllData?: boolean;
  PermissionsViewAllData?: boolean;
  PermissionsEditTask?: boolean;
  PermissionsViewAllUsers?: boolean;
  /**
   * "Update Records with Inactive Owners": lets the user update records whose owner is inactive
   * (Salesforce's INACTIVE_OWNER_OR_USER otherwise). The column exists only once the org turns on
   * its User Interface setting; read to answer such sync errors, never required.
   */
  PermissionsUpdateWithInactiveOwner?: boolean;
}

export interface PermissionSetAssignmentRecord extends SObjectRecord {
  Id: string;
  PermissionSetId: string;
  PermissionSetGroupId?: string | null;
  /** ISO date-time; an assignment past it grants nothing. */
  ExpirationDate?: string | null;
  PermissionSet: PermissionSetRecord;
  /** Present when the assignment is of a permission set group (Status 'Updated' | 'Outdated' | 'Updating' | 'Failed'). */
  PermissionSetGroup?: {
    Id: string;
    DeveloperName?: string;
    MasterLabel?: string;
    Status?: string;
    /** A session-based group (API 53.0+): grants nothing until a session activates it. */
    HasActivationRequired?: boolean;
    /**
     * The group's muting permission sets (its PermissionSetGroupComponent rows whose PermissionSetId
     * is a MutingPermissionSet, Id prefix 0QM): what they mute is what the group's aggregate set
     * leaves out. Absent when not read (an older snapshot or reader, or a reader refused
     * PermissionSetGroupComponent; null alike); [] when read and the group has none.
     */
    MutingPermissionSets?: MutingPermissionSetRecord[] | null;
    /**
     * The group's regular permission sets (its PermissionSetGroupComponent rows whose PermissionSetId
     * is a PermissionSet, Id prefix 0PS, with PermissionSet.Name and .Label): whether the group holds
     * a required set such as HubSpot's. Absent when not read (null alike); [] when read and it holds none.
     */
    PermissionSets?: GroupComponentSetRecord[] | null;
  } | null;
}

/** A permission set held by a permission set group (PermissionSetGroupComponent.PermissionSet). */
export interface GroupComponentSetRecord extends SObjectRecord {
  Id: string;
  Name: string;
  Label?: string | null;
}

/** A muting permission set (Setup > Permission Set Groups > the group > Muting Permission Set). */
export interface MutingPermissionSetRecord extends SObjectRecord {
  Id: string;
  DeveloperName?: string;
  MasterLabel?: string;
  /**
   * The system permissions it mutes (true = muted; MUTING_PERMISSION_SET_FIELDS). Absent when not
   * read: the set may then mute any of them. "Edit Tasks" / "Edit Events" are how Task and Event
   * rights are granted, so a set muting them takes those away as an object setting would.
   */
  PermissionsApiEnabled?: boolean;
  PermissionsEditTask?: boolean;
  PermissionsEditEvent?: boolean;
}

export interface ObjectPermissionsRecord extends SObjectRecord {
  ParentId: string;
  SobjectType: string;
  PermissionsRead: boolean;
  PermissionsCreate: boolean;
  PermissionsEdit: boolean;
  PermissionsDelete: boolean;
  PermissionsViewAllRecords: boolean;
  PermissionsModifyAllRecords: boolean;
  PermissionsViewAllFields?: boolean;
}

export interface FieldPermissionsRecord extends SObjectRecord {
  ParentId: string;
  SobjectType: string;
  /** 'Contact.Email' */
  Field: string;
  PermissionsRead: boolean;
  PermissionsEdit: boolean;
}

/**
 * One login attempt of the integration user (LoginHistory; Setup > Users > Login History). HubSpot
 * refreshes its OAuth token as this user, and each refresh is an attempt named after HubSpot's
 * connected app in `Application`. `Status` is Salesforce's free text: 'Success', 'Restricted IP',
 * 'Restricted Time', 'User is Frozen', 'Password Lockout', ...
 */
export interface LoginHistoryRecord extends SObjectRecord {
  LoginTime: string;
  Status: string;
  Application?: string | null;
  LoginType?: string | null;
  SourceIp?: string | null;
}

/**
 * A connected app whose name says it is HubSpot's (ConnectedApplication; Setup > Connected Apps >
 * Manage Connected Apps). Salesforce lists a connected app here once an admin installed it in the
 * org; HubSpot's app is used without installing it until then. Its OAuth policies decide whether
 * HubSpot's login as the integration user is let in and how long its refresh token lives.
 */
export interface ConnectedAppRecord extends SObjectRecord {
  Id: string;
  Name: string;
  /** Permitted Users: "Admin approved users are pre-authorized". */
  OptionsAllowAdminApprovedUsersOnly?: boolean | null;
  /** Session policy: "High assurance session required". */
  OptionsHasSessionLevelPolicy?: boolean | null;
  /** true: refresh tokens expire after a period of inactivity; false: a period after they are issued. */
  OptionsRefreshTokenValidityMetric?: boolean | null;
  /** The refresh token policy's period (its unit, hours, days or months, is not in the API); null: valid until revoked. */
  RefreshTokenValidityPeriod?: number | null;
}

/** A profile's or permission set's access to a connected app (SetupEntityAccess, SetupEntityType 'ConnectedApplication'). */
export interface ConnectedAppAccessRecord extends SObjectRecord {
  /** The PermissionSet Id (a profile's own permission set for a profile). */
  ParentId: string;
  /** The ConnectedApplication Id. */
  SetupEntityId: string;
}

/** HubSpot's connected apps in the org and which of the integration user's permission sets may use them. */
export interface ConnectedAppsSection {
  /** ConnectedApplication rows named like HubSpot (CONNECTED_APP_NAME_LIKE); empty: none installed. */
  apps: ConnectedAppRecord[];
  /** SetupEntityAccess rows of the integration user's assigned permission sets (and profile) for connected apps. */
  access: ConnectedAppAccessRecord[];
}

/**
 * One of the org's validation rules as the Tooling API's ValidationRule answers it (Setup > Object
 * Manager > the object > Validation Rules): the Node collector reads the active ones when HubSpot's
 * sync errors hold a "custom code" group, to name the rule whose message Salesforce sent.
 */
export interface ValidationRuleRecord extends SObjectRecord {
  Id?: string;
  ValidationName: string;
  Active?: boolean;
  ErrorMessage: string | null;
  ErrorDisplayField?: string | null;
  EntityDefinition: { QualifiedApiName: string } | null;
}

/** Describe facts for one field, keyed 'Object.Field' in `Snapshot.fields`. */
export interface FieldDescribe {
  permissionable: boolean;
  calculated: boolean;
  /**
   * Describe's `autoNumber`: Salesforce numbers the field itself. Like a calculated field, its
   * field-level security is Read at most, so Edit on it is never planned (Salesforce refuses a
   * FieldPermissions row asking it). Absent from older snapshots: judged as before.
   */
  autoNumber?: boolean;
  nillable?: boolean;
  type?: string;
  referenceTo?: string[];
  /** false when the field does not exist in the org (a mapped field that was deleted, say). */
  exists?: boolean;
  /**
   * Describe's `createable` and `updateable`: whether the user who described the org may set the
   * field on create and on update. They speak for that user (its field-level security and object
   * rights), so the core reads "nobody can write it" from them only for a field without field-level
   * security on an object that user may write (see ObjectDescribe.createable). Absent from older
   * snapshots: the core then says nothing about it.
   */
  createable?: boolean;
  updateable?: boolean;
  /**
   * A picklist's or multi-select picklist's active values (describe's picklistValues with `active`
   * true, by API value, in the describe's order). Read so that a value a sync error says Salesforce
   * refused can be checked against the picklist as it is now. Absent for other fields and from
   * older snapshots: nothing is said of the values then. The field's own list only: a record type
   * may offer fewer of them.
   */
  picklistValues?: string[] | null;
  /** Describe's `restrictedPicklist`: Salesforce refuses any value not among the picklist's, even through the API. */
  restrictedPicklist?: boolean | null;
  /**
   * true: the user who read the org (`Snapshot.reader`) may not see this field (no field-level
   * security of its own, and no Modify All Data), so Salesforce's describe left it out whether or
   * not it exists. `exists` is then false but says nothing: the core judges it as unknown, not as
   * deleted, and the other facts are not known either. Absent: the describe can be believed.
   */
  hiddenFromReader?: boolean;
}

/** Describe facts for one object, keyed by its API name in `Snapshot.objects`. */
export interface ObjectDescribe {
  /** false when the org has no object of that API name (a deleted custom object, a typo). */
  exists: boolean;
  /**
   * The masters of a custom detail object: the `referenceTo` of its master-detail fields (describe's
   * reference fields with a non-null `relationshipOrder`, which also cascade delete). Salesforce
   * refuses any right on the detail in a permission set without Read on each master in that set.
   * [] when it has none; absent when not described (older snapshots): the plan then adds none.
   */
  masterDetailParents?: string[];
  /**
   * On Account only: whether the org uses Person Accounts (its describe has the IsPersonAccount
   * field, which exists only then). In such an org a permission set's Account rights need Read on
   * Contact in that same set. Absent when not known.
   */
  personAccounts?: boolean;
  /**
   * Describe's object-level `createable` / `updateable`: whether the user who described the org may
   * create / edit its records. Only qualifies FieldDescribe.createable/updateable (a field that user
   * may not write on an object it may write cannot be written by anyone through object access).
   */
  createable?: boolean;
  updateable?: boolean;
  /**
   * true: the user who read the org (`Snapshot.reader`) may not read this object (no Read of its
   * own, nor Modify All Data or View All Data), and Salesforce answers its describe with NOT_FOUND
   * as for an object that does not exist. `exists` is then false but says nothing: the core judges
   * the object's existence and describe facts as unknown, not as deleted. Absent: the answer can be
   * believed.
   */
  hiddenFromReader?: boolean;
}

/**
 * The user who read the org (the connection's own user), named when it differs from the
 * integration user and some object or field was hidden from it (`hiddenFromReader`).
 */
export interface ReaderRecord extends SObjectRecord {
  Id?: string | null;
  Username: string;
  Name?: string | null;
}

/** One entry of /limits: { Max, Remaining } plus per-connected-app sub-entries. */
export interface LimitEntry {
  Max: number;
  Remaining: number;
  [appName: string]: number | { Max: number; Remaining: number };
}

export interface Snapshot {
  /** Format version of this document. */
  schemaVersion?: 1;
  capturedAt: string;
  organization?: OrganizationRecord;
  user?: UserRecord;
  assignments?: PermissionSetAssignmentRecord[];
  objectPermissions?: ObjectPermissionsRecord[];
  fieldPermissions?: FieldPermissionsRecord[];
  fields?: Record<string, FieldDescribe>;
  /**
   * Whether the required objects exist, keyed by API name (any case). An object not listed is
   * assumed to exist: collectors that read a fixed set of standard objects need not say so.
   */
  objects?: Record<string, ObjectDescribe>;
  /**
   * System permissions ('PermissionsApiEnabled') the collector asked PermissionSet for and this org
   * has no column of (its edition or features lack them): they can be neither granted nor checked.
   */
  absentPermissions?: string[];
  /**
   * The user who read the org, when objects or fields were hidden from it (see
   * ObjectDescribe.hiddenFromReader): the diagnosis names it in what it could not check.
   */
  reader?: ReaderRecord;
  limits?: Record<string, LimitEntry>;
  /**
   * The integration user's login attempts of the last LOGIN_HISTORY_DAYS days, newest first, at most
   * LOGIN_HISTORY_LIMIT (see schema.ts). Absent when not read: LoginHistory needs "Manage Users".
   */
  logins?: LoginHistoryRecord[];
  /**
   * HubSpot's connected apps and the user's access to them. Absent when not read: reading
   * ConnectedApplication needs "Customize Application".
   */
  connectedApps?: ConnectedAppsSection;
  /**
   * Whether the user's frozen state (`user.IsFrozen`, from UserLogin) was read, and why not: both
   * readers put it (the Apex reader always, the Node collector when it asked UserLogin). Unread,
   * its cause says what the admin can do (uncheckedOf): a right to get ('needs-manage-users') or
   * only a check by hand. Absent (older snapshots): "Manage Users" is named.
   */
  frozenRead?: FrozenRead | null;
  /**
   * The org's active validation rules (Tooling API), read by the Node collector only when HubSpot's
   * sync errors hold a "custom code" group: the Apex cannot reach the Tooling API without a
   * callout, so the app never has them. Absent when not read; not in the snapshot's schema.
   */
  validationRules?: ValidationRuleRecord[];
  /**
   * The User Interface API's duplicates configurations (GET /ui-api/duplicates/{object}) of the
   * objects a duplicate sync error names, read by the Node collector only when HubSpot's sync
   * errors hold a group a duplicate rule refused (DUPLICATES_DETECTED). The app's Apex
   * (SyncDoctorDuplicateRuleReader) sends the same shape for every scope object, each rule with
   * its name alone: the DuplicateRule object holds no actions. Absent when not read (the Apex's
   * admin lacks View Setup and Configuration); not in the snapshot's schema.
   */
  duplicateRules?: unknown[];
  /**
   * The active record types of the objects of HubSpot's picklist sync errors, with each one's
   * picklist values: `{ apiName, recordTypes: [{ name, developerName, picklistFieldValues }] }`
   * per object, picklistFieldValues as the User Interface API answers GET
   * /ui-api/object-info/{object}/picklist-values/{recordTypeId}. Read by the Node collector only
   * when such a group is shown; absent when not read; not in the snapshot's schema.
   */
  recordTypePicklists?: unknown[];
}
