import type { Org, SRecord } from '../org/org.js';
import type { FieldSchema, ObjectSchema } from '../schema.js';
import { noSuchColumn, unknownRelationship } from './errors.js';

/** A resolved field path: `PermissionSet.Profile.Name` from PermissionSetAssignment. */
export interface FieldPath {
  /** The reference fields followed, in order (PermissionSetId, then ProfileId). */
  steps: FieldSchema[];
  field: FieldSchema;
  /** As written in the query, for error messages. */
  text: string;
}

/**
 * What the query's user may read, as SOQL judges it: a field it cannot read (field-level security)
 * is no column at all for it, and a lookup whose field or target object it cannot read is no
 * relationship. SEES_ALL for the simulator's own use (`runQuery` without a user).
 */
export interface FieldGuard {
  sees(object: ObjectSchema, field: FieldSchema): boolean;
  reads(object: ObjectSchema): boolean;
}

export const SEES_ALL: FieldGuard = { sees: () => true, reads: () => true };

/**
 * Resolve `a.b.c` against `root`; parents of polymorphic lookups resolve through their first target.
 * A field the guard hides answers as an unknown one: INVALID_FIELD "No such column" (Salesforce uses
 * the same error for a missing field and one field-level security hides), and a hidden lookup or an
 * unreadable parent object "Didn't understand relationship".
 */
export function resolvePath(
  org: Org,
  root: ObjectSchema,
  text: string,
  soql: string,
  guard: FieldGuard = SEES_ALL,
): FieldPath {
  const parts = text.split('.');
  // SOQL allows the object name as a prefix: SELECT Account.Name FROM Account.
  if (
    parts.length > 1 &&
    parts[0]!.toLowerCase() === root.name.toLowerCase() &&
    !root.relationships.has(parts[0]!.toLowerCase())
  ) {
    parts.shift();
  }
  const steps: FieldSchema[] = [];
  let current = root;
  for (let i = 0; i < parts.length - 1; i++) {
    const relationship = current.relationships.get(parts[i]!.toLowerCase());
    const target = relationship && org.schema.get(relationship.referenceTo[0] ?? '');
    if (!relationship || !target || !guard.sees(current, relationship) || !guard.reads(target))
      throw unknownRelationship(soql, text, parts[i]!);
    steps.push(relationship);
    current = target;
  }
  const last = parts[parts.length - 1]!;
  const field = current.fields.get(last.toLowerCase());
  if (!field || !guard.sees(current, field)) throw noSuchColumn(soql, text, current.name);
  return { steps, field, text };
}

/** Follow the path from a record; null as soon as a lookup is empty. */
export function readPath(org: Org, record: SRecord, path: FieldPath): unknown {
  let current: SRecord | undefined = record;
  for (const step of path.steps) {
    const parentId: unknown = current[step.name];
    current = org.getById(parentId)?.record;
    if (!current) return null;
  }
  return current[path.field.name] ?? null;
}
