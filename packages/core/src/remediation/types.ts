import type { ReasonCode } from '../reasons/codes.js';
import type { ObjectAccess } from '../requirements/types.js';

/** One ObjectPermissions row to put into the remediation permission set (dependencies included). */
export interface PlannedObjectPermission {
  sobjectType: string;
  read: boolean;
  create: boolean;
  edit: boolean;
  delete: boolean;
  viewAll: boolean;
  /** Always false: Sync Doctor never grants Modify All. */
  modifyAll: boolean;
  /**
   * The planned objects whose rights need Read on this one in the same permission set (Salesforce
   * checks each set on its own: "Permission Read Contact depends on permission(s): Read Account").
   * Set on a parent the plan grants Read on for them; the plan lists such rows before their
   * children, and `saveWave` says when each row is saved.
   */
  requiredBy?: string[];
  /**
   * When the appliers (Node and Apex) save this row: each wave's rows by one DML statement, waves in
   * increasing order from 0. Computed from `requiredBy` by saveWaves, the one place the order is
   * decided: a parent's wave before its children's, rows that need each other (Account and Contact
   * with Person Accounts) in one wave, a chain one wave a link. An integer, 0 or more.
   */
  saveWave: number;
}

/** An object right the plan may put into a permission set (never Modify All). */
export type PlannedObjectRightName = Exclude<ObjectAccess, 'modifyAll'>;

/**
 * One object right of `objectPermissions`, and why the plan puts it into the set: the unit the
 * plan's summary, the confirmation dialog and the toast after the fix all count in, so they give
 * the same number, and the one the object matrix counts missing rights in.
 */
export interface PlannedObjectRight {
  sobjectType: string;
  right: PlannedObjectRightName;
  /**
   * true: the diagnosis found the integration user without it (the object matrix counts it).
   * false: not missing, but Salesforce needs it in the same permission set for the set's other
   * rights (Edit needs Read on its object, a field permission needs Read on its object, Contact's
   * rights need Read on Account), which Salesforce checks set by set.
   */
  missing: boolean;
  /**
   * For a right not missing: whether the user already has it through another profile or permission
   * set (true), or not (false); absent when the diagnosis did not judge the object.
   */
  grantedElsewhere?: boolean;
  /**
   * For a right not missing: what needs it in the set, as the summary and the dialog say it:
   * 'Create and Edit on Contact', 'the rights on Contact', 'the field permissions on Contact'.
   */
  neededFor?: string;
}

/** One FieldPermissions row ('Contact.Email'); edit implies read. */
export interface PlannedFieldPermission {
  field: string;
  sobjectType: string;
  read: boolean;
  edit: boolean;
}

/**
 * A HubSpot connected app that admits admin-approved users only: the remediation permission set is
 * approved for it (a SetupEntityAccess row), which approves the integration user.
 */
export interface PlannedConnectedAppAccess {
  /** The ConnectedApplication Id (SetupEntityAccess.SetupEntityId). */
  id: string;
  name: string;
}

/** Where the admin does a step by hand: in Salesforce's Setup, or in HubSpot's settings. */
export type ManualStepPlace = 'salesforce' | 'hubspot';

/** Something no permission set can fix: the admin does it by hand. */
export interface ManualStep {
  reason: ReasonCode;
  subject: string;
  step: string;
  /** The step in a few words for a to-do list (its finding's `action`); absent when `step` is short. */
  action?: string;
  /** Where it is done, decided from the finding (planRemediation's stepPlace), never from the text. */
  where: ManualStepPlace;
}

/**
 * What to grant so the integration user has exactly what is missing and nothing more. Apex (and the
 * Node twin `applyRemediation`) assign `assignPermissionSets` and write the rest into one permission
 * set, `Sync_Doctor_Remediation`, assigned to the user.
 */
export interface RemediationPlan {
  assignPermissionSets: string[];
  /**
   * true when assigning `assignPermissionSets` is the plan's first step: the snapshot holds the
   * rights of the user's assigned sets only, so what those sets would grant is not known, and the
   * grants below are what is missing without them. Once they are assigned, checking again
   * recomputes the grants (usually to none, for HubSpot's own set). The app offers Assign as its
   * primary action then.
   */
  assignFirst: boolean;
  objectPermissions: PlannedObjectPermission[];
  /** Every right `objectPermissions` grants, one each, in its rows' order, with why (see PlannedObjectRight). */
  objectRights: PlannedObjectRight[];
  fieldPermissions: PlannedFieldPermission[];
  /** PermissionSet columns to turn on: 'PermissionsApiEnabled', 'PermissionsEditTask'. */
  systemPermissions: string[];
  /** Connected apps to approve the user for through the remediation permission set. */
  connectedApps: PlannedConnectedAppAccess[];
  manualSteps: ManualStep[];
  summary: string;
  /**
   * The heading for the plan, true to where its fixes are done: 'Fix it in Salesforce' (grants and
   * Salesforce steps only, or nothing to fix), 'Fix it in HubSpot' (HubSpot steps only), or 'Fix it
   * in Salesforce and HubSpot'.
   */
  title: string;
  isEmpty: boolean;
}
