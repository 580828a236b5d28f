import { DATETIME_PROPERTIES, DEFAULT_PROPERTIES, type CrmObjectType } from './properties.js';

/**
 * The CRM search semantics of HubSpot's `POST /crm/v3/objects/{object}/search`, as its "Search the
 * CRM" guide describes them (https://developers.hubspot.com/docs/api-reference/2026-03/crm/search-the-crm):
 * filter groups are ORed, filters inside a group ANDed; at most 5 groups, 10 filters per group and
 * 25 in all (changelog "Expanded Filtering Capabilities ... in HubSpot's Search API", August 2024);
 * `limit` up to 200; paging by the opaque `after` cursor, never beyond 10,000 results.
 */
export interface CrmRecord {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export const SEARCH_LIMITS = {
  maxGroups: 5,
  maxFiltersPerGroup: 10,
  maxFilters: 25,
  maxLimit: 200,
  maxResults: 10_000,
  defaultLimit: 10,
} as const;

const OPERATORS = [
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
] as const;
type Operator = (typeof OPERATORS)[number];

interface Filter {
  propertyName: string;
  operator: Operator;
  value?: string;
  highValue?: string;
  values?: string[];
}

export interface SearchRequest {
  filterGroups: { filters: Filter[] }[];
  sorts: { propertyName: string; direction: 'ASCENDING' | 'DESCENDING' }[];
  query?: string;
  properties: string[] | null;
  limit: number;
  after: number;
}

export interface SearchResponse {
  total: number;
  results: {
    id: string;
    properties: Record<string, string | null>;
    createdAt: string;
    updatedAt: string;
    archived: boolean;
  }[];
  paging?: { next: { after: string; link?: string } };
}

export class SearchValidationError extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const scalar = (v: unknown): string | undefined =>
  typeof v === 'string'
    ? v
    : typeof v === 'number' || typeof v === 'boolean'
      ? String(v)
      : undefined;

/** Checks a request body the way HubSpot does and returns it normalised, or throws a SearchValidationError. */
export function parseSearchRequest(body: unknown): SearchRequest {
  if (body === undefined || body === null || body === '') body = {};
  if (!isObject(body))
    throw new SearchValidationError('Invalid input JSON: the request body must be a JSON object.');
  const groups = body.filterGroups ?? [];
  if (!Array.isArray(groups)) throw new SearchValidationError('filterGroups must be an array.');
  if (groups.length > SEARCH_LIMITS.maxGroups)
    throw new SearchValidationError(
      `There were ${groups.length} filter groups, but the limit is ${SEARCH_LIMITS.maxGroups}.`,
    );
  let total = 0;
  const filterGroups = groups.map((group, gi) => {
    if (!isObject(group) || !Array.isArray(group.filters))
      throw new SearchValidationError(`filterGroups[${gi}].filters must be an array.`);
    if (group.filters.length > SEARCH_LIMITS.maxFiltersPerGroup) {
      throw new SearchValidationError(
        `There were ${group.filters.length} filters in filterGroups[${gi}], but the limit is ${SEARCH_LIMITS.maxFiltersPerGroup}.`,
      );
    }
    total += group.filters.length;
    return {
      filters: group.filters.map((f, fi): Filter => {
        const at = `filterGroups[${gi}].filters[${fi}]`;
        if (!isObject(f) || typeof f.propertyName !== 'string' || f.propertyName === '')
          throw new SearchValidationError(`${at}.propertyName is required.`);
        const operator = f.operator ?? 'EQ';
        if (typeof operator !== 'string' || !(OPERATORS as readonly string[]).includes(operator)) {
          throw new SearchValidationError(
            `${at}.operator ${JSON.stringify(operator)} is not one of ${OPERATORS.join(', ')}.`,
          );
        }
        const filter: Filter = {
          propertyName: f.propertyName.toLowerCase(),
          operator: operator as Operator,
        };
        const value = scalar(f.value);
        const highValue = scalar(f.highValue);
        if (value !== undefined) filter.value = value;
        if (highValue !== undefined) filter.highValue = highValue;
        if (Array.isArray(f.values)) filter.values = f.values.map((v) => scalar(v) ?? '');
        const needsValue = !['HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'IN', 'NOT_IN'].includes(
          filter.operator,
        );
        if (needsValue && filter.value === undefined)
          throw new SearchValidationError(
            `${at}.value is required for operator ${filter.operator}.`,
          );
        if (filter.operator === 'BETWEEN' && filter.highValue === undefined)
          throw new SearchValidationError(`${at}.highValue is required for BETWEEN.`);
        if ((filter.operator === 'IN' || filter.operator === 'NOT_IN') && !filter.values)
          throw new SearchValidationError(`${at}.values is required for ${filter.operator}.`);
        return filter;
      }),
    };
  });
  if (total > SEARCH_LIMITS.maxFilters)
    throw new SearchValidationError(
      `There were ${total} filters, but the limit is ${SEARCH_LIMITS.maxFilters}.`,
    );

  const rawSorts = body.sorts ?? [];
  if (!Array.isArray(rawSorts)) throw new SearchValidationError('sorts must be an array.');
  // HubSpot accepts one sort rule; the reference shows sorts both as objects and as bare property names.
  if (rawSorts.length > 1) throw new SearchValidationError('Only one sort is supported.');
  const sorts = rawSorts.map((s): SearchRequest['sorts'][number] => {
    if (typeof s === 'string')
      return { propertyName: s.toLowerCase(), direction: 'ASCENDING' as const };
    if (!isObject(s) || typeof s.propertyName !== 'string')
      throw new SearchValidationError('sorts[0].propertyName is required.');
    const direction = s.direction ?? 'ASCENDING';
    if (direction !== 'ASCENDING' && direction !== 'DESCENDING')
      throw new SearchValidationError('sorts[0].direction must be ASCENDING or DESCENDING.');
    return {
      propertyName: s.propertyName.toLowerCase(),
      direction: direction as 'ASCENDING' | 'DESCENDING',
    };
  });

  let properties: string[] | null = null;
  if (body.properties !== undefined) {
    if (!Array.isArray(body.properties) || body.properties.some((p) => typeof p !== 'string'))
      throw new SearchValidationError('properties must be an array of property names.');
    properties = (body.properties as string[]).map((p) => p.toLowerCase());
  }
  const limit = body.limit === undefined ? SEARCH_LIMITS.defaultLimit : Number(body.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw new SearchValidationError('limit must be a positive integer.');
  if (limit > SEARCH_LIMITS.maxLimit)
    throw new SearchValidationError(`limit must be at most ${SEARCH_LIMITS.maxLimit}.`);
  const afterRaw =
    body.after === undefined || body.after === null || body.after === '' ? '0' : scalar(body.after);
  if (afterRaw === undefined || !/^\d+$/.test(afterRaw))
    throw new SearchValidationError('after must be the paging cursor of a previous response.');
  const after = Number(afterRaw);
  if (after + limit > SEARCH_LIMITS.maxResults) {
    throw new SearchValidationError(
      `The search endpoints return at most ${SEARCH_LIMITS.maxResults} results per query; narrow the filters.`,
    );
  }
  const query = typeof body.query === 'string' ? body.query : undefined;
  return {
    filterGroups,
    sorts,
    properties,
    limit,
    after,
    ...(query !== undefined ? { query } : {}),
  };
}

/** Datetime values are ISO strings on records; filter values may be epoch milliseconds or ISO. */
function asInstant(value: string): number {
  return /^\d+$/.test(value) ? Number(value) : Date.parse(value);
}

function compare(property: string, a: string, b: string): number {
  if (DATETIME_PROPERTIES.has(property)) return asInstant(a) - asInstant(b);
  const na = Number(a);
  const nb = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && Number.isFinite(na) && Number.isFinite(nb))
    return na - nb;
  return a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0;
}

function matches(record: CrmRecord, filter: Filter): boolean {
  const raw = record.properties[filter.propertyName];
  const has = raw !== undefined && raw !== null && raw !== '';
  switch (filter.operator) {
    case 'HAS_PROPERTY':
      return has;
    case 'NOT_HAS_PROPERTY':
      return !has;
    case 'IN':
      return has && filter.values!.some((v) => compare(filter.propertyName, raw, v) === 0);
    case 'NOT_IN':
      return !has || !filter.values!.some((v) => compare(filter.propertyName, raw, v) === 0);
    case 'NEQ':
      return !has || compare(filter.propertyName, raw, filter.value!) !== 0;
    case 'CONTAINS_TOKEN':
      return (
        has &&
        raw
          .toLowerCase()
          .split(/[^a-z0-9@._-]+/)
          .includes(filter.value!.toLowerCase().replace(/\*/g, ''))
      );
    case 'NOT_CONTAINS_TOKEN':
      return (
        !has ||
        !raw
          .toLowerCase()
          .split(/[^a-z0-9@._-]+/)
          .includes(filter.value!.toLowerCase())
      );
    default:
      break;
  }
  if (!has) return false;
  const c = compare(filter.propertyName, raw, filter.value!);
  switch (filter.operator) {
    case 'EQ':
      return c === 0;
    case 'LT':
      return c < 0;
    case 'LTE':
      return c <= 0;
    case 'GT':
      return c > 0;
    case 'GTE':
      return c >= 0;
    case 'BETWEEN':
      return c >= 0 && compare(filter.propertyName, raw, filter.highValue!) <= 0;
    default:
      return false;
  }
}

/** Runs a parsed search over an object's records. */
export function runSearch(
  objectType: CrmObjectType,
  records: readonly CrmRecord[],
  request: SearchRequest,
): SearchResponse {
  let hits = records.filter((r) => !r.archived);
  if (request.filterGroups.length > 0)
    hits = hits.filter((r) =>
      request.filterGroups.some((g) => g.filters.every((f) => matches(r, f))),
    );
  if (request.query) {
    const q = request.query.toLowerCase();
    hits = hits.filter((r) =>
      Object.values(r.properties).some((v) => typeof v === 'string' && v.toLowerCase().includes(q)),
    );
  }
  const sort = request.sorts[0];
  // Without a sort HubSpot orders by id; ties keep id order so paging is stable.
  hits = [...hits].sort((a, b) => {
    if (sort) {
      const va = a.properties[sort.propertyName] ?? null;
      const vb = b.properties[sort.propertyName] ?? null;
      if (va !== vb) {
        if (va === null) return 1; // records without the value come last either way
        if (vb === null) return -1;
        const c = compare(sort.propertyName, va, vb);
        if (c !== 0) return sort.direction === 'DESCENDING' ? -c : c;
      }
    }
    return Number(a.id) - Number(b.id);
  });
  const page = hits.slice(request.after, request.after + request.limit);
  const wanted = request.properties ?? [...DEFAULT_PROPERTIES[objectType]];
  const results = page.map((r) => {
    const properties: Record<string, string | null> = {};
    // hs_object_id, createdate and the last-modified date always come back, as HubSpot does.
    for (const name of new Set([
      'hs_object_id',
      'createdate',
      objectType === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate',
      ...wanted,
    ])) {
      properties[name] = r.properties[name] ?? null;
    }
    return {
      id: r.id,
      properties,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      archived: false,
    };
  });
  const next = request.after + request.limit;
  const response: SearchResponse = { total: hits.length, results };
  if (next < hits.length && next < SEARCH_LIMITS.maxResults)
    response.paging = { next: { after: String(next) } };
  return response;
}
