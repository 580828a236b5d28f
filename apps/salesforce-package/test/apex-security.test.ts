// Security rules of the Apex that parsing can check (no org here): the remediation set Sync Doctor
// reuses is held to the rule every assigned set is held to, its tests never touch the org's own
// Sync_Doctor_Remediation, no failure's internals reach the browser, and object rights are asked
// only on objects a permission set can hold them on, before any change.
import type { ApexParserRuleContext } from '@apexdevtools/apex-parser';
import { readdirSync } from 'node:fs';
import {
  apexFamilySource,
  findContexts,
  isTestClass,
  listApexClasses,
  methodContext,
  methodText,
  parseApex,
} from './lib/apex.js';
import { OBJECTS_DIR } from './lib/paths.js';
import { CONNECTED_APP_NAME_LIKE } from '../../../packages/core/src/snapshot/schema.js';

const classes = listApexClasses();
// A class split by concern reads as its whole family (APEX_CLASS_FAMILIES in lib/apex.ts).
const source = (name: string): string => apexFamilySource(name, classes);

const kind = (node: unknown): string => (node as object).constructor.name;

/** Where `needle` first appears in `text`; fails the test when it does not. */
function at(text: string, needle: string): number {
  const index = text.indexOf(needle);
  expect({ needle, found: index >= 0 }).toEqual({ needle, found: true });
  return index;
}

describe('Apex reusing the org’s Sync_Doctor_Remediation', () => {
  const applier = source('SyncDoctorRemediationApplier');

  it('refuses a reused set holding a permission it never grants (requireAssignable, read through readAssignableSets) before granting anything into it', () => {
    const upsert = methodText(applier, 'upsertRemediationSet');
    const check = at(upsert, 'requireReusable(existing[0].Id);');
    // Before the first right is put into the set and before its insert or update.
    expect(check).toBeLessThan(at(upsert, 'remediationSet.put(permission,true);'));
    expect(check).toBeLessThan(at(upsert, 'updateasuserremediationSet;'));
    expect(check).toBeLessThan(at(upsert, 'insertasuserremediationSet;'));
    // Only for a set that exists: a new one holds nothing but the plan's rights.
    expect(upsert).toContain('if(!existing.isEmpty()){requireReusable(existing[0].Id);}');

    const reusable = methodText(applier, 'requireReusable');
    // The same read (guard columns included) and the same refusal as every other assigned set.
    expect(reusable).toMatch(/readAssignableSets\('Id = :remediationSetId',/);
    expect(reusable).toMatch(/\{(?:SyncDoctorPermissionSetGuard\.)?requireAssignable\(reused\);\}/);
  });

  it('grants into and assigns the set only after that check, in the same transaction as the rest', () => {
    const applyPlan = methodText(applier, 'applyPlan');
    const upsert = at(applyPlan, 'upsertRemediationSet(userId,plan.systemPermissions)');
    expect(upsert).toBeLessThan(at(applyPlan, 'applyObjectGrants('));
    expect(upsert).toBeLessThan(at(applyPlan, 'toAssign.add(0,remediationSet);'));
    expect(upsert).toBeLessThan(at(applyPlan, 'assignAll(userId,toAssign)'));
    // The only path to the remediation set is upsertRemediationSet: no other method names it.
    const namers = findContexts(parseApex(applier).tree, 'MethodDeclarationContext')
      .filter((method) => /remediationSetName/.test(method.getText()))
      .map((method) =>
        ((method.children ?? []) as ApexParserRuleContext[])
          .find((child) => kind(child) === 'IdContext')!
          .getText(),
      );
    expect(namers).toEqual(['upsertRemediationSet']);
  });

  it('notices a reuse without the check (the check can fail)', () => {
    const unchecked =
      'public class X { static PermissionSet upsertRemediationSet(List<String> p) { List<PermissionSet> existing = [SELECT Id FROM PermissionSet]; PermissionSet remediationSet = existing[0]; for (String permission : p) { remediationSet.put(permission, true); } update as user remediationSet; insert as user remediationSet; return remediationSet; } }';
    expect(methodText(unchecked, 'upsertRemediationSet')).not.toContain('requireReusable(');
    expect(methodContext(unchecked, 'requireReusable')).toBeNull();
  });

  it('is proved by an Apex test that pre-creates the set with a never-granted permission and finds nothing changed', () => {
    const tests = source('TestSyncDoctorRemediationApplier');
    expect(tests).toMatch(
      /refusesToReuseARemediationSetHoldingAPermissionItNeverGrants\(\)\s*\{\s*(\/\/[^\n]*\n\s*)*PermissionSet reused = insertAssignerSet\(\s*SET_NAME,\s*TestSyncDoctorRemediationApplier\.labelOf\(SET_NAME\)\s*\);\s*String failure = TestSyncDoctorRemediationApplier\.failureOf\(\s*SET_NAME,[^]*'Sync Doctor never assigns the permission set ' \+\s*TestSyncDoctorRemediationApplier\.labelOf\(SET_NAME\) \+\s*' \(' \+\s*SET_NAME \+\s*'\): it grants Assign Permission Sets,[^]*assignmentsOf\(reused\.Id\)/,
    );
  });
});

describe('Apex tests of the applier in an org that already used Sync Doctor', () => {
  const applier = source('SyncDoctorRemediationApplier');
  const tests = source('TestSyncDoctorRemediationApplier');

  it('names the remediation set through @TestVisible variables defaulting to the constants', () => {
    expect(applier).toMatch(
      /@TestVisible\s+private static String remediationSetName = REMEDIATION_SET_NAME;/,
    );
    expect(applier).toMatch(
      /@TestVisible\s+private static String remediationSetLabel = REMEDIATION_SET_LABEL;/,
    );
    const upsert = methodText(applier, 'upsertRemediationSet');
    expect(upsert).toContain('WHEREName=:remediationSetNameANDNamespacePrefix=NULL');
    expect(upsert).toContain('Name=remediationSetName,Label=remediationSetLabel,');
    expect(upsert).not.toMatch(/REMEDIATION_SET_(NAME|LABEL)/);
  });

  it('never looks for, asserts on or creates the real Sync_Doctor_Remediation, only a name of its own', () => {
    expect(tests).toContain("TEST_SET_NAME = 'Sync_Doctor_Remediation_Test';");
    expect(tests).not.toMatch(/REMEDIATION_SET_(NAME|LABEL)\b/);
    expect(tests).not.toMatch(/'Sync_Doctor_Remediation'/);
    // Every applier the tests make writes the test's set.
    const made = tests.match(/new SyncDoctorRemediationApplier\(\)/g) ?? [];
    expect(made).toHaveLength(1);
    expect(methodText(tests, 'applier')).toMatch(
      /^SyncDoctorRemediationApplierapplier\(StringsetName\)\{SyncDoctorRemediationApplier\.remediationSetName=setName;SyncDoctorRemediationApplier\.remediationSetLabel=labelOf\(setName\);returnnewSyncDoctorRemediationApplier\(\);\}$/,
    );
    // ... given the test class's own name: TEST_SET_NAME, a SET_NAME made from it, or the
    // setName a helper passes on.
    const names = [...tests.matchAll(/\bapplier\(\s*(\w+)\s*\)/g)].map((call) => call[1]);
    expect(names.length).toBeGreaterThan(5);
    expect(
      names.filter((name) => !['TEST_SET_NAME', 'SET_NAME', 'setName'].includes(name!)),
    ).toEqual([]);
    const declared = [...tests.matchAll(/\bString SET_NAME =\s*([^;]+);/g)].map((d) =>
      d[1]!.replace(/\s+/g, ' ').trim(),
    );
    expect(declared.length).toBeGreaterThan(0);
    for (const expression of declared) {
      expect(expression).toMatch(/^TestSyncDoctorRemediationApplier\.TEST_SET_NAME \+ '_\w+'$/);
    }
  });
});

/** Sync Doctor's own exceptions: their messages are written for the admin. */
const OWN = ['SyncDoctorException', 'AuraHandledException'];

/** The text of the conditions of every `if` enclosing `node` whose then-branch holds it. */
function guardingConditions(node: ApexParserRuleContext): string[] {
  const conditions: string[] = [];
  let child = node;
  let parent = node.parentCtx as ApexParserRuleContext | null;
  while (parent) {
    if (kind(parent) === 'IfStatementContext') {
      const parts = ((parent.children ?? []) as ApexParserRuleContext[]).filter((part) =>
        kind(part).endsWith('Context'),
      );
      // [condition, then, else?]: only the then-branch is guarded by the condition.
      if (parts[1] === child) conditions.push(parts[0]!.getText());
    }
    child = parent;
    parent = parent.parentCtx as ApexParserRuleContext | null;
  }
  return conditions;
}

/**
 * Every message given to the browser (auraError(...), new AuraHandledException(...), and a
 * SyncDoctorException, shown as it is) that carries an exception's getMessage() without an
 * enclosing `if (e instanceof SyncDoctorException ...)`, or the log's words (failureDetail).
 */
function leaks(classSource: string): string[] {
  const { tree } = parseApex(classSource);
  const carriers = [
    ...findContexts(tree, 'MethodCallContext').filter((call) =>
      /^auraError\(/.test(call.getText()),
    ),
    ...findContexts(tree, 'NewExpressionContext').filter((created) =>
      /^new(AuraHandledException|SyncDoctorException)\(/.test(created.getText()),
    ),
  ];
  return carriers.flatMap((carrier) => {
    const text = carrier.getText();
    const found: string[] = [];
    if (text.includes('failureDetail(')) found.push(text);
    for (const [, receiver] of text.matchAll(/(\w+)\.getMessage\(\)/g)) {
      const guarded = guardingConditions(carrier).some((condition) =>
        OWN.some((own) => condition.includes(`${receiver}instanceof${own}`)),
      );
      if (!guarded) found.push(text);
    }
    return found;
  });
}

describe('Apex telling the browser what went wrong', () => {
  const access = source('SyncDoctorAccess');

  it("passes on only Sync Doctor's own exceptions' messages, and a DML failure's first error", () => {
    expect(leaks(access)).toEqual([]);
    const toAura = methodText(access, 'toAuraError');
    expect(toAura).toContain('if(failureinstanceofSyncDoctorException){returnauraError(');
    expect(toAura).toMatch(/\)failure\)\.getDmlMessage\(0\)\);\}/);
    expect(toAura).toMatch(
      /returnauraError\('Sync Doctor could not '\+attempted\+': '\+unexpectedFailure\(failure\)\);\}$/,
    );
  });

  it('describes any other failure by a reference the debug log and the remediation log also hold, never by its message', () => {
    const unexpected = methodText(access, 'unexpectedFailure');
    expect(unexpected).toMatch(
      /^StringunexpectedFailure\(Exceptionfailure\)\{if\(failure!==lastUnexpected\)\{/,
    );
    expect(unexpected).toContain('System.debug(LoggingLevel.ERROR,');
    expect(unexpected).toMatch(
      /returnString\.format\(UNEXPECTED_ERROR,newList<Object>\{lastReference\}\);\}$/,
    );
    // What is returned names no part of the failure.
    const returned = unexpected.slice(unexpected.lastIndexOf('return'));
    expect(returned).not.toMatch(/failure\./);
    // The log's words carry the same reference before the failure's own words.
    expect(methodText(access, 'failureDetail')).toMatch(
      /returnunexpectedFailure\(failure\)\+' '\+failure\.getTypeName\(\)\+': '\+failure\.getMessage\(\);\}$/,
    );
  });

  it("keeps of a refused permission read only Salesforce's error line, not the query it can quote", () => {
    const refusal = methodText(access, 'cannotReadPermissions');
    expect(refusal).toContain('.split(');
    expect(refusal).toContain('lines[lines.size()-1].trim()');
  });

  it('notices a message passed on unguarded, or the log’s words given to the page (the check can fail)', () => {
    const before = `public class X {
      public static AuraHandledException toAuraError(String attempted, Exception failure) {
        if (failure instanceof SyncDoctorException) { return auraError(failure.getMessage()); }
        return auraError('Sync Doctor could not ' + attempted + ': ' + failureDetail(failure));
      }
      public static SyncDoctorException cannotReadPermissions(QueryException refused) {
        return new SyncDoctorException('x (Salesforce: ' + refused.getMessage() + ')');
      }
      static void f(Exception e) { if (e instanceof DmlException) { throw new AuraHandledException(e.getMessage()); } }
    }`;
    expect(leaks(before)).toEqual([
      "auraError('Sync Doctor could not '+attempted+': '+failureDetail(failure))",
      "newSyncDoctorException('x (Salesforce: '+refused.getMessage()+')')",
      'newAuraHandledException(e.getMessage())',
    ]);
    const guardedElse =
      'public class X { static void f(Exception e) { if (e instanceof SyncDoctorException) { g(); } else { throw auraError(e.getMessage()); } } }';
    expect(leaks(guardedElse)).toHaveLength(1);
  });

  it('is proved by Apex tests that an unexpected failure shows a reference and no internals', () => {
    expect(source('TestSyncDoctorAccess')).toMatch(
      /showsNoInternalsOfAnUnexpectedFailureAndLogsThemUnderOneReference\(\)\s*\{[^]*Secret__c[^]*neither the query nor the failure/,
    );
  });
});

describe('Apex refusing object rights a permission set cannot hold', () => {
  const applier = source('SyncDoctorRemediationApplier');

  it("checks each object against ObjectPermissions.SobjectType's picklist, read once by a describe, before any change", () => {
    expect(methodText(applier, 'objectsWithPermissions')).toContain(
      "Schema.SObjectType.ObjectPermissions.fields.getMap().get('SobjectType').getDescribe().getPicklistValues()",
    );
    const validate = methodText(applier, 'validate');
    const read = at(validate, 'objectsWithPermissions()');
    const loop = at(
      validate,
      'for(SyncDoctorRemediationPlan.ObjectGrantgrant:plan.objectPermissions){Schema.SObjectTypesobjectType',
    );
    // Once, before the loop over the rows, and only for a plan with object rows.
    expect(read).toBeLessThan(loop);
    expect(validate.match(/objectsWithPermissions\(\)/g)).toHaveLength(1);
    expect(validate).toContain(
      'plan.objectPermissions.isEmpty()?newSet<String>():objectsWithPermissions();',
    );
    const refuse = at(
      validate,
      'if(!permissionable.contains(objectName.toLowerCase())){thrownewSyncDoctorException(noObjectPermissions(objectName));}',
    );
    expect(refuse).toBeGreaterThan(loop);
    expect(refuse).toBeLessThan(at(validate, 'objectRightsRefusal(grant)'));
    // validate runs before the savepoint and the first change.
    const applyPlan = methodText(applier, 'applyPlan');
    expect(at(applyPlan, 'validate(plan);')).toBeLessThan(at(applyPlan, 'Database.setSavepoint()'));
    expect(methodText(applier, 'noObjectPermissions')).toContain(
      "'The plan asks object permissions on '+objectName+",
    );
    expect(source('TestSyncDoctorRemediationApplier')).toMatch(
      /refusesObjectRightsAPermissionSetCannotHoldBeforeAnyChange\(\)\s*\{[^]*'The plan asks object permissions on Task, which a permission set cannot hold[^]*"sobjectType":"task"/,
    );
  });
});

describe('Apex refusing field rights a permission set cannot hold', () => {
  const applier = source('SyncDoctorRemediationApplier');

  it("checks each field's object against FieldPermissions.SobjectType's picklist, read once by a describe, before any change", () => {
    expect(methodText(applier, 'objectsWithFieldPermissions')).toContain(
      "Schema.SObjectType.FieldPermissions.fields.getMap().get('SobjectType').getDescribe().getPicklistValues()",
    );
    const validate = methodText(applier, 'validate');
    const read = at(validate, 'objectsWithFieldPermissions()');
    const loop = at(
      validate,
      'for(SyncDoctorRemediationPlan.FieldGrantgrant:plan.fieldPermissions){',
    );
    // Once, before the loop over the rows, and only for a plan with field rows.
    expect(read).toBeLessThan(loop);
    expect(validate.match(/objectsWithFieldPermissions\(\)/g)).toHaveLength(1);
    expect(validate).toContain(
      'plan.fieldPermissions.isEmpty()?newSet<String>():objectsWithFieldPermissions();',
    );
    const exists = at(validate, "'The plan names a field this org does not have: '");
    const refuse = at(
      validate,
      'if(!fieldPermissionable.contains(fieldObjectName.toLowerCase())){thrownewSyncDoctorException(noFieldPermissions(',
    );
    // After the field is found in the schema, before any row is written (validate precedes the
    // savepoint, checked above), and the row is written with the names the schema spells.
    expect(refuse).toBeGreaterThan(exists);
    expect(validate).toContain("grant.field=fieldObjectName+'.'+field.getName();");
    expect(source('TestSyncDoctorRemediationApplier')).toMatch(
      /refusesFieldRightsAPermissionSetCannotHoldBeforeAnyChange\(\)\s*\{[^]*'The plan asks field permissions on Contact.Email, which a permission set cannot hold[^]*"field":"contact.email"[^]*remediationSets\((?:TEST_SET_NAME|SET_NAME)\)/,
    );
  });
});

describe('Apex changing the settings', () => {
  const controller = source('SyncDoctorController');

  it('lets only holders of Sync_Doctor_Manage_Settings save them, checked before anything is read or written', () => {
    const save = methodText(controller, 'saveSettings');
    expect(save).toMatch(
      /^StringsaveSettings\(IduserId,StringportalId,StringextraFieldsJson\)\{SyncDoctorAccess\.requireAccess\(\);SyncDoctorAccess\.requireSettingsAccess\(\);try\{SyncDoctorSettings\.save\(/,
    );
    // The settings are saved from this method alone (system mode for the custom setting).
    const callers = classes
      .filter((apexClass) => /SyncDoctorSettings\.save\(/.test(apexClass.source))
      .map((apexClass) => apexClass.name)
      .filter((name) => !name.startsWith('Test'));
    expect(callers).toEqual(['SyncDoctorController']);
    expect(controller.match(/SyncDoctorSettings\.save\(/g)).toHaveLength(1);
    expect(methodText(controller, 'getSettings')).not.toContain('requireSettingsAccess');
    const access = source('SyncDoctorAccess');
    expect(methodText(access, 'requireSettingsAccess')).toContain(
      'if(!canChangeSettings()){throwauraError(CANNOT_CHANGE_SETTINGS);}',
    );
    expect(methodText(source('SyncDoctorSettings'), 'read')).toContain(
      "'canEdit'=>SyncDoctorAccess.canChangeSettings()",
    );
    expect(source('TestSyncDoctorController')).toMatch(
      /refusesToSaveSettingsWithoutTheirCustomPermission\(\)\s*\{[^]*assignViewer\([^]*SyncDoctorAccess\.CANNOT_CHANGE_SETTINGS[^]*savedPortalId\(\)/,
    );
  });
});

describe("Apex telling the page the caller's own rights to apply fixes", () => {
  const controller = source('SyncDoctorController');
  const access = source('SyncDoctorAccess');

  it('answers getFixRights from the one check the applier refuses by, after the custom permission', () => {
    expect(methodText(controller, 'getFixRights')).toMatch(
      /^StringgetFixRights\(\)\{SyncDoctorAccess\.requireAccess\(\);try\{returnJSON\.serialize\(SyncDoctorAccess\.fixRights\(\)\);\}catch/,
    );
    // One place decides which rights are missing: the page's answer and the applier's refusal.
    expect(methodText(access, 'fixRights')).toContain(
      'List<String>missing=missingRightsToChangePermissions();',
    );
    expect(methodText(access, 'requireRightToChangePermissions')).toMatch(
      /^voidrequireRightToChangePermissions\(BooleanneedsPermissionSetEdit\)\{List<String>missing=missingRightsToChangePermissions\(\);if\(missing\.contains\(ASSIGN_RIGHT\)\)\{thrownewSyncDoctorException\(CANNOT_ASSIGN\);\}if\(needsPermissionSetEdit&&missing\.contains\(MANAGE_RIGHT\)\)\{thrownewSyncDoctorException\(CANNOT_MANAGE\);\}\}$/,
    );
    expect(methodText(access, 'missingRightsToChangePermissions')).toContain(
      'for(PermissionSetholder:callersPermissionSets())',
    );
    expect(methodText(access, 'callersPermissionSets')).toContain('WITHUSER_MODE');
    // The applier still refuses by itself (defence in depth), before each change.
    const applier = source('SyncDoctorRemediationApplier');
    expect(applier.match(/SyncDoctorAccess\.requireRightToChangePermissions\(/g)).toHaveLength(2);
  });

  it("names the rights in Setup's words, as the applier's NEVER_GRANTED_LABELS spell them", () => {
    const applier = source('SyncDoctorRemediationApplier');
    const label = (key: string): string => new RegExp(`'${key}' => '([^']+)'`).exec(applier)![1]!;
    const constant = (name: string): string =>
      new RegExp(`public static final String ${name} = '([^']+)';`).exec(access)![1]!;
    expect(constant('ASSIGN_RIGHT')).toBe(label('permissionsassignpermissionsets'));
    expect(constant('MANAGE_RIGHT')).toBe(label('permissionsmanageprofilespermissionsets'));
    expect(source('TestSyncDoctorController')).toMatch(
      /tellsThePageWhetherTheCallerMayApplyFixes\(\)\s*\{[^]*assignViewer\([^]*getFixRights\(\)[^]*'canFix'[^]*SyncDoctorAccess\.ASSIGN_RIGHT, SyncDoctorAccess\.MANAGE_RIGHT/,
    );
  });
});

describe('Apex changing only the integration user saved in the settings', () => {
  const applier = source('SyncDoctorRemediationApplier');

  it('refuses any other target first thing in both changes, inside the try that logs a refusal', () => {
    expect(methodText(applier, 'assignIntegrationPermissionSet')).toMatch(
      /^Map<String,Object>assignIntegrationPermissionSet\(IduserId\)\{SyncDoctorJson\.requireUserId\(userId\);try\{requireSavedIntegrationUser\(userId\);/,
    );
    expect(methodText(applier, 'applyPlan')).toMatch(
      /^Map<String,Object>applyPlan\(IduserId,StringplanJson\)\{requireSavedIntegrationUser\(userId\);/,
    );
    expect(methodText(applier, 'apply')).toContain('try{returnapplyPlan(userId,planJson);}');
    const check = methodText(applier, 'requireSavedIntegrationUser');
    expect(check).toContain('Idsaved=SyncDoctorSettings.savedUserId();');
    expect(check).toContain(
      'if(saved==null||saved!=userId){thrownewSyncDoctorException(NOT_THE_SAVED_USER);}',
    );
    // Nor a portal, community or guest user an admin saved by mistake.
    expect(check).toMatch(/SELECTUserTypeFROMUserWHEREId=:userIdWITHUSER_MODE/);
    expect(check).toContain('EXTERNAL_USER_TYPES.contains(target.UserType)');
    expect(source('TestSyncDoctorRemediationApplier')).toMatch(
      /changesOnlyTheSavedIntegrationUser\(\)\s*\{[^]*\.apply\(admin\.Id[^]*assignIntegrationPermissionSet\(admin\.Id\)[^]*NOT_THE_SAVED_USER/,
    );
  });

  it('has every Apex test that applies a fix save the integration user first, as an admin does', () => {
    const applying = classes.filter(
      (apexClass) =>
        isTestClass(apexClass.source) &&
        /\.(apply|assignIntegrationPermissionSet|applyRemediation)\(\s*(integrationUser\.Id|TestSyncDoctorRemediationApplier\.integrationUserId\(\)|integrationUserId\(\)|userId)/.test(
          apexClass.source,
        ),
    );
    expect(applying.length).toBeGreaterThanOrEqual(5);
    for (const apexClass of applying)
      expect({
        name: apexClass.name,
        saves: /saveIntegrationUser\(\)/.test(apexClass.source),
      }).toEqual({ name: apexClass.name, saves: true });
  });
});

describe('Apex granting into a Sync_Doctor_Remediation only the integration user holds', () => {
  const applier = source('SyncDoctorRemediationApplier');

  it('refuses a reused set assigned to anyone else before granting anything into it', () => {
    const upsert = methodText(applier, 'upsertRemediationSet');
    const check = at(upsert, 'requireAssignedToNoOneElse(existing[0].Id,userId);');
    expect(check).toBeLessThan(at(upsert, 'remediationSet.put(permission,true);'));
    expect(check).toBeLessThan(at(upsert, 'updateasuserremediationSet;'));
    expect(methodText(applier, 'requireAssignedToNoOneElse')).toMatch(
      /FROMPermissionSetAssignmentWHEREPermissionSetId=:remediationSetIdANDAssigneeId!=:userIdWITHUSER_MODE/,
    );
    expect(source('TestSyncDoctorRemediationApplier')).toMatch(
      /refusesARemediationSetAssignedToAnotherUser\(\)[^]*also assigned to[^]*nothing granted/,
    );
  });
});

describe('Apex granting and assigning only what the core plans for HubSpot', () => {
  const applier = source('SyncDoctorRemediationApplier');
  const validator = source('SyncDoctorRemediationValidator');

  it("assigns no permission set but HubSpot's own, checked after validation and before any set is read or changed", () => {
    const applyPlan = methodText(applier, 'applyPlan');
    const check = at(applyPlan, 'requireOnlyIntegrationSet(plan.assignPermissionSets);');
    expect(at(applyPlan, 'SyncDoctorRemediationValidator.validate(plan);')).toBeLessThan(check);
    expect(check).toBeLessThan(at(applyPlan, 'findPermissionSets('));
    expect(check).toBeLessThan(at(applyPlan, 'Database.setSavepoint()'));
    expect(methodText(applier, 'requireOnlyIntegrationSet')).toMatch(
      /if\(!asked\.equalsIgnoreCase\(integrationSetLabel\)&&!asked\.equalsIgnoreCase\(integrationSetName\)\)\{thrownewSyncDoctorException\(/,
    );
    expect(source('TestSyncDoctorRemediationApplier')).toMatch(
      /assignsNoSetButHubSpotsOwn\(\)[^]*Sync_Doctor_Test_Other_Set[^]*not assigned/,
    );
  });

  it('grants no right on any of Sync Doctor’s own objects, by object and by field', () => {
    const own = methodText(validator, 'ownObjects');
    for (const object of readdirSync(OBJECTS_DIR))
      expect({ object, refused: own.includes(`${object}.SObjectType`) }).toEqual({
        object,
        refused: true,
      });
    const validate = methodText(validator, 'validate');
    expect(validate.match(/requireNotOwnObject\((objectName|fieldObjectName)\);/g)).toEqual([
      'requireNotOwnObject(objectName);',
      'requireNotOwnObject(fieldObjectName);',
    ]);
    expect(source('TestSyncDoctorRemediationValidator')).toMatch(
      /grantsNoRightOnSyncDoctorsOwnObjects\(\)[^]*HubSpot_Sync_Status__c[^]*Sync_Doctor_Remediation_Log__c/,
    );
  });

  it("approves no connected app but HubSpot's, named as the reader finds them", () => {
    // Its own constant, held to the core's as the reader's is (snapshot-contract.test.ts): the
    // reader is a helper of the snapshot, which the applier's family may not call.
    expect(validator).toContain(
      `private static final String CONNECTED_APP_NAME_LIKE = '${CONNECTED_APP_NAME_LIKE}';`,
    );
    expect(methodText(validator, 'isHubSpotApp')).toContain(
      "name.containsIgnoreCase(CONNECTED_APP_NAME_LIKE.remove('%'))",
    );
    expect(methodText(validator, 'validateConnectedApps')).toContain(
      'if(!isHubSpotApp(found.get(app.appId))){thrownewSyncDoctorException(',
    );
    expect(source('TestSyncDoctorRemediationValidator')).toMatch(
      /approvesNoConnectedAppButHubSpotsBeforeAnyChange\(\)[^]*Salesforce CLI[^]*approves only HubSpot/,
    );
  });
});

describe('Apex applying fixes only for holders of Sync_Doctor_Apply_Fixes', () => {
  const controller = source('SyncDoctorController');
  const access = source('SyncDoctorAccess');

  it.each(['assignIntegrationPermissionSet', 'applyRemediation'])(
    '%s checks the custom permission right after Sync_Doctor_Access, before anything is read or written',
    (method) => {
      expect(methodText(controller, method)).toMatch(
        new RegExp(
          `^String${method}\\([^)]*\\)\\{SyncDoctorAccess\\.requireAccess\\(\\);SyncDoctorAccess\\.requireFixAccess\\(\\);try\\{`,
        ),
      );
    },
  );

  it('refuses by the custom permission, and tells the page (fixRights) it may neither fix nor assign without it', () => {
    expect(methodText(access, 'canApplyFixes')).toContain(
      'FeatureManagement.checkPermission(APPLY_FIXES_PERMISSION)',
    );
    expect(methodText(access, 'requireFixAccess')).toContain(
      'if(!canApplyFixes()){throwauraError(CANNOT_APPLY_FIXES);}',
    );
    const fixRights = methodText(access, 'fixRights');
    expect(fixRights).toContain('if(!mayApply){missing.add(0,APPLY_FIXES_RIGHT);}');
    expect(fixRights).toContain("'canFix'=>missing.isEmpty()");
    expect(fixRights).toContain("'canAssign'=>mayApply&&");
    expect(source('TestSyncDoctorController')).toMatch(
      /refusesToApplyFixesWithoutTheirCustomPermission\(\)\s*\{[^]*assignViewer\([^]*applyRemediation\([^]*assignIntegrationPermissionSet\([^]*SyncDoctorAccess\.CANNOT_APPLY_FIXES/,
    );
  });
});

describe("Apex when the integration user's license forbids a planned right", () => {
  const applier = source('SyncDoctorRemediationApplier');

  it("keeps the fix whole and turns Salesforce's refusal into a message naming the set, the license and the right", () => {
    const assignAll = methodText(applier, 'assignAll');
    // Every assignment DML inside the try whose catch translates a license refusal.
    expect(assignAll).toMatch(
      /try\{insertasusernewAssignments;updateasuserrenewed;\}catch\(DmlExceptionrefused\)\{Stringrefusal=licenseRefusal\(userId,sets,refused\);if\(refusal!=null\)\{thrownewSyncDoctorException\(refusal\);\}throwrefused;\}/,
    );
    // Salesforce's own first error is passed on (getDmlMessage, as toAuraError does), no internals.
    const refusal = methodText(applier, 'licenseRefusal');
    expect(refusal).toContain('refused.getDmlMessage(0)');
    expect(refusal).not.toContain('getMessage()');
    // The license is read in user mode, and a refused read only drops its name.
    expect(methodText(applier, 'licenseOf')).toMatch(
      /SELECTProfile\.UserLicense\.NameFROMUserWHEREId=:userIdWITHUSER_MODE[^]*catch\(QueryExceptionnotAllowed\)\{returnnull;\}/,
    );
    // The rollback in applyPlan still takes back the whole fix before the message reaches the log.
    expect(methodText(applier, 'applyPlan')).toMatch(
      /catch\(Exception(\w+)\)\{Database\.rollback\(\w+\);throw\1;\}\}$/,
    );
    expect(source('TestSyncDoctorRemediationApplier')).toMatch(
      /tellsWhichRightAndLicenseWhenSalesforceRefusesTheAssignment\(\)[^]*The user license doesn\\'t allow the permission: Read Opportunity/,
    );
  });
});
