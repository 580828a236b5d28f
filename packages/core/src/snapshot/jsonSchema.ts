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
  return types.length === 1 ? types[0]! : `${types.slice(0, -1).join(', ')} or ${types[types.length - 1]}`;
}

function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path === ROOT ? '' : path}[${key}]`;
  const safe = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
  const joined = /^[A-Za-z_$]/.test(safe) ? safe : `[${safe}]`;
  if (path === ROOT) return joined;
  return joined.startsWith('[') ? `${path}${joined}` : `${path}.${joined}`;
}

/** Accepts ISO 8601 and Salesforce's `2026-01-31T10:00:00.000+0000` (offset without a colon). */
export function parseSalesforceDateTime(text: string): number {
  const normalized = text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  return Date.parse(normalized);
}

function check(schema: JsonSchema, value: unknown, path: string): SchemaError | null {
  if (schema.anyOf) {
    // Report the option that got furthest (its type matched and something deeper failed).
    let best: SchemaError | null = null;
    for (const option of schema.anyOf) {
      const error = check(option, value, path);
      if (!error) return null;
      if (!best || error.path.length > best.path.length) best = error;
    }
    return best;
  }
  const actual = typeOf(value);
  if (schema.type !== undefined) {
    const types: readonly JsonType[] = typeof schema.type === 'string' ? [schema.type] : schema.type;
    if (!types.some((t) => matchesType(actual, t))) {
      return { path, message: `expected ${describeExpected(types)}, got ${actual}` };
    }
  }
  if (schema.enum && !schema.enum.includes(value)) {
    return { path, message: `expected one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}` };
  }
  if (schema.format === 'date-time' && typeof value === 'string' && Number.isNaN(parseSalesforceDateTime(value))) {
    return { path, message: 'expected an ISO 8601 date-time' };
  }
  if (schema.minimum !== undefined && typeof value === 'number' && value < schema.minimum) {
    return { path, message: `expected a number >= ${schema.minimum}` };
  }
  if (actual === 'array' && schema.items) {
    const list = value as unknown[];
    for (let i = 0; i < list.length; i++) {
      const error = check(schema.items, list[i], child(path, i));
      if (error) return error;
    }
  }
  if (actual === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of schema.required ?? []) {
      if (record[key] === undefined) {
        const expected = schema.properties?.[key]?.type;
        const what = expected === undefined ? '' : ` (${describeExpected(typeof expected === 'string' ? [expected] : expected)})`;
        return { path: child(path, key), message: `is required${what}` };
      }
    }
    const properties = schema.properties ?? {};
    for (const key of Object.keys(record)) {
      const propertySchema = properties[key];
      const sub = record[key];
      if (sub === undefined) continue;
      if (propertySchema) {
        const error = check(propertySchema, sub, child(path, key));
        if (error) return error;
      } else if (schema.additionalProperties === false) {
        return { path: child(path, key), message: 'is not allowed here' };
      } else if (typeof schema.additionalProperties === 'object') {
        const error = check(schema.additionalProperties, sub, child(path, key));
        if (error) return error;
      }
    }
  }
  return null;
}

/** The first place where `value` breaks `schema`, or null when it conforms. */
export function firstSchemaError(schema: JsonSchema, value: unknown): SchemaError | null {
  return check(schema, value, ROOT);
}
