import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  ApexErrorListener,
  ApexLexer,
  ApexParserFactory,
  type ApexParserRuleContext,
  type ApexToken,
} from '@apexdevtools/apex-parser';
import { CLASSES_DIR, TRIGGERS_DIR, listFiles } from './paths.js';

export interface ApexSyntaxProblem {
  line: number;
  column: number;
  message: string;
}

class CollectingListener extends ApexErrorListener {
  readonly problems: ApexSyntaxProblem[] = [];
  apexSyntaxError(line: number, column: number, message: string): void {
    this.problems.push({ line, column, message });
  }
}

export interface ParsedApex {
  problems: ApexSyntaxProblem[];
  tree: ApexParserRuleContext;
  tokens: ApexToken[];
}

// The ANTLR parser takes a second or two per class; several checks read the same sources.
const parsed = new Map<string, ParsedApex>();

export function parseApex(source: string): ParsedApex {
  const cached = parsed.get(source);
  if (cached) return cached;
  const members = apexFamilyMembers(source);
  const result = members.length > 1 ? parseFamily(members) : parseUncached(source);
  parsed.set(source, result);
  return result;
}

/**
 * The root of a family's parse (apexFamilySource): each class parsed on its own, under one node, so
 * a check that walks the tree (findContexts) or reads its text walks every class of the family.
 */
class ApexFamilyContext {
  constructor(readonly children: ApexParserRuleContext[]) {}
  getText(): string {
    return this.children.map((child) => child.getText()).join('');
  }
}

function parseFamily(members: string[]): ParsedApex {
  const parts = members.map((member) => parseApex(member));
  return {
    problems: parts.flatMap((part) => part.problems),
    tree: new ApexFamilyContext(parts.map((part) => part.tree)) as unknown as ApexParserRuleContext,
    tokens: parts.flatMap((part) => part.tokens),
  };
}

/** A trigger's source (`trigger Name on Object(after insert) { ... }`), parsed as one. */
export function parseApexTrigger(source: string): ParsedApex {
  const key = `trigger:${source}`;
  const cached = parsed.get(key);
  if (cached) return cached;
  const result = parseUncached(source, true);
  parsed.set(key, result);
  return result;
}

function parseUncached(source: string, trigger = false): ParsedApex {
  const listener = new CollectingListener();
  const { parser } = ApexParserFactory.createLexerAndParser(source, listener);
  const tree = (trigger ? parser.triggerUnit() : parser.compilationUnit()) as ApexParserRuleContext;
  const stream = parser.getTokenStream() as unknown as { fill(): void; tokens: ApexToken[] };
  stream.fill();
  // Whitespace and comments sit on hidden channels; keep the tokens the parser sees.
  return {
    problems: listener.problems,
    tree,
    tokens: stream.tokens.filter((token) => token.channel === 0),
  };
}

export interface ApexClassFile {
  name: string;
  file: string;
  source: string;
}

export function listApexClasses(dir = CLASSES_DIR): ApexClassFile[] {
  return listFiles(dir, (file) => file.endsWith('.cls')).map((file) => ({
    name: path.basename(file, '.cls'),
    file,
    source: readFileSync(file, 'utf8'),
  }));
}

export function listApexTriggers(dir = TRIGGERS_DIR): ApexClassFile[] {
  return listFiles(dir, (file) => file.endsWith('.trigger')).map((file) => ({
    name: path.basename(file, '.trigger'),
    file,
    source: readFileSync(file, 'utf8'),
  }));
}

/**
 * Classes split by concern from one that had grown too long, each family under its entry point's
 * name (the class its callers use; the others follow in no particular order). A static check that
 * holds "the snapshot reader" or "the applier" to a rule reads the family as one source
 * (apexFamilySource), so the rule holds whichever class of the family a method or constant lives
 * in, as it did before the split; parseApex parses each class of it on its own.
 */
export const APEX_CLASS_FAMILIES: Readonly<Record<string, readonly string[]>> = {
  SyncDoctorSnapshotReader: [
    'SyncDoctorSnapshotReader',
    'SyncDoctorAssignmentReader',
    'SyncDoctorObjectAccessReader',
    'SyncDoctorFieldPermissionReader',
    'SyncDoctorOrgReader',
    'SyncDoctorLoginAndAppReader',
    'SyncDoctorFrozenStateReader',
    'SyncDoctorDuplicateRuleReader',
  ],
  TestSyncDoctorSnapshotReader: [
    'TestSyncDoctorSnapshotReader',
    'TestSyncDoctorAssignmentReader',
    'TestSyncDoctorObjectAccessReader',
    'TestSyncDoctorFieldPermissionReader',
    'TestSyncDoctorOrgReader',
    'TestSyncDoctorLoginAndAppReader',
    'TestSyncDoctorFrozenStateReader',
    'TestSyncDoctorDuplicateRuleReader',
  ],
  SyncDoctorRemediationApplier: [
    'SyncDoctorRemediationApplier',
    'SyncDoctorRemediationValidator',
    'SyncDoctorPermissionSetGuard',
    'SyncDoctorRemediationGrantWriter',
    'SyncDoctorPermissionSetAssigner',
  ],
  TestSyncDoctorRemediationApplier: [
    'TestSyncDoctorRemediationApplier',
    'TestSyncDoctorRemediationValidator',
    'TestSyncDoctorPermissionSetGuard',
    'TestSyncDoctorRemediationGrantWriter',
    'TestSyncDoctorPermissionSetAssigner',
  ],
};

/** Between two classes of a family's source: a comment, so the lexer's tokens skip it. */
const FAMILY_SEPARATOR = '\n/* ---- the next class of the family ---- */\n';

/**
 * The sources of the family `name` names (APEX_CLASS_FAMILIES), joined; a class's own source when
 * it heads no family. Text, token and parse-tree checks read it as they read one class (parseApex
 * parses each of its classes under one root).
 */
export function apexFamilySource(name: string, classes = listApexClasses()): string {
  const names = APEX_CLASS_FAMILIES[name] ?? [name];
  return names
    .map((member) => {
      const found = classes.find((apexClass) => apexClass.name === member);
      if (!found) throw new Error(`no Apex class ${member} (family ${name})`);
      return found.source;
    })
    .join(FAMILY_SEPARATOR);
}

/** The class sources apexFamilySource joined (one source: itself), each parsed on its own. */
export function apexFamilyMembers(source: string): string[] {
  return source.split(FAMILY_SEPARATOR);
}

export function isTestClass(source: string): boolean {
  return /^\s*@IsTest\b/im.test(source.replace(/\/\*[\s\S]*?\*\//g, ''));
}

function contextName(node: unknown): string {
  return (node as object).constructor.name;
}

function children(node: ApexParserRuleContext): ApexParserRuleContext[] {
  return ((node.children ?? []) as unknown[]).filter((child) =>
    contextName(child).endsWith('Context'),
  ) as ApexParserRuleContext[];
}

/** Depth-first list of every rule context whose class name is `name`. */
export function findContexts(tree: ApexParserRuleContext, name: string): ApexParserRuleContext[] {
  const found: ApexParserRuleContext[] = [];
  const visit = (node: ApexParserRuleContext): void => {
    if (contextName(node) === name) found.push(node);
    for (const child of children(node)) visit(child);
  };
  visit(tree);
  return found;
}

/** The outermost class declaring `node` (a family's source holds several), or null. */
function declaringClass(node: ApexParserRuleContext): string | null {
  let name: string | null = null;
  let parent = node.parentCtx as ApexParserRuleContext | null;
  while (parent) {
    if (contextName(parent) === 'ClassDeclarationContext') {
      const id = children(parent).find((child) => contextName(child) === 'IdContext');
      if (id) name = id.getText();
    }
    parent = parent.parentCtx as ApexParserRuleContext | null;
  }
  return name;
}

/**
 * The method `name` of a class's or a family's source (apexFamilySource), or of class `className`
 * within it; null when there is none. Throws when more than one has that name there (several
 * classes of a family, or overloads): a check must not read whichever comes first.
 */
export function methodContext(
  source: string,
  name: string,
  className?: string,
): ApexParserRuleContext | null {
  const { tree } = parseApex(source);
  const methods = findContexts(tree, 'MethodDeclarationContext').filter(
    (candidate) =>
      children(candidate).some(
        (child) => contextName(child) === 'IdContext' && child.getText() === name,
      ) &&
      (className === undefined || declaringClass(candidate) === className),
  );
  if (methods.length > 1) {
    const where = className ? ` in ${className}` : '';
    const classes = methods.map((method) => declaringClass(method)).join(', ');
    throw new Error(
      `${methods.length} methods named ${name}${where} (${classes}): name the class, or the overload`,
    );
  }
  return methods[0] ?? null;
}

/** The text of methodContext's method, whitespace dropped (string literals kept whole); it must exist. */
export function methodText(source: string, name: string, className?: string): string {
  const method = methodContext(source, name, className);
  if (!method) throw new Error(`no method ${name}${className ? ` in ${className}` : ''}`);
  return method.getText();
}

/** One condition of a WHERE clause: `Field IN :fieldNames` is { field, operator: 'IN', bind }. */
export interface WhereTerm {
  field: string;
  operator: string;
  /** The value as written (whitespace dropped): ':fieldNames', "'Contact'". */
  value: string;
  /** The bind variable's expression when the value is one (`:fieldNames` -> 'fieldNames'), else null. */
  bind: string | null;
}

export interface SoqlQuery {
  from: string;
  fields: string[];
  /**
   * The conditions every row must meet: the WHERE clause's top-level terms when they are joined by
   * AND only (a parenthesised group is not listed); empty when there is no WHERE clause or when a
   * top-level OR or NOT makes no single term binding.
   */
  requiredTerms: WhereTerm[];
  line: number;
  /** True when the query runs once per iteration of a loop (not a SOQL for-loop's own query). */
  inLoopBody: boolean;
  /** The method (or constructor) declaring it. */
  method: string | null;
}

const LOOP_STATEMENTS = new Set([
  'ForStatementContext',
  'WhileStatementContext',
  'DoWhileStatementContext',
]);

function isInLoopBody(node: ApexParserRuleContext): boolean {
  let child: ApexParserRuleContext = node;
  let parent = node.parentCtx as ApexParserRuleContext | null;
  while (parent) {
    if (LOOP_STATEMENTS.has(contextName(parent))) {
      // The query in a for-loop's header (`for (X x : [SELECT ...])`) runs once.
      if (
        contextName(child) !== 'ForControlContext' &&
        contextName(child) !== 'ParExpressionContext'
      ) {
        return true;
      }
    }
    child = parent;
    parent = parent.parentCtx as ApexParserRuleContext | null;
  }
  return false;
}

function enclosingMethod(node: ApexParserRuleContext): string | null {
  let parent = node.parentCtx as ApexParserRuleContext | null;
  while (parent) {
    const name = contextName(parent);
    if (name === 'MethodDeclarationContext' || name === 'ConstructorDeclarationContext') {
      const id = children(parent).find(
        (child) =>
          contextName(child) === 'IdContext' || contextName(child) === 'QualifiedNameContext',
      );
      return id ? id.getText() : null;
    }
    parent = parent.parentCtx as ApexParserRuleContext | null;
  }
  return null;
}

/** Every inline SOQL query of a class, with its FROM object and selected fields. */
export function soqlQueries(source: string): SoqlQuery[] {
  const { tree } = parseApex(source);
  return findContexts(tree, 'QueryContext').map((query) => {
    const from = findContexts(query, 'FromNameListContext')[0]?.getText() ?? '';
    const selectList = findContexts(query, 'SelectListContext')[0];
    const fields = selectList
      ? findContexts(selectList, 'SelectEntryContext').map((entry) => entry.getText())
      : [];
    return {
      from,
      fields,
      requiredTerms: requiredTerms(query),
      line: query.start.line,
      inLoopBody: isInLoopBody(query),
      method: enclosingMethod(query),
    };
  });
}

function rawChildren(node: ApexParserRuleContext): ApexParserRuleContext[] {
  return (node.children ?? []) as ApexParserRuleContext[];
}

/** The query's own WHERE terms that every row must meet (see SoqlQuery.requiredTerms). */
function requiredTerms(query: ApexParserRuleContext): WhereTerm[] {
  const where = children(query).find((child) => contextName(child) === 'WhereClauseContext');
  const logical = where && children(where)[0];
  if (!logical || contextName(logical) !== 'WhereLogicalExpressionContext') return [];
  const parts = rawChildren(logical);
  const joiners = parts.filter((part) => !contextName(part).endsWith('Context'));
  if (joiners.some((joiner) => joiner.getText().toUpperCase() !== 'AND')) return [];
  return parts.flatMap((part) => {
    if (contextName(part) !== 'WhereConditionalExpressionContext') return [];
    const expression = findContexts(part, 'FieldExpressionContext')[0];
    if (
      !expression ||
      !children(part).some((c) => contextName(c) === 'WhereFieldExpressionContext')
    )
      return [];
    const [field, operator, value] = children(expression);
    if (!field || !operator || !value) return [];
    const bound = children(value).find((child) => contextName(child) === 'BoundExpressionContext');
    return [
      {
        field: field.getText(),
        operator: operator.getText().toUpperCase(),
        value: value.getText(),
        bind: bound ? bound.getText().replace(/^:/, '') : null,
      },
    ];
  });
}

export interface DynamicQuery {
  /** The Database method called: 'query', 'queryWithBinds', ... */
  call: string;
  /** The argument expressions as the parser reads them (whitespace dropped). */
  args: string[];
  /** The object after FROM in the string literals of the declaring method, where the query is built. */
  from: string | null;
  line: number;
  /** True when the query runs once per iteration of a loop (not a for-loop's own query). */
  inLoopBody: boolean;
  /** The method (or constructor) declaring it. */
  method: string | null;
}

const DYNAMIC_QUERY_METHODS = new Set([
  'query',
  'querywithbinds',
  'countquery',
  'countquerywithbinds',
  'getquerylocator',
  'getquerylocatorwithbinds',
]);

function enclosingMember(node: ApexParserRuleContext): ApexParserRuleContext | null {
  let parent = node.parentCtx as ApexParserRuleContext | null;
  while (parent) {
    const name = contextName(parent);
    if (name === 'MethodDeclarationContext' || name === 'ConstructorDeclarationContext')
      return parent;
    parent = parent.parentCtx as ApexParserRuleContext | null;
  }
  return null;
}

/**
 * Every dynamic SOQL call of a class (Database.query, queryWithBinds and their count and locator
 * twins), which soqlQueries cannot see: the statement is a string built at run time.
 */
export function dynamicQueries(source: string): DynamicQuery[] {
  const { tree } = parseApex(source);
  return findContexts(tree, 'DotExpressionContext').flatMap((dot) => {
    const [target, call] = children(dot);
    if (
      !target ||
      !call ||
      contextName(call) !== 'DotMethodCallContext' ||
      target.getText().toLowerCase() !== 'database'
    )
      return [];
    const [name, list] = children(call);
    if (!name || !DYNAMIC_QUERY_METHODS.has(name.getText().toLowerCase())) return [];
    const member = enclosingMember(dot);
    const literals = member ? findContexts(member, 'LiteralContext').map((l) => l.getText()) : [];
    const from = literals
      .map((literal) => /\bFROM\s+([A-Za-z0-9_]+)/i.exec(literal)?.[1])
      .find((object) => object !== undefined);
    return [
      {
        call: name.getText(),
        args:
          list && contextName(list) === 'ExpressionListContext'
            ? children(list).map((arg) => arg.getText())
            : [],
        from: from ?? null,
        line: dot.start.line,
        inLoopBody: isInLoopBody(dot),
        method: enclosingMethod(dot),
      },
    ];
  });
}

/** String literals used as map keys: `'key' => value`. */
export function mapLiteralKeys(source: string): string[] {
  const { tokens } = parseApex(source);
  const keys: string[] = [];
  tokens.forEach((token, index) => {
    const next = tokens[index + 1];
    if (token.type === ApexLexer.StringLiteral && next?.type === ApexLexer.MAPTO) {
      keys.push(unquote(token.text));
    }
  });
  return keys;
}

/** String literals passed first to a `put(...)` call: `snapshot.put('key', value)`. */
export function putKeys(source: string): string[] {
  const { tokens } = parseApex(source);
  const keys: string[] = [];
  tokens.forEach((token, index) => {
    const open = tokens[index + 1];
    const literal = tokens[index + 2];
    if (
      token.type === ApexLexer.Identifier &&
      token.text.toLowerCase() === 'put' &&
      open?.type === ApexLexer.LPAREN &&
      literal?.type === ApexLexer.StringLiteral
    ) {
      keys.push(unquote(literal.text));
    }
  });
  return keys;
}

function unquote(text: string): string {
  return text.slice(1, -1).replace(/\\'/g, "'");
}
