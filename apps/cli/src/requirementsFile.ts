import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DEFAULT_REQUIREMENTS, mergeRequirements, type Requirements } from '@sync-doctor/core';

const OBJECT_RIGHTS = new Set(['read', 'create', 'edit', 'delete', 'viewAll', 'modifyAll']);
const FIELD_RIGHTS = new Set(['read', 'edit']);
const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** A requirements file that cannot be used: the message names the file and the place. */
export class RequirementsFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RequirementsFileError';
  }
}

function fail(file: string, where: string, what: string): never {
  throw new RequirementsFileError(`${file}: ${where} ${what}`);
}

function stringList(file: string, value: unknown, where: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.trim() === ''))
    fail(file, where, 'must be an array of names');
  return (value as string[]).map((v) => v.trim());
}

/**
 * Checks a requirements document (a partial `Requirements`, plus an optional `replaceDefaults`)
 * and merges it into HubSpot's defaults with the core's `mergeRequirements`.
 */
export function requirementsFromJson(file: string, document: unknown): Requirements {
  if (!document || typeof document !== 'object' || Array.isArray(document))
    fail(file, 'the document', 'must be a JSON object');
  const doc = document as Record<string, unknown>;
  const known = new Set([
    'objects',
    'fields',
    'permissionSets',
    'systemPermissions',
    'replaceDefaults',
    '$schema',
    'description',
  ]);
  for (const key of Object.keys(doc))
    if (!known.has(key))
      fail(
        file,
        `"${key}"`,
        `is not a requirements key (use ${[...known].slice(0, 5).join(', ')})`,
      );
  const objects = (doc.objects ?? []) as unknown;
  if (!Array.isArray(objects)) fail(file, '"objects"', 'must be an array');
  const fields = (doc.fields ?? []) as unknown;
  if (!Array.isArray(fields)) fail(file, '"fields"', 'must be an array');
  const extra: Requirements = {
    objects: objects.map((o, i) => {
      const item = o as { name?: unknown; access?: unknown };
      if (typeof item?.name !== 'string' || !API_NAME.test(item.name))
        fail(file, `objects[${i}].name`, 'must be an object API name like "Contact"');
      const access = stringList(file, item.access ?? ['read', 'edit'], `objects[${i}].access`);
      for (const a of access)
        if (!OBJECT_RIGHTS.has(a))
          fail(
            file,
            `objects[${i}].access`,
            `has '${a}'; allowed: ${[...OBJECT_RIGHTS].join(', ')}`,
          );
      return { name: item.name, access: access as Requirements['objects'][number]['access'] };
    }),
    fields: fields.map((f, i) => {
      const item = f as { name?: unknown; access?: unknown; hubspotProperty?: unknown };
      const parts = typeof item?.name === 'string' ? item.name.split('.') : [];
      if (parts.length !== 2 || !parts.every((p) => API_NAME.test(p)))
        fail(file, `fields[${i}].name`, 'must be "Object.Field", like "Contact.Email"');
      const access = stringList(file, item.access ?? ['read', 'edit'], `fields[${i}].access`);
      for (const a of access)
        if (!FIELD_RIGHTS.has(a))
          fail(file, `fields[${i}].access`, `has '${a}'; allowed: read, edit`);
      if (item.hubspotProperty !== undefined && typeof item.hubspotProperty !== 'string')
        fail(file, `fields[${i}].hubspotProperty`, 'must be a string');
      return {
        name: item.name as string,
        access: access as Requirements['fields'][number]['access'],
        ...(typeof item.hubspotProperty === 'string'
          ? { hubspotProperty: item.hubspotProperty }
          : {}),
      };
    }),
    permissionSets: stringList(file, doc.permissionSets, '"permissionSets"'),
    systemPermissions: stringList(file, doc.systemPermissions, '"systemPermissions"'),
  };
  for (const p of extra.systemPermissions)
    if (!/^Permissions[A-Za-z0-9_]+$/.test(p))
      fail(
        file,
        '"systemPermissions"',
        `has '${p}'; use PermissionSet column names like PermissionsApiEnabled`,
      );
  if (doc.replaceDefaults !== undefined && typeof doc.replaceDefaults !== 'boolean')
    fail(file, '"replaceDefaults"', 'must be true or false');
  const base: Requirements =
    doc.replaceDefaults === true
      ? { objects: [], fields: [], permissionSets: [], systemPermissions: [] }
      : DEFAULT_REQUIREMENTS;
  return mergeRequirements(base, extra);
}

export async function loadRequirementsFile(file: string, cwd: string): Promise<Requirements> {
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new RequirementsFileError(
      `Cannot read the requirements file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  let document: unknown;
  try {
    // Windows editors (Notepad among them) may save UTF-8 with a byte order mark; JSON.parse refuses it.
    document = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new RequirementsFileError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  return requirementsFromJson(file, document);
}
