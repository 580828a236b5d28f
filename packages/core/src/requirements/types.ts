/** What the HubSpot integration user must be able to do. */
export type ObjectAccess = 'read' | 'create' | 'edit' | 'delete' | 'viewAll' | 'modifyAll';
export type FieldAccess = 'read' | 'edit';

export interface ObjectRequirement {
  /** SObject API name: 'Contact'. */
  name: string;
  access: ObjectAccess[];
}

export interface FieldRequirement {
  /** 'Object.Field' API name: 'Contact.Email'. */
  name: string;
  access: FieldAccess[];
  /** The HubSpot property it is mapped from, for messages. */
  hubspotProperty?: string;
  /**
   * Checked only if the org has the field: absent, it is no finding. For a field HubSpot's sync
   * errors name on a HubSpot contact, which Salesforce holds as a Lead or a Contact: both are
   * required this way, and only the one that exists is judged. Not part of a requirements document.
   */
  ifExists?: true;
}

export interface Requirements {
  objects: ObjectRequirement[];
  fields: FieldRequirement[];
  /** Permission set names or labels that must be assigned: 'HubSpot Integration Permissions'. */
  permissionSets: string[];
  /** System permissions (PermissionSet column names): 'PermissionsApiEnabled'. */
  systemPermissions: string[];
}
