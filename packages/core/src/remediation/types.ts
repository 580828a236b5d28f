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
}

/** One FieldPermissions row ('Contact.Email'); edit implies read. */
export interface PlannedFieldPermission {
  field: string;
  sobjectType: string;
  read: boolean;
  edit: boolean;
}

/** Something no permission set can fix: the admin does it by hand. */
export interface ManualStep {
  reason: ReasonCode;
  subject: string;
  step: string;
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
  manualSteps: ManualStep[];
  summary: string;
  isEmpty: boolean;
}
