/**
 * Generated changes to the fixtures for the property tests: rights taken away, rights given, the
 * records shuffled, sections left unread. Each change is drawn as plain data (indexes and names)
 * and applied to a fresh copy of a fixture, so fast-check can shrink a failure to the fewest
 * changes and print them.
 */
import fc from 'fast-check';
import { OBJECT_RIGHT_COLUMNS } from '../src/requirements/objectRights.js';
import type { ObjectAccess } from '../src/requirements/types.js';
import type { RemediationPlan } from '../src/remediation/types.js';
import type {
  FieldPermissionsRecord,
  ObjectPermissionsRecord,
  Snapshot,
} from '../src/snapshot/types.js';
import {
  FIXTURE_NAMES,
  assign,
  fieldRow,
  fixture,
  objectRow,
  permissionSet,
  type FixtureName,
} from './support.js';

/** The ObjectPermissions column of each object right, in the core's order (read first). */
export const RIGHT_COLUMNS = Object.values(OBJECT_RIGHT_COLUMNS);

/** The system permissions HubSpot needs (API Enabled) or that grant a synced object (Edit Tasks). */
export const REQUIRED_SYSTEM_PERMISSIONS = [
  'PermissionsApiEnabled',
  'PermissionsEditTask',
] as const;

/** Every system permission a snapshot's permission sets carry. */
export const SYSTEM_PERMISSIONS = [
  ...REQUIRED_SYSTEM_PERMISSIONS,
  'PermissionsViewSetup',
  'PermissionsModifyAllData',
  'PermissionsViewAllData',
  'PermissionsViewAllUsers',
] as const;

/** Objects HubSpot syncs or reaches, and two it does not. */
export const SOME_OBJECTS = [
  'Lead',
  'Contact',
  'Account',
  'Opportunity',
  'Campaign',
  'Task',
  'User',
  'Event',
  'Case',
] as const;

export const fixtureName = fc.constantFrom<FixtureName>(...FIXTURE_NAMES);

/** A right of one ObjectPermissions row (the row picked modulo the fixture's row count). */
export interface RowRight {
  row: number;
  right: string;
}

export const rowRights = (maxLength: number) =>
  fc.array(fc.record({ row: fc.nat({ max: 999 }), right: fc.constantFrom(...RIGHT_COLUMNS) }), {
    maxLength,
  });

/**
 * A FieldPermissions row (picked modulo the row count) and `read`: whether taking Edit away takes
 * Read too, or giving Read gives Read only.
 */
export interface FieldChange {
  row: number;
  read: boolean;
}

export const fieldChanges = (maxLength: number) =>
  fc.array(fc.record({ row: fc.nat({ max: 999 }), read: fc.boolean() }), { maxLength });

/**
 * Salesforce's own dependencies between object rights, which it enforces on save: Modify All
 * brings View All, Edit and Delete; Delete brings Edit; every right brings Read. Written out here,
 * not taken from the core's OBJECT_RIGHT_DEPENDENCIES, so the inputs do not share a mistake with
 * the rules they test.
 */
export function withDependencies(row: ObjectPermissionsRecord): void {
  if (row.PermissionsModifyAllRecords) {
    row.PermissionsViewAllRecords = true;
    row.PermissionsEdit = true;
    row.PermissionsDelete = true;
  }
  if (row.PermissionsDelete) row.PermissionsEdit = true;
  if (
    row.PermissionsCreate ||
    row.PermissionsEdit ||
    row.PermissionsDelete ||
    row.PermissionsViewAllRecords
  )
    row.PermissionsRead = true;
}

/**
 * Without a right, Salesforce also takes what depends on it: no Read means nothing on the object,
 * no Edit means no Delete and no Modify All, no View All means no Modify All.
 */
function withoutDependents(row: ObjectPermissionsRecord): void {
  if (!row.PermissionsRead) for (const column of RIGHT_COLUMNS) row[column] = false;
  if (!row.PermissionsEdit) {
    row.PermissionsDelete = false;
    row.PermissionsModifyAllRecords = false;
  }
  if (!row.PermissionsDelete || !row.PermissionsViewAllRecords)
    row.PermissionsModifyAllRecords = false;
}

/** Applies a change to each row the picks name (modulo the row count, so any pick names one). */
function changeRows(
  s: Snapshot,
  rights: readonly RowRight[],
  fields: readonly FieldChange[],
  onObject: (row: ObjectPermissionsRecord, right: RowRight['right']) => void,
  onField: (row: FieldPermissionsRecord, read: boolean) => void,
): void {
  const objectRows = s.objectPermissions ?? [];
  if (objectRows.length)
    for (const { row, right } of rights) onObject(objectRows[row % objectRows.length]!, right);
  const fieldRows = s.fieldPermissions ?? [];
  if (fieldRows.length)
    for (const { row, read } of fields) onField(fieldRows[row % fieldRows.length]!, read);
}

/** Takes the rights away from the snapshot's rows, as an admin unticking boxes would. */
export function revoke(
  s: Snapshot,
  rights: readonly RowRight[],
  fields: readonly FieldChange[],
  system: readonly string[],
): void {
  changeRows(
    s,
    rights,
    fields,
    (row, right) => {
      row[right] = false;
      withoutDependents(row);
    },
    (row, read) => {
      row.PermissionsEdit = false;
      if (read) row.PermissionsRead = false;
    },
  );
  for (const permission of system)
    for (const a of s.assignments ?? [])
      (a.PermissionSet as Record<string, unknown>)[permission] = false;
}

/** Rights to take away from a fixture, drawn as data so a failure prints the changes alone. */
export interface Revocation {
  name: FixtureName;
  rights: RowRight[];
  fields: FieldChange[];
  system: string[];
}

export const revocations: fc.Arbitrary<Revocation> = fc.record({
  name: fixtureName,
  rights: rowRights(10),
  fields: fieldChanges(20),
  system: fc.subarray<string>([...REQUIRED_SYSTEM_PERMISSIONS]),
});

/** The fixture of `r` with its rights taken away. */
export function revokedFixture(r: Revocation): Snapshot {
  const s = fixture(r.name);
  revoke(s, r.rights, r.fields, r.system);
  return s;
}

/** Gives the rights on the snapshot's own rows, with what Salesforce saves along with them. */
export function grantOnRows(
  s: Snapshot,
  rights: readonly RowRight[],
  fields: readonly FieldChange[],
): void {
  changeRows(
    s,
    rights,
    fields,
    (row, right) => {
      row[right] = true;
      withDependencies(row);
    },
    (row, readOnly) => {
      row.PermissionsRead = true;
      if (!readOnly) row.PermissionsEdit = true;
    },
  );
}

/**
 * One more permission set for the user: some system permissions and some rights on some objects.
 * Its rows overlap the fixture's on the synced objects, which is what tells whether rights from
 * two sets add up.
 */
export interface ExtraSet {
  system: string[];
  objects: { sobjectType: string; rights: string[] }[];
}

export const extraSets: fc.Arbitrary<ExtraSet> = fc.record({
  system: fc.subarray<string>([...SYSTEM_PERMISSIONS]),
  objects: fc.uniqueArray(
    fc.record({
      sobjectType: fc.constantFrom(...SOME_OBJECTS),
      rights: fc.subarray(RIGHT_COLUMNS, { minLength: 1 }),
    }),
    { maxLength: 5, selector: (o) => o.sobjectType },
  ),
});

const EXTRA_SET = '0PS5g00000XtraPGAQ';

export function assignExtraSet(s: Snapshot, extra: ExtraSet): void {
  const ps = permissionSet(EXTRA_SET, 'Generated Extra Rights');
  for (const permission of extra.system) (ps as Record<string, unknown>)[permission] = true;
  s.assignments ??= [];
  assign(s, ps);
  s.objectPermissions ??= [];
  for (const { sobjectType, rights } of extra.objects) {
    const row = objectRow(EXTRA_SET, sobjectType, '');
    for (const right of rights) row[right] = true;
    withDependencies(row);
    s.objectPermissions.push(row);
  }
}

const REMEDIATION_SET = '0PS5g00000RemdPGAQ';

/**
 * What Apex and applyRemediation save for a plan, as a snapshot would then read it: one permission
 * set, Sync_Doctor_Remediation, assigned to the user, holding every planned grant. Only for plans
 * that assign no other set first (whose rights the snapshot does not hold).
 */
export function applyPlan(s: Snapshot, plan: RemediationPlan): void {
  const ps = permissionSet(REMEDIATION_SET, 'Sync Doctor Remediation');
  for (const permission of plan.systemPermissions)
    (ps as Record<string, unknown>)[permission] = true;
  s.assignments ??= [];
  assign(s, ps);
  s.objectPermissions ??= [];
  for (const o of plan.objectPermissions) {
    const row = objectRow(REMEDIATION_SET, o.sobjectType, '');
    for (const [right, column] of Object.entries(OBJECT_RIGHT_COLUMNS))
      row[column] = o[right as ObjectAccess];
    s.objectPermissions.push(row);
  }
  s.fieldPermissions ??= [];
  for (const f of plan.fieldPermissions)
    s.fieldPermissions.push(fieldRow(REMEDIATION_SET, f.field, f.read, f.edit));
}

/** A permutation of `items` from fast-check's numbers: sorted by random keys, ties reversed. */
export function permutationOf<T>(items: readonly T[], keys: readonly number[]): T[] {
  return items
    .map((item, i) => ({ item, key: keys[i % Math.max(keys.length, 1)] ?? 0, i }))
    .sort((a, b) => a.key - b.key || b.i - a.i)
    .map((x) => x.item);
}
