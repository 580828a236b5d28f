/**
 * A request body as the REST API takes it: field names (any case), createable and updateable
 * fields, types, lengths and references, converted into stored values; and unique fields.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_sobject_create.htm
 */
import { ApiError, bodyNotAnObject, fieldError, jsonParserError } from '../errors.js';
import { isSalesforceId, sameId } from '../ids.js';
import type { Org, SRecord } from '../org/org.js';
import { parseDateTime, sfDateTime } from '../org/time.js';
import type { FieldSchema, ObjectSchema } from '../schema.js';

export type Mode = 'create' | 'update';

/** Validate and convert a request body into stored values (schema spelling of names). */
export function coerceBody(
  org: Org,
  schema: ObjectSchema,
  body: unknown,
  mode: Mode,
): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw bodyNotAnObject();
  }
  const values: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(body as Record<string, unknown>)) {
    if (key === 'attributes') continue;
    const field = schema.fields.get(key.toLowerCase());
    if (!field) {
      throw fieldError(
        'INVALID_FIELD',
        `No such column '${key}' on sobject of type ${schema.name}`,
        [key],
      );
    }
    if (field.name === 'Id' && mode === 'update') continue;
    const allowed = mode === 'create' ? field.createable : field.updateable;
    if (!allowed) {
      throw fieldError(
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${field.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        [field.name],
      );
    }
    values[field.name] = coerceValue(org, field, raw);
  }
  return values;
}

function coerceValue(org: Org, field: FieldSchema, raw: unknown): unknown {
  if (raw === null || raw === undefined) return null;
  const wrongType = () =>
    jsonParserError(
      `Cannot deserialize instance of ${field.type} from ${typeof raw} value ${JSON.stringify(raw)} or request may be missing a required field`,
    );
  switch (field.type) {
    case 'boolean':
      if (typeof raw !== 'boolean') throw wrongType();
      return raw;
    case 'int':
    case 'double':
    case 'currency':
    case 'percent': {
      const n =
        typeof raw === 'number'
          ? raw
          : typeof raw === 'string' && raw.trim() !== ''
            ? Number(raw)
            : NaN;
      if (Number.isNaN(n)) throw wrongType();
      return field.type === 'int' ? Math.trunc(n) : n;
    }
    case 'datetime': {
      // Salesforce reads ISO 8601 date-times only ('2026-11-28T09:00:00.000Z', '...+0000',
      // '...+00:00', a bare date); Date.parse would take 'Nov 28 2026' or a Date's toString().
      if (typeof raw !== 'string' || !ISO_DATE_TIME.test(raw)) throw wrongType();
      const ms = parseDateTime(raw);
      if (Number.isNaN(ms)) throw wrongType();
      return sfDateTime(new Date(ms));
    }
    case 'date': {
      if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw)) throw wrongType();
      return raw;
    }
    case 'reference':
    case 'id': {
      if (typeof raw !== 'string' || !isSalesforceId(raw)) {
        throw fieldError(
          'MALFORMED_ID',
          `${field.label}: id value of incorrect type: ${String(raw)}`,
          [field.name],
        );
      }
      const target = org.getById(raw);
      if (!target || (field.referenceTo.length && !field.referenceTo.includes(target.type))) {
        throw fieldError('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [field.name]);
      }
      return target.record.Id;
    }
    default: {
      if (typeof raw === 'object') throw wrongType();
      const text = String(raw);
      // Only active values: a restricted picklist refuses a deactivated one as any unknown value.
      if (field.restrictedPicklist && !field.picklistValues.includes(text)) {
        throw fieldError(
          'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
          `${field.label}: bad value for restricted picklist field: ${text}`,
          [field.name],
        );
      }
      if (field.length && text.length > field.length) {
        throw fieldError(
          'STRING_TOO_LONG',
          `${field.label}: data value too large: ${text.slice(0, 40)}${text.length > 40 ? '...' : ''} (max length=${field.length})`,
          [field.name],
        );
      }
      return text;
    }
  }
}

const ISO_DATE_TIME =
  /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** The value as a unique field compares it: text case-insensitively unless the field says not. */
function uniqueKey(field: FieldSchema, value: unknown): string {
  const text = String(value);
  return field.caseSensitive || !isTextualType(field.type) ? text : text.toLowerCase();
}

function isTextualType(type: FieldSchema['type']): boolean {
  return ![
    'boolean',
    'int',
    'double',
    'currency',
    'percent',
    'date',
    'datetime',
    'id',
    'reference',
  ].includes(type);
}

/**
 * Unique fields (an external id such as HubSpot_Sync_Status__c.Portal_Id__c): a create or update
 * whose value another record already holds fails with DUPLICATE_VALUE naming the field and that
 * record, compared case-insensitively unless the field is case-sensitive.
 */
export function checkUnique(
  org: Org,
  schema: ObjectSchema,
  values: Record<string, unknown>,
  self?: SRecord,
): void {
  for (const field of schema.fields.values()) {
    if (!field.unique || field.name === 'Id') continue;
    const value = values[field.name];
    if (value === undefined || value === null || value === '') continue;
    const key = uniqueKey(field, value);
    const clash = org
      .table(schema.name)
      .find(
        (r) =>
          r !== self &&
          r[field.name] !== null &&
          r[field.name] !== undefined &&
          uniqueKey(field, r[field.name]) === key,
      );
    if (clash)
      throw new ApiError(
        400,
        'DUPLICATE_VALUE',
        `duplicate value found: ${field.name} duplicates value on record with id: ${clash.Id}`,
        [],
      );
  }
}

/** Whether a record's value of an external id field matches the value an upsert URL names. */
export function externalIdMatches(field: FieldSchema, stored: unknown, value: string): boolean {
  if (stored === null || stored === undefined) return false;
  if (field.type === 'id') return sameId(stored, value);
  return uniqueKey(field, stored) === uniqueKey(field, value);
}
