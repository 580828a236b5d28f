/**
 * The integration user's evidence is read twice: by the package's Apex
 * (SyncDoctorIntegrationUserFinder.cls, inside Salesforce) and by this package over REST for the
 * CLI. Both are ranked by the core's rankIntegrationUserCandidates only: the CLI through
 * chooseIntegrationUser, the app's LWC through c/syncDoctorCore. This test reads the Apex and the
 * LWC and fails when the constants or SOQL filters differ, or when ranking creeps back into Apex.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { INTEGRATION_USER_SOURCES } from '@sync-doctor/core';
import {
  INTEGRATION_USER_EVIDENCE,
  TOKENS_PERMISSION_SOQL,
  TOKENS_UNREAD_MESSAGE,
  evidenceQueries,
} from '../src/integrationUser/findIntegrationUserCandidates.js';

const APEX_FILE = join(
  __dirname,
  '..',
  '..',
  '..',
  'force-app',
  'main',
  'default',
  'classes',
  'SyncDoctorIntegrationUserFinder.cls',
);
const apex = readFileSync(APEX_FILE, 'utf8');
const squash = (text: string) =>
  text.replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')').trim();

function constant(name: string): string {
  const match = new RegExp(`static final (?:String|Integer) ${name} = ([^;]+);`).exec(apex);
  if (!match) throw new Error(`SyncDoctorIntegrationUserFinder.cls has no constant ${name}`);
  const value = match[1]!.trim();
  return value.startsWith("'") ? value.slice(1, -1) : value;
}

/** The WHERE clauses of the Apex queries FROM `object`, in order, bind variables replaced by their values. */
function apexWhere(object: string): string[] {
  const matches = [
    ...apex.matchAll(new RegExp(`FROM ${object}\\s+WHERE([\\s\\S]*?)WITH USER_MODE`, 'g')),
  ];
  if (!matches.length) throw new Error(`no Apex query FROM ${object} with a WHERE clause`);
  return matches.map((match) =>
    squash(match[1]!.replace(/:([A-Z_]+)/g, (_m, name: string) => `'${constant(name)}'`)),
  );
}

/** The WHERE clauses the TypeScript side sends FROM `object`, in order. */
function restWhere(object: string): string[] {
  const found: string[] = [];
  for (const sub of evidenceQueries()) {
    if (!sub.url.includes('?q=')) continue;
    const soql = decodeURIComponent(sub.url.split('?q=')[1]!);
    const match = new RegExp(`^SELECT [^(]*? FROM ${object} WHERE (.*?) LIMIT (\\d+)$`).exec(soql);
    if (match) found.push(squash(match[1]!));
  }
  if (!found.length) throw new Error(`no REST query FROM ${object}`);
  return found;
}

describe('the Apex finder and the REST finder read the same evidence', () => {
  it('same constants', () => {
    expect(constant('HUBSPOT_APP_PATTERN')).toBe(INTEGRATION_USER_EVIDENCE.hubspotAppPattern);
    expect(constant('NON_INTEGRATION_APP_PATTERN')).toBe(
      INTEGRATION_USER_EVIDENCE.nonIntegrationAppPattern,
    );
    expect(constant('INTEGRATION_SET_LABEL')).toBe(INTEGRATION_USER_EVIDENCE.permissionSetLabel);
    expect(constant('INTEGRATION_SET_NAME')).toBe(INTEGRATION_USER_EVIDENCE.permissionSetName);
    expect(Number(constant('MAX_RESULTS'))).toBe(INTEGRATION_USER_EVIDENCE.maxResults);
  });

  it('same source names, in the same order', () => {
    expect([
      constant('SOURCE_OAUTH'),
      constant('SOURCE_PERMISSION_SET'),
      constant('SOURCE_SAVED'),
    ]).toEqual([...INTEGRATION_USER_SOURCES]);
    expect(apex).toContain('new List<String>{ SOURCE_OAUTH, SOURCE_PERMISSION_SET, SOURCE_SAVED }');
  });

  it('same filters on OAuth tokens and permission set assignments, direct and through a permission set group', () => {
    expect(restWhere('OauthToken')).toEqual(apexWhere('OauthToken'));
    expect(restWhere('PermissionSetAssignment')).toEqual(apexWhere('PermissionSetAssignment'));
    expect(apexWhere('PermissionSetAssignment')).toHaveLength(2);
    expect(apexWhere('PermissionSetAssignment')[1]).toMatch(
      /^PermissionSetGroupId IN \(SELECT PermissionSetGroupId FROM PermissionSetGroupComponent WHERE /,
    );
    for (const sub of evidenceQueries().slice(0, 3))
      expect(decodeURIComponent(sub.url)).toMatch(new RegExp(` LIMIT ${constant('MAX_RESULTS')}$`));
  });

  it('leave the tokens out, with the same errorCode and message, for a reader who may see only its own', () => {
    expect(constant('TOKENS_NEED_CUSTOMIZE_APPLICATION')).toBe(
      INTEGRATION_USER_EVIDENCE.tokensPermissionMissing,
    );
    expect(constant('TOKENS_UNREAD_MESSAGE')).toBe(TOKENS_UNREAD_MESSAGE);
    // The same permission, from the same object, asked by both.
    expect(squash(apex)).toMatch(
      new RegExp(
        `\\[ ?SELECT ${INTEGRATION_USER_EVIDENCE.tokensPermission} FROM UserPermissionAccess WITH USER_MODE LIMIT 1 ?\\]`,
      ),
    );
    expect(TOKENS_PERMISSION_SOQL).toBe(
      'SELECT PermissionsCustomizeApplication FROM UserPermissionAccess',
    );
    // Apex asks before reading any token, and without the permission reads none.
    const tokenRead = squash(apex.slice(apex.indexOf('private static Set<Id> oauthUserIds(List')));
    expect(tokenRead).toMatch(
      /^private static Set<Id> oauthUserIds\(List<UnreadEvidence> unread\) \{ Set<Id> userIds = new Set<Id>\(\); if \(!seesEveryUsersTokens\(\)\) \{ unread\.add\([^;]*TOKENS_NEED_CUSTOMIZE_APPLICATION[^;]*\); return userIds; \}/,
    );
    expect(tokenRead.indexOf('seesEveryUsersTokens()')).toBeLessThan(
      tokenRead.indexOf('FROM OauthToken'),
    );
  });

  it('the saved choice is the org default of the setting SyncDoctorSettings reads', () => {
    const settings = readFileSync(join(APEX_FILE, '..', 'SyncDoctorSettings.cls'), 'utf8');
    expect(settings).toContain('Sync_Doctor_Settings__c.getOrgDefaults()');
    expect(settings).toContain('settings.Integration_User_Id__c');
    const soql = evidenceQueries().map((sub) => decodeURIComponent(sub.url));
    expect(soql).toContainEqual(
      expect.stringContaining(
        'SELECT Integration_User_Id__c FROM Sync_Doctor_Settings__c WHERE SetupOwnerId = ',
      ),
    );
  });

  it('ranking lives in the core only: Apex gathers evidence, the LWC ranks it with c/syncDoctorCore', () => {
    expect(apex).not.toMatch(/implements Comparable|compareTo\(|\.sort\(\)/);
    const picker = readFileSync(
      join(APEX_FILE, '..', '..', 'lwc', 'integrationUserPicker', 'integrationUserPicker.js'),
      'utf8',
    );
    const read = rankedApexResults(picker);
    expect(read.imports).toContain('rankIntegrationUserCandidates');
    expect(read.ranked).toContain('findIntegrationUserCandidates');
    expect(read.ranked).toContain('searchUsers');
  });
});

/**
 * Reads the LWC with the TypeScript parser, so line breaks and indentation do not matter: what it
 * imports from c/syncDoctorCore, and which Apex methods' results it hands to
 * rankIntegrationUserCandidates as `parseApexJson(await apexMethod(...), ...)` (optionally `|| []`).
 */
function rankedApexResults(source: string): { imports: string[]; ranked: string[] } {
  const file = ts.createSourceFile(
    'integrationUserPicker.js',
    source,
    ts.ScriptTarget.Latest,
    true,
    ts.ScriptKind.JS,
  );
  const imports: string[] = [];
  const ranked: string[] = [];
  const callee = (node: ts.Node | undefined, name?: string): ts.CallExpression | undefined =>
    node &&
    ts.isCallExpression(node) &&
    ts.isIdentifier(node.expression) &&
    (name === undefined || node.expression.text === name)
      ? node
      : undefined;
  // The Apex method whose answer `node` parses: parseApexJson(await method(...), ...).
  const apexCallParsed = (node: ts.Node | undefined): string | undefined => {
    const parsed = callee(node, 'parseApexJson')?.arguments[0];
    const apexCall = parsed && ts.isAwaitExpression(parsed) ? callee(parsed.expression) : undefined;
    return apexCall ? (apexCall.expression as ts.Identifier).text : undefined;
  };
  const visit = (node: ts.Node): void => {
    if (
      ts.isImportDeclaration(node) &&
      ts.isStringLiteral(node.moduleSpecifier) &&
      node.moduleSpecifier.text === 'c/syncDoctorCore' &&
      node.importClause?.namedBindings &&
      ts.isNamedImports(node.importClause.namedBindings)
    ) {
      imports.push(...node.importClause.namedBindings.elements.map((e) => e.name.text));
    }
    const rank = callee(node, 'rankIntegrationUserCandidates');
    if (rank) {
      let argument = rank.arguments[0];
      if (
        argument &&
        ts.isBinaryExpression(argument) &&
        argument.operatorToken.kind === ts.SyntaxKind.BarBarToken
      )
        argument = argument.left;
      const apexCall = apexCallParsed(argument);
      if (apexCall) ranked.push(apexCall);
      // What Apex answers may be unwrapped first ({ candidates, unread }): then the Apex call
      // parsed in the same function is what gets ranked.
      else {
        let scope: ts.Node = rank;
        while (scope.parent && !ts.isFunctionLike(scope)) scope = scope.parent;
        const inScope: string[] = [];
        const find = (inner: ts.Node): void => {
          const name = apexCallParsed(inner);
          if (name) inScope.push(name);
          ts.forEachChild(inner, find);
        };
        find(scope);
        if (inScope.length === 1) ranked.push(inScope[0]!);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { imports, ranked };
}
