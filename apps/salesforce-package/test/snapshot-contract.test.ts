// Contract between the Apex and the core: the SOQL and DTOs of the Apex (read with apex-parser)
// provide every key the core's SNAPSHOT_SCHEMA and RelayedStatus name. A key the core adds and
// the Apex does not select fails here, not in an admin's org.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import {
  CONNECTED_APP_ACCESS_FIELDS,
  CONNECTED_APP_FIELDS,
  CONNECTED_APP_NAME_LIKE,
  LOGIN_HISTORY_DAYS,
  LOGIN_HISTORY_FIELDS,
  LOGIN_HISTORY_LIMIT,
  MUTING_PERMISSION_SET_FIELDS,
  PERMISSION_SET_FIELDS,
  SNAPSHOT_SCHEMA,
} from '../../../packages/core/src/snapshot/schema.js';
import type { JsonSchema } from '../../../packages/core/src/snapshot/jsonSchema.js';
import { ApexLexer } from '@apexdevtools/apex-parser';
import {
  dynamicQueries,
  listApexClasses,
  mapLiteralKeys,
  methodText,
  parseApex,
  putKeys,
  soqlQueries,
  type SoqlQuery,
  apexFamilySource,
} from './lib/apex.js';
import { CORE_SRC } from './lib/paths.js';
import { mutingSetSubRequests } from '../../../packages/salesforce/src/collect/mutingSets.js';
import {
  OBJECT_PERMISSION_COLUMNS,
  OBJECT_PERMISSION_OPTIONAL,
  ORGANIZATION_COLUMNS,
  ORGANIZATION_OPTIONAL,
} from '../../../packages/salesforce/src/collect/columns.js';
import { fieldPaths, recordSchema } from './lib/schemaPaths.js';

// A class split by concern reads as its whole family (APEX_CLASS_FAMILIES in lib/apex.ts).
const apexClasses = listApexClasses();
const apex = Object.fromEntries(
  apexClasses.map((apexClass) => [apexClass.name, apexFamilySource(apexClass.name, apexClasses)]),
);
const sections = SNAPSHOT_SCHEMA.properties as Record<string, JsonSchema>;

/** Snapshot section -> the SObject its records come from. */
const QUERIED_SECTIONS: Record<string, string> = {
  organization: 'Organization',
  user: 'User',
  assignments: 'PermissionSetAssignment',
  objectPermissions: 'ObjectPermissions',
  fieldPermissions: 'FieldPermissions',
  logins: 'LoginHistory',
};

/**
 * Keys the reader writes into a section's records itself rather than selects with them: a group's
 * muting permission sets and its regular permission sets come from PermissionSetGroupComponent
 * (checked on their own, below).
 */
const WRITTEN_INTO: Record<string, string[]> = {
  assignments: ['PermissionSetGroup.MutingPermissionSets', 'PermissionSetGroup.PermissionSets'],
};

/** Keys a section takes from another object: IsFrozen lives on UserLogin, not User. */
const FROM_OTHER_OBJECTS: Record<string, Record<string, string>> = {
  user: { IsFrozen: 'UserLogin' },
};

/** The string literals of a `List<String> NAME = new List<String>{ ... }` constant. */
export function listConstant(source: string, name: string): string[] {
  const { tokens } = parseApex(source);
  const start = tokens.findIndex(
    (token, index) =>
      token.type === ApexLexer.Identifier &&
      token.text === name &&
      tokens[index + 1]?.type === ApexLexer.ASSIGN,
  );
  if (start < 0) return [];
  const open = tokens.findIndex((token, index) => index > start && token.type === ApexLexer.LBRACE);
  const values: string[] = [];
  for (let index = open + 1; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (token.type === ApexLexer.RBRACE) break;
    if (token.type === ApexLexer.StringLiteral) values.push(token.text.slice(1, -1));
  }
  return values;
}

/**
 * The columns the reader's dynamic assignments query can select: ASSIGNMENT_COLUMNS, plus
 * 'PermissionSet.' and each of SYSTEM_PERMISSIONS the org has a column for (the others are put
 * into absentPermissions). Nothing when the query is not built that way.
 */
function dynamicAssignmentColumns(source: string): string[] {
  const built =
    dynamicQueries(source).some((query) => query.from === 'PermissionSetAssignment') &&
    /new List<String>\(ASSIGNMENT_COLUMNS\)/.test(source) &&
    /for \(String permission : SYSTEM_PERMISSIONS\)/.test(source) &&
    /'PermissionSet\.' \+ permission/.test(source);
  if (!built) return [];
  return [
    ...listConstant(source, 'ASSIGNMENT_COLUMNS'),
    ...listConstant(source, 'SYSTEM_PERMISSIONS').map(
      (permission) => `PermissionSet.${permission}`,
    ),
  ];
}

/**
 * The columns of a dynamic query of `from` built from a fixed list and the optional columns this
 * org's describe lists: `columns = new List<String>(REQUIRED)`, then
 * `columns.addAll(presentColumns(Schema.SObjectType.<from>.fields.getMap(), OPTIONAL))`, selected
 * by `'SELECT ' + String.join(columns, ', ') + ' FROM <from>...'`. null when it is not built so.
 */
export function describedColumns(
  source: string,
  from: string,
): { columns: string[]; optional: string[] } | null {
  const query = dynamicQueries(source).find(
    (candidate) => candidate.from?.toLowerCase() === from.toLowerCase(),
  );
  if (!query?.method) return null;
  const text = methodText(source, query.method);
  const built = new RegExp(
    `List<String>columns=newList<String>\\((\\w+)\\);` +
      `columns\\.addAll\\((?:\\w+\\.)?presentColumns\\(Schema\\.SObjectType\\.${from}\\.fields\\.getMap\\(\\),(\\w+)\\)\\);`,
  ).exec(text);
  if (!built || !text.includes(`'SELECT '+String.join(columns,', ')+' FROM ${from}`)) return null;
  return { columns: listConstant(source, built[1]!), optional: listConstant(source, built[2]!) };
}

/**
 * The SOQL each dynamic query of `from` sends, as its method builds the statement it passes: the
 * string literals joined, each run of code between them (a column list) read as `Id`. A statement
 * not built in a local `String` variable of that method is left out.
 */
export function dynamicSoql(source: string, from: string): string[] {
  return dynamicQueries(source)
    .filter((query) => query.from?.toLowerCase() === from.toLowerCase() && query.method)
    .flatMap((query) => {
      const built = new RegExp(`String${query.args[0]}=([^;]*);`).exec(
        methodText(source, query.method!),
      );
      if (!built) return [];
      const { tokens } = parseApex(`public class X { String s = ${built[1]}; }`);
      let soql = '';
      let depth = 0;
      let inCode = false;
      for (const token of tokens.slice(tokens.findIndex((t) => t.type === ApexLexer.ASSIGN) + 1)) {
        if (depth === 0 && token.type === ApexLexer.SEMI) break;
        if (token.type === ApexLexer.LPAREN) depth++;
        if (token.type === ApexLexer.RPAREN) depth--;
        if (depth === 0 && token.type === ApexLexer.StringLiteral) {
          soql += token.text.slice(1, -1).replace(/\\(.)/g, '$1');
          inCode = false;
        } else if (depth === 0 && token.type === ApexLexer.ADD) {
          continue;
        } else if (!inCode) {
          soql += 'Id';
          inCode = true;
        }
      }
      return [soql];
    });
}

/** The queries of `from` in `source`: inline SOQL, and dynamic SOQL read as dynamicSoql builds it. */
function queriesOf(source: string, from: string): SoqlQuery[] {
  return [
    ...soqlQueries(source),
    ...dynamicSoql(source, from).flatMap((soql) =>
      soqlQueries(`public class X { void f() { List<SObject> rows = [${soql}]; } }`),
    ),
  ].filter((query) => query.from.toLowerCase() === from.toLowerCase());
}

/** The schema keys a query of `from` in `source` does not select (case-insensitive, like SOQL). */
export function missingSelections(source: string, from: string, required: string[]): string[] {
  const queries = soqlQueries(source).filter(
    (query) => query.from.toLowerCase() === from.toLowerCase(),
  );
  const described = describedColumns(source, from);
  const dynamic =
    from.toLowerCase() === 'permissionsetassignment'
      ? dynamicAssignmentColumns(source)
      : described
        ? [...described.columns, ...described.optional]
        : [];
  if (queries.length === 0 && dynamic.length === 0) return required;
  const selected = new Set(
    [...queries.flatMap((query) => query.fields), ...dynamic].map((field) => field.toLowerCase()),
  );
  return required.filter((key) => !selected.has(key.toLowerCase()));
}

/** The top-level snapshot sections a reader source does not put. */
function missingSections(source: string): string[] {
  const put = new Set(putKeys(source));
  return Object.keys(sections).filter((key) => !put.has(key));
}

describe('Apex snapshot reader against SNAPSHOT_SCHEMA', () => {
  const reader = apex.SyncDoctorSnapshotReader!;

  it('puts every top-level snapshot section, objects and absentPermissions included', () => {
    expect(Object.keys(sections)).toEqual(expect.arrayContaining(['objects', 'absentPermissions']));
    expect(missingSections(reader)).toEqual([]);
    expect(
      missingSections(reader.replace(/snapshot\.put\(\s*'objects'/, 'snapshot.put(objects')),
    ).toEqual(['objects']);
  });

  it('writes every ObjectDescribe key the core reads: exists and the describe facts the plan needs', () => {
    const keys = fieldPaths(recordSchema(sections.objects!));
    expect(keys).toEqual(
      expect.arrayContaining([
        'exists',
        'masterDetailParents',
        'personAccounts',
        'createable',
        'updateable',
      ]),
    );
    const written = [...mapLiteralKeys(reader), ...putKeys(reader)];
    expect(keys.filter((key) => !written.includes(key))).toEqual([]);
  });

  it('tells a master-detail field as REST does: a reference with a relationshipOrder, cascading delete', () => {
    expect(reader).toMatch(/getRelationshipOrder\(\) != null/);
    expect(reader).toMatch(/isCascadeDelete\(\)/);
    expect(reader).toMatch(/containsKey\('IsPersonAccount'\)/);
  });

  it("describes Account for a master that needs Account's Read, as the collector does", () => {
    // A detail of Opportunity: the plan's Read on Opportunity adds Account's, which with Person
    // Accounts needs Contact's, so Account's describe must be read (the collector's masters step).
    const section = reader.slice(reader.indexOf('objectsSection('));
    expect(section).toMatch(
      /for \(String parent : parents\) \{[\s\S]*?ACCOUNT_CHILDREN\.contains\(parent\.toLowerCase\(\)\)[\s\S]*?return objects;/,
    );
  });

  it('asks PermissionSet for every system permission the core reads, or reports it absent', () => {
    const permissions = PERMISSION_SET_FIELDS.filter((field: string) =>
      field.startsWith('Permissions'),
    );
    expect(listConstant(reader, 'SYSTEM_PERMISSIONS').sort()).toEqual([...permissions].sort());
    // The absent ones come from the PermissionSet describe, and are the ones the query leaves out.
    expect(reader).toMatch(/absentPermissions\(\s*(?:\w+\.)?SYSTEM_PERMISSIONS\s*\)/);
    expect(reader).toMatch(/Schema\.SObjectType\.PermissionSet\.fields\.getMap\(\)/);
    expect(reader).toMatch(/readAssignments\(userId, absentPermissions\)/);
    expect(reader).toMatch(/snapshot\.put\('absentPermissions', absentPermissions\)/);
  });

  it.each(Object.entries(QUERIED_SECTIONS))('selects every key of %s from %s', (section, from) => {
    const elsewhere = FROM_OTHER_OBJECTS[section] ?? {};
    const required = fieldPaths(recordSchema(sections[section]!)).filter(
      (key) => !(key in elsewhere) && !(WRITTEN_INTO[section] ?? []).includes(key),
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
    // A picklist's keys are put into its facts only (picklistProblems checks how).
    const written = [
      ...mapLiteralKeys(apex.SyncDoctorFieldDescriber!),
      ...putKeys(apex.SyncDoctorFieldDescriber!),
    ];
    expect(keys.filter((key) => !written.includes(key))).toEqual([]);
  });

  it("writes a picklist's active values and whether it is restricted, for picklists only", () => {
    expect(fieldPaths(recordSchema(sections.fields!))).toEqual(
      expect.arrayContaining(['picklistValues', 'restrictedPicklist']),
    );
    expect(picklistProblems(apex.SyncDoctorFieldDescriber!)).toEqual([]);
  });

  it('would notice picklist values read otherwise (the check can fail)', () => {
    const describer = apex.SyncDoctorFieldDescriber!;
    const mutate = (from: string, to: string) => {
      expect(describer).toContain(from);
      return picklistProblems(describer.replace(from, to));
    };
    expect(mutate('if (entry.isActive()) {', 'if (true) {')).toEqual([
      'picklistValues keeps inactive values',
    ]);
    expect(mutate('values.add(entry.getValue());', 'values.add(entry.getLabel());')).toEqual([
      'picklistValues are not the API values',
    ]);
    expect(
      mutate(
        "facts.put('restrictedPicklist', fieldDescribe.isRestrictedPicklist());",
        "facts.put('restrictedPicklist', true);",
      ),
    ).toEqual(['restrictedPicklist is not isRestrictedPicklist()']);
    expect(
      mutate(
        'if (PICKLIST_TYPES.contains(fieldDescribe.getType())) {',
        'if (fieldDescribe.getType() != null) {',
      ),
    ).toEqual(['picklist keys are written for fields other than picklists']);
    expect(mutate('Schema.DisplayType.MULTIPICKLIST', 'Schema.DisplayType.COMBOBOX')).toEqual([
      'picklist keys are written for fields other than picklists',
    ]);
  });

  it('writes limits as { Max, Remaining }', () => {
    const keys = fieldPaths(recordSchema(sections.limits!));
    expect(keys.sort()).toEqual(['Max', 'Remaining']);
    expect(keys.filter((key) => !mapLiteralKeys(reader).includes(key))).toEqual([]);
  });

  it('reads Login History as the core asks collectors to: its fields, window, order and cap', () => {
    const query = soqlQueries(reader).find((q) => q.from === 'LoginHistory');
    expect(query?.fields).toEqual([...LOGIN_HISTORY_FIELDS]);
    expect(
      query?.requiredTerms.map((term) => `${term.field} ${term.operator} ${term.value}`),
    ).toEqual(['UserId = :userId', 'LoginTime >= :since']);
    expect(reader).toMatch(/Datetime since = Datetime\.now\(\)\.addDays\(-LOGIN_HISTORY_DAYS\);/);
    expect(reader).toMatch(/ORDER BY LoginTime DESC\s+LIMIT :LOGIN_HISTORY_LIMIT/);
    expect(reader).toContain(`Integer LOGIN_HISTORY_DAYS = ${LOGIN_HISTORY_DAYS};`);
    expect(reader).toContain(`Integer LOGIN_HISTORY_LIMIT = ${LOGIN_HISTORY_LIMIT};`);
  });

  it("leaves logins out, rather than empty, when the admin may not read other users' logins", () => {
    // Without Manage Users Salesforce answers with the admin's own logins: [] would read as
    // "HubSpot never logged in" (no-recent-login). Absent means not read, and the core judges nothing.
    expect(listConstant(reader, 'LOGIN_HISTORY_PERMISSIONS')).toEqual([
      'PermissionsManageUsers',
      'PermissionsMonitorLoginHistory',
    ]);
    expect(reader).toMatch(
      /if \(!holdsAny\(adminPermissions, LOGIN_HISTORY_PERMISSIONS\)\) \{\s+return null;/,
    );
    expect(reader).toMatch(/if \(logins != null\) \{\s+snapshot\.put\('logins', logins\);/);
  });

  it("reads HubSpot's connected apps as the core asks collectors to: its fields, name filter and access rows", () => {
    const apps = soqlQueries(reader).filter((q) => q.from === 'ConnectedApplication');
    expect(apps).toHaveLength(1);
    expect(apps[0]!.fields).toEqual([...CONNECTED_APP_FIELDS]);
    expect(apps[0]!.requiredTerms).toEqual([
      {
        field: 'Name',
        operator: 'LIKE',
        value: ':CONNECTED_APP_NAME_LIKE',
        bind: 'CONNECTED_APP_NAME_LIKE',
      },
    ]);
    expect(reader).toContain(`String CONNECTED_APP_NAME_LIKE = '${CONNECTED_APP_NAME_LIKE}';`);
    const access = soqlQueries(reader).filter((q) => q.from === 'SetupEntityAccess');
    expect(access).toHaveLength(1);
    expect(access[0]!.fields).toEqual([...CONNECTED_APP_ACCESS_FIELDS]);
    // Only the user's permission sets: `parentIds` holds every assignment's, the profile's own too.
    expect(
      access[0]!.requiredTerms.map((term) => `${term.field} ${term.operator} ${term.value}`),
    ).toEqual(["SetupEntityType = 'ConnectedApplication'", 'ParentId IN :parentIds']);
    expect(reader).toMatch(/readConnectedApps\(\s*parentIds,\s*adminPermissions\s*\)/);
    expect(reader).toMatch(/parentIds\.add\(assignment\.PermissionSetId\)/);
  });

  it('selects every key of connectedApps.apps and connectedApps.access and writes the section as { apps, access }', () => {
    const section = sections.connectedApps!;
    const parts = section.properties as Record<string, JsonSchema>;
    expect(Object.keys(parts).sort()).toEqual(['access', 'apps']);
    const appKeys = fieldPaths(recordSchema(parts.apps!));
    const accessKeys = fieldPaths(recordSchema(parts.access!));
    expect(appKeys.length).toBeGreaterThan(2);
    expect(missingSelections(reader, 'ConnectedApplication', appKeys)).toEqual([]);
    expect(missingSelections(reader, 'SetupEntityAccess', accessKeys)).toEqual([]);
    expect(mapLiteralKeys(reader)).toEqual(expect.arrayContaining(['apps', 'access']));
  });

  it('leaves connectedApps out, rather than empty, when the admin may not read connected apps', () => {
    // Without Customize Application an empty answer would read as "HubSpot's app is not
    // installed" (connected-app-not-installed). Absent means not read, and the core judges nothing.
    // Salesforce Help: "Customize Application AND either Modify All Data OR Manage Connected Apps".
    expect(listConstant(reader, 'CONNECTED_APP_PERMISSIONS')).toEqual([
      'PermissionsCustomizeApplication',
    ]);
    expect(listConstant(reader, 'CONNECTED_APP_MANAGE_PERMISSIONS')).toEqual([
      'PermissionsModifyAllData',
      'PermissionsManageConnectedApps',
    ]);
    expect(reader).toMatch(
      /!holdsAny\(adminPermissions, CONNECTED_APP_PERMISSIONS\) \|\|\s+!holdsAny\(adminPermissions, CONNECTED_APP_MANAGE_PERMISSIONS\)\s+\) \{\s+return null;/,
    );
    expect(reader).toMatch(/wanted\.addAll\(CONNECTED_APP_MANAGE_PERMISSIONS\);/);
    expect(reader).toMatch(
      /catch \(QueryException notAllowed\) \{\s+return null;\s+\}\s+return new Map<String, Object>\{ 'apps' => apps, 'access' => access \};/,
    );
    expect(reader).toMatch(
      /if \(connectedApps != null\) \{\s+snapshot\.put\('connectedApps', connectedApps\);/,
    );
  });

  it("writes duplicateRules in the User Interface API's shape the core reads, each active rule by name and no action", () => {
    const duplicates = apex.SyncDoctorDuplicateRuleReader!;
    // { apiName, duplicateRules: [{ name, active }] }: the core's duplicateRuleFacts keeps a rule
    // without actionOnInsert or actionOnUpdate as 'unread', never as allowed.
    expect([...new Set(mapLiteralKeys(duplicates))].sort()).toEqual([
      'active',
      'apiName',
      'duplicateRules',
      'name',
    ]);
    const [query] = queriesOf(duplicates, 'DuplicateRule');
    expect(query?.fields).toEqual(['MasterLabel', 'SobjectType']);
    expect(duplicates).toMatch(/WHERE IsActive = TRUE AND SobjectType IN :existing/);
  });

  it('leaves duplicateRules out, rather than empty, when the admin may not read DuplicateRule', () => {
    // Empty would read as "no active rule: resync these records". DuplicateRule answers only users
    // with View Setup and Configuration (Object Reference, DuplicateRule, Special Access Rules).
    const duplicates = apex.SyncDoctorDuplicateRuleReader!;
    expect(listConstant(duplicates, 'DUPLICATE_RULE_PERMISSIONS')).toEqual([
      'PermissionsViewSetup',
    ]);
    expect(duplicates).toMatch(
      /if \(!adminPermissions\.containsAll\(DUPLICATE_RULE_PERMISSIONS\)\) \{\s+return null;/,
    );
    expect(duplicates).toMatch(/catch \(QueryException notAllowed\) \{\s+return null;/);
    expect(reader).toMatch(
      /wanted\.addAll\(SyncDoctorDuplicateRuleReader\.DUPLICATE_RULE_PERMISSIONS\);/,
    );
    expect(reader).toMatch(
      /if \(duplicateRules != null\) \{\s+snapshot\.put\('duplicateRules', duplicateRules\);/,
    );
  });

  it('would notice a connected app field renamed in the core or dropped from the Apex (the check can fail)', () => {
    const renamed = CONNECTED_APP_FIELDS.map((field) =>
      field === 'RefreshTokenValidityPeriod' ? 'RefreshTokenPeriod' : field,
    );
    expect(missingSelections(reader, 'ConnectedApplication', renamed)).toEqual([
      'RefreshTokenPeriod',
    ]);
    const withoutPolicy = reader.replace(/\s+OptionsHasSessionLevelPolicy,/, '');
    expect(withoutPolicy).not.toBe(reader);
    expect(
      soqlQueries(withoutPolicy).find((q) => q.from === 'ConnectedApplication')?.fields,
    ).not.toEqual([...CONNECTED_APP_FIELDS]);
  });

  it("writes each group's MutingPermissionSets with every key the core's schema names, read from PermissionSetGroupComponent", () => {
    const group = (recordSchema(sections.assignments!).properties as Record<string, JsonSchema>)
      .PermissionSetGroup!;
    const muting = (group.properties as Record<string, JsonSchema>).MutingPermissionSets!;
    const keys = fieldPaths(recordSchema(muting));
    expect([...keys].sort()).toEqual([...MUTING_PERMISSION_SET_FIELDS].sort());
    const names = keys.filter((key) => !key.startsWith('Permissions'));
    const muted = keys.filter((key) => key.startsWith('Permissions'));
    expect(names).toEqual(['Id', 'DeveloperName', 'MasterLabel']);
    expect(muted.length).toBeGreaterThan(0);
    expect(putKeys(reader)).toContain('MutingPermissionSets');
    // The names are map literal keys; what each set mutes is put by MUTED_PERMISSIONS' names.
    expect(names.filter((key) => !mapLiteralKeys(reader).includes(key))).toEqual([]);
    expect(listConstant(reader, 'MUTED_PERMISSIONS')).toEqual(muted);
    expect(reader).toMatch(
      /for \(String permission : muted\) \{[^}]*muting\.get\(permission\)[^}]*record\.put\(permission, value\)/,
    );
    // A column the org's MutingPermissionSet lacks is not asked (its describe, no query).
    expect(reader).toMatch(/List<String> muted = mutedPermissionColumns\(\);/);
    expect(reader).toMatch(
      /Schema\.SObjectType\.MutingPermissionSet\.fields\.getMap\(\);[\s\S]*?for \(String permission : MUTED_PERMISSIONS\)/,
    );
    // One query, TYPEOF on the polymorphic PermissionSet (MutingPermissionSet or PermissionSet):
    // the names of the muting sets and what they mute come with the components.
    const components = dynamicQueries(reader).filter(
      (query) => query.from === 'PermissionSetGroupComponent',
    );
    expect(components).toHaveLength(1);
    const soql = reader
      .slice(reader.indexOf('readMutingSets(Set<Id> groupIds)'))
      .split('Database.queryWithBinds')[0]!
      .replace(/'\s*\+\s*'/g, '');
    expect(soql).toContain(
      `TYPEOF PermissionSet WHEN MutingPermissionSet THEN ${names.join(', ')}' +\n      (muted.isEmpty() ? '' : ', ' + String.join(muted, ', ')) +\n      ' WHEN PermissionSet THEN`,
    );
    expect(soql).toContain(
      'FROM PermissionSetGroupComponent WHERE PermissionSetGroupId IN :groupIds',
    );
    // Refused: not read (left out), never [] ("none").
    expect(reader).toMatch(
      /catch \(QueryException refused\) \{\s+return null;\s+\}\s+catch \(SObjectException unread\)/,
    );
    expect(reader).toMatch(/if \(membersByGroup == null\) \{\s+return rows;/);
    expect(reader).toMatch(
      /snapshot\.put\(\s*'assignments',\s*(?:\w+\.)?withMutingSets\(assignments\)\s*\)/,
    );
  });

  it("reads the muting sets' keys as the Node collector does, from the same objects", () => {
    const group = (recordSchema(sections.assignments!).properties as Record<string, JsonSchema>)
      .PermissionSetGroup!;
    const keys = fieldPaths(
      recordSchema((group.properties as Record<string, JsonSchema>).MutingPermissionSets!),
    );
    const [components, sets] = mutingSetSubRequests(['0PG000000000001AAA']).map((sub) =>
      decodeURIComponent(sub.url.slice(sub.url.indexOf('?q=') + 3)),
    );
    expect(components).toMatch(
      /^SELECT PermissionSetGroupId, PermissionSetId, TYPEOF PermissionSet WHEN PermissionSet THEN Id, Name, Label END FROM PermissionSetGroupComponent WHERE PermissionSetGroupId IN /,
    );
    expect(sets).toMatch(new RegExp(`^SELECT ${keys.join(', ')} FROM MutingPermissionSet WHERE `));
  });

  it("writes each group's PermissionSets with every key the core's schema names, by the same TYPEOF, as the Node collector does", () => {
    const group = (recordSchema(sections.assignments!).properties as Record<string, JsonSchema>)
      .PermissionSetGroup!;
    const held = (group.properties as Record<string, JsonSchema>).PermissionSets!;
    const keys = fieldPaths(recordSchema(held));
    expect(keys).toEqual(['Id', 'Name', 'Label']);
    expect(putKeys(reader)).toContain('PermissionSets');
    expect(keys.filter((key) => !mapLiteralKeys(reader).includes(key))).toEqual([]);
    const soql = reader
      .slice(reader.indexOf('readMutingSets(Set<Id> groupIds)'))
      .split('Database.queryWithBinds')[0]!
      .replace(/'\s*\+\s*'/g, '');
    // The PermissionSet members' keys, in the one components query (no query more).
    expect(soql).toContain(`' WHEN PermissionSet THEN ${keys.join(', ')} END FROM`);
    expect(reader).toMatch(/addHeldSet\(heldByGroup, component\)/);
    // Node: the same keys, read by the same TYPEOF on the components.
    const [components] = mutingSetSubRequests(['0PG000000000001AAA']).map((sub) =>
      decodeURIComponent(sub.url.slice(sub.url.indexOf('?q=') + 3)),
    );
    expect(components).toContain(
      `TYPEOF PermissionSet WHEN PermissionSet THEN ${keys.join(', ')} END`,
    );
  });

  it('would notice a muting set key dropped from the Apex (the check can fail)', () => {
    const without = reader.replace(/'MasterLabel' =>/, "'Label' =>");
    expect(without).not.toBe(reader);
    expect(
      ['Id', 'DeveloperName', 'MasterLabel'].filter((k) => !mapLiteralKeys(without).includes(k)),
    ).toEqual(['MasterLabel']);
    const withoutEditTask = reader.replace(
      /\n\s*'PermissionsEditTask',(?=\n\s*'PermissionsEditEvent'\n\s*\};)/,
      '',
    );
    expect(withoutEditTask).not.toBe(reader);
    expect(listConstant(withoutEditTask, 'MUTED_PERMISSIONS')).not.toContain('PermissionsEditTask');
  });

  it('would notice a key the Apex stops selecting (the check can fail)', () => {
    const withoutApiEnabled = reader.replace("'PermissionsApiEnabled',", '');
    const required = fieldPaths(recordSchema(sections.assignments!)).filter(
      (key) => !WRITTEN_INTO.assignments!.includes(key),
    );
    expect(missingSelections(withoutApiEnabled, 'PermissionSetAssignment', required)).toEqual([
      'PermissionSet.PermissionsApiEnabled',
    ]);
  });
});

/** String literals shaped like an Id's key prefix ('0QM', '0PS', a custom object's 'a0X'). */
function keyPrefixLiterals(source: string): string[] {
  return parseApex(source)
    .tokens.filter(
      (token) =>
        token.type === ApexLexer.StringLiteral &&
        /^'(0[0-9A-Za-z]{2}|[a-z][0-9][0-9A-Za-z])'$/.test(token.text),
    )
    .map((token) => token.text);
}

/** The `presentColumns` helper as the reader filters optional columns: the describe's containsKey. */
function filtersByDescribe(source: string): boolean {
  // presentColumns is public since the split: the object access reader calls it too.
  const filters =
    /(?:private|public)staticList<String>presentColumns\(Map<String,Schema\.SObjectField>fields,List<String>wanted\)\{List<String>present=newList<String>\(\);for\(Stringcolumn:wanted\)\{if\(fields\.containsKey\(column\)\)\{present\.add\(column\);\}\}returnpresent;\}/;
  return filters.test(parseApex(source).tree.getText());
}

describe('Apex snapshot reader in an org that lacks a column or names a type differently', () => {
  const reader = apex.SyncDoctorSnapshotReader!;

  it("tells a group's muting sets from its regular sets by the member Id's SObjectType, not by a key prefix", () => {
    // Id.getSObjectType() is Salesforce's documented way; no document gives MutingPermissionSet's
    // key prefix, and a wrong one would skip every muting set silently.
    const read = methodText(reader, 'readMutingSets');
    expect(read).toContain(
      'Schema.SObjectTypememberType=component.PermissionSetId.getSObjectType();',
    );
    expect(read).toContain(
      'if(memberType==PermissionSet.SObjectType){addHeldSet(heldByGroup,component);continue;}',
    );
    expect(read).toContain('if(memberType!=MutingPermissionSet.SObjectType){continue;}');
    expect(read).not.toMatch(/startsWith|PREFIX/);
  });

  it('compares no Id with a hard-coded key prefix in any Apex class, test classes included', () => {
    const found = Object.entries(apex).flatMap(([name, source]) =>
      keyPrefixLiterals(source).map((literal) => `${name}: ${literal}`),
    );
    expect(found).toEqual([]);
  });

  it("reads Organization's org-wide defaults only when this org's describe lists them, as the Node collector does", () => {
    // Static SOQL naming a column the org lacks does not compile, and keeps the package out of the
    // org; the Node collector marks the same columns optional and retries without them.
    expect(soqlQueries(reader).filter((query) => query.from === 'Organization')).toEqual([]);
    expect(describedColumns(reader, 'Organization')).toEqual({
      columns: ORGANIZATION_COLUMNS.filter((column) => !ORGANIZATION_OPTIONAL.includes(column)),
      optional: ORGANIZATION_OPTIONAL,
    });
    expect(ORGANIZATION_OPTIONAL.length).toBeGreaterThan(5);
    expect(filtersByDescribe(reader)).toBe(true);
    expect(dynamicSoql(reader, 'Organization')).toEqual(['SELECT Id FROM Organization LIMIT 1']);
    const [query] = dynamicQueries(reader).filter((q) => q.from === 'Organization');
    expect(query!.args[2]).toBe('AccessLevel.USER_MODE');
    // The row as queried: a column not asked stays absent (unknown), as the collector's row lacks it.
    expect(reader).toMatch(
      /snapshot\.put\(\s*'organization',\s*(?:\w+\.)?readOrganization\(\)\s*\);/,
    );
    expect(methodText(reader, 'readOrganization')).toContain(
      'returnorganizations.isEmpty()?null:organizations[0];',
    );
  });

  it("reads ObjectPermissions' View All Fields only when this org's describe lists it, as the Node collector does", () => {
    expect(soqlQueries(reader).filter((query) => query.from === 'ObjectPermissions')).toEqual([]);
    expect(describedColumns(reader, 'ObjectPermissions')).toEqual({
      columns: OBJECT_PERMISSION_COLUMNS.filter(
        (column) => !OBJECT_PERMISSION_OPTIONAL.includes(column),
      ),
      optional: OBJECT_PERMISSION_OPTIONAL,
    });
    expect(OBJECT_PERMISSION_OPTIONAL).toEqual(['PermissionsViewAllFields']);
    const [query] = dynamicQueries(reader).filter((q) => q.from === 'ObjectPermissions');
    expect(query!.call).toBe('queryWithBinds');
    expect(query!.args[2]).toBe('AccessLevel.USER_MODE');
  });

  it('would notice a prefix test, a static query or an unfiltered optional column (the check can fail)', () => {
    expect(keyPrefixLiterals("public class X { String p = '0QM'; String q = 'a0B'; }")).toEqual([
      "'0QM'",
      "'a0B'",
    ]);
    expect(keyPrefixLiterals("public class X { String p = '999'; String q = 'abc'; }")).toEqual([]);
    const unfiltered = reader.replace(
      'presentColumns(Schema.SObjectType.Organization.fields.getMap(), ORGANIZATION_DEFAULT_ACCESS)',
      'ORGANIZATION_DEFAULT_ACCESS',
    );
    expect(unfiltered).not.toBe(reader);
    expect(describedColumns(unfiltered, 'Organization')).toBeNull();
    const everyColumn = reader.replace('if (fields.containsKey(column)) {', 'if (true) {');
    expect(everyColumn).not.toBe(reader);
    expect(filtersByDescribe(everyColumn)).toBe(false);
    const staticQuery = `${reader.slice(0, reader.lastIndexOf('}'))} Organization o() { return [SELECT Id, DefaultLeadAccess FROM Organization WITH USER_MODE LIMIT 1]; } }`;
    expect(soqlQueries(staticQuery).filter((query) => query.from === 'Organization')).toHaveLength(
      1,
    );
  });
});

/** The one query of `from` in `source` (inline or dynamic), or null when there is none or several. */
function onlyQuery(source: string, from: string): SoqlQuery | null {
  const queries = queriesOf(source, from);
  return queries.length === 1 ? queries[0]! : null;
}

/** Whether every row of the query must meet `field IN :bind` (a top-level AND term). */
function filteredByBind(query: SoqlQuery | null, field: string): boolean {
  return (
    query?.requiredTerms.some(
      (term) =>
        term.field.toLowerCase() === field.toLowerCase() &&
        term.operator === 'IN' &&
        term.bind !== null,
    ) ?? false
  );
}

/**
 * Why the describer's picklist facts would not be REST describe's, or [] when they are: toJson puts
 * picklistValues (activeValues: each active entry's getValue(), in the describe's order) and
 * restrictedPicklist (isRestrictedPicklist()) for PICKLIST and MULTIPICKLIST fields only.
 */
export function picklistProblems(describer: string): string[] {
  const problems: string[] = [];
  const toJson = methodText(describer, 'toJson');
  const values = methodText(describer, 'activeValues');
  const types =
    /Set<Schema\.DisplayType>PICKLIST_TYPES=newSet<Schema\.DisplayType>\{([^}]*)\}/.exec(
      describer.replace(/\s+/g, ''),
    );
  const picklistOnly =
    types?.[1]?.split(',').sort().join(',') ===
      'Schema.DisplayType.MULTIPICKLIST,Schema.DisplayType.PICKLIST' &&
    /if\(PICKLIST_TYPES\.contains\(fieldDescribe\.getType\(\)\)\)\{[^}]*facts\.put\('picklistValues',activeValues\(fieldDescribe\)\);[^}]*facts\.put\('restrictedPicklist',/.test(
      toJson,
    ) &&
    (toJson.match(/'picklistValues'/g) ?? []).length === 1 &&
    (toJson.match(/'restrictedPicklist'/g) ?? []).length === 1;
  if (!picklistOnly) problems.push('picklist keys are written for fields other than picklists');
  if (!/facts\.put\('restrictedPicklist',fieldDescribe\.isRestrictedPicklist\(\)\);/.test(toJson))
    problems.push('restrictedPicklist is not isRestrictedPicklist()');
  if (
    !/for\(Schema\.PicklistEntry(\w+):fieldDescribe\.getPicklistValues\(\)\)\{if\(\1\.isActive\(\)\)\{/.test(
      values,
    )
  )
    problems.push('picklistValues keeps inactive values');
  if (!/values\.add\(\w+\.getValue\(\)\);/.test(values))
    problems.push('picklistValues are not the API values');
  return problems;
}

/**
 * Why the reader's permission queries could outgrow a large org, or [] when they cannot: both
 * read only the user's permission sets (ParentId IN) and FieldPermissions only the scoped fields
 * (Field IN), ObjectPermissions only the scoped objects and lookup targets (SobjectType IN), with
 * the lists the describe of the scope gives; the describer never walks an object's whole field map.
 */
export function scaleProblems(reader: string, describer: string): string[] {
  const problems: string[] = [];
  const fieldPermissions = onlyQuery(reader, 'FieldPermissions');
  const objectPermissions = onlyQuery(reader, 'ObjectPermissions');
  if (!filteredByBind(fieldPermissions, 'ParentId'))
    problems.push('FieldPermissions is not filtered by ParentId IN a bind');
  if (!filteredByBind(fieldPermissions, 'Field'))
    problems.push('FieldPermissions is not filtered by Field IN a bind');
  if (!filteredByBind(objectPermissions, 'ParentId'))
    problems.push('ObjectPermissions is not filtered by ParentId IN a bind');
  if (!filteredByBind(objectPermissions, 'SobjectType'))
    problems.push('ObjectPermissions is not filtered by SobjectType IN a bind');
  if (!/readFieldPermissions\(\s*parentIds,\s*described\.existingFields\s*\)/.test(reader))
    problems.push('FieldPermissions is not read for the described scoped fields');
  if (
    !/readObjectPermissions\(\s*parentIds,\s*(?:\w+\.)?objectPermissionScope\(describes, described\)\s*\)/.test(
      reader,
    )
  )
    problems.push('ObjectPermissions is not read for the scoped objects and lookup targets');
  if (/fields\.getMap\(\)\.values\(\)|getGlobalDescribe\(\)/.test(describer))
    problems.push('the describer walks every field or every object');
  return problems;
}

describe('Apex snapshot reader in a large org (no org needed: read from the Apex)', () => {
  const reader = apex.SyncDoctorSnapshotReader!;
  const describer = apex.SyncDoctorFieldDescriber!;

  it('reads FieldPermissions by Field IN and ObjectPermissions by SobjectType IN the scope, of the user only', () => {
    expect(onlyQuery(reader, 'FieldPermissions')?.requiredTerms).toEqual([
      { field: 'ParentId', operator: 'IN', value: ':parentIds', bind: 'parentIds' },
      { field: 'Field', operator: 'IN', value: ':fieldNames', bind: 'fieldNames' },
    ]);
    expect(onlyQuery(reader, 'ObjectPermissions')?.requiredTerms).toEqual([
      { field: 'ParentId', operator: 'IN', value: ':parentIds', bind: 'parentIds' },
      { field: 'SobjectType', operator: 'IN', value: ':objectNames', bind: 'objectNames' },
    ]);
    expect(scaleProblems(reader, describer)).toEqual([]);
  });

  it('takes the scope from the LWC (the core decides it), not from a list of its own', () => {
    expect(reader).toMatch(/public Map<String, Object> read\(Id userId, Scope scope\)/);
    expect(reader).toMatch(/SyncDoctorFieldDescriber\.describeObjects\(\s*scope\.objects\s*\)/);
    expect(reader).toMatch(/\.describe\(describes, scope\.fields\)/);
    expect(listConstant(reader, 'SYNCED_OBJECTS')).toEqual([]);
    expect(apex.SyncDoctorController!).toMatch(/SyncDoctorSnapshotReader\.parseScope\(scopeJson\)/);
  });

  it('would notice a query widened again (the check can fail)', () => {
    const unscopedObjects = reader.replace(
      'WHERE ParentId IN :parentIds AND SobjectType IN :objectNames',
      'WHERE ParentId IN :parentIds',
    );
    expect(unscopedObjects).not.toBe(reader);
    expect(scaleProblems(unscopedObjects, describer)).toEqual([
      'ObjectPermissions is not filtered by SobjectType IN a bind',
    ]);
    // The reader before the scope: every field permission of the synced objects.
    const perObject = reader.replace('AND Field IN :fieldNames', 'AND SobjectType IN :fieldNames');
    expect(scaleProblems(perObject, describer)).toEqual([
      'FieldPermissions is not filtered by Field IN a bind',
    ]);
    const widenedByOr = reader.replace(
      'AND Field IN :fieldNames',
      'AND (Field IN :fieldNames OR PermissionsRead = TRUE)',
    );
    expect(scaleProblems(widenedByOr, describer)).toEqual([
      'FieldPermissions is not filtered by Field IN a bind',
    ]);
    const otherList = reader.replace(
      /readFieldPermissions\(\s*parentIds,\s*described\.existingFields\s*\)/,
      'readFieldPermissions(parentIds, everyField)',
    );
    expect(scaleProblems(otherList, describer)).toEqual([
      'FieldPermissions is not read for the described scoped fields',
    ]);
    const everyField = describer.replace(
      'fieldMaps.get(objectKey).get(',
      'fieldMaps.get(objectKey).values().get(',
    );
    expect(scaleProblems(reader, everyField + ' x.fields.getMap().values() ')).toEqual([
      'the describer walks every field or every object',
    ]);
    expect(everyField).not.toBe(describer);
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

  it("reads every RemediationPlan key the core writes, from the core's own types", () => {
    // Read from packages/core/src/remediation/types.ts: a grant the core adds to the plan and the
    // Apex does not read would be dropped silently in an admin's org (the LWC sends the whole plan).
    const plan = apex.SyncDoctorRemediationPlan!;
    const types = path.join(CORE_SRC, 'remediation', 'types.ts');
    // Steps by hand are for a person; isEmpty, title, assignFirst (which button leads) and
    // objectRights (the rights counted one by one for the card, dialog and toast) are the LWC's:
    // the Apex applies none of them.
    const notApplied = ['manualSteps', 'isEmpty', 'title', 'assignFirst', 'objectRights'];
    const planKeys = interfaceKeys(types, 'RemediationPlan').filter(
      (key) => !notApplied.includes(key),
    );
    expect(planKeys).toEqual(expect.arrayContaining(['objectPermissions', 'connectedApps']));
    const missing = [
      ...planKeys,
      ...interfaceKeys(types, 'PlannedObjectPermission'),
      ...interfaceKeys(types, 'PlannedFieldPermission'),
      ...interfaceKeys(types, 'PlannedConnectedAppAccess'),
    ].filter((key) => !plan.includes(`'${key}'`));
    expect(missing).toEqual([]);
  });

  it('answers applyRemediation with the names of the connected apps it approved', () => {
    const applier = apex.SyncDoctorRemediationApplier!;
    expect(mapLiteralKeys(applier)).toContain('connectedApps');
    // Each approval is a SetupEntityAccess row of the remediation set, read first so a second run adds none.
    const approvals = soqlQueries(applier).filter((query) => query.from === 'SetupEntityAccess');
    expect(approvals).toHaveLength(1);
    expect(
      approvals[0]!.requiredTerms.map((term) => `${term.field} ${term.operator} ${term.value}`),
    ).toEqual(['ParentId = :permissionSetId', 'SetupEntityId IN :appIds']);
    expect(applier).toMatch(
      /new SetupEntityAccess\(ParentId = permissionSetId, SetupEntityId = app\.appId\)/,
    );
  });

  it('shapes settings and candidates as the LWC expects', () => {
    // canEdit: whether the caller holds Sync_Doctor_Manage_Settings (the page may show the settings
    // read only); the LWC and the preview may ignore it, since saveSettings refuses anyway.
    expect(mapLiteralKeys(apex.SyncDoctorSettings!).sort()).toEqual([
      'canEdit',
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
