import { ApiError } from '../errors.js';

/**
 * A validation rule of the package's metadata (force-app .../validationRules/*.validationRule-meta.xml,
 * carried by scripts/packageObjects.cjs): Salesforce refuses an insert or update for which its
 * error condition is true, with FIELD_CUSTOM_VALIDATION_EXCEPTION and the rule's message, and a
 * composite with allOrNone rolls back. The simulator evaluates the subset of the formula language
 * the package's rules use; a rule outside it is refused when the org is built, never ignored.
 */
export interface ValidationRuleSpec {
  name: string;
  formula: string;
  message: string;
  /** The field the error is shown on (errorDisplayField), if any. */
  field?: string;
  /** false: the rule is in the org but inactive (listed by the Tooling API, never checked). */
  active?: boolean;
}

type Node =
  | { kind: 'number'; value: number }
  | { kind: 'field'; name: string }
  | { kind: 'call'; name: string; args: Node[] }
  | { kind: 'binary'; op: string; left: Node; right: Node };

export interface CompiledRule extends ValidationRuleSpec {
  ast: Node;
}

const FUNCTIONS: Record<string, number> = {
  AND: -1,
  OR: -1,
  NOT: 1,
  ISNEW: 0,
  ISBLANK: 1,
  PRIORVALUE: 1,
  ISCHANGED: 1,
};

const TOKEN = /\s*(?:(\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(<=|>=|<>|!=|==|&&|\|\||[<>=(),]))/y;

function tokenize(formula: string, rule: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < formula.length) {
    if (/^\s*$/.test(formula.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(formula);
    if (!match)
      throw new Error(
        `validation rule ${rule}: cannot read its formula at "${formula.slice(at, at + 20)}"`,
      );
    tokens.push(match[1] ?? match[2] ?? match[3]!);
  }
  return tokens;
}

const PRECEDENCE: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '=': 3,
  '==': 3,
  '<>': 3,
  '!=': 3,
  '<': 4,
  '<=': 4,
  '>': 4,
  '>=': 4,
};

/** Parses a formula of the supported subset; throws naming the rule for anything else. */
export function compileRule(spec: ValidationRuleSpec): CompiledRule {
  const tokens = tokenize(spec.formula, spec.name);
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`validation rule ${spec.name}: ${what} is not evaluated by the simulator`);
  };
  const primary = (): Node => {
    const token = tokens[i++];
    if (token === undefined) return fail('a formula that ends early');
    if (/^\d/.test(token)) return { kind: 'number', value: Number(token) };
    if (token === '(') {
      const inner = expression(0);
      if (tokens[i++] !== ')') fail('an unclosed parenthesis');
      return inner;
    }
    if (!/^[A-Za-z_]/.test(token)) return fail(`"${token}"`);
    if (tokens[i] !== '(') return { kind: 'field', name: token };
    const name = token.toUpperCase();
    const arity = FUNCTIONS[name];
    if (arity === undefined) fail(`the function ${token}`);
    i++;
    const args: Node[] = [];
    if (tokens[i] === ')') i++;
    else
      for (;;) {
        args.push(expression(0));
        const next = tokens[i++];
        if (next === ')') break;
        if (next !== ',') fail(`"${next ?? 'the end'}" in ${token}'s arguments`);
      }
    if (arity !== -1 && args.length !== arity) fail(`${token} with ${args.length} arguments`);
    if ((name === 'PRIORVALUE' || name === 'ISCHANGED') && args[0]?.kind !== 'field')
      fail(`${token} of anything but a field`);
    return { kind: 'call', name, args };
  };
  const expression = (min: number): Node => {
    let left = primary();
    for (;;) {
      const op = tokens[i];
      const precedence = op === undefined ? undefined : PRECEDENCE[op];
      if (precedence === undefined || precedence <= min) return left;
      i++;
      left = { kind: 'binary', op: op!, left, right: expression(precedence) };
    }
  };
  const ast = expression(0);
  if (i !== tokens.length) fail(`"${tokens[i]}" after the formula`);
  return { ...spec, ast };
}

type Values = Record<string, unknown>;

const blank = (value: unknown) => value === null || value === undefined || value === '';

function fieldValue(record: Values, name: string): unknown {
  const key = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? null : record[key];
}

function evaluate(
  node: Node,
  context: { isNew: boolean; prior: Values | null; next: Values },
): unknown {
  switch (node.kind) {
    case 'number':
      return node.value;
    case 'field':
      return fieldValue(context.next, node.name);
    case 'binary': {
      const left = evaluate(node.left, context);
      if (node.op === '&&') return left === true && evaluate(node.right, context) === true;
      if (node.op === '||') return left === true || evaluate(node.right, context) === true;
      const right = evaluate(node.right, context);
      // A comparison with a blank value is neither true nor false: null, which fires no rule
      // (blank fields treated as blanks, the default for validation rules).
      if (blank(left) || blank(right)) return null;
      const a = typeof left === 'number' ? left : String(left);
      const b = typeof right === 'number' ? right : String(right);
      switch (node.op) {
        case '<':
          return a < b;
        case '<=':
          return a <= b;
        case '>':
          return a > b;
        case '>=':
          return a >= b;
        case '<>':
        case '!=':
          return a !== b;
        default:
          return a === b;
      }
    }
    case 'call': {
      const [first] = node.args;
      switch (node.name) {
        case 'AND':
          return node.args.every((arg) => evaluate(arg, context) === true);
        case 'OR':
          return node.args.some((arg) => evaluate(arg, context) === true);
        case 'NOT': {
          const value = evaluate(first!, context);
          return value === null ? null : value !== true;
        }
        case 'ISNEW':
          return context.isNew;
        case 'ISBLANK':
          return blank(evaluate(first!, context));
        case 'PRIORVALUE':
          // On insert Salesforce answers the value being inserted.
          return context.prior
            ? fieldValue(context.prior, (first as { name: string }).name)
            : evaluate(first!, context);
        case 'ISCHANGED': {
          if (!context.prior) return false;
          const name = (first as { name: string }).name;
          const before = fieldValue(context.prior, name);
          const after = fieldValue(context.next, name);
          return blank(before) ? !blank(after) : before !== after;
        }
      }
    }
  }
  return null;
}

/**
 * Refuses a write for which one of `rules` fires, as Salesforce does: 400
 * FIELD_CUSTOM_VALIDATION_EXCEPTION with the rule's message (and its display field).
 */
export function checkValidationRules(
  rules: readonly CompiledRule[],
  prior: Values | null,
  next: Values,
): void {
  for (const rule of rules) {
    if (
      rule.active !== false &&
      evaluate(rule.ast, { isNew: prior === null, prior, next }) === true
    )
      throw new ApiError(
        400,
        'FIELD_CUSTOM_VALIDATION_EXCEPTION',
        rule.message,
        rule.field ? [rule.field] : [],
      );
  }
}
