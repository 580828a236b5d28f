import { ApexLexer, type ApexParserRuleContext, type ApexToken } from '@apexdevtools/apex-parser';
import { findContexts, parseApex, type ApexClassFile } from './apex.js';

/**
 * The unique names Apex test classes give the setup records they insert: PermissionSet.Name,
 * PermissionSetGroup.DeveloperName, MutingPermissionSet.DeveloperName, and the remediation set the
 * applier creates under the name a test gives it (SyncDoctorRemediationApplier.remediationSetName).
 * Salesforce runs test classes in parallel; two classes inserting a setup record of the same unique
 * name at once can fail with UNABLE_TO_LOCK_ROW, so each name should belong to one class.
 *
 * A name is read where the record is made (`new PermissionSet(Name = ...)`) from string literals,
 * constants (`SCOPED_SET`, `TestX.TEST_SET_NAME`) joined by `+`, and the parameters of the method
 * making it; a helper's parameters take the arguments of each call, up to the test methods
 * (@IsTest, @TestSetup) that run it, and the name belongs to the class of that test method.
 */

/** Constructor field and sObject type of each unique name read; `Static` is an assigned static. */
export const UNIQUE_NAME_FIELDS: Readonly<Record<string, string>> = {
  PermissionSet: 'Name',
  PermissionSetGroup: 'DeveloperName',
  MutingPermissionSet: 'DeveloperName',
};

/** Statics of production classes naming a permission set the production code then inserts. */
export const CREATED_SET_STATICS: Readonly<Record<string, string>> = {
  remediationSetName: 'PermissionSet',
};

type Part = string | { param: number };
type Template = Part[];

export interface SetNameUse {
  /** 'PermissionSet', 'PermissionSetGroup', ... */
  type: string;
  name: string;
  /** The test class whose test method (or @TestSetup) makes it. */
  testClass: string;
  /** Where the record is made: Class.method. */
  madeIn: string;
}

interface MethodInfo {
  className: string;
  name: string;
  params: string[];
  root: boolean;
  start: number;
  stop: number;
}

interface ClassInfo {
  name: string;
  tokens: ApexToken[];
  methods: MethodInfo[];
  constants: Map<string, ApexToken[]>;
}

const kind = (node: unknown): string => (node as object).constructor.name;
const childrenOf = (node: ApexParserRuleContext): ApexParserRuleContext[] =>
  ((node.children ?? []) as unknown[]).filter((child) =>
    kind(child).endsWith('Context'),
  ) as ApexParserRuleContext[];

function readClass(apexClass: ApexClassFile): ClassInfo {
  const { tree, tokens } = parseApex(apexClass.source);
  const methods: MethodInfo[] = [];
  for (const declaration of findContexts(tree, 'ClassBodyDeclarationContext')) {
    const parts = childrenOf(declaration);
    const member = parts.find((part) => kind(part) === 'MemberDeclarationContext');
    const method =
      member && childrenOf(member).find((part) => kind(part) === 'MethodDeclarationContext');
    if (!method) continue;
    const modifiers = parts
      .filter((part) => kind(part) === 'ModifierContext')
      .map((part) => part.getText().toLowerCase());
    methods.push({
      className: apexClass.name,
      name: childrenOf(method)
        .find((part) => kind(part) === 'IdContext')!
        .getText(),
      params: findContexts(method, 'FormalParameterContext').map((parameter) => {
        const ids = childrenOf(parameter).filter((part) => kind(part) === 'IdContext');
        return ids[ids.length - 1]!.getText();
      }),
      root: modifiers.some((modifier) => /^@(istest|testsetup)\b/.test(modifier)),
      start: method.start.tokenIndex,
      stop: method.stop!.tokenIndex,
    });
  }
  // `static final String NAME = <expression>;` outside methods.
  const constants = new Map<string, ApexToken[]>();
  tokens.forEach((token, index) => {
    if (token.text.toLowerCase() !== 'final') return;
    if (tokens[index + 1]?.text !== 'String') return;
    const id = tokens[index + 2];
    if (id?.type !== ApexLexer.Identifier || tokens[index + 3]?.type !== ApexLexer.ASSIGN) return;
    const end = tokens.findIndex((t, i) => i > index + 3 && t.type === ApexLexer.SEMI);
    constants.set(id.text, tokens.slice(index + 4, end));
  });
  return { name: apexClass.name, tokens, methods, constants };
}

function methodAt(info: ClassInfo, token: ApexToken): MethodInfo | undefined {
  return info.methods.find(
    (method) => method.start <= token.tokenIndex && token.tokenIndex <= method.stop,
  );
}

/** Top-level comma-separated token runs from `tokens[open]` ('(') to its ')'; and the end index. */
function argumentsFrom(tokens: ApexToken[], open: number): { args: ApexToken[][]; end: number } {
  const args: ApexToken[][] = [[]];
  let depth = 0;
  for (let index = open; index < tokens.length; index++) {
    const token = tokens[index]!;
    if ([ApexLexer.LPAREN, ApexLexer.LBRACE, ApexLexer.LBRACK].includes(token.type)) {
      depth++;
      if (depth === 1) continue;
    } else if ([ApexLexer.RPAREN, ApexLexer.RBRACE, ApexLexer.RBRACK].includes(token.type)) {
      depth--;
      if (depth === 0) {
        return { args: args.length === 1 && args[0]!.length === 0 ? [] : args, end: index };
      }
    } else if (depth === 1 && token.type === ApexLexer.COMMA) {
      args.push([]);
      continue;
    }
    args[args.length - 1]!.push(token);
  }
  throw new Error('unbalanced parentheses');
}

class Unreadable extends Error {}

interface ClassLookup {
  get(name: string): ClassInfo | undefined;
}

/** The name an expression gives: literals, constants and the method's parameters joined by +. */
function evaluate(
  expression: ApexToken[],
  info: ClassInfo,
  classes: ClassLookup,
  method: MethodInfo | undefined,
  depth = 0,
): Template {
  if (depth > 8) throw new Unreadable('constants nested too deep');
  const terms: ApexToken[][] = [[]];
  for (const token of expression) {
    if (token.type === ApexLexer.ADD) terms.push([]);
    else terms[terms.length - 1]!.push(token);
  }
  return terms.flatMap((term): Template => {
    const text = term.map((token) => token.text).join('');
    if (term.length === 1 && term[0]!.type === ApexLexer.StringLiteral) {
      return [term[0]!.text.slice(1, -1).replace(/\\'/g, "'")];
    }
    // A soft keyword (name, label, ...) is an identifier here too.
    if (term.length === 1 && /^[A-Za-z_]\w*$/.test(text)) {
      const param = method?.params.indexOf(text) ?? -1;
      if (param >= 0) return [{ param }];
      const constant = info.constants.get(text);
      if (constant) return evaluate(constant, info, classes, undefined, depth + 1);
    }
    const qualified = /^(\w+)\.(\w+)$/.exec(text);
    const owner = qualified && classes.get(qualified[1]!);
    const constant = owner?.constants.get(qualified![2]!);
    if (owner && constant) return evaluate(constant, owner, classes, undefined, depth + 1);
    throw new Unreadable(`cannot read the name ${text} in ${info.name}.${method?.name ?? ''}`);
  });
}

function substitute(template: Template, arg: (index: number) => Template): Template {
  return template.flatMap((part) => (typeof part === 'string' ? [part] : arg(part.param)));
}

interface Pending {
  type: string;
  template: Template;
  method: MethodInfo;
  madeIn: string;
}

/**
 * Every unique setup-record name the test classes make, with the test class making it; constants
 * are read from allClasses (production ones too).
 */
export function setNameUses(
  testClasses: ApexClassFile[],
  allClasses: ApexClassFile[] = testClasses,
): SetNameUse[] {
  const read = new Map<string, ClassInfo>();
  // A class is parsed when first needed: a production one only for its constants.
  const classes: ClassLookup = {
    get(name) {
      const file = allClasses.find((apexClass) => apexClass.name === name);
      if (file && !read.has(name)) read.set(name, readClass(file));
      return read.get(name);
    },
  };
  const tests = testClasses.map((apexClass) => classes.get(apexClass.name)!);
  let pending: Pending[] = [];
  for (const info of tests) {
    const { tokens } = info;
    tokens.forEach((token, index) => {
      const method = methodAt(info, token);
      const field =
        token.type === ApexLexer.NEW && tokens[index + 2]?.type === ApexLexer.LPAREN
          ? UNIQUE_NAME_FIELDS[tokens[index + 1]!.text]
          : undefined;
      if (field) {
        const type = tokens[index + 1]!.text;
        for (const arg of argumentsFrom(tokens, index + 2).args) {
          if (arg[0]?.text !== field || arg[1]?.type !== ApexLexer.ASSIGN) continue;
          if (!method) throw new Unreadable(`a ${type} made outside a method in ${info.name}`);
          const template = evaluate(arg.slice(2), info, classes, method);
          pending.push({ type, template, method, madeIn: `${info.name}.${method.name}` });
        }
      }
      const created = CREATED_SET_STATICS[token.text];
      if (
        created &&
        token.type === ApexLexer.Identifier &&
        tokens[index + 1]?.type === ApexLexer.ASSIGN
      ) {
        if (!method) throw new Unreadable(`${token.text} set outside a method in ${info.name}`);
        const end = tokens.findIndex((t, i) => i > index && t.type === ApexLexer.SEMI);
        const template = evaluate(tokens.slice(index + 2, end), info, classes, method);
        pending.push({
          type: created,
          template,
          method,
          madeIn: `${info.name}.${method.name}`,
        });
      }
    });
  }
  const uses: SetNameUse[] = [];
  for (let round = 0; pending.length > 0; round++) {
    if (round > 10) throw new Unreadable('helpers calling helpers too deep');
    const next: Pending[] = [];
    for (const item of pending) {
      const { method } = item;
      if (method.root) {
        const name = item.template.map((part) => (typeof part === 'string' ? part : '?')).join('');
        uses.push({ type: item.type, name, testClass: method.className, madeIn: item.madeIn });
      }
      // Every call of the method, from its own class or qualified by it from another.
      for (const caller of tests) {
        const { tokens } = caller;
        tokens.forEach((token, index) => {
          if (token.text !== method.name || tokens[index + 1]?.type !== ApexLexer.LPAREN) return;
          const qualifier = tokens[index - 1]?.type === ApexLexer.DOT ? tokens[index - 2] : null;
          if (qualifier ? qualifier.text !== method.className : caller.name !== method.className)
            return;
          const { args, end } = argumentsFrom(tokens, index + 1);
          if (tokens[end + 1]?.type === ApexLexer.LBRACE) return; // its declaration
          if (args.length !== method.params.length) return; // another overload
          const callerMethod = methodAt(caller, token);
          if (!callerMethod) return;
          // Only the arguments the name is made of are read (another may be a list, a flag...).
          const value = (param: number): Template =>
            evaluate(args[param]!, caller, classes, callerMethod);
          next.push({
            type: item.type,
            template: substitute(item.template, value),
            method: callerMethod,
            madeIn: item.madeIn,
          });
        });
      }
    }
    pending = next;
  }
  return uses;
}

/** The names two or more test classes make: `PermissionSet X: ClassA, ClassB`. */
export function sharedSetNames(uses: SetNameUse[]): string[] {
  const owners = new Map<string, Set<string>>();
  for (const use of uses) {
    const key = `${use.type} ${use.name}`;
    owners.set(key, (owners.get(key) ?? new Set()).add(use.testClass));
  }
  return [...owners]
    .filter(([, testClasses]) => testClasses.size > 1)
    .map(([key, testClasses]) => `${key}: ${[...testClasses].sort().join(', ')}`)
    .sort();
}
