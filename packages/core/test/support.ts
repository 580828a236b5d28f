/** Test helpers: the JSON fixtures and a mutable copy of the healthy snapshot to derive cases from. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnosis, Finding } from '../src/diagnosis/types.js';
import type {
  FieldPermissionsRecord,
  GroupComponentSetRecord,
  MutingPermissionSetRecord,
  ObjectPermissionsRecord,
  PermissionSetAssignmentRecord,
  PermissionSetRecord,
  Snapshot,
} from '../src/snapshot/types.js';

export const FIXTURES_DIR = join(__dirname, 'fixtures');

export const FIXTURE_NAMES = [
  'healthy',
  'missing-object-edit',
  'expired-assignment',
  'muted-permission-set-group',
  'modify-all-data-only',
  'non-permissionable-required-field',
  'read-only-mapped-field',
  'lookup-to-unreadable-object',
  'api-disabled',
  'limits-exhausted',
  'storage-full',
  'inactive-user',
  'session-based-set',
] as const;

export type FixtureName = (typeof FIXTURE_NAMES)[number];

export function fixture(name: FixtureName): Snapshot {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, `${name}.json`), 'utf8')) as Snapshot;
}

export const PROFILE_SET = '0PS5g00000ProfSGAQ';
export const HUBSPOT_SET = '0PS5g00000HubSpGAQ';
export const EXTRAS_SET = '0PS5g00000ExtrSGAQ';

export function set(s: Snapshot, id: string): PermissionSetRecord {
  const a = s.assignments!.find((x) => x.PermissionSetId === id);
  if (!a) throw new Error(`no assignment of ${id}`);
  return a.PermissionSet;
}

export function assignmentOf(s: Snapshot, id: string): PermissionSetAssignmentRecord {
  const a = s.assignments!.find((x) => x.PermissionSetId === id);
  if (!a) throw new Error(`no assignment of ${id}`);
  return a;
}

export function permissionSet(
  id: string,
  label: string,
  extra: Partial<PermissionSetRecord> = {},
): PermissionSetRecord {
  return {
    attributes: { type: 'PermissionSet' },
    Id: id,
    Name: label.replace(/\W+/g, '_'),
    Label: label,
    Type: 'Regular',
    IsOwnedByProfile: false,
    HasActivationRequired: false,
    Profile: null,
    ...extra,
  };
}

export function assign(
  s: Snapshot,
  ps: PermissionSetRecord,
  extra: Partial<PermissionSetAssignmentRecord> = {},
): void {
  s.assignments!.push({
    Id: `0Pa${ps.Id}`,
    PermissionSetId: ps.Id,
    ExpirationDate: null,
    PermissionSet: ps,
    ...extra,
  });
}

/** The muting permission set the tests give the 'Sales Ops' group (Setup: 'HubSpot Mutes'). */
export const HUBSPOT_MUTES = {
  Id: '0QM000000000001AAA',
  DeveloperName: 'HubSpot_Mutes',
  MasterLabel: 'HubSpot Mutes',
} satisfies MutingPermissionSetRecord;

/**
 * Assigns the permission set group 'Sales Ops' (group 0PG1, Status 'Updated', aggregate set
 * 0PS000000000GrpAAA) and returns its aggregate set: the group whose muting permission set may
 * remove a right HubSpot needs. `muting` is its MutingPermissionSets and `held` its PermissionSets,
 * each left out when undefined (a snapshot that did not read them); `aggregate` goes on the
 * aggregate set, e.g. `{ PermissionsApiEnabled: false }` for a right the group leaves out.
 */
export function assignSalesOpsGroup(
  s: Snapshot,
  {
    muting,
    held,
    aggregate = {},
  }: {
    muting?: MutingPermissionSetRecord[];
    held?: GroupComponentSetRecord[];
    aggregate?: Partial<PermissionSetRecord>;
  } = {},
): PermissionSetRecord {
  const group = permissionSet('0PS000000000GrpAAA', 'Sales Ops', { Type: 'Group', ...aggregate });
  assign(s, group, {
    PermissionSetGroupId: '0PG1',
    PermissionSetGroup: {
      Id: '0PG1',
      MasterLabel: 'Sales Ops',
      Status: 'Updated',
      ...(muting ? { MutingPermissionSets: muting } : {}),
      ...(held ? { PermissionSets: held } : {}),
    },
  });
  return group;
}

/** 'RCEDVMF' letters: Read, Create, Edit, Delete, View All, Modify All, View All Fields. */
export function objectRow(
  parentId: string,
  sobjectType: string,
  rights: string,
): ObjectPermissionsRecord {
  const has = (c: string) => rights.includes(c);
  return {
    ParentId: parentId,
    SobjectType: sobjectType,
    PermissionsRead: has('R'),
    PermissionsCreate: has('C'),
    PermissionsEdit: has('E'),
    PermissionsDelete: has('D'),
    PermissionsViewAllRecords: has('V'),
    PermissionsModifyAllRecords: has('M'),
    PermissionsViewAllFields: has('F'),
  };
}

export function fieldRow(
  parentId: string,
  field: string,
  read: boolean,
  edit: boolean,
): FieldPermissionsRecord {
  return {
    ParentId: parentId,
    SobjectType: field.split('.')[0]!,
    Field: field,
    PermissionsRead: read,
    PermissionsEdit: edit,
  };
}

export function removeObjectRows(s: Snapshot, sobjectType: string, parentId?: string): void {
  s.objectPermissions = s.objectPermissions!.filter(
    (r) => !(r.SobjectType === sobjectType && (!parentId || r.ParentId === parentId)),
  );
}

export function removeFieldRows(s: Snapshot, field: string): void {
  s.fieldPermissions = s.fieldPermissions!.filter((r) => r.Field !== field);
}

export function findingsFor(d: Diagnosis, subject: string): Finding[] {
  return d.findings.filter((f) => f.subject === subject);
}

export function onlyFinding(d: Diagnosis, subject: string): Finding {
  const found = findingsFor(d, subject);
  if (found.length !== 1)
    throw new Error(
      `expected one finding on ${subject}, got ${JSON.stringify(d.findings, null, 1)}`,
    );
  return found[0]!;
}

export function object(d: Diagnosis, name: string) {
  const o = d.objects.find((x) => x.name === name);
  if (!o) throw new Error(`no object ${name}`);
  return o;
}

export function field(d: Diagnosis, name: string) {
  const f = d.fields.find((x) => x.name === name);
  if (!f) throw new Error(`no field ${name}`);
  return f;
}
