import { ApiError, notFound } from '../errors.js';
import type { ObjectSchema } from '../schema.js';
import { userHasObjectRight } from './access.js';
import type { SimState } from './state.js';
import type { ApiCall, SimResponse } from './types.js';

/**
 * The User Interface API's duplicates resource (/services/data/vXX.X/ui-api/duplicates/{object},
 * API 50.0 and later), the one UI API resource Sync Doctor's collector reads: an object's active
 * duplicate rules with their actions, to say which refuse HubSpot's writes. Any other UI API
 * resource is refused (404), never answered wrongly. An object the user may not read is no
 * resource for it, as for /sobjects.
 */
export function handleUiApiCall(
  state: SimState,
  call: ApiCall,
  method: string,
  rest: string[],
): SimResponse {
  const [resource, objectName, ...more] = rest;
  if (resource !== 'duplicates' || !objectName || more.length) throw notFound();
  if (method !== 'GET')
    throw new ApiError(
      405,
      'METHOD_NOT_ALLOWED',
      `HTTP Method '${method}' not allowed. Allowed are GET`,
    );
  if (Number(call.apiVersion) < 50) throw notFound();
  const schema = state.org.schema.get(objectName);
  if (!schema || schema.kind !== 'data') throw notFound();
  if (!userHasObjectRight(state.org, call.userId, schema, 'read')) throw notFound();
  return { status: 200, body: duplicatesConfiguration(schema) };
}

function duplicatesConfiguration(schema: ObjectSchema): Record<string, unknown> {
  const active = schema.duplicateRules.filter((r) => r.active !== false);
  return {
    apiName: schema.name,
    dedupeEnabled: active.length > 0,
    dedupeFields: [],
    duplicateRules: active.map((r) => ({
      name: r.name,
      active: true,
      actionOnInsert: r.actionOnInsert,
      actionOnUpdate: r.actionOnUpdate,
      operationsOnInsert: r.operationsOnInsert ?? [],
      operationsOnUpdate: r.operationsOnUpdate ?? [],
      duplicateRuleFilters: r.conditions?.length
        ? [{ booleanFilter: null, filterItems: r.conditions.map((text) => ({ text })) }]
        : [],
      matchRules: [],
    })),
    predupeEnabled: active.length > 0,
  };
}
