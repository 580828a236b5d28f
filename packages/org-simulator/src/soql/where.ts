import type { Org, SRecord } from '../org/org.js';
import type { ObjectSchema } from '../schema.js';
import { isSalesforceId, sameId } from '../ids.js';
import { ApiError } from '../errors.js';
import { malformed, soqlError } from './errors.js';
import { readPath, resolvePath, SEES_ALL, type FieldGuard, type FieldPath } from './paths.js';
import {
  dateLiteralRange,
  isIdLike,
  isTemporal,
  isTextual,
  toComparable,
  unquote,
  type Comparable,
  type DateRange,
} from './literals.js';

/** The parser's WHERE node: a right-leaning chain whose parentheses are counted on the conditions. */
export interface WhereNode {
  left?: ConditionNode | null;
  operator?: string;
  right?: WhereNode;
}

export interface ConditionNode {
  field?: string;
  fn?: unknown;
  operator: string;
  value?: string | string[];
  literalType?: string | string[];
  valueQuery?: unknown;
  openParen?: number;
  closeParen?: number;
}

type Predicate = (record: SRecord) => boolean;

/** Runs a semi-join sub-query (`Id IN (SELECT ...)`) and returns the selected values. */
type SubqueryRunner = (query: unknown) => unknown[];

type Token = { kind: 'cond'; cond: ConditionNode } | { kind: 'op'; op: string };

function isParensOnly(cond: ConditionNode): boolean {
  return (
    cond.field === undefined &&
    cond.fn === undefined &&
    cond.operator === undefined &&
    cond.valueQuery === undefined
  );
}

function flatten(node: WhereNode | undefined, out: Token[]): void {
  let current = node;
  while (current) {
    if (current.left) {
      for (let i = 0; i < (current.left.openParen ?? 0); i++) out.push({ kind: 'op', op: '(' });
      // "(NOT A)" comes as a left holding only the opening parenthesis, then the NOT operator.
      if (!isParensOnly(current.left)) out.push({ kind: 'cond', cond: current.left });
      for (let i = 0; i < (current.left.closeParen ?? 0); i++) out.push({ kind: 'op', op: ')' });
    }
    if (current.operator) out.push({ kind: 'op', op: current.operator.toUpperCase() });
    current = current.right;
  }
}

/**
 * Compile a WHERE clause into a predicate. Field paths and literal types are checked up front, so
 * a bad query fails even on an empty table, as in Salesforce.
 */
export function compileWhere(
  org: Org,
  root: ObjectSchema,
  where: WhereNode | undefined,
  soql: string,
  runSubquery: SubqueryRunner,
  guard: FieldGuard = SEES_ALL,
): Predicate {
  if (!where) return () => true;
  const tokens: Token[] = [];
  flatten(where, tokens);
  refuseMisplacedSemiJoins(tokens, soql);
  let pos = 0;
  const peekOp = () => {
    const token = tokens[pos];
    return token?.kind === 'op' ? token.op : undefined;
  };
  // SOQL has no precedence between AND and OR: "Parentheses are required whenever you mix the
  // operators" (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_logicaloperators.htm).
  const parseOr = (): Predicate => {
    const parts = [parseNot()];
    let joiner: string | undefined;
    for (let op = peekOp(); op === 'AND' || op === 'OR'; op = peekOp()) {
      if (joiner && joiner !== op) throw malformed(soql, op, `unexpected token: '${op}'`);
      joiner = op;
      pos++;
      parts.push(parseNot());
    }
    if (parts.length === 1) return parts[0]!;
    return joiner === 'OR' ? (r) => parts.some((p) => p(r)) : (r) => parts.every((p) => p(r));
  };
  const parseNot = (): Predicate => {
    if (peekOp() === 'NOT') {
      pos++;
      const inner = parseNot();
      return (r) => !inner(r);
    }
    return parsePrimary();
  };
  const parsePrimary = (): Predicate => {
    const token = tokens[pos++];
    if (!token) throw malformed(soql, null, 'unexpected end of WHERE clause');
    if (token.kind === 'op') {
      if (token.op !== '(') throw malformed(soql, token.op, `unexpected token: '${token.op}'`);
      const inner = parseOr();
      if (peekOp() !== ')')
        throw malformed(soql, null, 'missing closing parenthesis in WHERE clause');
      pos++;
      return inner;
    }
    return compileCondition(org, root, token.cond, soql, runSubquery, guard);
  };
  const predicate = parseOr();
  if (pos < tokens.length) throw malformed(soql, null, 'unexpected token in WHERE clause');
  return predicate;
}

/**
 * Where SOQL refuses a semi-join (`Field IN (SELECT ...)`, or NOT IN): inside parentheses
 * ("Semi join sub-selects are only allowed at the top level WHERE expressions and not in nested
 * WHERE expressions") and next to an OR ("Semi join sub-selects are not allowed with the 'OR'
 * operator"), both MALFORMED_QUERY. So `A OR Id IN (SELECT ...)` must be two queries. The OR
 * inside the sub-select's own WHERE is fine: that clause is compiled on its own.
 */
function refuseMisplacedSemiJoins(tokens: readonly Token[], soql: string): void {
  let depth = 0;
  let topLevelOr = false;
  let topLevelSemiJoin = false;
  for (const token of tokens) {
    if (token.kind === 'op') {
      if (token.op === '(') depth++;
      else if (token.op === ')') depth--;
      else if (token.op === 'OR' && depth === 0) topLevelOr = true;
      continue;
    }
    if (token.cond.valueQuery === undefined) continue;
    if (depth > 0)
      throw malformed(
        soql,
        null,
        'Semi join sub-selects are only allowed at the top level WHERE expressions and not in nested WHERE expressions.',
      );
    topLevelSemiJoin = true;
  }
  if (topLevelSemiJoin && topLevelOr)
    throw malformed(soql, 'OR', "Semi join sub-selects are not allowed with the 'OR' operator");
}

interface Literal {
  value: Comparable;
  range?: DateRange;
}

function literalTypeAt(cond: ConditionNode, index: number): string {
  const type = cond.literalType;
  if (Array.isArray(type)) return (type[index] ?? type[0] ?? 'STRING').toUpperCase();
  return (type ?? 'STRING').toUpperCase();
}

function parseLiteral(org: Org, path: FieldPath, raw: string, type: string, soql: string): Literal {
  const field = path.field;
  const mustBe = (expected: string, quoted: boolean) =>
    soqlError(
      'INVALID_FIELD',
      soql,
      raw,
      `value of filter criterion for field '${path.text}' must be of type ${expected} and should ${quoted ? '' : 'not '}be enclosed in quotes`,
    );
  if (type === 'NULL') return { value: null };
  if (type === 'STRING') {
    if (!isTextual(field)) {
      const expected =
        field.type === 'datetime' ? 'dateTime' : field.type === 'int' ? 'integer' : field.type;
      throw mustBe(expected, false);
    }
    const text = unquote(raw);
    if (isIdLike(field)) {
      if (!isSalesforceId(text)) {
        throw soqlError('INVALID_QUERY_FILTER_OPERATOR', soql, raw, `invalid ID field: ${text}`);
      }
      return { value: text };
    }
    return { value: text.toLowerCase() };
  }
  if (isTextual(field)) throw mustBe('string', true);
  if (type === 'BOOLEAN') {
    if (field.type !== 'boolean') throw mustBe(field.type, false);
    return { value: raw.toLowerCase() === 'true' };
  }
  if (type === 'DATE_LITERAL' || type === 'DATE_N_LITERAL') {
    if (!isTemporal(field)) throw mustBe(field.type, false);
    const range = dateLiteralRange(raw, org.now());
    if (!range)
      throw malformed(soql, raw, `The org simulator does not support the date literal ${raw}`);
    return { value: range.start, range };
  }
  if (type === 'DATE' || type === 'DATETIME') {
    if (!isTemporal(field)) throw mustBe(field.type, false);
    const ms = Date.parse(raw);
    if (Number.isNaN(ms))
      throw malformed(soql, raw, `line 1:0 no viable alternative at character '${raw}'`);
    return { value: ms };
  }
  // INTEGER, DECIMAL, and currency-prefixed numbers.
  const number = Number(String(raw).replace(/^[A-Z]{3}/, ''));
  if (Number.isNaN(number)) throw malformed(soql, raw, `unexpected token: '${raw}'`);
  return { value: number };
}

function equals(idLike: boolean, a: Comparable, b: Comparable): boolean {
  if (a === null || b === null) return a === b;
  return idLike ? sameId(a, b) : a === b;
}

function compare(a: Comparable, b: Comparable): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function likeToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\' && i + 1 < pattern.length) {
      source += pattern[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (ch === '%') source += '.*';
    else if (ch === '_') source += '.';
    else source += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'is');
}

function compileCondition(
  org: Org,
  root: ObjectSchema,
  cond: ConditionNode,
  soql: string,
  runSubquery: SubqueryRunner,
  guard: FieldGuard,
): Predicate {
  if (cond.fn || !cond.field) {
    throw malformed(soql, null, 'The org simulator does not support functions in WHERE clauses');
  }
  const path = resolvePath(org, root, cond.field, soql, guard);
  // A field the Object Reference lists without the Filter property (LoginHistory's Status, ...).
  if (!path.field.filterable)
    throw soqlError(
      'INVALID_FIELD',
      soql,
      cond.field,
      `field '${path.field.name}' can not be filtered in query call`,
    );
  const idLike = isIdLike(path.field);
  const read = (record: SRecord) => toComparable(path.field, readPath(org, record, path));
  const operator = cond.operator.toUpperCase();

  if (operator === 'IN' || operator === 'NOT IN') {
    let values: () => Comparable[];
    if (cond.valueQuery) {
      let cached: Comparable[] | undefined;
      values = () =>
        (cached ??= runSubquery(cond.valueQuery).map((v) => toComparable(path.field, v)));
    } else {
      const raw = Array.isArray(cond.value) ? cond.value : [cond.value ?? ''];
      const parsed = raw.map(
        (item, i) => parseLiteral(org, path, item, literalTypeAt(cond, i), soql).value,
      );
      values = () => parsed;
    }
    const negate = operator === 'NOT IN';
    // A set lookup keeps `ParentId IN (...)` linear over large tables; ids compare on 15 characters.
    const key = (value: Comparable) =>
      value === null ? null : idLike ? String(value).slice(0, 15) : value;
    let keys: Set<Comparable> | undefined;
    return (record) => {
      keys ??= new Set(values().map(key));
      const found = keys.has(key(read(record)));
      return negate ? !found : found;
    };
  }

  if (operator === 'INCLUDES' || operator === 'EXCLUDES') {
    const raw = Array.isArray(cond.value) ? cond.value : [cond.value ?? ''];
    const wanted = raw.map((item) => unquote(item).toLowerCase());
    return (record) => {
      const value = read(record);
      const items = typeof value === 'string' ? value.split(';') : [];
      const found = wanted.some((w) => w.split(';').every((part) => items.includes(part)));
      return operator === 'INCLUDES' ? found : !found;
    };
  }

  if (Array.isArray(cond.value))
    throw malformed(soql, null, `unexpected list for operator ${operator}`);
  const literal = parseLiteral(org, path, cond.value ?? '', literalTypeAt(cond, 0), soql);

  if (operator === 'LIKE') {
    if (!isTextual(path.field) || typeof literal.value !== 'string') {
      throw soqlError(
        'INVALID_QUERY_FILTER_OPERATOR',
        soql,
        cond.field,
        `invalid operator on ${path.field.type} field: LIKE`,
      );
    }
    const regexp = likeToRegExp(literal.value);
    return (record) => {
      const value = read(record);
      return typeof value === 'string' && regexp.test(value);
    };
  }

  const range = literal.range;
  const target = literal.value;
  switch (operator) {
    case '=':
      if (range) return (r) => inRange(read(r), range);
      return (r) => equals(idLike, read(r), target);
    case '!=':
    case '<>':
      if (range) return (r) => !inRange(read(r), range);
      return (r) => !equals(idLike, read(r), target);
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (target === null) return () => false;
      const bound = range
        ? operator === '<' || operator === '>='
          ? range.start
          : range.end
        : target;
      // With a date range, '<=' means before the end and '>' means from the end on.
      const op = range && operator === '<=' ? '<' : range && operator === '>' ? '>=' : operator;
      return (r) => {
        const value = read(r);
        if (value === null) return false;
        const c = compare(value, bound);
        return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
      };
    }
    default:
      throw new ApiError(400, 'MALFORMED_QUERY', `unexpected token: '${cond.operator}'`);
  }
}

function inRange(value: Comparable, range: DateRange): boolean {
  return typeof value === 'number' && value >= range.start && value < range.end;
}
