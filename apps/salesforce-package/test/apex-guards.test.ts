// Server-side guards of the Apex that no org is needed to check: the LWC sends object names, read
// scopes and remediation plans as JSON, so what the Apex does with a name or a plan must be safe
// whatever the page (or anyone calling the @AuraEnabled methods directly) sends.
import type { ApexParserRuleContext } from '@apexdevtools/apex-parser';
import {
  GRANTABLE_OBJECT_RIGHTS,
  GRANTABLE_SYSTEM_PERMISSIONS,
  NEVER_GRANTED_OBJECT_RIGHTS,
  NEVER_GRANTED_PERMISSION_LABELS,
  NEVER_GRANTED_SYSTEM_PERMISSIONS,
  objectRightsRefusal,
  permissionSetAssignmentRefusal,
  systemPermissionRefusal,
} from '../../../packages/core/src/remediation/grantable.js';
import { RIGHT_LABEL } from '../../../packages/core/src/diagnosis/text.js';
import {
  OBJECT_RIGHTS,
  OBJECT_RIGHT_COLUMNS,
  OBJECT_RIGHT_DEPENDENCIES,
} from '../../../packages/core/src/requirements/objectRights.js';
import { saveWaves } from '../../../packages/core/src/remediation/saveWaves.js';
import {
  REMEDIATION_PERMISSION_SET,
  REMEDIATION_PERMISSION_SET_LABEL,
  REMEDIATION_SET_SESSION_BASED,
} from '../../../packages/core/src/remediation/planRemediation.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  apexFamilySource,
  findContexts,
  isTestClass,
  listApexClasses,
  methodText,
  parseApex,
  soqlQueries,
} from './lib/apex.js';
import { CORE_SRC } from './lib/paths.js';

const classes = listApexClasses();
const production = classes.filter((apexClass) => !isTestClass(apexClass.source));
// A class split by concern reads as its whole family (APEX_CLASS_FAMILIES in lib/apex.ts).
const source = (name: string): string => apexFamilySource(name, classes);

const kind = (node: unknown): string => (node as object).constructor.name;

/** `Type.forName(` as the parser's tokens, so comments and strings do not count. */
function callsTypeForName(classSource: string): boolean {
  const texts = parseApex(classSource).tokens.map((token) => token.text);
  return texts.some(
    (text, index) =>
      text === 'Type' && texts[index + 1] === '.' && texts[index + 2]?.toLowerCase() === 'forname',
  );
}

describe('Apex resolving object names', () => {
  it('never resolves a name through Type.forName, which would construct any public Apex class of that name and lets a class named like an object hide it', () => {
    expect(callsTypeForName("Type t = Type.forName('Account');")).toBe(true);
    expect(callsTypeForName("// Type.forName('Account')\nString s = 'Type.forName';")).toBe(false);
    const resolving = production
      .filter((apexClass) => callsTypeForName(apexClass.source))
      .map((apexClass) => apexClass.name);
    expect(resolving).toEqual([]);
  });

  it('looks an object up by a describe of its name, which knows objects only', () => {
    const lookup = methodText(source('SyncDoctorFieldDescriber'), 'sobjectTypeOf');
    expect(lookup).toContain('Schema.describeSObjects(');
    expect(lookup).toContain('SObjectDescribeOptions.DEFERRED');
    expect(lookup).not.toContain('newInstance');
  });
});

describe('Apex describing planned fields', () => {
  it("builds an object's field map once per transaction, not once per field: 2,000 planned fields of an object with 800 would cost seconds of CPU", () => {
    const describeField = methodText(source('SyncDoctorFieldDescriber'), 'describeField');
    expect(describeField.split('getMap()')).toHaveLength(2);
    expect(describeField).toMatch(
      /if\(!fieldMapsByObject\.containsKey\(objectKey\)\)\{[^}]*\.fields\.getMap\(\)/,
    );
  });

  it('describes an object name once per transaction', () => {
    const lookup = methodText(source('SyncDoctorFieldDescriber'), 'sobjectTypeOf');
    expect(lookup).toMatch(
      /if\(!sobjectTypesByName\.containsKey\(key\)\)\{[^]*Schema\.describeSObjects\(/,
    );
  });
});

describe('Apex remediation applier', () => {
  it('refuses a plan row the core would refuse (objectRightsRefusal) before any change', () => {
    const validate = methodText(source('SyncDoctorRemediationApplier'), 'validate');
    expect(validate).toContain(
      'Stringrefusal=objectRightsRefusal(grant);if(refusal!=null){thrownewSyncDoctorException(refusal);}',
    );
    // Checked in validate, which apply() (through applyPlan) calls before its savepoint and first DML.
    const apply = methodText(source('SyncDoctorRemediationApplier'), 'applyPlan');
    expect(apply.indexOf('validate(plan)')).toBeGreaterThan(-1);
    expect(apply.indexOf('validate(plan)')).toBeLessThan(apply.indexOf('Database.setSavepoint()'));
  });

  it('has an Apex test refusing View All on an object: it bypasses sharing, and the page never plans it', () => {
    expect(source('TestSyncDoctorRemediationApplier')).toMatch(/"viewAll":true/);
  });

  it('refuses Edit on a field Salesforce computes (formula, roll-up, auto-number) before any change', () => {
    const validate = methodText(source('SyncDoctorRemediationApplier'), 'validate');
    expect(validate).toMatch(
      /if\(grant\.edit&&\(field\.isCalculated\(\)\|\|field\.isAutoNumber\(\)\)\)\{thrownewSyncDoctorException\(/,
    );
  });

  it('has an Apex test of that refusal', () => {
    expect(source('TestSyncDoctorRemediationApplier')).toMatch(/"modifyAll":true/);
  });
});

describe("Apex saving object rows in the core's waves, as the Node applier", () => {
  it("saves each wave by one insert (and one update), waves in order, by the plan's saveWave", () => {
    const apply = methodText(source('SyncDoctorRemediationApplier'), 'applyObjectGrants');
    expect(apply).toContain(
      'for(List<ObjectPermissions>wave:savingWaves(grants,rows)){saveRows(wave);}',
    );
    const save = methodText(source('SyncDoctorRemediationApplier'), 'saveRows');
    expect(save).toMatch(/insertasusernewRows;updateasuserchangedRows;\}$/);
    // The waves are the core's (saveWaves): the Apex groups by saveWave and works out no order of
    // its own from requiredBy, so the rule lives once.
    const waves = methodText(source('SyncDoctorRemediationApplier'), 'savingWaves');
    expect(waves).toContain('grants[i].saveWave');
    expect(waves).not.toContain('requiredBy');
    expect(source('SyncDoctorRemediationApplier')).not.toMatch(/readSaved/);
    expect(source('TestSyncDoctorRemediationApplier')).toMatch(/"requiredBy":\["Contact"\]/);
  });

  it("tests the Apex with the core's waves: the Apex test's plan carries saveWaves' answers, and its expected waves group the rows by them", () => {
    const { tree } = parseApex(source('TestSyncDoctorRemediationApplier'));
    const method = findContexts(tree, 'MethodDeclarationContext').find((candidate) =>
      candidate.getText().includes('savesACycleInOneInsertAndAChainLinkByLink'),
    );
    expect(method).toBeDefined();
    const text = method!.getText();
    const plan = JSON.parse(/Stringplan='([^']+)';/.exec(text)![1]!) as {
      objectPermissions: { sobjectType: string; requiredBy?: string[]; saveWave: number }[];
    };
    const planned = plan.objectPermissions.map((o) => o.saveWave);
    expect(planned).toEqual(saveWaves(plan.objectPermissions));
    const grouped: string[][] = [];
    plan.objectPermissions.forEach((o) => (grouped[o.saveWave] ??= []).push(o.sobjectType));
    // Assert.areEqual(new List<String>{ waves }, waveNames(plan), ...).
    const expected = /Assert\.areEqual\(newList<String>\{([^}]*)\},waveNames\(plan\)/.exec(text);
    expect(expected).not.toBeNull();
    expect([...expected![1]!.matchAll(/'([^']*)'/g)].map((m) => m[1])).toEqual(
      grouped.map((wave) => wave.join(',')),
    );
    expect(grouped.length).toBeGreaterThan(2);
  });

  it('reads saveWave from the plan, a whole number of 0 or more, required when a row needs another', () => {
    const plan = source('SyncDoctorRemediationPlan');
    expect(methodText(plan, 'parse')).toContain(
      'readSaveWaves(plan.objectPermissions,objectEntries);',
    );
    const read = methodText(plan, 'readSaveWaves');
    expect(read).toContain("Pattern.matches('[0-9]{1,9}',text)");
    expect(read).toMatch(/if\(value==null\)\{if\(ordered\)\{thrownewSyncDoctorException\(/);
    expect(source('TestSyncDoctorRemediationPlan')).toContain('refusesASavingWaveThatIsNotOne');
  });
});

describe('Apex remediation permission set', () => {
  it("names the set and refuses a session-based one in the core's words (REMEDIATION_PERMISSION_SET, REMEDIATION_SET_SESSION_BASED), which the Node applier uses too", () => {
    const applier = source('SyncDoctorRemediationApplier');
    const literal = (name: string): string | undefined =>
      new RegExp(`\\b${name}\\s*=\\s*'((?:[^'\\\\]|\\\\.)*)';`)
        .exec(applier)?.[1]
        ?.replaceAll("\\'", "'");
    expect(literal('REMEDIATION_SET_NAME')).toBe(REMEDIATION_PERMISSION_SET);
    expect(literal('REMEDIATION_SET_LABEL')).toBe(REMEDIATION_PERMISSION_SET_LABEL);
    expect(literal('REMEDIATION_SET_SESSION_BASED')).toBe(REMEDIATION_SET_SESSION_BASED);
  });

  it('refuses to put rights into a session-based Sync_Doctor_Remediation, which would grant HubSpot nothing and be planned again every run', () => {
    const upsert = methodText(source('SyncDoctorRemediationApplier'), 'upsertRemediationSet');
    expect(upsert).toMatch(/SELECTId,Name,Label,HasActivationRequiredFROMPermissionSet/);
    expect(upsert).toMatch(
      /if\(!existing\.isEmpty\(\)&&existing\[0\]\.HasActivationRequired\)\{thrownewSyncDoctorException\(REMEDIATION_SET_SESSION_BASED\);\}/,
    );
    expect(upsert.indexOf('REMEDIATION_SET_SESSION_BASED')).toBeLessThan(
      upsert.indexOf('insertasuser'),
    );
    expect(source('TestSyncDoctorRemediationApplier')).toContain(
      'refusesToGrantIntoASessionBasedRemediationSet',
    );
  });
});

describe('Apex assigning permission sets', () => {
  it('takes an assignment past its ExpirationDate for no assignment and renews it (Salesforce removes it only later and refuses a duplicate), as the Node applier does', () => {
    const assignAll = methodText(source('SyncDoctorRemediationApplier'), 'assignAll');
    expect(assignAll).toMatch(/SELECTId,PermissionSetId,ExpirationDateFROMPermissionSetAssignment/);
    expect(assignAll).toMatch(/\.ExpirationDate<=/);
    expect(assignAll).toMatch(/\.ExpirationDate=null;/);
    expect(assignAll).toContain('updateasuserrenewed;');
    expect(source('TestSyncDoctorRemediationApplier')).toContain(
      'renewsAnAssignmentPastItsExpirationDate',
    );
  });
});

describe('Apex finding the permission sets a plan names', () => {
  it("leaves out groups' aggregate sets, which cannot be assigned, and refuses a name two sets answer to instead of assigning one at random", () => {
    const find = methodText(source('SyncDoctorRemediationApplier'), 'findPermissionSets');
    expect(find).toContain("readAssignableSets('Name IN :names OR Label IN :names',");
    expect(methodText(source('SyncDoctorRemediationApplier'), 'readAssignableSets')).toContain(
      "') AND IsOwnedByProfile = FALSE AND PermissionSetGroupId = NULL'",
    );
    expect(find).toMatch(
      /if\(matches\.size\(\)>1\)\{thrownewSyncDoctorException\('Several permission sets answer to/,
    );
    expect(source('TestSyncDoctorRemediationApplier')).toContain(
      'refusesANameTwoPermissionSetsAnswerTo',
    );
  });
});

/** The lower-cased string literals of the Apex constant `name = new Set<String>{ ... }`; none without it. */
function setConstant(classSource: string, name: string): string[] {
  const body = new RegExp(`\\b${name}\\s*=\\s*new\\s+Set<String>\\s*\\{([^}]*)\\}`).exec(
    classSource,
  );
  if (!body) return [];
  return [...body[1]!.matchAll(/'([^']*)'/g)].map((match) => match[1]!.toLowerCase());
}

describe('Apex granting system permissions', () => {
  const applier = source('SyncDoctorRemediationApplier');
  const grantable = setConstant(applier, 'GRANTABLE_SYSTEM_PERMISSIONS');

  it('grants only the system permissions on its list, checked before any change, whoever sends the plan', () => {
    const validate = methodText(applier, 'validate');
    expect(validate).toMatch(
      /if\(!(?:SyncDoctorRemediationApplier\.)?GRANTABLE_SYSTEM_PERMISSIONS\.contains\(key\)\)\{thrownewSyncDoctorException\(/,
    );
    expect(source('TestSyncDoctorRemediationApplier')).toContain(
      '"systemPermissions":["PermissionsModifyMetadata"]',
    );
  });

  it('lists only permissions Sync Doctor checks (the reader reads them), none it never grants', () => {
    const read = [
      ...(
        /SYSTEM_PERMISSIONS = new List<String>\{([^}]*)\}/.exec(
          source('SyncDoctorSnapshotReader'),
        )?.[1] ?? ''
      ).matchAll(/'([^']*)'/g),
    ].map((match) => match[1]!.toLowerCase());
    expect(read.length).toBeGreaterThan(4);
    expect(grantable.length).toBeGreaterThan(0);
    expect(grantable.filter((permission) => !read.includes(permission))).toEqual([]);
    const never = setConstant(applier, 'NEVER_GRANTED');
    expect(grantable.filter((permission) => never.includes(permission))).toEqual([]);
  });

  it("grants exactly the core's GRANTABLE_SYSTEM_PERMISSIONS and names its NEVER_GRANTED ones: the rule is the core's, written once", () => {
    const lower = (names: readonly string[]) => names.map((name) => name.toLowerCase()).sort();
    expect([...grantable].sort()).toEqual(lower(GRANTABLE_SYSTEM_PERMISSIONS));
    expect(setConstant(applier, 'NEVER_GRANTED').sort()).toEqual(
      lower(NEVER_GRANTED_SYSTEM_PERMISSIONS),
    );
  });

  it("refuses a system permission in the core's words (systemPermissionRefusal), the grantable ones named as the core names them", () => {
    const validate = methodText(applier, 'validate').replaceAll("\\'", "'");
    for (const permission of ['PermissionsModifyMetadata', 'PermissionsModifyAllData']) {
      const [before, after] = systemPermissionRefusal(permission)!.split(permission);
      expect(validate).toContain(`'${before}'+permission+'${after}'`);
    }
  });

  it("lists every system permission the core's plan names, so no fix the page plans is refused", () => {
    // The plan grants what planRemediation and its findings' steps (findingSteps) name.
    const core = [
      'remediation/planRemediation.ts',
      'remediation/findingSteps.ts',
      'requirements/defaults.ts',
    ].flatMap(
      (file) =>
        readFileSync(path.join(CORE_SRC, file), 'utf8').match(/\bPermissions[A-Za-z]+/g) ?? [],
    );
    const planned = [...new Set(core.map((permission) => permission.toLowerCase()))];
    expect(planned).toEqual(
      expect.arrayContaining(['permissionsapienabled', 'permissionsviewallusers']),
    );
    expect(planned.filter((permission) => !grantable.includes(permission))).toEqual([]);
  });
});

describe("Apex assigning HubSpot's own permission set", () => {
  it('assigns it only when exactly one set answers to its label or name, never the first of several the query returned', () => {
    const find = methodText(source('SyncDoctorRemediationApplier'), 'findIntegrationSet');
    expect(find).not.toMatch(/LIMIT1/i);
    expect(find).toContain(
      "readAssignableSets('Label = :integrationSetLabel OR Name = :integrationSetName',",
    );
    expect(find).toMatch(
      /if\(sets\.size\(\)>1\)\{[^]*thrownewSyncDoctorException\('Several permission sets answer to/,
    );
    // Refused before anything is assigned.
    const assign = methodText(
      source('SyncDoctorRemediationApplier'),
      'assignIntegrationPermissionSet',
    );
    expect(assign.indexOf('findIntegrationSet()')).toBeLessThan(assign.indexOf('assignAll('));
    expect(source('TestSyncDoctorRemediationApplier')).toContain(
      'refusesToAssignHubSpotsSetWhenTwoSetsAnswerToIt',
    );
  });
});

/** The Apex constant `name = new Map<String, String>{ 'k' => 'v', ... }` as entries; none without it. */
function mapConstant(classSource: string, name: string): [string, string][] {
  const body = new RegExp(`\\b${name}\\s*=\\s*new\\s+Map<String,\\s*String>\\s*\\{([^}]*)\\}`).exec(
    classSource,
  );
  if (!body) return [];
  return [...body[1]!.matchAll(/'([^']*)'\s*=>\s*'([^']*)'/g)].map(
    (match) => [match[1]!, match[2]!] as [string, string],
  );
}

describe('Apex assigning only permission sets holding nothing it never grants, as the core rules', () => {
  const applier = source('SyncDoctorRemediationApplier');
  const tests = source('TestSyncDoctorRemediationApplier');

  it("names the never-granted permissions in the core's words (NEVER_GRANTED_PERMISSION_LABELS), one label for each of NEVER_GRANTED", () => {
    const labels = mapConstant(applier, 'NEVER_GRANTED_LABELS');
    expect(labels.length).toBeGreaterThan(0);
    expect(labels.map(([column, label]) => `${column}=${label}`).sort()).toEqual(
      Object.entries(NEVER_GRANTED_PERMISSION_LABELS)
        .map(([column, label]) => `${column.toLowerCase()}=${label}`)
        .sort(),
    );
    expect(labels.map(([column]) => column).sort()).toEqual(
      setConstant(applier, 'NEVER_GRANTED').sort(),
    );
  });

  it("reads every NEVER_GRANTED column the org has, with the plan's names bound, in user mode", () => {
    const read = methodText(applier, 'readAssignableSets');
    expect(read).toContain('columns.addAll(guardColumns());');
    expect(read).toContain('Database.queryWithBinds(soql,binds,AccessLevel.USER_MODE)');
    const guard = methodText(applier, 'guardColumns');
    expect(guard).toMatch(
      /for\(Stringpermission:(?:SyncDoctorRemediationApplier\.)?NEVER_GRANTED\)\{if\(fields\.containsKey\(permission\)\)/,
    );
    expect(guard).toContain('columns.sort();');
  });

  it("refuses such a set before any change, for a plan and for HubSpot's own set alike", () => {
    const find = methodText(applier, 'findPermissionSets');
    expect(find).toMatch(/requireAssignable\(matches\[0\]\);found\.add\(matches\[0\]\);/);
    const integration = methodText(applier, 'findIntegrationSet');
    expect(integration).toMatch(/requireAssignable\(sets\[0\]\);returnsets\[0\];\}$/);
    const require = methodText(applier, 'requireAssignable');
    expect(require).toMatch(
      /assignmentRefusal\(candidate,guardColumns\(\)\);if\(refusal!=null\)\{thrownewSyncDoctorException\(refusal\);\}/,
    );
    // findPermissionSets runs before the savepoint and the first change.
    const apply = methodText(applier, 'applyPlan');
    expect(apply.indexOf('findPermissionSets(')).toBeGreaterThan(-1);
    expect(apply.indexOf('findPermissionSets(')).toBeLessThan(
      apply.indexOf('Database.setSavepoint()'),
    );
    const assign = methodText(applier, 'assignIntegrationPermissionSet');
    expect(assign.indexOf('findIntegrationSet()')).toBeLessThan(assign.indexOf('assignAll('));
  });

  it("refuses in the core's words (its test expects the core's message), and never for object rights", () => {
    const sample = {
      Name: 'N',
      Label: 'L',
      NamespacePrefix: null,
      PermissionsModifyAllData: true,
    };
    const core = permissionSetAssignmentRefusal(sample)!;
    const [before, after] = core.split('L (N)');
    const [middle, end] = after!.split('Modify All Data');
    const refusal = methodText(applier, 'assignmentRefusal').replaceAll("\\'", "'");
    for (const literal of [before, middle, end]) expect(refusal).toContain(`'${literal}'`);
    expect(refusal).not.toMatch(/ViewAllRecords|ModifyAllRecords|ObjectPermissions/);
    const profile = permissionSetAssignmentRefusal({ ...sample, IsOwnedByProfile: true })!;
    expect(refusal).toContain(`'${profile.split('L (N)')[1]}'`);

    // The Apex test's expected message is the core's for the same set.
    const { tree } = parseApex(tests);
    const method = findContexts(tree, 'MethodDeclarationContext').find((candidate) =>
      candidate.getText().includes('namesEveryPermissionItNeverGrantsThatASetHolds'),
    );
    expect(method).toBeDefined();
    const expected =
      /Assert\.areEqual\('((?:[^'\\]|\\.)*)',SyncDoctorPermissionSetGuard\.assignmentRefusal\(everything/.exec(
        method!.getText(),
      );
    expect(expected).not.toBeNull();
    expect(expected![1]!.replaceAll("\\'", "'")).toBe(
      permissionSetAssignmentRefusal({
        Name: 'Everything',
        Label: 'Everything Admin',
        PermissionsModifyAllData: true,
        PermissionsViewAllData: true,
      }),
    );
    for (const name of [
      'refusesToAssignASetHoldingAPermissionItNeverGrants',
      'refusesToAssignHubSpotsSetWhenItHoldsAPermissionItNeverGrants',
      'assignsASetHoldingViewAllAndModifyAllOnObjectsOnly',
    ])
      expect(tests).toContain(`static void ${name}()`);
  });

  it("has an Apex test refusing a set that could reset an admin's password, expecting the core's message", () => {
    const { tree } = parseApex(tests);
    const method = findContexts(tree, 'MethodDeclarationContext').find((candidate) =>
      candidate.getText().includes('refusesASetThatCouldTakeOverAnAdminsAccount'),
    );
    expect(method).toBeDefined();
    const expected =
      /Assert\.areEqual\('((?:[^'\\]|\\.)*)',SyncDoctorPermissionSetGuard\.assignmentRefusal\(resetter/.exec(
        method!.getText(),
      );
    expect(expected).not.toBeNull();
    expect(expected![1]!.replaceAll("\\'", "'")).toBe(
      permissionSetAssignmentRefusal({
        Name: 'Resetter',
        Label: 'Password Resetter',
        PermissionsResetPasswords: true,
      }),
    );
  });
});

describe('Apex asking for the running admin permissions', () => {
  it('counts neither an expired assignment nor a session-based permission set, which grant nothing now: an empty LoginHistory answer would read as "no logins"', () => {
    const query = methodText(source('SyncDoctorSnapshotReader'), 'runningUserPermissions');
    expect(query).toContain(' AND (ExpirationDate = NULL OR ExpirationDate > :now)');
    expect(query).toContain(' AND PermissionSet.HasActivationRequired = FALSE');
    expect(query).toMatch(/'now'=>Datetime\.now\(\)/);
  });

  it("counts no session-based permission set group either: its assignment names the group's own set, whose group says", () => {
    const query = methodText(source('SyncDoctorSnapshotReader'), 'runningUserPermissions');
    expect(query).toContain(
      ' AND (PermissionSetGroupId = NULL OR PermissionSetGroup.HasActivationRequired = FALSE)',
    );
    const tests = source('TestSyncDoctorSnapshotReader');
    expect(tests).toContain('countsNoPermissionOfASessionBasedGroupTheAdminHasNotActivated');
    expect(tests).toContain('countsThePermissionOfAGroupThatNeedsNoActivation');
  });
});

describe('Apex reading the field permissions of a large scope', () => {
  it('asks for at most the rows the 50,000-row limit leaves (less a reserve) and refuses a read beyond them, rather than meet the uncatchable LimitException', () => {
    const reader = source('SyncDoctorSnapshotReader');
    const read = methodText(reader, 'readFieldPermissions');
    expect(read).toContain('WHEREParentIdIN:parentIdsANDFieldIN:fieldNames');
    expect(read).toContain('Integerbudget=fieldPermissionRowBudget();IntegerrowLimit=budget+1;');
    expect(read).toContain('LIMIT:rowLimit');
    expect(read).toMatch(
      /if\(rows\.size\(\)>budget\)\{thrownewSyncDoctorException\(TOO_MANY_FIELD_PERMISSIONS/,
    );
    expect(methodText(reader, 'fieldPermissionRowBudget')).toContain(
      'Limits.getLimitQueryRows()-Limits.getQueryRows()-FIELD_PERMISSION_ROW_RESERVE-1',
    );
    expect(source('TestSyncDoctorSnapshotReader')).toContain(
      'readsFieldPermissionsOnlyWithinTheRowLimitsBound',
    );
  });

  it('stops reading before the 6 MB heap runs out (its LimitException cannot be caught either): 200 rows at a time, the heap checked after each, refused as beyond the row bound', () => {
    const reader = source('SyncDoctorSnapshotReader');
    const read = methodText(reader, 'readFieldPermissions');
    // A SOQL for loop (one query, 200 rows at a time), not one list the heap must hold at once.
    expect(read).toMatch(/for\(List<FieldPermissions>chunk:\[SELECTParentId/);
    expect(read).toMatch(
      /rows\.addAll\(chunk\);if\(fieldPermissionHeapShort\(rows\.size\(\)\)\)\{thrownewSyncDoctorException\(TOO_MANY_FIELD_PERMISSIONS/,
    );
    const short = methodText(reader, 'fieldPermissionHeapShort');
    expect(short).toContain('Limits.getLimitHeapSize()');
    expect(short).toContain(
      'Limits.getHeapSize()+rowsRead*FIELD_PERMISSION_JSON_BYTES+FIELD_PERMISSION_HEAP_RESERVE>heapLimit',
    );
    // The numbers: in 6 MB the heap lets thousands of rows be read (a full scope of one set), and
    // binds far below the ~49,000 the row bound allows.
    const constant = (name: string) =>
      Number(new RegExp(`Integer ${name} = (\\d+);`).exec(reader)?.[1]);
    const jsonBytes = constant('FIELD_PERMISSION_JSON_BYTES');
    const reserve = constant('FIELD_PERMISSION_HEAP_RESERVE');
    // A row's JSON as the controller's JSON.serialize writes it, attributes and all.
    const row = JSON.stringify({
      attributes: {
        type: 'FieldPermissions',
        url: '/services/data/v62.0/sobjects/FieldPermissions/01k5g00000AbCdEfGH',
      },
      ParentId: '0PS5g00000AbCdEfGH',
      SobjectType: 'Opportunity',
      Field: 'Opportunity.HubSpot_Original_Source__c',
      PermissionsRead: true,
      PermissionsEdit: true,
      Id: '01k5g00000AbCdEfGH',
    });
    expect(jsonBytes).toBeGreaterThanOrEqual(row.length);
    const rowsIn6MB = Math.floor((6_000_000 - reserve) / jsonBytes);
    expect(rowsIn6MB).toBeGreaterThan(2000);
    expect(rowsIn6MB).toBeLessThan(49_000 / 2);
    expect(source('TestSyncDoctorSnapshotReader')).toContain(
      'readsFieldPermissionsOnlyWhileTheHeapHolds',
    );
  });
});

describe('Apex saving the settings', () => {
  it('writes its own custom setting in system mode, since user mode needs Customize Application, which Sync_Doctor_Admin cannot grant: a custom setting definition access is read only', () => {
    const save = methodText(source('SyncDoctorSettings'), 'save');
    expect(save).toContain('insertassystemsettings;');
    expect(save).toContain('updateassystemsettings;');
    // Only the setting: the extra fields are records Sync_Doctor_Admin grants, written as the user
    // (the previous ones deleted whoever saved them, below).
    expect(save).toContain('ExtraFieldRows.deleteAll(previous);');
    expect(save).toContain('insertasuserrecords;');
    expect(save.match(/assystem/g)).toHaveLength(2);
    expect(source('SyncDoctorSettings')).toMatch(/System mode[^]*Customize Application/);
  });

  it('replaces the previous extra fields whoever saved them: Public Read/Write lets another app user edit a row, never delete it, so in user mode a second admin could not save at all', () => {
    const settings = source('SyncDoctorSettings');
    expect(settings).toMatch(/private without sharing class ExtraFieldRows \{/);
    const deleteAll = methodText(settings, 'deleteAll');
    // Object access stays the caller's: Delete on the object, checked before the delete.
    expect(deleteAll).toMatch(
      /if\(!Schema\.SObjectType\.Sync_Doctor_Required_Field__c\.isDeletable\(\)\)\{thrownewSyncDoctorException\([^]*\}deleteassystemrows;\}$/,
    );
    // Sync Doctor's own rows only: the one class without sharing in the package.
    const withoutSharing = production.flatMap((apexClass) =>
      (apexClass.source.match(/\bwithout sharing class \w+/g) ?? []).map(
        (match) => `${apexClass.name}: ${match}`,
      ),
    );
    expect(withoutSharing).toEqual(['SyncDoctorSettings: without sharing class ExtraFieldRows']);
    expect(source('TestSyncDoctorSettings')).toContain('replacesTheExtraFieldsAnotherAppUserSaved');
  });

  it('has an Apex test saving as a user without Customize Application', () => {
    expect(source('TestSyncDoctorSettings')).toMatch(
      /runAs\(TestSyncDoctorFactory\.user\(TestSyncDoctorFactory\.LIMITED\)\)\s*\{\s*SyncDoctorSettings\.save\(/,
    );
  });
});

describe("Apex checking the caller's own rights before a change", () => {
  it('counts neither an expired assignment nor a session-based permission set, which grant nothing now, as the snapshot reader leaves them out', () => {
    const query = methodText(source('SyncDoctorAccess'), 'callersPermissionSets');
    expect(query).toContain('AND(ExpirationDate=NULLORExpirationDate>:now)');
    expect(query).toContain('ANDPermissionSet.HasActivationRequired=FALSE');
    expect(query).toContain('Datetimenow=Datetime.now();');
    expect(source('TestSyncDoctorAccess')).toContain(
      'countsNoRightOfASessionBasedSetTheCallerHasNotActivated',
    );
  });

  it('counts no right of a session-based permission set group the caller has not activated', () => {
    const query = methodText(source('SyncDoctorAccess'), 'callersPermissionSets');
    expect(query).toContain(
      'AND(PermissionSetGroupId=NULLORPermissionSetGroup.HasActivationRequired=FALSE)',
    );
    const tests = source('TestSyncDoctorAccess');
    expect(tests).toContain('countsNoRightOfASessionBasedGroupTheCallerHasNotActivated');
    expect(tests).toContain('countsTheRightOfAGroupThatNeedsNoActivation');
  });
});

describe('Apex writing the remediation log', () => {
  it("inserts the entry in system mode, Sync Doctor's own audit record that no user may write, so neither an admin's field-level security nor a forged entry decides what it says", () => {
    const log = source('SyncDoctorRemediationLog');
    expect(methodText(log, 'insertLater')).toMatch(/insertassystementry;\}$/);
    // And the entry of a failed attempt, written by the failure event's trigger.
    // (again without the target's lookup, then the admin's, for entries naming no user).
    expect(methodText(log, 'insertFailures')).toMatch(
      /updateassystemcounted;insertEntries\(entries\);\}$/,
    );
    expect(methodText(log, 'insertEntries')).toMatch(
      /try\{insertassystementries;\}catch\(DmlExceptionrefused\)\{[^]*withoutLookup\(entries,refused,'Target_User__c'\);try\{insertassystemagain;\}catch\(DmlExceptionstillRefused\)\{insertassystemwithoutLookup\(again,stillRefused,'Performed_By__c'\);\}\}\}$/,
    );
    expect(log.match(/\bas\s+system\b/g)).toHaveLength(5);
    expect(log).toMatch(/System mode, deliberately/);
    expect(source('TestSyncDoctorRemediationLog')).toMatch(
      /recordsTheChangeOfAnAdminWhoCannotWriteTheLog\(\)\s*\{[^]*TestSyncDoctorFactory\.NO_ACCESS/,
    );
  });
});

describe('Apex reading permission sets', () => {
  it('says which right of their own an admin needs when Salesforce refuses the permission reads, instead of a bare "sObject type is not supported"', () => {
    expect(source('SyncDoctorAccess')).toMatch(
      /CANNOT_READ_PERMISSIONS =\s*'[^;]*View Setup and Configuration/,
    );
    const read = methodText(source('SyncDoctorSnapshotReader'), 'read');
    expect(read).toMatch(
      /try\{[^]*readAssignments\([^]*\}catch\(QueryExceptionrefused\)\{[^}]*throwSyncDoctorAccess\.cannotReadPermissions\(refused\);/,
    );
    expect(source('TestSyncDoctorSnapshotReader')).toContain(
      'SyncDoctorAccess.CANNOT_READ_PERMISSIONS',
    );
  });

  it("says the same when looking for the holders of HubSpot's permission set, where it failed with Salesforce's words alone", () => {
    const sources = methodText(source('SyncDoctorIntegrationUserFinder'), 'sourcesByUser');
    expect(sources).toMatch(
      /try\{holders=\[SELECTAssigneeIdFROMPermissionSetAssignment[^]*\}catch\(QueryExceptionrefused\)\{[^}]*throwSyncDoctorAccess\.cannotReadPermissions\(refused\);/,
    );
    expect(source('TestSyncDoctorIntegrationUserFinder')).toContain(
      'SyncDoctorAccess.CANNOT_READ_PERMISSIONS',
    );
  });
});

/**
 * The exception types caught around each inline query FROM `object` of `classSource`: the catch
 * clauses of every try statement whose body holds the query (System. dropped), one list a query.
 */
function catchesAroundQueries(classSource: string, object: string): string[][] {
  const { tree } = parseApex(classSource);
  return findContexts(tree, 'QueryContext')
    .filter(
      (query) =>
        findContexts(query, 'FromNameListContext')[0]?.getText().toLowerCase() ===
        object.toLowerCase(),
    )
    .map((query) => {
      const caught: string[] = [];
      let child: ApexParserRuleContext = query;
      let parent = query.parentCtx as ApexParserRuleContext | null;
      while (parent) {
        const parts = (parent.children ?? []) as ApexParserRuleContext[];
        if (kind(parent) === 'TryStatementContext' && kind(child) === 'BlockContext')
          for (const clause of parts.filter((part) => kind(part) === 'CatchClauseContext'))
            for (const type of findContexts(clause, 'QualifiedNameContext'))
              caught.push(type.getText().replace(/^System\./i, ''));
        child = parent;
        parent = parent.parentCtx as ApexParserRuleContext | null;
      }
      return caught;
    });
}

describe('Apex reading OAuth tokens', () => {
  it('sees which exceptions a try around a query catches, and none outside one (the check can fail)', () => {
    expect(
      catchesAroundQueries(
        'public class X { void f() { try { g([SELECT UserId FROM OauthToken]); } catch (QueryException q) { h(); } catch (System.CalloutException c) { h(); } } }',
        'OauthToken',
      ),
    ).toEqual([['QueryException', 'CalloutException']]);
    expect(
      catchesAroundQueries(
        'public class X { void f() { try { h(); } catch (QueryException q) { g([SELECT UserId FROM OauthToken]); } } }',
        'OauthToken',
      ),
    ).toEqual([[]]);
  });

  it('treats the "pending uncommitted work" refusal after DML like a refused query: tokens not read, the other evidence still counts', () => {
    // Object Reference, OauthToken, "Special Access Rules": DML and then a query of OauthToken in
    // the same call fail with UncommittedWork ("A callout was unsuccessful because of pending
    // uncommitted work"), which Apex raises as a CalloutException, not a QueryException. Apex tests
    // that set up permission sets and settings before looking for candidates meet it in any org.
    const tokenReads = production.flatMap((apexClass) =>
      catchesAroundQueries(apexClass.source, 'OauthToken').map((caught) => ({
        name: apexClass.name,
        caught: [...caught].sort(),
      })),
    );
    expect(tokenReads).toEqual([
      {
        name: 'SyncDoctorIntegrationUserFinder',
        caught: ['CalloutException', 'QueryException'],
      },
    ]);
    // Its Apex test writes first, then reads the tokens, in one transaction.
    expect(source('TestSyncDoctorIntegrationUserFinder')).toMatch(
      /stillFindsTheOtherEvidenceWhenTokensCannotBeReadAfterDml\(\)\s*\{[^]*SyncDoctorSettings\.save\([^]*oauthUserIds\(\)[^]*findCandidates\(\)/,
    );
  });
});

describe('Apex finding the integration user by OAuth tokens', () => {
  it('counts no token for a reader without Customize Application, who would see only its own, and says why', () => {
    // Object Reference, OauthToken, "Special Access Rules": without Customize Application the
    // query answers with the reader's own tokens, no error. The finder asks first, and then reads
    // no token at all (the REST finder does the same; packages/salesforce's contract test).
    const finder = source('SyncDoctorIntegrationUserFinder');
    const tokenReads = findContexts(parseApex(finder).tree, 'MethodDeclarationContext')
      .map((method) => method.getText())
      .filter((text) => /FROMOauthTokenWHERE/.test(text));
    expect(tokenReads).toHaveLength(1);
    expect(tokenReads[0]).toMatch(
      /^Set<Id>oauthUserIds\(List<UnreadEvidence>unread\)\{Set<Id>userIds=newSet<Id>\(\);if\(!seesEveryUsersTokens\(\)\)\{unread\.add\(newUnreadEvidence\(SOURCE_OAUTH,TOKENS_NEED_CUSTOMIZE_APPLICATION,TOKENS_UNREAD_MESSAGE\)\);returnuserIds;\}try\{/,
    );
    expect(methodText(finder, 'seesEveryUsersTokens')).toMatch(
      /\[SELECTPermissionsCustomizeApplicationFROMUserPermissionAccessWITHUSER_MODELIMIT1\];return!own\.isEmpty\(\)&&own\[0\]\.PermissionsCustomizeApplication==true;/,
    );
    expect(finder).toMatch(/TOKENS_UNREAD_MESSAGE = '[^']*"Customize Application"/);
    expect(source('TestSyncDoctorIntegrationUserFinder')).toMatch(
      /leavesTheTokensOutForAReaderWhoSeesOnlyItsOwn\(\)\s*\{[^]*TestSyncDoctorFactory\.LIMITED[^]*oauthUserIds\(unread\)[^]*TOKENS_NEED_CUSTOMIZE_APPLICATION/,
    );
  });
});

describe('Apex remediation applier within the governor limits, whatever the plan', () => {
  const applier = source('SyncDoctorRemediationApplier');

  it("reads only the planned objects' and fields' rows of the remediation set, which gathers every earlier run's rights", () => {
    const terms = (from: string): string[] =>
      soqlQueries(applier)
        .filter((query) => query.from === from)
        .flatMap((query) =>
          query.requiredTerms.map((term) => `${term.field} ${term.operator} ${term.value}`),
        );
    expect(terms('FieldPermissions')).toEqual([
      'ParentId = :permissionSetId',
      'Field IN :fieldNames',
    ]);
    expect(terms('ObjectPermissions')).toEqual([
      'ParentId = :permissionSetId',
      'SobjectType IN :sobjectTypes',
    ]);
  });

  it('refuses a plan with more save waves than the DML statements of one transaction can save, before any change', () => {
    const max = Number(/MAX_SAVE_WAVES\s*=\s*(\d+)/.exec(applier)![1]);
    // Every DML statement of a change: two a wave (saveRows), two for the field rows, the rest once.
    const dml = (text: string): number =>
      (text.match(/(insert|update)as(user|system)|Database\.(setSavepoint|rollback)\(/g) ?? [])
        .length;
    const once = dml(parseApex(applier).tree.getText()) - dml(methodText(applier, 'saveRows'));
    expect(once + 2 * (max + 1)).toBeLessThanOrEqual(150);
    expect(methodText(applier, 'validate')).toMatch(
      /if\(waves\.size\(\)>(?:SyncDoctorRemediationApplier\.)?MAX_SAVE_WAVES\)\{throw/,
    );
    expect(methodText(applier, 'applyPlan').indexOf('validate(plan)')).toBeLessThan(
      methodText(applier, 'applyPlan').indexOf('Database.setSavepoint()'),
    );
    expect(source('TestSyncDoctorRemediationApplier')).toMatch(
      /refusesMoreSaveWavesThanOneTransactionCanSave\(\)\s*\{[^]*MAX_SAVE_WAVES/,
    );
  });
});

describe("Apex granting object rights by the core's rule (grantable.ts, objectRights.ts), written once", () => {
  const applier = source('SyncDoctorRemediationApplier');
  const plan = source('SyncDoctorRemediationPlan');
  const tests = source('TestSyncDoctorRemediationApplier');
  /** The ObjectGrant member holding each right: `delete` is an Apex keyword. */
  const member = (right: string): string => (right === 'delete' ? 'remove' : right);

  it("lists the object rights in the core's order, grants exactly the core's GRANTABLE_OBJECT_RIGHTS and never its NEVER_GRANTED_OBJECT_RIGHTS", () => {
    const { tokens } = parseApex(applier);
    const start = tokens.findIndex(
      (token, index) => token.text === 'OBJECT_RIGHTS' && tokens[index + 1]?.text === '=',
    );
    expect(start).toBeGreaterThan(-1);
    const listed: string[] = [];
    for (let index = start + 1; tokens[index]!.text !== '}'; index++)
      if (tokens[index]!.text.startsWith("'")) listed.push(tokens[index]!.text.slice(1, -1));
    expect(listed).toEqual([...OBJECT_RIGHTS]);
    const grantable = setConstant(applier, 'GRANTABLE_OBJECT_RIGHTS');
    expect(grantable.sort()).toEqual(GRANTABLE_OBJECT_RIGHTS.map((r) => r.toLowerCase()).sort());
    expect(
      grantable.filter((r) => NEVER_GRANTED_OBJECT_RIGHTS.some((n) => n.toLowerCase() === r)),
    ).toEqual([]);
  });

  it("requires beside each right exactly the core's OBJECT_RIGHT_DEPENDENCIES, and names each right with the core's RIGHT_LABEL", () => {
    expect(
      mapConstant(applier, 'OBJECT_RIGHT_DEPENDENCIES')
        .map(([right, needs]) => `${right}=${needs}`)
        .sort(),
    ).toEqual(
      Object.entries(OBJECT_RIGHT_DEPENDENCIES)
        .map(([right, needs]) => `${right}=${needs.join(',')}`)
        .sort(),
    );
    expect(
      mapConstant(applier, 'OBJECT_RIGHT_LABELS')
        .map(([right, label]) => `${right}=${label}`)
        .sort(),
    ).toEqual(
      Object.entries(RIGHT_LABEL)
        .map(([right, label]) => `${right}=${label}`)
        .sort(),
    );
  });

  it("reads each right of a grant under the core's name", () => {
    const rights = methodText(plan, 'rights');
    for (const right of OBJECT_RIGHTS) expect(rights).toContain(`'${right}'=>${member(right)}`);
  });

  it('writes only the grantable columns, each exactly as the row lists it: no right added unasked, none it never grants', () => {
    const apply = methodText(applier, 'applyObjectGrants');
    const written = [
      ...apply.matchAll(/row\.(Permissions\w+)=isTrue\(row\.(Permissions\w+)\)\|\|([^;]*);/g),
    ];
    expect(written.map((m) => m[1])).toEqual(written.map((m) => m[2]));
    expect(written.map((m) => `${m[1]}=${m[3]}`).sort()).toEqual(
      GRANTABLE_OBJECT_RIGHTS.map((r) => `${OBJECT_RIGHT_COLUMNS[r]}=grant.${member(r)}`).sort(),
    );
    // No other assignment to a permission column of the row.
    expect(apply.match(/row\.Permissions\w+=/g)).toHaveLength(GRANTABLE_OBJECT_RIGHTS.length);
  });

  it("refuses in the core's words (objectRightsRefusal), and its Apex test expects the core's message for the same row", () => {
    const refusal = methodText(applier, 'objectRightsRefusal').replaceAll("\\'", "'");
    const never = objectRightsRefusal({ sobjectType: 'X_Object__c', read: true, viewAll: true })!;
    const [neverBefore, neverRest] = never.split('View All');
    const [neverMiddle, neverEnd] = neverRest!.split('X_Object__c');
    const missing = objectRightsRefusal({ sobjectType: 'X_Object__c', read: true, delete: true })!;
    const [before, rest] = missing.split('Delete');
    const [middle, rest2] = rest!.split('X_Object__c');
    const [between, end] = rest2!.split('Edit');
    for (const literal of [neverBefore, neverMiddle, neverEnd, before, middle, between, end])
      expect(refusal).toContain(`'${literal}'`);

    const { tree } = parseApex(tests);
    const method = findContexts(tree, 'MethodDeclarationContext').find((candidate) =>
      candidate.getText().includes('namesTheRightAndTheOneItNeedsInTheCoresWords'),
    );
    expect(method).toBeDefined();
    const expected =
      /Assert\.areEqual\('((?:[^'\\]|\\.)*)',SyncDoctorRemediationValidator\.objectRightsRefusal\(deleteOnly\)/.exec(
        method!.getText(),
      );
    expect(expected).not.toBeNull();
    expect(expected![1]).toBe(
      objectRightsRefusal({ sobjectType: 'Lead', read: true, delete: true }),
    );
    for (const name of [
      'refusesARightWithoutTheOneItNeedsBeforeAnyChange',
      'grantsDeleteWithTheEditAndReadTheRowListsAndNothingMore',
    ])
      expect(tests).toContain(`static void ${name}()`);
  });
});
