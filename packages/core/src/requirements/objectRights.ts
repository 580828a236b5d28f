/**
 * The rights of one ObjectPermissions row and how Salesforce ties them together, written once: the
 * diagnosis reads a row's rights through them (objects.ts), the plan adds what its rights need
 * (planRemediation), the appliers refuse a plan row lacking what its rights need
 * (grantable.ts objectRightsRefusal; the Apex applier keeps the same table, held to this one by a
 * static check), and requirements documents and reports list rights in this order.
 */
import type { ObjectAccess } from './types.js';

/** Every object right, in the order Setup shows them (and reports and requirements list them). */
export const OBJECT_RIGHTS: readonly ObjectAccess[] = [
  'read',
  'create',
  'edit',
  'delete',
  'viewAll',
  'modifyAll',
];

/**
 * The rights Salesforce requires beside each right in the same ObjectPermissions row ("Permission
 * Delete depends on permission(s): Edit"): Create, Edit and View All need Read, Delete needs Edit,
 * Modify All needs Delete and View All. Transitively, so Delete needs Read too.
 */
export const OBJECT_RIGHT_DEPENDENCIES: Readonly<Record<ObjectAccess, readonly ObjectAccess[]>> = {
  read: [],
  create: ['read'],
  edit: ['read'],
  delete: ['edit'],
  viewAll: ['read'],
  modifyAll: ['delete', 'viewAll'],
};

/** The ObjectPermissions column of each right. */
export const OBJECT_RIGHT_COLUMNS: Readonly<Record<ObjectAccess, string>> = {
  read: 'PermissionsRead',
  create: 'PermissionsCreate',
  edit: 'PermissionsEdit',
  delete: 'PermissionsDelete',
  viewAll: 'PermissionsViewAllRecords',
  modifyAll: 'PermissionsModifyAllRecords',
};

/** The rights with every right they need (OBJECT_RIGHT_DEPENDENCIES, transitively), in OBJECT_RIGHTS order. */
export function withObjectRightDependencies(rights: Iterable<ObjectAccess>): ObjectAccess[] {
  const all = new Set<ObjectAccess>();
  const add = (right: ObjectAccess): void => {
    if (all.has(right)) return;
    all.add(right);
    OBJECT_RIGHT_DEPENDENCIES[right].forEach(add);
  };
  for (const right of rights) add(right);
  return OBJECT_RIGHTS.filter((right) => all.has(right));
}
