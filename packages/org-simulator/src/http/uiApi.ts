import { ApiError, notFound } from '../errors.js';
import type { ObjectSchema } from '../schema.js';
import { userHasObjectRight } from './access.js';
import { sameId } from '../ids.js';
import { MASTER_RECORD_TYPE_ID } from '../org/recordTypes.js';
import type { SimState } from './state.js';
import type { ApiCall, SimResponse } from './types.js';

/**
 * The User Interface API resources Sync Doctor's collector reads:
 * - the duplicates resource (/services/data/vXX.X/ui-api/duplicates/{object}, API 50.0 and later):
 *   an object's active duplicate rules with their actions, to say which refuse HubSpot's writes;
 * - the picklist values of a record type (/ui-api/object-info/{object}/picklist-values/{recordTypeId},
 *   API 41.0 and later): each picklist's values that record type offers, to say which record types
 *   still refuse a value.
 * Any other UI API resource is refused (404), never answered wrongly. An object the user may not
 * read is no resource for it, as for /sobjects.
 */
export function handleUiApiCall(
  state: SimState,
  call: ApiCall,
  method: string,
  rest: string[],
): SimResponse {
  if (rest[0] === 'object-info' && rest[2] === 'picklist-values' && rest.length === 4)
    return picklistValuesByRecordType(state, call, method, rest[1]!, rest[3]!);
  const [resource, objectName, ...more] = rest;
  if (resource !== 'duplicates' || !objectName || more.length) throw notFound();
  const schema = readableObject(state, call, method, objectName, 50);
  return { status: 200, body: duplicatesConfiguration(schema) };
}

/**
 * The object a GET of a UI API resource names, from API `since` on: 405 for another method, and
 * no resource (404) for an older API, an object the org lacks or one the user may not read.
 */
function readableObject(
  state: SimState,
  call: ApiCall,
  method: string,
  objectName: string,
  since: number,
): ObjectSchema {
  if (method !== 'GET')
    throw new ApiError(
      405,
      'METHOD_NOT_ALLOWED',
      `HTTP Method '${method}' not allowed. Allowed are GET`,
    );
  if (Number(call.apiVersion) < since) throw notFound();
  const schema = state.org.schema.get(objectName);
  if (!schema || schema.kind !== 'data') throw notFound();
  if (!userHasObjectRight(state.org, call.userId, schema, 'read')) throw notFound();
  return schema;
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

/**
 * GET /ui-api/object-info/{object}/picklist-values/{recordTypeId}: every picklist of the object
 * with the values the record type offers (all the field's active values for the Master record
 * type, or where the record type names none), shaped as Salesforce's Picklist Values Collection.
 * A record type of another object, or none, is no resource (404).
 */
function picklistValuesByRecordType(
  state: SimState,
  call: ApiCall,
  method: string,
  objectName: string,
  recordTypeId: string,
): SimResponse {
  const schema = readableObject(state, call, method, objectName, 41);
  const master = recordTypeId === MASTER_RECORD_TYPE_ID;
  const recordType = schema.recordTypes.find((rt) => sameId(rt.id, recordTypeId));
  if (!master && !recordType) throw notFound();
  const offered = new Map(
    Object.entries(recordType?.values ?? {}).map(([field, values]) => [
      field.toLowerCase(),
      values,
    ]),
  );
  const picklistFieldValues: Record<string, unknown> = {};
  for (const field of schema.fields.values()) {
    if (field.type !== 'picklist') continue;
    const values = offered.get(field.name.toLowerCase()) ?? field.picklistValues;
    picklistFieldValues[field.name] = {
      controllerValues: {},
      defaultValue: null,
      eTag: `${schema.name}.${field.name}.${recordTypeId}`,
      url: `/services/data/v${call.apiVersion}/ui-api/object-info/${schema.name}/picklist-values/${recordTypeId}/${field.name}`,
      values: values.map((value) => ({ attributes: null, label: value, validFor: [], value })),
    };
  }
  return {
    status: 200,
    body: {
      eTag: `${schema.name}.${recordTypeId}`,
      picklistFieldValues,
    },
  };
}
