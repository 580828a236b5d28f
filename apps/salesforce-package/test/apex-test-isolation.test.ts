// Checks on how the Apex classes of a split family (APEX_CLASS_FAMILIES) may be used, which no org
// run would show: test classes running in parallel must not insert setup records of the same
// unique name, and the helpers a family's entry point calls behind its safeguards are called by it
// alone.
import { ApexLexer } from '@apexdevtools/apex-parser';
import {
  APEX_CLASS_FAMILIES,
  apexFamilySource,
  type ApexClassFile,
  isTestClass,
  listApexClasses,
  listApexTriggers,
  methodText,
  parseApex,
  parseApexTrigger,
} from './lib/apex.js';
import { setNameUses, sharedSetNames } from './lib/apexSetNames.js';

const classes = listApexClasses();
const tests = classes.filter((apexClass) => isTestClass(apexClass.source));
const production = classes.filter((apexClass) => !isTestClass(apexClass.source));

const fake = (name: string, source: string): ApexClassFile => ({ name, file: name, source });

/**
 * Names test classes outside the two split families already shared before the split; each is
 * still reported if it stops being shared, so the list cannot outlive its reason.
 * HubSpot_Integration_Permissions is the name the production code looks HubSpot's set up by
 * (TestSyncDoctorFactory.createHubSpotIntegrationSet reuses the org's own one when it has it).
 */
const KNOWN_SHARED = [
  'PermissionSet HubSpot_Integration_Permissions: TestSyncDoctorController, TestSyncDoctorIntegrationUserFinder, TestSyncDoctorPermissionSetAssigner',
  'PermissionSet Sync_Doctor_Test_View_Setup: TestSyncDoctorAccess, TestSyncDoctorController',
];

describe('Apex test classes running in parallel', () => {
  it('reads a set name through constants, helpers and their callers, to the test class running it', () => {
    const helper = fake(
      'TestHelper',
      `@IsTest public class TestHelper {
        public static final String BASE = 'Sync_Doctor_Test_Scope';
        public static void createSet(String suffix) { makeSet(BASE + suffix, true); }
        private static void makeSet(String name, Boolean flag) {
          insert new PermissionSet(Name = name, Label = name);
          insert new PermissionSetGroup(DeveloperName = name + '_Group', MasterLabel = 'x');
        }
        public static void fixed() { insert new PermissionSet(Name = 'Fixed', Label = 'Fixed'); }
        public static void remediate(String name) { SyncDoctorRemediationApplier.remediationSetName = name; }
      }`,
    );
    const user = (name: string, suffix: string, fixed = false): ApexClassFile =>
      fake(
        name,
        `@IsTest private class ${name} {
          private static final String SUFFIX = '${suffix}';
          @TestSetup static void setup() { TestHelper.createSet(SUFFIX); }
          @IsTest static void runs() { ${fixed ? 'TestHelper.fixed();' : ''} TestHelper.remediate('R' + SUFFIX); }
        }`,
      );
    const shared = (...files: ApexClassFile[]): string[] => sharedSetNames(setNameUses(files));
    expect(shared(helper, user('TestA', '_A'), user('TestB', '_B'))).toEqual([]);
    expect(shared(helper, user('TestA', '_A'), user('TestB', '_A'))).toEqual([
      'PermissionSet R_A: TestA, TestB',
      'PermissionSet Sync_Doctor_Test_Scope_A: TestA, TestB',
      'PermissionSetGroup Sync_Doctor_Test_Scope_A_Group: TestA, TestB',
    ]);
    expect(shared(helper, user('TestA', '_A', true), user('TestB', '_B', true))).toEqual([
      'PermissionSet Fixed: TestA, TestB',
    ]);
    // A name the check cannot read is an error, not a pass.
    expect(() =>
      setNameUses([
        fake(
          'TestC',
          `@IsTest private class TestC { @IsTest static void runs() {
            String name = 'X'; insert new PermissionSet(Name = name, Label = name); } }`,
        ),
      ]),
    ).toThrow(/cannot read the name name/);
  });

  it('never insert a permission set, group or muting set of the same name from two test classes', () => {
    const shared = sharedSetNames(setNameUses(tests, classes));
    expect(shared.filter((entry) => !KNOWN_SHARED.includes(entry))).toEqual([]);
    expect(KNOWN_SHARED.filter((entry) => !shared.includes(entry))).toEqual([]);
  });
});

/** Identifier tokens of a class or trigger (comments and strings do not count). */
function identifiers(source: string, trigger = false): Set<string> {
  const { tokens } = trigger ? parseApexTrigger(source) : parseApex(source);
  return new Set(
    tokens.filter((token) => token.type === ApexLexer.Identifier).map((token) => token.text),
  );
}

/**
 * The production classes a family's helper classes may be used by: the remediation applier's
 * helpers write, assign and validate behind its checks (validation first, the caller's right to
 * change permissions, one savepoint), so only the applier calls them; the snapshot reader's
 * helpers read its sections and may call each other.
 */
const HELPER_CALLERS: Readonly<Record<string, readonly string[]>> = {
  SyncDoctorRemediationApplier: ['SyncDoctorRemediationApplier'],
  SyncDoctorSnapshotReader: APEX_CLASS_FAMILIES.SyncDoctorSnapshotReader!,
};

function helperUses(
  family: string,
  code: { name: string; source: string; trigger?: boolean }[],
): string[] {
  const helpers = APEX_CLASS_FAMILIES[family]!.filter((member) => member !== family);
  return code.flatMap(({ name, source, trigger }) => {
    if (HELPER_CALLERS[family]!.includes(name)) return [];
    const used = identifiers(source, trigger);
    return helpers
      .filter((helper) => helper !== name && used.has(helper))
      .map((helper) => `${name} uses ${helper}`);
  });
}

describe('the helpers of a split Apex class', () => {
  const code = [
    ...production,
    ...listApexTriggers().map((trigger) => ({ ...trigger, trigger: true })),
  ];

  it('reads a use of a helper class from the tokens, not from comments', () => {
    const caller = (name: string, body: string) => ({
      name,
      source: `public class ${name} { ${body} }`,
    });
    expect(
      helperUses('SyncDoctorRemediationApplier', [
        caller(
          'SyncDoctorOther',
          'void f() { SyncDoctorRemediationGrantWriter.applyObjectGrants(null, null); }',
        ),
        caller('SyncDoctorQuiet', '/* SyncDoctorPermissionSetAssigner.assignAll */ void f() {}'),
        caller(
          'SyncDoctorRemediationApplier',
          'void f() { SyncDoctorPermissionSetAssigner.assignAll(null, null); }',
        ),
        caller(
          'SyncDoctorRemediationValidator',
          'void f() { SyncDoctorPermissionSetGuard.describeSet(null); }',
        ),
      ]),
    ).toEqual([
      'SyncDoctorOther uses SyncDoctorRemediationGrantWriter',
      'SyncDoctorRemediationValidator uses SyncDoctorPermissionSetGuard',
    ]);
  });

  it.each(Object.keys(HELPER_CALLERS))(
    "are used only by %s's allowed callers (and by tests)",
    (family) => {
      expect(helperUses(family, code)).toEqual([]);
    },
  );
});

describe('methodText', () => {
  it('refuses a name several methods of a family have, unless the class is named', () => {
    const joined = apexFamilySource('TestSyncDoctorSnapshotReader', classes);
    expect(() => methodText(joined, 'setup')).toThrow(/methods named setup/);
    expect(methodText(joined, 'setup', 'TestSyncDoctorOrgReader')).toContain('createScopedSet');
    expect(() => methodText(joined, 'setup', 'NoSuchClass')).toThrow(/no method setup/);
  });
});
