// SyncDoctorController's signatures are the contract the LWC and the browser preview call
// (JSON text in and out). The LWC passes parameters by name, so a renamed Apex parameter would
// arrive as null without any error: the names are checked here against the LWC's calls too.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ApexParserRuleContext } from '@apexdevtools/apex-parser';
import { findContexts, parseApex } from './lib/apex.js';
import { CLASSES_DIR, DEFAULT_DIR, listFiles, relativeToRepo } from './lib/paths.js';

const CONTRACT: Record<string, string[]> = {
  getSnapshot: ['Id userId', 'String scopeJson'],
  getSettings: [],
  saveSettings: ['Id userId', 'String portalId', 'String extraFieldsJson'],
  findIntegrationUserCandidates: [],
  searchUsers: ['String term'],
  getSuspensionStatus: ['String portalId'],
  getFixRights: [],
  assignIntegrationPermissionSet: ['Id userId'],
  applyRemediation: ['Id userId', 'String planJson'],
  getRecordTypePicklists: ['String fieldsJson'],
};

const kind = (node: unknown): string => (node as object).constructor.name;
const source = readFileSync(path.join(CLASSES_DIR, 'SyncDoctorController.cls'), 'utf8');

interface Signature {
  name: string;
  returns: string;
  parameters: string[];
  modifiers: string[];
}

function signatures(): Signature[] {
  const { tree } = parseApex(source);
  return findContexts(tree, 'MethodDeclarationContext').map((method) => {
    const declaration = method.parentCtx!.parentCtx as ApexParserRuleContext;
    const parts = (method.children ?? []) as ApexParserRuleContext[];
    return {
      name: parts.find((part) => kind(part) === 'IdContext')!.getText(),
      returns: parts[0]!.getText(),
      parameters: findContexts(method, 'FormalParameterContext').map((parameter) => {
        const [type, id] = ((parameter.children ?? []) as ApexParserRuleContext[]).filter((child) =>
          ['TypeRefContext', 'IdContext'].includes(kind(child)),
        );
        return `${type!.getText()} ${id!.getText()}`;
      }),
      modifiers: ((declaration.children ?? []) as ApexParserRuleContext[])
        .filter((child) => kind(child) === 'ModifierContext')
        .map((modifier) => modifier.getText().toLowerCase()),
    };
  });
}

describe('SyncDoctorController', () => {
  it('has exactly the contract methods, static, @AuraEnabled, returning JSON text', () => {
    const found = signatures();
    expect(found.map((signature) => signature.name).sort()).toEqual(Object.keys(CONTRACT).sort());
    for (const signature of found) {
      expect({ name: signature.name, parameters: signature.parameters }).toEqual({
        name: signature.name,
        parameters: CONTRACT[signature.name],
      });
      expect(signature.returns).toBe('String');
      expect(signature.modifiers).toEqual(
        expect.arrayContaining(['@auraenabled', 'public', 'static']),
      );
    }
  });

  it('checks the custom permission first in every method', () => {
    const bodies = source.split('@AuraEnabled').slice(1);
    expect(bodies).toHaveLength(Object.keys(CONTRACT).length);
    for (const body of bodies) {
      const firstStatement = body
        .slice(body.indexOf('{') + 1)
        .trim()
        .split(';')[0];
      expect(firstStatement).toBe('SyncDoctorAccess.requireAccess()');
    }
  });

  it('is called by the LWC with existing methods and the exact parameter names', () => {
    const lwcFiles = listFiles(
      path.join(DEFAULT_DIR, 'lwc'),
      (file) => file.endsWith('.js') && !file.includes('__tests__'),
    );
    const calls: { file: string; method: string; keys: string[] }[] = [];
    for (const file of lwcFiles) {
      const text = readFileSync(file, 'utf8');
      for (const [, local, method] of text.matchAll(
        /import\s+(\w+)\s+from\s+'@salesforce\/apex\/SyncDoctorController\.(\w+)'/g,
      )) {
        expect({ file: relativeToRepo(file), method, exists: method! in CONTRACT }).toEqual({
          file: relativeToRepo(file),
          method,
          exists: true,
        });
        for (const [, args] of text.matchAll(
          new RegExp(`\\b${local}\\(\\s*(\\{[^}]*\\})?\\s*\\)`, 'g'),
        )) {
          // Property names: identifiers right after `{` or `,` (values such as `this.x || null` are not).
          const keys = args
            ? [...args.matchAll(/[{,]\s*(\w+)\s*(?=[:,}])/g)].map((match) => match[1]!)
            : [];
          calls.push({ file: relativeToRepo(file), method: method!, keys });
        }
      }
    }
    expect(calls.length).toBeGreaterThanOrEqual(6);
    for (const call of calls) {
      const expected = CONTRACT[call.method]!.map((parameter) => parameter.split(' ')[1]);
      expect({ ...call, keys: [...call.keys].sort() }).toEqual({
        ...call,
        keys: [...expected].sort(),
      });
    }
  });
});

// findIntegrationUserCandidates answers { candidates, unread }: the candidates, and the evidence the
// finder could not read (its public `unread`, e.g. the OAuth tokens of an admin without Customize
// Application), which the picker warns about. The preview's stand-in answers the same keys
// (apps/preview/test/syncDoctorController.test.ts runs it).
describe('findIntegrationUserCandidates answer', () => {
  const ANSWER_KEYS = ['candidates', 'unread'];
  const UNREAD_FIELDS = ['source', 'errorCode', 'message'];
  const finder = readFileSync(
    path.join(CLASSES_DIR, 'SyncDoctorIntegrationUserFinder.cls'),
    'utf8',
  );
  const picker = readFileSync(
    path.join(DEFAULT_DIR, 'lwc', 'integrationUserPicker', 'integrationUserPicker.js'),
    'utf8',
  );
  const declaration = (classSource: string, context: string, name: string): string => {
    const found = findContexts(parseApex(classSource).tree, context).find((candidate) =>
      ((candidate.children ?? []) as ApexParserRuleContext[]).some(
        (child) => kind(child) === 'IdContext' && child.getText() === name,
      ),
    );
    if (!found) throw new Error(`no ${name}`);
    return found.getText();
  };

  it("is the finder's candidates and its unread evidence, under the keys the LWC reads", () => {
    const body = declaration(source, 'MethodDeclarationContext', 'findIntegrationUserCandidates');
    expect([...body.matchAll(/'(\w+)'=>/g)].map((match) => match[1])).toEqual(ANSWER_KEYS);
    expect(body).toContain('finder.findCandidates()');
    // The finder fills `unread` while it finds the candidates: read after, never before.
    expect(body.indexOf("'unread'=>finder.unread")).toBeGreaterThan(
      body.indexOf('finder.findCandidates()'),
    );
    for (const key of ANSWER_KEYS) expect(picker).toMatch(new RegExp(`\\.${key}\\b`));
  });

  it('names each unread evidence { source, errorCode, message }, and the LWC knows the missing-permission code', () => {
    const unreadClass = declaration(finder, 'ClassDeclarationContext', 'UnreadEvidence');
    for (const field of UNREAD_FIELDS) {
      expect(unreadClass).toContain(`publicString${field};`);
      expect(picker).toMatch(new RegExp(`entry\\.${field}\\b`));
    }
    const apexCode = /TOKENS_NEED_CUSTOMIZE_APPLICATION = '([A-Z_]+)'/.exec(finder)?.[1];
    const lwcCode = /const TOKENS_NEED_CUSTOMIZE_APPLICATION = '([A-Z_]+)'/.exec(picker)?.[1];
    expect(apexCode).toBe('CUSTOMIZE_APPLICATION_REQUIRED');
    expect(lwcCode).toBe(apexCode);
  });
});
