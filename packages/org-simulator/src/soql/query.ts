import { parseQuery } from '@jetstreamapp/soql-parser-js';
import type { ApiError } from '../errors.js';
import type { Org, SRecord } from '../org/org.js';
import type { FieldSchema, ObjectSchema } from '../schema.js';
import { malformed, soqlError, unknownRelationship, unsupportedType } from './errors.js';
import { readPath, resolvePath, SEES_ALL, type FieldGuard, type FieldPath } from './paths.js';
import { toComparable } from './literals.js';
import { compileWhere, type WhereNode } from './where.js';

/**
 * SOQL over the in-memory tables. The result keeps Salesforce's shape: canonical field names,
 * `attributes` on every record, parent fields as nested records (null when the lookup is empty).
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_query.htm
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_relationships_query_using.htm
 */
export interface QueryOutcome {
  totalSize: number;
  records: Record<string, unknown>[];
}

interface ParsedField {
  type: string;
  subquery?: ParsedQuery & { relationshipName?: string };
  field?: string;
  relationships?: string[];
  functionName?: string;
  parameters?: unknown[];
  rawValue?: string;
  /** TYPEOF's WHEN and ELSE clauses. */
  conditions?: { type: string; objectType?: string; fieldList?: string[] }[];
}

interface ParsedOrderBy {
  field?: string;
  fn?: unknown;
  order?: string;
  nulls?: string;
}

interface ParsedQuery {
  fields?: ParsedField[];
  sObject?: string;
  where?: WhereNode;
  orderBy?: ParsedOrderBy | ParsedOrderBy[];
  limit?: number;
  offset?: number;
  groupBy?: unknown;
  having?: unknown;
}

export function recordUrl(apiVersion: string, type: string, id: string): string {
  return `/services/data/v${apiVersion}/sobjects/${type}/${id}`;
}

/** SOQL statements are limited to 100,000 characters (SOQL and SOSL Reference, "SOQL and SOSL Limits"). */
const MAX_SOQL_LENGTH = 100_000;

/**
 * The rows of an object as the caller may see them, when they differ from the table (LoginHistory
 * without Manage Users, UserPermissionAccess); undefined for the table itself. It throws the
 * query's error when the caller may not query the object at all (ConnectedApplication without
 * Customize Application).
 */
export type RowSource = (objectName: string, soql: string) => SRecord[] | undefined;

export function runQuery(
  org: Org,
  soql: string,
  apiVersion: string,
  rowsOf: RowSource = () => undefined,
  /** What the query's user may read (field-level security); everything when omitted. */
  guard: FieldGuard = SEES_ALL,
): QueryOutcome {
  if (soql.length > MAX_SOQL_LENGTH) {
    throw malformed(
      soql.slice(0, 200),
      null,
      `SOQL statements cannot be longer than ${MAX_SOQL_LENGTH.toLocaleString('en-US')} characters.`,
    );
  }
  let parsed: ParsedQuery;
  try {
    parsed = parseQuery(soql) as unknown as ParsedQuery;
  } catch (error) {
    throw parseFailure(soql, error instanceof Error ? error.message : String(error));
  }
  return runParsed(org, parsed, soql, apiVersion, rowsOf, guard);
}

/** The parser's complaint in Salesforce's words: "unexpected token: 'X'" under a caret where it can tell. */
function parseFailure(soql: string, detail: string): ApiError {
  const found = /found --> '(.*?)' <--/s.exec(detail);
  if (found && found[1]) return malformed(soql, found[1], `unexpected token: '${found[1]}'`);
  const character = /unexpected character: ->(.)<- at offset: (\d+)/.exec(detail);
  if (character)
    return malformed(
      soql,
      null,
      `line 1:${character[2]} no viable alternative at character '${character[1]}'`,
    );
  if (/Expecting/.test(detail)) return malformed(soql, null, 'unexpected end of query or token');
  return malformed(soql, null, detail.split('\n')[0] ?? 'unexpected token');
}

function runParsed(
  org: Org,
  query: ParsedQuery,
  soql: string,
  apiVersion: string,
  rowsOf: RowSource,
  guard: FieldGuard,
): QueryOutcome {
  const typeName = query.sObject ?? '';
  const root = org.schema.get(typeName);
  if (!root || root.kind === 'event') throw unsupportedType(soql, typeName);
  if (query.groupBy || query.having) {
    throw malformed(soql, 'GROUP BY', 'The org simulator does not support GROUP BY or HAVING');
  }
  // The FROM object first: one the user may not query is INVALID_TYPE whatever else the query names.
  const table = rowsOf(root.name, soql) ?? org.table(root.name);
  const fields = query.fields ?? [];
  const isCount =
    fields.length === 1 &&
    fields[0]!.functionName?.toUpperCase() === 'COUNT' &&
    !fields[0]!.parameters?.length;
  const selected: Selection[] = isCount
    ? []
    : fields.map((field) =>
        field.type === 'FieldSubquery'
          ? childSelection(org, root, field, soql, apiVersion, rowsOf, guard)
          : field.type === 'FieldTypeof'
            ? typeofSelection(org, root, field, soql, guard)
            : selectPath(org, root, field, soql, guard),
      );

  const predicate = compileWhere(
    org,
    root,
    query.where,
    soql,
    (inner) => {
      const innerQuery = inner as ParsedQuery;
      const innerRoot = org.schema.get(innerQuery.sObject ?? '');
      if (!innerRoot) throw unsupportedType(soql, innerQuery.sObject ?? '');
      const innerField = innerQuery.fields?.[0];
      if (!innerField || innerQuery.fields!.length !== 1) {
        throw malformed(soql, null, 'a semi-join sub-select must select exactly one field');
      }
      const path = selectPath(org, innerRoot, innerField, soql, guard);
      const innerPredicate = compileWhere(
        org,
        innerRoot,
        innerQuery.where,
        soql,
        () => {
          throw malformed(soql, null, 'Nesting of semi join sub-selects is not supported');
        },
        guard,
      );
      return (rowsOf(innerRoot.name, soql) ?? org.table(innerRoot.name))
        .filter(innerPredicate)
        .map((record) => readPath(org, record, path));
    },
    guard,
  );

  let rows = table.filter(predicate);
  if (isCount) return { totalSize: rows.length, records: [] };

  const orderBy = query.orderBy
    ? Array.isArray(query.orderBy)
      ? query.orderBy
      : [query.orderBy]
    : [];
  if (orderBy.length) rows = sortRows(org, root, rows, orderBy, soql, guard);
  const offset = query.offset ?? 0;
  if (offset > 2000) throw malformed(soql, 'OFFSET', 'Maximum SOQL offset allowed is 2000');
  rows = rows.slice(offset, query.limit === undefined ? undefined : offset + query.limit);
  const records = rows.map((row) => shape(org, root, row, selected, apiVersion));
  return { totalSize: records.length, records };
}

/** A selected item: a field path, a child relationship sub-select, or a TYPEOF. */
type Selection = FieldPath | ChildSelection | TypeofSelection;

interface TypeofSelection {
  /** The polymorphic reference field (PermissionSetGroupComponent.PermissionSetId). */
  lookup: FieldSchema;
  /** The fields to read from a parent of each type (lower-case type name), WHEN's or ELSE's. */
  fieldsFor: Map<string, FieldPath[]>;
}

/**
 * `TYPEOF PermissionSet WHEN PermissionSet THEN Id, Name END`: the fields of the parent's WHEN
 * clause for its type, else of the ELSE clause. Each WHEN names one of the field's targets once,
 * each field must exist on it, and ELSE's fields on every target it stands for.
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_typeof.htm
 */
function typeofSelection(
  org: Org,
  root: ObjectSchema,
  field: ParsedField,
  soql: string,
  guard: FieldGuard,
): TypeofSelection {
  const name = String(field.field ?? '');
  const lookup = root.relationships.get(name.toLowerCase());
  if (!lookup || !guard.sees(root, lookup)) throw unknownRelationship(soql, name, name);
  if (lookup.referenceTo.length < 2)
    throw malformed(soql, name, `TYPEOF is only allowed on a polymorphic relationship: '${name}'`);
  const fieldsFor = new Map<string, FieldPath[]>();
  const resolve = (type: string, list: string[] | undefined) => {
    const target = org.schema.get(type);
    if (!target || !guard.reads(target)) throw unsupportedType(soql, type);
    return (list ?? []).map((text) => resolvePath(org, target, text, soql, guard));
  };
  let otherwise: string[] | undefined;
  for (const condition of field.conditions ?? []) {
    if (condition.type === 'ELSE') {
      otherwise = condition.fieldList;
      continue;
    }
    const type = String(condition.objectType ?? '');
    const target = lookup.referenceTo.find((t) => t.toLowerCase() === type.toLowerCase());
    if (!target)
      throw malformed(soql, type, `'${type}' is not a type '${name}' can refer to in TYPEOF`);
    if (fieldsFor.has(target.toLowerCase()))
      throw malformed(soql, type, `duplicate WHEN clause for '${type}' in TYPEOF`);
    fieldsFor.set(target.toLowerCase(), resolve(target, condition.fieldList));
  }
  if (otherwise) {
    for (const target of lookup.referenceTo)
      if (!fieldsFor.has(target.toLowerCase()))
        fieldsFor.set(target.toLowerCase(), resolve(target, otherwise));
  }
  return { lookup, fieldsFor };
}

interface ChildSelection {
  relationshipName: string;
  /** The matching child rows shaped, keyed by the parent's 15-character id (built on first use). */
  rowsFor(parentId: string): Record<string, unknown>[];
}

/**
 * `(SELECT ... FROM ObjectPerms)`: a child relationship sub-select. Its rows come back as a nested
 * query result, or null when there are none, as Salesforce returns them.
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_relationships_query_using.htm
 */
function childSelection(
  org: Org,
  root: ObjectSchema,
  field: ParsedField,
  soql: string,
  apiVersion: string,
  rowsOf: RowSource,
  guard: FieldGuard,
): ChildSelection {
  const sub = field.subquery ?? {};
  const relationship = root.children.get(String(sub.relationshipName ?? '').toLowerCase());
  const childSchema = relationship && org.schema.get(relationship.childSObject);
  // A child object the user may not read is no relationship for it, as an unreadable parent is not.
  if (!relationship || !childSchema || !guard.reads(childSchema)) {
    throw soqlError(
      'INVALID_TYPE',
      soql,
      String(sub.relationshipName ?? ''),
      `Didn't understand relationship '${String(sub.relationshipName ?? '')}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  if ((sub.fields ?? []).some((f) => f.type === 'FieldSubquery'))
    throw malformed(soql, null, 'Nested sub-selects are not supported');
  const paths = (sub.fields ?? []).map((f) => selectPath(org, childSchema, f, soql, guard));
  const predicate = compileWhere(
    org,
    childSchema,
    sub.where,
    soql,
    () => {
      throw malformed(soql, null, 'Semi-joins inside a sub-select are not supported');
    },
    guard,
  );
  const orderBy = sub.orderBy ? (Array.isArray(sub.orderBy) ? sub.orderBy : [sub.orderBy]) : [];
  // The ORDER BY's fields are checked now, not when the first parent's rows are built.
  if (orderBy.length) sortRows(org, childSchema, [], orderBy, soql, guard);
  const lookup = relationship.field;
  let byParent: Map<string, SRecord[]> | undefined;
  return {
    relationshipName: relationship.relationshipName,
    rowsFor(parentId) {
      if (!byParent) {
        byParent = new Map();
        // The rows the caller sees (a User's OauthTokens are only its own without Customize Application).
        for (const row of rowsOf(childSchema.name, soql) ?? org.table(childSchema.name)) {
          const parent = row[lookup];
          if (typeof parent !== 'string' || !predicate(row)) continue;
          const key = parent.slice(0, 15);
          const list = byParent.get(key) ?? [];
          list.push(row);
          byParent.set(key, list);
        }
      }
      let rows = byParent.get(parentId.slice(0, 15)) ?? [];
      if (orderBy.length) rows = sortRows(org, childSchema, rows, orderBy, soql, guard);
      if (sub.limit !== undefined) rows = rows.slice(0, sub.limit);
      return rows.map((row) => shape(org, childSchema, row, paths, apiVersion));
    },
  };
}

function selectPath(
  org: Org,
  root: ObjectSchema,
  field: ParsedField,
  soql: string,
  guard: FieldGuard,
): FieldPath {
  if (field.type === 'Field' && field.field)
    return resolvePath(org, root, field.field, soql, guard);
  if (field.type === 'FieldRelationship' && field.field) {
    return resolvePath(
      org,
      root,
      [...(field.relationships ?? []), field.field].join('.'),
      soql,
      guard,
    );
  }
  if (field.type === 'FieldFunctionExpression' && field.functionName?.toLowerCase() === 'tolabel') {
    return resolvePath(org, root, String(field.parameters?.[0] ?? ''), soql, guard);
  }
  const text = field.rawValue ?? field.functionName ?? field.type;
  throw malformed(
    soql,
    null,
    `The org simulator does not support '${text}' in SELECT (only fields, parent fields and COUNT())`,
  );
}

function sortRows(
  org: Org,
  root: ObjectSchema,
  rows: SRecord[],
  orderBy: ParsedOrderBy[],
  soql: string,
  guard: FieldGuard,
): SRecord[] {
  const keys = orderBy.map((clause) => {
    if (!clause.field) throw malformed(soql, 'ORDER BY', 'The org simulator only orders by fields');
    const path = resolvePath(org, root, clause.field, soql, guard);
    const descending = clause.order?.toUpperCase() === 'DESC';
    // SOQL puts nulls first by default ascending and last descending.
    const nullsFirst = clause.nulls ? clause.nulls.toUpperCase() === 'FIRST' : !descending;
    return { path, descending, nullsFirst };
  });
  const decorated = rows.map((row) => ({
    row,
    values: keys.map((key) => toComparable(key.path.field, readPath(org, row, key.path))),
  }));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const x = a.values[i] ?? null;
      const y = b.values[i] ?? null;
      if (x === y) continue;
      if (x === null) return key.nullsFirst ? -1 : 1;
      if (y === null) return key.nullsFirst ? 1 : -1;
      const c = x < y ? -1 : 1;
      return key.descending ? -c : c;
    }
    return 0;
  });
  return decorated.map((entry) => entry.row);
}

function shape(
  org: Org,
  root: ObjectSchema,
  row: SRecord,
  selected: Selection[],
  apiVersion: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    attributes: { type: root.name, url: recordUrl(apiVersion, root.name, row.Id) },
  };
  for (const path of selected) {
    if ('lookup' in path) {
      const parent = org.getById(row[path.lookup.name]);
      const name = path.lookup.relationshipName!;
      if (!parent) {
        out[name] = null;
        continue;
      }
      // A type no clause names comes back as the parent's attributes alone.
      const parentSchema = org.schema.get(parent.type)!;
      out[name] = shape(
        org,
        parentSchema,
        parent.record,
        path.fieldsFor.get(parent.type.toLowerCase()) ?? [],
        apiVersion,
      );
      continue;
    }
    if ('rowsFor' in path) {
      const children = path.rowsFor(row.Id);
      out[path.relationshipName] = children.length
        ? { totalSize: children.length, done: true, records: children }
        : null;
      continue;
    }
    let target: Record<string, unknown> = out;
    let record: SRecord | undefined = row;
    let reachable = true;
    for (const step of path.steps) {
      const name = step.relationshipName!;
      if (target[name] === null) {
        reachable = false;
        break;
      }
      const parent = org.getById(record![step.name]);
      if (!parent) {
        target[name] = null;
        reachable = false;
        break;
      }
      if (target[name] === undefined) {
        target[name] = {
          attributes: {
            type: parent.type,
            url: recordUrl(apiVersion, parent.type, parent.record.Id),
          },
        };
      }
      target = target[name] as Record<string, unknown>;
      record = parent.record;
    }
    if (reachable) target[path.field.name] = record![path.field.name] ?? null;
  }
  return out;
}
