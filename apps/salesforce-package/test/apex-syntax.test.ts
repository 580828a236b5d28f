// Every Apex class parses (@apexdevtools/apex-parser, the grammar the Apex language server uses),
// and the snapshot reader keeps its SOQL budget: a constant number of queries, none in a loop.
// Dynamic SOQL (Database.queryWithBinds: the assignments query names only the permission columns
// the org has) counts like inline SOQL and must run in user mode too.
import {
  dynamicQueries,
  isTestClass,
  apexFamilySource,
  listApexClasses,
  listApexTriggers,
  parseApex,
  parseApexTrigger,
  soqlQueries,
} from './lib/apex.js';

const classes = listApexClasses();
const productionClasses = classes.filter((apexClass) => !isTestClass(apexClass.source));

describe('Apex sources', () => {
  it('has the controller, its helpers and their test classes', () => {
    expect(classes.map((apexClass) => apexClass.name)).toEqual(
      expect.arrayContaining(['SyncDoctorController', 'TestSyncDoctorController']),
    );
    expect(productionClasses.length).toBeGreaterThan(8);
  });

  it.each(classes.map((apexClass) => [apexClass.name, apexClass.source]))(
    '%s has no syntax error',
    (_name, source) => {
      expect(parseApex(source).problems).toEqual([]);
    },
  );

  it.each(listApexTriggers().map((trigger) => [trigger.name, trigger.source]))(
    'trigger %s has no syntax error and delegates to a class (no query or DML of its own)',
    (_name, source) => {
      const { problems, tree } = parseApexTrigger(source);
      expect(problems).toEqual([]);
      expect(tree.getText()).not.toMatch(/\[SELECT|\b(insert|update|upsert|delete)\b/i);
    },
  );

  it('reports a syntax error in a trigger when there is one (the check can fail)', () => {
    expect(
      parseApexTrigger('trigger T on A__e(after insert) { X.y(Trigger.new) }').problems.length,
    ).toBeGreaterThan(0);
    expect(
      parseApexTrigger('trigger T on A__e(after insert) { X.y(Trigger.new); }').problems,
    ).toEqual([]);
  });

  it('reports a syntax error when there is one (the check can fail)', () => {
    const problems = parseApex(
      'public with sharing class Broken { void f() { Integer i = ; } }',
    ).problems;
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]!.line).toBe(1);
  });

  it('runs no SOQL query inside a loop body', () => {
    const inLoops = productionClasses.flatMap((apexClass) =>
      [...soqlQueries(apexClass.source), ...dynamicQueries(apexClass.source)]
        .filter((query) => query.inLoopBody)
        .map((query) => `${apexClass.name}:${query.line} FROM ${query.from}`),
    );
    expect(inLoops).toEqual([]);
  });

  it('sees a dynamic query, its FROM object, its arguments and whether it runs in a loop', () => {
    const [perIteration] = dynamicQueries(
      "public class X { void f(List<Id> ids) { String q = 'SELECT Id FROM User WHERE Id = :i'; for (Id i : ids) { List<User> u = Database.queryWithBinds(q, new Map<String, Object>{ 'i' => i }, AccessLevel.USER_MODE); } } }",
    );
    expect(perIteration).toMatchObject({
      call: 'queryWithBinds',
      from: 'User',
      inLoopBody: true,
      method: 'f',
    });
    expect(perIteration!.args[2]).toBe('AccessLevel.USER_MODE');
    const [header] = dynamicQueries(
      "public class X { void f() { for (User u : Database.query('SELECT Id FROM User')) { u.Id = null; } } }",
    );
    expect(header).toMatchObject({
      call: 'query',
      inLoopBody: false,
      args: ["'SELECT Id FROM User'"],
    });
  });

  it('sees a query in a loop body when there is one, but not a SOQL for-loop', () => {
    const [perIteration] = soqlQueries(
      'public class X { void f(List<Id> ids) { for (Id i : ids) { List<User> u = [SELECT Id FROM User WHERE Id = :i]; } } }',
    );
    expect(perIteration!.inLoopBody).toBe(true);
    const [header] = soqlQueries(
      'public class X { void f() { for (User u : [SELECT Id FROM User]) { u.Id = null; } } }',
    );
    expect(header!.inLoopBody).toBe(false);
  });

  it('reads a snapshot with 11 queries, whatever the org or the scope (no saved-settings read), and 1 more for a user holding a permission set group', () => {
    // The reader split by concern (APEX_CLASS_FAMILIES): the budget is its classes' together.
    const reader = { source: apexFamilySource('SyncDoctorSnapshotReader', classes) };
    const readerQueries = [...soqlQueries(reader.source), ...dynamicQueries(reader.source)];
    expect(readerQueries.map((query) => query.from).sort()).toEqual(
      [
        'ConnectedApplication',
        // The scope objects' active duplicate rules, by name, for a duplicate sync-error group.
        'DuplicateRule',
        'FieldPermissions',
        'LoginHistory',
        'ObjectPermissions',
        'Organization',
        'PermissionSetAssignment',
        // The running admin's own, once for both optional sections: may they read other users'
        // Login History (Manage Users, Monitor Login History), and connected apps (Customize Application)?
        'PermissionSetAssignment',
        // The muting permission sets of the user's groups, names and all (TYPEOF): only when the
        // user holds a group (withMutingSets), so eleven stays the budget of a user holding none.
        'PermissionSetGroupComponent',
        'SetupEntityAccess',
        'User',
        'UserLogin',
      ].sort(),
    );
    expect(reader.source).toMatch(
      /groupIds\.isEmpty\(\)\s*\?\s*null\s*:\s*readMutingSets\(groupIds\)/,
    );
    // The scope (the LWC's, from the core) already holds the saved extra fields.
    expect(reader.source).not.toMatch(/SyncDoctorSettings\./);
  });

  it('declares every production class with sharing and queries in user mode', () => {
    for (const apexClass of productionClasses) {
      expect({
        name: apexClass.name,
        withSharing: /\bwith sharing\b/i.test(apexClass.source),
      }).toEqual({
        name: apexClass.name,
        withSharing: true,
      });
    }
    const systemModeQueries = productionClasses.flatMap((apexClass) =>
      soqlQueries(apexClass.source).map((query) => ({ ...query, name: apexClass.name })),
    );
    // The one exception: the failure log's own entries, read by the failure event's trigger (as
    // the Automated Process user) to count a repeated failure on its entry, in system mode as the
    // log is written: no user may read or write the log but through Sync Doctor.
    const systemModeAllowed: Record<string, number> = { SyncDoctorRemediationLog: 2 };
    for (const apexClass of productionClasses) {
      const soqlCount = soqlQueries(apexClass.source).length;
      const userMode = (apexClass.source.match(/WITH USER_MODE/g) ?? []).length;
      const systemMode = (apexClass.source.match(/WITH SYSTEM_MODE/g) ?? []).length;
      expect({ name: apexClass.name, userMode, systemMode }).toEqual({
        name: apexClass.name,
        userMode: soqlCount - (systemModeAllowed[apexClass.name] ?? 0),
        systemMode: systemModeAllowed[apexClass.name] ?? 0,
      });
    }
    expect(
      productionClasses
        .find((apexClass) => apexClass.name === 'SyncDoctorRemediationLog')!
        .source.match(/FROM Sync_Doctor_Remediation_Log__c\s+WHERE[^\]]*WITH SYSTEM_MODE/g),
    ).toHaveLength(2);
    expect(systemModeQueries.length).toBeGreaterThan(10);
    const notBoundInUserMode = productionClasses.flatMap((apexClass) =>
      dynamicQueries(apexClass.source)
        .filter(
          (query) =>
            // Values go in as binds (PMD's ApexSOQLInjection skips queryWithBinds), in user mode.
            !/WithBinds$/i.test(query.call) ||
            !query.args.some((arg) => /^AccessLevel\.USER_MODE$/i.test(arg)),
        )
        .map((query) => `${apexClass.name}:${query.line} ${query.call}`),
    );
    expect(notBoundInUserMode).toEqual([]);
  });
});
