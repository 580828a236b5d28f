/**
 * What a collector must read for the core to judge a set of requirements: the one definition of the
 * read scope, shared by the app's Apex reader (sent by the LWC) and the REST collector.
 *
 * The core judges the requirement objects, the objects of the required fields and the objects those
 * fields reach by lookup (collectObjects), and the required fields only (judgeFields). A collector
 * therefore describes the scope's fields, reads their FieldPermissions (Field IN fields), says which
 * of the scope's objects exist, and reads ObjectPermissions for those objects plus the lookup
 * targets of the fields it described (known only after the describe). Reading every field or every
 * object instead does not change the verdict, only the cost: in a large org that is tens of
 * thousands of rows (Apex's 50,000-row and 6 MB heap limits).
 */
import type { Requirements } from './types.js';

export interface SnapshotScope {
  /** Requirement objects, then the objects of the fields; case-insensitively unique, first spelling kept. */
  objects: string[];
  /** The required 'Object.Field' names; case-insensitively unique, first spelling kept. */
  fields: string[];
}

const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * An SObject or field API name: letters, digits and underscores, starting with a letter. The one
 * rule for it: requirements documents, the read scope and the collector and applier
 * (@sync-doctor/salesforce) all check names with it.
 */
export function isApiName(name: string): boolean {
  return API_NAME.test(name);
}

/** 'Contact.Email' as { object, field }, or null when it is not two API names joined by a dot. */
export function splitFieldName(name: string): { object: string; field: string } | null {
  const parts = name.split('.');
  if (parts.length !== 2 || !isApiName(parts[0]!) || !isApiName(parts[1]!)) return null;
  return { object: parts[0]!, field: parts[1]! };
}

/**
 * The read scope of `requirements`. Names that are not API names ('Contact.', 'a b') are left out:
 * no collector can read them, and the core reports them itself (an invalid requirement).
 */
export function snapshotScope(
  requirements: Pick<Requirements, 'objects' | 'fields'>,
): SnapshotScope {
  const objects = new Map<string, string>();
  const fields = new Map<string, string>();
  const add = (into: Map<string, string>, name: string): void => {
    const key = name.toLowerCase();
    if (!into.has(key)) into.set(key, name);
  };
  for (const object of requirements.objects) if (isApiName(object.name)) add(objects, object.name);
  for (const field of requirements.fields) {
    const parts = splitFieldName(field.name);
    if (!parts) continue;
    add(fields, field.name);
    add(objects, parts.object);
  }
  return { objects: [...objects.values()], fields: [...fields.values()] };
}

/**
 * What `wanted` asks to be read that a read of `read` did not: the objects and fields of its scope
 * missing from `read` (names match case-insensitively), empty lists when the read covers it. The one
 * rule for "read again?" in the app and the CLI: the snapshot holds every right of what it read, so
 * asking more of a name already read (edit where read was required) needs no new read, only a new
 * judgement.
 */
export function scopeUnread(
  read: SnapshotScope,
  wanted: Pick<Requirements, 'objects' | 'fields'>,
): SnapshotScope {
  const objects = new Set(read.objects.map((name) => name.toLowerCase()));
  const fields = new Set(read.fields.map((name) => name.toLowerCase()));
  const scope = snapshotScope(wanted);
  return {
    objects: scope.objects.filter((name) => !objects.has(name.toLowerCase())),
    fields: scope.fields.filter((name) => !fields.has(name.toLowerCase())),
  };
}

/** Whether a scope asks for nothing (scopeUnread's "the read covers it"). */
export function isEmptyScope(scope: SnapshotScope): boolean {
  return scope.objects.length === 0 && scope.fields.length === 0;
}
