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
   * children, and the appliers save them in waves from it (savingWaves in packages/salesforce, the
   * same in Apex): a parent before its children, rows that need each other (Account and Contact
   * with Person Accounts) together in one save.
   */
  requiredBy?: string[];
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
