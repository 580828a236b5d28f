import { parseQuery } from '@jetstreamapp/soql-parser-js';
import { ApiError, notFound } from '../errors.js';
import { unsupportedType, malformed } from '../soql/errors.js';
import { userHasPermission } from './access.js';
import type { SimState } from './state.js';
import type { ApiCall, SimResponse } from './types.js';

/**
 * The Tooling API's Query resource (/services/data/vXX.X/tooling/query), for ValidationRule only:
 * the rules of the org's objects (each schema's `validationRules`), as Sync Doctor's collector
 * reads them to name the rule behind a custom-code sync error. Salesforce hides setup metadata
 * from a user without "View Setup and Configuration" (INVALID_TYPE, as for the other setup objects
 * in access.ts); any other Tooling object or resource is refused, never answered wrongly.
 */
export function handleToolingCall(
  state: SimState,
  call: ApiCall,
  method: string,
  rest: string[],
): SimResponse {
  const [resource, ...more] = rest;
  if (resource !== 'query' || more.length) throw notFound();
  if (method !== 'GET')
    throw new ApiError(
      405,
      'METHOD_NOT_ALLOWED',
      `HTTP Method '${method}' not allowed. Allowed are GET`,
    );
  const soql = call.query.get('q');
  if (!soql || !soql.trim())
    throw new ApiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  return { status: 200, body: validationRules(state, call.userId, soql) };
}

/** The columns a ValidationRule row answers (Tooling API reference, ValidationRule). */
const COLUMNS = new Set([
  'id',
  'validationname',
  'active',
  'errormessage',
  'errordisplayfield',
  'description',
  'entitydefinitionid',
  'entitydefinition.qualifiedapiname',
]);

interface Parsed {
  sObject?: string;
  fields?: { type: string; field?: string; relationships?: string[] }[];
  where?: { left?: { field?: string; operator?: string; value?: string }; right?: unknown };
  orderBy?: unknown;
}

function validationRules(state: SimState, userId: string, soql: string): Record<string, unknown> {
  let parsed: Parsed;
  try {
    parsed = parseQuery(soql) as unknown as Parsed;
  } catch {
    throw malformed(soql, null, 'unexpected token');
  }
  const from = parsed.sObject ?? '';
  if (
    from.toLowerCase() !== 'validationrule' ||
    !userHasPermission(state.org, userId, 'PermissionsViewSetup')
  )
    throw unsupportedType(soql, from);
  // What the collector sends, nothing more: a filter on Active, or none; no ORDER BY (Salesforce
  // refuses ordering by EntityDefinition's fields, and the simulator models no other).
  const where = parsed.where;
  const activeOnly =
    where?.left?.field?.toLowerCase() === 'active' &&
    where.left.operator === '=' &&
    where.left.value?.toLowerCase() === 'true' &&
    where.right === undefined;
  if ((where && !activeOnly) || parsed.orderBy)
    throw malformed(
      soql,
      null,
      'the simulator answers ValidationRule queries filtered on Active = true only',
    );
  const columns = (parsed.fields ?? []).map((f) =>
    f.type === 'FieldRelationship'
      ? [...(f.relationships ?? []), f.field ?? ''].join('.')
      : (f.field ?? ''),
  );
  const unknown = columns.find((c) => !COLUMNS.has(c.toLowerCase()));
  if (unknown !== undefined)
    throw malformed(soql, unknown, `No such column '${unknown}' on entity 'ValidationRule'.`);
  const records: Record<string, unknown>[] = [];
  let n = 0;
  for (const schema of state.org.schema.all())
    for (const rule of schema.validationRules) {
      n += 1;
      if (activeOnly && rule.active === false) continue;
      const row: Record<string, unknown> = {
        Id: `03d${String(n).padStart(12, '0')}`,
        ValidationName: rule.name,
        Active: rule.active !== false,
        ErrorMessage: rule.message,
        ErrorDisplayField: rule.field ?? null,
        Description: null,
        EntityDefinitionId: schema.name,
        EntityDefinition: {
          attributes: { type: 'EntityDefinition' },
          QualifiedApiName: schema.name,
        },
      };
      const record: Record<string, unknown> = {
        attributes: {
          type: 'ValidationRule',
          url: `/services/data/v64.0/tooling/sobjects/ValidationRule/${String(row.Id)}`,
        },
      };
      for (const column of columns) {
        const key = Object.keys(row).find(
          (k) => k.toLowerCase() === column.split('.')[0]!.toLowerCase(),
        )!;
        record[key] = row[key];
      }
      records.push(record);
    }
  return {
    size: records.length,
    totalSize: records.length,
    done: true,
    entityTypeName: 'ValidationRule',
    records,
  };
}
