/**
 * A deliberately small JSON Schema validator: just the keywords SNAPSHOT_SCHEMA uses (type, properties,
 * required, items, additionalProperties, enum, format 'date-time', minimum). It never compiles code
 * (no eval, no new Function), so it runs under Salesforce Locker / Lightning Web Security, and it
 * stops at the first problem, naming its path the way an admin reads it: `assignments[3].PermissionSet.Name`.
 */

export type JsonType = 'object' | 'array' | 'string' | 'boolean' | 'number' | 'integer' | 'null';

export interface JsonSchema {
  type?: JsonType | readonly JsonType[];
  description?: string;
  properties?: Readonly<Record<string, JsonSchema>>;
  required?: readonly string[];
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  enum?: readonly unknown[];
  format?: 'date-time';
  minimum?: number;
  anyOf?: readonly JsonSchema[];
}

export interface SchemaError {
  path: string;
  message: string;
}

const ROOT = '(root)';

type PathStep = string | number;

function typeOf(value: unknown): JsonType | 'undefined' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const t = typeof value;
  if (t === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (t === 'string' || t === 'boolean' || t === 'object') return t;
  return 'undefined';
}

function matchesType(actual: JsonType | 'undefined', expected: JsonType): boolean {
  return actual === expected || (expected === 'number' && actual === 'integer');
}

function describeExpected(types: readonly JsonType[]): string {
  return types.length === 1
    ? types[0]!
    : `${types.slice(0, -1).join(', ')} or ${types[types.length - 1]}`;
}

/** Formats the path only when there is an error: `assignments[3].PermissionSet.Name`, `fields["Contact.Email"]`. */
function formatPath(steps: readonly PathStep[]): string {
  let out = '';
  for (const step of steps) {
    if (typeof step === 'number') out += `[${step}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(step)) out += out ? `.${step}` : step;
    else out += `[${JSON.stringify(step)}]`;
  }
  return out || ROOT;
}

/** Accepts ISO 8601 and Salesforce's `2026-01-31T10:00:00.000+0000` (offset without a colon). */
export function parseSalesforceDateTime(text: string): number {
  const normalized = text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  return Date.parse(normalized);
}

interface Failure {
  steps: PathStep[];
  message: string;
}

function fail(path: PathStep[], message: string, extra?: PathStep): Failure {
  const steps = path.slice();
  if (extra !== undefined) steps.push(extra);
  return { steps, message };
}

// `path` is one mutable stack shared by the whole walk: no string is built unless something fails,
// which keeps a 100,000-row snapshot fast to check.
function check(schema: JsonSchema, value: unknown, path: PathStep[]): Failure | null {
  if (schema.anyOf) {
    // Report the option that got furthest (its type matched and something deeper failed).
    let best: Failure | null = null;
    for (const option of schema.anyOf) {
      const error = check(option, value, path);
      if (!error) return null;
      if (!best || error.steps.length > best.steps.length) best = error;
    }
    return best;
  }
  const actual = typeOf(value);
  if (schema.type !== undefined) {
    const expected = schema.type;
    let ok = false;
    if (typeof expected === 'string') ok = matchesType(actual, expected);
    else for (const t of expected) if (matchesType(actual, t)) ok = true;
    if (!ok) {
      const types: readonly JsonType[] = typeof expected === 'string' ? [expected] : expected;
      return fail(path, `expected ${describeExpected(types)}, got ${actual}`);
    }
  }
  if (schema.enum && !schema.enum.includes(value)) {
    return fail(path, `expected one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  }
  if (
    schema.format === 'date-time' &&
    typeof value === 'string' &&
    Number.isNaN(parseSalesforceDateTime(value))
  ) {
    return fail(path, 'expected an ISO 8601 date-time');
  }
  if (schema.minimum !== undefined && typeof value === 'number' && value < schema.minimum) {
    return fail(path, `expected a number >= ${schema.minimum}`);
  }
  if (actual === 'array' && schema.items) {
    const list = value as unknown[];
    for (let i = 0; i < list.length; i++) {
      path.push(i);
      const error = check(schema.items, list[i], path);
      path.pop();
      if (error) return error;
    }
  }
  if (actual === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of schema.required ?? []) {
      if (record[key] === undefined) {
        const expected = schema.properties?.[key]?.type;
        const what =
          expected === undefined
            ? ''
            : ` (${describeExpected(typeof expected === 'string' ? [expected] : expected)})`;
        return fail(path, `is required${what}`, key);
      }
    }
    const properties = schema.properties ?? {};
    for (const key in record) {
      const sub = record[key];
      if (sub === undefined) continue;
      const propertySchema = Object.prototype.hasOwnProperty.call(properties, key)
        ? properties[key]
        : undefined;
      const next =
        propertySchema ??
        (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      if (next) {
        path.push(key);
        const error = check(next, sub, path);
        path.pop();
        if (error) return error;
      } else if (schema.additionalProperties === false) {
        return fail(path, 'is not allowed here', key);
      }
    }
  }
  return null;
}

/** The first place where `value` breaks `schema`, or null when it conforms. */
export function firstSchemaError(schema: JsonSchema, value: unknown): SchemaError | null {
  const failure = check(schema, value, []);
  return failure ? { path: formatPath(failure.steps), message: failure.message } : null;
}
