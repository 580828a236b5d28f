// The Apex tests cannot run here (they need an org), so this checks what can be checked: each
// production class has test classes calling every one of its public and @TestVisible methods,
// test classes follow the Test prefix, and every test method asserts with a message.
import type { ApexParserRuleContext } from '@apexdevtools/apex-parser';
import { findContexts, isTestClass, listApexClasses, parseApex } from './lib/apex.js';

const classes = listApexClasses();
const tests = classes.filter((apexClass) => isTestClass(apexClass.source));
const production = classes.filter((apexClass) => !isTestClass(apexClass.source));
const testSource = tests.map((apexClass) => apexClass.source).join('\n');

const kind = (node: unknown): string => (node as object).constructor.name;
const directChildren = (node: ApexParserRuleContext): ApexParserRuleContext[] =>
  ((node.children ?? []) as unknown[]).filter((child) =>
    kind(child).endsWith('Context'),
  ) as ApexParserRuleContext[];

/** Public, global and @TestVisible methods and constructors' class names, read with the parser. */
function callableMethods(source: string): string[] {
  const { tree } = parseApex(source);
  const names: string[] = [];
  for (const declaration of findContexts(tree, 'ClassBodyDeclarationContext')) {
    const parts = directChildren(declaration);
    const modifiers = parts
      .filter((part) => kind(part) === 'ModifierContext')
      .map((part) => part.getText().toLowerCase());
    const member = parts.find((part) => kind(part) === 'MemberDeclarationContext');
    const method =
      member && directChildren(member).find((part) => kind(part) === 'MethodDeclarationContext');
    if (
      !method ||
      !modifiers.some((modifier) => ['public', 'global', '@testvisible'].includes(modifier))
    )
      continue;
    const name = directChildren(method)
      .find((part) => kind(part) === 'IdContext')!
      .getText();
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

describe('Apex test classes', () => {
  it('name every test class with the Test prefix', () => {
    expect(tests.length).toBeGreaterThanOrEqual(8);
    for (const apexClass of tests) expect(apexClass.name).toMatch(/^Test[A-Z]/);
  });

  it.each(production.map((apexClass) => [apexClass.name, apexClass.source]))(
    'call every public method of %s',
    (name, source) => {
      const methods = callableMethods(source);
      const untested = methods.filter(
        (method) => !new RegExp(`\\.${method}\\s*\\(`).test(testSource),
      );
      expect({ name, untested }).toEqual({ name, untested: [] });
    },
  );

  it('assert in every test method, with a message', () => {
    // The factory only builds data; every other test class starts with its @IsTest class header.
    for (const apexClass of tests.filter(
      (candidate) => candidate.name !== 'TestSyncDoctorFactory',
    )) {
      const methods = apexClass.source.split(/@IsTest\s*\n/).slice(2);
      expect(methods.length).toBeGreaterThan(0);
      for (const method of methods) {
        expect({ class: apexClass.name, asserts: /Assert\.\w+\(/.test(method) }).toEqual({
          class: apexClass.name,
          asserts: true,
        });
      }
      const bareAsserts =
        apexClass.source.match(/Assert\.(isTrue|isFalse|isNull|isNotNull)\([^,;]*\);/g) ?? [];
      expect({ class: apexClass.name, bareAsserts }).toEqual({
        class: apexClass.name,
        bareAsserts: [],
      });
    }
  });

  it('never uses SeeAllData or hard-coded org data', () => {
    expect(testSource).not.toMatch(/SeeAllData\s*=\s*true/i);
  });
});
