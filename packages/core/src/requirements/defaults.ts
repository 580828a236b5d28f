/**
 * DEFAULT_REQUIREMENTS: what HubSpot's Salesforce connector needs of its integration user, and
 * mergeRequirements to add an org's own mapped fields to it.
 *
 * Objects: HubSpot's article ("Resolve Salesforce integration suspension errors") asks for read and
 * edit on Leads, Contacts, Accounts, Opportunities, Campaigns, Tasks and Users. What the connector
 * really does with each, and so what we require (least privilege; never delete, never Modify All):
 * - Lead, Contact: HubSpot creates them from HubSpot contacts and updates them -> read, create, edit.
 * - Account, Opportunity: created and updated once company / deal sync is on -> read, create, edit.
 * - Campaign: HubSpot reads campaigns and adds leads/contacts to them (campaign members); adding
 *   members needs edit on the campaign, and Salesforce only lets Marketing Users edit campaigns
 *   -> read, edit (the Marketing User checkbox is judged separately).
 * - Task: HubSpot logs its activities as Salesforce tasks -> read, create, edit ("Edit Tasks").
 * - User: HubSpot reads users to match record owners with HubSpot owners; it never edits users, and
 *   editing users would need "Manage Users", far more than the sync needs -> read only.
 */
import { HUBSPOT_DEFAULT_FIELD_MAPPINGS } from './hubspotDefaultMappings.js';
import { OBJECT_RIGHTS } from './objectRights.js';
import type {
  FieldAccess,
  FieldRequirement,
  ObjectAccess,
  ObjectRequirement,
  Requirements,
} from './types.js';

/** The permission set HubSpot's managed package installs; the article names it by this label. */
export const HUBSPOT_PERMISSION_SET = 'HubSpot Integration Permissions';

export const DEFAULT_REQUIREMENTS: Requirements = {
  objects: [
    { name: 'Lead', access: ['read', 'create', 'edit'] },
    { name: 'Contact', access: ['read', 'create', 'edit'] },
    { name: 'Account', access: ['read', 'create', 'edit'] },
    { name: 'Opportunity', access: ['read', 'create', 'edit'] },
    { name: 'Campaign', access: ['read', 'edit'] },
    { name: 'Task', access: ['read', 'create', 'edit'] },
    { name: 'User', access: ['read'] },
  ],
  fields: HUBSPOT_DEFAULT_FIELD_MAPPINGS.map((m) => ({
    name: m.salesforce,
    access: [...m.access],
    hubspotProperty: m.hubspotProperty,
  })),
  permissionSets: [HUBSPOT_PERMISSION_SET],
  systemPermissions: ['PermissionsApiEnabled'],
};

const OBJECT_ORDER: readonly ObjectAccess[] = OBJECT_RIGHTS;
const FIELD_ORDER: FieldAccess[] = ['read', 'edit'];

function unionInOrder<T extends string>(
  order: readonly T[],
  a: readonly T[],
  b: readonly T[],
): T[] {
  const wanted = new Set<T>([...a, ...b]);
  return order.filter((x) => wanted.has(x));
}

function mergeNamed<R extends { name: string; access: T[] }, T extends string>(
  order: readonly T[],
  base: readonly R[],
  extra: readonly R[],
): R[] {
  // Salesforce API names are case-insensitive: 'contact.email' and 'Contact.Email' are one field.
  const byName = new Map<string, R>();
  for (const item of [...base, ...extra]) {
    const key = item.name.toLowerCase();
    const known = byName.get(key);
    if (!known) {
      byName.set(key, { ...item, access: unionInOrder(order, [], item.access) });
    } else {
      const merged: R = {
        ...item,
        ...known,
        access: unionInOrder(order, known.access, item.access),
      };
      // A field required outright stays required: "only if it exists" holds only when both say so.
      const conditional = (r: R) => (r as { ifExists?: boolean }).ifExists === true;
      if (!conditional(known) || !conditional(item))
        delete (merged as { ifExists?: boolean }).ifExists;
      byName.set(key, merged);
    }
  }
  return [...byName.values()];
}

function mergeNames(a: readonly string[], b: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const name of [...a, ...b])
    if (!seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name);
  return [...seen.values()];
}

/**
 * Adds `extra` to `base` (an org's own mapped fields, an extra object): rights are unioned, names
 * matched case-insensitively, nothing in `base` is dropped. Neither argument is modified.
 */
export function mergeRequirements(base: Requirements, extra: Partial<Requirements>): Requirements {
  return {
    objects: mergeNamed<ObjectRequirement, ObjectAccess>(
      OBJECT_ORDER,
      base.objects,
      extra.objects ?? [],
    ),
    fields: mergeNamed<FieldRequirement, FieldAccess>(FIELD_ORDER, base.fields, extra.fields ?? []),
    permissionSets: mergeNames(base.permissionSets, extra.permissionSets ?? []),
    systemPermissions: mergeNames(base.systemPermissions, extra.systemPermissions ?? []),
  };
}
