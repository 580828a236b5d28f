/**
 * A requirements document: the JSON the CLI reads with `--requirements FILE` and the relay's admin
 * API stores per portal. A partial `Requirements` (objects, fields, permissionSets,
 * systemPermissions), plus an optional `replaceDefaults`, `$schema` and `description`. The one
 * place its rules are written: the CLI and the relay both check documents here.
 */
import { DEFAULT_REQUIREMENTS, mergeRequirements } from './defaults.js';
import { OBJECT_RIGHTS as OBJECT_RIGHT_ORDER } from './objectRights.js';
import { isApiName, splitFieldName } from './scope.js';
import type { Requirements } from './types.js';

const OBJECT_RIGHTS = new Set<string>(OBJECT_RIGHT_ORDER);
const FIELD_RIGHTS = new Set(['read', 'edit']);

/** The keys a requirements document may have. */
export const REQUIREMENTS_DOCUMENT_KEYS: readonly string[] = [
  'objects',
  'fields',
  'permissionSets',
  'systemPermissions',
  'replaceDefaults',
  '$schema',
  'description',
];

/** A requirements document that cannot be used: `path` names the place ('fields[2].name'), `problem` what is wrong there. */
export class RequirementsDocumentError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path} ${problem}`);
    this.name = 'RequirementsDocumentError';
  }
}

function fail(where: string, what: string): never {
  throw new RequirementsDocumentError(where, what);
}

function stringList(value: unknown, where: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.trim() === ''))
    fail(where, 'must be an array of names');
  return (value as string[]).map((v) => v.trim());
}

/**
 * Checks a requirements document and merges it into HubSpot's defaults (or into nothing, with
 * `replaceDefaults: true`) with `mergeRequirements`. Throws RequirementsDocumentError at the first
 * thing wrong, and for a document that leaves nothing to check.
 */
export function requirementsFromDocument(document: unknown): Requirements {
  if (!document || typeof document !== 'object' || Array.isArray(document))
    fail('the document', 'must be a JSON object');
  const doc = document as Record<string, unknown>;
  const known = new Set(REQUIREMENTS_DOCUMENT_KEYS);
  for (const key of Object.keys(doc))
    if (!known.has(key))
      fail(`"${key}"`, `is not a requirements key (use ${[...known].slice(0, 5).join(', ')})`);
  const objects = (doc.objects ?? []) as unknown;
  if (!Array.isArray(objects)) fail('"objects"', 'must be an array');
  const fields = (doc.fields ?? []) as unknown;
  if (!Array.isArray(fields)) fail('"fields"', 'must be an array');
  const extra: Requirements = {
    objects: objects.map((o, i) => {
      const item = o as { name?: unknown; access?: unknown };
      if (typeof item?.name !== 'string' || !isApiName(item.name))
        fail(`objects[${i}].name`, 'must be an object API name like "Contact"');
      const access = stringList(item.access ?? ['read', 'edit'], `objects[${i}].access`);
      for (const a of access)
        if (!OBJECT_RIGHTS.has(a))
          fail(`objects[${i}].access`, `has '${a}'; allowed: ${[...OBJECT_RIGHTS].join(', ')}`);
      return { name: item.name, access: access as Requirements['objects'][number]['access'] };
    }),
    fields: fields.map((f, i) => {
      const item = f as { name?: unknown; access?: unknown; hubspotProperty?: unknown };
      if (typeof item?.name !== 'string' || !splitFieldName(item.name))
        fail(`fields[${i}].name`, 'must be "Object.Field", like "Contact.Email"');
      const access = stringList(item.access ?? ['read', 'edit'], `fields[${i}].access`);
      for (const a of access)
        if (!FIELD_RIGHTS.has(a)) fail(`fields[${i}].access`, `has '${a}'; allowed: read, edit`);
      if (item.hubspotProperty !== undefined && typeof item.hubspotProperty !== 'string')
        fail(`fields[${i}].hubspotProperty`, 'must be a string');
      return {
        name: item.name as string,
        access: access as Requirements['fields'][number]['access'],
        ...(typeof item.hubspotProperty === 'string'
          ? { hubspotProperty: item.hubspotProperty }
          : {}),
      };
    }),
    permissionSets: stringList(doc.permissionSets, '"permissionSets"'),
    systemPermissions: stringList(doc.systemPermissions, '"systemPermissions"'),
  };
  for (const p of extra.systemPermissions)
    if (!/^Permissions[A-Za-z0-9_]+$/.test(p))
      fail(
        '"systemPermissions"',
        `has '${p}'; use PermissionSet column names like PermissionsApiEnabled`,
      );
  if (doc.replaceDefaults !== undefined && typeof doc.replaceDefaults !== 'boolean')
    fail('"replaceDefaults"', 'must be true or false');
  const base: Requirements =
    doc.replaceDefaults === true
      ? { objects: [], fields: [], permissionSets: [], systemPermissions: [] }
      : DEFAULT_REQUIREMENTS;
  const merged = mergeRequirements(base, extra);
  // "replaceDefaults": true with nothing in its place checks nothing, and a check of nothing finds
  // nothing wrong: the CLI said "healthy" (exit 0) of any org.
  if (
    merged.objects.length === 0 &&
    merged.fields.length === 0 &&
    merged.permissionSets.length === 0 &&
    merged.systemPermissions.length === 0
  )
    fail(
      'the document',
      'requires nothing: with "replaceDefaults": true, list the "objects", "fields", "permissionSets" or "systemPermissions" to check',
    );
  return merged;
}
