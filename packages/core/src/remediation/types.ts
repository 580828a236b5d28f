import type { ReasonCode } from '../reasons/codes.js';

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
  objectPermissions: PlannedObjectPermission[];
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
