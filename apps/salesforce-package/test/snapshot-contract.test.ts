// Contract between the Apex and the core: the SOQL and DTOs of the Apex (read with apex-parser)
// provide every key the core's SNAPSHOT_SCHEMA and RelayedStatus name. A key the core adds and
// the Apex does not select fails here, not in an admin's org.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { PERMISSION_SET_FIELDS, SNAPSHOT_SCHEMA } from '../../../packages/core/src/snapshot/schema';
import type { JsonSchema } from '../../../packages/core/src/snapshot/jsonSchema';
import { listApexClasses, mapLiteralKeys, putKeys, soqlQueries } from './lib/apex';
import { CORE_SRC } from './lib/paths';
import { fieldPaths, recordSchema } from './lib/schemaPaths';

const apex = Object.fromEntries(
  listApexClasses().map((apexClass) => [apexClass.name, apexClass.source]),
);
const sections = SNAPSHOT_SCHEMA.properties as Record<string, JsonSchema>;

/** Snapshot section -> the SObject its records come from. */
const QUERIED_SECTIONS: Record<string, string> = {
  organization: 'Organization',
  user: 'User',
  assignments: 'PermissionSetAssignment',
  objectPermissions: 'ObjectPermissions',
  fieldPermissions: 'FieldPermissions',
};

/** Keys a section takes from another object: IsFrozen lives on UserLogin, not User. */
const FROM_OTHER_OBJECTS: Record<string, Record<string, string>> = {
  user: { IsFrozen: 'UserLogin' },
};

/**
 * Sections only the REST collector (packages/salesforce) needs to put; the core reads their absence
 * as "nothing to say".
 */
const NOT_FROM_APEX: Record<string, string> = {
  absentPermissions:
    'static SOQL names only columns the org has (it would not compile otherwise): none is ever absent',
  objects:
    'an object not listed is taken to exist, and the reader describes the standard synced objects',
};

/** The schema keys a query of `from` in `source` does not select (case-insensitive, like SOQL). */
export function missingSelections(source: string, from: string, required: string[]): string[] {
  const queries = soqlQueries(source).filter(
    (query) => query.from.toLowerCase() === from.toLowerCase(),
  );
  if (queries.length === 0) return required;
  const selected = new Set(
    queries.flatMap((query) => query.fields.map((field) => field.toLowerCase())),
  );
  return required.filter((key) => !selected.has(key.toLowerCase()));
}

describe('Apex snapshot reader against SNAPSHOT_SCHEMA', () => {
  const reader = apex.SyncDoctorSnapshotReader!;

  it('puts every top-level snapshot section', () => {
    const sectionKeys = putKeys(reader).filter((key) => key in sections);
    const expected = Object.keys(sections).filter((key) => !(key in NOT_FROM_APEX));
    expect(sectionKeys.sort()).toEqual(expected.sort());
    for (const key of Object.keys(NOT_FROM_APEX)) expect(sections).toHaveProperty(key);
  });

  it.each(Object.entries(QUERIED_SECTIONS))('selects every key of %s from %s', (section, from) => {
    const elsewhere = FROM_OTHER_OBJECTS[section] ?? {};
    const required = fieldPaths(recordSchema(sections[section]!)).filter(
      (key) => !(key in elsewhere),
    );
    expect(required.length).toBeGreaterThan(2);
    expect(missingSelections(reader, from, required)).toEqual([]);
    for (const [key, otherObject] of Object.entries(elsewhere)) {
      expect(missingSelections(reader, otherObject, [key])).toEqual([]);
      expect(putKeys(reader)).toContain(key);
    }
  });

  it('selects every PERMISSION_SET_FIELDS column the core asks collectors for', () => {
    const wanted = PERMISSION_SET_FIELDS.map((field: string) => `PermissionSet.${field}`);
    expect(missingSelections(reader, 'PermissionSetAssignment', wanted)).toEqual([]);
  });

  it('selects the system permissions the core requires by default', () => {
    const defaults = path.join(CORE_SRC, 'requirements', 'defaults.ts');
    const wanted = [
      ...new Set(readFileSync(defaults, 'utf8').match(/\bPermissions[A-Za-z]+/g) ?? []),
    ];
    expect(wanted).toContain('PermissionsApiEnabled');
    expect(
      missingSelections(
        reader,
        'PermissionSetAssignment',
        wanted.map((name) => `PermissionSet.${name}`),
      ),
    ).toEqual([]);
  });

  it('writes every FieldDescribe key for existing and missing fields', () => {
    const keys = fieldPaths(recordSchema(sections.fields!));
    expect(keys).toEqual(expect.arrayContaining(['permissionable', 'calculated', 'referenceTo']));
    const written = mapLiteralKeys(apex.SyncDoctorFieldDescriber!);
    expect(keys.filter((key) => !written.includes(key))).toEqual([]);
  });

  it('writes limits as { Max, Remaining }', () => {
    const keys = fieldPaths(recordSchema(sections.limits!));
    expect(keys.sort()).toEqual(['Max', 'Remaining']);
    expect(keys.filter((key) => !mapLiteralKeys(reader).includes(key))).toEqual([]);
  });

  it('would notice a key the Apex stops selecting (the check can fail)', () => {
    const withoutApiEnabled = reader.replace('PermissionSet.PermissionsApiEnabled,', '');
    const required = fieldPaths(recordSchema(sections.assignments!));
    expect(missingSelections(withoutApiEnabled, 'PermissionSetAssignment', required)).toEqual([
      'PermissionSet.PermissionsApiEnabled',
    ]);
  });
});

/** Property names of an exported interface in a core source file, read with the TypeScript parser. */
function interfaceKeys(file: string, name: string): string[] {
  const source = ts.createSourceFile(
    file,
    readFileSync(file, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
  );
  const declaration = source.statements.find(
    (statement): statement is ts.InterfaceDeclaration =>
      ts.isInterfaceDeclaration(statement) && statement.name.text === name,
  );
  if (!declaration) throw new Error(`${name} is not declared in ${file}`);
  return declaration.members.flatMap((member) =>
    ts.isPropertySignature(member) && ts.isIdentifier(member.name) ? [member.name.text] : [],
  );
}

describe('Apex JSON against the other core contracts', () => {
  it('gives every RelayedStatus key from HubSpot_Sync_Status__c', () => {
    const keys = interfaceKeys(path.join(CORE_SRC, 'relayed', 'status.ts'), 'RelayedStatus');
    expect(keys).toContain('history');
    expect(mapLiteralKeys(apex.SyncDoctorSuspensionStatusReader!).sort()).toEqual([...keys].sort());
  });

  it('answers applyRemediation with the keys of the Node twin of the remediation', () => {
    expect(mapLiteralKeys(apex.SyncDoctorRemediationApplier!)).toEqual(
      expect.arrayContaining([
        'permissionSetId',
        'assigned',
        'objectPermissions',
        'fieldPermissions',
        'permissionSet',
      ]),
    );
  });

  it('reads every RemediationPlan key the core writes', () => {
    const plan = apex.SyncDoctorRemediationPlan!;
    for (const key of [
      'assignPermissionSets',
      'objectPermissions',
      'fieldPermissions',
      'systemPermissions',
    ]) {
      expect(plan).toContain(`'${key}'`);
    }
    for (const key of [
      'sobjectType',
      'read',
      'create',
      'edit',
      'delete',
      'viewAll',
      'modifyAll',
      'field',
    ]) {
      expect(plan).toContain(`'${key}'`);
    }
  });

  it('shapes settings and candidates as the LWC expects', () => {
    expect(mapLiteralKeys(apex.SyncDoctorSettings!).sort()).toEqual([
      'extraFields',
      'portalId',
      'userId',
    ]);
    const finder = apex.SyncDoctorIntegrationUserFinder!;
    for (const field of ['userId', 'username', 'name', 'isActive', 'sources']) {
      expect(finder).toMatch(new RegExp(`public (Id|String|Boolean|List<String>) ${field}\\b`));
    }
    for (const source of ["'oauth'", "'permissionSet'", "'saved'"])
      expect(finder).toContain(source);
  });
});
